package identity

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tend/identity/internal/ouiregistry"
	"tend/internal/raceflag"
)

// The registry exports oui.bin is generated from, as the go:generate line
// in doc.go names them. They live outside the module, so tests that need
// them skip when they are absent.
const (
	corpusDir   = "../../shared/corpus/macvendor"
	currentTSV  = "oui-data-npm-2.1.9.tsv"
	previousTSV = "ieee-data-20220827.tsv"
)

func openRegistry(tb testing.TB) *Registry {
	tb.Helper()
	r, err := OpenRegistry()
	if err != nil {
		tb.Fatalf("OpenRegistry: %v", err)
	}
	return r
}

// corpusPaths returns the registry exports in generator order, skipping the
// test when they are not checked out next to the module.
func corpusPaths(t *testing.T) []string {
	t.Helper()
	paths := []string{filepath.Join(corpusDir, currentTSV), filepath.Join(corpusDir, previousTSV)}
	for _, p := range paths {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			t.Skipf("registry corpus %s not present (expected next to the module at %s); skipping", p, corpusDir)
		} else if err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

func mustMAC(t *testing.T, s string) []byte {
	t.Helper()
	hw, err := net.ParseMAC(s)
	if err != nil {
		t.Fatalf("ParseMAC(%q): %v", s, err)
	}
	return hw
}

type lookupResult struct {
	Org string
	OK  bool
}

func TestLookup(t *testing.T) {
	r := openRegistry(t)
	const ieeeRA = "IEEE Registration Authority"
	tests := []struct {
		name string
		mac  string
		want lookupResult
	}{
		// /24 (MA-L) assignments, as in oui-data-npm-2.1.9.tsv.
		{"cisco", "00:1b:54:12:34:56", lookupResult{"Cisco Systems, Inc", true}},
		{"hp inc", "00:68:eb:00:00:01", lookupResult{"HP Inc.", true}},
		{"hewlett packard", "00:01:e6:ab:cd:ef", lookupResult{"Hewlett Packard", true}},
		{"brother", "00:1b:a9:01:02:03", lookupResult{"Brother industries, LTD.", true}},
		{"synology", "00:11:32:aa:bb:cc", lookupResult{"Synology Incorporated", true}},
		{"apc", "00:c0:b7:11:22:33", lookupResult{"AMERICAN POWER CONVERSION CORP", true}},
		{"private", "00:01:01:00:00:00", lookupResult{"Private", true}},
		{"upper bound of block", "00:1b:54:ff:ff:ff", lookupResult{"Cisco Systems, Inc", true}},

		// /28 (MA-M) blocks carved out of 00:55:da and 54:08:3b, which the
		// registry assigns to the IEEE Registration Authority as /24s.
		{"28 shinko", "00:55:da:01:02:03", lookupResult{"Shinko Technos co.,ltd.", true}},
		{"28 koolpos", "00:55:da:1f:ff:ff", lookupResult{"KoolPOS Inc.", true}},
		{"28 toray", "54:08:3b:40:00:00", lookupResult{"Toray Medical Company Limited", true}},
		{"28 unassigned falls back to 24", "54:08:3b:f0:00:00", lookupResult{ieeeRA, true}},

		// /36 (MA-S) blocks inside 70:b3:d5, also an IEEE RA /24.
		{"36 soredi", "70:b3:d5:00:1f:ff", lookupResult{"SOREDI touch systems GmbH", true}},
		{"36 neighbour", "70:b3:d5:00:20:00", lookupResult{"Gogo BA", true}},
		{"36 unassigned falls back to 24", "70:b3:d5:00:00:00", lookupResult{ieeeRA, true}},

		// Only in the 2022 export: the union keeps retired /36 blocks.
		{"36 from older export", "00:50:c2:00:0a:bc", lookupResult{"T.L.S. Corp.", true}},
		// In both exports with different names: the current one wins.
		{"current export wins", "00:00:c5:00:00:00", lookupResult{"Commscope", true}},

		// Names normalised by the generator.
		{"no-break spaces", "00:b8:10:00:00:00", lookupResult{"Yichip Microelectronics (Hangzhou) Co.,Ltd", true}},
		{"leading zero-width space", "48:bc:a6:00:00:00", lookupResult{"ASUNG TECHNO CO.,Ltd", true}},
		{"trailing left-to-right mark", "70:b3:d5:26:90:00", lookupResult{"Gilbarco Veeder-Root", true}},
		{"ideographic spaces", "70:b3:d5:2f:a0:00", lookupResult{"Toray Medical Co.,Ltd", true}},

		// Longer hardware addresses: only the first six bytes count.
		{"eui-64", "00:1b:54:ff:fe:12:34:56", lookupResult{"Cisco Systems, Inc", true}},

		// Not in the registry's reach.
		{"locally administered", "02:00:00:00:00:01", lookupResult{}},
		{"cisco prefix with local bit", "02:1b:54:12:34:56", lookupResult{}},
		{"legacy block with local bit", "02:07:01:00:00:00", lookupResult{}},
		{"randomised phone mac", "da:a1:19:00:00:01", lookupResult{}},
		{"ipv4 multicast", "01:00:5e:00:00:01", lookupResult{}},
		{"cisco prefix with multicast bit", "01:1b:54:12:34:56", lookupResult{}},
		{"ipv6 multicast", "33:33:00:00:00:01", lookupResult{}},
		{"broadcast", "ff:ff:ff:ff:ff:ff", lookupResult{}},
		{"unassigned", "00:29:28:00:00:00", lookupResult{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			org, ok := r.Lookup(mustMAC(t, tt.mac))
			if diff := cmp.Diff(tt.want, lookupResult{org, ok}); diff != "" {
				t.Errorf("Lookup(%s) mismatch (-want +got):\n%s", tt.mac, diff)
			}
		})
	}
}

func TestLookupShortInput(t *testing.T) {
	r := openRegistry(t)
	for _, mac := range [][]byte{nil, {}, {0x00, 0x1b, 0x54}, {0x00, 0x1b, 0x54, 0x12, 0x34}} {
		if org, ok := r.Lookup(mac); ok || org != "" {
			t.Errorf("Lookup(% x) = %q, %v; want \"\", false", mac, org, ok)
		}
	}
}

func TestNilRegistry(t *testing.T) {
	var r *Registry
	if org, ok := r.Lookup([]byte{0x00, 0x1b, 0x54, 0, 0, 0}); ok || org != "" {
		t.Errorf("nil Registry Lookup = %q, %v; want \"\", false", org, ok)
	}
	if n := r.Len(); n != 0 {
		t.Errorf("nil Registry Len = %d, want 0", n)
	}
}

func TestLen(t *testing.T) {
	r := openRegistry(t)
	// The 2026 export alone has 53,730 rows; anything far below means a
	// truncated or wrongly generated table.
	if n := r.Len(); n < 50000 {
		t.Errorf("Len = %d, want at least 50000", n)
	}
}

func TestLookupDoesNotAllocate(t *testing.T) {
	r := openRegistry(t)
	macs := benchMACs()
	allocs := testing.AllocsPerRun(100, func() {
		for _, m := range macs {
			r.Lookup(m)
		}
	})
	if allocs != 0 {
		t.Errorf("Lookup allocates %v times per run, want 0", allocs)
	}
}

// TestLookupCorpus checks every row of the current registry export against
// the embedded table. A row is probed at an address in its block that no
// longer assignment (in either export) covers; a /24 whose block is wholly
// carved into smaller blocks cannot be reached, and is counted instead.
func TestLookupCorpus(t *testing.T) {
	if raceflag.On {
		t.Skip("the registry over the corpus files in one goroutine: runs without -race (make test-future)")
	}
	paths := corpusPaths(t)
	r := openRegistry(t)

	current := parseCorpusFile(t, paths[0])
	previous := parseCorpusFile(t, paths[1])

	type key struct {
		prefix uint64
		bits   int
	}
	assigned := make(map[key]bool)
	for _, e := range append(current[:len(current):len(current)], previous...) {
		assigned[key{e.Prefix, e.Bits}] = true
	}
	// probe returns an address of e's block not covered by a longer
	// assignment, or false when there is none.
	probe := func(e ouiregistry.Entry) (uint64, bool) {
		switch e.Bits {
		case 36:
			return e.FirstAddress(), true
		case 28:
			for sub := range uint64(256) {
				if p := e.Prefix<<8 | sub; !assigned[key{p, 36}] {
					return p << 12, true
				}
			}
		case 24:
			for nib := range uint64(16) {
				p28 := e.Prefix<<4 | nib
				if assigned[key{p28, 28}] {
					continue
				}
				for sub := range uint64(256) {
					if p := p28<<8 | sub; !assigned[key{p, 36}] {
						return p << 12, true
					}
				}
			}
		}
		return 0, false
	}

	var checked, notUnicast, shadowed int
	for _, e := range current {
		if !e.Unicast() {
			notUnicast++
			if org, ok := r.Lookup(macBytes(e.FirstAddress())); ok {
				t.Errorf("%x/%d has the multicast or local bit, yet Lookup gave %q", e.Prefix, e.Bits, org)
			}
			continue
		}
		addr, ok := probe(e)
		if !ok {
			shadowed++
			continue
		}
		mac := macBytes(addr)
		org, ok := r.Lookup(mac)
		if !ok || org != e.Org {
			t.Errorf("Lookup(%s) for %x/%d = %q, %v; want %q, true", net.HardwareAddr(mac), e.Prefix, e.Bits, org, ok, e.Org)
		}
		checked++
	}
	t.Logf("%d rows checked, %d multicast/local rows refused, %d /24 rows wholly covered by longer blocks", checked, notUnicast, shadowed)
	if checked+notUnicast+shadowed != len(current) {
		t.Errorf("accounted for %d rows, want %d", checked+notUnicast+shadowed, len(current))
	}
}

// parseCorpusFile parses an export and cross-checks the row count against
// the file's non-blank lines, so a row the parser dropped cannot pass
// unnoticed.
func parseCorpusFile(t *testing.T, path string) []ouiregistry.Entry {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ouiregistry.ParseTSV(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			lines++
		}
	}
	if got := len(p.Entries) + p.BlankOrgs; got != lines {
		t.Fatalf("%s: parsed %d rows from %d lines", path, got, lines)
	}
	return p.Entries
}

func macBytes(addr uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], addr)
	return b[2:]
}

// TestGeneratorReproducible regenerates the table into a temporary directory
// and requires the committed oui.bin, and so the embedded table, to match
// byte for byte: the table must never drift from its sources or depend on
// when or where it was built.
func TestGeneratorReproducible(t *testing.T) {
	paths := corpusPaths(t)
	table, st, err := ouiregistry.Generate(paths...)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "oui.bin")
	if err := os.WriteFile(out, table, 0o644); err != nil {
		t.Fatal(err)
	}
	regenerated, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("oui.bin")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(regenerated, committed) {
		t.Fatalf("regenerated table (%d bytes) differs from oui.bin (%d bytes) at byte %d; run go generate ./identity",
			len(regenerated), len(committed), firstDiff(regenerated, committed))
	}
	if !bytes.Equal(committed, ouiTable) {
		t.Error("embedded table differs from oui.bin on disk")
	}
	if got := openRegistry(t).Len(); got != st.Total() {
		t.Errorf("Len = %d, generator wrote %d prefixes", got, st.Total())
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestDecodeRegistry(t *testing.T) {
	if ouiMagic != ouiregistry.Magic {
		t.Fatalf("decoder magic %q differs from generator magic %q", ouiMagic, ouiregistry.Magic)
	}
	entries := []ouiregistry.Entry{
		{Prefix: 0x001B54, Bits: 24, Org: "Cisco Systems, Inc"},
		{Prefix: 0x70B3D5, Bits: 24, Org: "IEEE Registration Authority"},
		{Prefix: 0x0055DA0, Bits: 28, Org: "Shinko Technos co.,ltd."},
		{Prefix: 0x70B3D5001, Bits: 36, Org: "SOREDI touch systems GmbH"},
		{Prefix: 0x70B3D5002, Bits: 36, Org: "Cisco Systems, Inc"},
	}
	raw, err := ouiregistry.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	r, err := decodeRegistry(raw)
	if err != nil {
		t.Fatal(err)
	}
	var got []ouiregistry.Entry
	for bits, s := range []*section{24: &r.s24, 28: &r.s28, 36: &r.s36} {
		if s == nil {
			continue
		}
		for i := range s.n {
			got = append(got, ouiregistry.Entry{Prefix: s.key(i), Bits: bits, Org: r.org(s.org(i))})
		}
	}
	if diff := cmp.Diff(entries, got); diff != "" {
		t.Errorf("decoded entries (-want +got):\n%s", diff)
	}

	// Every proper prefix of the table is truncated and must be refused.
	for n := range len(raw) {
		if _, err := decodeRegistry(raw[:n]); err == nil {
			t.Errorf("decodeRegistry accepted the table cut to %d of %d bytes", n, len(raw))
		}
	}

	table := func(orgs []string, sections ...[]byte) []byte {
		b, err := ouiregistry.Encode(orgs, 2, slices.Concat(sections...))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sectionOf := func(bits int, keys []uint64, orgs []uint16) []byte {
		return ouiregistry.AppendSection(nil, bits, keys, orgs)
	}
	section := func(keys []uint64, orgs []uint16) []byte { return sectionOf(24, keys, orgs) }
	none := section(nil, nil)
	valid := table([]string{"A", "B", "C"}, section([]uint64{1, 2, 3}, []uint16{0, 1, 2}), none, none)
	if r, err := decodeRegistry(valid); err != nil {
		t.Fatalf("hand-built table: %v", err)
	} else if org, ok := r.Lookup(macBytes(3 << 24)); org != "C" || !ok {
		t.Fatalf("hand-built table: Lookup = %q, %v; want C from the second block", org, ok)
	}
	// The head's end: where the block sizes follow the sections.
	withHead := func(f func(head []byte) []byte) []byte {
		d := tableDecoder{b: valid[len(ouiMagic):]}
		h, _ := d.uvarint()
		head := f(bytes.Clone(d.b[:h]))
		b := binary.AppendUvarint([]byte(ouiMagic), uint64(len(head)))
		return append(append(b, head...), d.b[h:]...)
	}
	bad := map[string][]byte{
		"empty":            nil,
		"bad magic":        append([]byte("tendoui\x02"), valid[len(ouiMagic):]...),
		"trailing byte":    append(bytes.Clone(valid), 0),
		"org out of range": table([]string{"A", "B"}, section([]uint64{1}, []uint16{2}), none, none),
		"repeated prefix":  table([]string{"A"}, section([]uint64{1, 1}, []uint16{0, 0}), none, none),
		"falling prefix":   table([]string{"A"}, section([]uint64{2, 1}, []uint16{0, 0}), none, none),
		"28 too wide":      table([]string{"A"}, none, sectionOf(28, []uint64{1 << 28}, []uint16{0}), none),
		"36 too wide":      table([]string{"A"}, none, none, sectionOf(36, []uint64{1 << 36}, []uint16{0})),
		"huge head":        binary.AppendUvarint([]byte(ouiMagic), 1<<62),
		"varint overflow":  append([]byte(ouiMagic), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
		"head past end":    append(binary.AppendUvarint([]byte(ouiMagic), 4), 1, 2, 3),
		"head trailing":    withHead(func(h []byte) []byte { return append(h, 0) }),
		"head cut":         withHead(func(h []byte) []byte { return h[:len(h)-1] }),
		"no names a block": withHead(func(h []byte) []byte { h[1] = 0; return h }),
		"huge org count":   withHead(func(h []byte) []byte { return append(binary.AppendUvarint(nil, 1<<20), h[1:]...) }),
		"dictionary too big": withHead(func(h []byte) []byte {
			return slices.Concat(h[:2], binary.AppendUvarint(nil, 40<<10), make([]byte, 40<<10), h[3+int(h[2]):])
		}),
	}
	for name, b := range bad {
		if _, err := decodeRegistry(b); err == nil {
			t.Errorf("decodeRegistry(%s) succeeded, want error", name)
		}
	}
	// A broken name is found when its block is read: no answer, no panic.
	for name, orgs := range map[string][]string{"empty org": {"A", ""}, "bad utf-8": {"A", "\xff"}} {
		r, err := decodeRegistry(table(orgs, section([]uint64{1, 2}, []uint16{0, 1}), none, none))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if org, ok := r.Lookup(macBytes(2 << 24)); ok {
			t.Errorf("%s: Lookup = %q, want no answer", name, org)
		}
	}
}

// benchMACs mixes hits at each prefix length with refusals and misses.
func benchMACs() [][]byte {
	return [][]byte{
		{0x00, 0x1b, 0x54, 0x12, 0x34, 0x56}, // /24 Cisco
		{0x00, 0x11, 0x32, 0xaa, 0xbb, 0xcc}, // /24 Synology
		{0x00, 0x55, 0xda, 0x01, 0x02, 0x03}, // /28
		{0x70, 0xb3, 0xd5, 0x00, 0x1f, 0xff}, // /36
		{0x00, 0x29, 0x28, 0x00, 0x00, 0x00}, // unassigned
		{0xda, 0xa1, 0x19, 0x00, 0x00, 0x01}, // locally administered
		{0xf4, 0x8e, 0x38, 0x01, 0x02, 0x03}, // /24 Dell
		{0xb8, 0x27, 0xeb, 0x01, 0x02, 0x03}, // /24 Raspberry Pi
	}
}

func BenchmarkLookup(b *testing.B) {
	r := openRegistry(b)
	macs := benchMACs()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r.Lookup(macs[i%len(macs)])
		i++
	}
}

func BenchmarkOpenRegistry(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OpenRegistry(); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzLookup(f *testing.F) {
	for _, m := range benchMACs() {
		f.Add(m)
	}
	f.Add([]byte{})
	f.Add([]byte{0x00, 0x1b, 0x54})
	f.Add([]byte{0x00, 0x1b, 0x54, 0xff, 0xfe, 0x12, 0x34, 0x56})
	r, err := OpenRegistry()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, mac []byte) {
		org, ok := r.Lookup(mac)
		if !ok {
			if org != "" {
				t.Errorf("Lookup(% x) = %q, false; want empty org", mac, org)
			}
			return
		}
		if org == "" || len(mac) < 6 || mac[0]&0x03 != 0 {
			t.Errorf("Lookup(% x) = %q, true; want a refusal", mac, org)
		}
		if org2, ok2 := r.Lookup(mac[:6]); org2 != org || !ok2 {
			t.Errorf("Lookup(% x) = %q but its first six bytes give %q, %v", mac, org, org2, ok2)
		}
	})
}

// FuzzDecodeRegistry feeds the decoder corrupt tables: it must refuse them
// with an error, and any table it accepts must answer lookups without
// panicking.
func FuzzDecodeRegistry(f *testing.F) {
	raw, err := ouiregistry.Marshal([]ouiregistry.Entry{
		{Prefix: 0x001B54, Bits: 24, Org: "Cisco Systems, Inc"},
		{Prefix: 0x0055DA0, Bits: 28, Org: "Shinko Technos co.,ltd."},
		{Prefix: 0x70B3D5001, Bits: 36, Org: "SOREDI touch systems GmbH"},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte(ouiMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRegistry(b)
		if err != nil {
			return
		}
		for _, m := range benchMACs() {
			r.Lookup(m)
		}
		for i := range r.s36.n {
			if org, ok := r.Lookup(macBytes(r.s36.key(i) << 12)); ok && org == "" {
				t.Errorf("/36 %d: empty organisation", i)
			}
		}
	})
}

// TestRegistryReadsNamesOnDemand: the registry keeps no names after
// opening, reads each from the table when a lookup needs it, and starts its
// cache again past maxCachedNames, with every answer the same.
func TestRegistryReadsNamesOnDemand(t *testing.T) {
	var entries []ouiregistry.Entry
	for i := range maxCachedNames + 10 {
		entries = append(entries, ouiregistry.Entry{Prefix: 0x001000 + uint64(i)*4, Bits: 24, Org: fmt.Sprintf("Maker %04d GmbH", i)})
	}
	raw, err := ouiregistry.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	r, err := decodeRegistry(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.names) != 0 {
		t.Fatalf("decoding kept %d names, want none until a lookup", len(r.names))
	}
	for round := range 2 {
		for _, e := range entries {
			org, ok := r.Lookup(macBytes(e.FirstAddress()))
			if !ok || org != e.Org {
				t.Fatalf("round %d: Lookup(%x) = %q, %v; want %q", round, e.FirstAddress(), org, ok, e.Org)
			}
			if len(r.names) > maxCachedNames {
				t.Fatalf("the name cache holds %d, want at most %d", len(r.names), maxCachedNames)
			}
		}
	}
}

// TestEmbeddedRegistryNames reads names from every block of the embedded
// table (the first, the last and a spread between): each is there, and they
// come in the generator's order, strictly increasing (TestLookupCorpus
// checks each prefix's name against the registry exports).
func TestEmbeddedRegistryNames(t *testing.T) {
	r := openRegistry(t)
	r.mu.Lock()
	defer r.mu.Unlock()
	prev, checked := "", 0
	for i := 0; i < r.norgs; i++ {
		if k := i % r.perBlock; k != 0 && k != r.perBlock-1 && i != r.norgs-1 && i%17 != 0 {
			continue
		}
		name, err := r.readName(i)
		if err != nil {
			t.Fatalf("organisation %d: %v", i, err)
		}
		if name <= prev {
			t.Errorf("organisation %d %q does not sort after %q", i, name, prev)
		}
		prev = name
		checked++
	}
	if checked < 2000 {
		t.Errorf("checked %d names, want at least 2000", checked)
	}
}

// BenchmarkReadName is the cost of a name's first lookup: its block
// inflated with the preset dictionary.
func BenchmarkReadName(b *testing.B) {
	r := openRegistry(b)
	last := 0
	for i := range r.s24.n {
		last = max(last, int(r.s24.org(i)))
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.readName(last); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEmbeddedTableKeys is the check OpenRegistry leaves out: the embedded
// table's keys fit their lengths and strictly increase, and its
// organisation indexes are in range, so the sections it reads in place
// answer the same as fully checked ones.
func TestEmbeddedTableKeys(t *testing.T) {
	checked, err := decodeRegistry(ouiTable)
	if err != nil {
		t.Fatalf("embedded table: %v", err)
	}
	r := openRegistry(t)
	for bits, s := range map[int]*section{24: &r.s24, 28: &r.s28, 36: &r.s36} {
		if err := checkSection(s, fmt.Sprintf("/%d", bits), bits, r.norgs); err != nil {
			t.Error(err)
		}
	}
	if r.Len() != checked.Len() || r.norgs != checked.norgs {
		t.Errorf("OpenRegistry: %d prefixes, %d organisations; checked: %d, %d", r.Len(), r.norgs, checked.Len(), checked.norgs)
	}
}
