package traffic

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestReview33dBenignFixtures: review 33d's benign captures, each raised
// at int33, stay quiet (no event above info): a second router's partner
// clients meeting a closed port (spoofed_source), Team Cymru hash lookups
// (dns_tunnel), routed DHCPRELEASEs on a trunk mirror
// (dhcp_release_forged), a partner resolver through a second router
// (name_poisoning), an 802.1ad provider bridge (rogue_switch). Checked to
// fail without each predicate of benign33.go.
func TestReview33dBenignFixtures(t *testing.T) {
	for _, c := range []struct{ file, gateway string }{
		{"spoofed-rt2-partner-closedport.pcap", "192.168.33.1"},
		{"spoofed-rt2-partner-ok-then-closed.pcap", "192.168.33.1"},
		{"dnstunnel-cymru-mhr-txt.pcap", "192.168.33.1"},
		{"dhcprelease-routed-trunk-mirror-scapy.pcap", "10.10.0.1"},
		{"dnsrace-partner-dns-via-secondary-router.pcap", "192.168.33.1"},
		{"vlanhop-qinq-8021ad-txonly-scapy.pcap", "192.168.33.1"},
	} {
		t.Run(c.file, func(t *testing.T) {
			evs := replayFile(t, filepath.Join("testdata", "staged", c.file), Config{Gateway: netip.MustParseAddr(c.gateway)})
			if a := alarms(evs); len(a) != 0 {
				t.Fatalf("raised %+v", a)
			}
		})
	}
}

// TestOffLinkSYNAnsweredThroughGateway: a host's SYNs under 20 public
// sources whose RSTs the target sends to the gateway's MAC (hping3
// --rand-source) stay a spoofed_source; the same SYNs from a second router,
// answered to its MAC (the LAN's route to them), are quiet. Checked: the
// second fails without offLinkAnswered.
func TestOffLinkSYNAnsweredThroughGateway(t *testing.T) {
	rtr2 := hw("02:00:00:00:00:02")
	for _, tc := range []struct {
		name    string
		from    []byte
		replyTo []byte
		want    int
	}{
		{"forged, answered through the gateway", evilMAC, gwMAC, 1},
		{"forwarded, answered through the sender", rtr2, rtr2, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, at := spoofRig(t)
			r.feed(at, arpFrame(t, layers.ARPRequest, rtr2, "10.0.0.2", nil, "10.0.0.1"))
			for i := range 20 {
				src, sport := fmt.Sprintf("%d.%d.7.9", 20+i, 3*i+1), uint16(1000+i)
				when := at.Add(time.Duration(i) * 500 * time.Millisecond)
				r.feed(when, tcpFrame(t, tc.from, src, sport, nasMAC, "10.0.0.30", 8443, tcpFlags{syn: true}, nil))
				r.feed(when.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", 8443, tc.replyTo, src, sport, tcpFlags{rst: true, ack: true}, nil))
			}
			if evs := r.of(inventory.EventSpoofedSource); len(evs) != tc.want {
				t.Fatalf("want %d spoofed_source, got %+v", tc.want, r.all())
			}
		})
	}
}

// TestOffLinkDNSQueriedVia: an answer for the off-LAN resolver 8.8.8.8
// from the MAC the client's query went to (its route) is quiet; the same
// answer from another MAC, the query sent to the gateway, stays
// name_poisoning. Checked: the first fails without dnsQueriedVia.
func TestOffLinkDNSQueriedVia(t *testing.T) {
	rtr2 := hw("02:00:00:00:00:02")
	for _, tc := range []struct {
		name    string
		via     []byte // the query's destination MAC
		answer  []byte
		culprit string
	}{
		{"the route answers", rtr2, rtr2, ""},
		{"a forger answers a query sent to the gateway", gwMAC, evilMAC, evilMAC.String()},
		{"a forger answers a query sent to the second router", rtr2, evilMAC, evilMAC.String()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, at := injectionRig(t)
			r.feed(at, arpFrame(t, layers.ARPReply, rtr2, "10.0.0.2", pcMAC, "10.0.0.10"))
			r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 40000, tc.via, "8.8.8.8", 53, spoofDNS(0x1234, "")))
			r.feed(at.Add(10*time.Millisecond), udpFrame(t, tc.answer, "8.8.8.8", 53, pcMAC, "10.0.0.10", 40000, spoofDNS(0x1234, "93.184.216.34")))
			r.baseline(at.Add(time.Second), 20*time.Second)
			evs := r.of(inventory.EventNamePoisoning)
			if tc.culprit == "" && len(evs) != 0 || tc.culprit != "" && (len(evs) != 1 || evs[0].MAC.String() != tc.culprit) {
				t.Fatalf("want name_poisoning by %q, got %+v", tc.culprit, evs)
			}
		})
	}
}

// TestHashLookupNames: one label of exactly an MD5 or SHA-1 hex digest is
// a reputation lookup; hex labels of other lengths (a SHA-256's 64 digits
// split in two), two digests, or a digest beside bytes no host name holds
// are not.
func TestHashLookupNames(t *testing.T) {
	md5, sha1, sha256 := strings.Repeat("e5", 16), strings.Repeat("a1", 20), strings.Repeat("0f", 32)
	for _, tc := range []struct {
		labels []string
		want   bool
	}{
		{[]string{md5, "malware", "hash", "cymru", "com"}, true},
		{[]string{sha1, "malware", "hash", "cymru", "com"}, true},
		{[]string{sha256[:32], sha256[32:], "hash", "example", "net"}, false},
		{[]string{md5 + "ab", "malware", "hash", "cymru", "com"}, false},
		{[]string{strings.Repeat("ab", 17), "tun", "example", "com"}, false},
		{[]string{md5, md5, "tun", "example", "com"}, false},
		{[]string{md5, "a\x01b", "tun", "example", "com"}, false},
		{[]string{strings.Repeat("zz", 16), "tun", "example", "com"}, false},
	} {
		var d tunName
		if !d.parse(dnsQueryMsg(1, 16, tc.labels...)) {
			t.Fatalf("%v: not parsed", tc.labels)
		}
		if got := hashLookup(&d); got != tc.want {
			t.Errorf("%v: hashLookup %v, want %v", tc.labels, got, tc.want)
		}
	}
}

// TestProviderTagged: an outer 802.1ad S-tag (0x88a8) is a provider
// bridge's; an outer 802.1Q tag is not.
func TestProviderTagged(t *testing.T) {
	b := make([]byte, 20)
	b[12], b[13], b[16], b[17] = 0x88, 0xa8, 0x81, 0x00
	if !providerTagged(b) {
		t.Error("0x88a8 outside: not a provider tag")
	}
	b[12], b[13] = 0x81, 0x00
	if providerTagged(b) {
		t.Error("0x8100 outside: a provider tag")
	}
}
