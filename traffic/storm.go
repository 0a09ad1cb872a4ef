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

// Switching loops and broadcast floods (review 37a bridge_loop, bcast_flood,
// mcast_flood). A cable between two ports of switches without spanning tree
// (IEEE 802.1D 7.3: a bridge forwards a group-addressed frame to every port
// but the one it came in on) sends each broadcast round the loop for ever:
// one ARP request became 109,389 byte-identical copies in 2.3 s. No host
// sends one frame twice byte for byte at such a rate: a retry carries a new
// IP ID or transaction ID, a flood tool a new ID or payload per datagram.
// So group-addressed frames (the destination MAC's I/G bit) but those
// other detectors count (countedElsewhere) are hashed
// (their first frameHashBytes and their length) and counted in a few slots
// in fixed windows of stormWindow (no map, no allocation): loopMin copies
// of one frame in a window are a loop. The frame's source is the loop's
// victim, not its cause: the event names no culprit.
//
// A host's UDP to the broadcast address or to a multicast group goes to
// every port of a switch without IGMP/MLD snooping and, on Wi-Fi, at the
// slowest basic rate: hping3 --flood sent 7,700 broadcasts a second. The
// office's broadcast chatter (NetBIOS, mDNS, SSDP, LLMNR, DHCP) is a few
// datagrams a second per host; an IPTV or camera multicast stream runs at
// hundreds to a few thousand a second, but to a group its receivers joined
// (IGMP, RFC 3376; MLD, RFC 3810), so it reaches only their ports. So the
// distinct UDP datagrams (a loop's copies are counted once) a MAC sends to
// the broadcast address or to a group no host joined in the capture
// (joined: the last joinedSlots groups reported) are counted per sending
// MAC in the same windows: floodGroupMin in one is a flood (high for
// broadcast or at floodGroupHigh, medium otherwise). DHCP, which has its
// own detectors (starvation, storms), is not counted.
const (
	loopMin = 1000
	// loopOther is the copies of a second frame that make loopMin copies
	// of one a loop; oneFrameMin the copies of one frame, alone, that make
	// its sender's flood.
	loopOther      = 100
	oneFrameMin    = 2 * loopMin
	stormWindow    = time.Second
	stormSlots     = 8
	frameHashBytes = 64
	floodGroupMin  = 1000
	floodGroupHigh = 5000
	joinedSlots    = 32
)

// loopSlot is one group-addressed frame's copies in its current window.
type loopSlot struct {
	_        [0]func() // not comparable: no equality function linked
	hash     uint64
	start    int64 // the engine's clock
	n        int
	reported bool
	pending  bool // loopMin copies, no other frame looping yet
	// src, kind, dst and size are the frame's, for an event raised when
	// another frame's copies decide it (pendingLoop).
	src    mac
	victim netip.Addr
	dst    mac
	size   int
	kind   string
}

// floodGroupSlot is one MAC's distinct UDP datagrams to the broadcast
// address or an unjoined group in its current window.
type floodGroupSlot struct {
	_ [0]func() // not comparable: no equality function linked
	macWindow
	n, bcast  int
	dst, ip   netip.Addr // the last datagram's
	port      uint16
	reported  bool
	mediumDue bool // n reached floodGroupMin, not yet floodGroupHigh: raised at the window's end
}

// stormState is the loop and group-flood counts (storm.go).
type stormState struct {
	_      [0]func() // not comparable: no equality function linked
	loops  [stormSlots]loopSlot
	floods [stormSlots]floodGroupSlot
	joined [joinedSlots]netip.Addr
	next   int // joined's next slot to overwrite

	gateStart int64 // when the current second of group frames began (packet time, ns)
	gateN     int   // group frames in it
}

// stormGate is how many group-addressed frames a second pass before any
// is hashed for the loop count: a loop repeats one frame loopMin times a
// second (tens of thousands in practice), so skipping the first stormGate
// of each second keeps it above its threshold, while a LAN's ordinary ARP,
// mDNS and SSDP chatter, which stays under it, is not hashed. Below the
// gate every UDP datagram counts toward its sender's group flood (distinct
// or not: fewer than stormGate repeats cannot make floodGroupMin).
const stormGate = 100

// groupFrame hands a group-addressed frame to the storm counts; every
// other frame pays one test.
func (e *Engine) groupFrame(p *capture.Packet, src, dst mac) {
	if dst[0]&1 == 0 {
		return
	}
	s := &e.storm
	if e.pktNS-s.gateStart > int64(time.Second) {
		s.gateStart, s.gateN = e.pktNS, 0
	}
	if s.gateN++; s.gateN > stormGate {
		e.stormFrame(p, src)
	} else if p.Has&capture.HasUDP != 0 && p.UDP.DstPort != 67 && p.UDP.DstPort != 68 && p.UDP.DstPort != 547 {
		e.floodGroup(p, src, e.pktNS) // every datagram: fewer than stormGate copies cannot make a flood
	}
}

// countedElsewhere reports whether p is an IGMP or MLD message, which
// groupReport counts per sending MAC, or an echo request to a group, which
// the smurf count reads: thc's atk6-fake_mld26 and atk6-smurf6 repeat one
// frame byte for byte thousands of times a second, floods those detectors
// raise, not loops (a loop carries every host's ARP and ND too).
func countedElsewhere(p *capture.Packet) bool {
	if p.Has&capture.HasICMPv6 != 0 {
		t := p.ICMPv6.TypeCode.Type()
		return t == layers.ICMPv6TypeEchoRequest || t == layers.ICMPv6TypeMLDv1MulticastListenerReportMessage || t == layers.ICMPv6TypeMLDv1MulticastListenerDoneMessage || t == layers.ICMPv6TypeMLDv2MulticastListenerReportMessageV2
	}
	if p.Has&capture.HasICMPv4 != 0 {
		return p.ICMPv4.TypeCode.Type() == layers.ICMPv4TypeEchoRequest
	}
	return p.Has&capture.HasIPv4 != 0 && p.IPv4.Protocol == layers.IPProtocolIGMP
}

// frameHash hashes b's first frameHashBytes and its length.
func frameHash(b []byte) uint64 {
	h := uint64(len(b)) * 0x9e3779b97f4a7c15
	n := min(len(b), frameHashBytes)
	i := 0
	for ; i+8 <= n; i += 8 {
		h = (h ^ binary.LittleEndian.Uint64(b[i:])) * 0xc4ceb9fe1a85ec53
		h ^= h >> 29
	}
	for ; i < n; i++ {
		h = (h ^ uint64(b[i])) * 0x100000001b3
	}
	return h | 1
}

// stormFrame counts p, a group-addressed frame from src.
func (e *Engine) stormFrame(p *capture.Packet, src mac) {
	if countedElsewhere(p) {
		return // groupflood.go's and the smurf count's: a tool repeats one (atk6-fake_mld26, atk6-smurf6)
	}
	now, s := e.pktNS, &e.storm
	h := frameHash(p.Data)
	var l *loopSlot
	low := 0
	for i := range s.loops {
		c := &s.loops[i]
		if c.hash == h {
			l = c
			break
		}
		if o := &s.loops[low]; now-c.start > int64(stormWindow) && now-o.start <= int64(stormWindow) || c.n < o.n {
			low = i
		}
	}
	if l == nil {
		l = &s.loops[low]
		*l = loopSlot{hash: h, start: now, src: src}
	}
	if l.n == loopMin-1 && !l.reported {
		l.dst, l.size, l.kind, l.victim = capture.MAC6(p.Eth.DstMAC), len(p.Data), groupFrameKind(p), loopVictim(p)
	}
	if now-l.start > int64(stormWindow) {
		if l.pending && l.n >= oneFrameMin { // decided at the window's end (closing review 43, 1): a loop's first broadcast makes oneFrameMin before another comes round loopOther times
			l.reported = true
			e.reportOneFrameFlood(p, l)
		}
		l.start, l.n, l.reported, l.pending = now, 0, l.reported && now-l.start <= int64(e.cfg.Cooldown), false
	}
	l.n++
	switch {
	case l.reported:
	case l.n == loopMin && s.otherLooping(l, now):
		l.reported = true
		e.reportLoop(l)
	case l.n == loopMin:
		l.pending = true // one frame alone: a loop once another loops too, else its sender's flood (oneFrameMin)
	case l.n == loopOther:
		if o := s.pendingLoop(l, now); o != nil {
			o.reported, o.pending = true, false
			e.reportLoop(o)
		}
	}
	if l.n == 1 && p.Has&capture.HasUDP != 0 && p.UDP.DstPort != 67 && p.UDP.DstPort != 68 && p.UDP.DstPort != 547 {
		e.floodGroup(p, src, now)
	}
}

// floodGroup counts p, a distinct UDP datagram from src to a group
// address, when it goes to the broadcast address or to a group no host
// joined.
func (e *Engine) floodGroup(p *capture.Packet, src mac, now int64) {
	dst := p.DstIP()
	bcast := p.Eth.DstMAC[0] == 0xff || dst.Is4() && dst.As4()[3] == 255
	if !bcast && (!dst.IsMulticast() || e.storm.isJoined(dst)) {
		return
	}
	f := macSlot(e.storm.floods[:], src, now) // groupflood.go
	if now-f.start > int64(stormWindow) {
		if f.mediumDue && !f.reported {
			e.reportFloodGroup(f, inventory.SeverityMedium)
		}
		f.start, f.n, f.bcast, f.mediumDue, f.reported = now, 0, 0, false, f.reported && now-f.start <= int64(e.cfg.Cooldown)
	}
	f.n++
	if bcast {
		f.bcast++
	}
	f.dst, f.ip, f.port = dst, p.SrcIP(), uint16(p.UDP.DstPort)
	switch {
	case f.reported:
	case f.n == floodGroupHigh || f.bcast == floodGroupMin:
		e.reportFloodGroup(f, inventory.SeverityHigh)
	case f.n == floodGroupMin:
		f.mediumDue = true
	}
}

// isJoined reports whether a host reported group g (noteJoins).
func (s *stormState) isJoined(g netip.Addr) bool {
	for _, j := range s.joined {
		if j == g {
			return true
		}
	}
	return false
}

// join notes group g as joined.
func (s *stormState) join(g netip.Addr) {
	if !g.IsMulticast() || s.isJoined(g) {
		return
	}
	s.joined[s.next] = g
	s.next = (s.next + 1) % joinedSlots
}

// noteJoins notes the groups an IGMP or MLD report joins (RFC 2236 2,
// RFC 3376 4.2, RFC 2710 3, RFC 3810 5.2): b is the IGMP message, or the
// ICMPv6 message's body after its type, code and checksum.
func (s *stormState) noteJoins(p *capture.Packet, b []byte, v6 bool) {
	glen, v1, v2 := 4, 4, 8 // IGMP: v1/v2's group at 4, v3's records at 8
	typ := byte(0)
	if v6 {
		glen, v1, v2, typ = 16, 4, 4, byte(p.ICMPv6.TypeCode.Type())
	} else if len(b) > 0 {
		typ = b[0]
	}
	switch typ {
	case 0x12, 0x16, byte(layers.ICMPv6TypeMLDv1MulticastListenerReportMessage):
		if len(b) >= v1+glen {
			s.join(addrOf(b[v1 : v1+glen]))
		}
	case 0x22, byte(layers.ICMPv6TypeMLDv2MulticastListenerReportMessageV2):
		if len(b) < v2 {
			return
		}
		n, r := int(binary.BigEndian.Uint16(b[v2-2:])), b[v2:]
		for i := 0; i < n && i < joinedSlots && len(r) >= 4+glen; i++ {
			srcs := int(binary.BigEndian.Uint16(r[2:]))
			if r[0] != 6 && (r[0] != 3 || srcs > 0) { // not a leave (BLOCK_OLD, TO_IN with no source)
				s.join(addrOf(r[4 : 4+glen]))
			}
			skip := 4 + glen + srcs*glen + int(r[1])*4
			if skip > len(r) {
				return
			}
			r = r[skip:]
		}
	}
}

// addrOf is the address in b, 4 or 16 bytes.
func addrOf(b []byte) netip.Addr {
	a, _ := netip.AddrFromSlice(b)
	return a
}

// groupFrameKind names a group-addressed frame for an event: its protocol and
// what it asks.
func groupFrameKind(p *capture.Packet) string {
	switch {
	case p.Has&capture.HasARP != 0 && p.ARP.Operation == layers.ARPRequest:
		return fmt.Sprintf("an ARP request for %s from %s", addrOf(p.ARP.DstProtAddress), addrOf(p.ARP.SourceProtAddress))
	case p.Has&capture.HasARP != 0:
		return fmt.Sprintf("an ARP reply (%s is at %s)", addrOf(p.ARP.SourceProtAddress), macString(capture.MAC6(p.ARP.SourceHwAddress)))
	case p.Has&capture.HasUDP != 0:
		return fmt.Sprintf("a UDP datagram from %s to %s port %d", p.SrcIP(), p.DstIP(), p.UDP.DstPort)
	case p.Has&capture.HasICMPv6 != 0:
		return fmt.Sprintf("an ICMPv6 %s from %s to %s", p.ICMPv6.TypeCode, p.SrcIP(), p.DstIP())
	case p.Has&(capture.HasIPv4|capture.HasIPv6) != 0:
		return fmt.Sprintf("an IP packet from %s to %s", p.SrcIP(), p.DstIP())
	}
	return fmt.Sprintf("a frame of EtherType 0x%04x", uint16(p.Eth.EthernetType))
}

// loopVictim is the address whose frame p is: an ARP frame's sender's,
// else the IP source.
func loopVictim(p *capture.Packet) netip.Addr {
	if p.Has&capture.HasARP != 0 {
		return addrOf(p.ARP.SourceProtAddress)
	}
	return p.SrcIP()
}

// otherLooping reports whether a frame other than l's came round
// loopOther times in its window at now.
func (s *stormState) otherLooping(l *loopSlot, now int64) bool {
	for i := range s.loops {
		if c := &s.loops[i]; c != l && c.n >= loopOther && now-c.start <= int64(stormWindow) {
			return true
		}
	}
	return false
}

// pendingLoop is a frame other than l's that came round loopMin times in
// its window at now, alone until then, or nil.
func (s *stormState) pendingLoop(l *loopSlot, now int64) *loopSlot {
	for i := range s.loops {
		if c := &s.loops[i]; c != l && c.pending && now-c.start <= int64(stormWindow) {
			return c
		}
	}
	return nil
}

// reportLoop raises l, loopMin copies of its frame within stormWindow
// while another frame loops too, as a switching loop: no culprit, the
// frame's source its victim.
func (e *Engine) reportLoop(l *loopSlot) {
	o := e.storm.otherTop(l)
	span := max(time.Duration(e.pktNS-l.start), time.Millisecond)
	k := quietKey{inventory.EventSwitchingLoop, mac{}, mac{}, ""}
	e.reportKey(k, inventory.Event{
		Time: e.pktTime, Type: inventory.EventSwitchingLoop, Severity: inventory.SeverityCritical,
		TargetMAC: macOf(l.src), TargetIP: l.victim,
		Summary: fmt.Sprintf("A switching loop or broadcast storm: %s, sent once by %s, came round %d times within %s",
			l.kind, macString(l.src), l.n, roundDur(span)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d byte-identical copies of one %d-byte frame to %s within %s: no host sends one frame twice so; switches without spanning tree forward a broadcast round a loop for ever (IEEE 802.1D)",
				l.n, l.size, macString(l.dst), roundDur(span))},
			{Source: "traffic", Detail: fmt.Sprintf("another frame came round too (%d copies of one from %s): a loop carries every broadcast, where a flood tool repeats its own frame", o.n, macString(o.src))},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d copies within %s, and %d of another frame; %s is the loop's victim, not its cause", loopMin, stormWindow, loopOther, macString(l.src))},
		},
	})
}

// otherTop is the frame other than l's counted most in its window.
func (s *stormState) otherTop(l *loopSlot) *loopSlot {
	var top *loopSlot
	for i := range s.loops {
		if c := &s.loops[i]; c != l && (top == nil || c.n > top.n) {
			top = c
		}
	}
	return top
}

// reportOneFrameFlood raises l, oneFrameMin copies of one frame from src
// in a window closed while no other frame looped, as src's flood (review 43 P2: atk6-flood_rs6
// repeats one byte-identical router solicitation tens of thousands of
// times a second; its sender's other frames did not repeat, as they would
// round a loop).
func (e *Engine) reportOneFrameFlood(p *capture.Packet, l *loopSlot) {
	src, span := l.src, stormWindow
	e.report(inventory.Event{
		Time: e.pktTime, Type: inventory.EventFlood, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: l.victim, TargetIP: p.DstIP(),
		Summary: fmt.Sprintf("Flood from %s: %s, %d byte-identical copies within %s to %s", describe(src, l.victim), l.kind, l.n, roundDur(span), macString(l.dst)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d copies of one %d-byte frame to %s within %s, and no other frame came round: a tool repeating one frame (thc's flood_rs6), not a switching loop, which carries every host's broadcasts",
				l.n, l.size, macString(l.dst), roundDur(span))},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d copies within %s while no other frame repeats %d times; every host on the LAN takes each one", oneFrameMin, stormWindow, loopOther)},
		},
	}, src, mac{})
}

// reportFloodGroup raises f as a UDP broadcast or multicast flood from its
// MAC.
func (e *Engine) reportFloodGroup(f *floodGroupSlot, sev inventory.Severity) {
	f.reported = true
	span := max(time.Duration(e.pktNS-f.start), time.Millisecond)
	what, why := "multicast", fmt.Sprintf("no host joined %s by IGMP or MLD", f.dst)
	if f.bcast*2 >= f.n {
		what, why = "broadcast", "every host on the LAN takes each one"
	}
	e.report(inventory.Event{
		Time: e.pktTime, Type: inventory.EventFlood, Severity: sev, MAC: macOf(f.src), IP: f.ip, TargetIP: f.dst,
		Summary: fmt.Sprintf("UDP %s flood from %s: %d datagrams within %s to %s port %d", what, describe(f.src, f.ip), f.n, roundDur(span), f.dst, f.port),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d distinct UDP datagrams to group addresses (%d to broadcast) from one MAC within %s: %s, and a switch without snooping sends each to every port (on Wi-Fi at the slowest rate)", f.n, f.bcast, roundDur(span), why)},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d within %s (high from %d or for broadcast); the office's NetBIOS, mDNS and SSDP chatter is a few a second per host", floodGroupMin, stormWindow, floodGroupHigh)},
		},
	}, f.src, mac{})
}
