package upstream

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"tend/inventory"
)

func TestSummaryCarriesVulnerabilities(t *testing.T) {
	t0 := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	mk := func(last byte, v *inventory.Vulnerabilities) inventory.Device {
		return inventory.Device{MAC: inventory.MAC{0, 0x11, 0x22, 0, 0, last}, FirstSeen: t0, LastSeen: t0, Vulnerabilities: v}
	}
	in := Inputs{Snapshot: inventory.Snapshot{Time: t0, Devices: []inventory.Device{
		mk(1, &inventory.Vulnerabilities{Status: inventory.VulnAffected, KEV: []string{"CVE-2024-21762", "CVE-2024-23113"}, CatalogDate: "2026-07-14"}),
		mk(2, &inventory.Vulnerabilities{Status: inventory.VulnAffected, KEV: []string{"CVE-2024-21762"}, CatalogDate: "2026-07-14"}),
		mk(3, &inventory.Vulnerabilities{Status: inventory.VulnAffected, KEV: []string{}}),
		mk(4, &inventory.Vulnerabilities{Status: inventory.VulnPotentiallyAffected}),
		mk(5, &inventory.Vulnerabilities{Status: inventory.VulnUnknown}),
		mk(6, nil),
	}}}
	s, _ := buildSummary(stateView{box: "b"}, in, summaryMeta{site: "acme", now: t0, interval: time.Minute})
	v := s.Vulns
	if v == nil || v.KEVDevices != 2 || v.Affected != 3 || v.Potentially != 1 || v.CatalogDate != "2026-07-14" ||
		!slices.Equal(v.KEV, []string{"CVE-2024-21762", "CVE-2024-23113"}) {
		t.Fatalf("vulnerability summary %+v", v)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Summary
	if err := json.Unmarshal(b, &back); err != nil || back.Vulns == nil || back.Vulns.KEVDevices != 2 {
		t.Errorf("round trip: %v %+v", err, back.Vulns)
	}
}
