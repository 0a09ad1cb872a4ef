package snmp

import (
	"encoding/hex"
	"fmt"
	"strings"

	"tend/internal/lazyre"
	"tend/inventory"
)

// macHost is a host name appliances take from their model and their MAC
// address ("grp2604p_ec74d71210da", a Grandstream phone's default): the
// product code (letters and a digit), '_', twelve hexadecimal digits.
var macHost = &lazyre.Regexp{Expr: `^([A-Za-z][A-Za-z0-9]*\d[A-Za-z0-9]*)_([0-9A-Fa-f]{12})$`}

// macNamedHost names the make and model of an appliance a software agent
// (net-snmp) answers for with only a kernel banner, when its host name
// (sysName, or the banner's) is "<model>_<MAC>" and the IEEE registry
// assigns the MAC's block to a maker tend keeps a short name for
// (enterprise_names.tsv: makers of network, office and server gear):
// the MAC says who made it, the part before it what. A host a person
// named ("dell_…", "web01_…") fails one test or the other: no digit in a
// product code, or a MAC of another maker's block than the name's;
// where the name's MAC is the box's own, the pair is the factory's.
// Only where no model better than a last resort was found (a "Generic
// ARMv7" from the banner's machine).
func (p *Poller) macNamedHost(sysName, descr string, ent int, id *identity) {
	if p.cfg.MACVendor == nil || !agentOnly[ent] || id.Model != "" && !id.fallbackModel && !strings.HasPrefix(id.Model, "Generic ") {
		return
	}
	m := macHost.FindStringSubmatch(sysName)
	if m == nil {
		if h := linuxHost.FindStringSubmatch(descr); h != nil {
			m = macHost.FindStringSubmatch(h[1])
		}
	}
	if m == nil {
		return
	}
	mac, err := hex.DecodeString(m[2])
	if err != nil {
		return
	}
	org, ok := p.cfg.MACVendor(mac)
	if !ok {
		return
	}
	maker := leadingMaker(org)
	if maker == "" || id.Make != "" && !strings.EqualFold(id.Make, maker) {
		return
	}
	id.Make, id.Model, id.fallbackModel = maker, strings.ToUpper(m[1]), false
	id.Evidence = append(id.Evidence, inventory.Evidence{Source: "sysName",
		Detail: fmt.Sprintf("make %s, model %s: host name %s, its MAC %s in %s's block", maker, id.Model, m[0], inventory.MAC(mac), org)})
}
