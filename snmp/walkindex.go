package snmp

import (
	"iter"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// walkIndex holds the subtree probe's objects' names (values.walked)
// sorted as text, so that the names below a prefix the row and group
// reads compare are one run of them: a name's column (all but its last
// arc) and its name without the column's arc, for a one-arc index or a
// two-arc one (arcsBelow). The guesses ask for an object's row, group or
// column once per candidate of up to a hundred; scanning the whole walk
// each time made identification quadratic in it (1.5-4.5 ms a device on
// setC's largest probes). Built on first use after the objects change
// (probeStamp): one sorted slice, where three maps of name lists by
// prefix cost an allocation a prefix on each probe.
type walkIndex struct {
	names    []string                // every name of values.walked, sorted
	parts    map[string]partFacts    // anotherPart's readings by object, see partFacts
	columns  map[string]columnFacts  // by column, with the dot, see columnFacts
	siblings map[string]siblingFacts // by object, see siblingFacts
	stamp    probeStamp              // the objects it was built from
}

// walkIdx is the index of vs.walked, built when first asked for.
func (vs *values) walkIdx() *walkIndex {
	st := vs.stamp()
	if vs.walkIndex != nil && vs.walkIndex.stamp == st {
		return vs.walkIndex
	}
	x := &walkIndex{stamp: st, names: slices.Sorted(maps.Keys(vs.walked)),
		parts: map[string]partFacts{}, columns: map[string]columnFacts{}, siblings: map[string]siblingFacts{}}
	vs.walkIndex = x
	return x
}

// arcsBelow is the walked names that are prefix (ending in a dot) and
// dots+1 more arcs: dots 0 for a column's cells, 1 for the names less
// their last two arcs (rows and groups of one-arc indexes), 2 for the
// names less their last three (rows of two-arc indexes). Sorted, the
// names that open with prefix are one run.
func (x *walkIndex) arcsBelow(prefix string, dots int) iter.Seq[string] {
	return func(yield func(string) bool) {
		i, _ := slices.BinarySearch(x.names, prefix)
		for _, n := range x.names[i:] {
			if !strings.HasPrefix(n, prefix) {
				return
			}
			if strings.Count(n[len(prefix):], ".") == dots && !yield(n) {
				return
			}
		}
	}
}

// probe is what a subtree probe left in values (addSubtreeN) and what
// was read of it since: the guesses, the walk's index.
type probe struct {
	subtree        []value
	subtreeScalars int
	behindAgent    bool
	walked         map[string]value
	guessed        subtreeGuesses
	walkIndex      *walkIndex
	guesses        map[guessKey]string
}

func (vs *values) probed() probe {
	return probe{vs.subtree, vs.subtreeScalars, vs.behindAgent, vs.walked, vs.guessed, vs.walkIndex, vs.guesses}
}

// keepReadings keeps what was read of the probe before a continuation
// (probeDeeper, probeSiblings) when the continuation changed none of
// the objects identity reads: a continuation that found nothing new
// (the maker's MIB ended, or went on with objects the subtree does not
// keep) left the guesses as they were, and the next pass of identify
// need not compute them again.
func (vs *values) keepReadings(before probe) {
	if vs.walked == nil || before.walked == nil || vs.subtreeScalars != before.subtreeScalars || vs.behindAgent != before.behindAgent ||
		!slices.EqualFunc(vs.subtree, before.subtree, sameValue) || !vs.sameWalked(before.walked) {
		return
	}
	vs.guessed, vs.walkIndex, vs.guesses = before.guessed, before.walkIndex, before.guesses
	st := vs.stamp() // the same objects, in new slices and maps
	vs.guessStamp = st
	if vs.walkIndex != nil {
		vs.walkIndex.stamp = st
	}
}

// sameWalked reports whether vs.walked holds what walked held: the same
// map, which the probe's index grows in place (probeIndex.changed), or an
// equal one.
func (vs *values) sameWalked(walked map[string]value) bool {
	if vs.probeIdx != nil && reflect.ValueOf(vs.walked).Pointer() == reflect.ValueOf(walked).Pointer() {
		return !vs.probeIdx.changed
	}
	return maps.EqualFunc(vs.walked, walked, sameValue)
}

// probeStamp tells the objects the guesses and the walk's index were
// read from from others, in a few nanoseconds: the subtree's slice and
// counts, the walk's map and size, how many scalars and columns were
// read. addSubtreeN makes new ones; a test may set them by hand.
type probeStamp struct {
	subtree                     *value
	n, scalars                  int
	behind                      bool
	walked                      uintptr
	walkedN, scalarsN, columnsN int
}

func (vs *values) stamp() probeStamp {
	st := probeStamp{n: len(vs.subtree), scalars: vs.subtreeScalars, behind: vs.behindAgent,
		walked: reflect.ValueOf(vs.walked).Pointer(), walkedN: len(vs.walked), scalarsN: len(vs.scalar), columnsN: len(vs.column)}
	if len(vs.subtree) > 0 {
		st.subtree = &vs.subtree[0]
	}
	return st
}

// sameValue reports whether two values are alike in every field.
func sameValue(a, b value) bool {
	return a.text == b.text && a.name == b.name && a.number == b.number && a.elsewhere == b.elsewhere &&
		a.repeated == b.repeated && a.address == b.address && a.zeroRow == b.zeroRow && a.pointer == b.pointer
}
