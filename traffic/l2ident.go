package traffic

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// l2Ident is one identity a device announced by LLDP or CDP (review 37a
// P9): its chassis ID, or its name (LLDP's system name, CDP's device ID,
// the same text on one switch), hashed, and the MAC that holds it. A
// switch sends each port's announcements from that port's MAC, numbered
// up from its base MAC: a MAC sharing the holder's first five bytes is
// the same device (l2Switch).
type l2Ident struct {
	_       [0]func() // not comparable: no equality function linked
	h       uint64
	m       mac
	first   time.Time
	last    time.Time
	rival   mac // the last other device heard announcing it
	rivalAt time.Time
}

// identAlive is how long an identity stays its holder's unheard: CDP's
// hold time (180 s; LLDP's default TTL is 120 s, its interval 30 s). A
// switch replaced by one of the same name comes back after it.
const identAlive = 3 * time.Minute

// genericNames are the names devices carry out of the box: two of them on
// one LAN is no impersonation (lower-cased).
var genericNames = [][]byte{[]byte("switch"), []byte("router"), []byte("localhost"), []byte("raspberrypi"), []byte("openwrt"), []byte("ubuntu"), []byte("debian"), []byte("(none)"), []byte("unknown")}

// lldpFrame reads an LLDPDU (IEEE 802.1AB 8.5: type-length-value fields, a
// 7-bit type and a 9-bit length; chassis ID is type 1, its first byte the
// subtype; system name type 5) for the identities it announces.
func (e *Engine) lldpFrame(p *capture.Packet, src mac, b []byte) {
	for len(b) >= 2 {
		tl := binary.BigEndian.Uint16(b)
		typ, n := tl>>9, int(tl&0x1ff)
		if typ == 0 || 2+n > len(b) {
			return
		}
		v := b[2 : 2+n]
		switch {
		case typ == 1 && n >= 2:
			e.l2Identity(p.Time, src, 'c', v, "LLDP")
		case typ == 5 && n >= 1:
			e.l2Identity(p.Time, src, 'n', v, "LLDP")
		}
		b = b[2+n:]
	}
}

// l2Identity records that src announced identity v of kind ('c' a chassis
// ID with its subtype, 'n' a name) by proto. Another device (no MAC of
// its switch's block) announcing an identity its holder announced within
// identAlive, twice at least switchConfirm apart, is a rogue_switch, Medium: a host impersonating the switch
// (a forged LLDP/CDP neighbour fools the management tools and the
// engineers reading them: voice VLAN assignment, a topology map, an
// inventory). The newcomer is the culprit, the holder the target.
func (e *Engine) l2Identity(t time.Time, src mac, kind byte, v []byte, proto string) {
	if kind == 'n' && generic(v) || !unicast(src) || e.isSelf(src) {
		return
	}
	h := fnv64(v) ^ uint64(kind)<<56
	ids := &e.l2.idents
	slot := &ids[0]
	for i := range ids {
		d := &ids[i]
		if d.h == h && !d.last.IsZero() {
			switch {
			case [5]byte(d.m[:5]) == [5]byte(src[:5]):
				d.last = t
			case since(t, d.last) > identAlive:
				*d = l2Ident{h: h, m: src, first: t, last: t} // the holder is gone: a replacement takes the name over
			case d.rival != src:
				d.rival, d.rivalAt = src, t // a flood's forged MACs speak once (yersinia's CDP flood)
			case since(t, d.rivalAt) >= switchConfirm:
				e.reportImpersonation(t, src, d, kind, v, proto)
			}
			return
		}
		if d.last.Before(slot.last) {
			slot = d
		}
	}
	if !slot.last.IsZero() && since(t, slot.last) <= identAlive {
		e.counters.TrackersDropped++
	}
	*slot = l2Ident{h: h, m: src, first: t, last: t}
}

func generic(v []byte) bool {
	for _, g := range genericNames {
		if bytes.EqualFold(v, g) {
			return true
		}
	}
	return len(v) == 0
}

func (e *Engine) reportImpersonation(t time.Time, src mac, d *l2Ident, kind byte, v []byte, proto string) {
	what := "name " + identText(v)
	if kind == 'c' {
		what = "chassis ID " + identText(v[1:])
		if v[0] == 4 && len(v) == 7 { // subtype 4: a MAC address
			what = "chassis ID " + macString(mac(v[1:7]))
		}
	}
	var ip netip.Addr
	if h := e.hosts[macKey(src)]; h != nil {
		ip = h.ip
	}
	holder := macString(d.m)
	e.l2Event(t, inventory.EventRogueSwitch, inventory.SeverityMedium, src, ip, d.m, netip.Addr{},
		describe(src, ip)+" announces itself by "+proto+" as "+what+", which "+holder+" announces: a host impersonating a switch", "lldp",
		holder+" has announced "+what+" since "+d.first.UTC().Format(time.RFC3339)+"; "+macString(src)+", a MAC outside its block, announces it too",
		"a switch announces every port from a MAC of its own block; a second device under its identity misleads the voice VLAN, the topology map and the inventory (a forged LLDP/CDP neighbour)")
}

// identText is an announced identity as text: printable ASCII as sent,
// anything else in hex.
func identText(v []byte) string {
	if len(v) > 64 {
		v = v[:64]
	}
	for _, c := range v {
		if c < 0x20 || c > 0x7e {
			return fmt.Sprintf("%x", v)
		}
	}
	return fmt.Sprintf("%q", v)
}
