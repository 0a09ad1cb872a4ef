package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/inventory"
)

// A random-subdomain flood is one sender's (see dnsZoneSpread), from one
// socket or from a port per query (a resolver's own port randomisation,
// dnsperf, resperf, a scapy loop with RandShort(): a fan-in its server
// answers on every flow), and a server's other clients do not make it
// less of one. Judged as a share of
// all the server took, it was hidden by them: beside 200 ordinary lookups
// a second from the office's PCs, a flood from a port per query was nine
// in ten of the server's datagrams only from about 1,800 a second, and
// from one socket beside a forwarder's stream it was no stream of nine in
// ten from one MAC at all. So a target's echo ring also counts the DNS
// queries of each of its senders (a LAN host by its MAC, the gateway's
// senders by address: senderKey) in this flood window, and the server's first responses to them
// (dnsSender: one to each sending), and a sender is judged on its own queries alone
// (senderTorture): at udpSmallRate or more, held (dnsSenderHeld), nine in ten of them fresh (a
// resend is a retry, not a repeat: dnsResent), fewer than one in
// dnsZoneSpread under a zone it did not ask under lately (reverse names
// and blocklist lookups, dnsZone, in neither count, and most of its
// queries not those), the server answering half of them or more and
// fewer than a quarter of its answers NOERROR. One office PC asks a few
// names a second; a forwarder's misses spread over its clients' zones and
// are found (NOERROR); a mail gateway's blocklist lookups are addresses
// or registered domains under a list's zone (listedAddress, listedDomain).
// The sender is named as the flood's culprit, whoever else the server
// serves.
//
// dnsSenders senders per ring are counted, a new one taking the slot of
// the one with the fewest queries in this window (a slot of an earlier
// window first): a sender that has sent more than the least of the
// others keeps its slot, and a flood at udpSmallRate outnumbers each of a
// busy office's PCs (a few lookups a second) within its first queries,
// and keeps its slot beside 15 forwarders busier than they.
const dnsSenders = 16

// dnsSender is one sender's DNS queries toward a ring's target in one
// flood window (window) and its target's responses to them: the sender's
// address (as floodKey's words, and as the address) and the MAC its
// frames came from; when its first query in the window came (from, on the
// engine's clock); its queries (sent), of them resends (retry: dnsResent),
// those whose ID and question were not sent lately (fresh), those of
// reverse names and blocklists (reverse) and those under a zone it did not
// ask under lately (newZone: noteZone); its queries' first responses
// (answers: answerKinds) and of them the NOERROR ones.
type dnsSender struct {
	_                                             [0]func() // not comparable: no equality function linked
	hi, lo, mac                                   uint64
	window, from                                  int64
	addr                                          netip.Addr
	frameMAC                                      mac
	sent, retry, fresh, reverse, newZone, answers uint32
	noerror                                       uint32
}

// sender is the slot of the sender whose address has the floodKey words
// from and whose frames came from m (macKey) in window: its own, or, where
// take, one given it (see dnsSenders); nil where it has none and take is
// false.
func (r *echoRing) sender(from floodKey, m uint64, window int64, take bool) *dnsSender {
	slot := 0
	for i := range r.senders {
		s := &r.senders[i]
		if s.lo == from.lo && s.hi == from.hi && s.mac == m && s.window == window {
			return s
		}
		if o := &r.senders[slot]; s.window != window && o.window == window || (s.window == window) == (o.window == window) && s.sent < o.sent {
			slot = i
		}
	}
	if !take {
		return nil
	}
	s := &r.senders[slot]
	*s = dnsSender{hi: from.hi, lo: from.lo, mac: m, window: window}
	return s
}

// A LAN host is one sender whatever addresses it sends from: a flood
// split over IPv4 aliases, or over addresses of an IPv6 /64 (RFC 8981's
// temporary addresses, any of 2^64 an attacker picks), kept each address
// under udpSmallRate and was raised by none. So a sender's slot, and the
// zones it asked under (noteZone), are keyed by the MAC its frames came
// from alone (a flood with every other query from a new address of its
// MAC read each as asking under a new zone); the gateway's frames carry
// the internet's senders (and a routed subnet's hosts) under one MAC, and
// keep a key per address.

// senderKey is the words a sender's slot (sender) and zones (noteZone)
// are keyed by for a query from the address whose floodKey words are
// from, in frames from m (macKey): from where m is the gateway's, else m
// (see above).
func (e *Engine) senderKey(from floodKey, m uint64) floodKey {
	if gw, ok := e.gatewayMAC(); ok && macKey(gw) == m {
		return from
	}
	return floodKey{lo: m}
}

// note counts a DNS query from the address a in frames from src at now
// in s (sender): fresh or a retry, a reverse name's or under a new zone.
func (s *dnsSender) note(a netip.Addr, src mac, now int64, fresh, retry, reverse, newZone bool) {
	if s.sent == 0 {
		s.addr, s.frameMAC, s.from = a, src, now
	}
	s.sent++
	s.retry += b2u(retry)
	s.fresh += b2u(fresh)
	s.reverse += b2u(reverse)
	s.newZone += b2u(newZone)
}

// A sender's rate is its queries over the time since its first in the
// window, at least a second: a mail gateway checking one message's links
// or a burst of 700 lookups in 0.7 s read as 700 a second from their
// first second. A flood is held: a sender's queries are judged once it has
// sent dnsSenderHeld times udpSmallRate of them at udpSmallRate or more
// (three seconds of it at that rate, less at a higher one).
const dnsSenderHeld = 3

// torture reports whether s's queries by now are a random-subdomain
// flood's (see dnsSenders).
func (s *dnsSender) torture(now int64) bool {
	rate := float64(s.sent) / max(time.Duration(now-s.from).Seconds(), 1)
	asked := s.sent - s.retry
	named := asked - min(asked, s.reverse)
	return rate >= udpSmallRate && s.sent >= dnsSenderHeld*udpSmallRate && s.fresh*10 >= asked*9 && named*2 > asked && s.newZone*dnsZoneSpread < named &&
		s.answers*2 >= s.sent && s.noerror*4 < s.answers
}

// senderTorture reports whether the sender of the DNS query f's target
// took last (f.sender, noteEcho) is a LAN host (not the gateway, whose
// frames carry the internet's senders, whom no LAN culprit names) sending
// a random-subdomain flood in now's window (dnsSenders), and keeps it as
// f's culprit.
func (e *Engine) senderTorture(now int64, f *floodState) bool {
	s := f.sender
	if s == nil || s.window != now/int64(floodWindow) || !s.torture(now) || !local(s.addr) || e.isGatewayMAC(s.frameMAC) {
		return false
	}
	c := *s
	f.culprit = &c
	return true
}

// senderEvidence is what made f's culprit's queries a random-subdomain
// flood at now (senderTorture), beside the other senders' datagrams.
func senderEvidence(now int64, f *floodState) inventory.Evidence {
	s := f.culprit
	return inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
		"%s sent %d DNS queries in %s (%d of them resent), %d fresh, %d under a zone it had not asked under lately; %d answered, %d of the answers NOERROR: a random-subdomain flood from one sender, counted on its own beside the server's %d other datagrams (senderTorture)",
		s.addr, s.sent, roundDur(time.Duration(now-s.from)), s.retry, s.fresh, s.newZone, s.answers, s.noerror, f.pkts-min(f.pkts, uint64(s.sent)))}
}
