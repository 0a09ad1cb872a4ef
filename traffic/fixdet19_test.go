package traffic

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"tend/inventory"
)

// laggedEcho feeds a single-flow stream of rate datagrams a second for
// secs seconds from the PC to the NAS's port 9999, of size bytes each
// (random bytes where random, else zeros), and answers each by the NAS
// lag datagrams later: its echo where echo, else different random bytes
// of the same size (a QUIC peer's or a tunnel's far end's). It returns the
// floods raised.
func laggedEcho(t *testing.T, rate, secs, lag, size int, random, echo bool) []inventory.Event {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	return laggedEchoAfter(t, r, at, rate, secs, lag, size, random, echo)
}

// laggedEchoAfter is laggedEcho on the rig r from at.
func laggedEchoAfter(t *testing.T, r *rig, at time.Time, rate, secs, lag, size int, random, echo bool) []inventory.Event {
	rng := rand.New(rand.NewPCG(1, 2))
	fill := func(b []byte) {
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
	}
	var pend [][]byte
	for range rate * secs {
		at = at.Add(time.Second / time.Duration(rate))
		b := make([]byte, size)
		if random {
			fill(b)
		}
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", 9999, b))
		pend = append(pend, b)
		for len(pend) > lag {
			back := pend[0]
			if !echo {
				back = make([]byte, size)
				fill(back)
			}
			r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 9999, pcMAC, "10.0.0.10", 40000, back))
			pend = pend[1:]
		}
	}
	return r.of(inventory.EventFlood)
}

// TestUDPEchoLagging: a flood of varying payload at an echo responder
// whose echoes come 1 to 2,000 datagrams behind is raised (echoRing): an
// echo is the stream's own datagram whenever it comes. A two-way stream
// of different random bytes each way (QUIC, a tunnel) at the same rate
// stays quiet.
func TestUDPEchoLagging(t *testing.T) {
	heavyUnderRace(t)
	for _, c := range []struct{ lag, size int }{{1, 40}, {2, 40}, {100, 40}, {2000, 40}, {1, 1400}, {2000, 1400}} {
		if evs := laggedEcho(t, 20000, 6, c.lag, c.size, true, true); len(evs) != 1 || evs[0].IP.String() != "10.0.0.10" {
			t.Errorf("echo %d behind, %d bytes: want one flood by 10.0.0.10:%s", c.lag, c.size, floodList(evs))
		}
	}
	for _, size := range []int{40, 1400} {
		if evs := laggedEcho(t, 20000, 6, 2, size, true, false); len(evs) != 0 {
			t.Errorf("two-way random bytes, %d bytes: %d floods, want none:%s", size, len(evs), floodList(evs))
		}
	}
}

// TestUDPFloodFromNFSPortAtReservedService: a flood sent from port 2049
// at a service on a port NFS clients bind (600 to 1023: IPMI's RMCP 623,
// 664, DNS over TLS/QUIC 853), answered datagram for datagram by the
// service, is raised, its datagrams empty or shaped as ONC RPC replies:
// the answers are no NFS calls (nfsCall wants RPC on the wire).
func TestUDPFloodFromNFSPortAtReservedService(t *testing.T) {
	heavyUnderRace(t)
	for _, port := range []uint16{623, 664, 853} {
		flood := rvDir{evilMAC, nasMAC, "10.0.0.66", "10.0.0.30", nfsPort, port, []int{40}}
		answer := rvDir{nasMAC, evilMAC, "10.0.0.30", "10.0.0.66", port, nfsPort, []int{40}}
		for _, rpc := range []bool{false, true} {
			fa := flood.frames(t)
			if rpc {
				fa = flood.rpcFrames(t)
			}
			if evs := rvStreamFrames(t, fa, answer.frames(t), 10000, 1, 10); len(evs) != 1 || evs[0].IP.String() != "10.0.0.66" {
				t.Errorf("port %d, rpc-shaped %v: want one flood by 10.0.0.66:%s", port, rpc, floodList(evs))
			}
		}
	}
}

// TestUDPFloodAtResolverPastDecoys: unanswered random-port datagrams from
// the attacker toward 50 internet addresses, 1,900 each (below a flood's
// count, never judged), fill udpSeenBudget; then a random-port flood at
// 3,000 a second at a resolver that answers its own clients: raised, as
// without the decoys. The flood's flows the budget refused are unanswered
// (noteFlow), not left out of the resolver's count.
func TestUDPFloodAtResolverPastDecoys(t *testing.T) {
	heavyUnderRace(t)
	for _, decoys := range []int{0, 50} {
		r := newRig(t, Config{Learning: time.Minute})
		at := r.baseline(t0, 2*time.Minute).Truncate(floodWindow).Add(floodWindow)
		cli := hw("3c:52:82:00:00:11")
		ask := func(port uint16) {
			r.feed(at, udpFrame(t, cli, "10.0.0.11", port, nasMAC, "10.0.0.30", 53, make([]byte, 40)))
			r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 53, cli, "10.0.0.11", port, make([]byte, 90)))
		}
		for i := range 3000 { // the resolver's own clients, past the gate
			at = at.Add(time.Second / 3000)
			ask(uint16(30000 + i%50))
		}
		for i := range 1900 {
			for d := range decoys {
				at = at.Add(time.Second / 32000)
				r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", uint16(1024+i), gwMAC, fmt.Sprintf("93.184.%d.%d", d/200, 1+d%200), 53, make([]byte, 30)))
			}
		}
		for i := range 17000 {
			at = at.Add(time.Second / 3000)
			r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", uint16(1024+(i*7919)%60000), nasMAC, "10.0.0.30", uint16(1+(i*104729)%65000), make([]byte, 18)))
			if i%30 == 0 {
				ask(uint16(30000 + i%50))
			}
		}
		n := 0
		for _, ev := range r.of(inventory.EventFlood) {
			if ev.TargetIP.String() == "10.0.0.30" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d decoys: %d floods at the resolver, want 1 (udpSeen %d):%s", decoys, n, r.e.udpSeen, floodList(r.of(inventory.EventFlood)))
		}
	}
}

// TestUDPSmallFloodAnsweredByService: a flood of small datagrams from one
// socket at 1,000 to 4,000 a second (udpSmallRate to udpOneWayRate) at a
// DNS, NTP or echo service answering each, or at an echo responder on a
// port of its own echoing random payloads a few datagrams behind, is
// raised: neither a service's answers nor echoes make it two-way
// (answered). The lagged echo is raised within its first window since
// unechoed (TestUDPEchoLaggingFirstWindow); 25 s here. The same stream answered once in 40 by the receiver's own
// bytes on a port of no service stays quiet (TestOneFlowUDPFlood).
func TestUDPSmallFloodAnsweredByService(t *testing.T) {
	heavyUnderRace(t)
	for _, port := range []uint16{53, 123, 7} {
		for _, rate := range []int{1000, 4000} {
			flood := rvDir{evilMAC, nasMAC, "10.0.0.66", "10.0.0.30", 40000, port, []int{40}}
			answer := rvDir{nasMAC, evilMAC, "10.0.0.30", "10.0.0.66", port, 40000, []int{60}}
			if evs := rvStream(t, flood, answer, rate, 1, 10); len(evs) != 1 || evs[0].IP.String() != "10.0.0.66" {
				t.Errorf("port %d, %d/s: want one flood by 10.0.0.66:%s", port, rate, floodList(evs))
			}
		}
	}
	for _, rate := range []int{1000, 4000} {
		if evs := laggedEcho(t, rate, 25, 3, 40, true, true); len(evs) != 1 || evs[0].IP.String() != "10.0.0.10" {
			t.Errorf("echo at %d/s: want one flood by 10.0.0.10:%s", rate, floodList(evs))
		}
	}
}

// TestUDPEchoRingsPastDecoys: datagrams from random ports toward 80
// internet addresses, 700 each (past the gate, below a flood's count),
// hold every echo ring; then a flood of random payloads at an echo
// responder echoing 2 behind is raised all the same: it takes the ring of
// the decoy with the fewest datagrams (takeEcho).
func TestUDPEchoRingsPastDecoys(t *testing.T) {
	heavyUnderRace(t)
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute).Truncate(floodWindow).Add(floodWindow)
	for i := range 700 {
		for d := range 80 {
			at = at.Add(time.Second / 100000)
			r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", uint16(1024+i), gwMAC, fmt.Sprintf("93.184.0.%d", 1+d), 53, make([]byte, 30)))
		}
	}
	if evs := laggedEchoAfter(t, r, at, 20000, 4, 2, 40, true, true); len(evs) != 1 || evs[0].IP.String() != "10.0.0.10" {
		t.Fatalf("want one flood by 10.0.0.10:%s", floodList(evs))
	}
}
