package traffic

import (
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// ucarpFailover plays review 33a's s02 (ucarp, vhid 5, the nodes' own MACs
// for ARP): the master A (10.0.0.2) announces 10.0.0.254 and advertises
// ten times a second apart while hosts ping it; the backup B (10.0.0.3,
// sending from its address before) announces 10.0.0.254 at gap after A's
// last advert, and advertises from 10.0.0.3 at each of its adverts
// offsets after that announcement.
func ucarpFailover(t *testing.T, gap time.Duration, adverts []time.Duration) *rig {
	a, b := hw("02:33:0a:00:00:02"), hw("02:33:0a:00:00:03")
	r := newRig(t, Config{})
	r.feed(t0, garpFrame(t, a, "10.0.0.2"))
	r.feed(t0, pingFrame(t, b, "10.0.0.3", pcMAC, "10.0.0.10", 56))
	r.feed(t0.Add(time.Second), garpFrame(t, a, "10.0.0.254"))
	at := t0.Add(2 * time.Second)
	for i := range 10 {
		r.feed(at, carpFrame(t, "10.0.0.2", 0, uint64(i+1)))
		r.feed(at.Add(time.Millisecond), pingFrame(t, pcMAC, "10.0.0.10", a, "10.0.0.254", 56))
		r.feed(at.Add(2*time.Millisecond), pingFrame(t, a, "10.0.0.254", pcMAC, "10.0.0.10", 56))
		at = at.Add(time.Second)
	}
	r.feed(at.Add(gap-2*time.Second), pingFrame(t, a, "10.0.0.2", pcMAC, "10.0.0.10", 56)) // the old master lives on
	up := at.Add(gap - time.Second)
	r.feed(up, garpFrame(t, b, "10.0.0.254"))
	r.feed(up.Add(time.Second), garpFrame(t, b, "10.0.0.254"))
	for i, d := range adverts {
		r.feed(up.Add(d), carpFrame(t, "10.0.0.3", 50, uint64(100+i)))
	}
	return r
}

func alarms(evs []inventory.Event) []inventory.Event {
	var out []inventory.Event
	for _, ev := range evs {
		if ev.Severity != inventory.SeverityInfo {
			out = append(out, ev)
		}
	}
	return out
}

// TestCARPOwnMACFailover: the backup announcing the virtual address 4 s
// after the master's last advert and advertising 2 s later is a failover
// (was arp_spoof High naming the old master, review 33a finding 1); the
// same announcement never followed by an advert, or made while the master
// still advertises, stays arp_spoof High naming the announcer.
func TestCARPOwnMACFailover(t *testing.T) {
	var adverts []time.Duration
	for i := range 5 {
		adverts = append(adverts, 2*time.Second+time.Duration(i)*time.Second)
	}
	if evs := alarms(ucarpFailover(t, 4*time.Second, adverts).all()); len(evs) != 0 {
		t.Fatalf("a ucarp failover raised %+v", evs)
	}
	for _, c := range []struct {
		name    string
		gap     time.Duration
		adverts []time.Duration
		culprit string // "": either (the claimant has no address of its own in ARP: conflictParties)
	}{{"no advert", 4 * time.Second, nil, "02:33:0a:00:00:03"}, {"master still advertising", 500 * time.Millisecond, adverts, ""},
		{"advert too late", 4 * time.Second, []time.Duration{9 * time.Second}, "02:33:0a:00:00:03"}} {
		evs := ucarpFailover(t, c.gap, c.adverts).of(inventory.EventARPSpoof)
		if len(evs) == 0 || evs[0].Severity != inventory.SeverityHigh || c.culprit != "" && !strings.EqualFold(evs[0].MAC.String(), c.culprit) {
			t.Errorf("%s: got %+v, want arp_spoof High naming %q", c.name, evs, c.culprit)
		}
	}
}

// TestConflictEvidenceOwnerLast: when the owner turns out the spoofer
// (the claimant has no other address, the owner has), the evidence gives
// the owner's last claim and the claims counted before, not the claim's
// time twice and "0 conflicting claims" (review 33a finding 1).
func TestConflictEvidenceOwnerLast(t *testing.T) {
	x, y := hw("02:00:00:00:00:05"), hw("02:00:00:00:00:50")
	r := newRig(t, Config{})
	r.feed(t0, garpFrame(t, x, "10.0.0.5"))
	r.feed(t0.Add(time.Second), arpFrame(t, 1, x, "10.0.0.50", nil, "10.0.0.10"))
	r.feed(t0.Add(3*time.Second), arpFrame(t, 1, y, "10.0.0.50", nil, "10.0.0.10"))
	evs := r.of(inventory.EventARPSpoof)
	if len(evs) == 0 {
		t.Fatalf("no arp_spoof: %+v", r.all())
	}
	var text []string
	for _, e := range evs[0].Evidence {
		text = append(text, e.Detail)
	}
	all := strings.Join(text, "\n")
	if strings.Contains(all, "0 conflicting claims") || !strings.Contains(all, t0.Add(time.Second).UTC().Format(time.RFC3339Nano)) {
		t.Errorf("evidence %q: want the owner's last claim at %s and a claim counted", all, t0.Add(time.Second).UTC().Format(time.RFC3339Nano))
	}
}
