package findings

import "tend/inventory"

// snmpWrite raises one finding per SNMP agent that accepted a write
// (SetRequest answered noError) over SNMPv1 or v2c: its configuration was
// changed by whoever held a community that crossed the LAN in clear
// (traffic/snmpset.go).
func snmpWrite(x *input) []inventory.Finding {
	keys, groups := x.groupEvents(isProto("snmp-write"), server)
	var out []inventory.Finding
	for _, k := range keys {
		out = append(out, inventory.Finding{Severity: inventory.SeverityHigh, Device: k,
			Title:    "SNMP write accepted in clear on " + x.who(k),
			Evidence: eventEvidence(groups[k]),
			Action:   "A host changed this device's settings over SNMPv1/v2c, whose write community anyone on the LAN can read off the wire: check the writer named in the evidence is your management system and what it changed; replace the write community with a long random one or remove write access (rwcommunity) altogether, use SNMPv3 with authPriv where writes are needed, and restrict SNMP to the management station's address."})
	}
	return out
}
