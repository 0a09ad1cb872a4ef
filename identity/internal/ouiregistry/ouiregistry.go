// Package ouiregistry builds identity's embedded MAC address registry (the IEEE
// OUI, MA-M and MA-S assignments) from tab-separated exports of the IEEE
// registry.
//
// It lives apart from package identity so that the parsing and encoding code
// never reaches the appliance binary, while the ouiregistry/generate command and identity's
// tests share one definition of how a registry row is read and normalised.
//
// # Table format
//
// Counts and sizes are unsigned LEB128 varints (encoding/binary's Uvarint);
// prefixes and organisation indexes are fixed-width big-endian integers, so
// that a lookup binary-searches the table where it lies in the binary:
// opening it decodes and allocates nothing per prefix, and a lookup inflates
// only the few kilobytes of names around the one it needs:
//
//	magic      "tendoui\x03" (8 bytes; the last byte is the format version)
//	head size  h, then h bytes: the head (not compressed)
//	blocks     the name blocks, one after the other, to the end
//
// The head holds:
//
//	orgs       count n of organisations, and B, how many names a block holds
//	dictionary length d, then d bytes: the preset dictionary the blocks are
//	           compressed with (names sampled across the list)
//	for each prefix length in 24, 28, 36:
//	  count    m (at most 65,535)
//	  buckets  257 two-byte counts: for each value t of a prefix's top byte
//	           (its bits above the low LowWidth bytes), how many prefixes
//	           have a smaller top byte, then m
//	  keys     m prefixes' low LowWidth bytes (2, 3 and 4), in order: the
//	           prefixes, as integers of the prefix length's bits, strictly
//	           increase
//	  orgs     m indexes into the organisation list, 2 bytes each
//	block sizes the compressed size of each of the ceil(n/B) blocks
//
// Block k is raw DEFLATE (RFC 1951, with the preset dictionary) of the byte
// lengths of organisations kB to kB+B-1 (fewer in the last block), then
// their UTF-8 names concatenated. The names are sorted in byte order and
// each is non-empty. The head stays uncompressed (about 120 kB more than
// gzip made it) so that opening the table costs no inflating and no decoding
// of 74,000 prefixes at every start of the binary. The same inputs
// always give the same bytes (with the same Go release's compress/flate).
package ouiregistry

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Magic opens every table; its last byte is the format version, which must
// change whenever the layout does so that an old decoder refuses a new table
// instead of misreading it.
const Magic = "tendoui\x03"

// NamesPerBlock is B, how many organisation names a block holds: ~5.6 kB
// of names to inflate for a lookup's first use of one.
const NamesPerBlock = 256

// dictionaryBytes is about how much of the names the preset dictionary
// samples (at most 32 kB, DEFLATE's window).
const dictionaryBytes = 16 << 10

// LowWidth returns how many low bytes of a prefix of the given length the
// table stores (2, 3 or 4 for /24, /28 and /36; the top byte is its
// bucket), or 0 for a length the registry does not assign.
func LowWidth(bits int) int {
	if Section(bits) < 0 {
		return 0
	}
	return (bits+7)/8 - 1
}

// AppendSection appends a section (count, buckets, keys, organisation
// indexes) of the given prefix length without checking it (Marshal does):
// a key's bits above its top byte are dropped.
func AppendSection(b []byte, bits int, keys []uint64, orgs []uint16) []byte {
	lw := LowWidth(bits)
	b = binary.AppendUvarint(b, uint64(len(keys)))
	var starts [257]int
	for _, k := range keys {
		starts[min(k>>(8*lw), 255)+1]++
	}
	for t := range 256 {
		starts[t+1] += starts[t]
	}
	for _, n := range starts {
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	}
	for _, k := range keys {
		for i := lw - 1; i >= 0; i-- {
			b = append(b, byte(k>>(8*i)))
		}
	}
	for _, o := range orgs {
		b = binary.BigEndian.AppendUint16(b, o)
	}
	return b
}

// Section returns the position of a prefix length's section in the table
// (0, 1, 2 for the IEEE's MA-L /24, MA-M /28 and MA-S /36 blocks), or -1
// for a length the registry does not assign.
func Section(bits int) int {
	switch bits {
	case 24:
		return 0
	case 28:
		return 1
	case 36:
		return 2
	}
	return -1
}

// Entry is one registry assignment: the first Bits bits of a MAC address,
// held right-aligned in Prefix, belong to Org.
type Entry struct {
	Prefix uint64
	Bits   int
	Org    string
}

// FirstAddress returns the lowest 48-bit MAC address (as an integer) inside
// the entry's block, the form tests and callers need to probe a lookup.
func (e Entry) FirstAddress() uint64 { return e.Prefix << (48 - e.Bits) }

// Unicast reports whether the block holds globally administered unicast
// addresses: the IEEE once assigned a few blocks with the multicast (0x01) or
// local (0x02) bit of the first byte set, and no lookup of a real device's
// address can land in them.
func (e Entry) Unicast() bool { return byte(e.FirstAddress()>>40)&0x03 == 0 }

// Parsed is the content of one registry export.
type Parsed struct {
	// Entries holds the rows in file order.
	Entries []Entry
	// BlankOrgs counts rows skipped because the organisation was empty
	// after normalisation: they say nothing a lookup could report.
	BlankOrgs int
}

// Normalize tidies an organisation name without rewriting it: it trims
// leading and trailing white space and invisible format characters (the
// registry has names that start with a zero-width space or end with a
// left-to-right mark) and collapses every inner run of white space, including
// no-break and ideographic spaces, to one ASCII space. Spelling, case and
// punctuation are kept, so a name stays recognisable as the IEEE's own.
func Normalize(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
	})
	return strings.Join(strings.Fields(s), " ")
}

// ParseTSV reads a registry export of lines "prefix_hex<TAB>prefix_bits<TAB>
// organisation", where the prefix has 6, 7 or 9 hex digits for 24, 28 or 36
// bits. Blank lines and lines starting with '#' are skipped; anything else
// malformed is an error naming the line, because a silently dropped row
// would make a device look unknown.
func ParseTSV(r io.Reader) (Parsed, error) {
	var p Parsed
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		e, err := parseRow(text)
		if err != nil {
			return Parsed{}, fmt.Errorf("line %d: %w", line, err)
		}
		if e.Org == "" {
			p.BlankOrgs++
			continue
		}
		p.Entries = append(p.Entries, e)
	}
	if err := sc.Err(); err != nil {
		return Parsed{}, fmt.Errorf("read registry: %w", err)
	}
	return p, nil
}

func parseRow(text string) (Entry, error) {
	fields := strings.SplitN(text, "\t", 3)
	if len(fields) != 3 {
		return Entry{}, fmt.Errorf("want 3 tab-separated fields, got %d", len(fields))
	}
	hex := strings.TrimSpace(fields[0])
	bits, err := strconv.Atoi(strings.TrimSpace(fields[1]))
	if err != nil {
		return Entry{}, fmt.Errorf("parse prefix length %q: %w", fields[1], err)
	}
	if Section(bits) < 0 {
		return Entry{}, fmt.Errorf("prefix length %d: want 24, 28 or 36", bits)
	}
	if len(hex)*4 != bits {
		return Entry{}, fmt.Errorf("prefix %q has %d hex digits, want %d for /%d", hex, len(hex), bits/4, bits)
	}
	prefix, err := strconv.ParseUint(hex, 16, 64)
	if err != nil {
		return Entry{}, fmt.Errorf("parse prefix %q: %w", hex, err)
	}
	if !utf8.ValidString(fields[2]) {
		return Entry{}, fmt.Errorf("organisation %q is not valid UTF-8", fields[2])
	}
	return Entry{Prefix: prefix, Bits: bits, Org: Normalize(fields[2])}, nil
}

// MergeStats says what Merge did, so the generator can report it.
type MergeStats struct {
	// Overridden counts entries dropped because an earlier source gave the
	// same prefix a different organisation.
	Overridden int
	// Duplicates counts entries repeating an earlier source's prefix and
	// organisation exactly.
	Duplicates int
	// NotUnicast counts blocks dropped because their first byte has the
	// multicast or local bit set (see Entry.Unicast).
	NotUnicast int
}

// Merge unions the sources, earlier sources winning when two give the same
// prefix and length, so a current registry export can be listed before an
// older one that still remembers retired blocks. Blocks no unicast address
// can fall in are dropped. The result is sorted by prefix length, then
// prefix.
func Merge(sources ...[]Entry) ([]Entry, MergeStats) {
	type key struct {
		prefix uint64
		bits   int
	}
	var st MergeStats
	seen := make(map[key]string)
	var out []Entry
	for _, src := range sources {
		for _, e := range src {
			if !e.Unicast() {
				st.NotUnicast++
				continue
			}
			k := key{e.Prefix, e.Bits}
			if org, ok := seen[k]; ok {
				if org == e.Org {
					st.Duplicates++
				} else {
					st.Overridden++
				}
				continue
			}
			seen[k] = e.Org
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.Bits, b.Bits), cmp.Compare(a.Prefix, b.Prefix))
	})
	return out, st
}

// Marshal encodes entries as a table (see the package documentation).
// Entries must be unique per prefix and length, as Merge leaves them, and
// have non-empty organisations.
func Marshal(entries []Entry) ([]byte, error) {
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.Bits, b.Bits), cmp.Compare(a.Prefix, b.Prefix))
	})
	orgs := make([]string, 0, len(sorted))
	for _, e := range sorted {
		if Section(e.Bits) < 0 {
			return nil, fmt.Errorf("prefix %x: length %d is not 24, 28 or 36", e.Prefix, e.Bits)
		}
		if e.Org == "" {
			return nil, fmt.Errorf("prefix %x/%d: empty organisation", e.Prefix, e.Bits)
		}
		orgs = append(orgs, e.Org)
	}
	slices.Sort(orgs)
	orgs = slices.Compact(orgs)
	index := make(map[string]uint64, len(orgs))
	for i, o := range orgs {
		index[o] = uint64(i)
	}

	var sections []byte
	rest := sorted
	for _, bits := range [...]int{24, 28, 36} {
		n := 0
		for n < len(rest) && rest[n].Bits == bits {
			n++
		}
		section := rest[:n]
		rest = rest[n:]
		if len(section) > math.MaxUint16 {
			return nil, fmt.Errorf("%d /%d prefixes: a section holds 65,535", len(section), bits)
		}
		keys := make([]uint64, len(section))
		idx := make([]uint16, len(section))
		for i, e := range section {
			if e.Prefix>>bits != 0 {
				return nil, fmt.Errorf("prefix %x does not fit in %d bits", e.Prefix, bits)
			}
			if i > 0 && e.Prefix <= section[i-1].Prefix {
				return nil, fmt.Errorf("prefix %x/%d appears twice", e.Prefix, bits)
			}
			keys[i], idx[i] = e.Prefix, uint16(index[e.Org])
		}
		sections = AppendSection(sections, bits, keys, idx)
	}
	if len(orgs) > math.MaxUint16+1 {
		return nil, fmt.Errorf("%d organisations: the table's indexes hold 65,536", len(orgs))
	}
	return Encode(orgs, NamesPerBlock, sections)
}

// Encode assembles a table from its parts without checking them (Marshal
// does), so that tests can build broken tables: the organisation names in
// index order, the names per block, and the three prefix sections already
// encoded.
func Encode(orgs []string, perBlock int, sections []byte) ([]byte, error) {
	if perBlock < 1 {
		return nil, fmt.Errorf("%d names per block", perBlock)
	}
	dict := dictionary(orgs)
	var blocks []byte
	var sizes []int
	for start := 0; start < len(orgs); start += perBlock {
		var raw []byte
		names := orgs[start:min(len(orgs), start+perBlock)]
		for _, o := range names {
			raw = binary.AppendUvarint(raw, uint64(len(o)))
		}
		for _, o := range names {
			raw = append(raw, o...)
		}
		var out bytes.Buffer
		zw, err := flate.NewWriterDict(&out, flate.BestCompression, dict)
		if err != nil {
			return nil, err
		}
		if _, err := zw.Write(raw); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		sizes = append(sizes, out.Len())
		blocks = append(blocks, out.Bytes()...)
	}
	head := binary.AppendUvarint(nil, uint64(len(orgs)))
	head = binary.AppendUvarint(head, uint64(perBlock))
	head = binary.AppendUvarint(head, uint64(len(dict)))
	head = append(head, dict...)
	head = append(head, sections...)
	for _, n := range sizes {
		head = binary.AppendUvarint(head, uint64(n))
	}
	table := binary.AppendUvarint([]byte(Magic), uint64(len(head)))
	table = append(table, head...)
	return append(table, blocks...), nil
}

// dictionary samples names evenly across orgs, about dictionaryBytes of
// them, as the blocks' preset dictionary: a block then finds the words
// every maker's name repeats (Technology, Co., Ltd., Electronics) in it.
func dictionary(orgs []string) []byte {
	total := 0
	for _, o := range orgs {
		total += len(o)
	}
	step := max(1, total/dictionaryBytes)
	var dict []byte
	for i := 0; i < len(orgs); i += step {
		dict = append(dict, orgs[i]...)
	}
	return dict[:min(len(dict), 32<<10)]
}

// FileStats describes one input of Generate.
type FileStats struct {
	Path      string
	Rows      int
	BlankOrgs int
}

// Stats describes one run of Generate, for the generator to print.
type Stats struct {
	Files []FileStats
	MergeStats
	// Prefixes counts table entries by length: /24, /28, /36.
	Prefixes [3]int
	// Orgs counts distinct organisation names.
	Orgs int
	// Bytes is the table's size.
	Bytes int
}

// Total returns the number of prefixes in the table.
func (s Stats) Total() int { return s.Prefixes[0] + s.Prefixes[1] + s.Prefixes[2] }

// Generate reads the registry exports at paths (earlier paths win on
// conflicts), merges them and returns the compressed table with statistics.
func Generate(paths ...string) ([]byte, Stats, error) {
	if len(paths) == 0 {
		return nil, Stats{}, errors.New("ouiregistry: no registry files given")
	}
	var st Stats
	sources := make([][]Entry, 0, len(paths))
	for _, path := range paths {
		p, err := parseFile(path)
		if err != nil {
			return nil, Stats{}, fmt.Errorf("ouiregistry: parse %s: %w", path, err)
		}
		st.Files = append(st.Files, FileStats{Path: path, Rows: len(p.Entries), BlankOrgs: p.BlankOrgs})
		sources = append(sources, p.Entries)
	}
	merged, ms := Merge(sources...)
	st.MergeStats = ms
	orgs := make(map[string]bool)
	for _, e := range merged {
		st.Prefixes[Section(e.Bits)]++
		orgs[e.Org] = true
	}
	st.Orgs = len(orgs)
	table, err := Marshal(merged)
	if err != nil {
		return nil, Stats{}, fmt.Errorf("ouiregistry: encode table: %w", err)
	}
	st.Bytes = len(table)
	return table, st, nil
}

func parseFile(path string) (Parsed, error) {
	f, err := os.Open(path)
	if err != nil {
		return Parsed{}, err
	}
	defer f.Close()
	return ParseTSV(f)
}
