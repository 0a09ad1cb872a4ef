package traffic

import (
	"time"

	"tend/inventory"
)

// HygieneStore is where the tracker's records are kept (storage.Store):
// the stored devices, whose hygiene records carry the day counts across
// restarts, and a writer of changed records that names the endpoints it
// has no device for yet.
type HygieneStore interface {
	Devices() ([]inventory.Device, error)
	PutHygieneOf(macs []inventory.MAC, record func(inventory.MAC) inventory.Hygiene) (missing []inventory.MAC, err error)
}

// RestoreFrom loads every stored hygiene record into the tracker, so its
// day counts go on across restarts. A nil tracker does nothing.
func (t *HygieneTracker) RestoreFrom(st HygieneStore) error {
	if t == nil {
		return nil
	}
	devs, err := st.Devices()
	if err != nil {
		return err
	}
	for _, d := range devs {
		if d.Hygiene != nil {
			t.Restore(d.MAC, *d.Hygiene)
		}
	}
	return nil
}

// Save notes the endpoints in hosts that sent traffic after since as
// active, then writes every record that changed; endpoints the store has
// no device for yet are tried again next time. A nil tracker does nothing.
func (t *HygieneTracker) Save(st HygieneStore, hosts []HostStats, since time.Time) error {
	if t == nil {
		return nil
	}
	for _, h := range hosts {
		if h.Sent && h.LastSeen.After(since) {
			t.NoteActive(h.MAC, h.LastSeen)
		}
	}
	changed := t.Changed()
	if len(changed) == 0 {
		return nil
	}
	missing, err := st.PutHygieneOf(changed, t.Device)
	for _, m := range missing {
		t.Retry(m)
	}
	return err
}

// Hooks keep the watch's hygiene records in st; nil for a nil tracker.
func (t *HygieneTracker) Hooks(st HygieneStore) *HygieneHooks {
	if t == nil {
		return nil
	}
	return &HygieneHooks{
		Restore: func() error { return t.RestoreFrom(st) },
		Store:   func(hosts []HostStats, since time.Time) error { return t.Save(st, hosts, since) },
	}
}

// NewDefaultHygiene is a tracker over the built-in hygiene catalog with
// the default bound on tracked endpoints: serve's and replay's --hygiene.
func NewDefaultHygiene() (*HygieneTracker, error) {
	cat, err := OpenHygieneCatalog()
	if err != nil {
		return nil, err
	}
	return NewHygieneTracker(cat, 0), nil
}
