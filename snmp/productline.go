package snmp

import "tend/internal/lazyre"

// productLine is a free-text product line among the maker's objects that
// names the device's kind, its model and its serial number together, as
// Teldat's routers give it in sysDescr and in their own subtree
// (2007.4.1.1.2.1.0: "Router model H2Rail S/N: 899/000841 SWL: BASE …";
// setC's "Router model RS123w-4G S/N: RNPFDK019380272 …"): the device's
// own identity, which a component's table after it (a cellular modem's
// "MC7455") does not outrank. Session 41, setR.
var productLine = &lazyre.Regexp{Expr: `(?i)^[a-z]+ model\s+([a-z][\w\-/]*\d[\w\-/]*)\s.*?\bS/N:?\s*(\w[\w\-/]*\w)`}

// productLineFields is the model and the serial number of the first
// object of the maker's subtree that is a product line, "" when none is.
func (vs *values) productLineFields() (model, serial string) {
	for _, v := range vs.subtree {
		if m := productLine.FindStringSubmatch(tidy(v.text)); m != nil {
			return m[1], m[2]
		}
	}
	return "", ""
}
