package storage

import (
	"net/netip"
	"testing"
	"time"

	"tend/internal/testclock"
	"tend/inventory"
)

func TestPutHygiene(t *testing.T) {
	s := openMemory(t, Config{})
	pc := mac(t, "00:1b:54:aa:bb:01")
	stranger := mac(t, "00:1b:54:aa:bb:02")
	t0 := testclock.Now().Add(-48 * time.Hour)
	if _, err := s.Apply(inventory.Observation{Time: t0, Source: inventory.SourceARP, MAC: pc, IP: netip.MustParseAddr("10.0.0.5")}); err != nil {
		t.Fatal(err)
	}
	h := inventory.Hygiene{
		EndpointProtection: []inventory.HygieneProduct{{Product: "Microsoft Defender Antivirus", Vendor: "Microsoft", FirstSeen: t0, LastSeen: t0.Add(time.Hour), DaysSeen: 1, Heartbeat: true}},
		ActiveDays:         []string{"2026-11-01"},
	}
	w, missing, err := s.PutHygiene(HygieneRecord{MAC: pc, Hygiene: h}, HygieneRecord{MAC: stranger, Hygiene: h})
	if err != nil || w != 1 || len(missing) != 1 || missing[0].String() != stranger.String() {
		t.Fatalf("written %d, missing %d, err %v; want 1, [stranger], nil", w, missing, err)
	}
	if w, _, _ := s.PutHygiene(HygieneRecord{MAC: pc, Hygiene: h}); w != 0 {
		t.Error("an unchanged record was written again")
	}
	// A later sighting folds through Apply and keeps the hygiene.
	if _, err := s.Apply(inventory.Observation{Time: t0.Add(time.Hour), Source: inventory.SourceDHCP, MAC: pc, Hostname: "pc-12"}); err != nil {
		t.Fatal(err)
	}
	d, err := s.Device(pc)
	if err != nil {
		t.Fatal(err)
	}
	if d.Hygiene == nil || len(d.Hygiene.EndpointProtection) != 1 || d.Hygiene.EndpointProtection[0].Product != "Microsoft Defender Antivirus" || d.Hostname != "pc-12" {
		t.Fatalf("device after a fold: hostname %q, hygiene %+v", d.Hostname, d.Hygiene)
	}
	if _, err := s.Device(stranger); err == nil {
		t.Error("hygiene made a device no sensor had seen")
	}
	// An empty record clears the field.
	if _, _, err := s.PutHygiene(HygieneRecord{MAC: pc}); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Device(pc); d.Hygiene != nil {
		t.Errorf("hygiene after clearing: %+v", d.Hygiene)
	}
}
