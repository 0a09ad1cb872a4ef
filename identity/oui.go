package identity

import (
	"bytes"
	"compress/flate"
	_ "embed" // for the registry table
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
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
	ouiMagic = "tendoui\x03"
	// maxOUITable bounds a decompressed name block,
	// so that a corrupt size cannot make OpenRegistry exhaust memory; the
	// real block is about 6 kB.
	maxOUITable = 64 << 20
)

// Registry maps MAC address prefixes to the organisations the IEEE assigned
// them, so the inventory can say who made a device from its hardware address
// alone. It is immutable once opened (but for a cache of the names looked up)
// and safe for concurrent use.
//
// It searches the sorted prefixes and, per prefix, the index of its
// organisation where they lie in the binary (fixed-width, nothing decoded
// or copied on opening); the 34,000 names (0.75 MB, more than half of the table)
// stay compressed in the binary in blocks of 256 and a name is read from
// its block (~6 kB to inflate, BenchmarkReadName) the first time a lookup
// needs it, then kept. A LAN has tens of makers: opening inflates
// nothing, and serve's live heap holds only the names looked up.
type Registry struct {
	// For each prefix length (24, 28, 36), the sorted prefixes and their
	// organisations, read in place from the table.
	s24, s28, s36 section

	norgs    int    // organisations
	perBlock int    // names per block
	dict     []byte // the blocks' preset dictionary
	blocks   []byte // the compressed name blocks, block k at blockAt[k]:blockAt[k+1]
	blockAt  []uint32

	mu     sync.Mutex
	names  map[uint16]string           // the names read so far
	recent [1 << orgRecentBits]orgSlot // the last answers, by the address's 36-bit prefix (Lookup)
	zr     io.ReadCloser               // a block's inflater, reset for each (flate.Resetter)
	buf    bytes.Buffer                // a block's names, inflated
}

// maxCachedNames bounds the names a Registry keeps; past it the cache
// starts again. A site with more makers than this reads a name again now
// and then (tens of microseconds each, BenchmarkReadName).
const maxCachedNames = 1024

// OpenRegistry decodes the registry embedded in the binary. Each call
// returns a new Registry; callers open it once and share it, since decoding
// takes a few milliseconds and half a megabyte for a moment.
func OpenRegistry() (*Registry, error) {
	r, err := decodeTable(ouiTable, false) // its keys checked by TestEmbeddedTableKeys
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
	s := r.slot(a >> 12)
	r.mu.Lock()
	if s.prefix == a>>12+1 {
		org = s.org
		r.mu.Unlock()
		return org, org != ""
	}
	r.mu.Unlock()
	org = r.lookup(a)
	r.mu.Lock()
	*s = orgSlot{a>>12 + 1, org}
	r.mu.Unlock()
	return org, org != ""
}

// orgRecentBits sizes Registry.recent: 256 answers, 6 kB. A replay looks up
// the sender of every observation it folds, most of them a LAN's few
// makers again: the three binary searches and the name cache's map were
// 1.8 % of a replay of the office mix.
const orgRecentBits = 8

// orgSlot is one of Registry.recent's answers: org for the addresses whose
// 36-bit prefix is prefix-1 (0: none). Every assignment (/24, /28, /36)
// holds whole /36 blocks, so the prefix decides the answer.
type orgSlot struct {
	prefix uint64
	org    string
}

func (r *Registry) slot(p uint64) *orgSlot {
	return &r.recent[(p*0x9e3779b97f4a7c15)>>(64-orgRecentBits)]
}

// lookup is Lookup's answer for the address a, from the sections.
func (r *Registry) lookup(a uint64) (org string) {
	if i, found := r.s36.find(a >> 12); found {
		org = r.org(r.s36.org(i))
	} else if i, found := r.s28.find(a >> 20); found {
		org = r.org(r.s28.org(i))
	} else if i, found := r.s24.find(a >> 24); found {
		org = r.org(r.s24.org(i))
	}
	return org
}

// Len returns the number of prefixes in the registry, so callers can log
// what they loaded and tests can tell a real table from an empty one.
func (r *Registry) Len() int {
	if r == nil {
		return 0
	}
	return r.s24.n + r.s28.n + r.s36.n
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
		if l > uint64(len(d.b))-end { // past the block (and never wrapping end round)
			return "", fmt.Errorf("names block %d, length %d: %d bytes past its end", k, j, l)
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
func decodeRegistry(b []byte) (*Registry, error) { return decodeTable(b, true) }

// decodeTable is decodeRegistry, checking each section's keys and indexes
// one by one (checkSection) only if checkKeys: the embedded table's were
// checked when it was tested (TestEmbeddedTableKeys), and checking them at
// every open was 3.8 M instructions, a quarter of a millisecond, of each
// replay (cachegrind).
func decodeTable(b []byte, checkKeys bool) (*Registry, error) {
	if !bytes.HasPrefix(b, []byte(ouiMagic)) {
		return nil, errors.New("bad magic: not a version 3 oui table")
	}
	d := tableDecoder{b: b[len(ouiMagic):]}
	h, err := d.count("head byte", 1)
	if err != nil {
		return nil, err
	}
	r := Registry{blocks: d.b[h:]}
	d.b = d.b[:h:h]
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
	r.dict = d.b[:dl]
	d.b = d.b[dl:]

	if r.s24, err = decodeSection(&d, 24, r.norgs, checkKeys); err != nil {
		return nil, err
	}
	if r.s28, err = decodeSection(&d, 28, r.norgs, checkKeys); err != nil {
		return nil, err
	}
	if r.s36, err = decodeSection(&d, 36, r.norgs, checkKeys); err != nil {
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

// section is one prefix length's part of the table, read in place: n
// prefixes, stored as their low lw bytes (big-endian) in buckets by their
// top byte, and n two-byte organisation indexes.
type section struct {
	n, lw  int
	starts []byte // 257 two-byte bucket starts: bucket t is keys[start(t):start(t+1)]
	lows   []byte // n keys' low lw bytes
	orgs   []byte
}

// start returns where bucket t starts.
func (s *section) start(t int) int { return int(binary.BigEndian.Uint16(s.starts[2*t:])) }

// low returns prefix i's low bytes.
func (s *section) low(i int) uint64 {
	b := s.lows[i*s.lw : (i+1)*s.lw]
	switch len(b) {
	case 2:
		return uint64(binary.BigEndian.Uint16(b))
	case 4:
		return uint64(binary.BigEndian.Uint32(b))
	}
	return uint64(b[0])<<16 | uint64(b[1])<<8 | uint64(b[2])
}

// key returns prefix i (its bucket found by binary search).
func (s *section) key(i int) uint64 {
	lo, hi := 0, 256
	for lo < hi { // the first bucket ending after i
		m := int(uint(lo+hi) >> 1)
		if s.start(m+1) <= i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return uint64(lo)<<(8*s.lw) | s.low(i)
}

// org returns the organisation index of prefix i.
func (s *section) org(i int) uint16 {
	return binary.BigEndian.Uint16(s.orgs[2*i:])
}

// find binary-searches prefix k's bucket for it.
func (s *section) find(k uint64) (int, bool) {
	t := k >> (8 * s.lw)
	if s.n == 0 || t > 255 {
		return 0, false
	}
	low := k & (1<<(8*s.lw) - 1)
	lo, hi := s.start(int(t)), s.start(int(t)+1)
	end := hi
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.low(m) < low {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < end && s.low(lo) == low
}

// decodeSection takes one prefix length's buckets, keys and organisation
// indexes from d, checking that the buckets add up, the keys fit the
// length's bits and strictly increase, and every index is below norgs,
// the size of the organisation list; nothing is copied.
func decodeSection(d *tableDecoder, bits int, norgs int, checkKeys bool) (section, error) {
	what := fmt.Sprintf("/%d", bits)
	s := section{lw: (bits+7)/8 - 1}
	m, err := d.count(what+" prefix", s.lw+2)
	if err != nil {
		return section{}, err
	}
	if len(d.b) < 2*257+m*(s.lw+2) {
		return section{}, fmt.Errorf("%s section truncated", what)
	}
	s.n, s.starts = m, d.b[:2*257]
	d.b = d.b[2*257:]
	s.lows, s.orgs = d.b[:m*s.lw], d.b[m*s.lw:m*(s.lw+2)]
	d.b = d.b[m*(s.lw+2):]
	if s.start(0) != 0 || s.start(256) != m {
		return section{}, fmt.Errorf("%s buckets span %d to %d, want 0 to %d", what, s.start(0), s.start(256), m)
	}
	for t := range 256 {
		if s.start(t+1) < s.start(t) {
			return section{}, fmt.Errorf("%s bucket %d ends before it starts", what, t)
		}
	}
	if !checkKeys {
		return s, nil
	}
	return s, checkSection(&s, what, bits, norgs)
}

// checkSection checks that s's keys fit bits and strictly increase in
// each bucket, and that every organisation index is below norgs.
func checkSection(s *section, what string, bits int, norgs int) error {
	for t := range 256 {
		lo, hi := s.start(t), s.start(t+1)
		if hi > lo && t>>(bits-8*s.lw) != 0 {
			return fmt.Errorf("%s bucket %d: prefixes exceed %d bits", what, t, bits)
		}
		for i := lo; i < hi; i++ {
			if i > lo && s.low(i) <= s.low(i-1) {
				return fmt.Errorf("%s prefix %x does not follow %x", what, uint64(t)<<(8*s.lw)|s.low(i), s.low(i-1))
			}
			if o := s.org(i); int(o) >= norgs {
				return fmt.Errorf("%s prefix %d: organisation index %d out of range [0,%d)", what, i, o, norgs)
			}
		}
	}
	return nil
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
