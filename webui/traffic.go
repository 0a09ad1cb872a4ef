package webui

import (
	"time"

	"tend/inventory"
	"tend/storage"
)

// StoreTraffic is Config.Traffic from the store's rollups: the site's last
// 24 hours.
func StoreTraffic(st *storage.Store) func() []TrafficPoint {
	return func() []TrafficPoint {
		ps, err := st.SiteTraffic(time.Now().Add(-24 * time.Hour))
		if err != nil {
			return nil
		}
		out := make([]TrafficPoint, len(ps))
		for i, p := range ps {
			out[i] = TrafficPoint{Time: p.Start, Bytes: p.Bytes}
		}
		return out
	}
}

// StoreDeviceTraffic is Config.DeviceTraffic from the store's rollups: a
// device's last 24 hours.
func StoreDeviceTraffic(st *storage.Store) func(mac inventory.MAC) []TrafficPoint {
	return func(mac inventory.MAC) []TrafficPoint {
		hs, err := st.HostStats(mac, time.Now().Add(-24*time.Hour))
		if err != nil {
			return nil
		}
		out := make([]TrafficPoint, len(hs))
		for i, h := range hs {
			out[i] = TrafficPoint{Time: h.Start, Bytes: h.BytesIn + h.BytesOut}
		}
		return out
	}
}
