package main

import (
	"time"

	"tend/inventory"
	"tend/storage"
	"tend/webui"
)

// The data feeds serve passes between packages that may not import each
// other: events and traffic statistics from storage to the findings rules
// and the UI's charts.

// recentEvents returns the events since a moment, newest first, bounded.
func recentEvents(st *storage.Store) func(since time.Time) ([]inventory.Event, error) {
	return func(since time.Time) ([]inventory.Event, error) {
		return st.Events(storage.EventQuery{Since: since, Limit: 5000})
	}
}

// bulkBytes answers the backup-target rule: how many bytes a device moved
// in a window, and whether the statistics cover that window at all (the
// watch must have run through it; otherwise the rule stays silent).
func bulkBytes(st *storage.Store, watchStart func() time.Time) func(mac inventory.MAC, since, until time.Time) (uint64, bool) {
	return func(mac inventory.MAC, since, until time.Time) (uint64, bool) {
		ws := watchStart()
		if ws.IsZero() || ws.After(since) {
			return 0, false
		}
		hs, err := st.HostStats(mac, since)
		if err != nil {
			return 0, false
		}
		var n uint64
		for _, h := range hs {
			if h.Start.Before(until) {
				n += h.BytesIn + h.BytesOut
			}
		}
		return n, true
	}
}

// siteTraffic is the dashboard chart: the last 24 hours of rollups.
func siteTraffic(st *storage.Store) func() []webui.TrafficPoint {
	return func() []webui.TrafficPoint {
		ps, err := st.SiteTraffic(time.Now().Add(-24 * time.Hour))
		if err != nil {
			return nil
		}
		out := make([]webui.TrafficPoint, len(ps))
		for i, p := range ps {
			out[i] = webui.TrafficPoint{Time: p.Start, Bytes: p.Bytes}
		}
		return out
	}
}

// deviceTraffic is a device page's chart: its last 24 hours of rollups.
func deviceTraffic(st *storage.Store) func(mac inventory.MAC) []webui.TrafficPoint {
	return func(mac inventory.MAC) []webui.TrafficPoint {
		hs, err := st.HostStats(mac, time.Now().Add(-24*time.Hour))
		if err != nil {
			return nil
		}
		out := make([]webui.TrafficPoint, len(hs))
		for i, h := range hs {
			out[i] = webui.TrafficPoint{Time: h.Start, Bytes: h.BytesIn + h.BytesOut}
		}
		return out
	}
}
