package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// VLAN hopping by double tagging: a host on an access port sends frames
// with two 802.1Q tags (EtherType 0x8100 inside 0x8100), the outer one its
// port's native VLAN, which the first switch strips, the inner one the
// VLAN it wants to reach, which the next trunk carries on (the attack the
// Cisco and IEEE 802.1Q guidance answers with a tagged native VLAN). An
// end host has no business stacking C-tags: provider bridging stacks an
// S-tag (802.1ad, EtherType 0x88a8) over the C-tag, and a sensor on a
// trunk's mirror sees single tags. So double 0x8100 tags from a MAC whose
// other traffic is untagged are raised as rogue_switch, once per incident:
// the MAC sent untagged frames before the sensor saw any tagged frame
// (an access port's vantage), or sends one while its double tags are
// tracked.

const (
	// vlanHopFrames double-tagged frames make an incident: one could be a
	// mangled frame, a tool sends hundreds (mausezahn -Q 100,200 -c 200).
	vlanHopFrames = 5
	// vlanHopKept bounds the MACs tracked: double tags are rare.
	vlanHopKept = 64
)

// vlanHopState is the double-tagging detector's state (in l2State).
type vlanHopState struct {
	firstTagged time.Time           // the first 802.1Q-tagged frame the sensor saw
	hosts       map[mac]*vlanHopper // MACs that sent double-tagged frames
}

// vlanHopper is one MAC's double-tagged frames.
type vlanHopper struct {
	first            time.Time
	n                int
	outer, inner     uint16
	untagged, raised bool
}

// vlanFrame looks at every frame: a tagged one for double tags, an
// untagged one from a MAC tracked (small enough to inline).
func (e *Engine) vlanFrame(p *capture.Packet, src mac) {
	if p.Has&capture.HasVLAN != 0 || len(e.l2.hop.hosts) > 0 {
		e.vlanSeen(p, src)
	}
}

// vlanSeen passes a frame on to vlanTagged or vlanUntagged.
func (e *Engine) vlanSeen(p *capture.Packet, src mac) {
	if p.Has&capture.HasVLAN != 0 {
		e.vlanTagged(p, src)
	} else {
		e.vlanUntagged(p, src)
	}
}

// vlanTagged looks at a tagged frame from src for double 802.1Q tags.
func (e *Engine) vlanTagged(p *capture.Packet, src mac) {
	s := &e.l2.hop
	if s.firstTagged.IsZero() {
		s.firstTagged = p.Time
	}
	b := p.Data
	if len(b) < 20 || b[12] != 0x81 || b[13] != 0 || b[16] != 0x81 || b[17] != 0 || !unicast(src) {
		return // 802.1ad's 0x88a8 outer tag, or a single tag
	}
	h := s.hosts[src]
	if h == nil {
		if len(s.hosts) >= vlanHopKept {
			e.counters.TrackersDropped++
			return
		}
		if s.hosts == nil {
			s.hosts = map[mac]*vlanHopper{}
		}
		h = &vlanHopper{first: p.Time, outer: (uint16(b[14])<<8 | uint16(b[15])) & 0xfff, inner: (uint16(b[18])<<8 | uint16(b[19])) & 0xfff}
		if hr := e.hosts[macKey(src)]; hr != nil && hr.first.Before(s.firstTagged) {
			h.untagged = true // it spoke untagged before any tag was seen
		}
		s.hosts[src] = h
	}
	h.n++
	e.vlanHopCheck(src, h, p.Time)
}

// vlanUntagged notes an untagged frame from src if it is tracked.
func (e *Engine) vlanUntagged(p *capture.Packet, src mac) {
	if h := e.l2.hop.hosts[src]; h != nil && !h.untagged {
		h.untagged = true
		e.vlanHopCheck(src, h, p.Time)
	}
}

// vlanHopCheck raises the incident once it is one.
func (e *Engine) vlanHopCheck(src mac, h *vlanHopper, t time.Time) {
	if h.raised || !h.untagged || h.n < vlanHopFrames {
		return
	}
	h.raised = true
	e.l2Event(t, inventory.EventRogueSwitch, inventory.SeverityHigh, src, netip.Addr{}, mac{}, netip.Addr{},
		fmt.Sprintf("%s sends double-tagged 802.1Q frames (VLAN %d inside VLAN %d): VLAN hopping", macString(src), h.inner, h.outer), "vlan",
		fmt.Sprintf("%d frames with two 802.1Q tags (0x8100 inside 0x8100) since %s; its other frames are untagged", h.n, h.first.UTC().Format(time.RFC3339)),
		"an end host stacks no customer tags: the outer tag is stripped as its access port's native VLAN and the inner one carried to another VLAN by the next trunk (provider bridging uses 802.1ad 0x88a8)")
}

// forgetVLANHops drops the MACs quiet for a window (all when all is set).
func (e *Engine) forgetVLANHops(now time.Time, all bool) {
	for m, h := range e.l2.hop.hosts {
		if all || since(now, h.first) > bruteWindow {
			delete(e.l2.hop.hosts, m)
		}
	}
}
