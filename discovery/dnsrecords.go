package discovery

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"slices"
)

// DNS record types an mDNS message is read for (RFC 1035 3.2.2, RFC 3596).
const (
	dnsTypeA    = 1
	dnsTypePTR  = 12
	dnsTypeTXT  = 16
	dnsTypeAAAA = 28
)

// dnsRecord is one resource record of a DNS message: its owner name and
// type, and the body of the types read: an A or AAAA address's bytes, a
// PTR's target, a TXT's strings.
type dnsRecord struct {
	name, ptr string
	typ       uint16
	data      []byte
	txt       []string
}

var errDNSShort = errors.New("truncated dns message")

// addr is an A or AAAA record's address.
func (r *dnsRecord) addr() (netip.Addr, bool) {
	switch {
	case r.typ == dnsTypeA && len(r.data) >= 4:
		return netip.AddrFrom4([4]byte(r.data)), true
	case r.typ == dnsTypeAAAA && len(r.data) >= 16:
		return netip.AddrFrom16([16]byte(r.data)), true
	}
	return netip.Addr{}, false
}

// dnsRecords reads the answer, authority and additional records of the
// DNS message b, its questions skipped. A message with a name or record
// that does not fit is refused whole.
func dnsRecords(b []byte) ([]dnsRecord, error) {
	if len(b) < 12 {
		return nil, errDNSShort
	}
	qd := int(binary.BigEndian.Uint16(b[4:]))
	n := int(binary.BigEndian.Uint16(b[6:])) + int(binary.BigEndian.Uint16(b[8:])) + int(binary.BigEndian.Uint16(b[10:]))
	off := 12
	for range qd {
		_, next, err := dnsName(b, off)
		if err != nil || next+4 > len(b) {
			return nil, errDNSShort
		}
		off = next + 4 // type, class
	}
	var rs []dnsRecord
	for range n {
		name, next, err := dnsName(b, off)
		if err != nil || next+10 > len(b) {
			return nil, errDNSShort
		}
		r := dnsRecord{name: name, typ: binary.BigEndian.Uint16(b[next:])}
		off = next + 10 + int(binary.BigEndian.Uint16(b[next+8:])) // type, class, TTL, length
		if off > len(b) {
			return nil, errDNSShort
		}
		if r.data = b[next+10 : off]; r.read(b, next+10) != nil {
			return nil, errDNSShort
		}
		rs = append(rs, r)
	}
	return rs, nil
}

// read reads r's body at off in message b: a PTR's name, a TXT's strings.
func (r *dnsRecord) read(b []byte, off int) (err error) {
	switch r.typ {
	case dnsTypeA, dnsTypeAAAA:
		if _, ok := r.addr(); !ok {
			return errDNSShort
		}
	case dnsTypePTR:
		r.ptr, _, err = dnsName(b, off)
	case dnsTypeTXT:
		for d := r.data; len(d) > 0; d = d[1+int(d[0]):] {
			if 1+int(d[0]) > len(d) {
				return errDNSShort
			}
			r.txt = append(r.txt, string(d[1:1+int(d[0])]))
		}
	}
	return err
}

// dnsName reads the DNS name at off in message b (RFC 1035 4.1.4,
// compression followed up to 10 pointers) as labels each ending in a dot,
// "." for the root, and returns the offset after it. A label holding a dot
// or a name of 254 bytes or more is refused.
func dnsName(b []byte, off int) (string, int, error) {
	var name []byte
	next := -1
	for ptrs := 0; ; {
		if off >= len(b) {
			return "", 0, errDNSShort
		}
		c := int(b[off])
		switch {
		case c == 0:
			if next < 0 {
				next = off + 1
			}
			if len(name) == 0 {
				name = append(name, '.')
			}
			return string(name), next, nil
		case c&0xc0 == 0xc0:
			if ptrs++; off+1 >= len(b) || ptrs > 10 {
				return "", 0, errDNSShort
			}
			if next < 0 {
				next = off + 2
			}
			off = (c&0x3f)<<8 | int(b[off+1])
		case c&0xc0 != 0 || off+1+c > len(b) || len(name)+c >= 254:
			return "", 0, errDNSShort
		default:
			label := b[off+1 : off+1+c]
			if slices.Contains(label, '.') {
				return "", 0, errDNSShort
			}
			name = append(append(name, label...), '.')
			off += 1 + c
		}
	}
}
