package findings

import (
	"testing"
	"time"

	"tend/inventory"
)

// A second DHCP service's event (traffic/dhcppair.go) is a Medium finding
// to keep one service; beside a rogue's event from the same MAC the
// finding stays the rogue's, Critical.
func TestSecondDHCPService(t *testing.T) {
	e := event(t, inventory.EventRogueDHCP, time.Hour, macA, "", secondDHCPMark+": 10.0.0.11 (aa) beside 10.0.0.1; declare the right one")
	e.Severity = inventory.SeverityMedium
	f := fired(withEvents(e), RuleRogueDHCP)
	if len(f) != 1 || f[0].Severity != inventory.SeverityMedium || f[0].Title[:len("Two DHCP services")] != "Two DHCP services" {
		t.Fatalf("second service: %+v, want one Medium 'Two DHCP services' finding", f)
	}
	r := event(t, inventory.EventRogueDHCP, 2*time.Hour, macA, "", "rogue DHCP server 10.0.0.11 answered aa")
	if f := fired(withEvents(e, r), RuleRogueDHCP); len(f) != 1 || f[0].Severity != inventory.SeverityCritical || f[0].Title[:5] != "Rogue" {
		t.Fatalf("second service and rogue: %+v, want one Critical rogue finding", f)
	}
}
