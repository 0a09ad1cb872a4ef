package identity

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed" // for the registry table
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"unicode/utf8"
)

// ouiTable is the MAC address registry, written by internal/ouiregistry/generate; the
// format is documented in package internal/ouiregistry.
//
//go:embed oui.bin.gz
var ouiTable []byte

const (
	// ouiMagic opens the decompressed table; its last byte is the format
	// version (keep in step with ouiregistry.Magic).
	ouiMagic = "tendoui\x01"
	// maxOUITable bounds the decompressed table, so a corrupt size cannot
	// make OpenRegistry exhaust memory; the real table is about 1 MB.
	maxOUITable = 64 << 20
)

// Registry maps MAC address prefixes to the organisations the IEEE assigned
// them, so the inventory can say who made a device from its hardware address
// alone. It is immutable once opened (but for a cache of the names looked up)
// and safe for concurrent use.
//
// It holds the sorted prefixes and, per prefix, the index of its
// organisation; the 34,000 names (0.75 MB, more than half of the decoded
// table) stay compressed in the binary and a name is read from there the
// first time a lookup needs it, then kept. A LAN has tens of makers, so
// serve's live heap holds about 0.4 MB for the registry instead of 1.4 MB
// (issue 19).
type Registry struct {
	// table returns a reader of the decompressed table from its start,
	// where the names are.
	table func() (io.Reader, error)

	// For each prefix length, the sorted prefixes and, at the same index,
	// the organisation they belong to.
	p24, p28      []uint32
	p36           []uint64
	o24, o28, o36 []uint16

	mu    sync.Mutex
	names map[uint16]string // the names read so far

	// held, when set (OpenRegistryNames), is every name, organisation i's
	// at held[off[i]:off[i+1]]: no reading on first use. The bytes are the
	// decompressed table's own; a name becomes a string (kept in names)
	// when first looked up, rather than all 0.9 MB copied into one string
	// at start-up (a page fault per 4 kB, 3 ms of a short replay).
	held []byte
	off  []uint32
}

// maxCachedNames bounds the names a Registry keeps; past it the cache
// starts again. A site with more makers than this reads a name again now
// and then (2-5 ms and 83 kB of garbage each, BenchmarkReadName).
const maxCachedNames = 1024

// OpenRegistry decodes the registry embedded in the binary. Each call
// returns a new Registry; callers open it once and share it, since decoding
// takes about ten milliseconds and a megabyte for a moment.
func OpenRegistry() (*Registry, error) { return decodeEmbedded(false) }

// OpenRegistryNames is OpenRegistry for short-lived commands that look up
// many makers once (scan, replay): it holds every name (0.9 MB) instead of
// reading each on first use (2-5 ms a maker, BenchmarkReadName).
func OpenRegistryNames() (*Registry, error) { return decodeEmbedded(true) }

func decodeEmbedded(hold bool) (*Registry, error) {
	zr, err := gzip.NewReader(bytes.NewReader(ouiTable))
	if err != nil {
		return nil, fmt.Errorf("identity: open oui table: %w", err)
	}
	var raw bytes.Buffer
	// The gzip trailer's last four bytes hold the decompressed size; use
	// it, capped, to read in one allocation.
	if n := len(ouiTable); n >= 4 {
		raw.Grow(int(min(binary.LittleEndian.Uint32(ouiTable[n-4:]), maxOUITable)) + bytes.MinRead)
	}
	if _, err := raw.ReadFrom(io.LimitReader(zr, maxOUITable+1)); err != nil {
		return nil, fmt.Errorf("identity: decompress oui table: %w", err)
	}
	if raw.Len() > maxOUITable {
		return nil, fmt.Errorf("identity: decompress oui table: larger than %d bytes", maxOUITable)
	}
	if err := zr.Close(); err != nil {
		return nil, fmt.Errorf("identity: decompress oui table: %w", err)
	}
	r, err := decodeRegistry(raw.Bytes())
	if err != nil {
		return nil, fmt.Errorf("identity: decode oui table: %w", err)
	}
	if hold {
		r.holdNames(raw.Bytes())
		return r, nil
	}
	// The names are read again from the embedded bytes, so the
	// decompressed table can go.
	r.table = func() (io.Reader, error) { return gzip.NewReader(bytes.NewReader(ouiTable)) }
	return r, nil
}

// Lookup returns the organisation assigned the block holding mac, trying the
// longest assignment first (/36 MA-S, then /28 MA-M, then /24 MA-L) so that
// a small block carved out of one the IEEE Registration Authority holds is
// named by its owner. Only the first six bytes count, so an EUI-64 works
// too. It reports false for addresses shorter than six bytes, for locally
// administered addresses (randomised phone MACs, VMs: the registry says
// nothing about them), for multicast addresses, and for unassigned
// prefixes. It does not allocate once the organisation's name was read.
func (r *Registry) Lookup(mac []byte) (org string, ok bool) {
	if r == nil || len(mac) < 6 || mac[0]&0x03 != 0 {
		return "", false
	}
	a := uint64(mac[0])<<40 | uint64(mac[1])<<32 | uint64(mac[2])<<24 |
		uint64(mac[3])<<16 | uint64(mac[4])<<8 | uint64(mac[5])
	if i, found := slices.BinarySearch(r.p36, a>>12); found {
		org = r.org(r.o36[i])
	} else if i, found := slices.BinarySearch(r.p28, uint32(a>>20)); found {
		org = r.org(r.o28[i])
	} else if i, found := slices.BinarySearch(r.p24, uint32(a>>24)); found {
		org = r.org(r.o24[i])
	}
	return org, org != ""
}

// Len returns the number of prefixes in the registry, so callers can log
// what they loaded and tests can tell a real table from an empty one.
func (r *Registry) Len() int {
	if r == nil {
		return 0
	}
	return len(r.p24) + len(r.p28) + len(r.p36)
}

// org returns organisation i's name, reading it from the table the first
// time; "" if the table cannot be read (it was checked when opened).
func (r *Registry) org(i uint16) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name, ok := r.names[i]; ok {
		return name
	}
	var name string
	if r.off != nil {
		name = string(r.held[r.off[i]:r.off[i+1]])
	} else {
		var err error
		if name, err = readName(r.table, int(i)); err != nil {
			return ""
		}
	}
	if r.names == nil || len(r.names) >= maxCachedNames {
		r.names = make(map[uint16]string)
	}
	r.names[i] = name
	return name
}

// holdNames keeps every name of b, a table decodeRegistry accepted.
func (r *Registry) holdNames(b []byte) {
	b = b[len(ouiMagic):]
	n, k := binary.Uvarint(b)
	b = b[k:]
	r.off = make([]uint32, n+1)
	for i := range n {
		l, k := binary.Uvarint(b)
		b = b[k:]
		r.off[i+1] = r.off[i] + uint32(l)
	}
	r.held = b[:r.off[n]:r.off[n]]
}

// readName reads organisation i's name from the start of a table that
// decodeRegistry accepted: past the magic and the first i lengths, it skips
// the names before it.
func readName(table func() (io.Reader, error), i int) (string, error) {
	rd, err := table()
	if err != nil {
		return "", err
	}
	br := bufio.NewReaderSize(rd, 4096)
	if _, err := br.Discard(len(ouiMagic)); err != nil {
		return "", err
	}
	n, err := binary.ReadUvarint(br)
	if err != nil || uint64(i) >= n {
		return "", fmt.Errorf("organisation %d of %d: %w", i, n, err)
	}
	var skip, size uint64
	for j := range n {
		l, err := binary.ReadUvarint(br)
		if err != nil {
			return "", err
		}
		if j < uint64(i) {
			skip += l
		} else if j == uint64(i) {
			size = l
		}
	}
	for ; skip > 0; skip -= min(skip, 1<<20) {
		if _, err := br.Discard(int(min(skip, 1<<20))); err != nil {
			return "", err
		}
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(br, b); err != nil {
		return "", err
	}
	return string(b), nil
}

// decodeRegistry parses a decompressed table, checking every count, length,
// index and ordering so that corrupt input gives an error, never a panic or
// a Registry whose lookups could go out of range.
func decodeRegistry(b []byte) (*Registry, error) {
	if !bytes.HasPrefix(b, []byte(ouiMagic)) {
		return nil, errors.New("bad magic: not a version 1 oui table")
	}
	d := tableDecoder{b: b[len(ouiMagic):]}

	r := Registry{table: func() (io.Reader, error) { return bytes.NewReader(b), nil }}
	n, err := d.count("organisation", 1)
	if err != nil {
		return nil, err
	}
	if n > math.MaxUint16+1 {
		return nil, fmt.Errorf("%d organisations: the registry's indexes hold 65,536", n)
	}
	var end uint64
	for i := range n {
		l, err := d.uvarint()
		if err != nil {
			return nil, fmt.Errorf("organisation %d length: %w", i, err)
		}
		if l == 0 {
			return nil, fmt.Errorf("organisation %d is empty", i)
		}
		if end += l; end > uint64(len(d.b)) || end > math.MaxUint32 {
			return nil, errors.New("organisation names: table truncated")
		}
	}
	if !utf8.Valid(d.b[:end]) {
		return nil, errors.New("organisation names are not valid UTF-8")
	}
	d.b = d.b[end:]

	if r.p24, r.o24, err = decodeSection[uint32](&d, 24, n); err != nil {
		return nil, err
	}
	if r.p28, r.o28, err = decodeSection[uint32](&d, 28, n); err != nil {
		return nil, err
	}
	if r.p36, r.o36, err = decodeSection[uint64](&d, 36, n); err != nil {
		return nil, err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%d unexpected bytes after the /36 section", len(d.b))
	}
	return &r, nil
}

// decodeSection reads one prefix length's keys and organisation indexes;
// norgs is the size of the organisation list the indexes point into.
func decodeSection[K uint32 | uint64](d *tableDecoder, bits int, norgs int) ([]K, []uint16, error) {
	what := fmt.Sprintf("/%d", bits)
	// Each entry takes at least one byte of key delta and one of index.
	m, err := d.count(what+" prefix", 2)
	if err != nil {
		return nil, nil, err
	}
	keys := make([]K, m)
	var key uint64
	for i := range keys {
		delta, err := d.uvarint()
		if err != nil {
			return nil, nil, fmt.Errorf("%s prefix %d: %w", what, i, err)
		}
		if i > 0 && delta == 0 {
			return nil, nil, fmt.Errorf("%s prefix %x repeats", what, key)
		}
		if delta >= 1<<bits || key+delta >= 1<<bits {
			return nil, nil, fmt.Errorf("%s prefix %d: exceeds %d bits", what, i, bits)
		}
		key += delta
		keys[i] = K(key)
	}
	orgs := make([]uint16, m)
	for i := range orgs {
		o, err := d.uvarint()
		if err != nil {
			return nil, nil, fmt.Errorf("%s prefix %x organisation: %w", what, keys[i], err)
		}
		if o >= uint64(norgs) {
			return nil, nil, fmt.Errorf("%s prefix %x: organisation index %d out of range [0,%d)", what, keys[i], o, norgs)
		}
		orgs[i] = uint16(o)
	}
	return keys, orgs, nil
}

// tableDecoder reads varints from the front of b.
type tableDecoder struct{ b []byte }

func (d *tableDecoder) uvarint() (uint64, error) {
	v, n := binary.Uvarint(d.b)
	if n == 0 {
		return 0, errors.New("table truncated")
	}
	if n < 0 {
		return 0, errors.New("varint overflows 64 bits")
	}
	d.b = d.b[n:]
	return v, nil
}

// count reads an item count and rejects one the remaining bytes could not
// hold at minBytes per item, so a corrupt count cannot force a huge
// allocation.
func (d *tableDecoder) count(what string, minBytes int) (int, error) {
	v, err := d.uvarint()
	if err != nil {
		return 0, fmt.Errorf("%s count: %w", what, err)
	}
	if v > uint64(len(d.b)/minBytes) {
		return 0, fmt.Errorf("%s count %d: table truncated", what, v)
	}
	return int(v), nil
}
