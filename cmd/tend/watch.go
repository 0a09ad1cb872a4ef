package main

import (
	"fmt"
	"log/slog"
	"time"

	"tend/capture"
	"tend/discovery"
	"tend/storage"
	"tend/traffic"
	"tend/webui"
)

// newWatcher prepares serve's live watch on iface: the box's own MAC is
// excluded from sweep and scan detection and, when no gateway is
// configured, the default route's gateway on iface is used.
func newWatcher(iface, dataDir string, tf traffic.Flags, rollup time.Duration, st *storage.Store, log *slog.Logger) (*traffic.Watch, error) {
	cfg, err := tf.Config(dataDir, log)
	if err != nil {
		return nil, err
	}
	lan, err := discovery.LookupLAN(iface)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	if len(lan.MAC) == 6 {
		cfg.Self = append(cfg.Self, lan.MAC)
	}
	if !cfg.Gateway.IsValid() {
		cfg.Gateway = lan.Gateway
	}
	passive := discovery.NewPassive(discovery.PassiveConfig{Own: cfg.Self, Prefixes: lan.Prefixes})
	return traffic.NewWatch(traffic.WatchConfig{
		Open:    func() (capture.Source, error) { return capture.Listen(iface, capture.Config{}) },
		Engine:  cfg,
		Observe: passive.Packet,
		ObserveLog: func() []any {
			s := passive.Stats()
			return []any{"passive_frames", s.Frames, "passive_decoded", s.Decoded, "passive_malformed", s.Malformed}
		},
		Sink:    st,
		Hygiene: cfg.Hygiene.Hooks(st),
		Rollup:  rollup,
		Log:     log.With("component", "watch", "interface", iface),
	}), nil
}

// watchCounters hands the watch's counters to the settings page.
func watchCounters(w *traffic.Watch) func() webui.WatchCounters {
	return func() webui.WatchCounters {
		s := w.Stats()
		return webui.WatchCounters{Packets: s.Packets, Malformed: s.Malformed, Hosts: s.Hosts,
			HostsUntracked: s.HostsUntracked, HostsEvicted: s.HostsEvicted, BindingsEvicted: s.BindingsEvicted, TrackersDropped: s.TrackersDropped, EventsDropped: s.EventsDropped,
			EventsSuppressed: s.EventsSuppressed, NewDevicesSuppressed: s.NewDevicesSuppressed,
			KernelDropped: s.KernelDropped, EventsQueueDropped: s.EventsQueueDropped, ObservationsDropped: s.ObservationsDropped}
	}
}
