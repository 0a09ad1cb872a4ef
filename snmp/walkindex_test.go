package snmp

import (
	"slices"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"
)

// indexRoot is the enterprise the walk index tests' objects lie under.
const indexRoot = "1.3.6.1.4.1.99999"

// indexVars are a maker's MIB as a probe reads it: an identity group of
// scalars, a table of one-arc rows (a column of words, one of product
// numbers repeated on each row, one of serials, one with an empty
// first row), a table of two-arc rows, and a short name.
func indexVars() []gosnmp.SnmpPDU {
	var vars []gosnmp.SnmpPDU
	add := func(name, text string) {
		vars = append(vars, gosnmp.SnmpPDU{Name: "." + indexRoot + "." + name, Type: gosnmp.OctetString, Value: []byte(text)})
	}
	for name, text := range map[string]string{
		"1.1.0": "CS-24V4-P32MA", "1.2.0": "KAXV1234567", "1.3.0": "2.4.1", "1.4.0": "Power supply for rack",
		"2.1.1.1.1": "Appliance", "2.1.1.1.2": "Sensor", "2.1.1.2.1": "PSM-C440WACP", "2.1.1.2.2": "PSM-C440WACP",
		"2.1.1.3.1": "SN0000A1", "2.1.1.3.2": "SN0000A2", "2.1.1.4.1": "", "2.1.1.4.2": "GS2201190408",
		"2.1.1.5.1": "Fan-1", "2.1.1.6.2": "-6.11 dBm",
		"3.1.1.1.7.1": "Shelf", "3.1.1.2.7.1": "AB1234567", "3.1.1.3.7.1": "XG116PRO", "3.1.1.3.7.2": "XG116PRO",
		"4": "short",
	} {
		add(name, text)
	}
	slices.SortFunc(vars, func(a, b gosnmp.SnmpPDU) int { return strings.Compare(a.Name, b.Name) })
	return vars
}

func indexedValues(t *testing.T) *values {
	t.Helper()
	vs := newValues("Maker Appliance")
	vs.addSubtreeN([]string{indexRoot}, indexVars(), 100)
	if len(vs.walked) < 15 {
		t.Fatalf("walked %d objects, want the test's 19", len(vs.walked))
	}
	return vs
}

// siblingsScan is siblings as a scan of the whole walk: the reference
// the index must agree with.
func siblingsScan(vs *values, name string) []string {
	arcs := strings.Split(name, ".")
	var out []string
	if strings.HasSuffix(name, ".0") {
		if len(arcs) < 3 {
			return nil
		}
		group := strings.Join(arcs[:len(arcs)-2], ".") + "."
		for n := range vs.walked {
			if rest, ok := strings.CutPrefix(n, group); ok && n != name && strings.Count(rest, ".") == 1 && strings.HasSuffix(rest, ".0") {
				out = append(out, n)
			}
		}
		return out
	}
	for k := 1; k <= 2 && k+2 <= len(arcs); k++ {
		entry := strings.Join(arcs[:len(arcs)-k-1], ".") + "."
		index := "." + strings.Join(arcs[len(arcs)-k:], ".")
		for n := range vs.walked {
			rest, ok := strings.CutPrefix(n, entry)
			if ok && n != name && strings.HasSuffix(rest, index) && !strings.Contains(strings.TrimSuffix(rest, index), ".") {
				out = append(out, n)
			}
		}
	}
	return out
}

// TestSiblingsIndexed holds siblings, which reads the walk's index, to
// the scan of the whole walk it replaced, for every object walked and a
// few names that are not.
func TestSiblingsIndexed(t *testing.T) {
	vs := indexedValues(t)
	names := slices.Collect(func(yield func(string) bool) {
		for n := range vs.walked {
			if !yield(n) {
				return
			}
		}
	})
	names = append(names, "1.0", "1.2.0", "5", "", indexRoot+".9.9.9", indexRoot+".2.1.1.9.1")
	for _, name := range names {
		var got []string
		for _, v := range vs.siblings(name) {
			got = append(got, v.name)
		}
		want := siblingsScan(vs, name)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("siblings(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestColumnFactsAgreeWithScan holds wordColumn and afterEmptyRows,
// which read a column once (columnFacts), to the scans of the column
// they replaced.
func TestColumnFactsAgreeWithScan(t *testing.T) {
	vs := indexedValues(t)
	for name, o := range vs.walked {
		o.name = name
		words := vs.anyOtherRow(o, func(_ string, w value) bool { return wordCell(w) })
		row := atoi(name[strings.LastIndexByte(name, '.')+1:])
		empty := vs.anyOtherRow(o, func(r string, w value) bool { return atoi(r) >= 0 && atoi(r) < row && tidy(w.text) == "" })
		if got := vs.wordColumn(o); got != words {
			t.Errorf("wordColumn(%s) = %v, want %v", name, got, words)
		}
		if got := vs.afterEmptyRows(o); got != empty {
			t.Errorf("afterEmptyRows(%s) = %v, want %v", name, got, empty)
		}
	}
}

// TestGuessFollowsModel: a guess's answer is kept per model found (the
// serial beside the model changes with it) and dropped with the objects
// it was read from.
func TestGuessFollowsModel(t *testing.T) {
	vs := indexedValues(t)
	if got := vs.guess(guessBesideModel); got != "" {
		t.Errorf("beside no model: %q, want none", got)
	}
	vs.model = "CS-24V4-P32MA"
	if got := vs.guess(guessBesideModel); got != "KAXV1234567" {
		t.Errorf("beside %s: %q, want KAXV1234567", vs.model, got)
	}
	vs.model = ""
	if got := vs.guess(guessBesideModel); got != "" {
		t.Errorf("beside no model again: %q, want none", got)
	}
	vs.model = "CS-24V4-P32MA"
	vars := slices.DeleteFunc(indexVars(), func(p gosnmp.SnmpPDU) bool { return strings.HasSuffix(p.Name, ".1.2.0") })
	vs.addSubtreeN([]string{indexRoot}, vars, 100) // a continuation without the serial
	if got := vs.guess(guessBesideModel); got == "KAXV1234567" {
		t.Errorf("after the objects changed: %q kept", got)
	}
}

// TestKeepReadingsOnlyWhenUnchanged: a continuation that read the same
// objects keeps the guesses and the index; one that changed them, or a
// test setting them by hand, drops both.
func TestKeepReadingsOnlyWhenUnchanged(t *testing.T) {
	vs := indexedValues(t)
	vs.guess(guessSerial)
	x := vs.walkIdx()
	vs.addSubtreeN([]string{indexRoot}, indexVars(), 100)
	if vs.walkIdx() != x || len(vs.guesses) != 1 {
		t.Errorf("same objects: index kept %v, %d guesses kept; want both kept", vs.walkIdx() == x, len(vs.guesses))
	}
	vars := append(indexVars(), gosnmp.SnmpPDU{Name: "." + indexRoot + ".5.0", Type: gosnmp.OctetString, Value: []byte("ZX98765432")})
	vs.addSubtreeN([]string{indexRoot}, vars, 100)
	vs.guess(guessVersion)
	if vs.walkIdx() == x || len(vs.guesses) != 1 {
		t.Errorf("a new object: index kept %v, %d guesses (the serial's kept); want the index rebuilt, the version's guess alone", vs.walkIdx() == x, len(vs.guesses))
	}
	vs.subtree = vs.subtree[:1] // as a test sets the objects by hand
	vs.guess(guessSerial)
	if len(vs.guesses) != 1 {
		t.Errorf("the subtree cut by hand: %d guesses, want the serial's alone", len(vs.guesses))
	}
}

// tidyScan is tidy without its shortcut for text already tidy.
func tidyScan(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, " \"'\\")
	if slices.Contains(placeholders, strings.ToLower(s)) {
		return ""
	}
	return s
}

// TestTidyShortcut holds tidy to the copying path it shortcuts, on text
// that is tidy, text that is not, placeholders in any case and text
// whose letters fold outside ASCII (the Kelvin sign, "ſ").
func TestTidyShortcut(t *testing.T) {
	for _, s := range []string{"", " ", "N/A", "n/a", "Unknown", "UNKNOWN", "\u212Anown", "None", "NONE ", " none", "\"none\"",
		"Default String", "default  string", "To Be Filled By O.E.M.", "0", "-", ".", "<private>", "<PRIVATE>", "0123456789",
		"CS-24V4-P32MA", "a  b", "a\tb", "a\nb", "'quoted'", "back\\", "x\u00a0y", "\u017fystem serial number",
		"System Serial Number", "café", "~", "\x7f", "a b c", "ab "} {
		if got, want := tidy(s), tidyScan(s); got != want {
			t.Errorf("tidy(%q) = %q, want %q", s, got, want)
		}
	}
}
