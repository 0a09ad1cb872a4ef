package discovery

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"time"

	"tend/inventory"
)

// Switch-only link-layer protocols: a device that sends them is a bridge,
// whatever else it is. IEEE 802.1D/802.1w/802.1s BPDUs ride on LLC with
// SAP 0x42; Cisco's PVST+, DTP and VTP ride on SNAP with Cisco's OUI
// 00:00:0C and these protocol IDs (Wireshark's llc.cisco_pid table).
const (
	llcSAPSTP    = 0x42
	snapPIDPVST  = 0x010b
	snapPIDDTP   = 0x2004
	snapPIDVTP   = 0x2003
	capSTP       = "stp"
	capPVST      = "pvst"
	capDTP       = "dtp"
	capVTP       = "vtp"
	capForwarder = "ip-forwarder"
)

// bridgeProtocol names the switch-only protocol an LLC frame carries, or
// "" for any other frame.
func bridgeProtocol(f *frame) string {
	if f.etherType > 1500 && f.etherType != etherLLC || f.snapCDP {
		return ""
	}
	p := f.payload
	switch {
	case len(p) >= 3 && p[0] == llcSAPSTP && p[1] == llcSAPSTP && p[2] == 0x03:
		return capSTP
	case len(p) >= 8 && p[0] == 0xaa && p[1] == 0xaa && p[2] == 0x03 && p[3] == 0 && p[4] == 0 && p[5] == 0x0c:
		switch binary.BigEndian.Uint16(p[6:8]) {
		case snapPIDPVST:
			return capPVST
		case snapPIDDTP:
			return capDTP
		case snapPIDVTP:
			return capVTP
		}
	}
	return ""
}

// decodeBridge turns a spanning-tree, PVST+, DTP or VTP frame into a
// capability of its sender; the bytes after the LLC header say nothing
// more about the device and are not read.
func decodeBridge(ts time.Time, f *frame, proto string) []inventory.Observation {
	o := f.base(ts, inventory.SourceTraffic)
	o.Capabilities = []string{proto}
	return []inventory.Observation{o}
}

// forwarderAddrs is how many distinct IPv4 source addresses one MAC's
// frames must carry before it counts as forwarding for others. A host has
// one address, now and then two (a DHCP change, a secondary address); a
// router sends the whole internet's packets under its own MAC.
const forwarderAddrs = 3

// fwdSeen is what Passive remembers of one MAC for forwarding: the first
// distinct source addresses, and whether the verdict went out.
type fwdSeen struct {
	_     [0]func() // not comparable: no equality function linked
	addrs [forwarderAddrs]netip.Addr
	n     int
	said  bool
}

// fwdSlot is one of Passive.fwdRecent's entries: fwd[k] is s.
type fwdSlot struct {
	k uint64
	s *fwdSeen
}

// linkLocal4 is a.IsLinkLocalUnicast() for an IPv4 a (169.254.0.0/16,
// RFC 3927): two byte tests inline, where the method, not inlined, unmaps
// and tests an IPv6 prefix too on every IPv4 frame.
func linkLocal4(a netip.Addr) bool {
	b := a.As16() // an IPv4 address's bytes are its last four
	return b[12] == 169 && b[13] == 254
}

func (p *Passive) fwdSlotOf(k uint64) *fwdSlot {
	return &p.fwdRecent[(k*0x9e3779b97f4a7c15)>>(64-recentBits)]
}

// appendForwarding notes f's IPv4 source address under its MAC and, the
// first time a MAC has carried forwarderAddrs distinct unicast sources,
// appends an observation that it forwards IP. Callers hold p.mu.
func (p *Passive) appendForwarding(dst []inventory.Observation, ts time.Time, f *frame) []inventory.Observation {
	if f.etherType != etherIPv4 || !unicastMAC(f.src) || !usableIPv4(f.srcIP) || linkLocal4(f.srcIP) {
		return dst
	}
	k := macKey(f.src)
	c := p.fwdSlotOf(k)
	s := c.s
	if s == nil || c.k != k {
		if s = p.fwd[k]; s == nil {
			if len(p.fwd) >= maxHeard {
				clear(p.fwd)
				clear(p.fwdRecent[:]) // their entries are gone
			}
			s = &fwdSeen{}
			p.fwd[k] = s
		}
		*c = fwdSlot{k, s}
	}
	if s.said {
		return dst
	}
	for _, a := range s.addrs[:s.n] {
		if a == f.srcIP {
			return dst
		}
	}
	s.addrs[s.n] = f.srcIP
	s.n++
	if s.n < forwarderAddrs {
		return dst
	}
	s.said = true
	o := f.base(ts, inventory.SourceTraffic)
	o.IP = netip.Addr{} // none of them is its own for sure
	o.IPv6 = netip.Addr{}
	o.Capabilities = []string{capForwarder}
	o.Evidence = []inventory.Evidence{{Source: "traffic", Detail: "IPv4 frames from " + strconv.Itoa(forwarderAddrs) + " or more source addresses (" +
		s.addrs[0].String() + ", " + s.addrs[1].String() + ", " + s.addrs[2].String() + ")"}}
	return append(dst, o)
}
