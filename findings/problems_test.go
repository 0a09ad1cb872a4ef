package findings

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"testing"
	"time"

	"tend/inventory"
)

// setAManifest is the SNMP recordings' manifest of ../shared/corpus: the
// devices of the setA lab.
const setAManifest = "../../shared/corpus/snmp/setA/manifest.jsonl"

// setASite builds a snapshot shaped like tend serve's view of the setA lab:
// every recording an SNMPv2c agent answering a default community (the lab
// serves them that way), six identical switches behind on firmware, plus
// workstations. Without the corpus, a few built-in devices stand in.
func setASite(t *testing.T) inventory.Snapshot {
	t.Helper()
	type rec struct{ Category, Vendor, Hardware, Version string }
	var recs []rec
	if f, err := os.Open(setAManifest); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var r rec
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatalf("corpus manifest: %v", err)
			}
			recs = append(recs, r)
		}
	} else {
		t.Logf("corpus absent (%v): built-in devices stand in for setA", err)
		for i := range 12 {
			recs = append(recs, rec{[]string{"switch", "router", "printer", "ups"}[i%4], "Vendor", fmt.Sprintf("M%d", i), "1.0"})
		}
	}
	s := inventory.Snapshot{Time: now}
	for i, r := range recs {
		m, _ := inventory.ParseMAC(fmt.Sprintf("02:00:5e:00:01:%02x", i))
		d := inventory.Device{MAC: m, IP: netip.AddrFrom4([4]byte{10, 0, 1, byte(10 + i)}), Type: inventory.DeviceType(r.Category),
			Make: r.Vendor, Model: r.Hardware, Firmware: r.Version, FirstSeen: now.Add(-time.Hour), LastSeen: now,
			SNMP: &inventory.SNMPSystem{Version: "2c", DefaultCommunity: true}}
		s.Devices = append(s.Devices, d)
	}
	for i := range 6 {
		m, _ := inventory.ParseMAC(fmt.Sprintf("02:00:5e:00:02:%02x", i))
		s.Devices = append(s.Devices, inventory.Device{MAC: m, IP: netip.AddrFrom4([4]byte{10, 0, 2, byte(10 + i)}), Type: inventory.TypeSwitch,
			Make: "Cisco", Model: "CBS350-24T", Firmware: "3.1.0.57", FirstSeen: now.Add(-time.Hour), LastSeen: now,
			Lifecycle: &inventory.Lifecycle{Product: "Cisco CBS350", Cycle: "3", Status: inventory.StatusBehind, Latest: "3.4.1.3", Behind: 4}})
	}
	return s
}

func TestProblemsCollapseSetA(t *testing.T) {
	snap := setASite(t)
	fs := Evaluate(Input{Snapshot: snap})
	ps := Problems(fs, snap.Devices, now)
	perRule := map[string]int{}
	for _, f := range fs {
		perRule[f.Rule]++
	}
	probs := map[string]int{}
	for _, p := range ps {
		probs[p.Rule]++
		if p.Count != len(p.Devices) || p.Title == "" || p.Action == "" || len(p.Evidence) == 0 || !p.Active {
			t.Errorf("problem incomplete: %+v", p)
		}
	}
	t.Logf("setA-shaped site: %d devices, %d findings → %d problems; community %d→%d, v1/v2c %d→%d, firmware behind %d→%d",
		len(snap.Devices), len(fs), len(ps), perRule[RuleSNMPDefaultCommunity], probs[RuleSNMPDefaultCommunity],
		perRule[RuleSNMPNoV3], probs[RuleSNMPNoV3], perRule[RuleFirmwareBehind], probs[RuleFirmwareBehind])
	if perRule[RuleSNMPDefaultCommunity] < 10 {
		t.Fatalf("fixture raised only %d community findings", perRule[RuleSNMPDefaultCommunity])
	}
	for _, r := range []string{RuleSNMPDefaultCommunity, RuleSNMPNoV3, RuleFirmwareBehind} {
		if probs[r] != 1 {
			t.Errorf("rule %s: %d problems, want 1", r, probs[r])
		}
	}
	if len(ps) >= len(fs)/4 {
		t.Errorf("%d findings collapse only to %d problems", len(fs), len(ps))
	}
	// Device pages: every finding's device finds the problem it is part of.
	for _, f := range fs {
		found := false
		for _, p := range ProblemsOf(ps, f.Device) {
			found = found || slices.Contains(p.Findings, f.ID)
		}
		if !found {
			t.Errorf("finding %s on %s is in no problem of its device", f.ID, f.Device)
		}
	}
}

// TestProblemKeysStable: a problem keeps its key when devices join or
// leave it and whatever order the devices come in; a per-device problem's
// key is its finding's ID.
func TestProblemKeysStable(t *testing.T) {
	snap := setASite(t)
	keys := func(s inventory.Snapshot) map[string]string {
		out := map[string]string{}
		for _, p := range Problems(Evaluate(Input{Snapshot: s}), s.Devices, now) {
			out[p.Rule] = p.Key
		}
		return out
	}
	before := keys(snap)
	less := snap
	less.Devices = slices.Clone(snap.Devices[3:])
	slices.Reverse(less.Devices)
	after := keys(less)
	for _, r := range []string{RuleSNMPDefaultCommunity, RuleSNMPNoV3, RuleFirmwareBehind} {
		if before[r] == "" || before[r] != after[r] {
			t.Errorf("rule %s: key %q became %q", r, before[r], after[r])
		}
	}

	ups := dev(t, 1, inventory.TypeUPS, func(d *inventory.Device) {
		d.Health = &inventory.Health{Battery: &inventory.Battery{OnBattery: true, ChargePercent: 80, RuntimeMinutes: 20}}
	})
	fs := Evaluate(Input{Snapshot: inventory.Snapshot{Time: now, Devices: []inventory.Device{ups}}})
	ps := Problems(fs, []inventory.Device{ups}, now)
	if len(ps) != 1 || ps[0].Key != fs[0].ID || ps[0].Title != fs[0].Title || ps[0].Count != 1 {
		t.Errorf("UPS on battery: problems %+v from findings %+v", ps, fs)
	}
	if k := ProblemKey(&fs[0], &ups); k != ps[0].Key {
		t.Errorf("ProblemKey %q, Problems key %q", k, ps[0].Key)
	}
}

// TestProblemsActive: a problem is active while any member is.
func TestProblemsActive(t *testing.T) {
	snap := setASite(t)
	fs := Evaluate(Input{Snapshot: snap})
	for i := range fs {
		if fs[i].Rule == RuleSNMPNoV3 {
			fs[i].State = inventory.FindingResolved
		}
	}
	for _, p := range Problems(fs, snap.Devices, now) {
		if want := p.Rule != RuleSNMPNoV3; p.Active != want {
			t.Errorf("%s active %t, want %t", p.Rule, p.Active, want)
		}
	}
	if n := len(ActiveProblems(Problems(fs, snap.Devices, now))); n != len(Problems(fs, snap.Devices, now))-1 {
		t.Errorf("ActiveProblems kept %d", n)
	}
}
