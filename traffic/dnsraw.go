package traffic

import (
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"tend/capture"
	"tend/inventory"
)

// A tunnel on the DNS port: iodine logs in with a few DNS queries and,
// when the tunnel server's address answers UDP 53 directly (no egress
// filter), switches to its raw UDP mode: datagrams to port 53 with its own
// header (10 d1 9e: the QR bit set and opcode 3, none RFC 6895 assigns),
// not DNS messages. OpenVPN or WireGuard moved to port 53 to pass a
// firewall look the same: bytes with no DNS header. A datagram to port 53
// is no DNS message when it is shorter than the header (RFC 1035 4.1.1),
// its opcode is unassigned (3, 7-15) or it asks more than one question
// (no server answers that). dnsRawQueries of them from one client to one
// address within dnsTunnelWindow are a dns_tunnel High when the address is
// outside the LAN, or when the client asked encoded names (dnstunnel.go)
// within the window: the login before the raw mode.
const dnsRawQueries = 20

type dnsRawKey struct {
	client mac
	server netip.Addr
}

type dnsRaw struct {
	_           [0]func() // not comparable: no equality function linked
	first, last int64
	n           int
	head        [8]byte
	headLen     int
	reported    bool
}

// notDNS reports whether msg, a UDP payload to port 53, is no DNS message.
func notDNS(msg []byte) bool {
	if len(msg) < 12 {
		return true
	}
	op := msg[2] >> 3 & 0xf
	return op == 3 || op > 6 || msg[4] != 0 || msg[5] > 1
}

// dnsRawNote counts p, a datagram from src to port 53 that is no DNS
// message, toward its client's and server's incident.
func (e *Engine) dnsRawNote(p *capture.Packet, src mac) {
	if !unicast(src) || e.isSelf(src) {
		return
	}
	k, now := dnsRawKey{src, p.DstIP()}, e.nanosOf(p.Time)
	r := e.dnsRaws[k]
	if r == nil || (!r.reported && time.Duration(now-r.first) > dnsTunnelWindow) {
		if e.dnsRaws == nil {
			e.dnsRaws = map[dnsRawKey]*dnsRaw{}
		}
		if r == nil && len(e.dnsRaws) >= dnsTunnelMax {
			for k, o := range e.dnsRaws {
				if time.Duration(now-o.last) > dnsTunnelWindow {
					delete(e.dnsRaws, k)
				}
			}
			if len(e.dnsRaws) >= dnsTunnelMax {
				e.counters.TrackersDropped++
				return
			}
		}
		r = &dnsRaw{first: now}
		r.headLen = copy(r.head[:], p.UDP.Payload)
		e.dnsRaws[k] = r
	}
	r.last = now
	r.n++
	if r.n < dnsRawQueries || r.reported {
		return
	}
	domain, outside := e.dnsRawLogin(src, now), !local(k.server)
	if domain == "" && !outside {
		return
	}
	r.reported = true
	e.dnsRawReport(p, k, r, domain)
}

// dnsRawLogin is the domain under which client asked encoded names within
// dnsTunnelWindow before now, "" when it asked none.
func (e *Engine) dnsRawLogin(client mac, now int64) string {
	for k, t := range e.dnsTuns {
		if k.client == client && time.Duration(now-t.last) <= dnsTunnelWindow {
			if t.suffix != "" {
				return t.suffix
			}
			return k.domain
		}
	}
	return ""
}

func (e *Engine) dnsRawReport(p *capture.Packet, k dnsRawKey, r *dnsRaw, domain string) {
	name := domain
	if name == "" {
		name = k.server.String()
	}
	qk := quietKey{inventory.EventDNSTunnel, k.client, mac{}, name}
	if e.quieted(qk, p.Time) {
		return
	}
	ip := p.SrcIP()
	e.reportKey(qk, inventory.Event{
		Time: p.Time, Type: inventory.EventDNSTunnel, Severity: inventory.SeverityHigh,
		MAC: macOf(k.client), IP: ip, TargetIP: k.server,
		Summary: fmt.Sprintf("%s sent %d datagrams that are no DNS messages to port 53 of %s within %s%s: a tunnel on the DNS port (iodine's raw mode, a VPN on port 53)",
			describe(k.client, ip), r.n, k.server, roundDur(time.Duration(r.last-r.first)), afterNames(domain)),
		Evidence: []inventory.Evidence{{Source: "traffic", Detail: fmt.Sprintf("first bytes % x: shorter than a DNS header, an unassigned opcode or more than one question", r.head[:r.headLen])}},
	})
}

// afterNames is the summary's clause naming the domain the client asked
// encoded names under before it went raw, or nothing when it asked none
// (an address outside the LAN is enough then).
func afterNames(domain string) string {
	if domain == "" {
		return ""
	}
	return ", after encoded DNS names under " + strconv.Quote(domain)
}
