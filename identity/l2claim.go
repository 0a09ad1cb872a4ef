package identity

import (
	"fmt"
	"net/netip"
	"strings"

	"tend/inventory"
)

// makeAliases are makes announced under another name than the MAC
// registry's organisation (lower-case first words): a brand of the
// company the block is registered to.
var makeAliases = map[string]string{"hp": "hewlett", "hpe": "hewlett", "aruba": "hewlett", "avaya": "extreme", "meraki": "cisco", "linksys": "cisco", "polycom": "hp", "poly": "hp"}

// osMakers are the network operating systems discovery names from a
// system description (osFromDescr), by the maker whose gear runs them: an
// LLDP announcement names no make unless LLDP-MED's, its OS does.
var osMakers = map[string]string{"Cisco IOS": "Cisco", "Cisco IOS XE": "Cisco", "Cisco NX-OS": "Cisco", "Junos": "Juniper", "RouterOS": "MikroTik", "ArubaOS": "Aruba"}

// distrustL2Claim keeps an LLDP or CDP announcement's identity out of the
// device when it contradicts the MAC's own maker (review 37a P9): a
// Raspberry Pi's MAC announcing a Cisco WS-C2960X named like the core
// switch is a host impersonating it, not a Cisco switch. Its name, make,
// model, software, serial, capabilities, chassis and management address
// are moved to the evidence. A MAC of no known maker, or a hypervisor's
// (a virtual router's CDP), is trusted as before.
func distrustL2Claim(o *inventory.Observation) {
	mk := o.Make
	if mk == "" {
		mk = osMakers[o.OS]
	}
	if o.Source != inventory.SourceLLDP && o.Source != inventory.SourceCDP || mk == "" || o.Vendor == "" || len(o.MAC) < 3 {
		return
	}
	for _, v := range virtualNICs {
		if [3]byte(o.MAC[:3]) == v.prefix {
			return
		}
	}
	if sameMaker(mk, o.Vendor) {
		return
	}
	what := strings.TrimSpace(mk + " " + o.Model)
	if o.Make == "" {
		what = o.OS
	}
	o.Evidence = append(o.Evidence, inventory.Evidence{Source: string(o.Source),
		Detail: fmt.Sprintf("identity not adopted: announces %s named %q, but its MAC is %s's (a host impersonating a switch?)", what, o.Hostname, o.Vendor)})
	o.Hostname, o.Names, o.Make, o.Model, o.OS, o.Firmware, o.Serial = "", nil, "", "", "", "", ""
	o.Capabilities, o.ChassisMAC, o.Type, o.TypeWeight = nil, nil, "", 0
	o.IP = netip.Addr{} // the management address announced is the claim's too
}

// sameMaker reports whether an announced make names the organisation a
// MAC block is registered to: its first word within the organisation's
// name, or an alias of it.
func sameMaker(mk, org string) bool {
	f := strings.FieldsFunc(mk, func(r rune) bool { return r == ' ' || r == ',' || r == '-' || r == '.' })
	if len(f) == 0 {
		return true
	}
	w := strings.ToLower(f[0])
	org = strings.ToLower(org)
	if strings.Contains(org, w) {
		return true
	}
	a, ok := makeAliases[w]
	return ok && strings.Contains(org, a)
}
