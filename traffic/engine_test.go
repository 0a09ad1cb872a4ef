package traffic

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

func evidenceText(ev inventory.Event) string {
	var b strings.Builder
	for _, x := range ev.Evidence {
		b.WriteString(x.Detail + "\n")
	}
	return b.String()
}

func wantOne(t *testing.T, r *rig, typ inventory.EventType, mac string, ip string) inventory.Event {
	t.Helper()
	evs := r.of(typ)
	if len(evs) != 1 {
		t.Fatalf("%d %s events, want 1; all events: %+v", len(evs), typ, r.all())
	}
	ev := evs[0]
	if ev.MAC.String() != mac {
		t.Errorf("%s names MAC %s, want %s", typ, ev.MAC, mac)
	}
	if ip != "" && ev.IP.String() != ip {
		t.Errorf("%s names IP %s, want %s", typ, ev.IP, ip)
	}
	if len(ev.Evidence) == 0 || ev.Summary == "" {
		t.Errorf("%s without summary or evidence: %+v", typ, ev)
	}
	return ev
}

func TestQuietBaselineRaisesNothing(t *testing.T) {
	r := newRig(t, Config{Learning: 5 * time.Minute, LearnPackets: -1})
	r.baseline(t0, 30*time.Minute)
	if len(r.all()) != 0 {
		t.Fatalf("quiet office raised %+v", r.all())
	}
}

func TestNewDeviceOnlyAfterLearning(t *testing.T) {
	r := newRig(t, Config{Learning: 5 * time.Minute, LearnPackets: -1})
	at := r.baseline(t0, 2*time.Minute)
	r.feed(at, arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.10")) // known during learning
	at = r.baseline(at, 5*time.Minute)
	newcomer := hw("00:80:77:00:00:20")
	r.feed(at, arpFrame(t, layers.ARPRequest, newcomer, "10.0.0.20", nil, "10.0.0.1"))
	r.feed(at.Add(time.Second), arpFrame(t, layers.ARPRequest, newcomer, "10.0.0.20", nil, "10.0.0.1"))
	wantOne(t, r, inventory.EventNewDevice, "00:80:77:00:00:20", "10.0.0.20")
}

func TestDeviceGone(t *testing.T) {
	r := newRig(t, Config{Learning: 5 * time.Minute, LearnPackets: -1, GoneAfter: 30 * time.Minute})
	at := r.baseline(t0, 20*time.Minute)
	// Only the gateway and the PC go on; the NAS falls silent.
	for end := at.Add(40 * time.Minute); at.Before(end); at = at.Add(10 * time.Second) {
		r.feed(at, pingFrame(t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56))
		r.feed(at, pingFrame(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10", 56))
	}
	ev := wantOne(t, r, inventory.EventDeviceGone, nasMAC.String(), "10.0.0.30")
	if !strings.Contains(evidenceText(ev), "last frame at") {
		t.Errorf("evidence %q", evidenceText(ev))
	}
	// Time passes with no packets at all: everyone else goes too, but the
	// NAS is not reported twice.
	r.e.Tick(at.Add(time.Hour))
	nas := 0
	for _, ev := range r.of(inventory.EventDeviceGone) {
		if ev.MAC.String() == nasMAC.String() {
			nas++
		}
	}
	if nas != 1 || len(r.of(inventory.EventDeviceGone)) != 3 {
		t.Errorf("device_gone after silence: %+v", r.of(inventory.EventDeviceGone))
	}
}

func TestARPSpoofOfGateway(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 3*time.Minute)
	// The attacker resolves its victims (claiming its own address), then
	// tells the PC that the gateway is at its MAC, every 2 s, while the real
	// gateway keeps answering.
	r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.10"))
	for i := range 10 {
		at = at.Add(2 * time.Second)
		r.feed(at, arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
		if i%3 == 0 {
			r.feed(at, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
		}
	}
	ev := wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "10.0.0.66")
	if ev.TargetIP.String() != "10.0.0.1" || ev.TargetMAC.String() != gwMAC.String() || ev.Severity != inventory.SeverityCritical {
		t.Errorf("arp_spoof target %s %s severity %s", ev.TargetIP, ev.TargetMAC, ev.Severity)
	}
	gw := wantOne(t, r, inventory.EventGatewayChanged, evilMAC.String(), "10.0.0.1")
	if gw.TargetMAC.String() != gwMAC.String() {
		t.Errorf("gateway_changed was-MAC %s", gw.TargetMAC)
	}
	if len(r.of(inventory.EventDuplicateIP)) != 0 {
		t.Errorf("spoofing also reported as duplicate_ip")
	}
}

func TestSpoofFoundWhenOwnerAppearsSecond(t *testing.T) {
	// A capture that starts mid-attack: the attacker's claim comes first and
	// the real owner's second; the culprit is still the attacker.
	r := newRig(t, Config{})
	r.feed(t0, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
	r.feed(t0.Add(time.Second), arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
	r.feed(t0.Add(2*time.Second), arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
	ev := wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "10.0.0.66")
	if ev.TargetMAC.String() != gwMAC.String() {
		t.Errorf("victim %s", ev.TargetMAC)
	}
}

func TestDuplicateIPAndMove(t *testing.T) {
	r := newRig(t, Config{ConflictWindow: time.Minute})
	other := hw("00:80:77:00:00:21")
	r.feed(t0, arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1"))
	r.feed(t0.Add(10*time.Second), arpFrame(t, layers.ARPRequest, other, "10.0.0.30", nil, "10.0.0.1"))
	ev := wantOne(t, r, inventory.EventDuplicateIP, other.String(), "10.0.0.30")
	if ev.TargetMAC.String() != nasMAC.String() {
		t.Errorf("duplicate_ip other MAC %s", ev.TargetMAC)
	}
	// Address reused by a third device long after both went quiet: a move.
	r.feed(t0.Add(time.Hour), arpFrame(t, layers.ARPRequest, pcMAC, "10.0.0.30", nil, "10.0.0.1"))
	if n := len(r.of(inventory.EventDuplicateIP)) + len(r.of(inventory.EventARPSpoof)); n != 1 {
		t.Errorf("move reported as conflict: %+v", r.all())
	}
}

func TestGatewayReplaced(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1"), ConflictWindow: time.Minute})
	r.feed(t0, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
	newGW := hw("00:1a:a1:00:00:02")
	r.feed(t0.Add(10*time.Minute), arpFrame(t, layers.ARPReply, newGW, "10.0.0.1", pcMAC, "10.0.0.10"))
	ev := wantOne(t, r, inventory.EventGatewayChanged, newGW.String(), "10.0.0.1")
	if ev.Severity != inventory.SeverityMedium {
		t.Errorf("replaced gateway severity %s", ev.Severity)
	}
}

func TestARPFlood(t *testing.T) {
	r := newRig(t, Config{ARPFloodReplies: 50})
	for i := range 200 {
		r.feed(t0.Add(time.Duration(i)*10*time.Millisecond), arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.66", pcMAC, fmt.Sprintf("10.0.0.%d", i%200+1)))
	}
	ev := wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "10.0.0.66")
	if !strings.Contains(ev.Summary, "flood") {
		t.Errorf("summary %q", ev.Summary)
	}
}

// TestARPBusyIsNotPoisoning: a gateway answering 200 requests in a minute
// (an ARP sweep, ettercap's victims asking each other) floods nothing, and
// requests sent to one MAC (Linux re-checking a neighbour it knows) sweep
// nothing; the broadcast requests of a sweep still do.
func TestARPBusyIsNotPoisoning(t *testing.T) {
	r := newRig(t, Config{ARPFloodReplies: 50})
	for i := range 200 {
		at := t0.Add(time.Duration(i) * 100 * time.Millisecond)
		asker, askerMAC := fmt.Sprintf("10.0.1.%d", i%200+20), hw(fmt.Sprintf("02:00:00:00:00:%02x", i%200+20))
		r.feed(at, arpFrame(t, layers.ARPRequest, askerMAC, asker, nil, "10.0.0.1"))
		r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", askerMAC, asker))
	}
	for i := range 60 {
		unicastAsk := arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, fmt.Sprintf("10.0.0.%d", i+100))
		copy(unicastAsk[:6], pcMAC) // Ethernet destination: one known neighbour
		r.feed(t0.Add(time.Duration(i)*time.Second), unicastAsk)
	}
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("answers and neighbour checks raised %+v", evs)
	}
	for i := range 30 {
		r.feed(t0.Add(2*time.Minute+time.Duration(i)*time.Millisecond), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, fmt.Sprintf("10.0.0.%d", i+100)))
	}
	wantOne(t, r, inventory.EventHostSweep, evilMAC.String(), "10.0.0.66")
}

func TestRogueDHCP(t *testing.T) {
	rogue := hw("00:0c:29:00:00:99")
	client := hw("3c:52:82:00:00:11")
	legit := func(r *rig, at time.Time) {
		r.feed(at, dhcpReply(t, gwMAC, "10.0.0.1", client, "10.0.0.150", "10.0.0.1", 2))
	}
	evil := func(r *rig, at time.Time) {
		r.feed(at, dhcpReply(t, rogue, "10.0.0.99", client, "10.0.0.200", "10.0.0.99", 2))
	}
	t.Run("known server configured", func(t *testing.T) {
		r := newRig(t, Config{DHCPServers: []netip.Addr{netip.MustParseAddr("10.0.0.1")}})
		evil(r, t0)
		legit(r, t0.Add(time.Millisecond))
		ev := wantOne(t, r, inventory.EventRogueDHCP, rogue.String(), "10.0.0.99")
		if ev.TargetMAC.String() != client.String() || ev.TargetIP.String() != "10.0.0.200" {
			t.Errorf("target %s %s", ev.TargetMAC, ev.TargetIP)
		}
	})
	t.Run("gateway known, rogue answers first", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		evil(r, t0)
		legit(r, t0.Add(time.Millisecond))
		wantOne(t, r, inventory.EventRogueDHCP, rogue.String(), "10.0.0.99")
	})
	t.Run("one event per rogue server, not per client", func(t *testing.T) {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		legit(r, t0)
		for i := range 6 {
			c := hw(fmt.Sprintf("3c:52:82:00:01:%02x", i))
			r.feed(t0.Add(time.Duration(i+1)*time.Second), dhcpReply(t, rogue, "10.0.0.99", c, fmt.Sprintf("10.0.0.%d", 200+i), "10.0.0.99", 2))
		}
		ev := wantOne(t, r, inventory.EventRogueDHCP, rogue.String(), "10.0.0.99")
		if ev.TargetIP.String() != "10.0.0.200" || !strings.Contains(evidenceText(ev), "one incident") {
			t.Errorf("first answer %s, evidence %q", ev.TargetIP, evidenceText(ev))
		}
		// After the cooldown the same server is a new incident.
		r.feed(t0.Add(11*time.Minute), dhcpReply(t, rogue, "10.0.0.99", client, "10.0.0.210", "10.0.0.99", 2))
		if n := len(r.all()); n != 2 {
			t.Errorf("%d events after the cooldown, want 2", n)
		}
	})
	t.Run("nothing known: second server", func(t *testing.T) {
		r := newRig(t, Config{})
		legit(r, t0)
		legit(r, t0.Add(time.Hour))
		if len(r.all()) != 0 {
			t.Fatalf("one server raised %+v", r.all())
		}
		evil(r, t0.Add(2*time.Hour))
		ev := wantOne(t, r, inventory.EventRogueDHCP, rogue.String(), "10.0.0.99")
		if !strings.Contains(evidenceText(ev), "10.0.0.1") {
			t.Errorf("evidence does not name the known server: %q", evidenceText(ev))
		}
	})
}

func TestPortScan(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		flags tcpFlags
		udp   bool
		want  int
	}{
		{"SYN", 100, tcpFlags{syn: true}, false, 1},
		{"SYN below threshold", 7, tcpFlags{syn: true}, false, 0}, // each refused once: under slowOnce too
		{"FIN", 5, tcpFlags{fin: true}, false, 1},
		{"NULL", 5, tcpFlags{}, false, 1},
		{"XMAS", 5, tcpFlags{fin: true, psh: true, urg: true}, false, 1},
		{"UDP", 100, tcpFlags{}, true, 1},
		{"established traffic", 100, tcpFlags{ack: true, psh: true}, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range tc.n {
				at := t0.Add(time.Duration(i) * 5 * time.Millisecond)
				if tc.udp {
					r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", 40000, pcMAC, "10.0.0.10", uint16(i+1), nil))
					continue
				}
				r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 40000, pcMAC, "10.0.0.10", uint16(i+1), tc.flags, nil))
				// The target's RST/ACK answers must not count as probes.
				r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", uint16(i+1), evilMAC, "10.0.0.66", 40000, tcpFlags{rst: true, ack: true}, nil))
			}
			got := r.of(inventory.EventPortScan)
			if len(got) != tc.want {
				t.Fatalf("%d port_scan events, want %d: %+v", len(got), tc.want, r.all())
			}
			if tc.want == 1 {
				ev := wantOne(t, r, inventory.EventPortScan, evilMAC.String(), "10.0.0.66")
				if ev.TargetIP.String() != "10.0.0.10" || ev.TargetMAC.String() != pcMAC.String() {
					t.Errorf("target %s %s", ev.TargetIP, ev.TargetMAC)
				}
			}
		})
	}
}

func TestUDPRepliesAreNotAScan(t *testing.T) {
	// A DNS server answering one client's many queries from port 53 to
	// ever-changing client ports.
	r := newRig(t, Config{})
	for i := range 200 {
		r.feed(t0.Add(time.Duration(i)*time.Millisecond), udpFrame(t, gwMAC, "10.0.0.1", 53, pcMAC, "10.0.0.10", uint16(30000+i), []byte("answer")))
	}
	if len(r.all()) != 0 {
		t.Fatalf("DNS answers raised %+v", r.all())
	}
}

func TestHostSweep(t *testing.T) {
	for _, kind := range []string{"ARP", "ICMP", "TCP"} {
		t.Run(kind, func(t *testing.T) {
			r := newRig(t, Config{Self: []netHW{boxMAC}})
			for _, who := range []netHW{boxMAC, evilMAC} {
				for i := range 60 {
					at := t0.Add(time.Duration(i) * 10 * time.Millisecond)
					dst := fmt.Sprintf("10.0.0.%d", i+100)
					switch kind {
					case "ARP":
						r.feed(at, arpFrame(t, layers.ARPRequest, who, "10.0.0.66", nil, dst))
					case "ICMP":
						r.feed(at, pingFrame(t, who, "10.0.0.66", gwMAC, dst, 8))
					case "TCP":
						r.feed(at, tcpFrame(t, who, "10.0.0.66", 40000, gwMAC, dst, 80, tcpFlags{syn: true}, nil))
					}
				}
			}
			ev := wantOne(t, r, inventory.EventHostSweep, evilMAC.String(), "10.0.0.66")
			if !strings.Contains(evidenceText(ev), kind) {
				t.Errorf("evidence %q does not say %s", evidenceText(ev), kind)
			}
		})
	}
	t.Run("browsing the internet is no sweep", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 100 {
			r.feed(t0.Add(time.Duration(i)*time.Second), tcpFrame(t, pcMAC, "10.0.0.10", uint16(40000+i), gwMAC, fmt.Sprintf("93.184.%d.1", i), 443, tcpFlags{syn: true}, nil))
		}
		if len(r.all()) != 0 {
			t.Fatalf("browsing raised %+v", r.all())
		}
	})
}

func TestInsecureProtocols(t *testing.T) {
	smb1Resp := []byte(smb1NegotiateNTLM) // fix36a_test.go: a real NT LM 0.12 answer
	snmp := []byte{0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa0, 0x19}
	snmpOther := []byte{0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 's', '3', 'c', 'r', '3', 't', 0xa0, 0x19}
	for _, tc := range []struct {
		name       string
		udp        bool
		sport, dpt uint16
		payload    string
		fromServer bool
		want       string // proto in the summary, "" for none
	}{
		{"telnet", false, 40000, 23, "\xff\xfd\x18", false, "telnet"},
		{"ftp login", false, 40000, 21, "USER anna\r\n", false, "ftp"},
		{"ftp banner only", false, 40000, 21, "SYST\r\n", false, ""},
		{"http basic", false, 40000, 80, "GET /admin HTTP/1.1\r\nHost: sw\r\nAuthorization: Basic YWRtaW46YWRtaW4=\r\n\r\n", false, "http-basic"},
		{"http plain", false, 40000, 80, "GET / HTTP/1.1\r\nHost: sw\r\n\r\n", false, ""},
		{"smbv1 server", false, 445, 40000, string(smb1Resp), true, "smbv1"},
		{"snmp public answered", true, 161, 40000, string(snmp), true, "snmp"},
		{"snmp public asked, no answer", true, 40000, 161, string(snmp), false, ""},
		{"snmp secret", true, 161, 40000, string(snmpOther), true, ""},
		{"tftp", true, 40000, 69, "\x00\x01startup-config\x00octet\x00", false, "tftp"},
		{"tftp no answer", true, 40000, 69, "\x00\x01startup-config\x00octet\x00", false, ""},
		{"tftp one-way", true, 40000, 69, "\x00\x01startup-config\x00octet\x00", false, "tftp"},
		{"pop3", false, 40000, 110, "PASS hunter2\r\n", false, "pop3"},
		{"imap", false, 40000, 143, "a1 LOGIN anna hunter2\r\n", false, "imap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			cli, srv := pcMAC, nasMAC
			cliIP, srvIP := "10.0.0.10", "10.0.0.30"
			sMAC, sIP, dMAC, dIP := cli, cliIP, srv, srvIP
			if tc.fromServer {
				sMAC, sIP, dMAC, dIP = srv, srvIP, cli, cliIP
			}
			for range 3 {
				if tc.udp {
					r.feed(t0, udpFrame(t, sMAC, sIP, tc.sport, dMAC, dIP, tc.dpt, []byte(tc.payload)))
				} else {
					r.feed(t0, tcpFrame(t, sMAC, sIP, tc.sport, dMAC, dIP, tc.dpt, tcpFlags{ack: true, psh: true}, []byte(tc.payload)))
				}
			}
			switch tc.name { // tftpanswer.go
			case "tftp": // the server's DATA from its own port: a TFTP server
				r.feed(t0, udpFrame(t, srv, srvIP, 50000, cli, cliIP, tc.sport, []byte("\x00\x03\x00\x01hostname sw1\n")))
			case "tftp no answer": // heard (NTP), no TFTP answer: no server
				r.feed(t0.Add(time.Second), udpFrame(t, srv, srvIP, 123, cli, cliIP, 123, make([]byte, 48)))
			} // "tftp one-way": never heard after the request, reported as before
			evs := r.of(inventory.EventInsecureProtocol)
			if tc.want == "" {
				if len(evs) != 0 {
					t.Fatalf("raised %+v", evs)
				}
				return
			}
			ev := wantOne(t, r, inventory.EventInsecureProtocol, srv.String(), srvIP)
			if !strings.HasPrefix(ev.Summary, tc.want+" ") || ev.TargetMAC.String() != cli.String() {
				t.Errorf("summary %q target %s", ev.Summary, ev.TargetMAC)
			}
			if strings.Contains(evidenceText(ev)+ev.Summary, "hunter2") || strings.Contains(evidenceText(ev), "YWRtaW46") {
				t.Errorf("a secret leaked into the event: %+v", ev)
			}
		})
	}
}

// TestInsecureNotOnSYN: nmap --data-length pads its SYNs; one to port 23
// is a probe, not a telnet session of the host probed.
func TestInsecureNotOnSYN(t *testing.T) {
	r := newRig(t, Config{})
	r.feed(t0, tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 23, tcpFlags{syn: true}, make([]byte, 40)))
	if evs := r.of(inventory.EventInsecureProtocol); len(evs) != 0 {
		t.Fatalf("a padded SYN raised %+v", evs)
	}
}

func TestTrafficSpike(t *testing.T) {
	r := newRig(t, Config{Learning: 10 * time.Minute, SpikeMinBytes: 1 << 20})
	at := t0
	// Two hours of ~20 kB per minute from the NAS to the PC.
	for ; at.Before(t0.Add(2 * time.Hour)); at = at.Add(3 * time.Second) {
		r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 50000, pcMAC, "10.0.0.10", 40000, make([]byte, 1000)))
	}
	if n := len(r.of(inventory.EventTrafficSpike)); n != 0 {
		t.Fatalf("steady traffic raised %d spikes", n)
	}
	// Then one minute of ~40 MB.
	for end := at.Add(time.Minute); at.Before(end); at = at.Add(2 * time.Millisecond) {
		r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 50000, pcMAC, "10.0.0.10", 40000, make([]byte, 1400)))
	}
	r.feed(at.Add(time.Minute), udpFrame(t, nasMAC, "10.0.0.30", 50000, pcMAC, "10.0.0.10", 40000, nil))
	evs := r.of(inventory.EventTrafficSpike)
	if len(evs) == 0 {
		t.Fatal("no traffic_spike")
	}
	names := map[string]bool{}
	for _, ev := range evs {
		names[ev.MAC.String()] = true
		if !strings.Contains(evidenceText(ev), "usual at") {
			t.Errorf("evidence %q", evidenceText(ev))
		}
	}
	if !names[nasMAC.String()] {
		t.Errorf("spike events %v do not name the NAS", names)
	}
}

func TestSpikeBaselineIsPerHour(t *testing.T) {
	// Thirty nights of a 1.5 MB/min backup at 02:00 and near silence by
	// day: the backup is normal at 02:00 but the same load at 14:00 is not.
	h := &host{}
	e := New(Config{SpikeMinBytes: 1 << 20}, nil)
	night := time.Date(2026, 1, 1, 2, 0, 0, 0, time.Local)
	for d := range 40 {
		for m := range 60 {
			e.fold(h, minute(night.AddDate(0, 0, d).Add(time.Duration(m)*time.Minute)), 1.5*(1<<20), 1000)
			e.fold(h, minute(night.AddDate(0, 0, d).Add(12*time.Hour+time.Duration(m)*time.Minute)), 10<<10, 10)
		}
	}
	bNight, _, _ := h.baseline(2)
	bDay, _, _ := h.baseline(14)
	if bNight < 1<<20 || bDay > 100<<10 {
		t.Fatalf("baselines night %.0f day %.0f", bNight, bDay)
	}
}

func TestMemoryIsBounded(t *testing.T) {
	r := newRig(t, Config{MaxHosts: 50, MaxTrackers: 20})
	for i := range 5000 {
		m := netHW{0x02, 0, 0, byte(i >> 16), byte(i >> 8), byte(i)}
		at := t0.Add(time.Duration(i) * time.Millisecond)
		r.feed(at, tcpFrame(t, m, "10.1.0.1", 40000, pcMAC, "10.0.0.10", uint16(i), tcpFlags{syn: true}, nil))
	}
	c := r.e.Counters()
	if c.Hosts > 50 || len(r.e.ports) > 20 || len(r.e.sweeps) > 20 {
		t.Fatalf("hosts %d ports %d sweeps %d exceed the bounds", c.Hosts, len(r.e.ports), len(r.e.sweeps))
	}
	if c.HostsUntracked == 0 || c.TrackersDropped == 0 || c.Packets != 5000 {
		t.Errorf("overflow not counted: %+v", c)
	}
}

func TestHostStats(t *testing.T) {
	r := newRig(t, Config{})
	r.baseline(t0, time.Minute)
	hs := r.e.Hosts()
	if len(hs) != 3 {
		t.Fatalf("%d hosts: %+v", len(hs), hs)
	}
	var pc HostStats
	for _, h := range hs {
		if h.MAC.String() == pcMAC.String() {
			pc = h
		}
	}
	if pc.IP.String() != "10.0.0.10" || pc.PacketsOut != 18 || pc.BytesOut == 0 || pc.PacketsIn == 0 || pc.Protocols["smb"] != 6 || len(pc.Peers) != 2 {
		t.Errorf("pc stats %+v", pc)
	}
	if hs[0].BytesIn+hs[0].BytesOut < hs[2].BytesIn+hs[2].BytesOut {
		t.Errorf("not ordered by bytes")
	}
}

func TestParseDHCPRejectsJunk(t *testing.T) {
	b := dhcpReply(t, gwMAC, "10.0.0.1", pcMAC, "10.0.0.5", "10.0.0.1", 5)
	payload := b[14+20+8:]
	m, ok := ParseDHCP(payload)
	if !ok || m.Type != 5 || m.Server.String() != "10.0.0.1" || m.Router.String() != "10.0.0.1" || m.YourIP.String() != "10.0.0.5" {
		t.Fatalf("ParseDHCP = %+v %v", m, ok)
	}
	bad := append([]byte(nil), payload...)
	binary.BigEndian.PutUint32(bad[236:], 0)
	if _, ok := ParseDHCP(bad); ok {
		t.Error("accepted a message without the magic cookie")
	}
	if _, ok := ParseDHCP(payload[:100]); ok {
		t.Error("accepted a short message")
	}
}

func TestNewDeviceWaitsForItsAddress(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, LearnPackets: -1})
	at := r.baseline(t0, 2*time.Minute)
	late := hw("00:80:77:00:00:22")
	// Its first frame is IPv6 (a DHCPv6 solicit); its IPv4 address comes
	// with its first ARP two seconds later.
	ip6 := &layers.IPv6{Version: 6, NextHeader: layers.IPProtocolUDP, HopLimit: 1,
		SrcIP: netip.MustParseAddr("fe80::1").AsSlice(), DstIP: netip.MustParseAddr("ff02::1:2").AsSlice()}
	u := &layers.UDP{SrcPort: 546, DstPort: 547}
	u.SetNetworkLayerForChecksum(ip6)
	rs := serialize(t, &layers.Ethernet{SrcMAC: late, DstMAC: hw("33:33:00:01:00:02"), EthernetType: layers.EthernetTypeIPv6}, ip6, u)
	r.feed(at, rs)
	if len(r.of(inventory.EventNewDevice)) != 0 {
		t.Fatal("announced before its address was known")
	}
	r.feed(at.Add(2*time.Second), arpFrame(t, layers.ARPRequest, late, "10.0.0.22", nil, "10.0.0.1"))
	ev := wantOne(t, r, inventory.EventNewDevice, late.String(), "10.0.0.22")
	if !strings.Contains(evidenceText(ev), "first frame (IPv6)") {
		t.Errorf("evidence %q", evidenceText(ev))
	}
	// One that never gets an IPv4 address is announced after the wait.
	v6only := hw("00:80:77:00:00:23")
	rs2 := append([]byte(nil), rs...)
	copy(rs2[6:12], v6only)
	r.feed(at.Add(3*time.Second), rs2)
	r.e.Tick(at.Add(20 * time.Second))
	wantOneOf(t, r, inventory.EventNewDevice, v6only.String())
}

func wantOneOf(t *testing.T, r *rig, typ inventory.EventType, mac string) {
	t.Helper()
	n := 0
	for _, ev := range r.of(typ) {
		if ev.MAC.String() == mac {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d %s events for %s: %+v", n, typ, mac, r.all())
	}
}

// TestInsecureIgnoresTheBoxItself: the box polling an agent with "public"
// is not an event (the poller reports default communities); anyone else
// doing the same is.
func TestInsecureIgnoresTheBoxItself(t *testing.T) {
	box, agent, pc := hw("02:7e:4e:d0:00:fa"), hw("00:1b:54:00:00:10"), hw("00:08:74:00:00:64")
	snmp := []byte{0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa0, 0x19}
	r := newRig(t, Config{Self: []net.HardwareAddr{box}})
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	r.feed(at, udpFrame(t, box, "10.0.0.250", 40000, agent, "10.0.0.10", 161, snmp))
	if evs := r.of(inventory.EventInsecureProtocol); len(evs) != 0 {
		t.Fatalf("the box's own poll raised %d events: %+v", len(evs), evs)
	}
	r.feed(at.Add(time.Second), udpFrame(t, box, "10.0.0.250", 40000, agent, "10.0.0.10", 161, snmp))
	r.feed(at.Add(time.Second), udpFrame(t, agent, "10.0.0.10", 161, box, "10.0.0.250", 40000, snmp))
	if evs := r.of(inventory.EventInsecureProtocol); len(evs) != 0 {
		t.Fatalf("the agent's answer to the box raised %d events: %+v", len(evs), evs)
	}
	r.feed(at.Add(2*time.Second), udpFrame(t, pc, "10.0.0.100", 40000, agent, "10.0.0.10", 161, snmp))
	r.feed(at.Add(2*time.Second), udpFrame(t, agent, "10.0.0.10", 161, pc, "10.0.0.100", 40000, snmp))
	if evs := r.of(inventory.EventInsecureProtocol); len(evs) != 1 || evs[0].MAC.String() != agent.String() {
		t.Fatalf("an agent answering a workstation's poll with public raised %+v, want one naming the agent", evs)
	}
}

// TestSameOrderEveryRun: hosts tied on bytes and first sighting come out
// sorted by MAC, and the events a tick raises for many hosts at once come
// in the order the hosts were first seen, not in map order (a replay's
// JSON is the same every run).
func TestSameOrderEveryRun(t *testing.T) {
	r := newRig(t, Config{Learning: 5 * time.Minute, LearnPackets: -1, GoneAfter: 30 * time.Minute})
	var macs []string
	for i := range 15 {
		m := net.HardwareAddr{0x00, 0x80, 0x77, 0x00, 0x01, byte(200 - 7*i)} // first seen in descending MAC order
		macs = append(macs, m.String())
	}
	at := t0
	for ; at.Before(t0.Add(12 * time.Minute)); at = at.Add(30 * time.Second) {
		for i, m := range macs {
			r.feed(at, arpFrame(t, layers.ARPRequest, hw(m), fmt.Sprintf("10.0.1.%d", 10+i), nil, "10.0.0.1"))
		}
	}
	r.e.Tick(at.Add(time.Hour)) // all fall silent in the same tick
	var gone []string
	for _, ev := range r.of(inventory.EventDeviceGone) {
		gone = append(gone, ev.MAC.String())
	}
	if !slices.Equal(gone, macs) {
		t.Errorf("device_gone events in order %v, want the order of first sighting %v", gone, macs)
	}
	var tied []string
	for _, h := range r.e.Hosts() {
		tied = append(tied, h.MAC.String())
	}
	if len(tied) != len(macs) || !slices.IsSorted(tied) {
		t.Errorf("tied hosts in order %v, want sorted by MAC", tied)
	}
}

// TestPortScanManyHostsOneIncident: nmap over a subnet is one port_scan
// naming the culprit and the number of targets (listed in the evidence);
// a straggler target after the report joins it; one host scanned alone
// later, past scanGather and the cooldown's multi-host key, is its own event.
func TestPortScanManyHostsOneIncident(t *testing.T) {
	r := newRig(t, Config{})
	at := t0
	for h := range 5 {
		dst := fmt.Sprintf("10.0.0.%d", 20+h)
		dstMAC := net.HardwareAddr{0x3c, 0x52, 0x82, 0, 0, byte(0x20 + h)}
		for port := range 30 {
			at = at.Add(20 * time.Millisecond)
			r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 40000, dstMAC, dst, uint16(port+1), tcpFlags{syn: true}, nil))
		}
	}
	ev := wantOne(t, r, inventory.EventPortScan, evilMAC.String(), "10.0.0.66")
	if ev.TargetIP.IsValid() || ev.TargetMAC != nil {
		t.Errorf("a multi-host scan names one target: %+v", ev)
	}
	if !strings.Contains(ev.Summary, "5 hosts") {
		t.Errorf("summary %q does not count the 5 targets", ev.Summary)
	}
	text := evidenceText(ev)
	for h := range 5 {
		if ip := fmt.Sprintf("10.0.0.%d", 20+h); !strings.Contains(text, ip) {
			t.Errorf("evidence does not list target %s: %q", ip, text)
		}
	}
	if !strings.Contains(text, "SYN/connect 150") {
		t.Errorf("evidence does not sum the probes: %q", text)
	}
	// A sixth host a minute later, inside the cooldown: the same incident.
	at = at.Add(time.Minute)
	for port := range 30 {
		at = at.Add(20 * time.Millisecond)
		r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 40000, pcMAC, "10.0.0.10", uint16(port+1), tcpFlags{syn: true}, nil))
	}
	if got := r.of(inventory.EventPortScan); len(got) != 1 {
		t.Errorf("a straggler raised another event: %+v", got)
	}
	// Another source scanning one host: its own per-target event.
	for port := range 30 {
		at = at.Add(20 * time.Millisecond)
		r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", 40000, gwMAC, "10.0.0.1", uint16(port+1), tcpFlags{syn: true}, nil))
	}
	got := r.of(inventory.EventPortScan)
	if len(got) != 2 || got[1].MAC.String() != pcMAC.String() || got[1].TargetIP.String() != "10.0.0.1" {
		t.Errorf("single-host scan after a multi-host one: %+v", got)
	}
}

// TestPortScanHeldUntilQuiet: the engine reports a scan by itself once its
// source found no new target for scanGather (no Flush needed).
func TestPortScanHeldUntilQuiet(t *testing.T) {
	var evs []inventory.Event
	e := New(Config{}, func(ev inventory.Event) { evs = append(evs, ev) })
	d := capture.NewDecoder()
	at := t0
	for port := range 30 {
		at = at.Add(20 * time.Millisecond)
		f := tcpFrame(t, evilMAC, "10.0.0.66", 40000, pcMAC, "10.0.0.10", uint16(port+1), tcpFlags{syn: true}, nil)
		e.Packet(d.Decode(capture.Frame{Time: at, Data: f, Length: len(f)}))
	}
	if len(evs) != 0 {
		t.Fatalf("reported before scanGather: %+v", evs)
	}
	e.Tick(at.Add(scanGather - time.Second))
	if len(evs) != 0 {
		t.Fatalf("reported before scanGather: %+v", evs)
	}
	e.Tick(at.Add(scanGather + time.Second))
	if len(evs) != 1 || evs[0].Type != inventory.EventPortScan || evs[0].TargetIP.String() != "10.0.0.10" {
		t.Fatalf("after scanGather: %+v", evs)
	}
}

// TestHeldScansInOrder: scans from several sources that fall due in one
// flush come out in the order they began, the same every run (they are
// held in a map).
func TestHeldScansInOrder(t *testing.T) {
	var evs []inventory.Event
	e := New(Config{}, func(ev inventory.Event) { evs = append(evs, ev) })
	d := capture.NewDecoder()
	at := t0
	var want []string
	for s := range 20 {
		src := net.HardwareAddr{0x02, 0, 0, 0, 0x66, byte(200 - s)}
		want = append(want, src.String())
		for port := range 30 {
			at = at.Add(2 * time.Millisecond)
			f := tcpFrame(t, src, fmt.Sprintf("10.0.0.%d", 100+s), 40000, pcMAC, "10.0.0.10", uint16(port+1), tcpFlags{syn: true}, nil)
			e.Packet(d.Decode(capture.Frame{Time: at, Data: f, Length: len(f)}))
		}
	}
	e.Tick(at.Add(scanGather + time.Second))
	var got []string
	for _, ev := range evs {
		got = append(got, ev.MAC.String())
	}
	if !slices.Equal(got, want) {
		t.Fatalf("port scans reported in order %v, want the order they began %v", got, want)
	}
}

// TestPortScanEndlessIncident: a scan that finds a new target every 5 s
// for 12 minutes is reported once its incident is as old as the cooldown,
// while it still goes on, and the rest of it stays inside that one event.
func TestPortScanEndlessIncident(t *testing.T) {
	r := newRig(t, Config{})
	at := t0
	reportedAt := time.Time{}
	for h := range 144 {
		dst := fmt.Sprintf("10.0.%d.%d", 1+h/200, 1+h%200)
		dstMAC := net.HardwareAddr{0x3c, 0x52, 0x82, 0, 1, byte(h)}
		for port := range 25 {
			r.feed(at.Add(time.Duration(port)*time.Millisecond), tcpFrame(t, evilMAC, "10.0.0.66", 40000, dstMAC, dst, uint16(port+1), tcpFlags{syn: true}, nil))
		}
		if reportedAt.IsZero() && len(r.events) > 0 {
			reportedAt = at
		}
		at = at.Add(5 * time.Second)
	}
	if reportedAt.IsZero() || reportedAt.Sub(t0) > 11*time.Minute {
		t.Fatalf("an endless scan reported at %v after its start (zero: only at the end), want about 10 min", reportedAt.Sub(t0))
	}
	got := r.of(inventory.EventPortScan)
	if len(got) != 1 || got[0].TargetIP.IsValid() {
		t.Fatalf("%d port_scan events, want one multi-host: %+v", len(got), got)
	}
}

// TestSNMPAgentRole: an agent answering a default community on 161 and one
// sending a trap with it to a manager's 162 are both named as the agent,
// with the port that tells which; a trap's source port is no server's
// ("server, port 36100" before).
func TestSNMPAgentRole(t *testing.T) {
	trap := []byte{0x30, 0x0d, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa7, 0x00}
	for _, tc := range []struct {
		name         string
		sport, dport uint16
		want         string
	}{
		{"a trap", 36100, 162, "(agent, traps to port 162)"},
		{"an answer", 161, 40000, "(agent, port 161)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			r.feed(t0, udpFrame(t, nasMAC, "10.0.0.30", tc.sport, pcMAC, "10.0.0.10", tc.dport, trap))
			ev := wantOne(t, r, inventory.EventInsecureProtocol, nasMAC.String(), "10.0.0.30")
			if !strings.Contains(ev.Summary, tc.want) {
				t.Errorf("summary %q, want %s in it", ev.Summary, tc.want)
			}
		})
	}
}

// TestEngineClock: a live capture's times (time.Now, with a monotonic
// reading) are measured on the monotonic clock from the first packet's,
// as since and time.Time.Sub measure them, so that a wall-clock step moves
// no window; a recording's by their wall clock, as Unix nanoseconds. The
// same scan is one port_scan on either clock.
func TestEngineClock(t *testing.T) {
	live := time.Now()
	for _, start := range []time.Time{live, live.Round(0)} {
		r := newRig(t, Config{Learning: time.Minute})
		at := r.baseline(start, 2*time.Minute)
		if mono := start != start.Round(0); r.e.mono != mono {
			t.Errorf("start %v: engine measures on the monotonic clock %v, want %v", start, r.e.mono, mono)
		}
		if got, want := r.e.nanos(at)-r.e.nanos(start), int64(at.Sub(start)); got != want {
			t.Errorf("start %v: nanos apart %d, want %d", start, got, want)
		}
		if got, want := r.e.nanos(start), start.UnixNano(); got != want {
			t.Errorf("start %v: nanos of the first packet %d, want its Unix nanoseconds %d", start, got, want)
		}
		for i := range 30 {
			r.feed(at.Add(time.Duration(i)*100*time.Millisecond), tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", uint16(1000+i), tcpFlags{syn: true}, nil))
		}
		if scans := r.of(inventory.EventPortScan); len(scans) != 1 {
			t.Errorf("start %v: 30 ports probed in 3 s: port scans %+v, want one", start, scans)
		}
	}
}
