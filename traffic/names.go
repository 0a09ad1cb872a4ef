package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Name-resolution poisoning (Responder, Inveigh, metasploit's
// llmnr_response): a host answers LLMNR (RFC 4795, UDP 5355), NBT-NS
// (RFC 1002, UDP 137) or mDNS (RFC 6762, UDP 5353) queries for names that
// are not its own, pointing them at itself. A host answers for its own name
// (and a NetBIOS host for its workgroup): poisonNames distinct names
// answered within the Cooldown is the attack, as is any answer for WPAD.
// mDNS sleep proxies answer for a few sleeping hosts, with those hosts'
// addresses: there it takes poisonNamesMDNS names, or poisonNames that
// point at the answerer itself (Responder's answers all name its address).
const (
	poisonNames     = 3
	poisonNamesMDNS = 5
)

// nameState is one responder's answered names.
type nameState struct {
	start  time.Time
	hashes [8]uint64
	n      int
	self   int      // names answered with the answerer's own address
	shown  []string // the first few, for the evidence
	proto  string
	done   bool
}

// nameAnswer looks at a UDP payload from port 5355, 137 or 5353 and
// records the names a response answers.
func (e *Engine) nameAnswer(p *capture.Packet, src mac) {
	b := p.UDP.Payload
	if len(b) < 12 || b[2]&0x80 == 0 || !unicast(src) || e.isSelf(src) {
		return // not a response
	}
	var proto string
	limit := poisonNames
	switch p.UDP.SrcPort {
	case 5355:
		proto = "LLMNR"
	case 137:
		proto = "NBT-NS"
		if (b[2]>>3)&0x0f != 0 || b[3]&0x0f != 0 {
			return // registrations, releases and negative answers are not poisoning
		}
	case 5353:
		proto, limit = "mDNS", poisonNamesMDNS
	default:
		return
	}
	qd, an := int(binary.BigEndian.Uint16(b[4:6])), int(binary.BigEndian.Uint16(b[6:8]))
	if an == 0 || qd > 16 || an > 32 {
		return
	}
	off := 12
	var buf [256]byte
	for range qd {
		_, next, ok := dnsName(b, off, buf[:0])
		if !ok || next+4 > len(b) {
			return
		}
		off = next + 4
	}
	for range an {
		name, next, ok := dnsName(b, off, buf[:0])
		if !ok || next+10 > len(b) {
			return
		}
		typ := binary.BigEndian.Uint16(b[next:])
		rdlen := int(binary.BigEndian.Uint16(b[next+8:]))
		off = next + 10 + rdlen
		if off > len(b) {
			return
		}
		// Address answers only: A, AAAA, and NetBIOS NB records.
		if typ != 1 && typ != 28 && !(proto == "NBT-NS" && typ == 0x20) {
			continue
		}
		if proto == "NBT-NS" {
			name = nbDecode(name, buf[128:128])
		}
		rdata := b[next+10 : off]
		if len(rdata) == 6 && typ == 0x20 {
			rdata = rdata[2:] // NB: flags, then the address
		}
		self := false
		if a, ok := netip.AddrFromSlice(rdata); ok {
			self = a.Unmap() == p.SrcIP()
		}
		e.answeredName(p, src, proto, limit, name, self)
	}
}

// answeredName counts one answered name for the responder src.
func (e *Engine) answeredName(p *capture.Packet, src mac, proto string, limit int, name []byte, self bool) {
	if len(name) == 0 {
		return
	}
	h := e.host(src, false)
	if h == nil {
		return
	}
	if h.names == nil || since(p.Time, h.names.start) > e.cfg.Cooldown {
		if h.names == nil {
			h.names = &nameState{}
		}
		*h.names = nameState{start: p.Time, shown: h.names.shown[:0]}
	}
	s := h.names
	hash := fnv64(name)
	for _, x := range s.hashes[:min(s.n, len(s.hashes))] {
		if x == hash {
			return
		}
	}
	if s.n < len(s.hashes) {
		s.hashes[s.n] = hash
	}
	s.n++
	if self {
		s.self++
	}
	if len(s.shown) < 6 {
		s.shown = append(s.shown, string(name))
	}
	s.proto = proto
	wpad := string(name) == "wpad" || strings.HasPrefix(string(name), "wpad.")
	if s.done || (s.n < limit && s.self < poisonNames && !wpad) {
		return
	}
	s.done = true
	why := fmt.Sprintf("%d different names answered within %s, %d of them with the answerer's own address (a host answers for its own)", s.n, roundDur(p.Time.Sub(s.start)), s.self)
	if wpad && s.n < limit {
		why = "answered for WPAD: browsers that ask take their proxy settings from it"
	}
	e.report(inventory.Event{
		Time: p.Time, Type: inventory.EventNamePoisoning, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: p.SrcIP(), TargetMAC: macOf(capture.MAC6(p.Eth.DstMAC)), TargetIP: p.DstIP(),
		Summary: fmt.Sprintf("%s answers %s queries for names that are not its own (%s): name poisoning", describe(src, p.SrcIP()), proto, strings.Join(s.shown, ", ")),
		Evidence: []inventory.Evidence{
			{Source: strings.ToLower(proto), Detail: why},
			{Source: strings.ToLower(proto), Detail: fmt.Sprintf("last answer for %q to %s at %s", string(name), p.DstIP(), p.Time.UTC().Format(time.RFC3339Nano))},
		},
	}, src, mac{})
}

// dnsName reads a DNS name at off (RFC 1035 4.1.4 compression allowed),
// appends it lower-cased and dot-separated to buf and returns the offset
// after the name in the message.
func dnsName(b []byte, off int, buf []byte) (name []byte, next int, ok bool) {
	next = -1
	for hops := 0; hops < 16; {
		if off >= len(b) {
			return nil, 0, false
		}
		n := int(b[off])
		switch {
		case n == 0:
			if next < 0 {
				next = off + 1
			}
			return buf, next, true
		case n&0xc0 == 0xc0:
			if off+1 >= len(b) {
				return nil, 0, false
			}
			if next < 0 {
				next = off + 2
			}
			off = int(binary.BigEndian.Uint16(b[off:]) & 0x3fff)
			hops++
			continue
		case n > 63 || off+1+n > len(b):
			return nil, 0, false
		}
		if len(buf) > 0 {
			buf = append(buf, '.')
		}
		if len(buf)+n+1 > cap(buf) {
			return nil, 0, false // longer than any name (RFC 1035: 255 bytes); and never allocate
		}
		for _, c := range b[off+1 : off+1+n] {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf = append(buf, c)
		}
		off += 1 + n
	}
	return nil, 0, false
}

// nbDecode turns a NetBIOS first-level encoded name (RFC 1001 14.1: 32
// letters 'A'+nibble) into its 15 characters, trimmed and lower-cased.
func nbDecode(enc, buf []byte) []byte {
	if i := indexByte(enc, '.'); i >= 0 {
		enc = enc[:i] // the scope
	}
	if len(enc) != 32 {
		return nil
	}
	for i := 0; i < 30; i += 2 {
		c := (enc[i]-'a')<<4 | (enc[i+1] - 'a')
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	for len(buf) > 0 && buf[len(buf)-1] == ' ' {
		buf = buf[:len(buf)-1]
	}
	return buf
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
