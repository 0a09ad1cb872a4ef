package traffic

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// lanDNS is the resolver the test clients ask.
var lanDNS = netip.MustParseAddr("192.168.1.1")

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
		if !tr.ObservePayload(pc, true, lanDNS, 53, dnsMessage(t, "eu.wdcp.microsoft.com", false), at) {
			t.Fatal("a Defender lookup did not match")
		}
	}
	tr.ObservePayload(pc, true, lanDNS, 53, dnsMessage(t, "eu.wdcp.microsoft.com", true), day) // an answer: not the client's question
	tr.ObservePayload(pc, false, lanDNS, 443, clientHello(t, "ts01-b.cloudsink.net"), day.Add(2*time.Hour))
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
		if tr.ObservePayload(pc, true, lanDNS, 53, dnsMessage(t, n, false), at) || tr.ObservePayload(pc, false, lanDNS, 443, clientHello(t, n), at) {
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
	tr.NoteActive(pc, at)
	if len(tr.hosts) != 0 || len(tr.Changed()) != 0 {
		t.Error("activity alone made the tracker follow an endpoint")
	}
}

// TestHygieneEncryptedDNS: a ClientHello to a DoH service (by name or by
// address) or to DNS over TLS marks the endpoint, and keeps no name.
func TestHygieneEncryptedDNS(t *testing.T) {
	c, _ := OpenHygieneCatalog()
	tr := NewHygieneTracker(c, 0)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	web := netip.MustParseAddr("203.0.113.7")
	cases := []struct {
		mac  string
		dst  netip.Addr
		port uint16
		sni  string
		want bool
	}{
		{"02:00:00:00:01:01", web, 443, "mozilla.cloudflare-dns.com", true},
		{"02:00:00:00:01:02", netip.MustParseAddr("1.1.1.1"), 443, "", true},
		{"02:00:00:00:01:03", web, 853, "dns.example", true},
		{"02:00:00:00:01:04", web, 443, "www.example.org", false},
		{"02:00:00:00:01:05", netip.MustParseAddr("8.8.8.8"), 8443, "x.example", false},
	}
	for _, tc := range cases {
		m, _ := inventory.ParseMAC(tc.mac)
		hello := clientHello(t, cmpOr(tc.sni, "x.invalid"))
		tr.ObservePayload(m, false, tc.dst, tc.port, hello, at)
		h := tr.Device(m)
		if got := !h.EncryptedDNS.IsZero(); got != tc.want {
			t.Errorf("%+v: encrypted DNS %v, want %v", tc, got, tc.want)
		}
		b, _ := json.Marshal(h)
		if tc.sni != "" && strings.Contains(string(b), tc.sni) {
			t.Errorf("the resolver's name is kept: %s", b)
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestHygieneRestoreContinues: a restart restores the stored record and
// counts on from it (days are not counted twice).
func TestHygieneRestoreContinues(t *testing.T) {
	c, _ := OpenHygieneCatalog()
	pc, _ := inventory.ParseMAC("00:11:22:33:44:58")
	day := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	q := dnsMessage(t, "eu.wdcp.microsoft.com", false)
	a := NewHygieneTracker(c, 0)
	a.ObservePayload(pc, true, lanDNS, 53, q, day)
	a.ObservePayload(pc, true, lanDNS, 53, q, day.Add(24*time.Hour))
	a.NoteActive(pc, day.Add(48*time.Hour))
	if ch := a.Changed(); len(ch) != 1 || ch[0].String() != pc.String() {
		t.Fatalf("changed: %v", ch)
	}
	if len(a.Changed()) != 0 {
		t.Fatal("Changed reports the same change twice")
	}
	saved := a.Device(pc)
	b := NewHygieneTracker(c, 0)
	b.Restore(pc, saved)
	b.ObservePayload(pc, true, lanDNS, 53, q, day.Add(24*time.Hour+time.Minute)) // same day again
	b.ObservePayload(pc, true, lanDNS, 53, q, day.Add(72*time.Hour))
	got := b.Device(pc)
	if len(got.EndpointProtection) != 1 || got.EndpointProtection[0].DaysSeen != 3 || !got.EndpointProtection[0].FirstSeen.Equal(day) {
		t.Errorf("after restore: %+v", got.EndpointProtection)
	}
	if len(got.ActiveDays) != 1 || got.ActiveDays[0] != "2026-11-04" {
		t.Errorf("active days: %v", got.ActiveDays)
	}
}

func TestHygieneTrackerBounded(t *testing.T) {
	c, _ := OpenHygieneCatalog()
	tr := NewHygieneTracker(c, 10)
	q := dnsMessage(t, "wdcp.microsoft.com", false)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for i := range 50 {
		m, _ := inventory.ParseMAC(fmt.Sprintf("02:00:00:00:00:%02x", i))
		tr.ObservePayload(m, true, lanDNS, 53, q, at)
	}
	if len(tr.hosts) != 10 || tr.Dropped() != 40 {
		t.Errorf("%d hosts tracked, %d dropped; want 10 and 40", len(tr.hosts), tr.Dropped())
	}
}

// FuzzHygieneObserve feeds the tracker's whole path (decode, match,
// record) hostile payloads from one client: it must not panic, keeps at
// most one record for the client, and a payload that matched nothing and
// was no encrypted-DNS session leaves no trace.
func FuzzHygieneObserve(f *testing.F) {
	c, err := OpenHygieneCatalog()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(dnsMessage(f, "eu.wdcp.microsoft.com", false), true, uint16(53))
	f.Add(clientHello(f, "router3.teamviewer.com"), false, uint16(443))
	f.Add(clientHello(f, "dns.google"), false, uint16(443))
	f.Add([]byte{0, 20, 0, 1, 1, 0, 0, 1}, false, uint16(53))
	f.Add([]byte{22, 3, 1, 0, 4, 1, 0, 0, 0}, false, uint16(853))
	f.Add(quicInitial(f, quicV1, "router3.teamviewer.com"), true, uint16(443))
	pc, _ := inventory.ParseMAC("02:00:00:00:00:01")
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, b []byte, udp bool, port uint16) {
		tr := NewHygieneTracker(c, 0)
		matched := tr.ObservePayload(pc, udp, lanDNS, port, b, at)
		st := tr.Stats()
		switch {
		case len(tr.hosts) > 1:
			t.Fatalf("%d records for one client", len(tr.hosts))
		case !matched && st.Encrypted == 0 && len(tr.hosts) != 0:
			t.Fatalf("an unmatched payload left a record: %+v", tr.Device(pc))
		case matched && tr.Device(pc).Empty():
			t.Fatal("a match left no record")
		}
	})
}

// TestHygieneLocalCache: an endpoint that updates from WSUS or
// apt-cacher-ng on the LAN is credited with update traffic "via local
// cache"; the same ports on an internet host, or names that only look
// alike, are not.
func TestHygieneLocalCache(t *testing.T) {
	c, _ := OpenHygieneCatalog()
	tr := NewHygieneTracker(c, 0)
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	soap := []byte("POST /ClientWebService/client.asmx HTTP/1.1\r\nHost: wsus01:8530\r\n\r\n")
	mac := func(s string) inventory.MAC { m, _ := inventory.ParseMAC(s); return m }
	pc1, pc2, pc3, pc4, srv := mac("02:00:00:00:01:01"), mac("02:00:00:00:01:02"), mac("02:00:00:00:01:03"), mac("02:00:00:00:01:04"), mac("02:00:00:00:01:05")
	for _, tc := range []struct {
		mac     inventory.MAC
		udp     bool
		dst     string
		port    uint16
		payload []byte
		want    string
	}{
		{pc1, false, "192.168.1.20", 8530, soap, "Windows Update via WSUS (local cache)"},
		{pc2, false, "fd00::20", 8531, clientHello(t, "wsus01.corp.example"), "Windows Update via WSUS (local cache)"},
		{pc3, true, "192.168.1.1", 53, dnsMessage(t, "wsus-01.ad.corp.example", false), "Windows Update via WSUS (local cache)"},
		{srv, false, "10.1.2.3", 3142, []byte("GET http://deb.debian.org/debian/dists/bookworm/InRelease HTTP/1.1\r\n\r\n"), "apt via apt-cacher-ng (local cache)"},
		{pc4, false, "203.0.113.9", 8530, soap, ""},                                     // not on the LAN
		{pc4, true, "192.168.1.1", 53, dnsMessage(t, "wsusfans.example", false), ""},    // not a wsus host name
		{pc4, true, "192.168.1.1", 53, dnsMessage(t, "mywsus.corp.example", false), ""}, // nor this
		{pc4, false, "192.168.1.20", 8080, soap, ""},                                    // another port
	} {
		got := tr.ObservePayload(tc.mac, tc.udp, netip.MustParseAddr(tc.dst), tc.port, tc.payload, at)
		h := tr.Device(tc.mac)
		switch {
		case tc.want == "" && (got || !h.Empty()):
			t.Errorf("%s:%d: credited %+v", tc.dst, tc.port, h.OSUpdate)
		case tc.want != "" && (!got || len(h.OSUpdate) != 1 || h.OSUpdate[0].Product != tc.want || h.OSUpdate[0].Weak):
			t.Errorf("%s:%d: got %v %+v, want %s", tc.dst, tc.port, got, h.OSUpdate, tc.want)
		}
	}
}
