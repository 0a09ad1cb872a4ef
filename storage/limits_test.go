package storage

import (
	"net/netip"
	"testing"
	"time"

	"tend/identity"
	"tend/inventory"
)

// TestApplyLimits: passive sightings of new MACs past the burst are refused
// and counted, the cap holds for active ones too, devices already stored are
// still updated, and ExpirePassive drops the passive-only devices that went
// silent while keeping those a sweep confirmed.
func TestApplyLimits(t *testing.T) {
	s := openMemory(t, Config{Limits: identity.Limits{MaxDevices: 8, Burst: 4, PassivePerMinute: 1}})
	real := mac(t, "00:1b:54:00:00:01")
	if _, err := s.Apply(inventory.Observation{Time: t0, Source: inventory.SourceARP, MAC: real, IP: netip.MustParseAddr("10.0.0.1")}); err != nil {
		t.Fatal(err)
	}
	var flood []inventory.Observation
	for i := range 100 {
		flood = append(flood, inventory.Observation{Time: t0.Add(time.Duration(i) * time.Millisecond), Source: inventory.SourceARPPassive,
			MAC: inventory.MAC{0x00, 0x16, 0x3e, 0, 0, byte(i)}})
	}
	if _, err := s.Apply(flood...); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.DeviceCount(); n != 5 {
		t.Errorf("%d devices after a 100-MAC passive flood with a burst of 4, want 5", n)
	}
	if st := s.Stats(); st.Refused != 96 {
		t.Errorf("refused %d, want 96", st.Refused)
	}
	var active []inventory.Observation
	for i := range 10 {
		active = append(active, inventory.Observation{Time: t0.Add(time.Minute), Source: inventory.SourceARP, MAC: inventory.MAC{0x00, 0x1b, 0x54, 0, 1, byte(i)}})
	}
	if _, err := s.Apply(active...); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.DeviceCount(); n != 8 {
		t.Errorf("%d devices, want the cap of 8", n)
	}
	if _, err := s.Apply(inventory.Observation{Time: t0.Add(2 * time.Minute), Source: inventory.SourceARP, MAC: real, Hostname: "gw"}); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.Device(real); d.Hostname != "gw" {
		t.Errorf("a stored device was not updated at the cap: %+v", d)
	}
	n, err := s.ExpirePassive(t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if n != 4 {
		t.Errorf("expired %d, want the 4 passive-only devices", n)
	}
	if _, err := s.Device(real); err != nil {
		t.Errorf("the swept device expired: %v", err)
	}
	if _, err := s.Apply(inventory.Observation{Time: t0.Add(3 * time.Minute), Source: inventory.SourceARP, MAC: inventory.MAC{0x00, 0x1b, 0x54, 0, 2, 1}}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.DeviceCount(); n != 5 {
		t.Errorf("%d devices after expiry and one new, want 5 (room under the cap again)", n)
	}
}
