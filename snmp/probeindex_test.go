package snmp

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"
)

// walkedObjects is the probe's objects under roots by name, built anew
// from all of vars as each pass of addSubtreeN did before probeIndex:
// once reports that no name was walked twice.
func walkedObjects(roots []string, vars []gosnmp.SnmpPDU) (out map[string]value, once bool) {
	out, n := map[string]value{}, 0
	for _, v := range vars {
		name := strings.TrimPrefix(v.Name, ".")
		if !isException(v.Type) && slices.ContainsFunc(roots, func(r string) bool { return below(name, r) }) {
			out[name] = walkedObject(name, v)
			n++
		}
	}
	return out, len(out) == n
}

// repeatedCells marks the table cells of a probe's answer whose octets
// another row of the same column repeats ("180500000" on each of a UPS's
// six modules), built anew from all of vars as before probeIndex.
func repeatedCells(vars []gosnmp.SnmpPDU) map[string]bool {
	column := func(name string) string { return name[:max(strings.LastIndexByte(name, '.'), 0)] }
	type cell struct{ column, octets string }
	first := map[cell]string{}
	out := map[string]bool{}
	for _, v := range vars {
		b, ok := v.Value.([]byte)
		name := strings.TrimPrefix(v.Name, ".")
		if !ok || len(b) == 0 || strings.HasSuffix(name, ".0") {
			continue
		}
		key := cell{column(name), string(b)}
		if f, ok := first[key]; ok && f != name {
			out[f], out[name] = true, true
		} else if !ok {
			first[key] = name
		}
	}
	return out
}

// TestProbeIndexAsRebuilt holds probeIndex, extended pass by pass, to
// walkedObjects, repeatedCells, readingCells and zeroIndexedRows
// rebuilt from all the objects: random answers whose names repeat (with
// and without the leading dot), end in .0 or not, with repeated and
// decimal octets, numbers and exceptions, read in up to four passes that
// each add to the last one's objects, and now and then a pass that
// changes an earlier object or the roots (a new index); and whether a
// pass's objects are the last one's (sameWalked, keepReadings).
func TestProbeIndexAsRebuilt(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 13))
	texts := []any{[]byte("ABC-12"), []byte("3.25"), []byte("-1.5"), []byte("17.0"), []byte(""), []byte("x"), 7, uint(9), "1.3.6.1.4.1.9.1", nil}
	types := []gosnmp.Asn1BER{gosnmp.OctetString, gosnmp.OctetString, gosnmp.OctetString, gosnmp.Integer, gosnmp.ObjectIdentifier, gosnmp.NoSuchObject, gosnmp.EndOfMibView}
	rootSets := [][]string{{"1.3.6.1.4.1.9"}, {"1.3.6.1.4.1.9.2", "1.3.6.1.4.1.9"}}
	arc := func() string { return []string{"1", "2", "3", "12"}[r.IntN(4)] }
	pdu := func() gosnmp.SnmpPDU {
		name := "1.3.6.1.4.1." + []string{"9", "9", "9", "11"}[r.IntN(4)]
		for range 2 + r.IntN(4) {
			name += "." + arc()
		}
		if r.IntN(3) == 0 {
			name += ".0"
		}
		if r.IntN(2) == 0 {
			name = "." + name
		}
		return gosnmp.SnmpPDU{Name: name, Type: types[r.IntN(len(types))], Value: texts[r.IntN(len(texts))]}
	}
	for range 3000 {
		vs, roots := newValues(""), rootSets[0]
		var vars []gosnmp.SnmpPDU
		var last, lastRead map[string]value // the last pass's map, and what it held then
		for range 1 + r.IntN(4) {
			vars = slices.Clone(vars)
			for range r.IntN(12) {
				vars = append(vars, pdu())
			}
			if len(vars) > 0 && r.IntN(8) == 0 {
				vars[r.IntN(len(vars))] = pdu() // not the last pass's objects
			}
			if r.IntN(8) == 0 {
				roots = rootSets[r.IntN(len(rootSets))]
			}
			x := vs.probeIndexFor(roots, vars)
			walked, once := x.walkedMap()
			wantWalked, wantOnce := walkedObjects(roots, vars)
			if !maps.Equal(walked, wantWalked) || once != wantOnce {
				t.Fatalf("%v: walked %v %v, want %v %v", vars, walked, once, wantWalked, wantOnce)
			}
			// keepReadings: the passes share a map grown in place
			vs.walked = walked
			if last != nil && vs.sameWalked(last) != maps.EqualFunc(walked, lastRead, sameValue) {
				t.Fatalf("%v: sameWalked = %v, last pass's objects %v, now %v", vars, !vs.sameWalked(last), lastRead, walked)
			}
			last, lastRead = walked, maps.Clone(walked)
			if want := repeatedCells(vars); !maps.Equal(x.same, want) {
				t.Fatalf("%v: repeated %v, want %v", vars, x.same, want)
			}
			if want := zeroIndexedRows(vars); !maps.Equal(x.zeroRows, want) {
				t.Fatalf("%v: zero rows %v, want %v", vars, x.zeroRows, want)
			}
			readings := readingCells(vars)
			for _, v := range vars {
				if x.reading(v.Name) != readings[v.Name] {
					t.Fatalf("%v: reading(%s) = %v", vars, v.Name, !readings[v.Name])
				}
			}
		}
	}
}
