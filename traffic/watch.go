package traffic

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"tend/capture"
	"tend/inventory"
)

// Sink is where a live watch writes (storage.Store).
type Sink interface {
	AddEvents(evs ...inventory.Event) error
	Apply(obs ...inventory.Observation) (int, error)
	// PutHostStats stores each host's traffic during one rollup period.
	PutHostStats(ps ...inventory.HostTraffic) error
	// PruneTraffic drops events and statistics past their retention as of now.
	PruneTraffic(now time.Time) error
}

// WatchConfig is a live watch's source, engine settings and sink.
type WatchConfig struct {
	Open   func() (capture.Source, error) // the capture to read
	Engine Config
	// Observe turns a decoded packet into identity observations
	// (discovery's passive decoders); nil: none.
	Observe func(p *capture.Packet) []inventory.Observation
	// ObserveLog, when set, adds the observer's counters to each
	// rollup's log line (as slog key-value pairs).
	ObserveLog func() []any
	Sink       Sink
	// Hygiene, when set, keeps the tracker's records (Engine.Hygiene):
	// Restore runs once before the capture starts, Store every second
	// (hosts nil) and at each rollup with the hosts' totals.
	Hygiene *HygieneHooks
	Rollup  time.Duration // how often host statistics are written; 0: 5 minutes
	Log     *slog.Logger
}

// HygieneHooks store and restore the hygiene tracker's records.
type HygieneHooks struct {
	Restore func() error
	Store   func(hosts []HostStats, since time.Time) error
}

// Watch is the live passive watch: capture → engine (and the passive
// identity decoders) → sink. Events and observations go through bounded
// channels; when the sink cannot keep up they are dropped and counted.
type Watch struct {
	cfg    WatchConfig
	engine *Engine
	events chan inventory.Event
	source capture.Source
	kernel atomic.Pointer[func() capture.Stats] // source's Stats, for WatchStats from other goroutines

	eventsDropped atomic.Uint64
	obsDropped    atomic.Uint64
	hygieneFrom   time.Time // activity before it was noted already
}

// NewWatch prepares a watch; Run starts it.
func NewWatch(cfg WatchConfig) *Watch {
	if cfg.Rollup <= 0 {
		cfg.Rollup = 5 * time.Minute
	}
	w := &Watch{cfg: cfg, events: make(chan inventory.Event, 1024)}
	w.engine = New(cfg.Engine, func(ev inventory.Event) {
		select {
		case w.events <- ev:
		default:
			w.eventsDropped.Add(1)
		}
	})
	return w
}

// Engine is the watch's detector engine (for its counters and hosts).
func (w *Watch) Engine() *Engine { return w.engine }

// WatchStats is what a watch counted since it started, with everything it
// let go of to stay within its caps: the engine's counters (hosts beyond
// MaxHosts, trackers, suppressed and over-cap events), frames the kernel
// dropped, and events and observations the store did not keep up with.
type WatchStats struct {
	Counters
	KernelReceived      uint64 `json:"kernel_received"`
	KernelDropped       uint64 `json:"kernel_dropped"`
	EventsQueueDropped  uint64 `json:"events_queue_dropped"`
	ObservationsDropped uint64 `json:"observations_dropped"`
}

// Stats returns the watch's counters; safe to call while it runs.
func (w *Watch) Stats() WatchStats {
	s := WatchStats{Counters: w.engine.Counters(), EventsQueueDropped: w.eventsDropped.Load(), ObservationsDropped: w.obsDropped.Load()}
	if f := w.kernel.Load(); f != nil {
		k := (*f)()
		s.KernelReceived, s.KernelDropped = k.Received, k.Dropped
	}
	return s
}

// Run captures until ctx ends; cancellation is not an error.
func (w *Watch) Run(ctx context.Context) error {
	src, err := w.cfg.Open()
	if err != nil {
		return err
	}
	defer src.Close()
	if h := w.cfg.Hygiene; h != nil && h.Restore != nil {
		if err := h.Restore(); err != nil {
			return err
		}
	}
	w.source = src
	stats := src.Stats
	w.kernel.Store(&stats)
	obs := make(chan []inventory.Observation, 256)
	w.cfg.Log.Info("watching traffic", "gateway", w.cfg.Engine.Gateway, "learning", w.cfg.Engine.Learning)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return capture.Run(gctx, src, func(p *capture.Packet) {
			w.engine.Packet(p)
			if w.cfg.Observe == nil {
				return
			}
			if o := w.cfg.Observe(p); len(o) > 0 {
				select {
				case obs <- o:
				default:
					w.obsDropped.Add(1)
				}
			}
		})
	})
	g.Go(func() error { return w.write(gctx, obs) })
	return g.Wait()
}

// watchObsBatch bounds the observations a live watch holds between folds.
const watchObsBatch = 4096

// write stores events and observations as they come and rolls host
// statistics up every rollup period.
func (w *Watch) write(ctx context.Context, obs <-chan []inventory.Observation) error {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	rollup := time.NewTicker(w.cfg.Rollup)
	defer rollup.Stop()
	r := rollups{prev: map[string]HostStats{}, start: time.Now()}
	var batch []inventory.Event
	// Observations are folded once a second (or every watchObsBatch): the
	// store reads, classifies and writes each device once per batch, not
	// once per frame that mentions it.
	var pending []inventory.Observation
	apply := func() {
		if len(pending) == 0 {
			return
		}
		if _, err := w.cfg.Sink.Apply(pending...); err != nil {
			w.cfg.Log.Error("store observations", "err", err, "observations", len(pending))
		}
		clear(pending) // let go of the observations' strings
		pending = pending[:0]
	}
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if err := w.cfg.Sink.AddEvents(batch...); err != nil {
			w.cfg.Log.Error("store events", "err", err, "events", len(batch))
		}
		for _, ev := range batch {
			w.cfg.Log.Info("event", "type", ev.Type, "severity", ev.Severity, "mac", ev.MAC, "ip", ev.IP, "summary", ev.Summary)
		}
		batch = batch[:0]
	}
	for {
		select {
		case <-ctx.Done():
			w.engine.Flush() // scans still gathering targets
			for len(w.events) > 0 {
				batch = append(batch, <-w.events)
			}
			flush()
			apply()
			return nil
		case ev := <-w.events:
			if batch = append(batch, ev); len(batch) >= 256 {
				flush()
			}
		case o := <-obs:
			if pending = append(pending, o...); len(pending) >= watchObsBatch {
				apply()
			}
		case now := <-tick.C:
			w.engine.Tick(now)
			flush()
			apply()
			w.storeHygiene(nil)
		case now := <-rollup.C:
			flush()
			w.rollup(&r, now)
		}
	}
}

// rollup writes each host's traffic since the previous rollup and prunes.
func (w *Watch) rollup(r *rollups, now time.Time) {
	if tr := w.cfg.Engine.Hygiene; tr != nil {
		tr.Refresh() // a newer hygiene table file (FollowFile) applies from here
	}
	hosts := w.engine.Hosts()
	w.storeHygiene(hosts)
	if err := w.cfg.Sink.PutHostStats(r.next(hosts, now)...); err != nil {
		w.cfg.Log.Error("store host stats", "err", err)
	}
	if err := w.cfg.Sink.PruneTraffic(now); err != nil {
		w.cfg.Log.Error("prune events and host stats", "err", err)
	}
	c := w.engine.Counters()
	cs := w.source.Stats()
	var observed []any
	if w.cfg.ObserveLog != nil {
		observed = w.cfg.ObserveLog()
	}
	w.cfg.Log.Info("traffic rollup", append([]any{"hosts", c.Hosts, "packets", c.Packets, "kernel_received", cs.Received, "kernel_dropped", cs.Dropped,
		"events", c.Events, "events_dropped", w.eventsDropped.Load(), "observations_dropped", w.obsDropped.Load(), "hosts_untracked", c.HostsUntracked, "hosts_evicted", c.HostsEvicted, "bindings_evicted", c.BindingsEvicted, "malformed", c.Malformed,
		"trackers_dropped", c.TrackersDropped, "new_devices_suppressed", c.NewDevicesSuppressed, "events_over_cap", c.EventsDropped, "events_evicted", c.EventsEvicted}, observed...)...)
}

// storeHygiene writes the hygiene records that changed; hosts, when
// given, first note which tracked endpoints were active since the last call.
func (w *Watch) storeHygiene(hosts []HostStats) {
	h := w.cfg.Hygiene
	if h == nil || h.Store == nil {
		return
	}
	if err := h.Store(hosts, w.hygieneFrom); err != nil {
		w.cfg.Log.Error("store hygiene", "err", err)
	}
	if hosts != nil {
		w.hygieneFrom = time.Now()
	}
}

// rollups turns the engine's running host totals into per-period deltas.
type rollups struct {
	prev  map[string]HostStats // by MAC
	start time.Time
}

// next is each host's traffic since the previous call (hosts that moved no
// packets are left out); the period ends at now.
func (r *rollups) next(hosts []HostStats, now time.Time) []inventory.HostTraffic {
	var out []inventory.HostTraffic
	for _, h := range hosts {
		p := r.prev[h.MAC.String()]
		r.prev[h.MAC.String()] = h
		st := inventory.HostTraffic{MAC: h.MAC, IP: h.IP, Start: r.start, Period: now.Sub(r.start),
			BytesIn: h.BytesIn - p.BytesIn, BytesOut: h.BytesOut - p.BytesOut,
			PacketsIn: h.PacketsIn - p.PacketsIn, PacketsOut: h.PacketsOut - p.PacketsOut,
			Protocols: map[string]uint64{}}
		if st.PacketsIn+st.PacketsOut == 0 {
			continue
		}
		for _, pe := range h.Peers {
			st.Peers = append(st.Peers, inventory.PeerBytes{IP: pe.IP, Bytes: pe.Bytes})
		}
		for proto, n := range h.Protocols {
			if d := n - p.Protocols[proto]; d > 0 {
				st.Protocols[proto] = d
			}
		}
		out = append(out, st)
	}
	r.start = now
	return out
}
