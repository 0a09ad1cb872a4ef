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

// NetBIOS name hijack while the owner defends (review 42 P9): name_poisoning
// counts the names one host answers for (names.go), so an attacker that
// answers NBT-NS queries for one name another host owns (Responder told to
// answer for FILESRV alone, a scapy answerer, a NAME OVERWRITE DEMAND)
// passes under it. A unique NetBIOS name has one owner on a link (RFC 1001
// 15.1.1: a B node defends it with a negative registration response, 15.2.1
// and RFC 1002 4.2.6), so two hosts that both claim one unique name at
// their own addresses are a conflict a real host gives in to: a host whose
// registration was refused does not use the name (RFC 1001 15.2.2.1). The
// claimant is the hijacker when
//   - the name's owner (the first host heard claiming it, or the one that
//     refused the other's registration) and the claimant answer within
//     nbRace of each other: both answering one query, unless the claimant
//     registered the name itself and was not refused (a second owner: one
//     host's two adapters, a laptop docked while on the wireless or a
//     NAS's two unbonded ports, each answering with its own address;
//     Responder answers without registering), or
//   - the claimant claims the name again after the owner refused it: it
//     answers a query for it, or registers it again after the retries
//     already in flight (nbRetry; an overwrite demand).
//
// A claim is a positive name query response or a registration, overwrite
// or refresh (RFC 1002 4.2.2-4.2.4, 4.2.13) whose NB record names the
// sender's own address with the group bit clear. Not claims: WINS servers'
// answers (they answer unicast queries with the owner's address, not their
// own), group names (a workgroup, the browsers' <1E>), and the local master
// browser's <1D>, which a browser election hands from host to host
// (MS-BRWS 3.2.6.2). An owner not heard claiming its name for nbHold gives
// it up to the next claimant: a machine replaced under the same name, a
// laptop moved from its cable to the wireless, registering again.
const (
	nbRace     = 3 * time.Second  // a B node waits 250 ms..ucast timeout for answers to a query (RFC 1002 6: BCAST_REQ_RETRY_TIMEOUT 250 ms, 3 retries)
	nbHold     = 10 * time.Minute // how long an owner keeps a name it no longer answers for
	nbRetry    = time.Second      // a registrant's retries in flight when refused: 3, 250 ms apart (RFC 1002 6: BCAST_REQ_RETRY_COUNT, _TIMEOUT)
	nbMaxNames = 512              // names tracked: a LAN's hosts' unique names, a few each
)

// nbName is a NetBIOS name (RFC 1001 14: 15 characters, the 16th the
// service suffix), as it came off the wire after first-level decoding.
type nbName [16]byte

func (n nbName) String() string {
	return fmt.Sprintf("%s<%02X>", strings.TrimRight(string(n[:15]), " "), n[15])
}

// nbClaim is one name's owner and its latest rival.
type nbClaim struct {
	owner, rival     mac
	ownerIP, rivalIP netip.Addr
	ownerAt, rivalAt int64 // last claims, in nanos
	refused          bool  // the owner refused the rival's registration
	rivalAnswered    bool  // the rival's last claim answered a query
	rivalRegistered  bool  // the rival registered the name (a second owner unless refused)
	refusedAt        int64 // when the owner refused it
}

// nbnsClaim reads an NBT-NS message (UDP 137) for claims on unique names
// and refusals of them.
func (e *Engine) nbnsClaim(p *capture.Packet, src mac) {
	b := p.UDP.Payload
	if len(b) < 12 || !unicast(src) || e.isSelf(src) || !p.SrcIP().Is4() {
		return
	}
	resp, op, rcode := b[2]&0x80 != 0, (b[2]>>3)&0x0f, b[3]&0x0f
	refusal := false
	switch {
	case resp && op == 0 && rcode == 0: // positive name query response
	case !resp && (op == 5 || op == 8 || op == 9): // registration (overwrite: RD clear), refresh, multi-homed registration
	case resp && op == 5 && (rcode == 6 || rcode == 7): // ACT_ERR, CFT_ERR: the name is in use by the sender
		refusal = true
	default:
		return
	}
	qd := binary.BigEndian.Uint16(b[4:6])
	if qd > 1 || binary.BigEndian.Uint16(b[6:8])+binary.BigEndian.Uint16(b[10:12]) == 0 {
		return
	}
	off := 12
	var buf [256]byte
	if qd == 1 {
		_, next, ok := dnsName(b, off, buf[:0])
		if !ok || next+4 > len(b) {
			return
		}
		off = next + 4
	}
	// The first resource record: the answer of a response, the additional
	// record of a registration (its answer and authority counts are 0).
	enc, next, ok := dnsName(b, off, buf[:0])
	if !ok || next+10 > len(b) || binary.BigEndian.Uint16(b[next:]) != 0x20 {
		return
	}
	name, ok := nbRaw(enc)
	if !ok || name[15] == 0x1d {
		return
	}
	rdata := b[next+10:]
	if n := int(binary.BigEndian.Uint16(b[next+8:])); n < len(rdata) {
		rdata = rdata[:n]
	}
	if refusal {
		e.nbRefused(p, src, name)
		return
	}
	// NB records: flags (the group bit first) and an address, per address
	// of a multi-homed host (RFC 1002 4.2.1.3).
	from := p.SrcIP()
	own, other := false, netip.Addr{}
	for ; len(rdata) >= 6; rdata = rdata[6:] {
		if rdata[0]&0x80 != 0 {
			return // a group name
		}
		if a := netip.AddrFrom4([4]byte(rdata[2:6])); a == from {
			own = true
		} else {
			other = a
		}
	}
	if own {
		e.nbClaimed(p, src, name, other, resp)
	}
}

// nbRaw decodes a first-level encoded NetBIOS name (RFC 1001 14.1), as
// dnsName returns it (lower-cased, the scope after a dot), into its 16
// bytes.
func nbRaw(enc []byte) (n nbName, ok bool) {
	if len(enc) < 32 || len(enc) > 32 && enc[32] != '.' {
		return n, false
	}
	for i := range n {
		hi, lo := enc[2*i]-'a', enc[2*i+1]-'a'
		if hi > 15 || lo > 15 {
			return n, false
		}
		n[i] = hi<<4 | lo
	}
	return n, true
}

// nbEntry is name's claim, made when new and the table has room.
func (e *Engine) nbEntry(name nbName) *nbClaim {
	c := e.nbNames[name]
	if c != nil {
		return c
	}
	if len(e.nbNames) >= nbMaxNames {
		// Full: stale names go, at most once a second (a flood of
		// made-up names pays no walk of the table per frame).
		if e.pktNS-e.nbSweptNS > int64(time.Second) {
			e.nbSweptNS = e.pktNS
			for k, x := range e.nbNames {
				if e.pktNS-max(x.ownerAt, x.rivalAt) > int64(nbHold) {
					delete(e.nbNames, k)
				}
			}
		}
		if len(e.nbNames) >= nbMaxNames {
			e.counters.TrackersDropped++
			return nil
		}
	}
	if e.nbNames == nil {
		e.nbNames = make(map[nbName]*nbClaim)
	}
	c = &nbClaim{}
	e.nbNames[name] = c
	return c
}

// nbClaimed records src's claim on name at its own address, an answer to
// a query or a registration; also is another address the record names (a
// multi-homed host's). A registration races no answer: the owner refuses
// it, and the registrant gives in.
func (e *Engine) nbClaimed(p *capture.Packet, src mac, name nbName, also netip.Addr, answer bool) {
	c := e.nbEntry(name)
	if c == nil {
		return
	}
	now, from := e.pktNS, p.SrcIP()
	switch {
	case c.owner == src:
		c.ownerIP, c.ownerAt = from, now
		if answer && c.rivalAnswered && now-c.rivalAt <= int64(nbRace) && also != c.rivalIP && (!c.rivalRegistered || c.refused) {
			e.nbHijack(p, c, name, "both answered within "+nbRace.String())
		}
	case c.owner == (mac{}) || now-c.ownerAt > int64(nbHold) && !c.refused:
		*c = nbClaim{owner: src, ownerIP: from, ownerAt: now}
	case c.ownerIP == also && also.IsValid():
		// The owner's other address: one multi-homed host.
	default:
		refusedBefore := c.refused && c.rival == src && (answer || now-c.refusedAt > int64(nbRetry))
		if c.rival != src {
			c.refused, c.rivalRegistered = false, false
		}
		c.rival, c.rivalIP, c.rivalAt, c.rivalAnswered, c.rivalRegistered = src, from, now, answer, c.rivalRegistered || !answer
		switch {
		case refusedBefore:
			e.nbHijack(p, c, name, fmt.Sprintf("claimed it again after %s refused its registration (RFC 1001 15.2.2.1: a refused host does not use the name)", c.ownerIP))
		case answer && now-c.ownerAt <= int64(nbRace) && (!c.rivalRegistered || c.refused):
			e.nbHijack(p, c, name, "both answered within "+nbRace.String())
		}
	}
}

// nbRefused records src's negative registration response for name to the
// registrant at the frame's destination: src holds the name.
func (e *Engine) nbRefused(p *capture.Packet, src mac, name nbName) {
	to := capture.MAC6(p.Eth.DstMAC)
	if !unicast(to) || to == src {
		return
	}
	c := e.nbEntry(name)
	if c == nil {
		return
	}
	if c.owner != src {
		// The defender is the owner, whoever was heard first.
		if c.owner == to {
			c.rivalIP, c.rivalAt = c.ownerIP, c.ownerAt
		} else {
			c.rivalIP, c.rivalAt = p.DstIP(), e.pktNS
		}
		c.owner, c.ownerIP = src, p.SrcIP()
	} else if c.rival != to {
		c.rivalIP, c.rivalAt = p.DstIP(), e.pktNS
	}
	c.rival, c.ownerAt, c.refused, c.rivalAnswered, c.refusedAt = to, e.pktNS, true, false, e.pktNS
}

// nbHijack raises name_poisoning against c's rival, which claims name
// while its owner holds it.
func (e *Engine) nbHijack(p *capture.Packet, c *nbClaim, name nbName, why string) {
	e.report(inventory.Event{
		Time: p.Time, Type: inventory.EventNamePoisoning, Severity: inventory.SeverityHigh,
		MAC: macOf(c.rival), IP: c.rivalIP, TargetMAC: macOf(c.owner), TargetIP: c.ownerIP,
		Summary: fmt.Sprintf("%s claims the NetBIOS name %s, which %s holds and answers for: name hijack", describe(c.rival, c.rivalIP), name, describe(c.owner, c.ownerIP)),
		Evidence: []inventory.Evidence{
			{Source: "nbt-ns", Detail: fmt.Sprintf("%s and %s both claim the unique name %s at their own addresses; %s", c.rivalIP, c.ownerIP, name, why)},
			{Source: "nbt-ns", Detail: fmt.Sprintf("last claim at %s; a unique name has one owner on a link, which refuses other registrations (RFC 1001 15.1.1, 15.2.1)", p.Time.UTC().Format(time.RFC3339Nano))},
		},
	}, c.rival, c.owner)
}
