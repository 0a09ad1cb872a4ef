package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"tend/capture"
	"tend/discovery"
	"tend/inventory"
	"tend/storage"
	"tend/traffic"
)

// watcher is the live passive watch: capture → traffic engine (and the
// passive identity observer) → storage. Events go through a bounded
// channel; when storage cannot keep up they are dropped and counted.
type watcher struct {
	open    func() (capture.Source, error)
	cfg     traffic.Config
	store   *storage.Store
	observe observer
	log     *slog.Logger
	rollup  time.Duration // how often host statistics are written

	engine        *traffic.Engine
	events        chan inventory.Event
	source        capture.Source
	hygieneFrom   time.Time // activity before it was noted already
	eventsDropped atomic.Uint64
	obsDropped    atomic.Uint64
}

// newWatcher prepares a watch on iface: the box's own MAC is excluded from
// sweep and scan detection and, when no gateway is configured, the default
// route's gateway on iface is used.
func newWatcher(iface string, cfg traffic.Config, st *storage.Store, log *slog.Logger) (*watcher, error) {
	ifi, err := net.InterfaceByName(iface)
	if err != nil {
		return nil, fmt.Errorf("watch: interface %s: %w", iface, err)
	}
	if len(ifi.HardwareAddr) == 6 {
		cfg.Self = append(cfg.Self, ifi.HardwareAddr)
	}
	if !cfg.Gateway.IsValid() {
		if gw, err := discovery.DefaultGateway("/proc/net/route", iface); err == nil {
			cfg.Gateway = gw
		}
	}
	prefixes, _ := discovery.InterfacePrefixes(ifi) // none: observations carry MACs alone
	w := &watcher{
		open: func() (capture.Source, error) { return capture.Listen(iface, capture.Config{}) },
		cfg:  cfg, store: st, rollup: 5 * time.Minute,
		observe: passiveObserver(discovery.PassiveConfig{Own: cfg.Self, Prefixes: prefixes}),
		log:     log.With("component", "watch", "interface", iface),
	}
	w.prepare()
	return w, nil
}

// prepare makes the engine and the bounded event channel it feeds; an
// event that finds the channel full is dropped and counted.
func (w *watcher) prepare() {
	w.events = make(chan inventory.Event, 1024)
	w.engine = traffic.New(w.cfg, func(ev inventory.Event) {
		select {
		case w.events <- ev:
		default:
			w.eventsDropped.Add(1)
		}
	})
}

// Run captures until ctx ends; cancellation is not an error.
func (w *watcher) Run(ctx context.Context) error {
	src, err := w.open()
	if err != nil {
		return err
	}
	defer src.Close()
	if err := restoreHygiene(w.store, w.cfg.Hygiene); err != nil {
		return err
	}
	w.source = src
	obs := make(chan []inventory.Observation, 256)
	w.log.Info("watching traffic", "gateway", w.cfg.Gateway, "learning", w.cfg.Learning)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return capture.Run(gctx, src, func(p *capture.Packet) {
			w.engine.Packet(p)
			if w.observe == nil {
				return
			}
			if o := w.observe(p); len(o) > 0 {
				select {
				case obs <- o:
				default:
					w.obsDropped.Add(1)
				}
			}
		})
	})
	g.Go(func() error { return w.write(gctx, w.events, obs) })
	return g.Wait()
}

// write stores events and observations as they come and rolls host
// statistics up every w.rollup.
func (w *watcher) write(ctx context.Context, events <-chan inventory.Event, obs <-chan []inventory.Observation) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	rollup := time.NewTicker(w.rollup)
	defer rollup.Stop()
	prev := map[string]traffic.HostStats{}
	periodStart := time.Now()
	var batch []inventory.Event
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if err := w.store.AddEvents(batch...); err != nil {
			w.log.Error("store events", "err", err, "events", len(batch))
		}
		for _, ev := range batch {
			w.log.Info("event", "type", ev.Type, "severity", ev.Severity, "mac", ev.MAC, "ip", ev.IP, "summary", ev.Summary)
		}
		batch = batch[:0]
	}
	for {
		select {
		case <-ctx.Done():
			flush()
			return nil
		case ev := <-events:
			batch = append(batch, ev)
			if len(batch) >= 256 {
				flush()
			}
		case o := <-obs:
			if _, err := w.store.Apply(o...); err != nil {
				w.log.Error("store observations", "err", err)
			}
		case now := <-tick.C:
			w.engine.Tick(now)
			flush()
			w.storeHygiene(nil)
		case now := <-rollup.C:
			flush()
			w.rollupStats(prev, periodStart, now)
			periodStart = now
			if _, err := w.store.PruneEvents(now, 0, 0); err != nil {
				w.log.Error("prune events", "err", err)
			}
			if _, err := w.store.PruneHostStats(now, 0); err != nil {
				w.log.Error("prune host stats", "err", err)
			}
		}
	}
}

// rollupStats writes each host's traffic since the previous rollup.
func (w *watcher) rollupStats(prev map[string]traffic.HostStats, start, now time.Time) {
	var out []storage.HostStat
	hosts := w.engine.Hosts()
	w.storeHygiene(hosts)
	for _, h := range hosts {
		k := h.MAC.String()
		p := prev[k]
		prev[k] = h
		st := storage.HostStat{MAC: h.MAC, IP: h.IP, Start: start, Period: now.Sub(start),
			BytesIn: h.BytesIn - p.BytesIn, BytesOut: h.BytesOut - p.BytesOut,
			PacketsIn: h.PacketsIn - p.PacketsIn, PacketsOut: h.PacketsOut - p.PacketsOut,
			Protocols: map[string]uint64{}}
		if st.PacketsIn+st.PacketsOut == 0 {
			continue
		}
		for proto, n := range h.Protocols {
			if d := n - p.Protocols[proto]; d > 0 {
				st.Protocols[proto] = d
			}
		}
		for _, pe := range h.Peers {
			st.Peers = append(st.Peers, storage.StatPeer{IP: pe.IP, Bytes: pe.Bytes})
		}
		out = append(out, st)
	}
	if err := w.store.PutHostStats(out...); err != nil {
		w.log.Error("store host stats", "err", err)
	}
	c := w.engine.Counters()
	cs := w.source.Stats()
	w.log.Info("traffic rollup", "hosts", c.Hosts, "packets", c.Packets, "kernel_received", cs.Received, "kernel_dropped", cs.Dropped,
		"events", c.Events, "events_dropped", w.eventsDropped.Load(), "observations_dropped", w.obsDropped.Load(), "hosts_untracked", c.HostsUntracked, "malformed", c.Malformed,
		"trackers_dropped", c.TrackersDropped, "new_devices_suppressed", c.NewDevicesSuppressed, "events_over_cap", c.EventsDropped)
}

// storeHygiene writes the hygiene records that changed; hosts, when
// given, first note which tracked endpoints were active since the last call.
func (w *watcher) storeHygiene(hosts []traffic.HostStats) {
	if w.cfg.Hygiene == nil {
		return
	}
	if err := storeHygiene(w.store, w.cfg.Hygiene, hosts, w.hygieneFrom); err != nil {
		w.log.Error("store hygiene", "err", err)
	}
	if hosts != nil {
		w.hygieneFrom = time.Now()
	}
}

// newServeWatcher builds serve's watcher from its flags.
func newServeWatcher(iface string, tf trafficFlags, st *storage.Store, log *slog.Logger) (*watcher, error) {
	cfg, err := tf.config()
	if err != nil {
		return nil, err
	}
	return newWatcher(iface, cfg, st, log)
}
