package traffic

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// findEvent is the first event of type typ in evs, nil when none.
func findEvent(evs []inventory.Event, typ inventory.EventType) *inventory.Event {
	for i := range evs {
		if evs[i].Type == typ {
			return &evs[i]
		}
	}
	return nil
}

// TestNotDNSIodineRaw reads review 40's iodine captures: every datagram to
// port 53 in iodine's raw mode (its 10 d1 9e header, 4-byte pings) is no
// DNS message, every handshake query is one.
func TestNotDNSIodineRaw(t *testing.T) {
	msgs := stagedPayloads(t, "dnstunnel-iodine-raw-udp-outside.pcap.gz", func(p *capture.Packet) bool {
		return p.Has&capture.HasUDP != 0 && p.UDP.DstPort == dnsPort
	})
	raw, dns := 0, 0
	for _, b := range msgs {
		iodine := len(b) < 12 || b[0] == 0x10 && b[1] == 0xd1 && b[2] == 0x9e
		if notDNS(b) != iodine {
			t.Errorf("notDNS(% x) = %v", b[:min(len(b), 16)], notDNS(b))
		}
		if iodine {
			raw++
		} else {
			dns++
		}
	}
	if raw < 200 || dns < 3 {
		t.Errorf("%d raw datagrams, %d DNS queries; want review 40's 278 and its handshake", raw, dns)
	}
}

// TestDNSTunnelIodineRawMode replays review 40's iodine in its default raw
// UDP mode, to an outside server and to a LAN one found through the LAN's
// resolver: one dns_tunnel High naming the client and the server.
func TestDNSTunnelIodineRawMode(t *testing.T) {
	for _, c := range []struct{ file, server string }{
		{"dnstunnel-iodine-raw-udp-outside.pcap.gz", "198.51.100.7"},
		{"dnstunnel-iodine-raw-udp-lanserver.pcap.gz", "10.40.1.105"},
	} {
		ev := findEvent(stagedEvents(t, c.file), inventory.EventDNSTunnel)
		if ev == nil {
			t.Errorf("%s: no dns_tunnel", c.file)
			continue
		}
		if ev.Severity != inventory.SeverityHigh || ev.MAC.String() != "3c:52:82:00:00:10" || ev.TargetIP.String() != c.server || !strings.Contains(ev.Summary, "t.exfil.test") {
			t.Errorf("%s: %s %s %s %q", c.file, ev.Severity, ev.MAC, ev.TargetIP, ev.Summary)
		}
	}
}

// TestReflectionMemcachedForgedGets replays review 40's memcached
// reflection (first 32,000 frames): 17-byte gets forged under pc's
// address at 50 a second, the NAS's memcached answering each with ~360
// datagrams. The sender is raised High with the reflector in the evidence;
// no flood names the NAS.
func TestReflectionMemcachedForgedGets(t *testing.T) {
	evs := stagedEvents(t, "reflect-memcached-forged-gets-scapy.pcap.gz")
	high := false
	for _, ev := range evs {
		switch {
		case ev.MAC.String() == "00:11:32:00:00:30":
			t.Errorf("the reflector raised: %s %s %q", ev.Type, ev.Severity, ev.Summary)
		case ev.Type == inventory.EventSpoofedSource && ev.Severity == inventory.SeverityHigh:
			high = ev.MAC.String() == "b8:27:eb:00:00:66" && ev.TargetIP.String() == "10.40.1.10" && strings.Contains(ev.Evidence[len(ev.Evidence)-1].Detail, "reflected through 10.40.1.30")
		}
	}
	if !high {
		t.Errorf("no spoofed_source High by the sender toward pc: %v", evs)
	}
}

// TestSTPRootClaimRelayedBySwitch replays review 40's yersinia root claim
// as the sensor on an access port hears it: only the LAN switch's BPDUs,
// the old root's then the new one's. No culprit MAC; the switch is the
// target; the claimed MAC is the old root's less one.
func TestSTPRootClaimRelayedBySwitch(t *testing.T) {
	ev := findEvent(stagedEvents(t, "stp-root-claim-relayed-by-switch-yersinia.pcap"), inventory.EventRogueSwitch)
	if ev == nil {
		t.Fatal("no rogue_switch")
	}
	if !ev.MAC.IsZero() || ev.TargetMAC.String() != "92:57:6f:d7:3a:04" || !strings.Contains(ev.Evidence[0].Detail, "0e:b4:55:ad:38:96") || !strings.Contains(ev.Evidence[0].Detail, "less one") {
		t.Errorf("%s %s %q %q", ev.MAC, ev.TargetMAC, ev.Summary, ev.Evidence[0].Detail)
	}
	if lessOne(mac{0, 1, 2, 3, 4, 5}, mac{0, 1, 2, 3, 4, 5}) || !lessOne(mac{0, 1, 2, 3, 4, 4}, mac{0, 1, 2, 3, 4, 5}) || lessOne(mac{0, 1, 2, 3, 4, 3}, mac{0, 1, 2, 3, 4, 5}) {
		t.Error("lessOne")
	}
}

// TestSSHGuessingAtAToolsRateIsHigh: nmap's ssh-brute (64 sessions in
// 2.5 s, none logging in) is High like FTP's and telnet's guessing; parallel
// SSH jobs whose logins work raise nothing.
func TestSSHGuessingAtAToolsRateIsHigh(t *testing.T) {
	ev := findEvent(stagedEvents(t, "brute-force-ssh-nmap.pcap"), inventory.EventBruteForce)
	if ev == nil || ev.Severity != inventory.SeverityHigh || ev.MAC.String() != "b8:27:eb:00:00:66" {
		t.Errorf("nmap ssh-brute: %+v", ev)
	}
	if ev := findEvent(stagedEvents(t, "benign-ssh-jobs-parallel.pcap"), inventory.EventBruteForce); ev != nil {
		t.Errorf("parallel SSH jobs: %s %q", ev.Severity, ev.Summary)
	}
	tr := &bruteTracker{sessions: 30}
	if sessionsSeverity(tr, "SSH", 29*time.Second) != inventory.SeverityHigh || sessionsSeverity(tr, "SSH", 31*time.Second) != inventory.SeverityMedium ||
		sessionsSeverity(tr, "RDP", time.Second) != inventory.SeverityMedium {
		t.Error("sessionsSeverity: 30 sessions, High in 29 s for SSH only")
	}
	tr.logins = 15
	if sessionsSeverity(tr, "SSH", time.Second) != inventory.SeverityMedium {
		t.Error("sessionsSeverity: 15 logins that worked leave 15 sessions, Medium")
	}
}

// TestHSRPFirstClaimOfTheGatewaysAddress replays review 40's yersinia HSRP
// hello (state active, priority 255, the gateway's address) on a LAN with
// no HSRP router: ARP binds the gateway to its own MAC, no virtual MAC, so
// the first claim is a takeover attempt by the forged MAC.
func TestHSRPFirstClaimOfTheGatewaysAddress(t *testing.T) {
	evs := replayFile(t, "testdata/staged/hsrp-hello-gateway-address-yersinia.pcap", Config{Gateway: netip.MustParseAddr("10.40.1.1")})
	ev := findEvent(evs, inventory.EventFHRPTakeover)
	if ev == nil || ev.MAC.String() != "0c:8d:7b:73:72:5d" || ev.TargetMAC.String() != "00:1a:a1:00:00:01" || ev.TargetIP.String() != "10.40.1.1" {
		t.Errorf("want fhrp_takeover by 0c:8d:7b:73:72:5d over the gateway: %+v", evs)
	}
}
