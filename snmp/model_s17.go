package snmp

import (
	"slices"
	"strings"

	"github.com/gosnmp/gosnmp"

	"tend/internal/lazyre"
)

// serialShaped is an entPhysicalModelName in a serial number's or a
// manufacturing part's shape: ten or more capitals and digits without a
// separator, with a letter and a run of seven digits or more
// ("FP1ZZ5654001A", the part number an Edgecore switch's ONIE EEPROM
// holds, which Cumulus Linux reports as the chassis's model); a product's
// digits come in shorter runs ("DCS7050TX128"). chassisModel then reads
// the row's description first, as for an order code. On setC the chassis
// rows' model names of that shape are this one; none that names the
// product is.
func serialShaped(s string) bool {
	return len(s) >= 10 && serialCode.MatchString(s) && strings.ContainsFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' })
}

var serialCode = lazyre.New(`^[A-Z0-9]*[0-9]{7}[A-Z0-9]*$`)

// zeroIndexedRows are the objects of vars named like scalars (index .0)
// that are rows of a table whose index ends in .0 (Check Point's
// "….8.1.1.2.N.0", a sensor's name in row N): the name less ".0" is
// column.N, and two columns of the same entry hold the same two rows or
// more. A group of scalars ("….7.1.1.1.0", "….7.1.1.2.0") never has a
// sibling group numbering its objects alike, column for column.
func zeroIndexedRows(vars []gosnmp.SnmpPDU) map[string]bool {
	split := func(name string) (entry, col, idx string, ok bool) {
		base, found := strings.CutSuffix(name, ".0")
		i := strings.LastIndexByte(base, '.')
		if !found || i < 0 {
			return "", "", "", false
		}
		j := strings.LastIndexByte(base[:i], '.')
		if j < 0 {
			return "", "", "", false
		}
		return base[:j], base[j+1 : i], base[i+1:], true
	}
	rows := map[string]map[string][]string{} // entry → column → row indices in walk order
	for _, v := range vars {
		if entry, col, idx, ok := split(strings.TrimPrefix(v.Name, ".")); ok {
			if rows[entry] == nil {
				rows[entry] = map[string][]string{}
			}
			rows[entry][col] = append(rows[entry][col], idx)
		}
	}
	out := map[string]bool{}
	for _, v := range vars {
		name := strings.TrimPrefix(v.Name, ".")
		entry, col, _, ok := split(name)
		if !ok || len(rows[entry][col]) < 2 {
			continue
		}
		for c, idx := range rows[entry] {
			if c != col && slices.Equal(idx, rows[entry][col]) {
				out[name] = true
				break
			}
		}
	}
	return out
}
