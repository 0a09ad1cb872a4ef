package snmp

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"tend/inventory"
)

// lineMember is the identity group's scalar that names another member
// of the product line a hearsay model names: the same letters, then a
// number of as many digits ("D9859" beside sysDescr's "D9854 APR"). A
// firmware image's description names the line's model it was built for,
// shared by its siblings; the unit's own object, read beside its version
// and serial number, names the hardware. Past the identity group a
// scalar counts when the line's letters are three or more ("DSR-4410MD"
// beside "DSR-6404  1.13.2.10", the product branch's twentieth object):
// a lone letter and a number there may be anything's. The model's shape
// vouches for the member's (a letter and four digits is a short serial's
// shape as often, modelLike's). "" when no scalar does.
func (vs *values) lineMember(model string) string {
	prefix, _, _ := lineParts(model)
	for i, v := range vs.subtree[:vs.subtreeScalars] {
		if t := tidy(v.text); sameLine(model, t) && !v.elsewhere && !vs.hostPart(t) && (i < identityScalars || len(prefix) >= 3) {
			return t
		}
	}
	return ""
}

// sameLine reports whether a and b are two numbered products of one
// line: one word each, the same letters (and hyphen) before the first
// digit, then digit runs of one length ("D9854" and "D9859",
// "DSR-6404" and "DSR-4410MD"), b not a's variant ("D9854-AC").
func sameLine(a, b string) bool {
	pa, na, ok := lineParts(a)
	pb, nb, okb := lineParts(b)
	return ok && okb && strings.EqualFold(pa, pb) && len(na) == len(nb) && na != nb &&
		!strings.HasPrefix(strings.ToUpper(b), strings.ToUpper(a))
}

// lineParts splits a one-word product number into the letters before
// its first digit and its first run of digits; ok is false for a word
// that does not open with a letter or holds no digit.
func lineParts(s string) (prefix, number string, ok bool) {
	if s == "" || strings.ContainsAny(s, " \t") || !unicode.IsLetter(rune(s[0])) {
		return "", "", false
	}
	i := strings.IndexFunc(s, unicode.IsDigit)
	if i < 0 || strings.TrimRightFunc(s[:i], func(r rune) bool { return r == '-' }) == "" {
		return "", "", false
	}
	j := i + strings.IndexFunc(s[i:]+"x", func(r rune) bool { return !unicode.IsDigit(r) })
	return s[:i], s[i:j], strings.IndexFunc(s[:i], func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) < 0
}

// memberOfLine replaces a hearsay model with the line's member the
// maker's identity group names (lineMember).
func (id *identity) memberOfLine(vs *values) {
	if !id.hearsayModel || id.Model == "" {
		return
	}
	if m := vs.lineMember(id.Model); m != "" {
		id.Evidence = append(id.Evidence, inventory.Evidence{Source: "guessed from the vendor MIB's first objects",
			Detail: fmt.Sprintf("model %s: the unit of the line whose %s sysDescr names", m, id.Model)})
		id.Model, id.hearsayModel, id.groupModel = m, false, true
	}
}

// confirmedPartNumber is the part number a PowerNet-style card's
// description gives (MN:) when the maker's objects hold it too: the
// unit's identity row repeats it (Dell's rPDU, "DELL6606" beside its
// serial and version), so it names the device the card sits in, not the
// card alone (an APC UPS's card says "MN:AP9631", its own). It comes
// before a guess among the identity group, whose first scalar may be
// the unit's name ("2500-1 Rack PDU").
func confirmedPartNumber(vs *values) source {
	return sysDescr(`\bMN:\s*([A-Za-z0-9][\w\-]*)`).then(func(s string) string {
		if !slices.ContainsFunc(vs.subtree, func(v value) bool { return !v.elsewhere && strings.EqualFold(tidy(v.text), s) }) {
			return ""
		}
		return s
	})
}

// partAndVariant is a description that is nothing but a product number
// and its hardware variant's capital letter in parentheses
// ("FSP150CC-XG116PRO (H)"): the variant is part of the product's name,
// as a product name's variant letter is ("Smartpack S", variantLetter).
// (R) and (C) are the trademark's and copyright's signs, never a variant.
var partAndVariant = sysDescr(`^\s*(([A-Z][A-Za-z0-9]*-[A-Za-z0-9\-]*\d[A-Za-z0-9\-]*) \([A-BD-QS-Z]\))\s*$`).then(func(s string) string {
	part, _, _ := strings.Cut(s, " (")
	if !hyphenatedPart(part) {
		return ""
	}
	return s
})
