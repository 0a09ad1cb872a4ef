package traffic

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// Session 20's detection fixes (issue 14): a DNS forwarder's one-socket
// stream is no flood, the DNS-shaped floods still are.

// dnsMsg is a DNS message (RFC 1035 4.1.1) with the transaction ID id and
// the one question name/A/IN; a response (flags' QR set, rcode) carries
// one A record pointing back at the question's name.
func dnsMsg(id uint16, name string, response bool, rcode byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, id)
	flags := uint16(0x0100) // RD
	if response {
		flags |= 0x8080 | uint16(rcode) // QR, RA
	}
	b = binary.BigEndian.AppendUint16(b, flags)
	an := uint16(0)
	if response && rcode == 0 {
		an = 1
	}
	b = append(b, 0, 1, byte(an>>8), byte(an), 0, 0, 0, 0)
	for _, l := range splitLabels(name) {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	b = append(b, 0, 0, 1, 0, 1)
	if an == 1 {
		b = append(b, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, byte(id))
	}
	return b
}

func splitLabels(name string) []string {
	var ls []string
	start := 0
	for i := 0; i <= len(name); i++ {
		if i == len(name) || name[i] == '.' {
			ls = append(ls, name[start:i])
			start = i + 1
		}
	}
	return ls
}

// dnsShape is how a stream of DNS-shaped datagrams toward the NAS's port
// 53 is made and answered.
type dnsShape struct {
	query  func(i int, rng *rand.Rand) []byte // the i-th datagram's payload
	answer func(q []byte) []byte              // the answer to q (nil: none)
	toMAC  netHW                              // where the answers go: the stream's source MAC unless set
	ports  int                                // source ports, taken in turn (one unless set)
	forged func(q []byte) []byte              // a second answer to q under the server's address and MAC, sent first (nil: none)
}

// dnsStream feeds the PC's stream from one socket (port 40000; or
// shape.ports from 40000 on, in turn) to the NAS's port 53 at rate
// datagrams a second for secs seconds, each answered lag datagrams later
// as shape says, after a learned baseline; the floods.
func dnsStream(t *testing.T, rate, secs, lag int, shape dnsShape) []inventory.Event {
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	rng := rand.New(rand.NewPCG(7, 20))
	to := shape.toMAC
	if to == nil {
		to = pcMAC
	}
	type sentQ struct {
		b    []byte
		port uint16
	}
	var pend []sentQ
	for i := range rate * secs {
		at = at.Add(time.Second / time.Duration(rate))
		q, port := shape.query(i, rng), uint16(40000+i%max(shape.ports, 1))
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", port, nasMAC, "10.0.0.30", dnsPort, q))
		pend = append(pend, sentQ{q, port})
		for len(pend) > lag {
			for _, answer := range []func([]byte) []byte{shape.forged, shape.answer} {
				if answer == nil {
					continue
				}
				if a := answer(pend[0].b); a != nil {
					r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", dnsPort, to, "10.0.0.10", pend[0].port, a))
				}
			}
			pend = pend[1:]
		}
	}
	return r.of(inventory.EventFlood)
}

// forwarded is a forwarder's query: its cache's miss, a random ID and a
// name not asked lately, or one time in five one of 50 names asked again
// (a record with a short TTL, clients asking at once).
func forwarded(i int, rng *rand.Rand) []byte {
	name := fmt.Sprintf("host%d.Example.com", rng.IntN(1<<24))
	if rng.IntN(5) == 0 {
		name = fmt.Sprintf("popular%d.example.com", rng.IntN(50))
	}
	return dnsMsg(uint16(rng.Uint32()), name, false, 0)
}

// reply answers q as a resolver does: its ID and question, QR, rcode.
func reply(rcode byte) func(q []byte) []byte {
	return func(q []byte) []byte {
		id := binary.BigEndian.Uint16(q)
		i, name := dnsHeader, ""
		for q[i] != 0 {
			if name != "" {
				name += "."
			}
			name += string(q[i+1 : i+1+int(q[i])])
			i += 1 + int(q[i])
		}
		return dnsMsg(id, name, true, rcode)
	}
}

// TestDNSForwarderNoFlood: a DNS forwarder sending a LAN server 700 to
// 4,000 queries a second from one socket (or three in turn), each answered
// NOERROR (one in five NXDOMAIN) a few queries later, stays quiet
// (resolved: replies flow by flow); the same
// rates of DNS-shaped floods stay raised: answered FORMERR, REFUSED or
// SERVFAIL, unanswered, echoed, one query sent again and again and
// answered, garbage answered with responses to other questions, replies
// sent to another MAC than the stream's (a forged source), and a
// forwarder's stream at udpOneWayRate.
func TestDNSForwarderNoFlood(t *testing.T) {
	heavyUnderRace(t)
	mixed := func(q []byte) []byte {
		if q[1]%5 == 0 {
			return reply(dnsNXDomain)(q)
		}
		return reply(0)(q)
	}
	for _, rate := range []int{700, 1000, 4000} {
		for _, ports := range []int{1, 3} {
			if evs := dnsStream(t, rate, 12, 3, dnsShape{query: forwarded, answer: mixed, ports: ports}); len(evs) != 0 {
				t.Errorf("forwarder at %d/s from %d port(s): %d floods, want none:%s", rate, ports, len(evs), floodList(evs))
			}
		}
	}
	same := dnsMsg(0x1234, "www.example.com", false, 0)
	floods := []struct {
		name  string
		shape dnsShape
	}{
		{"FORMERR", dnsShape{query: forwarded, answer: reply(1)}},
		{"SERVFAIL", dnsShape{query: forwarded, answer: reply(2)}},
		{"REFUSED", dnsShape{query: forwarded, answer: reply(5)}},
		{"unanswered", dnsShape{query: forwarded, answer: func([]byte) []byte { return nil }}},
		{"echoed", dnsShape{query: forwarded, answer: func(q []byte) []byte { return q }}},
		{"one query repeated", dnsShape{query: func(int, *rand.Rand) []byte { return same }, answer: reply(0)}},
		{"garbage answered", dnsShape{query: func(i int, rng *rand.Rand) []byte {
			b := make([]byte, 40)
			for j := range b {
				b[j] = byte(rng.Uint32())
			}
			return b
		}, answer: func(q []byte) []byte { return dnsMsg(binary.BigEndian.Uint16(q), "www.example.com", true, 0) }}},
		{"replies to another MAC", dnsShape{query: forwarded, answer: reply(0), toMAC: evilMAC}},
		{"one name under a new ID each time", dnsShape{query: func(i int, _ *rand.Rand) []byte {
			return dnsMsg(uint16(i*7919+1), "www.example.com", false, 0)
		}, answer: reply(0)}},
		{"ten names in turn", dnsShape{query: func(i int, rng *rand.Rand) []byte {
			return dnsMsg(uint16(rng.Uint32()), fmt.Sprintf("n%d.example.com", i%10), false, 0)
		}, answer: reply(0)}},
		{"one in twenty answered, the rest REFUSED", dnsShape{query: forwarded, answer: func(q []byte) []byte {
			if q[1]%20 == 0 {
				return reply(0)(q)
			}
			return reply(5)(q)
		}}},
	}
	for _, rate := range []int{1000, 4000} {
		for _, fl := range floods {
			if evs := dnsStream(t, rate, 12, 3, fl.shape); floodsBy(evs, "10.0.0.10") != 1 {
				t.Errorf("%s at %d/s: want one flood by 10.0.0.10:%s", fl.name, rate, floodList(evs))
			}
		}
	}
	if evs := dnsStream(t, 6000, 3, 3, dnsShape{query: forwarded, answer: reply(0)}); len(evs) != 1 {
		t.Errorf("forwarder's shape at 6,000/s: want one flood:%s", floodList(evs))
	}
}

// floodsBy is how many of evs name ip as the culprit (the server's
// replies to a forged source's MAC are a flood of their own).
func floodsBy(evs []inventory.Event, ip string) int {
	n := 0
	for _, ev := range evs {
		if ev.IP.String() == ip {
			n++
		}
	}
	return n
}

// TestDNSKey: a query and the response to it share a key whatever the
// name's case (RFC 4343); responses that a resolver does not take, other
// opcodes, two questions and compressed or truncated names have none.
func TestDNSKey(t *testing.T) {
	q := dnsMsg(0xbeef, "Mail.Example.COM", false, 0)
	kq, ok := dnsKey(q, true)
	if !ok {
		t.Fatal("query: no key")
	}
	for _, rc := range []byte{0, dnsNXDomain} {
		if k, ok := dnsKey(dnsMsg(0xbeef, "mail.example.com", true, rc), false); !ok || k != kq {
			t.Errorf("response rcode %d: key %x %v, want the query's %x", rc, k, ok, kq)
		}
	}
	other := map[string][]byte{
		"another ID":       dnsMsg(0xbeee, "mail.example.com", true, 0),
		"another name":     dnsMsg(0xbeef, "mail.example.org", true, 0),
		"another type":     append(dnsMsg(0xbeef, "mail.example.com", false, 0)[:len(q)-3], 28, 0, 1),
		"a longer name":    dnsMsg(0xbeef, "mail.example.com.au", true, 0),
		"the query itself": q,
	}
	for name, b := range other {
		if k, ok := dnsKey(b, false); ok && k == kq {
			t.Errorf("%s: the query's key", name)
		}
	}
	bad := map[string][]byte{
		"FORMERR":         dnsMsg(0xbeef, "mail.example.com", true, 1),
		"REFUSED":         dnsMsg(0xbeef, "mail.example.com", true, 5),
		"two questions":   append(append([]byte{}, q[:5]...), append([]byte{2}, q[6:]...)...),
		"compressed name": append(append([]byte{}, q[:12]...), 0xc0, 12, 0, 1, 0, 1),
		"truncated":       q[:len(q)-2],
		"opcode NOTIFY":   append(append([]byte{}, q[:2]...), append([]byte{q[2] | 4<<3}, q[3:]...)...),
	}
	for name, b := range bad {
		if _, ok := dnsKey(b, false); ok {
			t.Errorf("%s as a response: a key", name)
		}
		if _, ok := dnsKey(b, true); ok {
			t.Errorf("%s as a query: a key", name)
		}
	}
	if _, ok := dnsKey(dnsMsg(0xbeef, "mail.example.com", true, 0), true); ok {
		t.Error("a response as a query: a key")
	}
}

// TestWallStepStarvation: the starvation count and its boot-storm verdict
// run on the engine's clock: 300 forged DISCOVERs straddling a wall-clock
// step are one starvation counted over their 2.99 s, and a storm of 60 real
// clients using their leases straddling a step is settled quiet a minute
// later (starveSettle), neither early nor an hour late.
func TestWallStepStarvation(t *testing.T) {
	for _, step := range steps {
		r, at := liveRig(t, Config{}, 0)
		for i := range 300 {
			if i == 150 {
				at = stepWall(at, step)
			}
			m := ownMAC(1000 + i)
			r.feed(at, dhcpDiscover(t, m, m, uint32(i)))
			at = at.Add(10 * time.Millisecond)
		}
		if evs := r.of(inventory.EventDHCPStarvation); len(evs) != 1 || !strings.Contains(evs[0].Evidence[0].Detail, "in 2.99s") {
			t.Errorf("step %v: forged: %+v, want one counted in 2.99s", step, evs)
		}
		r, at = liveRig(t, Config{}, 0)
		for i := range 60 {
			if i == 30 {
				at = stepWall(at, step)
			}
			m, ip := ownMAC(i), fmt.Sprintf("10.0.1.%d", 10+i)
			r.feed(at, dhcpDiscover(t, m, m, uint32(i)))
			r.feed(at.Add(time.Second), dhcpRequestFor(t, m, ip, uint32(i)))
			r.feed(at.Add(2*time.Second), arpFrame(t, layers.ARPRequest, m, ip, nil, ip))
			at = at.Add(50 * time.Millisecond)
		}
		at = r.baseline(at.Add(3*time.Second), 30*time.Second)
		if !r.e.starve.pending() {
			t.Errorf("step %v: the storm's verdict came before starveSettle", step)
		}
		r.baseline(at, 90*time.Second)
		if r.e.starve.pending() || starvations(r) != 0 {
			t.Errorf("step %v: storm pending %v after starveSettle, %d starvations, want settled and none", step, r.e.starve.pending(), starvations(r))
		}
	}
}

// TestUDPEchoLaggingFirstWindow: a flood of random payload at 1,000 to
// 4,000 datagrams a second echoed 3 to 1,000 datagrams behind is raised
// within its first flood window (9 s), though the echoes of the datagrams
// before the gate's quarter are not in the ring (unechoed); a two-way
// stream of different random bytes each way at the same rates and lags
// stays quiet.
func TestUDPEchoLaggingFirstWindow(t *testing.T) {
	heavyUnderRace(t)
	for _, rate := range []int{1000, 4000} {
		for _, lag := range []int{3, 100, 1000} {
			if evs := laggedEcho(t, rate, 9, lag, 40, true, true); len(evs) != 1 || evs[0].IP.String() != "10.0.0.10" {
				t.Errorf("echo at %d/s, %d behind: want one flood by 10.0.0.10 in 9 s:%s", rate, lag, floodList(evs))
			}
			if evs := laggedEcho(t, rate, 9, lag, 40, true, false); len(evs) != 0 {
				t.Errorf("two-way random bytes at %d/s, %d behind: %d floods, want none:%s", rate, lag, len(evs), floodList(evs))
			}
		}
	}
}

// TestStarvationSignsAsProtocolsRetry: 60 forged clients that complete the
// exchange and then send signs of a stack as no stack retries them are
// starvation: two ARP probes of the lease 2 or 3 s apart (RFC 5227 sends
// PROBE_NUM, three), three within 0.6 s (PROBE_MIN apart, 1 s), two
// router solicitations 2 s apart (RFC 4861's RTR_SOLICITATION_INTERVAL is
// 4 s), a probe and a solicitation; so are 60 that only send a second
// DISCOVER 2 s after the first. Three probes 1 to 2 s apart, and two
// solicitations 4 s apart, are a boot storm.
func TestStarvationSignsAsProtocolsRetry(t *testing.T) {
	const probe, solicit, discover = 0, 1, 2
	type sign struct {
		kind int
		at   time.Duration // after the client's first sign, 3 s after its DISCOVER
	}
	for _, tc := range []struct {
		name  string
		signs []sign
		want  int
	}{
		{"two probes 2 s apart", []sign{{probe, 0}, {probe, 2 * time.Second}}, 1},
		{"two probes 3 s apart", []sign{{probe, 0}, {probe, 3 * time.Second}}, 1},
		{"three probes within 0.6 s, one 2 s on", []sign{{probe, 0}, {probe, 300 * time.Millisecond}, {probe, 2 * time.Second}}, 1},
		{"two solicitations 2 s apart", []sign{{solicit, 0}, {solicit, 2 * time.Second}}, 1},
		{"a probe and a solicitation 4 s apart", []sign{{probe, 0}, {solicit, 4 * time.Second}}, 1},
		{"a second DISCOVER 2 s on", []sign{{discover, 0}}, 1},
		{"three probes 1 s apart", []sign{{probe, 0}, {probe, time.Second}, {probe, 2 * time.Second}}, 0},
		{"three probes a timer's millisecond early", []sign{{probe, 0}, {probe, 999 * time.Millisecond}, {probe, 1998 * time.Millisecond}}, 0},
		{"three probes 1.9 s apart", []sign{{probe, 0}, {probe, 1900 * time.Millisecond}, {probe, 3800 * time.Millisecond}}, 0},
		{"two solicitations 4 s apart", []sign{{solicit, 0}, {solicit, 4 * time.Second}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			feedClients(t, r, 0, 60, true, false)
			for i := range 60 {
				m, at := ownMAC(i), t0.Add(3*time.Second+time.Duration(i)*20*time.Millisecond)
				for _, s := range tc.signs {
					f := arpFrame(t, layers.ARPRequest, m, "0.0.0.0", nil, fmt.Sprintf("10.0.1.%d", 10+i))
					switch s.kind {
					case solicit:
						f = icmp6Frame(t, m, fmt.Sprintf("fe80::5a:17%02x", i), hw("33:33:00:00:00:02"), "ff02::2", 133, append(make([]byte, 4), append([]byte{1, 1}, m...)...))
					case discover:
						f = dhcpDiscover(t, m, m, uint32(i))
					}
					r.feed(at.Add(s.at), f)
				}
			}
			r.baseline(t0.Add(12*time.Second), 3*time.Minute)
			if n := starvations(r); n != tc.want {
				t.Fatalf("%d dhcp_starvation events, want %d", n, tc.want)
			}
		})
	}
}

// TestDNSRepliesBesideTheirQueries: the replies a stream's queries got are
// counted on the stream's own pair counter, so a decoy datagram whose pair
// takes the stream's slot (the table's hash is fixed: a sender can find
// one offline) restarts the replies with the count they are compared to;
// counted apart, the decoy reset the stream's count to 1 and a flood
// answered once in twenty read as a forwarder's, its server named the
// flooder (review 20b).
func TestDNSRepliesBesideTheirQueries(t *testing.T) {
	heavyUnderRace(t)
	var pcm mac
	copy(pcm[:], pcMAC)
	sk, dk := udpFromKey(netip.MustParseAddr("10.0.0.10")), udpFromKey(netip.MustParseAddr("10.0.0.30"))
	want, _ := udpPairIndex(udpPairKey{sk.hi, sk.lo, dk.hi, dk.lo, macKey(pcm), udpPorts(40000, dnsPort)})
	other := udpFromKey(netip.MustParseAddr("10.0.0.99"))
	decoy := -1
	for p := 1024; p < 65536 && decoy < 0; p++ {
		if i, _ := udpPairIndex(udpPairKey{sk.hi, sk.lo, other.hi, other.lo, macKey(pcm), udpPorts(layers.UDPPort(p), 9)}); i == want {
			decoy = p
		}
	}
	if decoy < 0 {
		t.Fatal("no colliding port")
	}
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	rng := rand.New(rand.NewPCG(7, 20))
	var pend [][]byte
	const rate = 2000
	for i := range rate * 12 {
		at = at.Add(time.Second / rate)
		q := forwarded(i, rng)
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", dnsPort, q))
		if i%20 == 19 {
			r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", uint16(decoy), gwMAC, "10.0.0.99", 9, []byte("x")))
		}
		pend = append(pend, q)
		for len(pend) > 3 {
			rc := byte(5) // REFUSED
			if i%20 == 0 {
				rc = 0
			}
			r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", dnsPort, pcMAC, "10.0.0.10", 40000, reply(rc)(pend[0])))
			pend = pend[1:]
		}
	}
	evs := r.of(inventory.EventFlood)
	if floodsBy(evs, "10.0.0.10") != 1 || floodsBy(evs, "10.0.0.30") != 0 {
		t.Errorf("a flood answered once in twenty beside a colliding decoy: want one flood by 10.0.0.10 and none by its server:%s", floodList(evs))
	}
}
