package snmp

import (
	"bytes"
	"cmp"
	"maps"
	"math"
	"math/rand/v2"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/gosnmp/gosnmp"
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

// zeroIndexedRowsMapped is zeroIndexedRows as first written: every
// split looked up and stored by name in maps of rows, columns and
// verdicts.
func zeroIndexedRowsMapped(vars []gosnmp.SnmpPDU) map[string]bool {
	const minArcs = 8 // 1.3.6.1.4.1.E and a column at least
	// a column is named by its entry, a dot and its arc: a prefix of
	// base (one string to hash; the column's arc has no dot, so the
	// last dot splits it back)
	rows := map[string][]string{} // column → row indices in walk order
	cols := map[string][]string{} // entry → its columns
	// splits calls f with each way to read base as entry, column and a
	// row index of one arc or more (substrings of base: no allocation)
	splits := func(base string, f func(entry, col, idx string) bool) {
		dots := 0
		for i := 0; i < len(base); i++ {
			if base[i] != '.' {
				continue
			}
			if dots++; dots < minArcs-1 {
				continue
			}
			j := strings.IndexByte(base[i+1:], '.')
			if j < 0 {
				return
			}
			if f(base[:i], base[:i+1+j], base[i+2+j:]) {
				return
			}
		}
	}
	var bases []string
	seen := map[string]bool{} // a walk of two roots may read an object twice
	for _, v := range vars {
		base, ok := strings.CutSuffix(strings.TrimPrefix(v.Name, "."), ".0")
		if !ok || seen[base] {
			continue
		}
		seen[base] = true
		bases = append(bases, base)
		splits(base, func(entry, c, idx string) bool {
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
	for _, base := range bases {
		splits(base, func(entry, c, _ string) bool {
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

func TestZeroIndexedRowsAsMapped(t *testing.T) {
	// the fewest objects that make a list: two columns of two rows
	var four []gosnmp.SnmpPDU
	for _, n := range []string{"1.1.5", "1.1.6", "1.2.5", "1.2.6"} {
		four = append(four, gosnmp.SnmpPDU{Name: ".1.3.6.1.4.1.9." + n + ".0", Type: gosnmp.OctetString, Value: []byte("x")})
	}
	if got, want := zeroIndexedRows(four), zeroIndexedRowsMapped(four); len(want) != 4 || !maps.Equal(got, want) {
		t.Errorf("zeroIndexedRows(two columns of two rows) = %v, want %v (four)", got, want)
	}
	r := rand.New(rand.NewPCG(3, 4))
	// arcs that open with another's digits ("1", "12"): a name's prefix
	// that is not its column's
	arc := func() string { return []string{"1", "2", "3", "12", "21"}[r.IntN(5)] }
	for range 20000 {
		var vars []gosnmp.SnmpPDU
		for range r.IntN(14) {
			name := "1.3.6.1.4.1.9"
			for range 1 + r.IntN(5) {
				name += "." + arc()
			}
			if r.IntN(6) > 0 {
				name += ".0"
			}
			if r.IntN(2) == 0 {
				name = "." + name
			}
			vars = append(vars, gosnmp.SnmpPDU{Name: name, Type: gosnmp.OctetString, Value: []byte("x")})
		}
		if got, want := zeroIndexedRows(vars), zeroIndexedRowsMapped(vars); !maps.Equal(got, want) {
			t.Fatalf("zeroIndexedRows(%v) = %v, want %v", vars, got, want)
		}
	}
}

func TestIsGenericWordAsExpression(t *testing.T) {
	words := []string{"", "a", "A", "Switch", "SWITCHES", "switchx", "xswitch", "switch ", " switch", "switch\n", "ſwitch", "\u212Aeyboard",
		"ſmart", "Linux", "ups", "UPS", "pdu-", "wi-fi", "wifi", "Wifi", "kvm", "\u212Avm", "über", "none", "None", "nope"}
	words = append(words, strings.Split(genericWords, "|")...)
	for _, w := range strings.Split(genericWords, "|") {
		words = append(words, strings.ToUpper(w), strings.ToUpper(w[:1])+w[1:], w+"s", w[1:])
	}
	for _, w := range words {
		if got, want := isGenericWord(w), genericWord.MatchString(w); got != want {
			t.Errorf("isGenericWord(%q) = %v, want %v", w, got, want)
		}
	}
}

func TestSerialCharsAsExpression(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9\-]{4,31}$`)
	cases := []string{"", "ABCD", "ABCDE", "-ABCD", "A-BCD", "ABCD-", "A_BCD", "AB CD", "ABCDÉ", "ÄBCDE", "abcde\n", strings.Repeat("A", 32), strings.Repeat("A", 33), "0123456789"}
	r := rand.New(rand.NewPCG(5, 6))
	const chars = "aZ09-_ .é\n"
	for range 20000 {
		b := make([]byte, r.IntN(36))
		for i := range b {
			b[i] = chars[r.IntN(len(chars))]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		if got, want := serialChars(c), re.MatchString(c); got != want {
			t.Fatalf("serialChars(%q) = %v, want %v", c, got, want)
		}
	}
}

// cleanTextMapped is cleanText as first written: every text through the
// UTF-8, line-end and control-character passes.
func cleanTextMapped(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return ' '
		}
		return r
	}, s)
	return trimText(s)
}

func TestCleanTextAsMapped(t *testing.T) {
	cases := [][]byte{nil, []byte(""), []byte(" "), []byte(`""`), []byte(`" x "`), []byte("a\x00b"), []byte("a\tb"), []byte("a\r\nb"),
		[]byte("\x7f"), []byte("~"), []byte("é"), []byte{0xff}, []byte(strings.Repeat("x", maxText+10)), []byte(" " + strings.Repeat("y", maxText) + "é")}
	r := rand.New(rand.NewPCG(7, 8))
	const chars = "a Z\"\t\r\n\x00\x7f~é\xff\u2028"
	for range 20000 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = chars[r.IntN(len(chars))]
		}
		cases = append(cases, b)
	}
	for _, c := range cases {
		if got, want := cleanText(c), cleanTextMapped(c); got != want {
			t.Fatalf("cleanText(%q) = %q, want %q", c, got, want)
		}
	}
}

// addressLikeParsed is addressLike as first written: every text parsed.
func addressLikeParsed(t string) bool {
	a, err := netip.ParseAddr(t)
	return err == nil && a.Is4() && (a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.As4()[0] >= 100)
}

func TestAddressLikeAsParsed(t *testing.T) {
	cases := []string{"", "10.0.0.1", "192.168.1.1", "8.8.8.8", "100.64.0.1", "127.0.0.1", "169.254.1.1", "::ffff:10.0.0.1", "fe80::1%eth0",
		"10.0.0.1%eth0", "010.0.0.1", "10.0.0", "1.2.3.4.5", "1.0.2", "v1.2.3.4", " 10.0.0.1", "255.255.255.255", "10.0.0.256"}
	r := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		var b strings.Builder
		for i := range 4 {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(strconv.Itoa(r.IntN(300)))
		}
		cases = append(cases, b.String())
	}
	for _, c := range cases {
		if got, want := addressLike(c), addressLikeParsed(c); got != want {
			t.Fatalf("addressLike(%q) = %v, want %v", c, got, want)
		}
	}
}

func TestVersionShapedAsUncached(t *testing.T) {
	vs := newValues("")
	for _, c := range []string{"", "1.2", "1.2.3", "v1.2.3", "V2.0 build 5", "33.953", "2020.6", "11250.00", "12.0 V", "3.3VCC", "0.000", "1.1E-5", "R80.40", "1.17 Build 21091612", "abc"} {
		for range 2 { // answered, then read from the cache
			if got, want := vs.versionShaped(c), versionShape(c) && !readingLike(c); got != want {
				t.Errorf("versionShaped(%q) = %v, want %v", c, got, want)
			}
		}
	}
}

// TestDecodeValueAsBigInt holds decodeValue's numbers to gosnmp.ToBigInt's
// decimal text, which it wrote them with, at each type's edges.
func TestDecodeValueAsBigInt(t *testing.T) {
	vals := []any{0, 1, -1, math.MaxInt, math.MinInt, int32(math.MaxInt32), int32(math.MinInt32), int64(math.MaxInt64), int64(math.MinInt64),
		uint(0), uint(math.MaxUint), uint(math.MaxInt64) + 1, uint32(math.MaxUint32), uint64(0), uint64(math.MaxUint64), uint64(math.MaxInt64) + 1}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		n := r.Uint64()
		vals = append(vals, int(n), int32(n), int64(n), uint(n), uint32(n), n)
	}
	for _, v := range vals {
		got, ok := decodeValue(gosnmp.SnmpPDU{Type: gosnmp.Counter64, Value: v})
		if want := gosnmp.ToBigInt(v).String(); !ok || got.text != want {
			t.Errorf("decodeValue(%T %v) = %q, %v; want %q", v, v, got.text, ok, want)
		}
	}
}

// TestFieldsCountedAsCut holds moreFields, openedBy and hasWord to the
// forms that cut the words (strings.Fields), over random texts.
func TestFieldsCountedAsCut(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const chars = "aB1 \t\n\u00a0\u2003é-."
	words := []string{"", "a", "ab", "abc", "AbC", "x1", "éé"}
	for range 20000 {
		b := make([]rune, r.IntN(14))
		for i := range b {
			b[i] = []rune(chars)[r.IntN(len([]rune(chars)))]
		}
		s := string(b)
		fs := strings.Fields(s)
		for n := range 6 {
			if got, want := moreFields(s, n), len(fs) > n; got != want {
				t.Fatalf("moreFields(%q, %d) = %v, want %v", s, n, got, want)
			}
		}
		ws := words
		if len(fs) > 0 {
			ws = append(slices.Clip(words), fs[r.IntN(len(fs))]) // a word the text holds
		}
		for _, w := range ws {
			if got, want := openedBy(s, w), len(fs) > 0 && strings.EqualFold(fs[0], w); got != want {
				t.Fatalf("openedBy(%q, %q) = %v, want %v", s, w, got, want)
			}
			want := len(tidy(w)) >= 3 && slices.ContainsFunc(fs, func(f string) bool { return strings.EqualFold(f, tidy(w)) })
			if got := hasWord(s, w); got != want {
				t.Fatalf("hasWord(%q, %q) = %v, want %v", s, w, got, want)
			}
		}
	}
}

// TestWalkedValueAsDecoded holds walkedValue, the probe's octet strings
// taken from walkedObjects' map, to decodeValue over random answers whose
// names repeat (with and without the leading dot), types and values vary.
func TestWalkedValueAsDecoded(t *testing.T) {
	roots := []string{"1.3.6.1.4.1.9", "1.3.6.1.4.1.11"}
	names := []string{"1.3.6.1.4.1.9.1.0", ".1.3.6.1.4.1.9.1.0", "1.3.6.1.4.1.9.2.1", "1.3.6.1.4.1.11.5.0", "1.3.6.1.4.1.12.1.0"}
	texts := []any{[]byte("ABC-12"), []byte(" x\x00y"), []byte("é\xff"), "AB", []byte(""), 7}
	types := []gosnmp.Asn1BER{gosnmp.OctetString, gosnmp.OctetString, gosnmp.Integer, gosnmp.NoSuchObject}
	r := rand.New(rand.NewPCG(9, 10))
	for range 5000 {
		vars := make([]gosnmp.SnmpPDU, r.IntN(5))
		for i := range vars {
			vars[i] = gosnmp.SnmpPDU{Name: names[r.IntN(len(names))], Type: types[r.IntN(len(types))], Value: texts[r.IntN(len(texts))]}
		}
		walked, once := walkedObjects(roots, vars)
		for _, v := range vars {
			name := strings.TrimPrefix(v.Name, ".")
			if v.Type != gosnmp.OctetString || !slices.ContainsFunc(roots, func(r string) bool { return below(name, r) }) {
				continue
			}
			got, gotOK := walkedValue(walked, once, name, v)
			want, wantOK := decodeValue(v)
			if got != want || gotOK != wantOK {
				t.Fatalf("%v: walkedValue(%s) = %+v, %v; decodeValue %+v, %v", vars, name, got, gotOK, want, wantOK)
			}
		}
	}
}

// walkFiled is the walk's index as first written: names filed in maps
// by their column, their name less two arcs and less three.
func walkFiled(names []string) [3]map[string][]string {
	out := [3]map[string][]string{{}, {}, {}}
	for _, n := range names {
		end := len(n)
		for k := range out {
			i := strings.LastIndexByte(n[:end], '.')
			if i < 0 {
				break
			}
			out[k][n[:i+1]] = append(out[k][n[:i+1]], n)
			end = i
		}
	}
	return out
}

// TestArcsBelowAsFiled holds walkIndex.arcsBelow to the maps it
// replaced, over random walks (names of short arcs, some empty) and
// every prefix of their names.
func TestArcsBelowAsFiled(t *testing.T) {
	arcs := []string{"1", "2", "10", "0", "", "9"}
	r := rand.New(rand.NewPCG(11, 12))
	for range 3000 {
		walked := map[string]value{}
		for range r.IntN(30) {
			parts := make([]string, 1+r.IntN(6))
			for i := range parts {
				parts[i] = arcs[r.IntN(len(arcs))]
			}
			walked[strings.Join(parts, ".")] = value{}
		}
		vs := newValues("")
		vs.walked = walked
		x := vs.walkIdx()
		filed := walkFiled(slices.Collect(maps.Keys(walked)))
		for dots, m := range filed {
			prefixes := slices.Collect(maps.Keys(m))
			for n := range walked {
				for i := range len(n) {
					if n[i] == '.' {
						prefixes = append(prefixes, n[:i+1])
					}
				}
			}
			for _, p := range prefixes {
				got, want := slices.Sorted(x.arcsBelow(p, dots)), slices.Sorted(slices.Values(m[p]))
				if !slices.Equal(got, want) {
					t.Fatalf("%v: arcsBelow(%q, %d) = %q, want %q", slices.Sorted(maps.Keys(walked)), p, dots, got, want)
				}
			}
		}
	}
}

// tidyJoined is tidy as first written: the words joined by single
// spaces, trimmed, placeholders by their lower case.
func tidyJoined(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, " \"'\\")
	if slices.Contains(placeholders, strings.ToLower(s)) {
		return ""
	}
	return s
}

// TestTidyAsJoined holds tidy (its ASCII paths and singleSpaced) to the
// form it replaced, over the placeholders in any case and random texts of
// spaces (ASCII and Unicode), quotes, letters that fold oddly (the Kelvin
// sign, long s) and invalid UTF-8.
func TestTidyAsJoined(t *testing.T) {
	cases := []string{"", " ", "  ", "a  b", " a", "a ", "a\tb", "a\u00a0b", "\u00a0", "N/A", " n/a ", "\"None\"", "\u212a", "\u017f", "Unknown\u00a0", "a\xffb  c"}
	for _, p := range placeholders {
		cases = append(cases, p, strings.ToUpper(p), " "+p+" ", "'"+p+"'", strings.ReplaceAll(p, " ", "  "), strings.ReplaceAll(p, " ", "\u3000"))
	}
	pieces := []string{"a", "N", "/", " ", "  ", "\t", "\u00a0", "\u2003", "\"", "'", "\\", "é", "\u212a", "\u017f", "\xff", "none", "Unknown", "o.e.m.", "0"}
	r := rand.New(rand.NewPCG(13, 14))
	for range 30000 {
		var b strings.Builder
		for range r.IntN(7) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		cases = append(cases, b.String())
	}
	for _, c := range cases {
		if got, want := tidy(c), tidyJoined(c); got != want {
			t.Fatalf("tidy(%q) = %q, want %q", c, got, want)
		}
	}
}

// TestGroupsAndColumnAsSplit holds shortGroups and value.col to
// strings.Split's forms, over random texts of hyphens and dots.
func TestGroupsAndColumnAsSplit(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	const chars = "ab1-.-."
	for range 20000 {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = chars[r.IntN(len(chars))]
		}
		s := string(b)
		g := strings.Split(s, "-")
		if got, want := shortGroups(s), len(g) >= 3 && !slices.ContainsFunc(g, func(p string) bool { return len(p) > 3 }); got != want {
			t.Fatalf("shortGroups(%q) = %v, want %v", s, got, want)
		}
		arcs := strings.Split(s, ".")
		if got, want := (value{name: s}).col(), arcs[max(len(arcs)-2, 0)]; got != want {
			t.Fatalf("col(%q) = %q, want %q", s, got, want)
		}
	}
}

// identityShapedCounted is identityShaped as first written: every
// column's rows and every cell's octets counted.
func identityShapedCounted(more []gosnmp.SnmpPDU) []gosnmp.SnmpPDU {
	column := func(name string) string { return name[:max(strings.LastIndexByte(name, '.'), 0)] }
	type cell struct{ column, octets string }
	rows, seen := map[string]int{}, map[cell]int{}
	for _, v := range more {
		if isException(v.Type) {
			continue
		}
		rows[column(v.Name)]++
		if b, ok := v.Value.([]byte); ok {
			seen[cell{column(v.Name), string(b)}]++
		}
	}
	readings := readingCells(more)
	return slices.DeleteFunc(slices.Clone(more), func(v gosnmp.SnmpPDU) bool {
		b, _ := v.Value.([]byte)
		c := column(v.Name)
		switch {
		case strings.HasSuffix(v.Name, ".0"):
			return rows[c] > 1
		case strings.HasSuffix(v.Name, ".1"):
			return seen[cell{c, string(b)}] > 1 || readings[v.Name]
		}
		return true
	})
}

// TestIdentityShapedAsCounted holds identityShaped to the form that
// counted every object, over random answers: scalars and first rows of
// columns shared with other rows, repeated and decimal octets, numbers
// and exceptions.
func TestIdentityShapedAsCounted(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 1))
	texts := []any{[]byte("DS18B20"), []byte("3.25"), []byte("4.5"), []byte(""), 7, nil}
	types := []gosnmp.Asn1BER{gosnmp.OctetString, gosnmp.OctetString, gosnmp.Integer, gosnmp.EndOfMibView}
	for range 20000 {
		more := make([]gosnmp.SnmpPDU, r.IntN(12))
		for i := range more {
			name := ".1.3.6.1.4.1.9." + strconv.Itoa(1+r.IntN(2)) + "." + strconv.Itoa(1+r.IntN(2)) + "." + strconv.Itoa(r.IntN(3))
			more[i] = gosnmp.SnmpPDU{Name: name, Type: types[r.IntN(len(types))], Value: texts[r.IntN(len(texts))]}
		}
		got, want := identityShaped(more), identityShapedCounted(more)
		if !slices.EqualFunc(got, want, func(a, b gosnmp.SnmpPDU) bool {
			return a.Name == b.Name && a.Type == b.Type && sameAny(a.Value, b.Value)
		}) {
			t.Fatalf("identityShaped(%v) = %v, want %v", more, got, want)
		}
	}
}

// besideObjectsScanned is besideObjects as first written: every walked
// object's name cut against the row's prefix and index.
func (vs *values) besideObjectsScanned(name string) []value {
	arcs := strings.Split(name, ".")
	if len(arcs) < 2 {
		return nil
	}
	col := atoi(arcs[len(arcs)-2])
	prefix, index := strings.Join(arcs[:len(arcs)-2], ".")+".", "."+arcs[len(arcs)-1]
	var after, before value
	for n, v := range vs.walked {
		rest, ok := strings.CutPrefix(n, prefix)
		c, ok2 := strings.CutSuffix(rest, index)
		if !ok || !ok2 {
			continue
		}
		switch i := atoi(c); {
		case i > col && (after.name == "" || i < atoi(after.col())):
			after = v
		case i >= 0 && i < col && (before.name == "" || i > atoi(before.col())):
			before = v
		}
	}
	return []value{after, before}
}

// TestBesideObjectsAsScanned holds besideObjects, which reads the walk's
// index, to the form that scanned every walked object, over random walks
// of scalars, one- and two-arc indexes and names of one or two arcs.
func TestBesideObjectsAsScanned(t *testing.T) {
	r := rand.New(rand.NewPCG(35, 1))
	arc := func() string { return strconv.Itoa(r.IntN(4)) }
	name := func() string {
		switch r.IntN(6) {
		case 0:
			return arc() + "." + arc() // two arcs: the row's prefix is "."
		case 1:
			return "1.3.6.1.4.1.9." + arc() + "." + arc() + "." + arc() + "." + arc() // a two-arc index
		}
		return "1.3.6.1.4.1.9." + arc() + "." + arc() + "." + arc()
	}
	for range 5000 {
		vs := newValues("")
		vs.walked = map[string]value{}
		for range r.IntN(16) {
			n := name()
			vs.walked[n] = value{name: n, text: n}
		}
		for range 8 {
			n := name()
			if r.IntN(2) == 0 && len(vs.walked) > 0 {
				for k := range vs.walked {
					n = k
					break
				}
			}
			if got, want := vs.besideObjects(n), vs.besideObjectsScanned(n); !slices.Equal(got, want) {
				t.Fatalf("besideObjects(%q) over %v = %v, want %v", n, slices.Sorted(maps.Keys(vs.walked)), got, want)
			}
		}
	}
}

// modelFromSubtreeUncached is modelFromSubtree as written before its
// texts' readings were kept (modelTextOf): every object's text read anew
// in every call.
func (vs *values) modelFromSubtreeUncached(subtree []value) string {
	if !vs.guessed.ok {
		serial, version := vs.guess(guessSerial), vs.guess(guessVersion)
		if productNumber(serial) {
			serial = ""
		}
		vs.guessed = subtreeGuesses{ok: true, serial: serial, version: version}
	}
	serial, version := vs.guessed.serial, vs.guessed.version
	host, banner := vs.sysName, vs.submatch(linuxHost, vs.descr)
	if banner != nil {
		host = banner[1]
	}
	descr := vs.tidyDescr()
	controller := vs.match(controllerName, vs.descr)
	for i, v := range subtree {
		if i > 0 && vs.otherMaker(subtree[i-1].text) {
			continue
		}
		if vs.componentRow(v) {
			continue
		}
		t := vs.guessText(guessModel, v.text)
		if controller && (vs.match(processorName, t) || vs.match(processorBrand, t)) {
			continue
		}
		if strings.EqualFold(t, descr) && repeatedName(t) {
			return t
		}
		if m := vs.submatch(productBanner, t); m != nil {
			t = m[1]
		} else if m := vs.submatch(revisionSuffix, t); m != nil {
			t = m[1]
		} else if m := vs.submatch(codeSuffix, t); m != nil {
			t = m[1]
		} else if m := vs.submatch(describedPart, t); m != nil {
			t = cmp.Or(m[1], m[2], m[3])
			if hyphenatedPart(t) && unicode.IsLetter(rune(t[0])) {
				return t
			}
		}
		if t != "" && !v.zeroRow && !vs.match(portName, t) && !vs.match(numberedItem, t) && !vs.match(sensorName, t) && t != serial && t != version && !vs.listed(v) &&
			(!strings.EqualFold(t, host) && !strings.EqualFold(t, vs.sysName) || i == 0 && banner == nil) && (modelLike(t) || codeModel(t) || t != tidy(v.text) && vs.match(typeModel, t)) &&
			!vs.match(releaseShape, t) && !vs.pointingRow(v) {
			return t
		}
	}
	return ""
}

// TestModelFromSubtreeAsUncached holds modelFromSubtree to the form that
// read every text anew, over random subtrees of product names, serials,
// versions, processors, makers' names and ports, behind random sysDescrs
// and sysObjectIDs, asked twice with the objects growing between the
// asks as a probe's passes grow them.
func TestModelFromSubtreeAsUncached(t *testing.T) {
	r := rand.New(rand.NewPCG(35, 2))
	texts := []string{"PowerEdge R740", "CP1000PFCLCD", "RS30-1602OOZZSDHPHH", "IBM,8233-E8B", "Sierra Wireless, Incorporated", "MC7304",
		"Intel(R) Xeon(R) CPU E5-2660", "GE8", "XE25", "1.2.3", "v4.5.6-r2", "ABCD123456", "EN1814", "PSR-1200-48", "host01",
		"SC-TS01 v 2.1", "RW-5550-0150 with 2 fans", "Temp Sensor 1", "LUN-01", "LUN-02", "ES-6642B", "", "  ", "Hewlett Packard Enterprise",
		"Rack PDU 2U (AP7900)", "R80.10", "Model X200 rev B", "X200"}
	descrs := []string{"", "Linux host01 4.4.0 #1 SMP armv7l", "Integrated Lights-Out 5", "X200", "PowerEdge R740", "Baseboard Management Controller"}
	oids := []string{"", "1.3.6.1.4.1.674.10892.5", "1.3.6.1.4.1.11.2.3.7.11", "1.3.6.1.4.1.99999.1"}
	build := func(descr, oid string, objs []value) *values {
		vs := newValues(descr)
		vs.sysOID, vs.sysName = oid, "host01"
		vs.subtree = slices.Clone(objs)
		vs.walked = map[string]value{}
		for _, v := range objs {
			vs.walked[v.name] = v
		}
		return vs
	}
	for range 3000 {
		descr, oid := descrs[r.IntN(len(descrs))], oids[r.IntN(len(oids))]
		var objs []value
		for i := range 2 + r.IntN(10) {
			v := value{text: texts[r.IntN(len(texts))], name: "1.3.6.1.4.1.99999.1." + strconv.Itoa(1+i%3) + "." + strconv.Itoa(1+i/3), zeroRow: r.IntN(8) == 0, elsewhere: r.IntN(4) == 0}
			objs = append(objs, v)
		}
		cached, fresh := build(descr, oid, objs[:len(objs)/2]), build(descr, oid, objs[:len(objs)/2])
		for pass := range 2 {
			if got, want := cached.modelFromSubtree(cached.subtree), fresh.modelFromSubtreeUncached(fresh.subtree); got != want {
				t.Fatalf("pass %d: modelFromSubtree over %+v (sysDescr %q, sysObjectID %q) = %q, want %q", pass, cached.subtree, descr, oid, got, want)
			}
			next := build(descr, oid, objs) // the next pass: more objects, the texts read so far kept
			next.modelTexts, next.modelTextsOf, next.matches, next.submatches = cached.modelTexts, cached.modelTextsOf, cached.matches, cached.submatches
			cached, fresh = next, build(descr, oid, objs)
		}
	}
}
