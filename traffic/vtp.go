package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// vtpState is what the engine heard of VLAN Trunking Protocol adverts
// (review 43 P7): the last MAC not (yet) a switch that advertised, and the
// highest configuration revision a switch advertised, by domain.
type vtpState struct {
	from      mac       // a sender not heard as a switch
	fromFirst time.Time // its first advert
	domain    uint64    // the switches' domain name, hashed
	rev       uint32    // the highest revision a switch advertised in it
}

// vtpMsg reads a VTP message (Cisco's VTP v1/v2, after SNAP 0x2003 on
// 01:00:0C:CC:CC:CC): version, code (1 summary advert, 2 subset advert,
// 3 advert request, 4 join), followers or sequence, domain length, a
// 32-byte domain name, then the configuration revision (summary and
// subset adverts). ok is false for anything but a summary or subset
// advert with its revision.
func vtpMsg(b []byte) (code byte, domain []byte, rev uint32, ok bool) {
	if len(b) < 40 || b[0] < 1 || b[0] > 3 || b[1] != 1 && b[1] != 2 || b[3] > 32 {
		return 0, nil, 0, false
	}
	return b[1], b[4 : 4+b[3]], binary.BigEndian.Uint32(b[36:40]), true
}

// vtpFrame judges a VTP advert. Switches advertise their VLAN database to
// the domain (a summary every 5 minutes and on each change, subsets after
// it); a VTP client or server switch that hears a higher revision for its
// domain on a trunk replaces its VLANs with the advertised ones (the VTP
// bomb: yersinia's and scapy's adverts with a huge revision wipe the
// LAN's VLANs). A MAC not heard as a switch (BPDUs, or CDP naming a
// switch, repeated outside a flood) advertising twice at least
// switchConfirm apart is a host speaking VTP: rogue_switch, Medium (the
// switch ignores VTP on an access port; it lands once a DTP request made
// the port a trunk, which is its own High). One whose revision outbids
// the one a switch advertised for that domain is High at its first advert
// (review 43 item 9: yersinia's one-shot bomb sends its summary and subset
// ms apart, never switchConfirm).
func (e *Engine) vtpFrame(p *capture.Packet, src mac, b []byte) {
	code, domain, rev, ok := vtpMsg(b)
	if !ok {
		return
	}
	s := &e.l2.vtp
	h := fnv64(domain)
	if e.isSwitch(src, p.Time) {
		if h != s.domain || rev > s.rev {
			s.domain, s.rev = h, rev
		}
		return
	}
	high := s.rev != 0 && h == s.domain && rev > s.rev
	if s.from != src || since(p.Time, s.fromFirst) > switchForget {
		s.from, s.fromFirst = src, p.Time
		if !high {
			return // a switch's first advert can precede its second BPDU
		}
	}
	if !high && since(p.Time, s.fromFirst) < switchConfirm {
		return
	}
	sev, outbid := inventory.SeverityMedium, ""
	if high {
		sev, outbid = inventory.SeverityHigh, fmt.Sprintf(", above the revision %d the domain's switches advertise: a VTP client or server switch that hears it on a trunk replaces its VLANs with these", s.rev)
	}
	what := "summary"
	if code == 2 {
		what = "subset"
	}
	var ip netip.Addr
	if hs := e.hosts[macKey(src)]; hs != nil {
		ip = hs.ip
	}
	e.l2Event(p.Time, inventory.EventRogueSwitch, sev, src, ip, mac{}, netip.Addr{},
		describe(src, ip)+" sends VTP adverts for domain "+identText(domain)+" at configuration revision "+fmt.Sprint(rev)+" but was not heard as a switch", "vtp",
		fmt.Sprintf("VTP %s advert (version %d) since %s%s", what, b[0], s.fromFirst.UTC().Format(time.RFC3339), outbid),
		"a switch advertises the VLAN database; a host advertising it with a high revision (a VTP bomb) wipes or rewrites the VLANs of the switches that take it")
}
