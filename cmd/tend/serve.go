package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"tend/findings"
	"tend/inventory"
	"tend/storage"
	"tend/webui"
)

func runServe(ctx context.Context, e env) error {
	fs := newFlagSet("serve", "", e)
	var f discoveryFlags
	f.register(fs)
	data := fs.String("data", "", "the data directory: database, TLS certificate (required)")
	listen := fs.String("listen", ":443", "the web UI's address")
	site := fs.String("site", "", "the client site's name, shown in the UI (default: the host name)")
	interval := fs.Duration("scan-interval", 5*time.Minute, "time between active sweeps (each is jittered by up to 10%)")
	triageAfter := fs.Duration("triage-after", time.Hour, "how long an unidentified device may stay unlabelled before it is an action")
	eventWindow := fs.Duration("event-window", 7*24*time.Hour, "how long an event (a rogue DHCP server, a scan) keeps its action open after it was last seen")
	offlineAfter := fs.Duration("offline-after", 0, "mark a device offline when nothing was heard from it for this long (default: 3 scan intervals)")
	verbose := fs.Bool("v", false, "debug logging")
	watch := fs.Bool("watch", true, "watch traffic passively on --interface for anomalies (see watch.go)")
	var tf trafficFlags
	tf.register(fs, 10*time.Minute)
	var uf upstreamFlags
	uf.register(fs)
	var nf notifyFlags
	nf.register(fs)
	if err := fs.Parse(e.args); err != nil {
		return err
	}
	outlets, err := nf.parse() // a malformed --notify URL stops serve here
	if err != nil {
		return err
	}
	log := e.logger(slog.LevelInfo, *verbose)
	if *interval < 10*time.Second {
		return fmt.Errorf("--scan-interval %s is too short: at least 10s, so the LAN is not flooded", *interval)
	}
	p, err := newPipeline(f, log)
	if err != nil {
		return err
	}
	st, err := openStore(*data)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := useIdentity(st); err != nil {
		return err
	}
	grace := *offlineAfter
	if grace <= 0 {
		grace = 3 * *interval
	}
	pr := &presence{store: st, grace: grace, tick: min(grace/4, time.Minute), now: time.Now, log: log.With("component", "presence")}
	cert, fingerprint, err := webui.EnsureCertificate(*data)
	if err != nil {
		return err
	}
	j, err := newJudge(dataCatalogPath(*data), log)
	if err != nil {
		return err
	}
	sc := &scanner{pipeline: p, store: st, judge: j, log: log.With("component", "scanner"), interval: *interval, trigger: make(chan struct{}, 1)}
	siteName := *site
	if siteName == "" {
		siteName = hostname()
	}
	fr := newFindingsRunner(st, *data, log)
	if err := ensureSetupCode(st, *data, log); err != nil {
		return err
	}
	up, err := uf.client(st, siteName, log)
	if err != nil {
		return err
	}
	nt := nf.notifier(outlets, st, siteName, log)
	// After each sweep: findings at once, and the hub sees the devices
	// after the first sweep, not an upstream interval later.
	sc.swept = fr.Refresh
	if up != nil {
		first := sync.OnceFunc(up.Trigger)
		sc.swept = func() { fr.Refresh(); first() }
	}
	var watchStart atomic.Pointer[time.Time] // when the traffic watch began: statistics cover only what follows
	watchStarted := func() time.Time {
		if t := watchStart.Load(); t != nil {
			return *t
		}
		return time.Time{}
	}
	// Infrastructure counts as gone quiet a third of a window after it is
	// marked offline (20 minutes with the defaults), never before.
	fr.cfg = findings.Config{TriageAfter: *triageAfter, QuietAfter: grace + grace/3, EventWindow: *eventWindow}
	fr.events = recentEvents(st)
	fr.bulkBytes = bulkBytes(st, watchStarted)
	ui, err := webui.New(webui.Config{SiteName: siteName, SecureCookies: true, ScanNow: sc.scanNow,
		SetupCodeFile: filepath.Join(*data, setupCodeFile), Refresh: fr.Refresh,
		Settings: boxSettings(f, p, *interval, fingerprint),
		Events:   func(n int) ([]inventory.Event, error) { return st.Events(storage.EventQuery{Limit: n}) },
		Traffic:  siteTraffic(st), DeviceTraffic: deviceTraffic(st), Outlets: nt.outlets()}, st, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	srv := &http.Server{
		Handler:           ui.Handler(),
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	log.Info("serving web ui", "url", "https://"+ln.Addr().String()+"/", "cert_sha256", fingerprint, "interface", f.iface, "subnets", joinPrefixes(p.prefixes))

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return sc.Run(gctx) })
	g.Go(func() error { return pr.Run(gctx) })
	if *watch {
		w, err := newServeWatcher(f.iface, tf, st, log)
		if err != nil {
			return err
		}
		g.Go(func() error {
			now := time.Now()
			watchStart.Store(&now)
			return w.Run(gctx)
		})
	}
	g.Go(func() error { return fr.Run(gctx) })
	if up != nil {
		g.Go(func() error { return up.Run(gctx) })
	}
	if nt != nil {
		g.Go(func() error { return nt.Run(gctx) })
	}
	g.Go(func() error {
		if err := srv.ServeTLS(ln, "", ""); !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("web ui: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-gctx.Done()
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(gctx), 5*time.Second)
		defer cancel()
		return srv.Shutdown(shutdownCtx)
	})
	err = g.Wait()
	log.Info("stopped")
	return err
}

// scanner runs the discovery pipeline on a jittered interval, or at once
// when the UI asks, and applies what it finds to storage in batches.
type scanner struct {
	pipeline *pipeline
	store    *storage.Store
	judge    *judge
	log      *slog.Logger
	interval time.Duration
	trigger  chan struct{}
	swept    func() // called after each sweep is stored; nil for none
}

// scanNow asks for a sweep without waiting for it; a request while one is
// already queued is merged with it.
func (s *scanner) scanNow(context.Context) error {
	select {
	case s.trigger <- struct{}{}:
	default:
	}
	return nil
}

// Run sweeps until ctx ends; cancellation is not an error.
func (s *scanner) Run(ctx context.Context) error {
	for {
		s.once(ctx)
		jitter := time.Duration(rand.Int64N(int64(s.interval / 10)))
		select {
		case <-ctx.Done():
			return nil
		case <-s.trigger:
		case <-time.After(s.interval - s.interval/20 + jitter):
		}
	}
}

func (s *scanner) once(ctx context.Context) {
	var (
		mu    sync.Mutex
		batch []inventory.Observation
	)
	res, err := s.pipeline.run(ctx, func(o inventory.Observation) {
		mu.Lock()
		batch = append(batch, o)
		mu.Unlock()
	})
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		s.log.Error("sweep failed", "err", err)
		return
	}
	changed, err := s.store.Apply(batch...)
	if err != nil {
		s.log.Error("store observations", "err", err)
		return
	}
	s.log.Info("sweep done", "hosts", res.Sweep.Hosts, "snmp", res.SNMP, "changed", changed, "arp_sent", res.Sweep.Sent, "seconds", res.Duration.Seconds())
	s.judgeStored()
	if s.swept != nil {
		s.swept()
	}
}

// judgeStored re-judges every stored device (verdicts move with the date
// and the catalog as well as with what the sensors see) and stores the
// verdicts and age estimates that changed.
func (s *scanner) judgeStored() {
	devs, err := s.store.Devices()
	if err != nil {
		s.log.Error("read devices to judge", "err", err)
		return
	}
	changed, err := s.store.Apply(s.judge.verdicts(devs)...)
	if err != nil {
		s.log.Error("store verdicts", "err", err)
		return
	}
	if devs, err = s.store.Devices(); err == nil {
		s.log.Info("devices judged", "changed", changed, "catalog_date", s.judge.catalog().Date().Format(time.DateOnly), "forecast", forecastLine(s.judge.forecast(devs)))
	}
}

func hostname() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "tend"
}
