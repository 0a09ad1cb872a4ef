package snmp

import (
	"strings"
	"unicode"

	"tend/internal/lazyre"
)

// lineNumber is a product number of a numbered line: one to four
// letters (a hyphen after them or not), three to five digits and at most
// three letters of a variant ("D9854", "DSR-6404", "DSR-4410MD").
var lineNumber = &lazyre.Regexp{Expr: `^([A-Za-z]{1,4}-?)(\d{3,5})([A-Za-z]{0,3})$`}

// lineSibling is the maker's scalar that numbers another product of the
// line the model sysDescr gives belongs to, "" when none: the same
// letters, as many digits, another number ("D9859" beside sysDescr's
// "D9854 APR", "DSR-4410MD" beside "DSR-6404 1.13.2.10"). A line's
// products share one software image, and its description names the
// product it was built for; the unit's own identity object names the
// unit. Only a sysDescr (hearsay) model gives way (else "", unsearched), and only to a scalar
// of the maker's MIB, not a table's row (a card's, a neighbour's).
func (vs *values) lineSibling(model string, hearsay bool) string {
	if !hearsay {
		return ""
	}
	m := lineNumber.FindStringSubmatch(model)
	if m == nil {
		return ""
	}
	for _, v := range vs.subtree[:vs.subtreeScalars] {
		t := tidy(v.text)
		s := lineNumber.FindStringSubmatch(t)
		if s != nil && t != model && strings.EqualFold(s[1], m[1]) && len(s[2]) == len(m[2]) && s[2] != m[2] && !vs.hostPart(t) {
			return t
		}
	}
	return ""
}

// agentSoftware reports a model read from sysDescr (or a fingerprint of
// it) that one of the maker's scalars gives as a software's name before
// its version, spelled with other spaces and hyphens ("NetVision-8" of
// "Net Vision 8 v8.00"): the agent's software, a management card's, as
// UPS-MIB's upsIdentAgentSoftwareVersion names it beside the UPS's own
// upsIdentModel ("Net Vision 7 v7.20"), not the device the card manages.
func (vs *values) agentSoftware(model string) bool {
	m := squashName(model)
	if len(m) < 4 {
		return false
	}
	for _, v := range vs.subtree[:vs.subtreeScalars] {
		w := strings.Fields(tidy(v.text))
		if len(w) >= 2 && versionShape(strings.TrimPrefix(strings.ToLower(w[len(w)-1]), "v")) && squashName(strings.Join(w[:len(w)-1], " ")) == m {
			return true
		}
	}
	return false
}

// squashName is a name in lower case without its spaces, hyphens and
// underscores, the way one product's name is spelled several ways.
func squashName(s string) string {
	return strings.Map(func(r rune) rune {
		if partBoundary(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}
