package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"tend/settings"
	"time"

	"golang.org/x/sync/errgroup"

	"tend/discovery"
	"tend/findings"
	"tend/identity"
	"tend/internal/pageout"
	"tend/inventory"
	"tend/lifecycle"
	"tend/notify"
	"tend/storage"
	"tend/survey"
	"tend/traffic"
	"tend/upstream"
	"tend/webkit"
	"tend/webui"
)

// serveOptions are serve's flags (or settings-file lines).
type serveOptions struct {
	disc                                discoveryFlags
	data, listen, site                  string
	interval, triageAfter, offlineAfter time.Duration
	eventWindow, rollup                 time.Duration
	verbose, watch                      bool
	traffic                             traffic.Flags
	up                                  upstreamFlags
	notify                              notifyFlags
	memLimit                            settings.MemoryLimit
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
	fs.DurationVar(&o.rollup, "rollup", 5*time.Minute, "how often the watch writes each host's traffic (a point of the traffic charts); shorter wears flash faster")
	o.traffic.Register(fs, 10*time.Minute)
	o.up.register(fs)
	o.notify.register(fs)
	o.memLimit.Register(fs) // applies the default at once, a given value as it is parsed
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
	if err := settings.Parse(fs, e.args); err != nil {
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
	if o.rollup < 10*time.Second {
		return fmt.Errorf("--rollup %s is too short: at least 10s", o.rollup)
	}
	sv, err := o.disc.survey(log, false)
	if err != nil {
		return err
	}
	st, err := openStore(o.data)
	if err != nil {
		return err
	}
	defer st.Close()
	st.SetClassifyHints(identity.ClassifyHints{Gateways: discovery.Gateways(o.disc.iface)})
	cert, fingerprint, err := webkit.EnsureCertificate(o.data)
	if err != nil {
		return err
	}
	cc := lifecycle.DataDirConfig(o.data)
	cc.Log = log
	j, err := lifecycle.NewCurrent(cc)
	if err != nil {
		return err
	}
	judged := func() { j.JudgeStored(st, log, true) }
	pr := &storage.Presence{Store: st, Grace: o.grace(), Tick: min(o.grace()/4, time.Minute), Now: time.Now, Log: log.With("component", "presence"),
		After: func() { j.JudgeStored(st, log, false) }}
	sc := &survey.Scanner{Survey: sv, Interval: o.interval, Apply: st.Apply, Log: log.With("component", "scanner")}
	var watchStart atomic.Pointer[time.Time] // when the traffic watch began: statistics cover only what follows
	fr, up, nt, ui, err := o.wire(st, sv, sc, judged, outlets, fingerprint, &watchStart, log)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.listen, err)
	}
	log.Info("serving web ui", "url", "https://"+ln.Addr().String()+"/", "cert_sha256", fingerprint, "interface", o.disc.iface, "subnets", survey.JoinPrefixes(sv.Prefixes()), "memory_limit", o.memLimit.InForce())

	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return sc.Run(gctx) })
	g.Go(func() error { return pr.Run(gctx) })
	g.Go(func() error { return pageout.After(gctx, time.Minute, log) }) // start-up-only code out of RSS
	if o.watch {
		w, err := newWatcher(o.disc.iface, o.data, o.traffic, o.rollup, st, log)
		if err != nil {
			return err
		}
		ui.SetWatch(watchCounters(w))
		g.Go(func() error {
			watchStart.Store(new(time.Now()))
			return w.Run(gctx)
		})
	}
	g.Go(func() error { return fr.Run(gctx) })
	if up != nil {
		g.Go(func() error { return up.Run(gctx) })
	}
	if nt != nil {
		g.Go(func() error { return nt.Watch(gctx, o.notify.every, webui.ActiveProblems(st)) })
	}
	g.Go(func() error { return webkit.ServeTLS(gctx, ln, ui.Handler(), cert, log) })
	err = g.Wait()
	log.Info("stopped")
	return err
}

// wire builds what serve runs around the store and the scanner: the
// findings runner, the upstream client (nil without --upstream), the
// notifier (nil without --notify) and the web UI, and hooks them to each other.
func (o *serveOptions) wire(st *storage.Store, sv *survey.Survey, sc *survey.Scanner, judged func(), outlets []*notify.Endpoint, fingerprint string,
	watchStart *atomic.Pointer[time.Time], log *slog.Logger) (*findings.Runner, *upstream.Client, *notify.Dispatcher, *webui.Server, error) {
	siteName := o.site
	if siteName == "" {
		siteName = hostname()
	}
	if err := webui.EnsureSetupCode(st, o.data, log); err != nil {
		return nil, nil, nil, nil, err
	}
	// Infrastructure counts as gone quiet a third of a window after it is
	// marked offline (20 minutes with the defaults), never before.
	fr := findings.NewRunner(findings.RunnerConfig{Store: st, Log: log, Before: webui.SetupCodeKeeper(st, o.data, log),
		Rules: findings.Config{TriageAfter: o.triageAfter, QuietAfter: o.grace() + o.grace()/3, EventWindow: o.eventWindow},
		Events: func(since time.Time) ([]inventory.Event, error) {
			return st.Events(storage.EventQuery{Since: since, Limit: 5000})
		},
		BulkBytes: func(mac inventory.MAC, since, until time.Time) (uint64, bool) {
			// The watch must have run through the window, else the rule stays silent.
			if ws := watchStart.Load(); ws == nil || ws.After(since) {
				return 0, false
			}
			n, err := st.BytesMoved(mac, since, until)
			return n, err == nil
		}})
	up, err := o.up.client(st, siteName, log)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	nt := o.notify.notifier(outlets, st, siteName, log)
	// After each sweep: verdicts, findings at once, and the hub sees the
	// devices after the first sweep, not an upstream interval later.
	sc.Swept = func() { judged(); fr.Refresh() }
	if up != nil {
		first := sync.OnceFunc(up.Trigger)
		sc.Swept = func() { judged(); fr.Refresh(); first() }
	}
	box := o.box(sv.Prefixes(), fingerprint)
	var outletsPage webui.Outlets // nil without outlets (never a typed nil)
	if nt != nil {
		outletsPage = nt
	}
	ui, err := webui.New(webui.Config{SiteName: siteName, SecureCookies: true, ScanNow: sc.ScanNow,
		SetupCodeFile: filepath.Join(o.data, webui.SetupCodeFile), Refresh: fr.Refresh,
		Settings: func() webui.BoxSettings { return box },
		Events:   func(n int) ([]inventory.Event, error) { return st.Events(storage.EventQuery{Limit: n}) },
		Traffic:  webui.StoreTraffic(st), DeviceTraffic: webui.StoreDeviceTraffic(st), Outlets: outletsPage}, st, log)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return fr, up, nt, ui, nil
}

// box is the settings page's view of serve's options: credentials only as
// counts (none given: "public"), the hub by name.
func (o *serveOptions) box(subnets []netip.Prefix, fingerprint string) webui.BoxSettings {
	b := webui.BoxSettings{Interface: o.disc.iface, ScanInterval: o.interval, SNMPCommunities: max(len(o.disc.communities), 1),
		SNMPv3Users: len(o.disc.v3users), Upstream: upstream.HubName(o.up.url), CertSHA256: fingerprint,
		Subnets: survey.PrefixStrings(subnets), Gateway: o.traffic.Gateway, DHCPServers: o.traffic.DHCPServers, IPv6Routers: o.traffic.IPv6Routers}
	for _, k := range o.traffic.KnownScanners {
		b.KnownScanners = append(b.KnownScanners, k.Text)
	}
	return b
}

func hostname() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "tend"
}
