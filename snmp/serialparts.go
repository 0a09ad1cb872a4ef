package snmp

import (
	"math/bits"
	"slices"
	"strings"
	"unicode"

	"tend/internal/lazyre"
)

// opticPower is a transceiver's optical power reading as text ("-6.11
// dBm", SFF-8472's receive and transmit power as an agent prints them).
var opticPower = &lazyre.Regexp{Expr: `(?i)^-?\d+(?:\.\d+)?\s?dBm$`}

// anotherPart reports a serial number's candidate among the maker's
// objects that a part of the device holds, not the device: one beside a
// transceiver's diagnostics (its group's or row's objects give a power in
// dBm: an SFP's vendor, part and serial number next to its readings, as
// a home gateway's optical group lists them before the unit's own
// serial); one in the group of an add-on named by what it is for
// ("eNexus WebPack for .118", a power system's management card: the
// serial there is the card's, the system's is in another group); or a
// table cell whose row names a product other than the model found, on
// every row of its table (a switch's power table lists two
// "PSM-C440WACP", each beside its serial), or a cell of a column of kinds
// (wordColumn), or one below its column's empty rows (afterEmptyRows).
// The next candidate may be the device's.
func (vs *values) anotherPart(v value) bool {
	if v.name == "" {
		return false
	}
	f := vs.partFacts(v)
	if f.part {
		return true
	}
	return !strings.HasSuffix(v.name, ".0") && vs.model != "" && slices.ContainsFunc(f.products, func(t string) bool { return !sameProduct(t, vs.model) })
}

// partFacts is what anotherPart reads of an object's row or group that
// does not depend on the model found, read once per walk: the guesses
// ask it of each candidate for each model found.
type partFacts struct {
	part     bool     // a part's whatever the model
	products []string // the product numbers the row's other cells give on other rows too
}

// partFacts is anotherPart's reading of v's row or group, from the
// walk's index (one object's, whatever its text: anotherPart reads v's
// name only).
func (vs *values) partFacts(v value) partFacts {
	x := vs.walkIdx()
	if f, ok := x.parts[v.name]; ok {
		return f
	}
	scalar := strings.HasSuffix(v.name, ".0")
	f := partFacts{part: !scalar && (vs.wordColumn(v) || vs.afterEmptyRows(v))}
	for _, n := range x.siblingNames(v.name) {
		if f.part {
			break
		}
		s := vs.siblingFacts(x, n)
		f.part = s.optic || scalar && s.forText
		if !scalar && s.product != "" {
			f.products = append(f.products, s.product)
		}
	}
	x.parts[v.name] = f
	return f
}

// siblingFacts is what partFacts reads of one object as another's
// sibling, once per walk (x, the walk's index): a row's cells are each
// other's siblings.
type siblingFacts struct {
	_       [0]func() // not comparable: no equality function linked
	optic   bool      // a transceiver's power reading (opticPower)
	forText bool      // " for " in its text: an add-on's group
	product string    // its text, a product number its column's other rows repeat; "" if not
}

func (vs *values) siblingFacts(x *walkIndex, name string) siblingFacts {
	if f, ok := x.siblings[name]; ok {
		return f
	}
	s := vs.walked[name]
	t := tidy(s.text)
	f := siblingFacts{optic: opticPower.MatchString(t), forText: strings.Contains(t, " for ")}
	if vs.inOtherRows(s) && productNumber(t) { // the column first: productNumber's expressions cost more
		f.product = t
	}
	x.siblings[name] = f
	return f
}

// sameProduct reports whether a and b name one product: equal, or one
// holds the other ("S5810-48TS-P" and "FS S5810-48TS-P").
func sameProduct(a, b string) bool {
	a, b = strings.ToUpper(a), strings.ToUpper(b)
	return strings.Contains(a, b) || strings.Contains(b, a)
}

// siblings are the objects the probe walked beside name: for a scalar
// (index .0) the other scalars of its group, for a table cell the other
// columns of its row (an index of one arc or two).
func (vs *values) siblings(name string) []value {
	var out []value
	for _, n := range vs.walkIdx().siblingNames(name) {
		out = append(out, vs.walked[n])
	}
	return out
}

// siblingNames is siblings by name.
func (x *walkIndex) siblingNames(name string) []string {
	dots := [3]int{-1, -1, -1} // where name's last three dots are, the last first
	for k, end := 0, len(name); k < len(dots); k++ {
		if dots[k] = strings.LastIndexByte(name[:end], '.'); dots[k] < 0 {
			break
		}
		end = dots[k]
	}
	if dots[1] < 0 {
		return nil // fewer than three arcs
	}
	var out []string
	if strings.HasSuffix(name, ".0") {
		group := name[:dots[1]+1]
		for n := range x.arcsBelow(group, 1) {
			if rest, ok := strings.CutPrefix(n, group); ok && n != name && strings.Count(rest, ".") == 1 && strings.HasSuffix(rest, ".0") {
				out = append(out, n)
			}
		}
		return out
	}
	// the row of a one-arc index, then of a two-arc one: the entry
	// before the column's arc, the index after it
	for k := range 2 {
		if dots[k+1] < 0 {
			break
		}
		entry, index := name[:dots[k+1]+1], name[dots[k]:]
		for n := range x.arcsBelow(entry, k+1) {
			rest, ok := strings.CutPrefix(n, entry)
			if ok && n != name && strings.HasSuffix(rest, index) && !strings.Contains(strings.TrimSuffix(rest, index), ".") {
				out = append(out, n)
			}
		}
	}
	return out
}

// inOtherRows reports whether another row of o's column holds o's text:
// a table of like parts.
func (vs *values) inOtherRows(o value) bool {
	return vs.anyOtherRow(o, func(_ string, w value) bool { return w.text == o.text })
}

// anyOtherRow reports whether f holds for a cell of o's column the walk
// saw on another row (f has the row's index and the cell); false for a
// scalar.
func (vs *values) anyOtherRow(o value, f func(row string, w value) bool) bool {
	i := strings.LastIndexByte(o.name, '.')
	if i < 0 {
		return false
	}
	col := o.name[:i+1]
	for n := range vs.walkIdx().arcsBelow(col, 0) {
		if row, ok := strings.CutPrefix(n, col); ok && n != o.name && !strings.Contains(row, ".") && f(row, vs.walked[n]) {
			return true
		}
	}
	return false
}

// unitNumber is what follows the model's name in a serial number a
// maker prints as both: eight or more hexadecimal digits.
var unitNumber = &lazyre.Regexp{Expr: `^[0-9A-Fa-f]{8,32}$`}

// modelSerial reports a serial number printed as the model's name (the
// model found, or a word of sysDescr naming it), or the tail of it of
// five characters or more, then the unit's number (unitNumber, six
// decimal digits or more among them) (Terra's "sdi410C020340429" beside sysDescr's "… IP streamer sdi410C",
// A10's virtual "vThunder3ac80f21f3ad31e1" beside AXvThunder). Its
// letters mix cases as a model's do, which the plain guess refuses. An
// order code is not one ("RUT950002XXX": its tail is no number).
func (vs *values) modelSerial(t string) bool {
	if vs.descrWordsOf != vs.descr || vs.descrWords == nil {
		vs.descrWords = strings.FieldsFunc(vs.descr, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '(' || r == ')' })
		vs.descrWordsOf = vs.descr
	}
	return slices.ContainsFunc(vs.descrWords, func(name string) bool { return nameThenNumber(t, name) }) || nameThenNumber(t, vs.model)
}

// nameThenNumber reports whether t is name, or its tail of five
// characters or more, followed by unitNumber with six digits or more.
func nameThenNumber(t, name string) bool {
	for i := 0; i+5 <= len(name); i++ {
		p := name[i:]
		if len(t) <= len(p) || !strings.EqualFold(t[:len(p)], p) {
			continue
		}
		rest := t[len(p):]
		return unitNumber.MatchString(rest) && len(strings.Map(keepDigit, rest)) >= 6
	}
	return false
}

func keepDigit(r rune) rune {
	if r >= '0' && r <= '9' {
		return r
	}
	return -1
}

// wordRun reports a run of ten letters or more of five different ones
// at least, a word's or a name's ("PRIVATESTRING01-CB410", an appliance's
// name), never a serial number's; a redacted serial's run of one letter
// ("2MZZZZZZZZZZ") still has a serial's shape.
func wordRun(t string) bool {
	var kinds uint32 // the letters a to z the run holds, case folded
	n := 0
	for _, r := range t + "." {
		if unicode.IsLetter(r) {
			if l := unicode.ToLower(r); l >= 'a' && l <= 'z' {
				kinds |= 1 << (l - 'a')
			}
			n++
			continue
		}
		if n >= 10 && bits.OnesCount32(kinds) >= 5 {
			return true
		}
		kinds, n = 0, 0
	}
	return false
}

// wordColumn reports a table cell whose column holds, on another row, a
// bare word ("Appliance" above a sensor pod's "AP9520TH") or a part's
// name and its position (slotName): a column of kinds or names, not of
// serial numbers.
func (vs *values) wordColumn(o value) bool {
	c, ok := vs.columnFacts(o.name)
	return ok && (c.words > 1 || c.words == 1 && c.word != o.name)
}

// wordCell reports a cell wordColumn counts: a bare word of four
// letters or more, or a part's name and its position.
func wordCell(w value) bool {
	t := tidy(w.text)
	return len(t) >= 4 && !strings.ContainsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) }) || slotName.MatchString(t)
}

// afterEmptyRows reports a table cell whose column the walk saw empty on
// an earlier row: a table of slots or ports, where only the filled ones
// hold a part (an Eltex MES2424's transceiver table, rows 25 to 28 for
// its uplink ports, with the serial "GS2201190408" of the one SFP plugged
// into port 28 beside its vendor "OEM" and part "KYBP-3327192-LRC"). A
// table that names the device holds it in its first row.
func (vs *values) afterEmptyRows(o value) bool {
	row := atoi(o.name[strings.LastIndexByte(o.name, '.')+1:])
	c, ok := vs.columnFacts(o.name)
	return ok && c.firstEmpty >= 0 && c.firstEmpty < row
}

// columnFacts is what wordColumn and afterEmptyRows read of the column
// of the cell name (all its arcs but the last), once per walk: how many
// of its cells are words (wordCell) and the name of one, and the lowest
// row number of an empty one (-1: none). ok is false for a name without
// a dot.
func (vs *values) columnFacts(name string) (c columnFacts, ok bool) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return c, false
	}
	x, col := vs.walkIdx(), name[:i+1]
	if c, ok := x.columns[col]; ok {
		return c, true
	}
	c.firstEmpty = -1
	for n := range x.arcsBelow(col, 0) {
		w := vs.walked[n]
		if wordCell(w) {
			c.words, c.word = c.words+1, n
		}
		if r := atoi(n[len(col):]); r >= 0 && (c.firstEmpty < 0 || r < c.firstEmpty) && tidy(w.text) == "" {
			c.firstEmpty = r
		}
	}
	x.columns[col] = c
	return c, true
}

// columnFacts are a column's cells as wordColumn and afterEmptyRows
// read them.
type columnFacts struct {
	_          [0]func() // not comparable: no equality function linked
	words      int       // cells that are words (wordCell)
	word       string    // the name of one of them
	firstEmpty int       // the lowest row number of an empty cell, -1 for none
}

// slotName is a part's name and its position in the chassis, as a
// card or inventory table names its rows ("Fan-1", "Card-1-6", "Power
// Filter-1-A", "Shelf Panel-1"): a column of such names holds no serial
// number, the card types beside them ("S13X100R", Nokia 1830 PSS's
// inventory) neither.
var slotName = &lazyre.Regexp{Expr: `(?i)^[a-z]{3,}(?: [a-z]+)?(?:-\d{1,2})+(?:-[a-z])?$`}
