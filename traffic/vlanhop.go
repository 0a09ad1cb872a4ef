package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// VLAN hopping by double tagging: a host on an access port sends frames
// with two tags (802.1Q 0x8100, or an 802.1ad 0x88a8 S-tag, inside one
// another), the outer one its port's native VLAN, which the first switch
// strips, the inner one the VLAN it wants to reach, which the next trunk
// carries on (the attack the Cisco and IEEE 802.1Q guidance answers with a
// tagged native VLAN). One frame is enough: the attack is one-way. An end
// host has no business stacking tags; a trunk does: a sensor on the mirror
// of a QinQ trunk between two switches (provider bridging, 802.1ad) sees
// double tags on the frames of every MAC behind it, both ways, and the
// switches' STP or CDP. So double tags from a MAC are raised as
// rogue_switch, once per incident:
//   - at once from vlanHopFrames frames when the MAC's other traffic is
//     untagged (it sent untagged frames before the sensor saw any tagged
//     frame, an access port's vantage, or sends one while tracked);
//   - otherwise vlanHopHold after its first double-tagged frame (or at the
//     end of a replay), unless the link behaves as a trunk by then:
//     vlanTrunkMACs MACs or more sent double-tagged frames, the MAC and
//     one it exchanged double-tagged frames with both sent them, both
//     established (steady: vlanHopFrames frames over vlanSteadyFor) or
//     both under 802.1ad S-tags (tagged both ways: a
//     request and its answer; an attack's target answers, if at all, in
//     its own VLAN), or the MAC is an established one and a switch's (STP,
//     CDP: isSwitch). MACs heard once, invented by the attacker, make no
//     trunk (review 33c).

const (
	// vlanHopFrames double-tagged frames make an incident: one could be a
	// mangled frame, a tool sends hundreds (mausezahn -Q 100,200 -c 200).
	vlanHopFrames = 5
	// vlanHopKept bounds the MACs tracked: double tags are rare.
	vlanHopKept = 64
	// vlanHopHold is how long a MAC's double tags wait for the link to
	// show itself a trunk: a trunk's next MACs speak within seconds.
	vlanHopHold = 10 * time.Second
	// vlanTrunkMACs MACs sending double tags make the link a trunk.
	vlanTrunkMACs = 3
	// vlanSteadyFor is how long a MAC sends double tags (vlanHopFrames at
	// least) before its tags coming back, or its STP, show a trunk: a
	// trunk's hosts speak for a while, invented MACs once each (review
	// 33c: one frame each way with an invented MAC, or two BPDUs, hid the
	// attack).
	vlanSteadyFor = 5 * time.Second
)

// vlanHopState is the double-tagging detector's state (in l2State).
type vlanHopState struct {
	firstTagged time.Time           // the first 802.1Q-tagged frame the sensor saw
	hosts       map[mac]*vlanHopper // MACs that sent double-tagged frames
	due         int64               // when the first held MAC's vlanHopHold ends (engine clock; 0: none)
}

// vlanHopper is one MAC's double-tagged frames.
type vlanHopper struct {
	_                [0]func() // not comparable: no equality function linked
	first, last      time.Time
	n                int
	outer, inner     uint16
	untagged, raised bool
	back             bool // it and a MAC it sent double tags to, or that sent it some, both sent them
	sTag             bool // the outer tag is 802.1ad's (0x88a8): a provider bridge's
	peer             mac  // the MAC of back
}

// steady reports whether h is an established sender of double tags:
// vlanHopFrames frames over vlanSteadyFor at least.
func (h *vlanHopper) steady() bool {
	return h.n >= vlanHopFrames && h.last.Sub(h.first) >= vlanSteadyFor
}

// vlanFrame looks at every frame: a tagged one for double tags, an
// untagged one from a MAC tracked (small enough to inline).
func (e *Engine) vlanFrame(p *capture.Packet, src mac) {
	if p.Has&capture.HasVLAN != 0 || len(e.l2.hop.hosts) > 0 {
		e.vlanSeen(p, src)
	}
}

// vlanSeen passes a frame on to vlanTagged or vlanUntagged, and raises
// the held MACs due.
func (e *Engine) vlanSeen(p *capture.Packet, src mac) {
	if p.Has&capture.HasVLAN != 0 {
		e.vlanTagged(p, src)
	} else {
		e.vlanUntagged(p, src)
	}
	if s := &e.l2.hop; s.due != 0 && e.clock >= s.due {
		e.vlanHopsDue(false)
	}
}

// doubleTag reports whether b's Ethernet header carries two VLAN tags,
// each 802.1Q (0x8100) or 802.1ad (0x88a8).
func doubleTag(b []byte) bool {
	tag := func(hi, lo byte) bool { return hi == 0x81 && lo == 0 || hi == 0x88 && lo == 0xa8 }
	return len(b) >= 20 && tag(b[12], b[13]) && tag(b[16], b[17])
}

// vlanTagged looks at a tagged frame from src for double 802.1Q tags.
func (e *Engine) vlanTagged(p *capture.Packet, src mac) {
	s := &e.l2.hop
	if s.firstTagged.IsZero() {
		s.firstTagged = p.Time
	}
	b := p.Data
	if !doubleTag(b) || !unicast(src) || providerTagged(b) { // benign33.go: an S-tag outside
		return // a single tag
	}
	hd := s.hosts[capture.MAC6(p.Eth.DstMAC)]
	h := s.hosts[src]
	if h == nil {
		if len(s.hosts) >= vlanHopKept {
			e.counters.TrackersDropped++
			return
		}
		if s.hosts == nil {
			s.hosts = map[mac]*vlanHopper{}
		}
		h = &vlanHopper{first: p.Time, sTag: b[12] == 0x88, outer: (uint16(b[14])<<8 | uint16(b[15])) & 0xfff, inner: (uint16(b[18])<<8 | uint16(b[19])) & 0xfff}
		if hr := e.hosts[macKey(src)]; hr != nil && hr.first.Before(s.firstTagged) {
			h.untagged = true // it spoke untagged before any tag was seen
		}
		s.hosts[src] = h
		if due := e.clock + int64(vlanHopHold); s.due == 0 || due < s.due {
			s.due = due
		}
	}
	if hd != nil && hd != h { // double tags both ways between the two: a trunk's
		hd.back, h.back = true, true
		hd.peer, h.peer = src, capture.MAC6(p.Eth.DstMAC)
	}
	h.n++
	h.last = p.Time
	e.vlanHopCheck(src, h, p.Time, false)
}

// vlanUntagged notes an untagged frame from src if it is tracked.
func (e *Engine) vlanUntagged(p *capture.Packet, src mac) {
	if h := e.l2.hop.hosts[src]; h != nil && !h.untagged {
		h.untagged = true
		e.vlanHopCheck(src, h, p.Time, false)
	}
}

// vlanHopCheck raises the incident once it is one: vlanHopFrames frames
// from a MAC otherwise untagged, or (held) one frame from a MAC of a link
// that showed no trunk within vlanHopHold.
func (e *Engine) vlanHopCheck(src mac, h *vlanHopper, t time.Time, held bool) {
	if h.raised {
		return
	}
	var why string
	switch {
	case h.untagged && h.n >= vlanHopFrames:
		why = "its other frames are untagged"
	case held && !e.vlanTrunk(src, h, t):
		why = fmt.Sprintf("no trunk: %d MAC(s) sent double tags, none came back to it, no STP or CDP from it", len(e.l2.hop.hosts))
	default:
		return
	}
	h.raised = true
	e.l2Event(t, inventory.EventRogueSwitch, inventory.SeverityHigh, src, netip.Addr{}, mac{}, netip.Addr{},
		fmt.Sprintf("%s sends double-tagged 802.1Q frames (VLAN %d inside VLAN %d): VLAN hopping", macString(src), h.inner, h.outer), "vlan",
		fmt.Sprintf("%d frames with two VLAN tags (802.1Q/802.1ad inside 802.1Q/802.1ad) since %s; %s", h.n, h.first.UTC().Format(time.RFC3339), why),
		"an end host stacks no tags: the outer tag is stripped as its access port's native VLAN and the inner one carried to another VLAN by the next trunk (a QinQ trunk's mirror shows double tags from many MACs, both ways)")
}

// vlanTrunk reports whether the double tags of src (h) are a trunk's: from
// vlanTrunkMACs MACs, back to src from a MAC it
// exchanged them with, both established (or under an 802.1ad S-tag, which
// no access port strips as its native VLAN: a provider bridge's), or src
// an established switch's. A MAC heard once makes no trunk both ways
// (review 33c).
func (e *Engine) vlanTrunk(src mac, h *vlanHopper, t time.Time) bool {
	if len(e.l2.hop.hosts) >= vlanTrunkMACs {
		return true // a real QinQ trace's first frames (corpus zeek_q-in-q: four MACs, a frame or two each) look as invented MACs do
	}
	if p := e.l2.hop.hosts[h.peer]; h.back && p != nil && (h.sTag && p.sTag || h.steady() && p.steady()) {
		return true
	}
	return h.steady() && e.isSwitch(src, t)
}

// vlanHopsDue raises the held MACs whose vlanHopHold ended (all of them
// at the end of a replay), in the order they began, and sets when the
// next is due.
func (e *Engine) vlanHopsDue(all bool) {
	s := &e.l2.hop
	s.due = 0
	var due []mac
	for m, h := range s.hosts {
		end := e.nanos(h.first) + int64(vlanHopHold)
		switch {
		case h.raised:
		case all || e.clock >= end:
			due = append(due, m)
		case s.due == 0 || end < s.due:
			s.due = end
		}
	}
	for i := 1; i < len(due); i++ { // an insertion sort: a replay prints the same events
		for j := i; j > 0 && vlanHopBefore(s.hosts[due[j]], s.hosts[due[j-1]], due[j], due[j-1]); j-- {
			due[j], due[j-1] = due[j-1], due[j]
		}
	}
	for _, m := range due {
		e.vlanHopCheck(m, s.hosts[m], e.now, true)
	}
}

// vlanHopBefore orders held MACs by their first double tag, then by MAC.
func vlanHopBefore(a, b *vlanHopper, am, bm mac) bool {
	if !a.first.Equal(b.first) {
		return a.first.Before(b.first)
	}
	return string(am[:]) < string(bm[:])
}

// forgetVLANHops drops the MACs quiet for a window (all when all is set).
func (e *Engine) forgetVLANHops(now time.Time, all bool) {
	for m, h := range e.l2.hop.hosts {
		if all || since(now, h.first) > bruteWindow {
			delete(e.l2.hop.hosts, m)
		}
	}
}
