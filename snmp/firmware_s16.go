package snmp

import (
	"fmt"
	"strconv"
	"strings"

	"tend/inventory"
)

// runningFirmware replaces the version a generic rule read from sysDescr
// with the one a scalar of the maker's identity group gives in the same
// shape but other digits (sysDescr's "Meinberg LANTIME V6.20.014", the
// MIB's "7.00.014"): a description the agent set once, at boot or by
// configuration, where the maker's object reads the release running now.
// Only a version of three numbers or more: a two-number one is as often
// a hardware revision or a reading. Only the identity group's first
// scalars (identityScalars, as namedIdentity reads), never an address
// ("10.0.0.15" beside "V10.1.0.15") or a dotted code, and only a later
// release (newerRelease): a part's or a bootloader's version of the same
// shape ("1.00.003" beside "V6.20.014") is older, not the running one.
func (id *identity) runningFirmware(r *rule, vs *values) {
	if !genericFamilies[r.family] || !id.descrFirmware || !threeNumbers.MatchString(id.Firmware) {
		return
	}
	descr := strings.TrimLeft(id.Firmware, "vV")
	for _, v := range vs.subtree[:min(vs.subtreeScalars, identityScalars)] {
		t := strings.TrimLeft(tidy(v.text), "vV")
		if addressLike(t) || dottedCodes.MatchString(t) || readingLike(t) || !newerRelease(t, descr) {
			continue
		}
		id.Evidence = append(id.Evidence, inventory.Evidence{Source: "guessed from the vendor MIB's first objects",
			Detail: fmt.Sprintf("firmware %s: the maker's MIB gives another release in sysDescr's shape (%s)", t, id.Firmware)})
		id.Firmware, id.descrFirmware = t, false
		return
	}
}

// newerRelease reports a version in old's digit shape (as many numbers,
// each as wide: the same family's numbering, "7.00.014" for "6.20.014")
// whose numbers, read from the first, are greater: an upgrade since
// sysDescr was set. A lower one is as often a part's, a bootloader's or a
// hardware revision as a downgrade, and left.
func newerRelease(t, old string) bool {
	if t == "" || digitShape(t) != digitShape(old) {
		return false
	}
	a, b := strings.Split(t, "."), strings.Split(old, ".")
	for i := range min(len(a), len(b)) {
		x, errX := strconv.Atoi(a[i])
		y, errY := strconv.Atoi(b[i])
		if errX != nil || errY != nil {
			return a[i] > b[i] // same width: text order is number order
		}
		if x != y {
			return x > y
		}
	}
	return false
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
