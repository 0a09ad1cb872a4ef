package traffic

import (
	"time"

	"tend/capture"
)

// A Bonjour Sleep Proxy (an Apple TV, a HomePod, an AirPort) holds the
// addresses of the Macs that sleep on it: mDNSResponder (mDNSCore/mDNS.c)
// announces each one in ARP with the proxy's own MAC ("ARP Announcement
// ... Capturing traffic"), answers ARP for it, sends a Wake-on-LAN magic
// packet for the Mac's MAC when someone connects, and stops as soon as the
// Mac speaks again: several times a day per Mac in an office with an Apple
// TV in a meeting room (review 36b FP 1). A poisoner claims a live owner's
// address (the owner speaking just before), goes on re-poisoning while the
// owner lives and has no reason to wake it.

// sleepQuiet is how long an address's owner must have been silent before
// another MAC's run of claims began for that run to be a proxy holding it
// for a sleeping owner: a Mac registers with its proxy and sleeps; a
// victim of poisoning goes on speaking.
const sleepQuiet = time.Second

// wolEtherType and wolPort carry Wake-on-LAN magic packets: the ethertype
// mDNSResponder sends them in, and the UDP port (discard) of most tools;
// some send to echo's (wakeonlan -p 7, Windows tools).
const (
	wolEtherType = 0x0842
	wolPort      = 9
	wolEchoPort  = 7
)

// magicPacket reads a Wake-on-LAN magic packet (ethertype 0x0842, or UDP
// port 9 or 7): six 0xff bytes and the target's MAC sixteen times (AMD's
// Magic Packet white paper), and notes it on the binding of the target's
// address if src is the MAC holding that address over the target, as the
// rival of a run or the one a handover gave it to.
func (e *Engine) magicPacket(p *capture.Packet, src mac, b []byte) {
	target, ok := magicTarget(b)
	if !ok || target == src {
		return
	}
	e.noteWake(src, target) // wakecheck.go
	h := e.hosts[macKey(target)]
	if h == nil || !h.ip.IsValid() {
		return
	}
	if bd := e.arp[h.ip]; bd != nil && (bd.mac == target && bd.rival == src || bd.mac == src && bd.prev == target) {
		bd.woken = true
	}
}

// magicTarget returns the MAC a magic packet in b wakes: the synchronisation
// stream (six 0xff) within b's first 16 bytes, then sixteen copies of one
// MAC.
func magicTarget(b []byte) (mac, bool) {
	for i := 0; i+6+16*6 <= len(b) && i <= 16; i++ {
		if b[i] != 0xff || b[i+1] != 0xff || b[i+2] != 0xff || b[i+3] != 0xff || b[i+4] != 0xff || b[i+5] != 0xff {
			continue
		}
		var m mac
		copy(m[:], b[i+6:i+12])
		if m == (mac{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) {
			continue // still inside the synchronisation stream
		}
		ok := true
		for k := 1; k < 16 && ok; k++ {
			ok = mac(b[i+6+6*k:i+12+6*k]) == m
		}
		return m, ok
	}
	return mac{}, false
}

// handedBack reports whether owner's claim of the address b binds, at t,
// ends a rival's run as a sleep proxy gives an address back, and if so
// forgets the run: the run began with the owner silent for sleepQuiet
// (asleep), the rival sent a magic packet for the owner's MAC during it,
// and it claimed nothing since the owner spoke. A poisoner re-poisoning
// the woken owner begins a run of its own, the owner alive before it.
func handedBack(t time.Time, b *binding) bool {
	if b.rival == (mac{}) || !b.woken || !b.quietBefore || !b.rivalLast.Before(t) {
		return false
	}
	b.rival, b.rivalAt, b.rivalLast, b.claims, b.announced, b.rivalAsked, b.rivalUnasked = mac{}, time.Time{}, time.Time{}, 0, 0, false, false
	b.woken, b.quietBefore, b.retaken = false, false, time.Time{}
	return true
}
