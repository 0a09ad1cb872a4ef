package survey

import (
	"log/slog"
	"net/netip"
	"strings"
	"testing"

	"tend/inventory"
)

// TestNewRefuses: no interface, an unknown one, or a public subnet without
// AllowPublic is refused before anything is sent.
func TestNewRefuses(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	if _, err := New(Config{}, log); err == nil || !strings.Contains(err.Error(), "--interface") {
		t.Errorf("no interface: %v", err)
	}
	if _, err := New(Config{Interface: "tend-no-such0"}, log); err == nil {
		t.Error("an unknown interface accepted")
	}
	pub := []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}
	if _, err := New(Config{Interface: "lo", Prefixes: pub}, log); err == nil {
		t.Error("a public subnet accepted without AllowPublic")
	}
	s, err := New(Config{Interface: "lo", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.9.0.0/24")}}, log)
	if err != nil || JoinPrefixes(s.Prefixes()) != "10.9.0.0/24" {
		t.Errorf("a private subnet: %v", err)
	}
}

func TestWriteTable(t *testing.T) {
	mac, _ := inventory.ParseMAC("00:11:32:00:00:30")
	var b strings.Builder
	err := WriteTable(&b, []inventory.Device{{MAC: mac, IP: netip.MustParseAddr("10.0.0.30"), Vendor: "Synology", Type: inventory.TypeNAS,
		SNMP:      &inventory.SNMPSystem{SysDescr: "Linux nas\n4.4.59"},
		Lifecycle: &inventory.Lifecycle{Status: inventory.StatusEOL, Product: "synology-dsm", Cycle: "6.2"}}})
	out := b.String()
	if err != nil || !strings.Contains(out, "eol synology-dsm 6.2") || !strings.Contains(out, "Linux nas 4.4.59") || strings.Count(out, "\n") != 2 {
		t.Errorf("table %v:\n%s", err, out)
	}
}
