package traffic

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"github.com/google/gopacket/layers"
)

// Session 21's detection fixes (issue 14): a random-subdomain flood below
// udpOneWayRate is no forwarder's stream.

// tortured is a random-subdomain flood's query: a fresh random label
// under one of zones zones of a victim's (x8f2k.victim0.example).
func tortured(zones int) func(int, *rand.Rand) []byte {
	return func(_ int, rng *rand.Rand) []byte {
		const abc = "abcdefghijklmnopqrstuvwxyz0123456789"
		l := make([]byte, 5+rng.IntN(8))
		for j := range l {
			l[j] = abc[rng.IntN(len(abc))]
		}
		return dnsMsg(uint16(rng.Uint32()), fmt.Sprintf("%s.victim%d.example", l, rng.IntN(zones)), false, 0)
	}
}

// spread is a forwarder's query over many zones: its cache's misses,
// names under 20,000 registered domains, the popular ones (a tenth of
// them) asked most.
func spread(_ int, rng *rand.Rand) []byte {
	zone := rng.IntN(20_000)
	if rng.IntN(2) == 0 {
		zone = rng.IntN(2_000)
	}
	return dnsMsg(uint16(rng.Uint32()), fmt.Sprintf("h%d.site%d.com", rng.IntN(1<<20), zone), false, 0)
}

// ptrSweep is an address scanner's reverse lookups through the server:
// each address of 10.1.0.0/16 in turn (RFC 1035 3.5).
func ptrSweep(i int, rng *rand.Rand) []byte {
	return dnsMsg(uint16(rng.Uint32()), fmt.Sprintf("%d.%d.1.10.in-addr.arpa", i%256, i/256%256), false, 0)
}

// replyEach answers q with rcode as pick says (its first byte, random).
func replyEach(pick func(b byte) byte) func(q []byte) []byte {
	return func(q []byte) []byte { return reply(pick(q[1]))(q) }
}

// TestRandomSubdomainFlood: fresh random names under one zone or a few,
// answered NXDOMAIN (or SERVFAIL among them) at 1,000 and 4,000 a second,
// are a flood by their sender (waterTorture), where they read as a
// forwarder's (resolved); a forwarder whose lookups are spread over many
// zones stays quiet however many fail, as do lookups under one zone
// answered NOERROR (an antivirus' hash lookups: TestDNSForwarderNoFlood's
// forwarder) and a /16's reverse lookups answered NXDOMAIN.
func TestRandomSubdomainFlood(t *testing.T) {
	heavyUnderRace(t)
	nx := replyEach(func(byte) byte { return dnsNXDomain })
	floods := []struct {
		name  string
		shape dnsShape
	}{
		{"one zone, NXDOMAIN", dnsShape{query: tortured(1), answer: nx}},
		{"five zones from three ports, NXDOMAIN", dnsShape{query: tortured(5), answer: nx, ports: 3}},
		{"one zone, NXDOMAIN and SERVFAIL, a fifth NOERROR", dnsShape{query: tortured(1), answer: replyEach(func(b byte) byte {
			return [5]byte{dnsNXDomain, dnsNXDomain, dnsNXDomain, 2, 0}[b%5]
		})}},
	}
	quiet := []struct {
		name  string
		shape dnsShape
	}{
		{"many zones, three in five NXDOMAIN", dnsShape{query: spread, answer: replyEach(func(b byte) byte {
			return [5]byte{dnsNXDomain, dnsNXDomain, dnsNXDomain, 0, 0}[b%5]
		})}},
		{"a /16's reverse lookups, NXDOMAIN", dnsShape{query: ptrSweep, answer: nx}},
	}
	for _, rate := range []int{1000, 4000} {
		for _, fl := range floods {
			if evs := dnsStream(t, rate, 12, 3, fl.shape); floodsBy(evs, "10.0.0.10") != 1 {
				t.Errorf("%s at %d/s: want one flood by 10.0.0.10:%s", fl.name, rate, floodList(evs))
			}
		}
		for _, q := range quiet {
			if evs := dnsStream(t, rate, 12, 3, q.shape); len(evs) != 0 {
				t.Errorf("%s at %d/s: %d floods, want none:%s", q.name, rate, len(evs), floodList(evs))
			}
		}
	}
}

// TestDNSZone: a question's zone is its name less the leftmost label,
// whatever the case; the root and reverse names have none.
func TestDNSZone(t *testing.T) {
	zone := func(name string) (uint64, bool) { return dnsZone(dnsMsg(1, name, false, 0)) }
	a, ok := zone("x8f2k.Example.COM")
	if b, ok2 := zone("q91az.example.com"); !ok || !ok2 || a != b {
		t.Errorf("two names under example.com: zones %x %v, %x %v, want one", a, ok, b, ok2)
	}
	for _, same := range []string{"x8f2k.www.example.com", "y7h3z.x8f2k.q91az.example.com", "example.com"} {
		if b, _ := zone(same); b != a {
			t.Errorf("%s: not example.com's zone (random labels at any depth under it)", same)
		}
	}
	for _, other := range []string{"x8f2k.example.org", "x8f2k.example2.com", "com", "x8f2k.bbc.co.uk"} {
		if b, _ := zone(other); b == a {
			t.Errorf("%s: example.com's zone", other)
		}
	}
	uk, _ := zone("x8f2k.bbc.co.uk")
	if b, _ := zone("q91az.news.bbc.co.uk"); b != uk {
		t.Error("two names under bbc.co.uk: two zones (co.uk is a registry's second level)")
	}
	if b, _ := zone("x8f2k.itv.co.uk"); b == uk {
		t.Error("itv.co.uk and bbc.co.uk: one zone")
	}
	for _, none := range []string{"4.3.2.1.in-addr.arpa", "255.3.2.1.in-addr.arpa", "b.a.9.8.ip6.ARPA", "F.a.9.8.ip6.arpa", ""} {
		if _, ok := zone(none); ok {
			t.Errorf("%q: a zone", none)
		}
	}
	for _, random := range []string{"x8f2k.2.1.in-addr.arpa", "256.3.2.1.in-addr.arpa", "0042.3.2.1.in-addr.arpa", "g.a.9.8.ip6.arpa"} {
		if _, ok := zone(random); !ok {
			t.Errorf("%q: no zone (an address's reverse name)", random)
		}
	}
	if _, ok := zone("wpad"); !ok {
		t.Error("a single label: no zone (the root's)")
	}
}

// TestStarvationSignsFromInventedMACs: 60 forged clients that complete
// the exchange and then probe their lease as RFC 5227 times the probes
// (three, 1 s apart), or solicit a router as RFC 4861 times it (4 s
// apart), and stay silent are starvation where their MACs are locally
// administered (all of them, or every other one: random octets), and a
// storm of devices where the MACs are burned in (burnedIn).
func TestStarvationSignsFromInventedMACs(t *testing.T) {
	local := func(i int) net.HardwareAddr { return net.HardwareAddr{0x02, 0x0c, 0xe8, 0, byte(i >> 8), byte(i)} }
	everyOther := func(i int) net.HardwareAddr {
		if i%2 == 1 {
			return local(i)
		}
		return ownMAC(i)
	}
	probes := []time.Duration{0, time.Second, 2 * time.Second}
	solicits := []time.Duration{0, 4 * time.Second}
	for _, tc := range []struct {
		name    string
		macOf   func(int) net.HardwareAddr
		solicit bool
		want    int
	}{
		{"local MACs, three probes", local, false, 1},
		{"local MACs, two solicitations", local, true, 1},
		{"every other MAC local, three probes", everyOther, false, 1},
		{"burned-in MACs, three probes", ownMAC, false, 0},
		{"burned-in MACs, two solicitations", ownMAC, true, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range 60 {
				m, at := tc.macOf(i), t0.Add(time.Duration(i)*50*time.Millisecond)
				ip := fmt.Sprintf("10.0.1.%d", 10+i)
				r.feed(at, dhcpDiscover(t, m, m, uint32(i)))
				r.feed(at.Add(time.Second), dhcpRequestFor(t, m, ip, uint32(i)))
				r.feed(at.Add(1100*time.Millisecond), dhcpReply(t, gwMAC, "10.0.0.1", m, ip, "10.0.0.1", 5))
				signs, f := probes, arpFrame(t, layers.ARPRequest, m, "0.0.0.0", nil, ip)
				if tc.solicit {
					signs, f = solicits, icmp6Frame(t, m, fmt.Sprintf("fe80::5a:17%02x", i), hw("33:33:00:00:00:02"), "ff02::2", 133, append(make([]byte, 4), append([]byte{1, 1}, m...)...))
				}
				for _, d := range signs {
					r.feed(at.Add(3*time.Second+d), f)
				}
			}
			r.baseline(t0.Add(12*time.Second), 3*time.Minute)
			if n := starvations(r); n != tc.want {
				t.Fatalf("%d dhcp_starvation events, want %d", n, tc.want)
			}
		})
	}
}

// TestDNSRepliesForgedBesideTheServers: a flooder that forges a NOERROR
// "reply" to each of its queries under the server's address and MAC,
// before the server's own REFUSED, NXDOMAIN (one zone) or NOERROR, is
// raised at 1,000 and 4,000 a second: each query answered twice
// (dnsTwiceShare); a forwarder one of whose queries in twenty the server
// answers twice (a retransmission under the same ID) stays quiet.
func TestDNSRepliesForgedBesideTheServers(t *testing.T) {
	heavyUnderRace(t)
	mixed := replyEach(func(b byte) byte { return [5]byte{dnsNXDomain, 0, 0, 0, 0}[b%5] })
	for _, rate := range []int{1000, 4000} {
		for _, fl := range []struct {
			name  string
			shape dnsShape
		}{
			{"server REFUSED", dnsShape{query: forwarded, answer: reply(5), forged: reply(0)}},
			{"server NXDOMAIN, one zone", dnsShape{query: tortured(1), answer: reply(dnsNXDomain), forged: reply(0)}},
			{"server NOERROR", dnsShape{query: forwarded, answer: reply(0), forged: reply(0)}},
		} {
			if evs := dnsStream(t, rate, 12, 3, fl.shape); floodsBy(evs, "10.0.0.10") != 1 {
				t.Errorf("forged replies, %s, at %d/s: want one flood by 10.0.0.10:%s", fl.name, rate, floodList(evs))
			}
		}
		again := func(q []byte) []byte {
			if q[1]%20 == 0 {
				return mixed(q)
			}
			return nil
		}
		if evs := dnsStream(t, rate, 12, 3, dnsShape{query: forwarded, answer: mixed, forged: again}); len(evs) != 0 {
			t.Errorf("a forwarder answered twice once in twenty at %d/s: %d floods, want none:%s", rate, len(evs), floodList(evs))
		}
	}
}

// TestRandomSubdomainFloodShapes: the review's shapes of the same
// NXDOMAIN flood, from one socket at 1,000 and 4,000/s, are raised: random
// labels two deep under the victim's domain, and one query in eight a
// reverse lookup of a random address (reverse names count toward neither
// the zones nor the queries they are shares of). A forwarder for clients
// with a search list (each lookup first under the company's suffix,
// NXDOMAIN, then as is, NOERROR), over a few services' domains, stays
// quiet: half its answers are NOERROR.
func TestRandomSubdomainFloodShapes(t *testing.T) {
	heavyUnderRace(t)
	label := func(rng *rand.Rand, n int) string {
		const abc = "abcdefghijklmnopqrstuvwxyz0123456789"
		l := make([]byte, n)
		for j := range l {
			l[j] = abc[rng.IntN(len(abc))]
		}
		return string(l)
	}
	nx := replyEach(func(byte) byte { return dnsNXDomain })
	twoDeep := func(_ int, rng *rand.Rand) []byte {
		return dnsMsg(uint16(rng.Uint32()), label(rng, 8)+"."+label(rng, 6)+".victim0.example", false, 0)
	}
	ptrDecoys := func(i int, rng *rand.Rand) []byte {
		if i%8 == 0 {
			return dnsMsg(uint16(rng.Uint32()), fmt.Sprintf("%d.%d.%d.10.in-addr.arpa", rng.IntN(256), rng.IntN(256), rng.IntN(256)), false, 0)
		}
		return dnsMsg(uint16(rng.Uint32()), label(rng, 8)+".victim0.example", false, 0)
	}
	for _, rate := range []int{1000, 4000} {
		for name, q := range map[string]func(int, *rand.Rand) []byte{"two labels deep": twoDeep, "one in eight a PTR": ptrDecoys} {
			if n := floodsBy(dnsStream(t, rate, 12, 3, dnsShape{query: q, answer: nx}), "10.0.0.10"); n == 0 {
				t.Errorf("%s at %d/s: no flood", name, rate)
			}
		}
	}
	var last string
	searchList := func(i int, rng *rand.Rand) []byte {
		if i%2 == 0 {
			last = fmt.Sprintf("b%d.svc%d.example-cloud.com", rng.IntN(1<<20), rng.IntN(20))
			return dnsMsg(uint16(rng.Uint32()), last+".corp.example.org", false, 0)
		}
		return dnsMsg(uint16(rng.Uint32()), last, false, 0)
	}
	suffixFails := func(q []byte) []byte {
		if bytes.Contains(q, []byte("\x04corp")) {
			return reply(dnsNXDomain)(q)
		}
		return reply(0)(q)
	}
	for _, rate := range []int{1000, 3000} {
		if evs := dnsStream(t, rate, 12, 3, dnsShape{query: searchList, answer: suffixFails}); len(evs) > 0 {
			t.Errorf("search-list forwarder at %d/s: %s", rate, floodList(evs))
		}
	}
}
