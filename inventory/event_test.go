package inventory

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestSeverityRank(t *testing.T) {
	order := []Severity{SeverityInfo, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}
	for i, s := range order {
		if s.Rank() != i {
			t.Errorf("%s ranks %d, want %d", s, s.Rank(), i)
		}
	}
	if Severity("bogus").Rank() != 0 {
		t.Error("an unknown severity should rank as info")
	}
}

func TestEventJSONOmitsAbsentTarget(t *testing.T) {
	mac, err := ParseMAC("00:11:22:33:44:55")
	if err != nil {
		t.Fatal(err)
	}
	ev := Event{Time: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Type: EventPortScan, Severity: SeverityHigh,
		MAC: mac, IP: netip.MustParseAddr("10.0.0.5"), Summary: "scan"}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"type":"port_scan"`, `"mac":"00:11:22:33:44:55"`, `"ip":"10.0.0.5"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	if strings.Contains(string(b), "target") {
		t.Errorf("%s has a target though none was set", b)
	}
}

func TestNamePrefersLabel(t *testing.T) {
	d := Device{Hostname: "nas01", Label: "Backup NAS (cupboard)"}
	if d.Name() != "Backup NAS (cupboard)" {
		t.Errorf("Name() = %q, want the label", d.Name())
	}
}
