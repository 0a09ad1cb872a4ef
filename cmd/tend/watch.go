package main

import (
	"fmt"
	"log/slog"
	"net"
	"time"

	"tend/capture"
	"tend/discovery"
	"tend/storage"
	"tend/traffic"
)

// newWatcher prepares serve's live watch on iface: the box's own MAC is
// excluded from sweep and scan detection and, when no gateway is
// configured, the default route's gateway on iface is used.
func newWatcher(iface string, tf trafficFlags, st *storage.Store, log *slog.Logger) (*traffic.Watch, error) {
	cfg, err := tf.config()
	if err != nil {
		return nil, err
	}
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
	return traffic.NewWatch(traffic.WatchConfig{
		Open:    func() (capture.Source, error) { return capture.Listen(iface, capture.Config{}) },
		Engine:  cfg,
		Observe: passiveObserver(discovery.PassiveConfig{Own: cfg.Self, Prefixes: prefixes}),
		Sink:    watchSink{st},
		Log:     log.With("component", "watch", "interface", iface),
	}), nil
}

// watchSink is traffic.Sink over storage.
type watchSink struct{ *storage.Store }

func (s watchSink) PutPeriods(ps []traffic.Period) error {
	out := make([]storage.HostStat, len(ps))
	for i, p := range ps {
		out[i] = storage.HostStat{MAC: p.MAC, IP: p.IP, Start: p.Start, Period: p.Length, BytesIn: p.BytesIn, BytesOut: p.BytesOut,
			PacketsIn: p.PacketsIn, PacketsOut: p.PacketsOut, Protocols: p.Protocols}
		for _, pe := range p.Peers {
			out[i].Peers = append(out[i].Peers, storage.StatPeer{IP: pe.IP, Bytes: pe.Bytes})
		}
	}
	return s.PutHostStats(out...)
}

func (s watchSink) Prune(now time.Time) error {
	if _, err := s.PruneEvents(now, 0, 0); err != nil {
		return err
	}
	_, err := s.PruneHostStats(now, 0)
	return err
}
