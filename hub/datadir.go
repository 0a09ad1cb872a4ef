package hub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"tend/storage"
)

// OpenDir opens the hub's database in its data directory: commits are
// fsynced before the hub answers a box (which then forgets the summary),
// and the directory is owner-only (the process umask, which buntdb's
// compaction applies when it recreates the database, is cmd/tend's
// choice: 077 for the hub; SecureFiles repairs a file left more open). The store's
// lock is the data directory's one lock: a second hub, or an admin command
// while the hub runs, gets storage.ErrInUse.
func OpenDir(dir string) (*storage.Store, string, error) {
	if dir == "" {
		return nil, "", errors.New("--data is required: the hub's data directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", fmt.Errorf("make data dir: %w", err)
	}
	path := filepath.Join(dir, "tend.db")
	st, err := storage.Open(path, storage.Config{SyncEveryCommit: true})
	if errors.Is(err, storage.ErrInUse) {
		return nil, "", fmt.Errorf("%s is in use by a running tend hub: %w", dir, err)
	}
	return st, path, err
}

// OpenData is the hub's site data: in PostgreSQL when dbURL is set
// (postgres://…), else in the embedded store st; site keys sealed with the
// master key in dir (made on first start).
func OpenData(ctx context.Context, dbURL, dir string, st *storage.Store, retain int) (*HubStore, func(), error) {
	hs, done := NewHubStore(st, nil, retain), func() {}
	if dbURL != "" {
		var err error
		if hs, done, err = OpenPostgres(ctx, dbURL, nil, retain); err != nil {
			return nil, nil, err
		}
	}
	if err := hs.SealKeys(dir); err != nil {
		done()
		return nil, nil, err
	}
	return hs, done, nil
}

// OpenAdminData is the site data for the hub's admin commands: PostgreSQL
// (which a running hub shares) or the embedded store (only with the hub
// stopped: it is one process's file).
func OpenAdminData(ctx context.Context, dbURL, dir string) (*HubStore, func(), error) {
	if dbURL != "" {
		hs, done, err := OpenPostgres(ctx, dbURL, nil, 0)
		if err != nil {
			return nil, nil, err
		}
		if err := hs.SealKeys(dir); err != nil {
			done()
			return nil, nil, err
		}
		return hs, done, nil
	}
	st, _, err := OpenDir(dir)
	if errors.Is(err, storage.ErrInUse) {
		return nil, nil, fmt.Errorf("the hub is running on %s: add sites and tokens in its web UI, or stop it first", dir)
	}
	if err != nil {
		return nil, nil, err
	}
	hs := NewHubStore(st, nil, 0)
	if err := hs.SealKeys(dir); err != nil {
		st.Close()
		return nil, nil, err
	}
	if _, err := hs.ImportUsers(st); err != nil {
		st.Close()
		return nil, nil, err
	}
	return hs, func() { st.Close() }, nil
}

// Usage is `tend hub --help`: the hub and its admin commands.
const Usage = `Usage:
  tend hub --data DIR [--db postgres://…] [--listen ADDR] [--notify URL]… [-v]  run the hub
  tend hub site add --data DIR --name N                        add a site, print its key
  tend hub site list --data DIR                                list sites
  tend hub site rotate|delete --data DIR --name SLUG           new key for a site (printed) / delete it
  tend hub token create --data DIR --name N                    create a read-only API token, print it
  tend hub token list|revoke --data DIR [--name N|ID]          list tokens / revoke one
  tend hub audit list --data DIR                               the hub's audit log
  tend hub user add --data DIR --name U [--role R [--site S]]  add a user (password: stdin's first line)
  tend hub user list|delete --data DIR [--name U]              list users / delete one
  tend hub user role --data DIR --name U --role R [--site S]   admin, technician, read-only, client (of site S)
  (with --db postgres://… the admin commands work while hubs run)
  Site keys are sealed with DIR/hub-master.key (made on first start, 0600): back it up apart
  from the database; every hub and admin command on one database needs a copy of it.
  Users are in the hub's store.`

// AdminCommand is `tend hub site|token|audit|user …` (what is one of
// AdminCommands) on the hub's data: PostgreSQL when dbURL is set, else the
// embedded store in dir (with the hub stopped).
func AdminCommand(ctx context.Context, dbURL, dir, what, name, role, site string, stdin io.Reader, stdout, stderr io.Writer) error {
	if !slices.Contains(AdminCommands, what) {
		fmt.Fprintln(stderr, Usage)
		return fmt.Errorf("hub: unknown command %q", what)
	}
	if !strings.HasSuffix(what, " list") && name == "" {
		return fmt.Errorf("hub %s: --name is required", what)
	}
	hs, done, err := OpenAdminData(ctx, dbURL, dir)
	if err != nil {
		return err
	}
	defer done()
	if what == "user add" {
		return hs.AddUser(name, role, site, stdin, stderr)
	}
	return hs.Admin(what, name, role, site, stdout, stderr)
}

// AdminCommands are the hub's command-line admin verbs.
var AdminCommands = []string{"site add", "site list", "site rotate", "site delete", "token create", "token list", "token revoke", "audit list", "user role", "user add", "user list", "user delete"}

// Admin runs one admin command (AdminCommands) for the command line: name
// is the site's, token's or user's name; role and site are for "user
// role". Keys and tokens go to stdout, messages to stderr; each act is
// written to the audit log as "cli".
func (hs *HubStore) Admin(what, name, role, site string, stdout, stderr io.Writer) error {
	switch what {
	case "user role":
		// As the Users page: the user must exist, and the last admin
		// stays one.
		if err := hs.ChangeRole(name, UserRole{Role: role, Site: site}); err != nil {
			return err
		}
		return hs.Audit("cli", what, name+" "+role+" "+site)
	case "site add":
		slug, key, err := hs.AddNamedSite(name, "")
		if err != nil {
			return err
		}
		if err := hs.Audit("cli", what, slug); err != nil {
			return err
		}
		fmt.Fprintln(stdout, key)
		fmt.Fprintf(stderr, "site %s added; on its box: tend serve --site %s --upstream https://HUB --site-key-file FILE (FILE holds the key above)\n", slug, slug)
		return nil
	case "site rotate":
		key, err := hs.RotateSiteKey(name)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, key)
		fmt.Fprintf(stderr, "site %s has a new key (above); the old one no longer works: put the new one on its box\n", name)
		return hs.Audit("cli", what, name)
	case "site delete":
		if err := hs.DeleteSite(name); err != nil {
			return err
		}
		return hs.Audit("cli", what, name)
	case "token create":
		tok, err := hs.NewToken(name)
		if err != nil {
			return err
		}
		if err := hs.Audit("cli", what, name); err != nil {
			return err
		}
		fmt.Fprintln(stdout, tok)
		return nil
	case "user delete":
		if err := hs.DeleteUser(name); err != nil {
			return err
		}
		return hs.Audit("cli", what, name)
	case "token revoke":
		n, err := hs.RevokeToken(name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%d token(s) revoked\n", n)
		return hs.Audit("cli", what, name)
	}
	return hs.adminList(what, stdout)
}

// adminList prints the site, token or audit list.
func (hs *HubStore) adminList(what string, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	switch what {
	case "site list":
		sites, err := hs.Sites()
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, "NAME\tHEALTH\tDEVICES\tSUMMARIES\tLAST SEEN")
		for _, s := range sites {
			seen := "never"
			if !s.LastSeen.IsZero() {
				seen = s.LastSeen.Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", s.Name, s.Health.Score, s.Devices, s.Summaries, strings.TrimSpace(seen))
		}
	case "token list":
		toks, err := hs.Tokens()
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, "ID\tNAME\tSCOPE\tCREATED")
		for _, t := range toks {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Scope, t.Created.Format(time.DateTime))
		}
	case "audit list":
		log, err := hs.AuditLog(200)
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, "TIME\tACTOR\tACTION\tTARGET")
		for _, a := range log {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Time.Format(time.DateTime), a.Actor, a.Action, a.Target)
		}
	case "user list":
		users, err := hs.Users()
		if err != nil {
			return err
		}
		fmt.Fprintln(tw, "NAME\tROLE\tSITE\tCREATED")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Site, u.Created.Format(time.DateTime))
		}
	default:
		return fmt.Errorf("hub: unknown command %q", what)
	}
	return tw.Flush()
}
