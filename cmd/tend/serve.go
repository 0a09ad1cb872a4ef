package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"tend/discovery"
	"tend/findings"
	"tend/inventory"
	"tend/notify"
	"tend/storage"
	"tend/upstream"
	"tend/webkit"
	"tend/webui"
)

// serveOptions are serve's flags (or settings-file lines).
type serveOptions struct {
	disc                                discoveryFlags
	data, listen, site                  string
	interval, triageAfter, offlineAfter time.Duration
	eventWindow                         time.Duration
	verbose, watch                      bool
	traffic                             trafficFlags
	up                                  upstreamFlags
	notify                              notifyFlags
}

func (o *serveOptions) register(fs *flag.FlagSet) {
	o.disc.register(fs)
	fs.StringVar(&o.data, "data", "", "the data directory: database, TLS certificate (required)")
	fs.StringVar(&o.listen, "listen", ":443", "the web UI's address")
	fs.StringVar(&o.site, "site", "", "the client site's name, shown in the UI (default: the host name)")
	fs.DurationVar(&o.interval, "scan-interval", 5*time.Minute, "time between active sweeps (each is jittered by up to 10%)")
	fs.DurationVar(&o.triageAfter, "triage-after", time.Hour, "how long an unidentified device may stay unlabelled before it is an action")
	fs.DurationVar(&o.eventWindow, "event-window", 7*24*time.Hour, "how long an event (a rogue DHCP server, a scan) keeps its action open after it was last seen")
	fs.DurationVar(&o.offlineAfter, "offline-after", 0, "mark a device offline when nothing was heard from it for this long (default: 3 scan intervals)")
	fs.BoolVar(&o.verbose, "v", false, "debug logging")
	fs.BoolVar(&o.watch, "watch", true, "watch traffic passively on --interface for anomalies (see watch.go)")
	o.traffic.register(fs, 10*time.Minute)
	o.up.register(fs)
	o.notify.register(fs)
}

// grace is the presence window: --offline-after, or three scan intervals.
func (o *serveOptions) grace() time.Duration {
	if o.offlineAfter > 0 {
		return o.offlineAfter
	}
	return 3 * o.interval
}

func runServe(ctx context.Context, e env) error {
	fs := newFlagSet("serve", "", e)
	var o serveOptions
	o.register(fs)
	if err := parseWithConfig(fs, e.args); err != nil {
		return err
	}
	outlets, err := o.notify.parse() // a malformed --notify URL stops serve here
	if err != nil {
		return err
	}
	log := e.logger(slog.LevelInfo, o.verbose)
	if o.interval < 10*time.Second {
		return fmt.Errorf("--scan-interval %s is too short: at least 10s, so the LAN is not flooded", o.interval)
	}
	p, err := newPipeline(o.disc, log)
	if err != nil {
		return err
	}
	st, err := openStore(o.data)
	if err != nil {
		return err
	}
	defer st.Close()
	st.SetClassifyHints(lanHints(o.disc.iface))
	cert, fingerprint, err := webkit.EnsureCertificate(o.data)
	if err != nil {
		return err
	}
	j, err := newJudge(dataCatalogPath(o.data), log)
	if err != nil {
		return err
	}
	pr := &presence{store: st, grace: o.grace(), tick: min(o.grace()/4, time.Minute), now: time.Now, log: log.With("component", "presence"),
		judge: func() {
			if _, err := judgeStore(j, st); err != nil {
				log.Error("judge devices", "err", err)
			}
		}}
	sc := &scanner{pipeline: p, store: st, judge: j, log: log.With("component", "scanner"), interval: o.interval, trigger: make(chan struct{}, 1)}
	var watchStart atomic.Pointer[time.Time] // when the traffic watch began: statistics cover only what follows
	fr, up, nt, ui, err := o.wire(st, p, sc, outlets, fingerprint, func() time.Time {
		if t := watchStart.Load(); t != nil {
			return *t
		}
		return time.Time{}
	}, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.listen, err)
	}
	log.Info("serving web ui", "url", "https://"+ln.Addr().String()+"/", "cert_sha256", fingerprint, "interface", o.disc.iface, "subnets", joinPrefixes(p.prefixes))

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return sc.Run(gctx) })
	g.Go(func() error { return pr.Run(gctx) })
	if o.watch {
		w, err := newServeWatcher(o.disc.iface, o.traffic, st, log)
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
	g.Go(func() error { return serveTLS(gctx, ln, ui.Handler(), cert, log) })
	err = g.Wait()
	log.Info("stopped")
	return err
}

// wire builds what serve runs around the store and the scanner: the
// findings runner, the upstream client (nil without --upstream), the
// notifier (nil without --notify) and the web UI, and hooks them to each other.
func (o *serveOptions) wire(st *storage.Store, p *pipeline, sc *scanner, outlets []*notify.Endpoint, fingerprint string, watchStarted func() time.Time,
	log *slog.Logger) (*findingsRunner, *upstream.Client, *notifier, *webui.Server, error) {
	siteName := o.site
	if siteName == "" {
		siteName = hostname()
	}
	fr := newFindingsRunner(st, o.data, log)
	if err := webui.EnsureSetupCode(st, o.data, log); err != nil {
		return nil, nil, nil, nil, err
	}
	up, err := o.up.client(st, siteName, log)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	nt := o.notify.notifier(outlets, st, siteName, log)
	// After each sweep: findings at once, and the hub sees the devices
	// after the first sweep, not an upstream interval later.
	sc.swept = fr.Refresh
	if up != nil {
		first := sync.OnceFunc(up.Trigger)
		sc.swept = func() { fr.Refresh(); first() }
	}
	// Infrastructure counts as gone quiet a third of a window after it is
	// marked offline (20 minutes with the defaults), never before.
	fr.cfg = findings.Config{TriageAfter: o.triageAfter, QuietAfter: o.grace() + o.grace()/3, EventWindow: o.eventWindow}
	fr.events = recentEvents(st)
	fr.bulkBytes = bulkBytes(st, watchStarted)
	ui, err := webui.New(webui.Config{SiteName: siteName, SecureCookies: true, ScanNow: sc.scanNow,
		SetupCodeFile: filepath.Join(o.data, webui.SetupCodeFile), Refresh: fr.Refresh,
		Settings: boxSettings(o.disc, p, o.interval, fingerprint),
		Events:   func(n int) ([]inventory.Event, error) { return st.Events(storage.EventQuery{Limit: n}) },
		Traffic:  siteTraffic(st), DeviceTraffic: deviceTraffic(st), Outlets: nt.outlets()}, st, log)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return fr, up, nt, ui, nil
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
		select {
		case <-ctx.Done():
			return nil
		case <-s.trigger:
		case <-time.After(discovery.Periodic{Every: s.interval}.Next()):
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

// judgeStored re-judges every stored device and logs the forecast.
func (s *scanner) judgeStored() {
	changed, err := judgeStore(s.judge, s.store)
	if err != nil {
		s.log.Error("judge devices", "err", err)
		return
	}
	if devs, err := s.store.Devices(); err == nil {
		s.log.Info("devices judged", "changed", changed, "catalog_date", s.judge.Catalog().Date().Format(time.DateOnly), "forecast", forecastLine(s.judge.Forecast(devs)))
	}
}

func hostname() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "tend"
}
