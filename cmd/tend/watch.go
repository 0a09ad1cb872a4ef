package main

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"tend/capture"
	"tend/discovery"
	"tend/storage"
	"tend/traffic"
)

// newWatcher prepares serve's live watch on iface: the box's own MAC is
// excluded from sweep and scan detection and, when no gateway is
// configured, the default route's gateway on iface is used.
func newWatcher(iface string, tf trafficFlags, rollup time.Duration, st *storage.Store, log *slog.Logger) (*traffic.Watch, error) {
	cfg, err := tf.config()
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
	if cfg.Hygiene != nil && tf.dataDir != "" {
		cfg.Hygiene.FollowFile(filepath.Join(tf.dataDir, traffic.HygieneFileName), log)
		cfg.Hygiene.Refresh() // before the stored records are restored against it
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
