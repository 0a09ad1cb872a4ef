package snmp

import (
	"maps"
	"reflect"
	"slices"
	"strings"
)

// walkIndex files the subtree probe's objects (values.walked) by the
// prefixes the row and group reads compare: a name's column (all but its
// last arc) and its name without the column's arc, for a one-arc index
// or a two-arc one. The guesses ask for an object's row, group or column
// once per candidate of up to a hundred; scanning the whole walk each
// time made identification quadratic in it (1.5-4.5 ms a device on
// setC's largest probes). Built on first use after the objects change
// (probeStamp).
type walkIndex struct {
	column   map[string][]string     // "1.2.3." → names "1.2.3.<arc>"
	skip1    map[string][]string     // name less its last two arcs, with the dot: rows and groups of one-arc indexes
	skip2    map[string][]string     // name less its last three arcs, with the dot: rows of two-arc indexes
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
	n := len(vs.walked) // the indexes sized once: growing them cost more than filling them; the readings fill as asked
	x := &walkIndex{stamp: st, column: make(map[string][]string, n), skip1: make(map[string][]string, n), skip2: make(map[string][]string, n),
		parts: map[string]partFacts{}, columns: map[string]columnFacts{}, siblings: map[string]siblingFacts{}}
	for n := range vs.walked {
		i := strings.LastIndexByte(n, '.')
		if i < 0 {
			continue
		}
		x.column[n[:i+1]] = append(x.column[n[:i+1]], n)
		j := strings.LastIndexByte(n[:i], '.')
		if j < 0 {
			continue
		}
		x.skip1[n[:j+1]] = append(x.skip1[n[:j+1]], n)
		if k := strings.LastIndexByte(n[:j], '.'); k >= 0 {
			x.skip2[n[:k+1]] = append(x.skip2[n[:k+1]], n)
		}
	}
	vs.walkIndex = x
	return x
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
		!slices.EqualFunc(vs.subtree, before.subtree, sameValue) || !maps.EqualFunc(vs.walked, before.walked, sameValue) {
		return
	}
	vs.guessed, vs.walkIndex, vs.guesses = before.guessed, before.walkIndex, before.guesses
	st := vs.stamp() // the same objects, in new slices and maps
	vs.guessStamp = st
	if vs.walkIndex != nil {
		vs.walkIndex.stamp = st
	}
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
