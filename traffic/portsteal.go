package traffic

import (
	"fmt"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Port stealing (ettercap -M port) takes over a victim's switch port
// without touching any ARP cache: it sends frames under the victim's
// source MAC from its own port, thousands a second, so the switch learns
// the victim's MAC there and hands the attacker the victim's traffic.
// Ettercap's frames are ARP requests with every address zero, sender
// hardware address included, sent to the attacker's own MAC (so no one
// else receives them). No ARP stack sends them: a request names its
// sender's MAC, and an address probe (RFC 5227) the address it probes.
// stealFrames such frames within floodWindow are an attack; the MAC they
// all go to, when it is no victim's, is the thief.
const stealFrames = 50

// stealState is the link's zero-address ARP: one incident at a time, its
// times on the engine's clock (nanos), which a wall-clock step leaves alone.
type stealState struct {
	_           [0]func() // not comparable: no equality function linked
	start, last int64
	n, toThief  int
	thief       mac    // the destination of the first frame
	victims     [4]mac // source MACs used, the first few
	nVictims    int
	reported    bool
}

// zeroARP counts an ARP frame whose every address is zero, from src to dst.
func (e *Engine) zeroARP(p *capture.Packet, src mac) {
	s := &e.steal
	t := p.Time
	now, dst := e.nanosOf(t), capture.MAC6(p.Eth.DstMAC)
	if s.n == 0 || now-s.last > int64(floodWindow) || (!s.reported && now-s.start > int64(floodWindow)) {
		*s = stealState{start: now, thief: dst}
	}
	s.last = now
	s.n++
	if dst == s.thief {
		s.toThief++
	}
	addDistinct(s.victims[:], &s.nVictims, src)
	if s.reported || s.n < stealFrames {
		return
	}
	s.reported = true
	culprit := mac{}
	if unicast(s.thief) && s.toThief*10 >= s.n*9 {
		culprit = s.thief
		for _, v := range s.victims[:min(s.nVictims, len(s.victims))] {
			if v == s.thief {
				culprit = mac{}
			}
		}
	}
	ev := inventory.Event{
		Time: t, Type: inventory.EventARPSpoof, Severity: inventory.SeverityCritical,
		MAC: macOf(culprit), TargetMAC: macOf(s.victims[0]),
		Summary: fmt.Sprintf("port stealing: %d ARP frames with every address zero within %s under the MACs of %d device(s), %s first, %d of them to %s",
			s.n, roundDur(time.Duration(now-s.start)), s.nVictims, macString(s.victims[0]), s.toThief, macString(s.thief)),
		Evidence: []inventory.Evidence{{Source: "arp", Detail: fmt.Sprintf("threshold: %d within %s; no ARP stack sends a request without its own MAC; the MAC they go to is the thief unless it is a victim's", stealFrames, floodWindow)}},
	}
	if h := e.hosts[macKey(culprit)]; h != nil && culprit != (mac{}) {
		ev.IP = h.ip
	}
	e.report(ev, culprit, s.victims[0])
}
