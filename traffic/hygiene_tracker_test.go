package traffic

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

func TestHygieneTracker(t *testing.T) {
	c, err := OpenHygieneCatalog()
	if err != nil {
		t.Fatal(err)
	}
	tr := NewHygieneTracker(c, 0)
	pc, _ := inventory.ParseMAC("00:11:22:33:44:55")
	day := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	// Defender's cloud protection over three days (two lookups on the
	// first), Windows Update once, CrowdStrike's cloud by TLS.
	for _, at := range []time.Time{day, day.Add(time.Hour), day.Add(24 * time.Hour), day.Add(72 * time.Hour)} {
		if !tr.ObservePayload(pc, true, 53, dnsMessage(t, "eu.wdcp.microsoft.com", false), at) {
			t.Fatal("a Defender lookup did not match")
		}
	}
	tr.ObservePayload(pc, true, 53, dnsMessage(t, "eu.wdcp.microsoft.com", true), day) // an answer: not the client's question
	tr.ObservePayload(pc, false, 443, clientHello(t, "ts01-b.cloudsink.net"), day.Add(2*time.Hour))
	h := tr.Device(pc)
	if len(h.EndpointProtection) != 2 {
		t.Fatalf("protection: %+v", h.EndpointProtection)
	}
	var defender *inventory.HygieneProduct
	for i, p := range h.EndpointProtection {
		if strings.HasPrefix(p.Product, "Microsoft Defender Antivirus") {
			defender = &h.EndpointProtection[i]
		}
	}
	if defender == nil || defender.DaysSeen != 3 || !defender.FirstSeen.Equal(day) || !defender.LastSeen.Equal(day.Add(72*time.Hour)) || !defender.Heartbeat || defender.Weak {
		t.Errorf("defender: %+v", defender)
	}
	if other, _ := inventory.ParseMAC("00:11:22:33:44:56"); !tr.Device(other).Empty() {
		t.Error("another endpoint shows hygiene it never had")
	}
}

// TestHygienePrivacy replays ordinary browsing: none of its names may be
// kept or appear in what the tracker gives out.
func TestHygienePrivacy(t *testing.T) {
	c, _ := OpenHygieneCatalog()
	tr := NewHygieneTracker(c, 0)
	pc, _ := inventory.ParseMAC("00:11:22:33:44:57")
	browsing := []string{"www.bbc.co.uk", "news.ycombinator.com", "mail.google.com", "www.wikipedia.org", "cdn.jsdelivr.net",
		"fonts.gstatic.com", "www.my-bank.example", "private-clinic.example.org", "www.microsoft.com.evil.example"}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, n := range browsing {
		if tr.ObservePayload(pc, true, 53, dnsMessage(t, n, false), at) || tr.ObservePayload(pc, false, 443, clientHello(t, n), at) {
			t.Errorf("%s matched the hygiene table", n)
		}
	}
	b, _ := json.Marshal(tr.Device(pc))
	for _, n := range browsing {
		if strings.Contains(string(b), n) {
			t.Errorf("%s appears in %s", n, b)
		}
	}
	if len(tr.hosts) != 0 {
		t.Errorf("the tracker keeps state for an endpoint that only browsed: %d hosts", len(tr.hosts))
	}
}

func TestHygieneTrackerBounded(t *testing.T) {
	c, _ := OpenHygieneCatalog()
	tr := NewHygieneTracker(c, 10)
	q := dnsMessage(t, "wdcp.microsoft.com", false)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for i := range 50 {
		m, _ := inventory.ParseMAC(fmt.Sprintf("02:00:00:00:00:%02x", i))
		tr.ObservePayload(m, true, 53, q, at)
	}
	if len(tr.hosts) != 10 || tr.Dropped() != 40 {
		t.Errorf("%d hosts tracked, %d dropped; want 10 and 40", len(tr.hosts), tr.Dropped())
	}
}
