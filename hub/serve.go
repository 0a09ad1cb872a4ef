package hub

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	"golang.org/x/sync/errgroup"

	"tend/notify"
	"tend/webkit"
)

// ServeConfig is `tend hub`: its data directory (database, master key,
// TLS certificate), the address it serves on, the optional PostgreSQL
// database and the notification outlets (parsed with notify.ParseURLs).
type ServeConfig struct {
	Data, Listen, DBURL string
	PublicURL           string // the hub's address for its links (HubConfig.PublicURL); Notify.Link defaults to it
	StaleAfter          time.Duration
	Retain              int
	Outlets             []*notify.Endpoint
	Notify              NotifyConfig
	Log                 *slog.Logger
}

// Serve opens the hub's data and serves boxes, the fleet UI, the API and
// /metrics over TLS until ctx ends; with outlets it runs the notifier too.
func Serve(ctx context.Context, cfg ServeConfig) error {
	log := cfg.Log
	if _, err := ParsePublicURL(cfg.PublicURL); err != nil {
		return err // before anything is opened or created
	}
	st, dbPath, err := OpenDir(cfg.Data)
	if err != nil {
		return err
	}
	defer st.Close()
	cert, fingerprint, err := webkit.EnsureCertificate(cfg.Data)
	if err != nil {
		return err
	}
	sites, closeData, err := OpenData(ctx, cfg.DBURL, cfg.Data, st, cfg.Retain)
	if err != nil {
		return err
	}
	defer closeData()
	if cfg.Notify.Link == "" {
		cfg.Notify.Link = cfg.PublicURL
	}
	nt := NewNotifier(cfg.Notify, sites, cfg.Outlets, log)
	h, err := NewHub(HubConfig{SecureCookies: true, StaleAfter: cfg.StaleAfter, Log: log, Files: []string{dbPath, filepath.Join(cfg.Data, MasterKeyFile)},
		PublicURL: cfg.PublicURL}, st, sites)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	log.Info("hub serving", "url", "https://"+ln.Addr().String()+"/", "cert_sha256", fingerprint)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return webkit.ServeTLS(gctx, ln, h.Handler(), cert, log) })
	g.Go(func() error { return h.Run(gctx) })
	if nt != nil {
		h.SetNotifier(nt)
		g.Go(func() error { return nt.Run(gctx) })
	}
	err = g.Wait()
	log.Info("hub stopped")
	return err
}
