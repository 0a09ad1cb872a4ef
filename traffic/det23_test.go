package traffic

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// Session 23's detection fixes (issue 14): a random-subdomain flood
// counted per sender, beside other clients' lookups; resends are retries,
// not repeats.

// dnsClient is one kind of sender of DNS queries to the NAS's port 53 in
// dnsMix: hosts hosts (the PC alone where 0) asking rate queries a second
// in all, each answered lag later as answer says.
type dnsClient struct {
	hosts   int                                // hosts 10.0.2.10+host on, in turn, each from its own MAC (0: the PC, 10.0.0.10)
	host    int                                // the first host's number
	rate    int                                // queries a second, all hosts together
	query   func(i int, rng *rand.Rand) []byte // the i-th query
	answer  func(q []byte) []byte              // the server's response to each sending of q (nil: none)
	ports   int                                // source ports from 40000, in turn (0: one; 1 << 15: a port per query)
	resend  int                                // every resend-th query is sent again on its port retry later (0: none)
	retry   time.Duration                      // when a query is sent again (resendAfter unless set), and again as long after
	resends int                                // how many times the resend-th query is sent again (0: once)
	lag     time.Duration                      // from a query's sending to its response
	addrs   []string                           // the PC's source addresses, in turn (hosts 0; none: 10.0.0.10)
	start   time.Duration                      // when the first query is sent
	count   int                                // queries in all (0: rate times the seconds)
}

// resendAfter is how long a resolver waits for a response before it sends
// its query again (BIND's and Unbound's first timeouts are a few hundred
// milliseconds).
const resendAfter = 300 * time.Millisecond

// dnsMix feeds the clients' queries to the NAS for secs seconds, each
// answered as its client says, after a learned baseline; the floods.
func dnsMix(t *testing.T, secs int, clients ...dnsClient) []inventory.Event {
	r := newRig(t, Config{Learning: time.Minute})
	start := r.baseline(t0, 2*time.Minute)
	type frame struct {
		at  time.Duration
		seq int
		b   []byte
	}
	var frames []frame
	add := func(at time.Duration, b []byte) { frames = append(frames, frame{at, len(frames), b}) }
	rng := rand.New(rand.NewPCG(7, 23))
	for _, c := range clients {
		n := cmp.Or(c.count, c.rate*secs)
		for i := range n {
			at := c.start + time.Duration(i)*time.Second/time.Duration(c.rate)
			m, ip := pcMAC, "10.0.0.10"
			if len(c.addrs) > 0 {
				ip = c.addrs[i%len(c.addrs)]
			}
			if c.hosts > 0 {
				h := c.host + i%c.hosts
				m, ip = ownMAC(200+h), fmt.Sprintf("10.0.2.%d", 10+h)
			}
			q, port := c.query(i, rng), uint16(40000+i%max(c.ports, 1))
			sends := []time.Duration{at}
			if c.resend > 0 && i%c.resend == c.resend-1 {
				for n := range max(c.resends, 1) {
					sends = append(sends, at+time.Duration(n+1)*cmp.Or(c.retry, resendAfter))
				}
			}
			for _, s := range sends {
				add(s, dnsFrame(t, m, ip, port, nasMAC, nasAddr(ip), dnsPort, q))
				if c.answer == nil {
					continue
				}
				if a := c.answer(q); a != nil {
					add(s+c.lag, dnsFrame(t, nasMAC, nasAddr(ip), dnsPort, m, ip, port, a))
				}
			}
		}
	}
	slices.SortFunc(frames, func(a, b frame) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.seq, b.seq)) })
	for _, f := range frames {
		r.feed(start.Add(f.at), f.b)
	}
	return r.of(inventory.EventFlood)
}

// nasAddr is the NAS's address in the family of the client address ip.
func nasAddr(ip string) string {
	if netip.MustParseAddr(ip).Is6() {
		return "fd00::30"
	}
	return "10.0.0.30"
}

// dnsFrame is a UDP datagram over IPv4 or IPv6, as its addresses are.
func dnsFrame(t testing.TB, srcMAC net.HardwareAddr, srcIP string, sport uint16, dstMAC net.HardwareAddr, dstIP string, dport uint16, payload []byte) []byte {
	if !netip.MustParseAddr(srcIP).Is6() {
		return udpFrame(t, srcMAC, srcIP, sport, dstMAC, dstIP, dport, payload)
	}
	ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: ip6(srcIP), DstIP: ip6(dstIP)}
	udp := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv6}, ip, udp, gopacket.Payload(payload))
}

// office is a LAN's own lookups: 50 PCs asking over many zones from a port
// per query, answered NOERROR four times in five within 20 ms.
func office(rate int) dnsClient {
	mixed := replyEach(func(b byte) byte { return [5]byte{dnsNXDomain, 0, 0, 0, 0}[b%5] })
	return dnsClient{hosts: 50, rate: rate, query: spread, answer: mixed, ports: 1 << 15, lag: 20 * time.Millisecond}
}

// TestRandomSubdomainFloodBesideOffice: a random-subdomain flood from a
// port per query, or from one socket, beside 200 ordinary lookups a second
// from 50 PCs, is raised from 700/s naming its sender: its queries are
// counted on their own (senderTorture), not as a share of all the
// server's (review 22a: raised only from about 1,800/s so).
func TestRandomSubdomainFloodBesideOffice(t *testing.T) {
	heavyUnderRace(t)
	nx := replyEach(func(byte) byte { return dnsNXDomain })
	for _, ports := range []int{1 << 15, 1} {
		for _, rate := range []int{700, 1000} {
			flood := dnsClient{rate: rate, query: tortured(1), answer: nx, ports: ports, lag: 5 * time.Millisecond}
			evs := dnsMix(t, 12, office(200), flood)
			if len(evs) != 1 || floodsBy(evs, "10.0.0.10") != 1 || evs[0].TargetIP.String() != "10.0.0.30" {
				t.Errorf("flood at %d/s from %d port(s) beside 200/s of office lookups: want one flood by 10.0.0.10 toward 10.0.0.30:%s", rate, ports, floodList(evs))
			}
		}
	}
}

// TestRandomSubdomainFloodBesideForwarder: the flood from one socket or a
// port per query, at 700/s beside a forwarder's 2,500 lookups a second
// from one socket (a tenth of the server's datagrams) and the office's, is
// raised naming its sender (review 22a: no stream of nine in ten from one
// MAC, quiet below 5,000/s).
func TestRandomSubdomainFloodBesideForwarder(t *testing.T) {
	heavyUnderRace(t)
	nx := replyEach(func(byte) byte { return dnsNXDomain })
	mixed := replyEach(func(b byte) byte { return [5]byte{dnsNXDomain, 0, 0, 0, 0}[b%5] })
	fwd := dnsClient{hosts: 1, host: 60, rate: 2500, query: forwarded, answer: mixed, lag: 20 * time.Millisecond}
	for _, ports := range []int{1 << 15, 1} {
		flood := dnsClient{rate: 700, query: tortured(1), answer: nx, ports: ports, lag: 5 * time.Millisecond}
		if evs := dnsMix(t, 12, office(200), fwd, flood); len(evs) != 1 || floodsBy(evs, "10.0.0.10") != 1 {
			t.Errorf("flood at 700/s from %d port(s) beside a forwarder's 2,500/s: want one flood by 10.0.0.10:%s", ports, floodList(evs))
		}
	}
}

// cacheExpiry is a resolver's lookups as its cache's records expire
// together (a restart's warm-up, a TTL shared by a zone's records): the
// same 3,000 names over 600 zones asked again in turn under new IDs.
func cacheExpiry(i int, rng *rand.Rand) []byte {
	n := i % 3000
	return dnsMsg(uint16(rng.Uint32()), fmt.Sprintf("www%d.site%d.net", n, n%600), false, 0)
}

// TestBusyServerNoFlood: a server that takes, at once, 200 lookups a second
// from 50 PCs, a forwarder's 2,000 from a port per query (one in eight
// resent), a mail gateway's blocklist lookups at 800 (NXDOMAIN nine in
// ten), and a resolver's 1,000 as its cache expires, raises nothing: each
// sender is judged on its own (dnsSender), and none asks a flood's fresh
// names under a zone or two answered NXDOMAIN.
func TestBusyServerNoFlood(t *testing.T) {
	heavyUnderRace(t)
	mixed := replyEach(func(b byte) byte { return [5]byte{dnsNXDomain, 0, 0, 0, 0}[b%5] })
	listed := replyEach(func(b byte) byte {
		return [10]byte{0, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain}[b%10]
	})
	fwd := dnsClient{hosts: 1, host: 60, rate: 2000, query: forwarded, answer: mixed, ports: 1 << 15, resend: 8, lag: 40 * time.Millisecond}
	mail := dnsClient{hosts: 1, host: 61, rate: 800, query: dnsblLookup, answer: listed, ports: 1 << 15, lag: 30 * time.Millisecond}
	expiry := dnsClient{hosts: 1, host: 62, rate: 1000, query: cacheExpiry, answer: reply(0), lag: 10 * time.Millisecond}
	if evs := dnsMix(t, 12, office(200), fwd, mail, expiry); len(evs) != 0 {
		t.Errorf("a busy server's clients: %d floods, want none:%s", len(evs), floodList(evs))
	}
}

// TestRandomSubdomainFloodResent: the same flood with one query in eight
// sent again on its port 100 ms later (the tool's timer) and answered
// twice (a retry, not a repeat) is raised from 700/s, from a port per
// query and from one socket.
func TestRandomSubdomainFloodResent(t *testing.T) {
	heavyUnderRace(t)
	nx := replyEach(func(byte) byte { return dnsNXDomain })
	for _, ports := range []int{1 << 15, 1} {
		for _, rate := range []int{700, 1000, 4000} {
			flood := dnsClient{rate: rate, query: tortured(1), answer: nx, ports: ports, resend: 8, retry: 100 * time.Millisecond, lag: 5 * time.Millisecond}
			if evs := dnsMix(t, 12, flood); floodsBy(evs, "10.0.0.10") != 1 {
				t.Errorf("flood at %d/s from %d port(s), one query in eight resent: want one flood by 10.0.0.10:%s", rate, ports, floodList(evs))
			}
		}
	}
}

// TestForwarderResendingNoFlood: a forwarder asking from a port per query
// (or one socket) that sends one query in eight, four or two again 300 ms
// later, each sending answered, raises nothing below 5,000 datagrams a
// second: neither its stream nor its server's responses, each the first to
// its sending, the query's key gone from the ring before its retry or not
// (review 22a: the server raised as flooding it past one resend in nine).
func TestForwarderResendingNoFlood(t *testing.T) {
	heavyUnderRace(t)
	mixed := replyEach(func(b byte) byte { return [5]byte{dnsNXDomain, 0, 0, 0, 0}[b%5] })
	for _, ports := range []int{1 << 15, 1} {
		for _, c := range []struct{ rate, every int }{{1000, 8}, {1000, 4}, {4000, 8}, {4000, 4}, {3000, 2}} {
			fwd := dnsClient{rate: c.rate, query: forwarded, answer: mixed, ports: ports, resend: c.every, lag: 30 * time.Millisecond}
			if evs := dnsMix(t, 12, fwd); len(evs) != 0 {
				t.Errorf("forwarder at %d/s from %d port(s), one query in %d resent: %d floods, want none:%s", c.rate, ports, c.every, len(evs), floodList(evs))
			}
		}
	}
}

// TestRandomSubdomainFloodSplitOverAddresses: a random-subdomain flood
// from one MAC split over two or four IPv4 aliases, or over addresses of
// one IPv6 /64, each address under 700/s, or with every other query from
// an address of the MAC's never seen before (each asking under the
// flood's zone for the first time), alone or beside 200 lookups a second
// from 50 PCs, is raised naming the PC (by its IPv4 address, which the
// baseline learned, or one it sent from): a LAN host's queries and zones
// are counted under its MAC alone (senderKey; review 23a: the split flood
// not raised, each address under udpSmallRate; the churning one not
// raised once slots were by MAC and zones still by address).
func TestRandomSubdomainFloodSplitOverAddresses(t *testing.T) {
	heavyUnderRace(t)
	nx := replyEach(func(byte) byte { return dnsNXDomain })
	churn := make([]string, 2*2000*12/2)
	for i := range churn {
		churn[i] = "10.0.0.10"
		if n := i / 2; i%2 == 1 {
			churn[i] = fmt.Sprintf("10.%d.%d.%d", 1+n/62500, n/250%250, 1+n%250)
		}
	}
	splits := []struct {
		addrs []string
		rate  int
	}{
		{[]string{"10.0.0.10", "10.0.0.11"}, 1000},
		{[]string{"10.0.0.10", "10.0.0.11", "10.0.0.12", "10.0.0.13"}, 2000},
		{[]string{"fd00::1:a", "fd00::1:b", "fd00::1:c", "fd00::1:d"}, 2000},
		{churn, 2000},
	}
	for _, sp := range splits {
		for _, ports := range []int{1 << 15, 1} {
			flood := dnsClient{rate: sp.rate, query: tortured(1), answer: nx, ports: ports, lag: 5 * time.Millisecond, addrs: sp.addrs}
			for _, mix := range [][]dnsClient{{flood}, {office(200), flood}} {
				if evs := dnsMix(t, 12, mix...); len(evs) != 1 || !slices.Contains(sp.addrs, evs[0].IP.String()) && evs[0].IP.String() != "10.0.0.10" {
					t.Errorf("flood at %d/s over %d addresses (%s first) from %d port(s) beside %d other clients: want one flood by the PC:%s", sp.rate, len(sp.addrs), sp.addrs[0], ports, len(mix)-1, floodList(evs))
				}
			}
		}
	}
}

// TestForgedReplyBesideDuplicateQueries: a random-subdomain flood from one
// socket whose every query is sent twice a millisecond apart, the flooder
// forging a NOERROR reply from the server 2 ms after each and the server
// answering once, NXDOMAIN, 30 ms later, is raised naming the PC: the
// server's reply, of another RCODE than the forged one, is no first
// response to the resend (dnsAnswerRcode; review 23a: the forged replies
// read as half the answers NOERROR and nothing as answered twice, and
// nothing was raised). Each query sent once (the control) is raised too.
func TestForgedReplyBesideDuplicateQueries(t *testing.T) {
	heavyUnderRace(t)
	for _, dup := range []bool{true, false} {
		for _, rate := range []int{1000, 2000} {
			r := newRig(t, Config{Learning: time.Minute})
			start := r.baseline(t0, 2*time.Minute)
			var frames []timedFrame
			add := func(at time.Duration, b []byte) { frames = append(frames, timedFrame{at, len(frames), b}) }
			query := tortured(1)
			rng := rand.New(rand.NewPCG(7, 23))
			for i := range rate * 12 {
				at := time.Duration(i) * time.Second / time.Duration(rate)
				q := query(i, rng)
				add(at, udpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", dnsPort, q))
				if dup {
					add(at+time.Millisecond, udpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", dnsPort, q))
				}
				add(at+2*time.Millisecond, udpFrame(t, nasMAC, "10.0.0.30", dnsPort, pcMAC, "10.0.0.10", 40000, reply(0)(q)))
				add(at+30*time.Millisecond, udpFrame(t, nasMAC, "10.0.0.30", dnsPort, pcMAC, "10.0.0.10", 40000, reply(dnsNXDomain)(q)))
			}
			sortFrames(frames)
			for _, f := range frames {
				r.feed(start.Add(f.at), f.b)
			}
			if evs := r.of(inventory.EventFlood); floodsBy(evs, "10.0.0.10") != 1 {
				t.Errorf("flood at %d names/s, sent twice %v, forged NOERROR before the server's NXDOMAIN: want one flood by 10.0.0.10:%s", rate, dup, floodList(evs))
			}
		}
	}
}

// timedFrame is a frame fed at, in the order added (seq) among those fed at the same time.
type timedFrame struct {
	at  time.Duration
	seq int
	b   []byte
}

func sortFrames(fs []timedFrame) {
	slices.SortFunc(fs, func(a, b timedFrame) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.seq, b.seq)) })
}

// domainListed is a mail gateway's domain blocklist lookups (RFC 5782 2.3:
// each domain in a message under each list's zone), one in ten listed.
func domainListed(i int, rng *rand.Rand) []byte {
	lists := [...]string{"dbl.spamhaus.org", "multi.uribl.com", "multi.surbl.org"}
	name := fmt.Sprintf("%s.%s.%s", randLabel(rng), [...]string{"com", "net", "org", "de"}[i%4], lists[i%len(lists)])
	return dnsMsg(uint16(rng.Uint32()), name, false, 0)
}

// randLabel is a random label of 5 to 12 letters and digits.
func randLabel(rng *rand.Rand) string {
	const abc = "abcdefghijklmnopqrstuvwxyz0123456789"
	l := make([]byte, 5+rng.IntN(8))
	for j := range l {
		l[j] = abc[rng.IntN(len(abc))]
	}
	return string(l)
}

// listed answers one query in ten NOERROR (listed), the others NXDOMAIN.
var listed = replyEach(func(b byte) byte {
	if b%10 == 0 {
		return 0
	}
	return dnsNXDomain
})

// TestDomainBlocklistLookupsNoFlood: a mail gateway asking domain
// blocklists (example.com.dbl.spamhaus.org) at 700 to 1,200 lookups a
// second beside 200 a second from 50 PCs, from one socket or a port per
// query, raises nothing: a domain under a list's zone counts toward
// neither zone share (listedDomain; review 23a: raised from 700/s).
func TestDomainBlocklistLookupsNoFlood(t *testing.T) {
	heavyUnderRace(t)
	for _, ports := range []int{1 << 15, 1} {
		for _, rate := range []int{700, 800, 1200} {
			gw := dnsClient{hosts: 1, host: 61, rate: rate, query: domainListed, answer: listed, ports: ports, lag: 30 * time.Millisecond}
			if evs := dnsMix(t, 12, office(200), gw); len(evs) != 0 {
				t.Errorf("domain blocklist lookups at %d/s from %d port(s) beside office 200/s: %d floods, want none:%s", rate, ports, len(evs), floodList(evs))
			}
		}
	}
}

// TestLookupBurstNoFlood: one burst of 700 or 900 lookups of fresh names
// (a hash list's, Spamhaus HBL's kind, which no rule tells from random
// labels) within a second, beside 300 a second from 50 PCs, raises
// nothing: a sender is judged once it has sent three seconds' worth at
// udpSmallRate (dnsSenderHeld; review 23a: a burst of 700 in 0.7 s was
// raised, its rate taken over a second).
func TestLookupBurstNoFlood(t *testing.T) {
	heavyUnderRace(t)
	hashed := func(_ int, rng *rand.Rand) []byte {
		return dnsMsg(uint16(rng.Uint32()), fmt.Sprintf("%016x%016x._file.hbl.dq.example.net", rng.Uint64(), rng.Uint64()), false, 0)
	}
	for _, n := range []int{700, 900, 2000} {
		burst := dnsClient{hosts: 1, host: 61, rate: 1000, count: n, start: 6 * time.Second, query: hashed, answer: listed, ports: 1 << 15, lag: 30 * time.Millisecond}
		if evs := dnsMix(t, 12, office(300), burst); len(evs) != 0 {
			t.Errorf("a burst of %d lookups at 1,000/s beside office 300/s: %d floods, want none:%s", n, len(evs), floodList(evs))
		}
	}
}

// TestListedDomain: a domain under a list's zone is a domain blocklist's
// lookup; a name with fewer labels, or whose second is no top-level
// label, is not.
func TestListedDomain(t *testing.T) {
	for name, want := range map[string]bool{
		"example.com.dbl.spamhaus.org":  true,
		"example.co.uk.multi.uribl.com": true,
		"example.DE.multi.surbl.org":    true,
		"x8f2k.victim0.example":         false,
		"www.example.com":               false,
		"example.com.zone":              false,
		"a.b.victim.example":            false,
		"example.c0m.dbl.spamhaus.org":  false,
		"promo-7.top.dbl.spamhaus.org":  true,
		"a.online.multi.uribl.com":      true,
		"x8f2k.mail.victim.example":     false,
		"x.victims.dbl.spamhaus.org":    false,
		"x.top.spamhaus.org":            false,
		"cust1.vercel.app.corp.lan":     false,
	} {
		if got := listedDomain(dnsMsg(1, name, false, 0)); got != want {
			t.Errorf("listedDomain(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestForwarderResendingTwiceNoFlood: a forwarder whose server is slow
// sends one query in four, eight or sixteen three times in all (0, +300,
// +600 ms), from a port per query or one socket, each sending answered:
// nothing is raised below 5,000 datagrams a second, the second resend a
// retry too (dnsResentTwice; review 23a: counted as a repeat, its server,
// or itself from a port per query, raised).
func TestForwarderResendingTwiceNoFlood(t *testing.T) {
	heavyUnderRace(t)
	mixed := replyEach(func(b byte) byte { return [5]byte{dnsNXDomain, 0, 0, 0, 0}[b%5] })
	for _, ports := range []int{1 << 15, 1} {
		for _, c := range []struct{ rate, every int }{{1000, 4}, {1000, 8}, {3000, 4}, {3000, 8}, {3000, 16}} {
			fwd := dnsClient{rate: c.rate, query: forwarded, answer: mixed, ports: ports, resend: c.every, resends: 2, lag: 30 * time.Millisecond}
			if evs := dnsMix(t, 12, fwd); len(evs) != 0 {
				t.Errorf("forwarder at %d/s from %d port(s), one query in %d sent three times: %d floods, want none:%s", c.rate, ports, c.every, len(evs), floodList(evs))
			}
		}
	}
}
