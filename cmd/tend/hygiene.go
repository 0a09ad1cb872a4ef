package main

import (
	"tend/storage"
	"tend/traffic"
	"time"
)

// restoreHygiene loads the stored hygiene records into the tracker, so its
// day counts go on across restarts.
func restoreHygiene(st *storage.Store, tr *traffic.HygieneTracker) error {
	if tr == nil {
		return nil
	}
	devs, err := st.Devices()
	if err != nil {
		return err
	}
	for _, d := range devs {
		if d.Hygiene != nil {
			tr.Restore(d.MAC, *d.Hygiene)
		}
	}
	return nil
}

// storeHygiene notes the endpoints in hosts that sent traffic after since
// as active, then writes every record that changed (tracked endpoints the
// store has no device for yet are tried again next time).
func storeHygiene(st *storage.Store, tr *traffic.HygieneTracker, hosts []traffic.HostStats, since time.Time) error {
	if tr == nil {
		return nil
	}
	for _, h := range hosts {
		if h.Sent && h.LastSeen.After(since) {
			tr.NoteActive(h.MAC, h.LastSeen)
		}
	}
	var recs []storage.HygieneRecord
	for _, m := range tr.Changed() {
		recs = append(recs, storage.HygieneRecord{MAC: m, Hygiene: tr.Device(m)})
	}
	if len(recs) == 0 {
		return nil
	}
	_, missing, err := st.PutHygiene(recs...)
	for _, m := range missing {
		tr.Retry(m)
	}
	return err
}

// hygieneHooks keep the watch's hygiene records in st; nil without a tracker.
func hygieneHooks(st *storage.Store, tr *traffic.HygieneTracker) *traffic.HygieneHooks {
	if tr == nil {
		return nil
	}
	return &traffic.HygieneHooks{
		Restore: func() error { return restoreHygiene(st, tr) },
		Store:   func(hosts []traffic.HostStats, since time.Time) error { return storeHygiene(st, tr, hosts, since) },
	}
}
