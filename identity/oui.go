package identity

import (
	"bytes"
	"compress/gzip"
	_ "embed" // for the registry table
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
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
// alone. It is immutable once opened and safe for concurrent use.
type Registry struct {
	// orgs holds every organisation name back to back; name i is
	// orgs[ends[i-1]:ends[i]], with ends[-1] taken as 0.
	orgs string
	ends []uint32

	// For each prefix length, the sorted prefixes and, at the same index,
	// the organisation they belong to.
	p24, p28 []uint32
	p36      []uint64
	o24, o28 []uint32
	o36      []uint32
}

// OpenRegistry decodes the registry embedded in the binary. Each call
// returns a new Registry; callers open it once and share it, since decoding
// takes about ten milliseconds and a few megabytes.
func OpenRegistry() (*Registry, error) {
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
	return r, nil
}

// Lookup returns the organisation assigned the block holding mac, trying the
// longest assignment first (/36 MA-S, then /28 MA-M, then /24 MA-L) so that
// a small block carved out of one the IEEE Registration Authority holds is
// named by its owner. Only the first six bytes count, so an EUI-64 works
// too. It reports false for addresses shorter than six bytes, for locally
// administered addresses (randomised phone MACs, VMs: the registry says
// nothing about them), for multicast addresses, and for unassigned
// prefixes. It does not allocate.
func (r *Registry) Lookup(mac []byte) (org string, ok bool) {
	if r == nil || len(mac) < 6 || mac[0]&0x03 != 0 {
		return "", false
	}
	a := uint64(mac[0])<<40 | uint64(mac[1])<<32 | uint64(mac[2])<<24 |
		uint64(mac[3])<<16 | uint64(mac[4])<<8 | uint64(mac[5])
	if i, found := slices.BinarySearch(r.p36, a>>12); found {
		return r.org(r.o36[i]), true
	}
	if i, found := slices.BinarySearch(r.p28, uint32(a>>20)); found {
		return r.org(r.o28[i]), true
	}
	if i, found := slices.BinarySearch(r.p24, uint32(a>>24)); found {
		return r.org(r.o24[i]), true
	}
	return "", false
}

// Len returns the number of prefixes in the registry, so callers can log
// what they loaded and tests can tell a real table from an empty one.
func (r *Registry) Len() int {
	if r == nil {
		return 0
	}
	return len(r.p24) + len(r.p28) + len(r.p36)
}

func (r *Registry) org(i uint32) string {
	var start uint32
	if i > 0 {
		start = r.ends[i-1]
	}
	return r.orgs[start:r.ends[i]]
}

// decodeRegistry parses a decompressed table, checking every count, length,
// index and ordering so that corrupt input gives an error, never a panic or
// a Registry whose lookups could go out of range.
func decodeRegistry(b []byte) (*Registry, error) {
	if !bytes.HasPrefix(b, []byte(ouiMagic)) {
		return nil, errors.New("bad magic: not a version 1 oui table")
	}
	d := tableDecoder{b: b[len(ouiMagic):]}

	var r Registry
	n, err := d.count("organisation", 1)
	if err != nil {
		return nil, err
	}
	r.ends = make([]uint32, n)
	var end uint64
	for i := range r.ends {
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
		r.ends[i] = uint32(end)
	}
	if !utf8.Valid(d.b[:end]) {
		return nil, errors.New("organisation names are not valid UTF-8")
	}
	r.orgs = string(d.b[:end])
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
func decodeSection[K uint32 | uint64](d *tableDecoder, bits int, norgs int) ([]K, []uint32, error) {
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
	orgs := make([]uint32, m)
	for i := range orgs {
		o, err := d.uvarint()
		if err != nil {
			return nil, nil, fmt.Errorf("%s prefix %x organisation: %w", what, keys[i], err)
		}
		if o >= uint64(norgs) {
			return nil, nil, fmt.Errorf("%s prefix %x: organisation index %d out of range [0,%d)", what, keys[i], o, norgs)
		}
		orgs[i] = uint32(o)
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
