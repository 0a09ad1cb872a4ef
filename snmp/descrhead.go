package snmp

import "strings"

// descrHead reports whether t, a scalar of the maker's identity group,
// repeats the product text sysDescr opens with: sysDescr is t alone or t
// and then a list of attributes after a comma or a semicolon ("2G-2S.0.2.F-BOX-PoE (M-PoE)"
// of "2G-2S.0.2.F-BOX-PoE (M-PoE), fw:60.7050, PoEfw:118", Metel's
// identity group). Two objects agree on the product's name, and a
// product code may hold dot-separated groups: t counts unless it, or a
// word of it, is a version by the version guess's grammar (versionShape:
// "Foo 2.1" is a product and its release) or a release by its name's
// shape (releaseShape: "R80.10", "V200R010C00"), a reading, a kernel banner,
// an operating system's name or the host's name. A name of 3 to 64
// characters in at most eight words, with a letter and a digit.
func (vs *values) descrHead(t, descr string) bool {
	if len(t) < 3 || len(t) > 64 || len(descr) < len(t) || !strings.EqualFold(descr[:len(t)], t) {
		return false
	}
	if rest := descr[len(t):]; rest != "" && rest[0] != ',' && rest[0] != ';' {
		return false
	}
	if moreFields(t, 8) || !strings.ContainsAny(t, "0123456789") || !strings.ContainsFunc(t, asciiLetter) ||
		linuxBanner.MatchString(t) || osWord.MatchString(t) || versionLike.MatchString(t) || vs.hostPart(t) {
		return false
	}
	for w := range strings.FieldsSeq(t) {
		if versionShape(w) || readingLike(w) || releaseShape.MatchString(w) {
			return false
		}
	}
	return !versionShape(t)
}

func asciiLetter(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }

// componentRow reports whether v, an object of the maker's MIB, is a
// cell of a conceptual table the walk found in more than one row (its
// column, the name less the last arc, holds another instance) while the
// maker's MIB has an identity group of scalars too: a per-port or
// per-module table (Metel's SFP table, 38616.1.1.50.2.1: a transceiver's
// part number "BX-100-20-W5-L" and serial number by port) describes a
// component, and the device's model and serial number are the group's
// or none, never a component's. Without scalars a table may be all the
// maker gives (a chassis or a stack's rows); and a row alone in its
// column (a one-row chassis table) stays a candidate: on setC, refusing
// every multi-row cell lost three right models and nine right serials,
// refusing them only beside an identity group moved no scored field.
func (vs *values) componentRow(v value) bool {
	if vs.subtreeScalars == 0 || v.name == "" || strings.HasSuffix(v.name, ".0") {
		return false
	}
	i := strings.LastIndexByte(v.name, '.')
	if i < 0 {
		return false
	}
	n := 0
	for range vs.walkIdx().arcsBelow(v.name[:i+1], 0) {
		if n++; n > 1 {
			return true
		}
	}
	return false
}
