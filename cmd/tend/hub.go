package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"tend/hub"
	"tend/notify"
	"tend/settings"
)

func runHub(ctx context.Context, e env) error {
	if len(e.args) > 0 {
		switch e.args[0] {
		case "site", "token", "audit", "user":
			return runHubAdmin(e)
		case "-h", "--help", "-help", "help":
			fmt.Fprintln(e.stdout, hub.Usage)
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
	publicURL := fs.String("public-url", "", "the hub's address as people reach it (https://hub.example/): setup links, links in messages")
	fs.StringVar(publicURL, "notify-link", "", "the old name of --public-url")
	if err := settings.Parse(fs, e.args); err != nil {
		return err
	}
	outlets, err := notify.ParseURLs(notifyURLs, notify.ParseOptions{Hostname: hostname()}) // a malformed --notify URL stops the hub here
	if err != nil {
		return err
	}
	return hub.Serve(ctx, hub.ServeConfig{Data: *data, Listen: *listen, DBURL: *dbURL, StaleAfter: *staleAfter, Retain: *retain, Outlets: outlets,
		PublicURL: *publicURL, Notify: hub.NotifyConfig{Parse: notify.ParseOptions{Hostname: hostname()}}, Log: e.logger(slog.LevelInfo, *verbose)})
}

func runHubAdmin(e env) error {
	if len(e.args) < 2 {
		fmt.Fprintln(e.stderr, hub.Usage)
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
	return hub.AdminCommand(context.Background(), *dbURL, *data, what, *name, *role, *roleSite, e.stdin, e.stdout, e.stderr)
}
