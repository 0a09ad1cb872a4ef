package traffic

import (
	"fmt"
	"net/netip"

	"tend/inventory"
)

// On-LAN reflection (amplification): an attacker sends requests to a
// service on the LAN (the gateway's DNS resolver, a NAS's SSDP responder)
// under the victim's address, and the service answers the victim, bigger
// or several times over (DNS ANY/TXT with EDNS, SSDP's three answers per
// M-SEARCH). The answers are a flood from the reflector's MAC and address,
// and their trailing IPv4 fragments a raw IP flood, but the reflector is
// innocent: the attack is the requests' sender's (review 35a P1: the
// gateway and the NAS were raised High beside the attacker).
//
// reflection reports whether f, a flood of kind (UDP or raw IP: the
// answers' fragments) toward dst about to be raised at now, is a
// reflector's answers to requests forged under dst's address: a live
// UDP flood state toward f's source address whose packets carry dst as
// their source, went to f's sender's MAC and came from a third MAC (not
// the one f's frames go to, nor the gateway's) that has an address of its
// own other than dst or sent under an address ARP binds to f's
// destination MAC; on a UDP flow from the port those requests went to;
// and at least one request for every reflectAmp answers (reflectAllow). That request
// flood is then marked (reflect): it is raised as the attack, at
// smurfMin requests like a smurf, its event saying where the answers went
// (reflectEvidence); f is folded into it. A service that floods a host on
// its own, with no forged requests toward it, is raised as before.
func (e *Engine) reflection(f *floodState, kind int, dst netip.Addr, now int64) bool {
	if (kind != fUDP && kind != fIP) || !f.srcIP.IsValid() {
		return false
	}
	o := e.floodsTo[newFloodKey(f.srcIP, fUDP)]
	if o == nil || !o.live || o.idle(now) > floodWindow || o.srcIP != dst || o.dstMAC != f.srcMAC ||
		o.srcMAC == f.dstMAC || o.srcMAC == f.srcMAC || o.same*10 < o.pkts*9 || e.isGatewayMAC(o.srcMAC) || o.pkts*reflectAllow(uint16(o.flow)) < f.pkts {
		return false
	}
	if kind == fUDP && uint16(o.flow) != uint16(f.flow>>16) {
		return false // not from the port the requests went to
	}
	if own := e.ownAddr(o.srcMAC); !(own.IsValid() && own != dst) && !e.boundTo(dst, f.dstMAC) {
		return false // nothing shows the requests' source forged
	}
	o.reflect, f.reflected = true, true
	return true
}

// reflectAmp is the most answers per request a reflection is taken for:
// SSDP answers an M-SEARCH with one datagram per service (3 to 10), a
// large DNS answer comes in two or three fragments. Two services answer
// one request with many more (reflectAllow): memcached's UDP protocol
// (protocol.txt) splits a get's answer into datagrams of about 1,400
// bytes, up to its 1 MB item limit (~750: review 40's 500 kB value, 358
// per get), and NTP's mode 7 monlist (CVE-2013-5211) sends its 600
// addresses six to a datagram (100).
const (
	reflectAmp       = 16
	reflectMemcached = 1024
	reflectMonlist   = 100
)

// reflectAllow is the most answers per request to port a reflection is
// taken for.
func reflectAllow(port uint16) uint64 {
	switch port {
	case 11211:
		return reflectMemcached
	case 123:
		return reflectMonlist
	}
	return reflectAmp
}

// reflectEvidence appends to ev, the event of the request flood f toward
// the reflector dst (reflect set), where its answers went: the folded
// floods (reflected) toward f's source address from dst's MAC, their
// packets and bytes, and the amplification (answer bytes per request
// byte, tot's).
func (e *Engine) reflectEvidence(ev *inventory.Event, f *floodState, dst netip.Addr, tot floodTotal) {
	victim := f.srcIP
	var pkts, bytes uint64
	for _, kind := range [2]int{fUDP, fIP} {
		if a := e.floodsTo[newFloodKey(victim, kind)]; a != nil && a.reflected && a.srcMAC == f.dstMAC {
			pkts, bytes = pkts+a.pkts, bytes+a.bytes
		}
	}
	if pkts == 0 {
		return
	}
	amp := float64(bytes) / float64(max(tot.bytes, 1))
	ev.Summary += fmt.Sprintf(" (reflected through it toward %s, amplification %.1f×)", victim, amp)
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic",
		Detail: fmt.Sprintf("reflected through %s (%s): its answers toward %s, the victim whose address the requests forge, %d packets (%s), amplification %.1f× in bytes; the reflector is not the culprit",
			dst, macString(f.dstMAC), victim, pkts, human(float64(bytes)), amp)})
}
