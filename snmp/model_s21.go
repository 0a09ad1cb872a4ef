package snmp

import (
	"strings"

	"tend/internal/lazyre"
)

// lineNumber is a product number of a numbered line: one to four
// letters (a hyphen after them or not), three to five digits and at most
// three letters of a variant ("D9854", "DSR-6404", "DSR-4410MD").
var lineNumber = lazyre.New(`^([A-Za-z]{1,4}-?)(\d{3,5})([A-Za-z]{0,3})$`)

// lineSibling is the maker's scalar that numbers another product of the
// line the model sysDescr gives belongs to, "" when none: the same
// letters, as many digits, another number ("D9859" beside sysDescr's
// "D9854 APR", "DSR-4410MD" beside "DSR-6404 1.13.2.10"). A line's
// products share one software image, and its description names the
// product it was built for; the unit's own identity object names the
// unit. Only a sysDescr (hearsay) model gives way, and only to a scalar
// of the maker's MIB, not a table's row (a card's, a neighbour's).
func (vs *values) lineSibling(model string) string {
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
