package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"golang.org/x/sync/errgroup"

	"tend/hub"
	"tend/notify"
	"tend/webkit"
)

const hubUsage = `Usage:
  tend hub --data DIR [--db postgres://…] [--listen ADDR] [--notify URL]… [-v]  run the hub
  tend hub site add --data DIR --name N                        add a site, print its key
  tend hub site list --data DIR                                list sites
  tend hub site rotate|delete --data DIR --name SLUG           new key for a site (printed) / delete it
  tend hub token create --data DIR --name N                    create a read-only API token, print it
  tend hub token list|revoke --data DIR [--name N|ID]          list tokens / revoke one
  tend hub audit list --data DIR                               the hub's audit log
  tend hub user role --data DIR --name U --role R [--site S]   admin, technician, read-only, client (of site S)
  (with --db postgres://… the admin commands work while hubs run)
  Site keys are sealed with DIR/hub-master.key (made on first start, 0600): back it up apart
  from the database; every hub and admin command on one database needs a copy of it.
Web UI users: tend user add --data DIR --name N --password-stdin (with the hub stopped).`

func runHub(ctx context.Context, e env) error {
	if len(e.args) > 0 {
		switch e.args[0] {
		case "site", "token":
			return runHubAdmin(e)
		case "-h", "--help", "-help", "help":
			fmt.Fprintln(e.stdout, hubUsage)
			return nil
		}
	}
	fs := newFlagSet("hub", "", e)
	data := fs.String("data", "", "the hub's data directory: database, TLS certificate (required)")
	listen := fs.String("listen", ":8443", "address for boxes, the fleet UI, the API and /metrics (HTTPS)")
	staleAfter := fs.Duration("stale-after", 0, "flag a site that sent nothing for this long (default: 3 of its intervals, at least 10m)")
	retain := fs.Int("retain", hub.DefaultRetain, "summaries kept per site")
	dbURL := fs.String("db", "", "keep the sites' data in PostgreSQL (postgres://user@host/db); several hubs may share one")
	verbose := fs.Bool("v", false, "debug logging")
	var notifyURLs []string
	fs.Func("notify", "an outlet's service URL (repeatable; see the README): raises alerts and PSA tickets from the sites' problems", func(s string) error {
		notifyURLs = append(notifyURLs, s)
		return nil
	})
	notifyLink := fs.String("notify-link", "", "the hub's URL as the provider reaches it (https://hub.example/), for links in messages")
	if err := parseWithConfig(fs, e.args); err != nil {
		return err
	}
	log := e.logger(slog.LevelInfo, *verbose)
	outlets, err := hub.ParseOutlets(notifyURLs, notify.ParseOptions{Hostname: hostname()}) // a malformed --notify URL stops the hub here
	if err != nil {
		return err
	}
	unlock, err := lockHub(*data, true)
	if err != nil {
		return err
	}
	defer unlock()
	st, dbPath, err := openHubStore(*data)
	if err != nil {
		return err
	}
	defer st.Close()
	cert, fingerprint, err := webkit.EnsureCertificate(*data)
	if err != nil {
		return err
	}
	sites, closeData, err := hubData(ctx, *dbURL, *data, st, *retain)
	if err != nil {
		return err
	}
	defer closeData()
	nt := hub.NewNotifier(hub.NotifyConfig{Link: *notifyLink, Parse: notify.ParseOptions{Hostname: hostname()}}, sites, outlets, log)
	hub, err := hub.NewHub(hub.HubConfig{SecureCookies: true, StaleAfter: *staleAfter, Log: log, Files: []string{dbPath, filepath.Join(*data, hub.MasterKeyFile)}},
		st, sites)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	log.Info("hub serving", "url", "https://"+ln.Addr().String()+"/", "cert_sha256", fingerprint)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return serveTLS(gctx, ln, hub.Handler(), cert, log) })
	g.Go(func() error { return hub.Run(gctx) })
	if nt != nil {
		hub.SetNotifier(nt)
		g.Go(func() error { return nt.Run(gctx) })
	}
	err = g.Wait()
	log.Info("hub stopped")
	return err
}

// lockHub takes the data directory's lock: buntdb is one process's file,
// so the admin commands must not write it while the hub runs (the hub would
// not see the change and could later overwrite it when it compacts).
func lockHub(dir string, serving bool) (func(), error) {
	if dir == "" {
		return nil, errors.New("--data is required: the hub's data directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make data dir: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "hub.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if serving {
			return nil, fmt.Errorf("another tend hub uses %s", dir)
		}
		return nil, fmt.Errorf("the hub is running on %s: add sites and tokens in its web UI, or stop it first", dir)
	}
	return func() { f.Close() }, nil
}

func runHubAdmin(e env) error {
	if len(e.args) < 2 {
		fmt.Fprintln(e.stderr, hubUsage)
		return errors.New("hub: say site add, site list or token create")
	}
	what := e.args[0] + " " + e.args[1]
	fs := newFlagSet("hub "+what, "", e)
	data := fs.String("data", "", "the hub's data directory (required)")
	name := fs.String("name", "", "the site's or token's name")
	dbURL := fs.String("db", "", "the hub's PostgreSQL database, when it uses one (postgres://…)")
	role := fs.String("role", "", "user role: admin, technician, read-only or client")
	roleSite := fs.String("site", "", "user role: the client viewer's site (slug)")
	if err := fs.Parse(e.args[2:]); err != nil {
		return err
	}
	switch what {
	case "site add", "site list", "token create", "site rotate", "site delete", "token list", "token revoke", "audit list", "user role":
	default:
		fmt.Fprintln(e.stderr, hubUsage)
		return fmt.Errorf("hub: unknown command %q", what)
	}
	if what != "site list" && what != "token list" && what != "audit list" && *name == "" {
		return fmt.Errorf("hub %s: --name is required", what)
	}
	hs, done, err := hubAdminData(context.Background(), *dbURL, *data)
	if err != nil {
		return err
	}
	defer done()
	if what == "user role" {
		if err := hs.SetRole(*name, hub.UserRole{Role: *role, Site: *roleSite}); err != nil {
			return err
		}
		return hs.Audit("cli", what, *name+" "+*role+" "+*roleSite)
	}
	if done, err := hubAdminMore(e, hs, what, *name); done {
		return err
	}
	switch what {
	case "site add":
		slug, key, err := hs.AddNamedSite(*name, "")
		if err != nil {
			return err
		}
		*name = slug
		if err := hs.Audit("cli", what, slug); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, key)
		fmt.Fprintf(e.stderr, "site %s added; on its box: tend serve --site %s --upstream https://HUB --site-key-file FILE (FILE holds the key above)\n", *name, *name)
	case "token create":
		tok, err := hs.NewToken(*name)
		if err != nil {
			return err
		}
		if err := hs.Audit("cli", what, *name); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, tok)
	case "site list":
		sites, err := hs.Sites()
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tHEALTH\tDEVICES\tSUMMARIES\tLAST SEEN")
		for _, s := range sites {
			seen := "never"
			if !s.LastSeen.IsZero() {
				seen = s.LastSeen.Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", s.Name, s.Health.Score, s.Devices, s.Summaries, strings.TrimSpace(seen))
		}
		return tw.Flush()
	}
	return nil
}
