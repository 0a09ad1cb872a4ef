package snmp

import (
	"bytes"
	"maps"
	"slices"
	"strings"

	"github.com/gosnmp/gosnmp"
)

// probeIndex is what addSubtreeN reads of a subtree probe's answer, kept
// from one pass to the next: each continuation (probeDeeper,
// probeSiblings) hands addSubtreeN the objects the pass before it read
// and its own after them, and the index takes in only those new ones
// where each pass rebuilt walkedObjects', repeatedCells', readingCells'
// and zeroIndexedRows' answers over them all (addSubtreeN took a quarter
// of the profile of setC's slowest device, ird, on ccfe737). Every answer
// is the one those functions give for all the objects read: they read
// the objects in walk order, and a later object changes an earlier one's
// answer only as they would.
type probeIndex struct {
	roots []string
	vars  []gosnmp.SnmpPDU // the objects taken in, in walk order
	// walked is walkedObjects(roots, vars); walkedN how many of vars it
	// took (once: walkedN == len(walked))
	walked  map[string]value
	walkedN int
	// changed: the last pass added to walked or changed an object in
	// it (walked is the map the passes share, grown in place; an
	// object changed in place is copied first, see walk)
	changed, copied bool
	// first and same are repeatedCells' state: a column's first cell
	// by its octets, and the cells another row repeats
	first map[repeatCell]string
	same  map[string]bool
	// decimal and tables are readingCells': the cells holding a
	// decimal number, and how many each table holds
	decimal map[string]bool
	tables  map[string]int
	// zeroNames are the names ending in .0 taken in, zeroN how many
	// objects bore them; zeroRows is zeroIndexedRows(vars), nil when a
	// new such name came since, or the fourth such object (scalarNamed)
	zeroNames map[string]bool
	zeroN     int
	zeroRows  map[string]bool
}

// repeatCell is a table cell for repeatedCells: its column and octets.
type repeatCell struct{ column, octets string }

// probeIndexFor is vs's index extended to vars under roots: the one
// kept when vars open with the objects it took in, under the same
// roots, else a new one.
func (vs *values) probeIndexFor(roots []string, vars []gosnmp.SnmpPDU) *probeIndex {
	x := vs.probeIdx
	if x == nil || !slices.Equal(x.roots, roots) || !samePDUs(x.vars, vars) {
		x = &probeIndex{roots: slices.Clone(roots)}
		n := 0 // the map sized once for what it keeps: a slot is a hundred bytes, and a probe's answer holds others
		for _, v := range vars {
			if x.walks(v) {
				n++
			}
		}
		x.walked = make(map[string]value, n)
		vs.probeIdx = x
	}
	x.changed, x.copied = false, false
	x.add(vars[len(x.vars):])
	x.vars = vars
	if x.zeroRows == nil {
		x.zeroRows = zeroIndexedRows(vars)
	}
	return x
}

// walks reports whether v is one of the walked objects: under a root, no
// exception.
func (x *probeIndex) walks(v gosnmp.SnmpPDU) bool {
	name := strings.TrimPrefix(v.Name, ".")
	return !isException(v.Type) && slices.ContainsFunc(x.roots, func(r string) bool { return below(name, r) })
}

// samePDUs reports whether vars opens with old's objects, name, type and
// value alike.
func samePDUs(old, vars []gosnmp.SnmpPDU) bool {
	if len(vars) < len(old) {
		return false
	}
	for i, o := range old {
		v := vars[i]
		if o.Name != v.Name || o.Type != v.Type || !sameAny(o.Value, v.Value) {
			return false
		}
	}
	return true
}

// sameAny compares two varbinds' values: octets by their bytes, the
// others (numbers, object identifiers as text) as Go values.
func sameAny(a, b any) bool {
	x, ok := a.([]byte)
	y, ok2 := b.([]byte)
	switch {
	case ok || ok2:
		return ok && ok2 && bytes.Equal(x, y)
	case a == nil || b == nil:
		return a == b
	}
	switch a.(type) {
	case string, int, uint, int64, uint64, uint32, int32, float32, float64:
		return a == b
	}
	return false
}

// add takes in the objects after those already taken.
func (x *probeIndex) add(vars []gosnmp.SnmpPDU) {
	for _, v := range vars {
		name := strings.TrimPrefix(v.Name, ".")
		if x.walks(v) {
			x.walk(name, v)
		}
		b, octets := v.Value.([]byte)
		if strings.HasSuffix(name, ".0") {
			if x.zeroN++; !x.zeroNames[name] || x.zeroN == 4 {
				if x.zeroNames == nil {
					x.zeroNames = map[string]bool{}
				}
				x.zeroNames[name], x.zeroRows = true, nil
			}
			continue
		}
		if !octets {
			continue
		}
		if len(b) > 0 {
			x.repeated(name, b)
		}
		if decimalText(string(b)) {
			if x.decimal == nil {
				x.decimal, x.tables = map[string]bool{}, map[string]int{}
			}
			x.decimal[v.Name] = true
			x.tables[readingCellTable(v.Name)]++
		}
	}
}

// walk files one walked object. The map grows in place (probeStamp
// tells it by its size); one whose object changes is copied first, so
// that a pass's map holds what the pass read and probeStamp tells it
// from the last one's by its address.
func (x *probeIndex) walk(name string, v gosnmp.SnmpPDU) {
	val := walkedObject(name, v)
	old, ok := x.walked[name]
	if ok && !x.copied && !sameValue(old, val) {
		x.walked, x.copied = maps.Clone(x.walked), true
	}
	x.changed = x.changed || !ok || !sameValue(old, val)
	x.walked[name] = val
	x.walkedN++
}

// repeated is repeatedCells for one more cell.
func (x *probeIndex) repeated(name string, b []byte) {
	key := repeatCell{name[:max(strings.LastIndexByte(name, '.'), 0)], string(b)}
	if x.first == nil {
		x.first, x.same = map[repeatCell]string{}, map[string]bool{}
	}
	if f, ok := x.first[key]; ok && f != name {
		x.same[f], x.same[name] = true, true
	} else if !ok {
		x.first[key] = name
	}
}

// reading is readingCells(vars)[name]: a decimal number in a table of
// three of them or more.
func (x *probeIndex) reading(name string) bool {
	return x.decimal[name] && x.tables[readingCellTable(name)] >= 3
}

// walkedMap is walkedObjects(roots, vars), the map the passes share
// (keepReadings asks changed; addNextEnterprise copies it before adding
// to it), and whether each name was walked once.
func (x *probeIndex) walkedMap() (map[string]value, bool) {
	return x.walked, len(x.walked) == x.walkedN
}
