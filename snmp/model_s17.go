package snmp

import (
	"slices"
	"strconv"
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
// that are rows of a table whose index ends in .0: Check Point's
// sensors ("….8.1.1.2.N.0", a sensor's name in row N) and gateways
// ("….9002.1.2.A.B.C.D.0", a peer's name by its address). Split into
// entry, column and row index (the index of one arc or more, less ".0"),
// two columns of the same entry list the same two rows or more. A group
// of scalars ("….7.1.1.1.0", "….7.1.1.2.0") never has a sibling group
// numbering its objects alike, column for column.
func zeroIndexedRows(vars []gosnmp.SnmpPDU) map[string]bool {
	if !scalarNamed(vars, 4) {
		return map[string]bool{} // a list is two columns of two rows or more: four objects
	}
	bases, shared := zeroIndexedBases(vars)
	rows := map[string][]string{} // column → row indices in walk order
	cols := map[string][]string{} // entry → its columns
	for i, base := range bases {
		columnSplits(base, shared[i], func(entry, c, idx string) bool {
			r, ok := rows[c]
			if !ok {
				cols[entry] = append(cols[entry], c)
			}
			rows[c] = append(r, idx)
			return false
		})
	}
	out := map[string]bool{}
	listed := map[string]bool{} // by column: its rows are a list another column numbers alike (each of its rows asks)
	for i, base := range bases {
		columnSplits(base, shared[i], func(entry, c, _ string) bool {
			l, ok := listed[c]
			if !ok {
				r := rows[c]
				l = rowIndices(r) && slices.ContainsFunc(cols[entry], func(o string) bool { return o != c && slices.Equal(rows[o], r) })
				listed[c] = l
			}
			if l {
				out[base+".0"] = true
			}
			return l
		})
	}
	return out
}

// zeroIndexedBases are the names of vars that end in .0, without it and
// without the leading dot, once each in walk order (a walk of two roots
// may read an object twice), and for each how long a prefix it shares
// with another of them. A column is named by its entry, a dot and its
// arc, a prefix of base; only a column of two rows or more can be a list
// or number one alike (rowIndices, slices.Equal), and its rows' names
// share its name and a dot: a base's splits past what it shares with
// another base are columns of one row, which zeroIndexedRows need not
// keep. Sorted, a name shares its longest prefix with a neighbour.
func zeroIndexedBases(vars []gosnmp.SnmpPDU) (bases []string, shared []int) {
	for _, v := range vars {
		if base, ok := strings.CutSuffix(strings.TrimPrefix(v.Name, "."), ".0"); ok {
			bases = append(bases, base)
		}
	}
	order := make([]int, len(bases))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(bases[a], bases[b]) })
	keep, lcp := make([]bool, len(bases)), make([]int, len(bases))
	prev := -1 // the last kept base in sorted order
	for _, i := range order {
		if prev >= 0 && bases[prev] == bases[i] {
			continue // a second reading: the first in walk order is kept (stable)
		}
		keep[i] = true
		if prev >= 0 {
			n := commonPrefix(bases[prev], bases[i])
			lcp[prev], lcp[i] = max(lcp[prev], n), n
		}
		prev = i
	}
	for i, base := range bases {
		if keep[i] {
			bases[len(shared)] = base
			shared = append(shared, lcp[i])
		}
	}
	return bases[:len(shared)], shared
}

// commonPrefix is how many bytes a and b open with alike.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// columnSplits calls f with each way to read base as entry, column and a
// row index of one arc or more (substrings of base: no allocation) whose
// column and its dot lie within the first shared bytes, until f reports
// true.
func columnSplits(base string, shared int, f func(entry, col, idx string) bool) {
	const minArcs = 8 // 1.3.6.1.4.1.E and a column at least
	dots := 0
	for i := 0; i < len(base); i++ {
		if base[i] != '.' {
			continue
		}
		if dots++; dots < minArcs-1 {
			continue
		}
		j := strings.IndexByte(base[i+1:], '.')
		if j < 0 || i+2+j > shared {
			return
		}
		if f(base[:i], base[:i+1+j], base[i+2+j:]) {
			return
		}
	}
}

// scalarNamed reports whether n or more of vars are named like scalars
// (index .0).
func scalarNamed(vars []gosnmp.SnmpPDU, n int) bool {
	for _, v := range vars {
		if strings.HasSuffix(v.Name, ".0") {
			if n--; n == 0 {
				return true
			}
		}
	}
	return false
}

// rowIndices reports whether idx, a column's indices less ".0", number
// two rows or more: indices of one arc, or of several unless they are
// alike but the last arc and that counts 1, 2, 3…: those are a deeper
// group's scalars ("1.1.1.1", "1.1.1.2": Ruckus's identity group and its
// radio group, numbered alike), which a deeper split reads. Addresses
// ("192.0.2.30", "192.0.2.53") are rows.
func rowIndices(idx []string) bool {
	if len(idx) < 2 {
		return false
	}
	cut := func(s string) (string, string) {
		i := strings.LastIndexByte(s, '.')
		if i < 0 {
			return "", s
		}
		return s[:i], s[i+1:]
	}
	first, _ := cut(idx[0])
	if first == "" {
		return true
	}
	for n, s := range idx {
		if p, last := cut(s); p != first || last != strconv.Itoa(n+1) {
			return true
		}
	}
	return false
}

// descrLeadAgrees reports whether the chassis row's description is what
// sysDescr says before its first comma, the rest being the version
// ("USW GigaBit Ethernet Switch, firmware 5.76.7.13442", "Falcon-MX,
// firmware 7.4.4.24": the sysDescr of switch firmware built on one
// chipmaker's software): two objects agree on the product's name, which
// the row's model name then only abbreviates or gives the chip's
// ("UBNT-USW", "Jaguar2-cu8sfp16").
func (vs *values) descrLeadAgrees(chassis string) bool {
	lead, rest, found := strings.Cut(vs.descr, ",")
	lead = tidy(lead)
	return found && lead != "" && tidy(rest) != "" && strings.EqualFold(lead, tidy(vs.entityValue(entColDescr, chassis)))
}
