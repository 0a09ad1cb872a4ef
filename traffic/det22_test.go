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
