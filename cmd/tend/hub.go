package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"slices"

	"golang.org/x/sync/errgroup"

	"tend/hub"
	"tend/notify"
	"tend/settings"
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
	if err := settings.Parse(fs, e.args); err != nil {
		return err
	}
	log := e.logger(slog.LevelInfo, *verbose)
	outlets, err := notify.ParseURLs(notifyURLs, notify.ParseOptions{Hostname: hostname()}) // a malformed --notify URL stops the hub here
	if err != nil {
		return err
	}
	st, dbPath, err := hub.OpenDir(*data)
	if err != nil {
		return err
	}
	defer st.Close()
	cert, fingerprint, err := webkit.EnsureCertificate(*data)
	if err != nil {
		return err
	}
	sites, closeData, err := hub.OpenData(ctx, *dbURL, *data, st, *retain)
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
	g.Go(func() error { return webkit.ServeTLS(gctx, ln, hub.Handler(), cert, log) })
	g.Go(func() error { return hub.Run(gctx) })
	if nt != nil {
		hub.SetNotifier(nt)
		g.Go(func() error { return nt.Run(gctx) })
	}
	err = g.Wait()
	log.Info("hub stopped")
	return err
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
	if !slices.Contains(hub.AdminCommands, what) {
		fmt.Fprintln(e.stderr, hubUsage)
		return fmt.Errorf("hub: unknown command %q", what)
	}
	if what != "site list" && what != "token list" && what != "audit list" && *name == "" {
		return fmt.Errorf("hub %s: --name is required", what)
	}
	hs, done, err := hub.OpenAdminData(context.Background(), *dbURL, *data)
	if err != nil {
		return err
	}
	defer done()
	return hs.Admin(what, *name, *role, *roleSite, e.stdout, e.stderr)
}
