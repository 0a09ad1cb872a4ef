package identity

import (
	"bytes"
	"compress/flate"
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
//go:embed oui.bin
var ouiTable []byte

const (
	// ouiMagic opens the table; its last byte is the format version (keep
	// in step with ouiregistry.Magic).
	ouiMagic = "tendoui\x02"
	// maxOUITable bounds the decompressed head and a decompressed block,
	// so that a corrupt size cannot make OpenRegistry exhaust memory; the
	// real head is about 240 kB, a block about 6 kB.
	maxOUITable = 64 << 20
)

// Registry maps MAC address prefixes to the organisations the IEEE assigned
// them, so the inventory can say who made a device from its hardware address
// alone. It is immutable once opened (but for a cache of the names looked up)
// and safe for concurrent use.
//
// It holds the sorted prefixes and, per prefix, the index of its
// organisation; the 34,000 names (0.75 MB, more than half of the table)
// stay compressed in the binary in blocks of 256 and a name is read from
// its block (~6 kB to inflate, BenchmarkReadName) the first time a lookup
// needs it, then kept. A LAN has tens of makers: opening inflates only the
// prefixes, and serve's live heap holds about 0.4 MB for the registry.
type Registry struct {
	// For each prefix length, the sorted prefixes and, at the same index,
	// the organisation they belong to.
	p24, p28      []uint32
	p36           []uint64
	o24, o28, o36 []uint16

	norgs    int    // organisations
	perBlock int    // names per block
	dict     []byte // the blocks' preset dictionary
	blocks   []byte // the compressed name blocks, block k at blockAt[k]:blockAt[k+1]
	blockAt  []uint32

	mu    sync.Mutex
	names map[uint16]string // the names read so far
	zr    io.ReadCloser     // a block's inflater, reset for each (flate.Resetter)
	buf   bytes.Buffer      // a block's names, inflated
}

// maxCachedNames bounds the names a Registry keeps; past it the cache
// starts again. A site with more makers than this reads a name again now
// and then (tens of microseconds each, BenchmarkReadName).
const maxCachedNames = 1024

// OpenRegistry decodes the registry embedded in the binary. Each call
// returns a new Registry; callers open it once and share it, since decoding
// takes a few milliseconds and half a megabyte for a moment.
func OpenRegistry() (*Registry, error) {
	r, err := decodeRegistry(ouiTable)
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

// org returns organisation i's name, reading it from its block the first
// time; "" if the block is corrupt (decodeRegistry checks the head only).
func (r *Registry) org(i uint16) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name, ok := r.names[i]; ok {
		return name
	}
	name, err := r.readName(int(i))
	if err != nil {
		return ""
	}
	if r.names == nil || len(r.names) >= maxCachedNames {
		r.names = make(map[uint16]string)
	}
	r.names[i] = name
	return name
}

// readName inflates organisation i's block and returns its name, checking
// the block's lengths and that every name is non-empty UTF-8. r.mu is held.
func (r *Registry) readName(i int) (string, error) {
	k := i / r.perBlock
	block := bytes.NewReader(r.blocks[r.blockAt[k]:r.blockAt[k+1]])
	if r.zr == nil {
		r.zr = flate.NewReaderDict(block, r.dict)
	} else if err := r.zr.(flate.Resetter).Reset(block, r.dict); err != nil {
		return "", err
	}
	r.buf.Reset()
	if _, err := r.buf.ReadFrom(io.LimitReader(r.zr, maxOUITable+1)); err != nil {
		return "", fmt.Errorf("names block %d: %w", k, err)
	}
	if r.buf.Len() > maxOUITable {
		return "", fmt.Errorf("names block %d: larger than %d bytes", k, maxOUITable)
	}
	d := tableDecoder{b: r.buf.Bytes()}
	count := min(r.perBlock, r.norgs-k*r.perBlock)
	var start, size, end uint64
	for j := range count {
		l, err := d.uvarint()
		if err != nil {
			return "", fmt.Errorf("names block %d, length %d: %w", k, j, err)
		}
		if l == 0 {
			return "", fmt.Errorf("organisation %d is empty", k*r.perBlock+j)
		}
		if k*r.perBlock+j == i {
			start, size = end, l
		}
		end += l
	}
	if end != uint64(len(d.b)) {
		return "", fmt.Errorf("names block %d: %d bytes of names, want %d", k, len(d.b), end)
	}
	name := d.b[start : start+size]
	if !utf8.Valid(name) {
		return "", fmt.Errorf("organisation %d is not valid UTF-8", i)
	}
	return string(name), nil
}

// decodeRegistry parses a table's magic and head, checking every count,
// length, index and ordering so that corrupt input gives an error, never a
// panic or a Registry whose lookups could go out of range; a corrupt name
// block shows as no answer for its organisations (Registry.org). The
// Registry keeps b's name blocks without copying them.
func decodeRegistry(b []byte) (*Registry, error) {
	if !bytes.HasPrefix(b, []byte(ouiMagic)) {
		return nil, errors.New("bad magic: not a version 2 oui table")
	}
	d := tableDecoder{b: b[len(ouiMagic):]}
	h, err := d.count("head byte", 1)
	if err != nil {
		return nil, err
	}
	head, err := inflateHead(d.b[:h])
	if err != nil {
		return nil, err
	}
	r := Registry{blocks: d.b[h:]}
	d.b = head
	norgs, err := d.uvarint()
	if err != nil {
		return nil, fmt.Errorf("organisation count: %w", err)
	}
	if norgs > math.MaxUint16+1 {
		return nil, fmt.Errorf("%d organisations: the registry's indexes hold 65,536", norgs)
	}
	perBlock, err := d.uvarint()
	if err != nil {
		return nil, fmt.Errorf("names per block: %w", err)
	}
	if perBlock == 0 || perBlock > math.MaxUint16+1 {
		return nil, fmt.Errorf("%d names per block", perBlock)
	}
	r.norgs, r.perBlock = int(norgs), int(perBlock)
	dl, err := d.count("dictionary byte", 1)
	if err != nil {
		return nil, err
	}
	if dl > 32<<10 {
		return nil, fmt.Errorf("dictionary of %d bytes: DEFLATE's window is 32 kB", dl)
	}
	r.dict = slices.Clone(d.b[:dl]) // not the whole head kept for it
	d.b = d.b[dl:]

	if r.p24, r.o24, err = decodeSection[uint32](&d, 24, r.norgs); err != nil {
		return nil, err
	}
	if r.p28, r.o28, err = decodeSection[uint32](&d, 28, r.norgs); err != nil {
		return nil, err
	}
	if r.p36, r.o36, err = decodeSection[uint64](&d, 36, r.norgs); err != nil {
		return nil, err
	}
	nblocks := (r.norgs + r.perBlock - 1) / r.perBlock
	r.blockAt = make([]uint32, nblocks+1)
	for k := range nblocks {
		l, err := d.uvarint()
		if err != nil {
			return nil, fmt.Errorf("names block %d size: %w", k, err)
		}
		if l == 0 || l > uint64(len(r.blocks)-int(r.blockAt[k])) {
			return nil, fmt.Errorf("names block %d: size %d, %d bytes left", k, l, len(r.blocks)-int(r.blockAt[k]))
		}
		r.blockAt[k+1] = r.blockAt[k] + uint32(l)
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%d unexpected bytes after the block sizes", len(d.b))
	}
	if int(r.blockAt[nblocks]) != len(r.blocks) {
		return nil, fmt.Errorf("%d unexpected bytes after the last names block", len(r.blocks)-int(r.blockAt[nblocks]))
	}
	return &r, nil
}

// inflateHead decompresses a table's gzip head, refusing one larger than
// maxOUITable.
func inflateHead(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	var raw bytes.Buffer
	// The gzip trailer's last four bytes hold the decompressed size; use
	// it, capped, to read in one allocation.
	raw.Grow(int(min(binary.LittleEndian.Uint32(gz[len(gz)-4:]), maxOUITable)) + bytes.MinRead)
	if _, err := raw.ReadFrom(io.LimitReader(zr, maxOUITable+1)); err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	if err := zr.Close(); err != nil {
		return nil, fmt.Errorf("head: %w", err)
	}
	if raw.Len() > maxOUITable {
		return nil, fmt.Errorf("head: larger than %d bytes", maxOUITable)
	}
	return raw.Bytes(), nil
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
