package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"text/tabwriter"
	"time"

	"tend/hub"
	"tend/storage"
)

// hubData is the hub's site data: in PostgreSQL when dbURL is set
// (postgres://…), else in the embedded store st; site keys sealed with the
// master key in dir (made on first start).
func hubData(ctx context.Context, dbURL, dir string, st *storage.Store, retain int) (*hub.HubStore, func(), error) {
	hs, done := hub.NewHubStore(st, nil, retain), func() {}
	if dbURL != "" {
		var err error
		if hs, done, err = hub.OpenPostgres(ctx, dbURL, nil, retain); err != nil {
			return nil, nil, err
		}
	}
	if err := hs.SealKeys(dir); err != nil {
		done()
		return nil, nil, err
	}
	return hs, done, nil
}

// openHubStore opens the hub's database: commits are fsynced before the hub
// answers a box (which then forgets the summary), and every file the hub
// creates is owner-only (umask 077: buntdb's compaction recreates the
// database with the process umask).
func openHubStore(dir string) (*storage.Store, string, error) {
	syscall.Umask(0o077)
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

// hubAdminData is the site data for the hub's admin commands: PostgreSQL
// (which a running hub shares) or the embedded store (only with the hub
// stopped: it is one process's file).
func hubAdminData(ctx context.Context, dbURL, dir string) (*hub.HubStore, func(), error) {
	if dbURL != "" {
		hs, done, err := hub.OpenPostgres(ctx, dbURL, nil, 0)
		if err != nil {
			return nil, nil, err
		}
		if err := hs.SealKeys(dir); err != nil {
			done()
			return nil, nil, err
		}
		return hs, done, nil
	}
	unlock, err := lockHub(dir, false)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(dir)
	if err != nil {
		unlock()
		return nil, nil, err
	}
	hs := hub.NewHubStore(st, nil, 0)
	if err := hs.SealKeys(dir); err != nil {
		st.Close()
		unlock()
		return nil, nil, err
	}
	return hs, func() { st.Close(); unlock() }, nil
}

// hubAdminMore runs the hub's key, token and audit commands (done false:
// not one of them) and writes each act to the audit log as "cli".
func hubAdminMore(e env, hs *hub.HubStore, what, name string) (bool, error) {
	switch what {
	case "site rotate":
		key, err := hs.RotateSiteKey(name)
		if err != nil {
			return true, err
		}
		fmt.Fprintln(e.stdout, key)
		fmt.Fprintf(e.stderr, "site %s has a new key (above); the old one no longer works: put the new one on its box\n", name)
		return true, hs.Audit("cli", what, name)
	case "site delete":
		if err := hs.DeleteSite(name); err != nil {
			return true, err
		}
		return true, hs.Audit("cli", what, name)
	case "token revoke":
		n, err := hs.RevokeToken(name)
		if err != nil {
			return true, err
		}
		fmt.Fprintf(e.stderr, "%d token(s) revoked\n", n)
		return true, hs.Audit("cli", what, name)
	case "token list":
		toks, err := hs.Tokens()
		if err != nil {
			return true, err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSCOPE\tCREATED")
		for _, t := range toks {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Scope, t.Created.Format(time.DateTime))
		}
		return true, tw.Flush()
	case "audit list":
		log, err := hs.AuditLog(200)
		if err != nil {
			return true, err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TIME\tACTOR\tACTION\tTARGET")
		for _, a := range log {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Time.Format(time.DateTime), a.Actor, a.Action, a.Target)
		}
		return true, tw.Flush()
	}
	return false, nil
}
