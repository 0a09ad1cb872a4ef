package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestSCTPCookieEchoScan: nmap -sZ's COOKIE ECHOs to ports that never sent
// an INIT ACK count as probes, as INITs do (RFC 9260 5.1: a client sends
// one only after the port's INIT ACK); the COOKIE ECHOs of associations'
// own four-way handshakes to 30 open ports do not.
func TestSCTPCookieEchoScan(t *testing.T) {
	scanner, target := "10.0.0.66", "10.0.0.30"
	for _, tc := range []struct {
		name      string
		handshake bool // INIT, INIT ACK before each COOKIE ECHO
		reply     byte // the target's answer to each COOKIE ECHO, or 0 for none
		want      bool
	}{
		{"cookie echo scan, closed ports abort", false, sctpAbort, true},
		{"cookie echo scan, open ports silent", false, 0, true},
		{"associations to open ports", true, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range 30 {
				at, port := t0.Add(time.Duration(i)*time.Millisecond), uint16(1000+37*i)
				if tc.handshake {
					r.feed(at, sctpFrame(t, evilMAC, scanner, 40000, nasMAC, target, port, sctpInit))
					r.feed(at.Add(100*time.Microsecond), sctpFrame(t, nasMAC, target, port, evilMAC, scanner, 40000, sctpInitAck))
				}
				r.feed(at.Add(200*time.Microsecond), sctpFrame(t, evilMAC, scanner, 40000, nasMAC, target, port, sctpCookieEcho))
				if tc.reply != 0 {
					r.feed(at.Add(300*time.Microsecond), sctpFrame(t, nasMAC, target, port, evilMAC, scanner, 40000, tc.reply))
				}
			}
			if !tc.want {
				if evs := r.of(inventory.EventPortScan); len(evs) != 0 {
					t.Fatalf("port_scan raised: %+v", evs)
				}
				return
			}
			ev := wantOne(t, r, inventory.EventPortScan, evilMAC.String(), scanner)
			all := ev.Summary
			for _, e := range ev.Evidence {
				all += "\n" + e.Detail
			}
			if ev.TargetIP.String() != target || !strings.Contains(all, "SCTP COOKIE ECHO") {
				t.Errorf("port_scan %+v, want SCTP COOKIE ECHO in it", ev)
			}
		})
	}
}

// TestACKFlood: segments with ACK for no connection (hping3 -A, -A -P with
// data), each answered by its target with a RST without ACK whose sequence
// number is the segment's acknowledgement (RFC 9293 3.10.7.1), are a flood
// by their sender; the same ACKs unanswered (clients' acknowledgements to a
// busy server), answered with RST+ACK, answered with RSTs that refuse other
// segments, or spread over many ports (an ACK scan, whose RSTs are the
// same) are none.
func TestACKFlood(t *testing.T) {
	attacker, target := "10.0.0.66", "10.0.0.30"
	ack := tcpFlags{ack: true}
	for _, tc := range []struct {
		name    string
		f       tcpFlags
		payload []byte
		answer  *tcpFlags // the target's answer to each, or nil for none
		seqOff  uint32    // the answer's sequence number less the segment's acknowledgement
		ports   int       // destination ports the segments spread over
		want    bool
	}{
		{"ack flood refused", ack, nil, &tcpFlags{rst: true}, 0, 1, true},
		{"ack+psh flood with data refused", tcpFlags{ack: true, psh: true}, []byte("0123456789"), &tcpFlags{rst: true}, 0, 1, true},
		{"acks unanswered", ack, nil, nil, 0, 1, false},
		{"acks answered with rst+ack", ack, nil, &tcpFlags{rst: true, ack: true}, 0, 1, false},
		{"rsts refusing other segments", ack, nil, &tcpFlags{rst: true}, 7, 1, false},
		{"ack scan refused", ack, nil, &tcpFlags{rst: true}, 0, 1500, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range 3000 {
				at, a := t0.Add(time.Duration(i)*time.Millisecond), uint32(i)*7919+1
				sport, dport := uint16(1024+i%50000), uint16(80+i%tc.ports)
				r.feed(at, tcpSeqFrame(t, evilMAC, attacker, sport, nasMAC, target, dport, tc.f, 1, a, tc.payload))
				if tc.answer != nil {
					r.feed(at.Add(20*time.Microsecond), tcpSeqFrame(t, nasMAC, target, dport, evilMAC, attacker, sport, *tc.answer, a+tc.seqOff, 0, nil))
				}
			}
			evs := r.of(inventory.EventFlood)
			if !tc.want {
				if len(evs) != 0 {
					t.Fatalf("flood raised: %+v", evs)
				}
				return
			}
			ev := wantOne(t, r, inventory.EventFlood, evilMAC.String(), attacker)
			if ev.TargetIP.String() != target || !strings.Contains(ev.Summary, "TCP ACK") {
				t.Errorf("flood %+v, want a TCP ACK flood toward %s", ev, target)
			}
		})
	}
}

// TestACKFloodServerRestart: a server restarted (or a load balancer failed
// over) refuses its 400 stale connections, each of whose clients sends one
// or two segments more (400 to 800 RSTs without ACK in a few seconds), then
// answers what follows normally: one client's upload of 3,000 segments, or
// every client reconnecting and sending 10 segments, on the LAN or from
// behind the gateway. Only the refused segments count, far below a flood.
func TestACKFloodServerRestart(t *testing.T) {
	server := "10.0.0.20"
	for _, tc := range []struct {
		name   string
		wan    bool // the clients are behind the gateway
		storm  bool // every client reconnects (else one uploads)
		resent int  // segments each stale connection sends before giving up
	}{
		{"lan clients, one upload", false, false, 2},
		{"wan clients, one upload", true, false, 2},
		{"lan clients reconnect", false, true, 1},
		{"wan clients reconnect", true, true, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
			client := func(i int) (net.HardwareAddr, string) {
				if tc.wan {
					return gwMAC, fmt.Sprintf("198.51.%d.%d", 100+i/200, 1+i%200)
				}
				return hw(fmt.Sprintf("3c:52:82:00:%02x:%02x", i>>8, i&0xff)), fmt.Sprintf("10.0.%d.%d", 1+i/200, 1+i%200)
			}
			srvMAC := nasMAC
			at := t0
			for i := range 400 { // the stale connections, refused
				m, ip := client(i)
				for k := range tc.resent {
					at = at.Add(2 * time.Millisecond)
					a := uint32(i)*104729 + uint32(k)
					r.feed(at, tcpSeqFrame(t, m, ip, uint16(40000+i), srvMAC, server, 445, tcpFlags{ack: true, psh: true}, 5, a, []byte("smb2 data")))
					r.feed(at.Add(50*time.Microsecond), tcpSeqFrame(t, srvMAC, server, 445, m, ip, uint16(40000+i), tcpFlags{rst: true}, a, 0, nil))
				}
			}
			if !tc.storm {
				m, ip := client(7)
				feedConnection(t, r, &at, m, ip, 50000, srvMAC, server, 3000)
			} else {
				for i := range 400 {
					m, ip := client(i)
					feedConnection(t, r, &at, m, ip, uint16(50000+i), srvMAC, server, 10)
				}
			}
			if evs := r.of(inventory.EventFlood); len(evs) != 0 {
				t.Fatalf("flood raised: %+v", evs)
			}
		})
	}
}

// feedConnection feeds a connection's handshake and n data segments, each
// acknowledged, from the client m, ip:sport to the server at 445.
func feedConnection(t *testing.T, r *rig, at *time.Time, m net.HardwareAddr, ip string, sport uint16, srvMAC net.HardwareAddr, server string, n int) {
	step := func() time.Time { *at = at.Add(time.Millisecond); return *at }
	r.feed(step(), tcpSeqFrame(t, m, ip, sport, srvMAC, server, 445, tcpFlags{syn: true}, 100, 0, nil))
	r.feed(step(), tcpSeqFrame(t, srvMAC, server, 445, m, ip, sport, tcpFlags{syn: true, ack: true}, 900, 101, nil))
	r.feed(step(), tcpSeqFrame(t, m, ip, sport, srvMAC, server, 445, tcpFlags{ack: true}, 101, 901, nil))
	for k := range n {
		seq := uint32(101 + 1000*k)
		r.feed(step(), tcpSeqFrame(t, m, ip, sport, srvMAC, server, 445, tcpFlags{ack: true, psh: true}, seq, 901, make([]byte, 1000)))
		r.feed(at.Add(100*time.Microsecond), tcpSeqFrame(t, srvMAC, server, 445, m, ip, sport, tcpFlags{ack: true}, 901, seq+1000, nil))
	}
}

// tcpSeqFrame is tcpFrame with its sequence and acknowledgement numbers.
func tcpSeqFrame(t testing.TB, srcMAC net.HardwareAddr, srcIP string, sport uint16, dstMAC net.HardwareAddr, dstIP string, dport uint16, f tcpFlags, seq, ack uint32, payload []byte) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: ip4(srcIP), DstIP: ip4(dstIP)}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), Seq: seq, Ack: ack, SYN: f.syn, ACK: f.ack, FIN: f.fin, RST: f.rst, PSH: f.psh, URG: f.urg, Window: 1024}
	tcp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip, tcp, gopacket.Payload(payload))
}

// dhcpDecline is a client's DHCPDECLINE of addr (RFC 2131 4.4.1: option 50
// holds the address found in use) from src with hardware address chaddr.
func dhcpDecline(t testing.TB, src, chaddr net.HardwareAddr, xid uint32, addr string) []byte {
	return dhcpClient(t, src, chaddr, xid,
		layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{byte(layers.DHCPMsgTypeDecline)}),
		layers.NewDHCPOption(layers.DHCPOptRequestIP, ip4(addr).To4()),
		layers.NewDHCPOption(layers.DHCPOptServerID, ip4("10.0.0.1").To4()))
}

// TestDHCPDeclineStarvation: DECLINEs of a pool's addresses under 60 forged
// client addresses within seconds empty the pool as DISCOVERs do: from one
// MAC it is named; each from its own forged MAC, none is. Three clients
// declining a conflicting address are no starvation.
func TestDHCPDeclineStarvation(t *testing.T) {
	forged := func(i int) net.HardwareAddr { return net.HardwareAddr{0x00, 0x0c, 0x29, 0, byte(i >> 8), byte(i)} }
	for _, tc := range []struct {
		name    string
		clients int
		sameSrc bool
		want    bool
	}{
		{"one source, forged chaddr", 60, true, true},
		{"forged sources", 60, false, true},
		{"three clients declining", 3, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range tc.clients {
				src := forged(i)
				if tc.sameSrc {
					src = evilMAC
				}
				r.feed(t0.Add(time.Duration(i)*50*time.Millisecond), dhcpDecline(t, src, forged(i), uint32(i), fmt.Sprintf("10.0.0.%d", 150+i)))
			}
			r.baseline(t0.Add(5*time.Second), 2*time.Minute) // the clock settles a count of own-MAC clients
			evs := r.of(inventory.EventDHCPStarvation)
			if !tc.want {
				if len(evs) != 0 {
					t.Fatalf("dhcp_starvation raised: %+v", evs)
				}
				return
			}
			culprit := ""
			if tc.sameSrc {
				culprit = evilMAC.String()
			}
			ev := wantOne(t, r, inventory.EventDHCPStarvation, culprit, "")
			if !strings.Contains(ev.Evidence[0].Detail, "DECLINE") {
				t.Errorf("evidence %q does not say DECLINE", ev.Evidence[0].Detail)
			}
		})
	}
}

// TestForgedMACAnnouncements: gratuitous ARP for 40 addresses whose owners
// answer, each from its own new MAC within a second (DHCPig -g), is ARP
// poisoning with no culprit, critical with the gateway's address among
// them; three devices given addresses in use, 40 new devices announcing
// free addresses, or 40 devices that announce addresses their owners held
// a moment ago and go on speaking (containers or VMs recreated with new
// MACs at their static addresses, DHCP clients after a server lost its
// leases) are none.
func TestForgedMACAnnouncements(t *testing.T) {
	forged := func(i int) net.HardwareAddr { return net.HardwareAddr{0x00, 0x0c, 0x29, 0x11, byte(i >> 8), byte(i)} }
	owner := func(i int) net.HardwareAddr { return net.HardwareAddr{0x00, 0x50, 0x56, 0, 1, byte(i)} }
	for _, tc := range []struct {
		name  string
		n     int  // addresses announced
		owned bool // their owners spoke first
		talks bool // each announcer then asks for its gateway, as a stack does
		want  bool
	}{
		{"every address from its own MAC", 40, true, false, true},
		{"three devices given addresses in use", 3, true, false, false},
		{"new devices announcing free addresses", 40, false, false, false},
		{"devices recreated with new MACs at addresses just left", 40, true, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
			r.feed(t0, arpFrame(t, layers.ARPRequest, pcMAC, "10.0.0.10", nil, "10.0.0.1"))
			r.feed(t0, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
			if tc.owned {
				for i := range tc.n {
					r.feed(t0.Add(time.Millisecond), arpFrame(t, layers.ARPRequest, owner(i), fmt.Sprintf("10.0.0.%d", 100+i), nil, "10.0.0.1"))
				}
			}
			at := t0.Add(2 * time.Second)
			r.feed(at, arpFrame(t, layers.ARPRequest, forged(999), "10.0.0.1", nil, "10.0.0.1"))
			for i := range tc.n {
				a := fmt.Sprintf("10.0.0.%d", 100+i)
				r.feed(at.Add(time.Duration(i+1)*time.Millisecond), arpFrame(t, layers.ARPRequest, forged(i), a, nil, a))
				if tc.talks {
					r.feed(at.Add(time.Duration(i+1)*time.Millisecond+300*time.Microsecond), arpFrame(t, layers.ARPRequest, forged(i), a, nil, "10.0.0.1"))
				}
			}
			evs := r.of(inventory.EventARPSpoof)
			if !tc.want {
				if len(evs) != 0 {
					t.Fatalf("arp_spoof raised: %+v", evs)
				}
				return
			}
			ev := wantOne(t, r, inventory.EventARPSpoof, "", "")
			if ev.Severity != inventory.SeverityCritical || !strings.Contains(ev.Summary, "forged MACs") {
				t.Errorf("arp_spoof %+v, want a critical one from forged MACs", ev)
			}
		})
	}
}
