package findings

import (
	"strings"

	"tend/inventory"
)

// secondDHCPMark opens the summary of a rogue_dhcp event the traffic
// sensor raises for a second DHCP service (traffic/dhcppair.go): a server
// that hands out the gateway as router and no address of its own as DNS,
// heard from the start or beside a partner alike. It is a configuration
// to settle, not an attacker to unplug.
const secondDHCPMark = "two DHCP services on this LAN"

// rogueDHCP raises one finding per culprit of rogue_dhcp events: a rogue
// server (Critical), or, where every event of one is a second DHCP
// service's, a Medium finding to keep one service.
func rogueDHCP(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(func(e *inventory.Event) bool { return e.Type == inventory.EventRogueDHCP }, culprit)
	var out []inventory.Finding
	for _, k := range keys {
		es := groups[k]
		f := inventory.Finding{Severity: maxSeverity(es, inventory.SeverityCritical), Device: k, Title: "Rogue DHCP server: " + x.who(k), Evidence: eventEvidence(es),
			Action: "Find the device by its MAC on the switch port table and unplug or disable its DHCP service; clients that took its leases need renewing."}
		second := true
		for _, e := range es {
			second = second && strings.HasPrefix(e.Summary, secondDHCPMark)
		}
		if second {
			f.Severity, f.Title = maxSeverity(es, inventory.SeverityMedium), "Two DHCP services on this LAN: "+x.who(k)
			f.Action = "Two servers answer DHCP and clients take whichever offer comes first, so they get different DNS servers and leases by chance (often the router's own DHCP left on beside the domain's): keep one service (turn the router's off), or make the two a proper split-scope or failover pair with the same options, and declare the servers to tend (--dhcp-server)."
		}
		out = append(out, f)
	}
	return out
}
