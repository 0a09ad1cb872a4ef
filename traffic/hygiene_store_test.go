package traffic

import (
	"testing"
	"time"

	"tend/inventory"
)

// fakeHygieneStore holds devices by MAC string; known says which MACs have
// a device record (the others come back as missing).
type fakeHygieneStore struct {
	known map[string]bool
	saved map[string]inventory.Hygiene
}

func (f *fakeHygieneStore) Devices() ([]inventory.Device, error) {
	var out []inventory.Device
	for m, h := range f.saved {
		mac, _ := inventory.ParseMAC(m)
		out = append(out, inventory.Device{MAC: mac, Hygiene: &h})
	}
	return out, nil
}

func (f *fakeHygieneStore) PutHygieneOf(macs []inventory.MAC, record func(inventory.MAC) inventory.Hygiene) ([]inventory.MAC, error) {
	var missing []inventory.MAC
	for _, m := range macs {
		if !f.known[m.String()] {
			missing = append(missing, m)
			continue
		}
		f.saved[m.String()] = record(m)
	}
	return missing, nil
}

// TestHygieneSaveRetriesAndRestores: Save writes the changed record of a
// known device, keeps an unknown one for the next Save, and a new tracker
// restored from the store counts on from the saved days.
func TestHygieneSaveRetriesAndRestores(t *testing.T) {
	c, _ := OpenHygieneCatalog()
	pc, _ := inventory.ParseMAC("00:11:22:33:44:59")
	day := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	q := dnsMessage(t, "eu.wdcp.microsoft.com", false)
	st := &fakeHygieneStore{known: map[string]bool{}, saved: map[string]inventory.Hygiene{}}
	a := NewHygieneTracker(c, 0)
	a.ObservePayload(pc, true, lanDNS, 53, q, day)
	if err := a.Save(st, nil, time.Time{}); err != nil || len(st.saved) != 0 {
		t.Fatalf("saved %v (%v) for a device the store does not have", st.saved, err)
	}
	st.known[pc.String()] = true
	if err := a.Save(st, []HostStats{{MAC: pc, Sent: true, LastSeen: day.Add(24 * time.Hour)}}, day); err != nil {
		t.Fatal(err)
	}
	saved, ok := st.saved[pc.String()]
	if !ok || len(saved.EndpointProtection) != 1 || len(saved.ActiveDays) != 1 || saved.ActiveDays[0] != "2026-11-03" {
		t.Fatalf("after the retry: %+v", saved)
	}
	b := NewHygieneTracker(c, 0)
	if err := b.Hooks(st).Restore(); err != nil {
		t.Fatal(err)
	}
	b.ObservePayload(pc, true, lanDNS, 53, q, day.Add(48*time.Hour))
	if got := b.Device(pc).EndpointProtection; len(got) != 1 || got[0].DaysSeen != 2 || !got[0].FirstSeen.Equal(day) {
		t.Errorf("restored tracker: %+v", got)
	}
	var none *HygieneTracker
	if none.Hooks(st) != nil || none.Save(st, nil, time.Time{}) != nil {
		t.Error("a nil tracker has hooks or fails to save")
	}
}
