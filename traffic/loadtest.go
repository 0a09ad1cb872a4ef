package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// A UDP load test (iperf3 -u) is a one-way stream at any rate its user
// asks for: 200 Mbit/s is 17,000 datagrams a second, and its receiver
// sends nothing back on the stream's flow (review 31b: raised as a flood).
// What tells it from a flood is how iperf3 sets each stream up (esnet/iperf
// src/iperf_udp.c, iperf.h): before the data, the client sends a 4-byte
// connect message on the stream's own 5-tuple (UDP_CONNECT_MSG 0x36373839,
// written as a native int: "9876" on the wire from a little-endian host;
// 123456789 in older releases) and the server, on the socket it just
// bound to that 5-tuple, answers with UDP_CONNECT_REPLY (0x39383736,
// "6789"; 987654321 from older servers, LEGACY_UDP_CONNECT_REPLY). The data then flows on that
// flow: from the client (iperf3 -c), from the server (-R), or one stream
// each way, each with its own exchange (--bidir); -P N makes N flows, each
// set up so. Either way the stream's receiver took part on the stream's
// very flow: it answered the connect message (an iperf3 server it runs)
// or sent it (it asked for the stream). An attacker needs an iperf3 server
// on its target, and flooding a load-test server at a load-test rate is
// what the server is for.
//
// So datagrams toward a host are a load test's, not a flood's, where their
// flows were set up by that exchange while iperf3's TCP control connection
// between the two was open (iperfctl.go): the connect message from one end,
// the reply on the same 5-tuple reversed, within iperfShakeWait, from
// another MAC and not the message's own four bytes sent back (an echo
// service answers any datagram in kind); the stream's frames come from the
// MAC that end used, and go to the MAC the other end answered from, which
// is the receiver's bound MAC (answerMAC). Only a stream of which at most
// one datagram in loadTestSlack came on other flows is one: a flood from
// another source port, under forged sources, from many flows (the fan-in
// rule is left as it is) or at a host that never answered is raised as
// before. A stream that began before the sensor heard its exchange is
// raised as well: nothing on the wire tells it then. Big-endian hosts
// write the same values byte-swapped ("6789" asks, "9876" answers);
// either order is read, and a mixed pair (a big-endian client, a
// little-endian server), whose reply repeats the message's bytes, is not
// told from an echo and stays raised.
const (
	iperfConnectMsg   = 0x36373839 // UDP_CONNECT_MSG
	iperfConnectReply = 0x39383736 // UDP_CONNECT_REPLY
	iperfLegacyMsg    = 123456789  // the connect message of older releases
	iperfLegacyReply  = 987654321  // LEGACY_UDP_CONNECT_REPLY
	// iperfShakeWait is how long a client waits for the reply (iperf3
	// sets SO_RCVTIMEO to 30 s on the stream's socket).
	iperfShakeWait = 30 * time.Second
	// iperfShakesMax bounds the table of the exchanges (Engine.shakes):
	// full, it starts afresh (a load test set up before is then raised).
	iperfShakesMax = 1024
	// iperfIdle is how long a test may be silent, on its control
	// connection and its streams, before its exemption ends: iperf3 gives
	// up on a peer that sent nothing for 120 s (iperf.h,
	// DEFAULT_NO_MSG_RCVD_TIMEOUT, --rcv-timeout), so a control connection
	// whose close the sensor missed (a client killed, its FIN not heard)
	// no longer exempts a stream on its flows (expireIperf).
	iperfIdle = 120 * time.Second
	// iperfSeenEvery is how often a stream's datagrams refresh its flow's
	// last-heard time (noteShook): a map write a second, not a datagram.
	iperfSeenEvery = int64(time.Second)
	loadTestSlack  = 100 // one datagram in 100 may come on other flows
)

// shakeKey is a flow: its sender's and receiver's addresses (as floodKey's
// words) and its ports (udpPorts).
type shakeKey struct {
	fromHi, fromLo, toHi, toLo uint64
	ports                      uint32
}

func newShakeKey(from, to netip.Addr, ports uint32) shakeKey {
	f, t := udpFromKey(from), udpFromKey(to)
	return shakeKey{f.hi, f.lo, t.hi, t.lo, ports}
}

// reverse is k the other way round.
func (k shakeKey) reverse() shakeKey {
	return shakeKey{k.toHi, k.toLo, k.fromHi, k.fromLo, k.ports<<16 | k.ports>>16}
}

// shake is what was heard on a flow of iperf3's exchange: a connect
// message (from: the MAC, as macKey, it came from; word: its four bytes,
// read little-endian; at: when, on the engine's clock), or, done, a flow
// the exchange set up (from: the MAC of its sender's frames, to: its
// receiver's; at: when its last datagram was heard, to iperfSeenEvery). One table holds both: one map type in the binary.
type shake struct {
	from, to uint64
	at       int64
	word     uint32
	done     bool
}

// iperfWord reports whether the 4-byte payload w (read little-endian) is
// one of the values v in either byte order.
func iperfWord(w uint32, v ...uint32) bool {
	for _, x := range v {
		if w == x || w == swap32(x) {
			return true
		}
	}
	return false
}

func swap32(x uint32) uint32 { return x>>24 | x>>8&0xff00 | x<<8&0xff0000 | x<<24 }

// noteIperfShake notes p, a UDP datagram of 4 bytes from the MAC src: a
// connect message, or the reply that completes one on its flow reversed.
// A flow set up keeps its entry: a client's repeated message (iperf3's
// connect retries) asks nothing new.
func (e *Engine) noteIperfShake(p *capture.Packet, src mac) {
	w := binary.LittleEndian.Uint32(p.UDP.Payload)
	isReply, isMsg := iperfWord(w, iperfConnectReply, iperfLegacyReply), iperfWord(w, iperfConnectMsg, iperfLegacyMsg)
	if !isReply && !isMsg || !unicast(src) {
		return
	}
	if e.shakes == nil || len(e.shakes) >= iperfShakesMax {
		e.shakes = make(map[shakeKey]shake, 16)
	}
	k, m := newShakeKey(p.SrcIP(), p.DstIP(), udpPorts(p.UDP.SrcPort, p.UDP.DstPort)), macKey(src)
	if a, ok := e.shakes[k.reverse()]; isReply && ok && !a.done && a.word != w && a.from != m && e.pktNS-a.at <= int64(iperfShakeWait) &&
		e.iperfCtlOpen(p.DstIP(), p.SrcIP(), uint16(p.UDP.SrcPort), m) {
		e.shakes[k.reverse()] = shake{from: a.from, to: m, at: e.pktNS, done: true} // the asker's stream to the answerer (iperf3 -c)
		e.shakes[k] = shake{from: m, to: a.from, at: e.pktNS, done: true}           // the answerer's to the asker (-R, --bidir)
		e.shakeGen++                                                                // the states' last lookups are stale (noteShook)
		return
	}
	if a := e.shakes[k]; isMsg && !a.done {
		e.shakes[k] = shake{from: m, at: e.pktNS, word: w}
	}
}

// noteShook counts in f, the UDP state toward dst, a datagram on the flow
// fl (noteFlow) where an iperf3 exchange set fl up between its sender's
// MAC and the MAC f's stream goes to (loadTest). The last flow looked up
// is kept: a stream's datagrams cost a compare each; it is looked up
// again when a handshake completed since (shakeGen): a target already
// tracked sees the connect message on the flow before its reply. A flow
// set up is marked heard once every iperfSeenEvery (expireIperf).
func (e *Engine) noteShook(f *floodState, fl udpFlow, dst netip.Addr) {
	if fl != f.shakeFlow || f.shakeGen != e.shakeGen {
		f.shakeFlow, f.shakeGen, f.shakeOK, f.shakeSeen = fl, e.shakeGen, false, 0
		t := udpFromKey(dst)
		d := e.shakes[shakeKey{fl.hi, fl.lo, t.hi, t.lo, fl.ports}]
		f.shakeOK = d.done && d.from == fl.mac && d.to == macKey(f.dstMAC)
	}
	if f.shakeOK && e.pktNS-f.shakeSeen >= iperfSeenEvery {
		f.shakeSeen = e.pktNS
		e.shakeHeard(fl, dst)
	}
	f.shook += uint64(b2u(f.shakeOK))
}

// shakeHeard marks the flow fl toward dst, set up by iperf3's exchange,
// heard now.
func (e *Engine) shakeHeard(fl udpFlow, dst netip.Addr) {
	t := udpFromKey(dst)
	k := shakeKey{fl.hi, fl.lo, t.hi, t.lo, fl.ports}
	if d, ok := e.shakes[k]; ok {
		d.at = e.pktNS
		e.shakes[k] = d
	}
}

// loadTest reports whether f, a one-way stream toward dst at a flood's
// rate, is an iperf3 load test (see iperfConnectMsg): all but one in
// loadTestSlack of the datagrams f saw came on flows set up by iperf3's
// exchange with dst's bound MAC (answerMAC). It notes one once a window
// at info.
func (e *Engine) loadTest(now int64, f *floodState, dst netip.Addr) bool {
	own := f.pkts - f.gated
	if f.shook == 0 || (own-f.shook)*loadTestSlack > own {
		return false
	}
	if _, ok := e.answerMAC(dst, f); !ok {
		return false
	}
	if !f.loadNoted {
		f.loadNoted = true
		e.reportLoadTest(now, f, dst)
	}
	return true
}

// reportLoadTest notes the load test f toward dst at info, under a quiet
// key of its own: a note must not mute a flood by the same host.
func (e *Engine) reportLoadTest(now int64, f *floodState, dst netip.Addr) {
	own, rate := f.pkts-f.gated, f.rate(now, time.Second)
	bits := rate * float64(f.bytes) / float64(max(own, 1)) * 8
	span := time.Duration(now - f.from)
	ev := inventory.Event{
		Time: e.timeAt(now), Type: inventory.EventFlood, Severity: inventory.SeverityInfo,
		MAC: macOf(f.srcMAC), IP: f.srcIP, TargetMAC: macOf(f.dstMAC), TargetIP: dst,
		Summary: fmt.Sprintf("%s ran a UDP load test (iperf3) toward %s, %.0f packets/s (%s/s)",
			describe(f.srcMAC, f.srcIP), dst, rate, humanBits(bits)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d UDP packets toward %s in %s, %.0f per second, on %d flow(s), one-way: a flood's rate and shape",
				f.pkts, dst, roundDur(span), rate, f.flows.count())},
			{Source: "traffic", Detail: fmt.Sprintf("%d of the %d packets it saw came on flows that iperf3's UDP handshake set up with %s (%s): "+
				"a 4-byte connect message (\"9876\", or 123456789 from older releases) answered on the same ports with the reply (\"6789\", or 987654321) "+
				"from the receiver's own MAC, one handshake per flow: the receiver runs iperf3 or asked for the stream (-R, --bidir)",
				f.shook, own, dst, macString(f.dstMAC))},
		},
	}
	e.reportKey(quietKey{inventory.EventFlood, f.srcMAC, mac{}, "load test " + dst.String()}, ev)
}

// humanBits is a bit rate in k, M or G.
func humanBits(b float64) string {
	switch {
	case b >= 1e9:
		return fmt.Sprintf("%.1f Gbit", b/1e9)
	case b >= 1e6:
		return fmt.Sprintf("%.1f Mbit", b/1e6)
	}
	return fmt.Sprintf("%.0f kbit", b/1e3)
}
