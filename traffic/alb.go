package traffic

import (
	"net/netip"
	"time"
)

// Linux bonding in balance-alb mode (drivers/net/bonding/bond_alb.c) gives
// one host's address two or more MACs, one per card, each live: receive
// load balancing answers each client's request for the address from the
// card it assigns to that client (rlb_arp_xmit writes that card's MAC into
// the reply), so every card claims the address in ARP. It does so in a
// shape of its own:
//
//   - each request for the address is answered once, from one card, at
//     once (the host's own ARP stack answers; the bond only picks the card);
//   - the bond then tells the client its card again in bursts of two
//     replies (rlb_update_client) within a few ticks of 100 ms of that
//     answer, of the client's reply to the bond or of any request of the
//     bond's own (rlb_req_update_subnet_clients: the broadcast "collapsed"
//     every client onto the bond's MAC);
//   - the bond's own requests carry the bond's MAC as sender, whichever
//     card sends them (bond_do_alb_xmit rewrites only the frame's source),
//     so the other cards never ask with the address.
//
// Two hosts given the same address both answer a broadcast request for it
// and ask with it from their own MACs; a poisoner racing the owner answers
// a request a second time, and arpspoof's replies come every 2 s whatever
// was asked. loadBalanced tells the two apart claim by claim; the claims
// it passes are neither counted nor raised.

// albAnswerWithin is how soon after a request a reply is its answer from
// the host's own ARP stack (sub-millisecond on a LAN; a loaded host takes
// longer); albUpdateWithin how long after an answer or a request of the
// bond's its update bursts may come (RLB_UPDATE_DELAY, 2 ticks of 100 ms,
// restarted by each request).
const (
	albAnswerWithin = 200 * time.Millisecond
	albUpdateWithin = time.Second
)

// arpAnswer is the first MAC that answered a client's request (req, the
// request's time as arpAsks had it) for an address, at at.
type arpAnswer struct {
	by      mac
	req, at time.Time
}

// loadBalanced reports whether m's claim of ip, which b binds to another
// MAC, is one of a balance-alb host's other cards (see above): a reply
// that is the only answer, so far, to asker's request, or that follows
// within albUpdateWithin m's own answer to asker or a request of the
// owner's. Only while the owner has spoken as a host's ARP stack does
// (answered a request at once and alone, or asked with the address) and
// neither MAC claims an address of its own: a poisoner heard before the
// owner announced, and one that has an address, are judged as before. A request of m's sent from the owner's own card (src) makes m
// the bond's MAC and the owner its other card: the address is rebound to
// m, the asker.
func (e *Engine) loadBalanced(t time.Time, ip netip.Addr, b *binding, m, src mac, reply, announce bool, asker netip.Addr) bool {
	if b.asked.IsZero() && b.answered.IsZero() || e.claimsOther(m, ip).IsValid() || e.claimsOther(b.mac, ip).IsValid() {
		return false // the owner never spoke as a host's ARP stack, or one of them has an address of its own
	}
	if !reply {
		if announce || src != b.mac || !b.asked.IsZero() {
			return false
		}
		b.mac, b.asked, b.last, b.claimed = m, t, t, t
		return true
	}
	k := arpAsk{asker, ip}
	if req, ok := e.arpAsks[k]; ok && t.Sub(req) <= albAnswerWithin {
		return e.soleAnswer(k, req, t, m)
	}
	return e.albUpdate(t, ip, b, m, asker)
}

// albUpdate reports whether m's reply at t telling asker that ip is at m
// follows within albUpdateWithin m's own answer to asker's request or a
// request of ip's owner (b.mac): a balance-alb bond's update of its client
// (rlb_update_client), sent to every client off the active card after each
// request of the bond's, a few hundred a minute from a busy server. Neither
// a claim against the owner nor a poisoning flood (arpFlood).
func (e *Engine) albUpdate(t time.Time, ip netip.Addr, b *binding, m mac, asker netip.Addr) bool {
	if a := e.arpAnswers[arpAsk{asker, ip}]; a.by == m && t.Sub(a.at) <= albUpdateWithin {
		return true
	}
	return !b.asked.IsZero() && t.Sub(b.asked) <= albUpdateWithin
}

// soleAnswer records m's answer at t to the request k made at req and
// reports whether no other MAC answered that request before it.
func (e *Engine) soleAnswer(k arpAsk, req, t time.Time, m mac) bool {
	if a, ok := e.arpAnswers[k]; ok && a.req.Equal(req) {
		return a.by == m
	}
	if len(e.arpAnswers) >= e.cfg.MaxTrackers {
		e.counters.TrackersDropped++
		clear(e.arpAnswers)
	}
	e.arpAnswers[k] = arpAnswer{by: m, req: req, at: t}
	return true
}

// ownClaim is the owner m's own claim of ip in b: a request with it
// (asked), or an answer to asker's request, which another MAC may have
// answered first (soleAnswer let that pass): then two devices answer for
// the address, and that MAC's claim is judged now.
func (e *Engine) ownClaim(t time.Time, ip netip.Addr, b *binding, m mac, reply, announce bool, asker netip.Addr) {
	if !reply {
		if !announce {
			b.asked = t
		}
		return
	}
	k := arpAsk{asker, ip}
	req, ok := e.arpAsks[k]
	if !ok || t.Sub(req) > albAnswerWithin {
		return
	}
	if a, ok := e.arpAnswers[k]; ok && a.req.Equal(req) && a.by != m {
		e.rivalClaim(a.at, ip, b, a.by, true, false)
		return
	}
	e.soleAnswer(k, req, t, m)
	b.answered = t
}
