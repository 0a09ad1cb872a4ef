package traffic

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"tend/inventory"
)

// Session 22's detection fixes (issue 14): a forwarder's zones kept apart
// from its queries, a random-subdomain flood from a port per query.

// TestLaggingForwarderNoFlood: a forwarder sending 4,000 queries a second
// over many zones, its server's replies 1,300 queries behind (a third of
// a second), stays quiet: its zones, in a table of their own (zoneTable),
// no longer take a fifth of the echo ring the replies are matched in; a
// random-subdomain flood at the same lag is raised.
func TestLaggingForwarderNoFlood(t *testing.T) {
	heavyUnderRace(t)
	mixed := replyEach(func(b byte) byte { return [5]byte{dnsNXDomain, 0, 0, 0, 0}[b%5] })
	if evs := dnsStream(t, 4000, 12, 1300, dnsShape{query: spread, answer: mixed}); len(evs) != 0 {
		t.Errorf("forwarder 1,300 queries behind: %d floods, want none:%s", len(evs), floodList(evs))
	}
	nx := replyEach(func(byte) byte { return dnsNXDomain })
	for _, zones := range []int{1, 5} {
		if evs := dnsStream(t, 4000, 12, 1300, dnsShape{query: tortured(zones), answer: nx}); floodsBy(evs, "10.0.0.10") != 1 {
			t.Errorf("random-subdomain flood under %d zone(s) 1,300 queries behind: want one flood by 10.0.0.10:%s", zones, floodList(evs))
		}
	}
}

// TestZoneTableKeepsZonesUnderPressure: a zone asked once stays in its
// target's zone table however many datagrams and queries go through the
// echo ring after it, and a zone asked again goes to the front of its set
// (four new zones in the set push out only the least recently asked).
func TestZoneTableKeepsZonesUnderPressure(t *testing.T) {
	r := new(echoRing)
	const zone = 0x0123456789abcdef
	if r.zones.note(zone) {
		t.Fatal("a zone never asked: noted before")
	}
	for i := range uint64(100_000) {
		r.add(mix64(i) | 1)
	}
	if !r.zones.note(zone) {
		t.Fatal("a zone asked once: gone after 100,000 keys through the echo ring")
	}
	set := func(i uint64) uint64 { return zone&^(1<<(64-zoneSetBits)-1) | i<<1 } // zone's set, another key
	for i := range uint64(3) {
		r.zones.note(set(i + 1))
	}
	r.zones.note(zone) // asked again: to the front
	for i := range uint64(3) {
		r.zones.note(set(i + 10))
	}
	if !r.zones.note(zone) {
		t.Error("a zone asked again before three new ones in its set: pushed out")
	}
	if r.zones.note(set(1)) {
		t.Error("the set's least recently asked zone: kept past four newer ones")
	}
}

// TestRandomSubdomainFloodFromPortPerQuery: a random-subdomain flood whose
// every query has a source port of its own (a resolver's port
// randomisation, dnsperf, a scapy loop), a fan-in its server answers
// NXDOMAIN on every flow, is raised at 700 to 4,000 a second as from one
// socket, naming its sender (senderTorture), and the server's responses to
// it, each on a flow the sender used once, name no second flood
// (lookedUp, answersFlow); the same sender asking over many zones from a
// port per query answered NOERROR four times in five raises nothing, the
// flood at 400 a second is raised at Medium from its stem's count
// (dnswater.go), and the server's REFUSED to each query is no flood of
// its own.
func TestRandomSubdomainFloodFromPortPerQuery(t *testing.T) {
	heavyUnderRace(t)
	nx := replyEach(func(byte) byte { return dnsNXDomain })
	mixed := replyEach(func(b byte) byte { return [5]byte{dnsNXDomain, 0, 0, 0, 0}[b%5] })
	const perQuery = 1 << 15 // ports 40000 on, one per query
	for _, rate := range []int{700, 1000, 4000} {
		for _, zones := range []int{1, 5} {
			evs := dnsStream(t, rate, 12, 3, dnsShape{query: tortured(zones), answer: nx, ports: perQuery})
			if len(evs) != 1 || floodsBy(evs, "10.0.0.10") != 1 || evs[0].TargetIP.String() != "10.0.0.30" {
				t.Errorf("%d zone(s) at %d/s from a port per query: want one flood by 10.0.0.10 toward 10.0.0.30:%s", zones, rate, floodList(evs))
			}
		}
		if evs := dnsStream(t, rate, 12, 3, dnsShape{query: spread, answer: mixed, ports: perQuery}); len(evs) != 0 {
			t.Errorf("many zones at %d/s from a port per query, NOERROR four in five: %d floods, want none:%s", rate, len(evs), floodList(evs))
		}
		if evs := dnsStream(t, rate, 12, 3, dnsShape{query: spread, answer: reply(5), ports: perQuery}); floodsBy(evs, "10.0.0.30") != 0 {
			t.Errorf("many zones at %d/s from a port per query, REFUSED: the server's responses raised as its flood:%s", rate, floodList(evs))
		}
	}
	// Below udpSmallRate the stem's count raises it (dnswater.go), at Medium.
	if evs := dnsStream(t, 400, 12, 3, dnsShape{query: tortured(1), answer: nx, ports: perQuery}); len(evs) != 1 || floodsBy(evs, "10.0.0.10") != 1 || evs[0].Severity != inventory.SeverityMedium {
		t.Errorf("one zone at 400/s from a port per query: %d floods, want one Medium by 10.0.0.10 (dnswater.go):%s", len(evs), floodList(evs))
	}
}

// dnsbls are blocklists a mail gateway checks each connecting address in.
var dnsbls = [...]string{"zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org", "dnsbl.sorbs.net", "psbl.surriel.com"}

// dnsblLookup is a mail gateway's i-th blocklist query (RFC 5782): a
// connecting address, reversed, under each list in turn.
func dnsblLookup(i int, rng *rand.Rand) []byte {
	ip := mix64(uint64(i / len(dnsbls)))
	name := fmt.Sprintf("%d.%d.%d.%d.%s", byte(ip), byte(ip>>8), byte(ip>>16), byte(ip>>24), dnsbls[i%len(dnsbls)])
	return dnsMsg(uint16(rng.Uint32()), name, false, 0)
}

// TestDNSBLLookupsNoFlood: a mail gateway checking every connecting
// address against five blocklists, most answered NXDOMAIN (not listed),
// asks few zones and gets few NOERROR answers, like a random-subdomain
// flood, but its names are addresses (listedAddress): no flood by either
// side, from one socket or a port per query (review 22a found the gateway
// raised from 800/s).
func TestDNSBLLookupsNoFlood(t *testing.T) {
	heavyUnderRace(t)
	listed := replyEach(func(b byte) byte {
		return [10]byte{0, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain, dnsNXDomain}[b%10]
	})
	for _, ports := range []int{1, 1 << 15} {
		for _, rate := range []int{800, 3000} {
			if evs := dnsStream(t, rate, 12, 3, dnsShape{query: dnsblLookup, answer: listed, ports: ports}); len(evs) != 0 {
				t.Errorf("blocklist lookups at %d/s from %d port(s): %d floods, want none:%s", rate, ports, len(evs), floodList(evs))
			}
		}
	}
}

func TestListedAddress(t *testing.T) {
	v6 := strings.Repeat("b.", 31) + "1."
	for name, want := range map[string]bool{
		"2.0.0.127.zen.spamhaus.org":  true,
		"4.3.2.1.in-addr.arpa":        true,
		v6 + "dnsbl.example":          true,
		"x1.2.3.4.example.com":        false,
		"1.2.3.example.com":           false, // three labels: no address
		"1.2.3.4.5.example.com":       false,
		"a.b.c.d.example.com":         false, // nibbles, not octets
		"256.1.1.1.example.com":       false,
		"2.0.0.127":                   false, // no list under it
		"www.example.com":             false,
		v6 + "2." + "dnsbl.example":   false, // 33 nibbles
		"10.0.0.1.mail.example.co.uk": true,
	} {
		b := dnsMsg(1, name, false, 0)
		if got := listedAddress(b); got != want {
			t.Errorf("listedAddress(%q) = %v, want %v", name, got, want)
		}
	}
}
