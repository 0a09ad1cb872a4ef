package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// Spoofed sources (review 33b): IP sent by a LAN host under source
// addresses that are not its own, at any rate. A flood is raised by its
// rate (flood.go); these are raised by their shape alone.
//
//   - LAND: a TCP SYN whose source is its destination, address and port,
//     or a LAN address and other ports when the frame goes from another MAC
//     straight to the address's owner and is no copy of the owner's own
//     probe (landOtherPort: zmap's and masscan's probes of the scanner come
//     back through the gateway, review 32b zmap, 31a m1).
//     No stack sends one onto a wire: a host talking to itself does so
//     over its loopback interface, and a SYN that names the target as its
//     own peer makes the target answer itself (CERT CA-1997-28).
//   - Off-link SYN sources (BCP 38, RFC 2827): a host that is no router
//     sends SYNs under many public addresses (hping3 --rand-source) whose
//     SYN+ACKs go out through the gateway and are never answered. A router
//     forwarding real clients (a second router, a VPN server) forwards
//     their handshakes' ACKs too, from the same MAC under the same
//     addresses: once a MAC completed more than one handshake under
//     them (spoofshake.go), its SYNs are forwarded ones.

// spoofMin is how many distinct off-link source addresses one MAC's SYNs
// must carry, none of them completing a handshake, before it is raised:
// floodSpoofed's count, the sources of a forged flood. A host's own
// public address (a LAN numbered from a public block) is one.
const spoofMin = floodSpoofed

// spoofWait is how long after the first such SYN the MAC must have
// forwarded no ACK under an off-link address: a router's first forwarded
// SYNs come before their clients' ACKs, a round trip later.
const spoofWait = 3 * time.Second

// offLinkSYNs is one MAC's SYNs under off-link sources within Window.
type offLinkSYNs struct {
	_           [0]func() // not comparable: no equality function linked
	first, last int64
	srcs        [spoofMin]netip.Addr // the first distinct sources
	n           int                  // distinct sources in srcs
	syns        int                  // SYNs counted
	target      netip.Addr           // the last SYN's destination
	forwards    bool                 // the MAC completed handshakes under off-link sources: a router's
	router      bool                 // traceRouter judged it a router
	raised      bool
	shakes      [spoofShakes]synShake // its latest SYNs' handshakes (spoofshake.go)
	nShake      int                   // SYNs put in shakes
	done        int                   // handshakes it completed
	scanPorts   int                   // the scan tracker's ports of the target when they last grew
	scanGrew    int64                 // when they did
}

// spoofScanPorts is how many ports of the target the forged SYNs probed
// (the scan tracker's count) that make them a scan's: nmap -D's decoys
// among its probes, which port_scan raises and names; a half-open attack
// holds one service's backlog, or a few (review 33c: 80, 443 and 8080),
// which port_scan does not raise: handed to it only once it did.
const spoofScanPorts = 3

// scanGrowing reports whether src's probes of o's target are a port scan
// still crossing new ports (spoofScanPorts or more, the last new one
// within spoofWait) that port_scan has not raised yet: nmap -D at 0.3 s a
// port crosses PortScanPorts seconds after its decoys cross spoofMin, and
// port_scan names them; forged SYNs held on a few ports stop growing.
func (e *Engine) scanGrowing(o *offLinkSYNs, src mac, now int64) bool {
	tr := e.ports[newPortKey(src, o.target)]
	if tr == nil || tr.done {
		return false
	}
	if n := tr.ports.len(); n > o.scanPorts {
		o.scanPorts, o.scanGrew = n, now
	}
	return o.scanPorts >= spoofScanPorts && now-o.scanGrew < int64(spoofWait)
}

// spoofTables is the Engine's state for this file, made at the first
// off-link SYN: most links never need it.
type spoofTables struct {
	by      map[uint64]*offLinkSYNs // by macKey
	selfSYN map[netip.Addr]int64    // LAN addresses whose owner sent a SYN to itself, when (landOtherPort)
}

// spoofedTCP looks at a TCP segment p of flood kind from the MAC src
// under the address from (lan: a LAN address): a LAND SYN, or a SYN or
// forwarded ACK under an off-link source. floodPacket's caller, for TCP.
func (e *Engine) spoofedTCP(p *capture.Packet, src mac, kind int, from netip.Addr, lan bool) {
	e.offLinkAnswered(p, lan) // benign33.go: the route of off-link sources is answered through
	switch {
	case kind == fTCP && p.TCP.SYN && (p.TCP.SrcPort == p.TCP.DstPort || lan) && from == p.DstIP():
		e.landSYN(p, src, from)
	case kind == fStrayTCP && p.TCP.SYN && p.TCP.ACK:
		e.synAckToRouter(p) // spoofshake.go
	case lan || !from.Is4() || !global4(from):
	case kind == fTCP && p.TCP.SYN:
		e.offLinkSYN(p, src, from)
	case kind == fStrayTCP && p.TCP.ACK:
		e.shakeACK(p, src, from) // spoofshake.go
	}
}

// global4 is a.IsGlobalUnicast() for an IPv4 address a (a.Is4()), read
// from its bytes: not 0.0.0.0 or 255.255.255.255, nor loopback,
// multicast or link-local (netip's method unmaps, compares and calls
// four more, 0.5 % of a corpus replay's instructions at every off-LAN
// TCP segment). As one word: v-1 below 0xfffffffe is neither 0 nor
// 255.255.255.255 (the bytes compared one by one were 29 instructions of
// a SYN flood's every SYN; session 41).
func global4(a netip.Addr) bool {
	b := a.As4()
	v := binary.BigEndian.Uint32(b[:])
	return v-1 < 0xfffffffe && v>>24 != 127 && v>>28 != 0xe && v>>16 != 0xa9fe
}

// landSYN raises a SYN p from src whose source address from is its
// destination: one spoofed_source per culprit and Cooldown.
func (e *Engine) landSYN(p *capture.Packet, src mac, from netip.Addr) {
	if src == (mac{}) || from.IsLoopback() || from.IsUnspecified() || e.traceRouter(src) {
		return // a loopback interface's capture (Linux cooked, no MAC); a router's copy (masscan --router-mac)
	}
	if h := e.hosts[macKey(src)]; h != nil && (h.ip == from || slicesContains(h.claims[:], from)) {
		e.spoofOf().selfSYN[from] = e.pktNS
		return // its own address: a sweep of its subnet probing itself too (zmap, masscan)
	}
	if p.TCP.SrcPort != p.TCP.DstPort && !e.landOtherPort(p, src, from) {
		return
	}
	k := quietKey{inventory.EventSpoofedSource, src, mac{}, "land"}
	if e.quieted(k, p.Time) {
		return
	}
	own := e.ownAddress(src, from)
	e.reportKey(k, inventory.Event{
		Time: p.Time, Type: inventory.EventSpoofedSource, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: own, TargetIP: from,
		Summary: fmt.Sprintf("%s sent a TCP SYN from %s:%d to %s:%d, the target's own address as its source: a LAND attack",
			describe(src, own), from, p.TCP.SrcPort, from, p.TCP.DstPort),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("SYN from %s to %s:%d with source and destination the same address at %s: no TCP stack sends one onto a wire (a host talks to itself over its loopback), and the target answers itself (LAND, CERT CA-1997-28)",
				macString(src), from, p.TCP.DstPort, p.Time.UTC().Format(time.RFC3339Nano))},
		},
	})
}

// landSelfWait is how long after a host's SYN to its own address (a
// sweep of its subnet probing itself) a copy of one from another MAC is
// taken for a router's or a second router's.
const landSelfWait = 10 * time.Second

// landSelfMax bounds spoofTables.selfSYN: hosts probing themselves.
const landSelfMax = 256

// landOtherPort reports whether a SYN p from src whose source address
// from is its LAN destination, its source port another than its
// destination port, is a LAND attack and not a copy: masscan's and zmap's
// probes of the scanner itself go to the router's MAC, which sends them
// back from its own (review 32b, 31a m1; hping3 -a victim -S victim sends
// each SYN from the next source port). It is when ARP binds the address
// to another MAC than src, the frame goes to that MAC itself, and the
// owner sent no SYN to its own address within landSelfWait (a copy from a
// router follows the owner's own probe); with no gateway known (whose
// copies traceRouter passes over) src must also be no router: no host
// sent it a frame for an off-LAN address, and it advertised no IPv6 route.
func (e *Engine) landOtherPort(p *capture.Packet, src mac, from netip.Addr) bool {
	b := e.arpBinding(from)
	if b == nil || b.mac == src || capture.MAC6(p.Eth.DstMAC) != b.mac {
		return false
	}
	if !e.gatewayMACKnown() {
		if h := e.hosts[macKey(src)]; h == nil || h.offLink > 0 || h.ndRouter || e.routers[src] != nil {
			return false
		}
	}
	if e.spoof != nil {
		if at, ok := e.spoof.selfSYN[from]; ok && e.pktNS-at < int64(landSelfWait) {
			return false
		}
	}
	return true
}

// spoofOf is the Engine's spoofTables, made at the first use.
func (e *Engine) spoofOf() *spoofTables {
	if e.spoof == nil {
		e.spoof = &spoofTables{by: map[uint64]*offLinkSYNs{}}
	}
	if e.spoof.selfSYN == nil || len(e.spoof.selfSYN) >= landSelfMax {
		e.spoof.selfSYN = map[netip.Addr]int64{}
	}
	return e.spoof
}

// ownAddress is m's own address, not the forged one: an address it
// claimed in ARP, or the address the hosts table gives it.
func (e *Engine) ownAddress(m mac, forged netip.Addr) netip.Addr {
	own := e.claimsOther(m, forged)
	if h := e.hosts[macKey(m)]; !own.IsValid() && h != nil && h.ip != forged {
		own = h.ip
	}
	return own
}

// offLinkOf is src's off-link SYN state (made when create is set and src
// may send forged sources: a LAN host, none of the routers').
func (e *Engine) offLinkOf(src mac, create bool) *offLinkSYNs {
	if e.spoof == nil {
		if !create {
			return nil
		}
		e.spoof = &spoofTables{by: map[uint64]*offLinkSYNs{}}
	}
	o := e.spoof.by[macKey(src)]
	if o == nil && create && len(e.spoof.by) < e.cfg.MaxTrackers {
		o = &offLinkSYNs{}
		e.spoof.by[macKey(src)] = o
	}
	return o
}

// offLinkSYN counts a SYN p from src under the off-link address from and
// raises src once its SYNs carried spoofMin distinct such addresses over
// spoofWait, none of them forwarded ACKs.
func (e *Engine) offLinkSYN(p *capture.Packet, src mac, from netip.Addr) {
	if o := e.offLinkOf(src, false); o != nil && (o.forwards || o.router) {
		return // known to forward, or judged a router before (asked once, not per SYN)
	}
	if e.isSelf(src) || !e.gatewayMACKnown() && !e.claimsLAN(src) {
		return // with no gateway known, a MAC that never claimed a LAN address may be it (lanSender)
	}
	if e.traceRouter(src) {
		if o := e.offLinkOf(src, true); o != nil {
			o.router = true
		}
		return // a router's forwarded SYNs
	}
	o := e.offLinkOf(src, true)
	if o == nil || o.forwards {
		return
	}
	now := e.pktNS
	if o.syns > 0 && now-o.first > int64(e.cfg.Window) && !o.raised {
		*o = offLinkSYNs{shakes: o.shakes, nShake: o.nShake, done: o.done}
	}
	o.noteSYN(p, from)
	if o.syns == 0 {
		o.first = now
	}
	o.last, o.target = now, p.DstIP()
	o.syns++
	if o.n < len(o.srcs) && !slicesContains(o.srcs[:o.n], from) {
		o.srcs[o.n] = from
		o.n++
	}
	if o.raised || e.scanGrowing(o, src, now) || o.n < spoofMin || now-o.first < int64(spoofWait) || e.floodPaced(o, now) {
		return
	}
	o.raised = true
	if tr := e.ports[newPortKey(src, o.target)]; tr != nil && tr.done && tr.portCount() >= spoofScanPorts || e.floodRaised(o.target) {
		return // a port scan with decoys (nmap -D), a SYN flood, raised: their events name the forged sources
	}
	e.reportOffLink(p, src, o)
}

// floodPaced reports whether o's SYNs come at a SYN flood's rate
// (floodMin within floodWindow) not yet raised as one: the flood, raised
// within its window, names the forged sources (hping3 --flood
// --rand-source); o waits for it.
func (e *Engine) floodPaced(o *offLinkSYNs, now int64) bool {
	return uint64(o.syns)*uint64(floodWindow) >= floodMin[fTCP]*uint64(now-o.first) && !e.floodRaised(o.target) && now-o.first < int64(floodWindow)
}

// floodRaised reports whether a SYN flood toward dst is raised.
func (e *Engine) floodRaised(dst netip.Addr) bool {
	f := e.floodsTo[newFloodKey(dst, fTCP)]
	return f != nil && f.reported
}

// reportOffLink raises src's SYNs under off-link sources (offLinkSYN).
func (e *Engine) reportOffLink(p *capture.Packet, src mac, o *offLinkSYNs) {
	k := quietKey{inventory.EventSpoofedSource, src, mac{}, "off-link"}
	if e.quieted(k, p.Time) {
		return
	}
	own := e.ownAddress(src, netip.Addr{})
	bound := "no LAN address of its own seen yet"
	if own.IsValid() {
		bound = fmt.Sprintf("%s uses %s", macString(src), own)
	}
	e.reportKey(k, inventory.Event{
		Time: p.Time, Type: inventory.EventSpoofedSource, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: own, TargetIP: o.target,
		Summary: fmt.Sprintf("%s sent TCP SYNs toward %s under %d or more public source addresses it does not own: forged sources (BCP 38), half-open connections whose SYN+ACKs go to the internet",
			describe(src, own), o.target, spoofMin),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d SYNs within %s from %d distinct off-link addresses (%s, %s, %s, …); %s",
				o.syns, roundDur(time.Duration(o.last-o.first)), o.n, o.srcs[0], o.srcs[1], o.srcs[2], bound)},
			{Source: "traffic", Detail: fmt.Sprintf("%s is no router: not the gateway's MAC nor an HSRP/VRRP or IPv6 router's, and no handshake under those addresses completed (no ACK forwarded from it within %s); a LAN host sends only its own address (RFC 2827)",
				macString(src), roundDur(time.Duration(o.last-o.first)))},
		},
	})
}

// fraggleUDP reports whether p, a UDP datagram, asks the echo (RFC 862)
// or chargen (RFC 864) service, which answer every datagram with one or
// more: to a broadcast address under a victim's source (fraggle), every
// host running them answers the victim, smurf's UDP twin.
func fraggleUDP(p *capture.Packet) bool {
	return p.UDP.DstPort == 7 || p.UDP.DstPort == 19
}

// smurfEvidence words a smurf (ICMP echo) or fraggle (UDP echo or
// chargen, fraggleUDP) raised toward its victim dst.
func smurfEvidence(ev *inventory.Event, kind int, dst netip.Addr) {
	if kind == fUDP {
		ev.Summary += " (fraggle: UDP echo and chargen requests to the broadcast address under its address)"
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic",
			Detail: fmt.Sprintf("UDP to the echo (7, RFC 862) or chargen (19, RFC 864) port of a broadcast address from %s: every host running them answers %s, the victim (fraggle)", dst, dst)})
		return
	}
	if dst.Is6() {
		ev.Summary += " (smurf: echo requests to an IPv6 multicast group under its address)"
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic",
			Detail: fmt.Sprintf("echo requests to an IPv6 multicast group (ff02::1: all nodes) from %s: every member answers %s, the victim", dst, dst)})
		return
	}
	ev.Summary += " (smurf: echo requests to the broadcast address under its address)"
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic",
		Detail: fmt.Sprintf("echo requests to a broadcast address from %s: every host answers %s, the victim", dst, dst)})
}

// tcpFirstPiece reports whether p is the first fragment of an IPv4 TCP
// segment (firstFragment), whose header the decoder leaves unread.
func tcpFirstPiece(p *capture.Packet) bool {
	return p.IPv4.Protocol == layers.IPProtocolTCP && p.IPv4.Flags&layers.IPv4MoreFragments != 0 && len(p.IPv4.Payload) >= 4
}

// tinyTCPKind counts a TCP segment's first fragment p (tcpFirstPiece) by
// its TCP ports, not as one more packet of protocol 6: nmap -f and --mtu 8
// split every probe into 8-byte pieces (tiny fragments, RFC 1858), and a
// port scan's thousand ports then read as many ports (scanNotFlood), not
// as a raw IP flood of one protocol toward each target. Still counted as
// raw IP (fIP): the flags are in a later piece.
func tinyTCPKind(p *capture.Packet) (kind int, flow, port uint64) {
	b := p.IPv4.Payload
	return fIP, uint64(binary.BigEndian.Uint16(b)), uint64(binary.BigEndian.Uint16(b[2:]))
}
