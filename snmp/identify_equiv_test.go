package snmp

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The identification path's hot helpers were rewritten to allocate
// nothing (issue 13, BenchmarkIdentifyEvery); these tests hold each to
// the simple form it replaced, over edge cases and random inputs.

// selfIndexedBuilt is selfIndexed as first written: the index built as
// text.
func selfIndexedBuilt(name string, val any) bool {
	b, ok := val.([]byte)
	if !ok || len(b) < 3 || len(b) > 64 {
		return false
	}
	var idx strings.Builder
	for _, c := range b {
		idx.WriteByte('.')
		idx.WriteString(strconv.Itoa(int(c)))
	}
	return strings.HasSuffix(name, idx.String())
}

func TestSelfIndexedAsBuilt(t *testing.T) {
	cases := []struct {
		name string
		val  any
	}{
		{"1.3.6.1.4.1.9.1.3.65.66.67", []byte("ABC")},
		{".65.66.67", []byte("ABC")},
		{"65.66.67", []byte("ABC")},
		{"1.3.6.1.4.1.9.1.3.065.66.67", []byte("ABC")},
		{"1.3.6.1.4.1.9.1.3.165.66.67", []byte("ABC")},
		{"1.3.6.1.4.1.9.1.3.0.255.100", []byte{0, 255, 100}},
		{"1.3.6.1.4.1.9.1.3.00.255.100", []byte{0, 255, 100}},
		{"1.3.6.1.4.1.9.1.3.1000.255.100", []byte{232, 255, 100}},
		{"1.3.6.1.4.1.9.1.3..66.67", []byte("ABC")},
		{"1.3.6.1.4.1.9.1.3.65.66.67", "ABC"},
		{"1.3.6.1.4.1.9.1.3.65.66", []byte("AB")},
	}
	for _, c := range cases {
		if got, want := selfIndexed(c.name, c.val), selfIndexedBuilt(c.name, c.val); got != want {
			t.Errorf("selfIndexed(%q, %v) = %v, want %v", c.name, c.val, got, want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, 3+r.IntN(4))
		for i := range b {
			b[i] = byte(r.IntN(4) * 50) // 0, 50, 100, 150: arcs of one to three digits
		}
		arcs := []string{"1", "3", "6"}
		for _, c := range b {
			a := strconv.Itoa(int(c))
			switch r.IntN(8) {
			case 0:
				a = "0" + a
			case 1:
				a = strconv.Itoa(int(c) + 1)
			}
			arcs = append(arcs, a)
		}
		name := strings.Join(arcs[r.IntN(2):], ".")
		if got, want := selfIndexed(name, b), selfIndexedBuilt(name, b); got != want {
			t.Fatalf("selfIndexed(%q, %v) = %v, want %v", name, b, got, want)
		}
	}
}

// tidyFolded is tidy's placeholder test as first written: every
// placeholder compared, whatever the length.
func tidyFolded(s string) string {
	if tidyASCII(s) {
		if slices.ContainsFunc(placeholders, func(p string) bool { return strings.EqualFold(p, s) }) {
			return ""
		}
		return s
	}
	return tidy(s)
}

func TestTidyPlaceholderLengths(t *testing.T) {
	for _, p := range placeholders {
		for _, s := range []string{p, strings.ToUpper(p), p + "x", "x" + p, strings.TrimSuffix(p, "."), "N/A", "To Be Filled By O.E.M.", "Unknown1"} {
			if got, want := tidy(s), tidyFolded(s); got != want {
				t.Errorf("tidy(%q) = %q, want %q", s, got, want)
			}
		}
	}
}

// readingTable is readingCells' table as first written: the name split
// into arcs and joined again less its last three.
func readingTable(name string) string {
	parts := strings.Split(strings.TrimPrefix(name, "."), ".")
	return strings.Join(parts[:max(len(parts)-3, 0)], ".")
}

func TestReadingTableAsSplit(t *testing.T) {
	for _, name := range []string{"", ".", "1", "1.2", "1.2.3", "1.2.3.4", ".1.2.3.4", "1.3.6.1.4.1.9.1.2.3", "1..2.3", "..", "...", "...."} {
		if got, want := readingCellTable(name), readingTable(name); got != want {
			t.Errorf("readingCellTable(%q) = %q, want %q", name, got, want)
		}
	}
}
