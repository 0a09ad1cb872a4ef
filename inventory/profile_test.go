package inventory

import (
	"net/netip"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestTrackPresenceAndHistory(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	m := mustMAC(t, "00:08:74:00:00:01")
	ip1, ip2 := netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("10.0.0.6")
	var d Device
	see := func(at time.Time, ip netip.Addr) bool {
		o := Observation{Time: at, Source: SourceARP, MAC: m, IP: ip}
		c := Merge(&d, o)
		return Track(&d, o) || c
	}
	if !see(t0, ip1) || !d.Online || d.StatusChanged != t0 {
		t.Fatalf("first sighting: %+v", d.Profile)
	}
	if see(t0.Add(time.Minute), ip1) {
		t.Error("a repeat sighting reported a change")
	}
	if !see(t0.Add(2*time.Minute), ip2) || len(d.IPHistory) != 2 || d.IPHistory[0].IP != ip2 {
		t.Errorf("new address: %+v", d.IPHistory)
	}
	see(t0.Add(3*time.Minute), ip1)
	if h := d.IPHistory[0]; h.IP != ip1 || h.FirstSeen != t0 || h.LastSeen != t0.Add(3*time.Minute) {
		t.Errorf("history head %+v, want %s first %v last %v", h, ip1, t0, t0.Add(3*time.Minute))
	}
	if Offline(&d, t0.Add(4*time.Minute), 2*time.Minute) {
		t.Error("offline inside the grace window")
	}
	if !Offline(&d, t0.Add(6*time.Minute), 2*time.Minute) || d.Online || d.StatusChanged != t0.Add(6*time.Minute) {
		t.Errorf("not offline after the window: %+v", d.Profile)
	}
	// An old observation (replayed late) does not bring the device back.
	if Track(&d, Observation{Time: t0, MAC: m}); d.Online {
		t.Error("a stale observation marked the device online")
	}
	for i := range 2 * maxIPHistory {
		see(t0.Add(time.Hour+time.Duration(i)*time.Minute), netip.AddrFrom4([4]byte{10, 1, 0, byte(i)}))
	}
	if len(d.IPHistory) != maxIPHistory {
		t.Errorf("history holds %d, bound %d", len(d.IPHistory), maxIPHistory)
	}
}

func TestMergeIdentityBoundsAndSuggestions(t *testing.T) {
	m, other := mustMAC(t, "da:00:00:00:00:01"), mustMAC(t, "7a:00:00:00:00:02")
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	var d Device
	for i := range 3 * maxNames {
		Merge(&d, Observation{Time: t0, MAC: m, Names: []string{"n" + strconv.Itoa(i)}, Services: []string{"s" + strconv.Itoa(i)}})
	}
	if len(d.Names) != maxNames || d.Names[maxNames-1] != "n"+strconv.Itoa(3*maxNames-1) || len(d.Services) != maxServices {
		t.Errorf("names %d services %d", len(d.Names), len(d.Services))
	}
	sg := MergeSuggestion{MAC: other, Confidence: 0.5}
	if !Merge(&d, Observation{Time: t0, MAC: m, MergeSuggestions: []MergeSuggestion{sg}}) || len(d.MergeSuggestions) != 1 {
		t.Fatal("suggestion not kept")
	}
	if Merge(&d, Observation{Time: t0, MAC: m, MergeSuggestions: []MergeSuggestion{sg}}) {
		t.Error("the same suggestion again reported a change")
	}
	sg.Confidence = 0.7
	if !Merge(&d, Observation{Time: t0, MAC: m, MergeSuggestions: []MergeSuggestion{sg}}) || d.MergeSuggestions[0].Confidence != 0.7 {
		t.Error("a surer suggestion did not replace the weaker one")
	}
}

func TestAbsorb(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	a, b := mustMAC(t, "da:00:00:00:00:01"), mustMAC(t, "7a:00:00:00:00:02")
	var dst, src Device
	Merge(&dst, Observation{Time: t0.Add(time.Hour), MAC: a, Hostname: "anas-phone", DHCPClientID: "ff01"})
	o := Observation{Time: t0, MAC: b, IP: netip.MustParseAddr("10.0.0.9"), Hostname: "old-name", Model: "Pixel 8", Source: SourceARP}
	Merge(&src, o)
	Track(&src, o)
	src.MergeSuggestions = nil
	dst.MergeSuggestions = []MergeSuggestion{{MAC: b, Confidence: 0.5}}
	Absorb(&dst, src)
	if dst.MAC.String() != a.String() || dst.Hostname != "anas-phone" || dst.Model != "Pixel 8" || dst.FirstSeen != t0 ||
		dst.LastSeen != t0.Add(time.Hour) || len(dst.OtherMACs) != 1 || dst.OtherMACs[0].String() != b.String() ||
		len(dst.IPs) != 1 || len(dst.IPHistory) != 1 || len(dst.MergeSuggestions) != 0 {
		t.Errorf("absorbed: %+v", dst)
	}
}

// TestTrackSensorWeight: the sensor's type and the weight of its evidence
// are kept together, and a new weight for the same type is a change (the
// type's confidence follows it).
func TestTrackSensorWeight(t *testing.T) {
	var d Device
	o := Observation{Type: TypeSwitch, TypeWeight: 0.3}
	if !Track(&d, o) || d.SensorType != TypeSwitch || d.SensorWeight != 0.3 {
		t.Fatalf("first: %s %.2f, want switch 0.30 reported", d.SensorType, d.SensorWeight)
	}
	if Track(&d, o) {
		t.Error("the same type and weight again reported a change")
	}
	o.TypeWeight = 0
	if !Track(&d, o) || d.SensorWeight != 0 {
		t.Errorf("a rule's statement of the same type: weight %.2f, want 0 reported", d.SensorWeight)
	}
	if Track(&d, Observation{}) || d.SensorType != TypeSwitch {
		t.Error("an observation without a type changed the sensor's")
	}
}

// TestCapabilitiesHoldSNMPStructure: a device announcing many LLDP bits
// and NetBIOS roles keeps the SNMP sensor's structure beside them, and
// the next round of announcements and polls leaves the list as it was (a
// list past its bound would drop some at each and change every time).
func TestCapabilitiesHoldSNMPStructure(t *testing.T) {
	var d Device
	heard := Observation{Capabilities: []string{"bridge", "router", "wlan-ap", "station", "workstation", "server", "master-browser", "domain-controller"}}
	snmp := Observation{Capabilities: []string{CapSysServices + "78", CapIPForwarding, CapBridgePorts + "26", CapUPSMIB, CapPrinterMIB, CapHRPrinter}}
	Merge(&d, heard)
	Merge(&d, snmp)
	first := slices.Clone(d.Capabilities)
	if len(first) != 14 {
		t.Fatalf("capabilities %q, want all 14", first)
	}
	Merge(&d, heard)
	Merge(&d, snmp)
	if !slices.Equal(d.Capabilities, first) {
		t.Errorf("the next round changed the capabilities: %q, was %q", d.Capabilities, first)
	}
}
