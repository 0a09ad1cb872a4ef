package snmp

import (
	"fmt"
	"strings"

	"tend/inventory"
)

// runningFirmware replaces the version a generic rule read from sysDescr
// with the one a scalar of the maker's identity group gives in the same
// shape but other digits (sysDescr's "Meinberg LANTIME V6.20.014", the
// MIB's "7.00.014"): a description the agent set once, at boot or by
// configuration, where the maker's object reads the release running now.
// Only a version of three numbers or more: a two-number one is as often
// a hardware revision or a reading.
func (id *identity) runningFirmware(r *rule, vs *values) {
	if !genericFamilies[r.family] || !id.descrFirmware || !threeNumbers.MatchString(id.Firmware) {
		return
	}
	shape := digitShape(id.Firmware)
	for _, v := range vs.subtree[:vs.subtreeScalars] {
		t := strings.TrimLeft(tidy(v.text), "vV")
		if t == "" || t == strings.TrimLeft(id.Firmware, "vV") || digitShape(t) != shape || readingLike(t) {
			continue
		}
		id.Evidence = append(id.Evidence, inventory.Evidence{Source: "guessed from the vendor MIB's first objects",
			Detail: fmt.Sprintf("firmware %s: the maker's MIB gives another release in sysDescr's shape (%s)", t, id.Firmware)})
		id.Firmware, id.descrFirmware = t, false
		return
	}
}

// digitShape is a version with every digit written as 9 and a leading
// "v" dropped ("V6.20.014" and "7.00.014" are both "9.99.999").
func digitShape(v string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '9'
		}
		return r
	}, strings.TrimLeft(v, "vV"))
}
