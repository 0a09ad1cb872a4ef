package traffic

import (
	"testing"
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
// socket, naming its sender (tortureFanIn), and the server's responses to
// it, each on a flow the sender used once, name no second flood
// (lookedUp, answersFlow); the same sender asking over many zones from a
// port per query answered NOERROR four times in five, or the flood at 400
// a second, raise nothing, and the server's REFUSED to each query is no
// flood of its own.
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
	if evs := dnsStream(t, 400, 12, 3, dnsShape{query: tortured(1), answer: nx, ports: perQuery}); len(evs) != 0 {
		t.Errorf("one zone at 400/s from a port per query: %d floods, want none (below udpSmallRate):%s", len(evs), floodList(evs))
	}
}
