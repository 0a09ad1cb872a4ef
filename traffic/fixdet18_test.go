package traffic

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"tend/inventory"
)

// The review of session 18's UDP-flood and boot-storm changes: ordinary
// two-way traffic at a flood's rate raised, a flood's victim named, and two
// evasions. Each case failed on int18.

// rvDir is one direction of a stream: its frames' addresses, ports and the
// payload sizes it cycles through.
type rvDir struct {
	srcMAC, dstMAC net.HardwareAddr
	srcIP, dstIP   string
	sport, dport   uint16
	sizes          []int
}

// frames is d's datagrams, one per payload size, each opening with its
// sender's address's last byte (a tunnel's receiver index, a protocol's
// own header): the two ways' datagrams differ as they do on the wire, and
// none is an echo of the other's (udpSig).
func (d rvDir) frames(t *testing.T) [][]byte {
	fs := make([][]byte, len(d.sizes))
	tag := netip.MustParseAddr(d.srcIP).As4()[3]
	for i, s := range d.sizes {
		b := make([]byte, s)
		for j := range min(s, 8) {
			b[j] = tag
		}
		fs[i] = udpFrame(t, d.srcMAC, d.srcIP, d.sport, d.dstMAC, d.dstIP, d.dport, b)
	}
	return fs
}

// rpcFrames is d's datagrams as NFS's over UDP are (RFC 5531 9): ONC RPC
// calls to NFS's program where d goes to nfsPort, replies where it comes
// from it, each with its own xid.
func (d rvDir) rpcFrames(t *testing.T) [][]byte {
	fs := make([][]byte, len(d.sizes))
	for i, s := range d.sizes {
		b := make([]byte, max(s, 24))
		binary.BigEndian.PutUint32(b, uint32(0x5eed0000+i))
		if d.dport == nfsPort {
			binary.BigEndian.PutUint32(b[8:], 2)
			binary.BigEndian.PutUint32(b[12:], nfsProgram)
			binary.BigEndian.PutUint32(b[16:], 3)
		} else {
			binary.BigEndian.PutUint32(b[4:], 1)
		}
		fs[i] = udpFrame(t, d.srcMAC, d.srcIP, d.sport, d.dstMAC, d.dstIP, d.dport, b)
	}
	return fs
}

// rvStream plays a at rate a second for secs, and b once for every `every`
// datagrams of a (right after it), after a learned baseline; the floods.
func rvStream(t *testing.T, a, b rvDir, rate, every, secs int) []inventory.Event {
	return rvStreamFrames(t, a.frames(t), b.frames(t), rate, every, secs)
}

// rvStreamFrames is rvStream of the frames fa and fb.
func rvStreamFrames(t *testing.T, fa, fb [][]byte, rate, every, secs int) []inventory.Event {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	nb := 0
	for i := range secs * rate {
		at = at.Add(time.Second / time.Duration(rate))
		r.feed(at, fa[i%len(fa)])
		if every > 0 && i%every == 0 {
			r.feed(at, fb[nb%len(fb)])
			nb++
		}
	}
	return r.of(inventory.EventFlood)
}

func floodList(evs []inventory.Event) string {
	s := ""
	for _, ev := range evs {
		s += fmt.Sprintf("\n  %s (culprit %s %s)", ev.Summary, ev.IP, ev.MAC)
	}
	return s
}

// TestUDPTwoWayAtFloodRate: tunnels, TFTP and NFS at 6,000 datagrams a
// second each way are two-way, whatever their frame sizes (issue 1).
func TestUDPTwoWayAtFloodRate(t *testing.T) {
	heavyUnderRace(t)
	const inet = "198.51.100.7"
	tunnel := func(port uint16, peerMAC net.HardwareAddr, peer string) (rvDir, rvDir) {
		return rvDir{pcMAC, peerMAC, "10.0.0.10", peer, port, port, []int{1420, 80}},
			rvDir{peerMAC, pcMAC, peer, "10.0.0.10", port, port, []int{1420, 80}}
	}
	type tc struct {
		name string
		a, b rvDir
	}
	cases := []tc{
		{"tftp 512-byte blocks lock-step", rvDir{nasMAC, pcMAC, "10.0.0.30", "10.0.0.10", 50001, 40000, []int{516}},
			rvDir{pcMAC, nasMAC, "10.0.0.10", "10.0.0.30", 40000, 50001, []int{4}}},
		{"nfs over udp getattr storm", rvDir{pcMAC, nasMAC, "10.0.0.10", "10.0.0.30", 800, 2049, []int{140}},
			rvDir{nasMAC, pcMAC, "10.0.0.30", "10.0.0.10", 2049, 800, []int{120}}},
	}
	for _, p := range []struct {
		name string
		port uint16
	}{{"wireguard", 51820}, {"ipsec nat-t", 4500}, {"openvpn", 1194}} {
		a, b := tunnel(p.port, gwMAC, inet)
		cases = append(cases, tc{p.name + " internet", a, b})
		a, b = tunnel(p.port, nasMAC, "10.0.0.30")
		cases = append(cases, tc{p.name + " lan", a, b})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fa, fb := c.a.frames(t), c.b.frames(t)
			if c.a.dport == nfsPort {
				fa, fb = c.a.rpcFrames(t), c.b.rpcFrames(t)
			}
			if evs := rvStreamFrames(t, fa, fb, 6000, 1, 10); len(evs) != 0 {
				t.Fatalf("%d floods, want none:%s", len(evs), floodList(evs))
			}
		})
	}
}

// TestUDPInboundFloodAnsweredNamesNoVictim: a flood from the internet
// through the gateway at the NAS's DNS or echo service, answered datagram
// for datagram, names no LAN host (issue 2).
func TestUDPInboundFloodAnsweredNamesNoVictim(t *testing.T) {
	heavyUnderRace(t)
	for _, port := range []uint16{53, 7} {
		t.Run(fmt.Sprint(port), func(t *testing.T) {
			evs := rvStream(t, rvDir{gwMAC, nasMAC, "203.0.113.9", "10.0.0.30", 4444, port, []int{20}},
				rvDir{nasMAC, gwMAC, "10.0.0.30", "203.0.113.9", port, 4444, []int{20}}, 10000, 1, 10)
			if port == 7 { // the source port the service's own: the answers come back to it
				evs = rvStream(t, rvDir{gwMAC, nasMAC, "203.0.113.9", "10.0.0.30", 7, 7, []int{20}},
					rvDir{nasMAC, gwMAC, "10.0.0.30", "203.0.113.9", 7, 7, []int{20}}, 10000, 1, 10)
			}
			for _, ev := range evs {
				if ev.IP.String() == "10.0.0.30" || ev.MAC.String() == nasMAC.String() {
					t.Fatalf("the victim named:%s", floodList(evs))
				}
			}
		})
	}
}

// TestUDPNFSReadReservedPort: a NAS's NFS read replies toward a Linux
// client's reserved source port (800) are a transfer, as toward 40000
// (issue 3).
func TestUDPNFSReadReservedPort(t *testing.T) {
	heavyUnderRace(t)
	for _, cport := range []uint16{800, 40000} {
		call, reply := rvDir{pcMAC, nasMAC, "10.0.0.10", "10.0.0.30", cport, 2049, []int{140}},
			rvDir{nasMAC, pcMAC, "10.0.0.30", "10.0.0.10", 2049, cport, []int{1450}}
		evs := rvStreamFrames(t, call.rpcFrames(t), reply.rpcFrames(t), 6000, 1, 10)
		if len(evs) != 0 {
			t.Fatalf("client port %d: %d floods, want none:%s", cport, len(evs), floodList(evs))
		}
	}
}

// TestUDPEchoServiceFloodStillRaised: a flood at an echo service that
// answers every datagram is raised, naming the attacker alone, small
// frames or full, whichever of the two a capture shows first.
func TestUDPEchoServiceFloodStillRaised(t *testing.T) {
	heavyUnderRace(t)
	for _, sz := range []int{18, 1400} {
		req := rvDir{evilMAC, nasMAC, "10.0.0.66", "10.0.0.30", 4000, 7, []int{sz}}
		rep := rvDir{nasMAC, evilMAC, "10.0.0.30", "10.0.0.66", 7, 4000, []int{sz}}
		evs := rvStream(t, req, rep, 10000, 1, 10)
		if len(evs) != 1 || evs[0].IP.String() != "10.0.0.66" {
			t.Fatalf("%d bytes: want one flood by 10.0.0.66:%s", sz, floodList(evs))
		}
	}
}

// TestUDPDecoyAnswersExemptNothing: a 3-second decoy forged from the NAS's
// address toward the attacker, then a 20-second flood of the NAS from the
// attacker's own address: the decoy is no earlier flood the NAS's
// "answers" belong to, and the flood is raised (issue 5).
func TestUDPDecoyAnswersExemptNothing(t *testing.T) {
	heavyUnderRace(t)
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	fake := udpFrame(t, evilMAC, "10.0.0.30", 7, evilMAC, "10.0.0.66", 9999, make([]byte, 18))
	keep := udpFrame(t, gwMAC, "10.0.0.1", 53, evilMAC, "10.0.0.66", 33333, make([]byte, 60))
	flood := udpFrame(t, evilMAC, "10.0.0.66", 4000, nasMAC, "10.0.0.30", 9, make([]byte, 18))
	r.feed(at, arpFrame(t, 2, evilMAC, "10.0.0.66", gwMAC, "10.0.0.1"))
	for range 3 * 8000 {
		at = at.Add(time.Second / 8000)
		r.feed(at, fake)
	}
	at = at.Add(5 * time.Second)
	for i := range 20 * 10000 {
		at = at.Add(time.Second / 10000)
		r.feed(at, flood)
		if i%250 == 0 {
			r.feed(at, keep)
		}
	}
	evs := r.of(inventory.EventFlood)
	for _, ev := range evs {
		if ev.IP.String() == "10.0.0.66" && ev.TargetIP.String() == "10.0.0.30" {
			return
		}
	}
	t.Fatalf("the flood of the NAS was not raised:%s", floodList(evs))
}

// TestStarvationProbesForOtherAddressesNoAlibi: 300 forged DISCOVERs, then
// one ARP probe from each forged MAC for the gateway's address (no lease of
// theirs) is starvation still; the same clients probing the address they
// asked for are a boot storm (issue 6).
func TestStarvationProbesForOtherAddressesNoAlibi(t *testing.T) {
	for _, evade := range []bool{false, true} {
		r := newRig(t, Config{})
		for i := range 300 {
			m := ownMAC(1000 + i)
			r.feed(t0.Add(2*time.Second+time.Duration(i)*10*time.Millisecond), dhcpDiscover(t, m, m, uint32(i)))
		}
		if evade {
			for i := range 300 {
				m := ownMAC(1000 + i)
				r.feed(t0.Add(6*time.Second+time.Duration(i)*time.Millisecond), arpFrame(t, 1, m, "0.0.0.0", nil, "10.0.0.1"))
			}
		}
		r.baseline(t0.Add(10*time.Second), 3*time.Minute)
		if n := starvations(r); n != 1 {
			t.Fatalf("evade %v: %d dhcp_starvation events, want 1", evade, n)
		}
	}
}

// TestUDPFanInServedDespiteFloodElsewhere: a resolver answering 200
// client flows at 500 queries a second is served while a random-port
// flood at 50,000 a second toward the gateway takes over the shared pair
// table; only the flood is raised, no second one naming the client
// (issue 4).
func TestUDPFanInServedDespiteFloodElsewhere(t *testing.T) {
	heavyUnderRace(t)
	r := resolverBesideFlood(t, 100, 30000, 200, 50)
	evs := r.of(inventory.EventFlood)
	for _, ev := range evs {
		if ev.TargetIP.String() == "10.0.0.30" || ev.IP.String() == "10.0.0.11" {
			t.Fatalf("the resolver's clients raised:%s", floodList(evs))
		}
	}
	if len(evs) == 0 {
		t.Fatalf("the flood toward the gateway was not raised")
	}
}

// resolverBesideFlood feeds 10 s of a random-port flood at 50,000 a second
// toward the gateway while a client asks the resolver at 10.0.0.30 once
// every `every` datagrams of it, from `flows` source ports counting from
// `port`, each question answered once `lag` more are waiting (the
// forwarder's latency, in which the flood takes the pair's slot over).
func resolverBesideFlood(t *testing.T, every, port, flows, lag int) *rig {
	t.Helper()
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	cli := hw("3c:52:82:00:00:11")
	var pend []uint16
	for i := range 10 * 50000 {
		at = at.Add(time.Second / 50000)
		r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", uint16(1024+(i*7919)%60000), gwMAC, "10.0.0.1", uint16(1+(i*104729)%65000), make([]byte, 18)))
		if i%every == 0 {
			sp := uint16(port + (i/every)%flows)
			r.feed(at, udpFrame(t, cli, "10.0.0.11", sp, nasMAC, "10.0.0.30", 53, make([]byte, 40)))
			pend = append(pend, sp)
		}
		if i%every == every/2 && len(pend) > lag {
			r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 53, cli, "10.0.0.11", pend[0], make([]byte, 90)))
			pend = pend[1:]
		}
	}
	return r
}

// TestUDPServicePortFloodRaised: a one-flow flood at a request/response
// service that answers every datagram (a KRB-ERROR, an IKE notify, a TFTP
// error, a SIP 400) is raised, naming the attacker, whether the service's
// port is a system port or one of the list above 1024 (review 18b, issue 1).
func TestUDPServicePortFloodRaised(t *testing.T) {
	heavyUnderRace(t)
	for _, port := range []uint16{88, 500, 69, 520, 427, 623, 5060, 1812, 3478, 5683, 53} {
		t.Run(fmt.Sprint(port), func(t *testing.T) {
			req := rvDir{evilMAC, nasMAC, "10.0.0.66", "10.0.0.30", 40000, port, []int{40}}
			rep := rvDir{nasMAC, evilMAC, "10.0.0.30", "10.0.0.66", port, 40000, []int{60}}
			evs := rvStream(t, req, rep, 10000, 1, 10)
			if len(evs) != 1 || evs[0].IP.String() != "10.0.0.66" {
				t.Fatalf("want one flood by 10.0.0.66:%s", floodList(evs))
			}
		})
	}
}

// seenFlows is the flows all tracked targets' sets hold (noteFlow).
func seenFlows(e *Engine) int {
	n := 0
	for _, f := range e.floodsTo {
		n += len(f.seen)
	}
	return n
}

// TestUDPFlowSetsFreedAndBounded: a raised flood's set of flows is freed,
// and 24 served fan-ins of 4,500 flows each hold no more than
// udpSeenBudget flows together (review 18b, issue 2).
func TestUDPFlowSetsFreedAndBounded(t *testing.T) {
	heavyUnderRace(t)
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	for i := range 50000 {
		at = at.Add(time.Second / 50000)
		r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", uint16(1024+(i*7919)%60000), gwMAC, "10.0.0.1", uint16(1+(i*104729)%65000), make([]byte, 18)))
	}
	if f := r.e.floodsTo[newFloodKey(netip.MustParseAddr("10.0.0.1"), fUDP)]; f == nil || !f.reported || f.seen != nil {
		t.Fatalf("the raised flood's flows are still kept (%d)", seenFlows(r.e))
	}
	r = newRig(t, Config{Learning: time.Minute})
	at = r.baseline(t0, 2*time.Minute)
	cli := hw("3c:52:82:00:00:11")
	for i := range 4500 {
		for s := range 24 {
			srv := fmt.Sprintf("10.0.1.%d", 10+s)
			at = at.Add(time.Second / 30000)
			r.feed(at, udpFrame(t, cli, "10.0.0.11", uint16(20000+i), nasMAC, srv, 53, make([]byte, 40)))
			r.feed(at, udpFrame(t, nasMAC, srv, 53, cli, "10.0.0.11", uint16(20000+i), make([]byte, 90)))
		}
	}
	if n := seenFlows(r.e); n > 65_536 || n != r.e.udpSeen {
		t.Fatalf("%d flows kept (counted %d), want at most 65,536", n, r.e.udpSeen)
	}
}

// TestUDPFanInServedPastFlowCap: a resolver answering 41,000 client flows
// in a window (past udpSeenMax) at 4,166 queries a second, while a flood
// elsewhere takes over the shared pair table, is served: judged on the
// datagrams of the flows kept (review 18b, issue 3).
func TestUDPFanInServedPastFlowCap(t *testing.T) {
	heavyUnderRace(t)
	r := resolverBesideFlood(t, 12, 10000, 50000, 400)
	for _, ev := range r.of(inventory.EventFlood) {
		if ev.TargetIP.String() == "10.0.0.30" || ev.IP.String() == "10.0.0.11" {
			t.Fatalf("the resolver's clients raised: %s", ev.Summary)
		}
	}
}

// TestStarvationProbeOfOwnRequestNoAlibi: 300 forged clients, each asking
// for an address in its REQUEST (option 50) and then ARP-probing it (three
// probes, as RFC 5227 does), with
// no server's OFFER or ACK seen, are starvation: the address was the
// tool's own word. The same clients probing the address a server's OFFER
// named are a boot storm (review 18b, issue 4).
func TestStarvationProbeOfOwnRequestNoAlibi(t *testing.T) {
	for _, offered := range []bool{false, true} {
		r := newRig(t, Config{})
		for i := range 300 {
			m, at := ownMAC(1000+i), t0.Add(2*time.Second+time.Duration(i)*10*time.Millisecond)
			ip := fmt.Sprintf("10.0.%d.%d", 1+i/200, 10+i%200)
			r.feed(at, dhcpDiscover(t, m, m, uint32(i)))
			if offered {
				r.feed(at.Add(time.Millisecond), dhcpReply(t, gwMAC, "10.0.0.1", m, ip, "10.0.0.1", 2))
			}
			r.feed(at.Add(2*time.Millisecond), dhcpRequestFor(t, m, ip, uint32(i)))
			for _, d := range []time.Duration{time.Second, 2500 * time.Millisecond, 4 * time.Second} { // RFC 5227's three probes
				r.feed(at.Add(d), arpFrame(t, 1, m, "0.0.0.0", nil, ip))
			}
		}
		r.baseline(t0.Add(10*time.Second), 3*time.Minute)
		want := 1
		if offered {
			want = 0
		}
		if n := starvations(r); n != want {
			t.Fatalf("offered %v: %d dhcp_starvation events, want %d", offered, n, want)
		}
	}
}

// TestUDPFloodFromNFSPortAtService: a flood sent from port 2049 at the
// NAS's DNS or echo service, answered datagram for datagram, is raised:
// NFS's port exempts only an NFS client's calls from its reserved ports
// (nfsCall), which a NAS's read replies still are (TestUDPNFSReadReservedPort).
func TestUDPFloodFromNFSPortAtService(t *testing.T) {
	heavyUnderRace(t)
	for _, port := range []uint16{53, 7, 123} {
		evs := rvStream(t, rvDir{evilMAC, nasMAC, "10.0.0.66", "10.0.0.30", nfsPort, port, []int{40}},
			rvDir{nasMAC, evilMAC, "10.0.0.30", "10.0.0.66", port, nfsPort, []int{40}}, 10000, 1, 10)
		if len(evs) != 1 || evs[0].IP.String() != "10.0.0.66" {
			t.Fatalf("port %d: want one flood by 10.0.0.66:%s", port, floodList(evs))
		}
	}
}

// TestUDPFloodAtResolverPastBusyServers: ten busy resolvers answering
// 8,192 client flows each in a window (more than udpSeenBudget together),
// then a random-port flood at 3,000 a second at an eleventh resolver that
// answered its own 50 clients before: the flood is raised. Answered flows
// leave the budget (takeFlow); kept, they left no room for the flood's,
// and the resolver was judged on its clients' flows alone, served.
func TestUDPFloodAtResolverPastBusyServers(t *testing.T) {
	heavyUnderRace(t)
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute).Truncate(floodWindow).Add(floodWindow)
	cli := hw("3c:52:82:00:00:11")
	ask := func(srv string, port uint16) {
		r.feed(at, udpFrame(t, cli, "10.0.0.11", port, nasMAC, srv, 53, make([]byte, 40)))
		r.feed(at, udpFrame(t, nasMAC, srv, 53, cli, "10.0.0.11", port, make([]byte, 90)))
	}
	for i := range 3000 { // the resolver's own clients, past the gate
		at = at.Add(time.Second / 3000)
		ask("10.0.0.30", uint16(30000+i%50))
	}
	for i := range 8192 {
		for s := range 10 {
			at = at.Add(time.Second / 40000)
			ask(fmt.Sprintf("10.0.1.%d", 10+s), uint16(20000+i))
		}
	}
	for i := range 5 * 3000 {
		at = at.Add(time.Second / 3000)
		r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", uint16(1024+(i*7919)%60000), nasMAC, "10.0.0.30", uint16(1+(i*104729)%65000), make([]byte, 18)))
		if i%30 == 0 {
			ask("10.0.0.30", uint16(30000+i%50))
		}
	}
	evs := r.of(inventory.EventFlood)
	for _, ev := range evs {
		if ev.TargetIP.String() == "10.0.0.30" {
			return
		}
	}
	t.Fatalf("the flood at the resolver was not raised (%d flows kept):%s", r.e.udpSeen, floodList(evs))
}
