package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
)

// A LAN resolver or forwarder (dnsmasq, unbound, a Windows DC) asks its
// upstream every name its clients ask that it has not cached: a client's
// tunnel queries leave the LAN a second time under the resolver's address.
// When a host that answers DNS on the LAN (it sent responses from port 53
// to LAN addresses) asks an encoded name a LAN client asked it
// dnsForwardWithin before, the query is that client's, forwarded: it counts
// toward no incident of the resolver's, and the client's incident says the
// resolver is the path ("forwarded upstream by R"). A resolver asking
// encoded names no client asked it first is still raised.
const (
	dnsForwardWithin  = 5 * time.Second
	dnsForwardRecent  = 128 // encoded names asked, kept in a ring
	dnsForwardServers = 64  // DNS servers noted
)

// dnsAsked is an encoded name a client asked a server.
type dnsAsked struct {
	_      [0]func() // not comparable: no equality function linked
	name   uint64    // lowerHash of the name
	client mac
	server netip.Addr
	at     int64
}

// dnsForwards is what tells a forwarded query: the hosts that answered DNS
// on the LAN and the encoded names clients asked lately.
type dnsForwards struct {
	servers map[mac]int64 // when each was first heard answering (dhcppair.go dnsInUse)
	asked   [dnsForwardRecent]dnsAsked
	next    int
}

// noteDNSServer notes src as a DNS server of the LAN when p, a datagram
// from port 53, is a response from a LAN address to a LAN host.
func (e *Engine) noteDNSServer(p *capture.Packet, src mac) {
	b := p.UDP.Payload
	if len(b) < 12 || b[2]&0x80 == 0 || !unicast(src) || !local(p.SrcIP()) || !local(p.DstIP()) || p.Eth.DstMAC[0]&1 != 0 {
		return
	}
	f := e.dnsFwd
	if f == nil {
		f = &dnsForwards{servers: map[mac]int64{}}
		e.dnsFwd = f
	}
	if _, ok := f.servers[src]; !ok && len(f.servers) < dnsForwardServers {
		f.servers[src] = e.pktNS
	}
}

// dnsForwarded reports whether p, an encoded query for name from src, is
// a LAN client's query src forwards; else it notes the name as src's,
// asked of p's destination. A forwarded query's client's incident under
// domain gets src as its path.
func (e *Engine) dnsForwarded(p *capture.Packet, src mac, name, domain string) bool {
	f := e.dnsFwd
	if f == nil {
		f = &dnsForwards{servers: map[mac]int64{}}
		e.dnsFwd = f
	}
	h, now, from := lowerHash([]byte(name)), e.pktNS, p.SrcIP()
	if _, server := f.servers[src]; server {
		for i := range f.asked {
			a := &f.asked[i]
			if a.name == h && a.server == from && a.client != src && time.Duration(now-a.at) <= dnsForwardWithin {
				if t := e.dnsTuns[dnsTunKey{a.client, domain}]; t != nil && t.forwarder == "" {
					t.forwarder = describe(src, from)
				}
				return true
			}
		}
	}
	f.asked[f.next%dnsForwardRecent] = dnsAsked{name: h, client: src, server: p.DstIP(), at: now}
	f.next++
	return false
}

// forwardedEvidence is the evidence of a client's incident whose queries a
// LAN resolver forwarded, "" when none did.
func (t *dnsTun) forwardedEvidence() string {
	if t.forwarder == "" {
		return ""
	}
	return fmt.Sprintf("forwarded upstream by %s: a LAN resolver that answers DNS and asked the same names after this client, the path, not a second client", t.forwarder)
}
