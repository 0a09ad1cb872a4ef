package snmp

import (
	"cmp"
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

var serialCode = &lazyre.Regexp{Expr: `^[A-Z0-9]*[0-9]{7}[A-Z0-9]*$`}

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
	names, shared, sorted := zeroIndexedBases(vars)
	bases := make([]string, len(names))
	for i, n := range names {
		bases[i] = n[:len(n)-2]
	}
	splits := zeroSplits(bases, shared, sorted)
	cols := zeroColumns(bases, splits)
	out := map[string]bool{}
	for _, c := range cols {
		if c.listed {
			for _, s := range splits[c.start:c.end] {
				out[names[s.base]] = true
			}
		}
	}
	return out
}

// zeroSplit is one way columnSplits reads bases[base] (zeroIndexedRows):
// its column is its first col bytes, its row index what follows the
// column and its dot.
type zeroSplit struct{ base, col int32 }

// zeroSplits are every base's column splits, a column's rows together
// and in walk order: one slice where maps of rows by column cost an
// allocation per row. A column's name has as many dots as its split's
// depth, and bases sorted (sorted, zeroIndexedBases) that share a prefix
// are neighbours: at each depth a column's rows are a run of the bases
// in sorted order, put back in walk order.
func zeroSplits(bases []string, shared, sorted []int) []zeroSplit {
	var depths []int // how many splits each depth has
	for _, i := range sorted {
		d := 0
		columnSplits(bases[i], shared[i], func(_, _, _ string) bool {
			if d == len(depths) {
				depths = append(depths, 0)
			}
			depths[d]++
			d++
			return false
		})
	}
	n := 0
	for _, c := range depths {
		n += c
	}
	all := make([]zeroSplit, n) // by depth, then in sorted order
	byDepth := make([][]zeroSplit, len(depths))
	for d, at := 0, 0; d < len(depths); d++ {
		byDepth[d], at = all[at:at:at+depths[d]], at+depths[d]
	}
	for _, i := range sorted {
		d := 0
		columnSplits(bases[i], shared[i], func(_, c, _ string) bool {
			byDepth[d] = append(byDepth[d], zeroSplit{int32(i), int32(len(c))})
			d++
			return false
		})
	}
	for _, ds := range byDepth { // each run sorted in place
		for start := 0; start < len(ds); {
			name := bases[ds[start].base][:ds[start].col]
			end := start + 1
			for end < len(ds) && bases[ds[end].base][:ds[end].col] == name {
				end++
			}
			slices.SortFunc(ds[start:end], func(a, b zeroSplit) int { return cmp.Compare(a.base, b.base) })
			start = end
		}
	}
	return all
}

// zeroColumn is one column of zeroSplits: its name and entry (prefixes of
// a base), its rows splits[start:end], and whether it is a list.
type zeroColumn struct {
	_           [0]func() // not comparable: no equality function linked
	name, entry string
	start, end  int
	listed      bool
}

// zeroColumns groups splits by column and tells the lists: a column
// whose rows are row indices (rowIndices) and which another column of
// its entry numbers alike.
func zeroColumns(bases []string, splits []zeroSplit) []zeroColumn {
	var cols []zeroColumn
	var idx []string // one column's row indices, for rowIndices
	rowsOf := func(s zeroSplit) string { return bases[s.base][s.col+1:] }
	for start := 0; start < len(splits); {
		name := bases[splits[start].base][:splits[start].col]
		end := start + 1
		for end < len(splits) && bases[splits[end].base][:splits[end].col] == name {
			end++
		}
		idx = idx[:0]
		for _, s := range splits[start:end] {
			idx = append(idx, rowsOf(s))
		}
		entry := name[:strings.LastIndexByte(name, '.')]
		cols = append(cols, zeroColumn{name: name, entry: entry, start: start, end: end, listed: rowIndices(idx)})
		start = end
	}
	byEntry := make([]int, len(cols)) // cols by entry
	for i := range byEntry {
		byEntry[i] = i
	}
	slices.SortStableFunc(byEntry, func(a, b int) int { return strings.Compare(cols[a].entry, cols[b].entry) })
	alike := func(a, b zeroColumn) bool {
		return slices.EqualFunc(splits[a.start:a.end], splits[b.start:b.end], func(x, y zeroSplit) bool { return rowsOf(x) == rowsOf(y) })
	}
	listed := make([]bool, len(cols))
	for lo := 0; lo < len(byEntry); {
		hi := lo + 1
		for hi < len(byEntry) && cols[byEntry[hi]].entry == cols[byEntry[lo]].entry {
			hi++
		}
		for _, i := range byEntry[lo:hi] {
			listed[i] = cols[i].listed && slices.ContainsFunc(byEntry[lo:hi], func(o int) bool { return o != i && alike(cols[o], cols[i]) })
		}
		lo = hi
	}
	for i := range cols {
		cols[i].listed = listed[i]
	}
	return cols
}

// zeroIndexedBases are the names of vars that end in .0, without the
// leading dot, once each in walk order (a walk of two roots may read an
// object twice), and for each how long a prefix its base (the name
// without ".0") shares with another base. A column is named by its
// entry, a dot and its arc, a prefix of base; only a column of two rows
// or more can be a list or number one alike (rowIndices, slices.Equal),
// and its rows' names share its name and a dot: a base's splits past
// what it shares with another base are columns of one row, which
// zeroIndexedRows need not keep. Sorted, a name shares its longest
// prefix with a neighbour; sorted is the names' indices in that order.
func zeroIndexedBases(vars []gosnmp.SnmpPDU) (names []string, shared, sorted []int) {
	n := 0
	for _, v := range vars {
		if strings.HasSuffix(v.Name, ".0") {
			n++
		}
	}
	names = make([]string, 0, n)
	for _, v := range vars {
		if name := strings.TrimPrefix(v.Name, "."); strings.HasSuffix(name, ".0") {
			names = append(names, name)
		}
	}
	base := func(i int) string { return names[i][:len(names[i])-2] }
	ints := make([]int, 3*len(names))
	order, lcp, at := ints[:len(names)], ints[len(names):2*len(names)], ints[2*len(names):] // at: a kept name's index once the others are dropped, -1 for a second reading
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(base(a), base(b)) })
	prev := -1 // the last kept base in sorted order
	for _, i := range order {
		if prev >= 0 && base(prev) == base(i) {
			at[i] = -1
			continue // a second reading: the first in walk order is kept (stable)
		}
		if prev >= 0 {
			n := commonPrefix(base(prev), base(i))
			lcp[prev], lcp[i] = max(lcp[prev], n), n
		}
		prev = i
	}
	kept := 0
	for i, name := range names {
		if at[i] >= 0 {
			at[i], names[kept], lcp[kept] = kept, name, lcp[i]
			kept++
		}
	}
	sorted = order[:0]
	for _, i := range order {
		if at[i] >= 0 {
			sorted = append(sorted, at[i])
		}
	}
	return names[:kept], lcp[:kept], sorted
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
