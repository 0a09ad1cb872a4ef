package traffic

import (
	"net/netip"
	"time"

	"github.com/google/gopacket/layers"
)

// A UDP flood from one flow (hping3 -2 -k --flood, mausezahn -t udp) has
// no fan-in to tell it by: a QUIC download, a VPN tunnel carrying a backup,
// a video call or a camera stream are single flows too. What none of them
// is, is fast and one-way at once: QUIC and tunnels carry the other
// direction's data and acknowledgements on the same addresses (tens of
// thousands of packets a second each way in a fast transfer), a call sends
// both ways at 50 to 400 packets a second, and a camera's one-way RTP
// stream (its receiver reports on another port) reaches about 2,000 a
// second for 4K at 25 Mbit/s. The busiest UDP flow of the corpus' 38 benign
// captures sends 9 a second (SIP's RTP in ndpi_sip.pcap). So a few flows
// from one LAN host (not through the gateway: an internet server's stream
// names no culprit here) toward one host at udpOneWayRate or more,
// udpOneWayMin packets within floodWindow, while the host sends no UDP back
// (under 1 % of what it gets: a flooded closed port answers ICMP, which is
// not counted), are a flood. Many-flow floods keep the fan-in rule
// (floodFlows).
//
// Slower one-way floods (mausezahn -t udp -d 500us, nping --udp --rate
// 2000: empty datagrams from one or two flows) are told by their size as
// well: at udpSmallRate or more, from at most udpSmallFlows flows, in
// frames of udpSmallFrame bytes or less on average. Every one-way stream an
// office sends at that rate carries media or data in full frames (a camera's
// RTP, 1,200 to 1,400 bytes; a backup or a NetFlow export, full datagrams);
// the small-packet streams are two-way (a call's RTP, 50 a second each way,
// 74 to 214 bytes; DNS, NTP) or far slower (syslog, SNMP traps). A call
// recorder that receives forked RTP one-way gets small frames, but one flow
// per call and 50 a second each: 700 a second is 14 calls, 14 flows.
const (
	udpOneWayMin  = 5_000
	udpOneWayRate = 5_000
	udpCompare    = 2_000
	udpSmallRate  = 700
	udpSmallFrame = 128 // bytes on the wire: headers and 72 bytes of payload
	udpSmallFlows = 4
)

var udpSmallFlowsBits = sketchBits(udpSmallFlows + 1)

// oneWayUDP reports whether the UDP state f, below the fan-in of a flood,
// is a one-way stream from one LAN host at a flood's rate. gated is the
// gate's count of UDP toward the target in this clock window; what the
// target sent back is the count of the stream's reverse flow in the keyed
// udpPair table (reverse: the packet's ports swapped, udpPorts): the target's
// port to the source's. UDP toward the flooder from anyone else (its own DNS
// answers, a stream it receives, a second host it controls) is no answer,
// nor is what the target sends its other clients (a DNS, NTP or PBX server
// answering them exempts no flood at it), nor what the target sends the
// flooder on another flow (answers to the flooder's own DNS lookups, once
// per 1,024 datagrams of a 25,000 a second flood), and a collision only
// restarts a count. An answer counts only from the target's own MAC (answerMAC): a
// flooder that also sends "answers" under the target's address sends them
// from its own. A binding made after the flood state started is not
// trusted (a gratuitous ARP sent with the flood), where the stream's
// frames go is. A gap remains: where no binding of the target's address
// was seen yet, an attacker's gratuitous ARP for it before the flood makes
// its own MAC the target's (a claim is a conflict only once a binding
// exists). Until
// the window holds udpCompare packets toward the target the directions are
// not compared, and the decision waits for a later packet: a stream
// acknowledged once in fifty packets has sent 30 back by then.
func (e *Engine) oneWayUDP(t time.Time, f *floodState, dst netip.Addr, gated uint64, reverse uint32) bool {
	// Cheapest first: a fast download runs through here for every packet.
	if f.pkts < udpOneWayMin || gated < udpCompare || f.same*10 < f.pkts*9 || !f.srcIP.IsValid() || !local(f.srcIP) {
		return false
	}
	if f.srcIP != dst {
		answers := e.udpSentTo(dst, e.answerMAC(dst, f), f.srcIP, reverse, t)
		if answered(t, f, answers, gated) || bulkTransfer(t, f, answers, gated) {
			return false
		}
	}
	return udpFloodRate(t, f) && !e.isGatewayMAC(f.srcMAC)
}

// answered reports whether a stream f that drew answers on its reverse
// flow while gated datagrams went toward its target is two-way: answered
// once in a hundred below udpOneWayRate (a call, a game, a query stream);
// at that rate and past it, once in two (udpFlooding's "served"): the
// acknowledgement side of a transfer (QUIC's ACKs against its data), a
// tunnel's either direction, a server's answers to a flood (their reverse
// is the flood). A flood answered once in fifty, or as a probe is, exempts
// nothing at that rate. A server that answers every datagram of a flood
// (a DNS server's FORMERR) looks like a fast two-way flow here.
func answered(t time.Time, f *floodState, answers, gated uint64) bool {
	if f.rate(t, time.Second) < udpOneWayRate {
		return answers*100 >= gated
	}
	return answers*2 >= gated
}

// A bulk transfer between two LAN hosts (a backup, an image pushed to a
// machine, a speed test) is one-way too, and fast: 6,000 datagrams a
// second of 1,400 bytes is 67 Mbit/s, a gigabit link's full rate 89,000. A
// transfer protocol paces itself by its receiver, and acknowledges per
// window of data, so its feedback grows with its volume: TFTP answers every
// block (RFC 1350; RFC 7440's windows, a few to 64 blocks in practice), UDT
// acknowledges every 10 ms and every 64 packets (a light ACK), udpcast's
// receivers every slice (at most 1,024 blocks), Aspera's receiver reports
// its rate continuously. A flood tool waits for nothing and sends what it
// sends (hping3, mausezahn and nping: empty or zero-filled datagrams of a
// few dozen bytes). So a stream in full frames (udpBulkFrame bytes or more
// on average) whose target answered its source at least once per
// udpFeedbackPer datagrams toward it in this window, and at least once
// every udpFeedbackGap, from the target's own MAC (answerMAC: no forged
// answer counts), is a transfer; until the window has run udpFeedbackGap
// the decision waits (and the next answer may be due: one more is
// allowed for). A target that answers once a second exempts no
// 40,000 datagrams a second. A stream its target never answers is a flood
// at udpOneWayRate whatever it carries: nothing on the wire tells a
// receiver that wants it from one being drowned.
const (
	udpBulkFrame    = 1_000 // bytes on the wire, headers included
	udpFeedbackGap  = 2 * time.Second
	udpFeedbackSecs = uint64(udpFeedbackGap / time.Second)
	udpFeedbackPer  = 1_024 // datagrams per answer: udpcast's largest slice
)

// bulkTransfer reports whether f, answered answers times by its target in
// t's flood window while gated datagrams went toward it, is a transfer
// paced by its receiver (see udpBulkFrame).
func bulkTransfer(t time.Time, f *floodState, answers, gated uint64) bool {
	tracked := f.pkts - f.gated
	if tracked == 0 || f.bytes < udpBulkFrame*tracked {
		return false
	}
	begin := time.Unix(0, t.UnixNano()/int64(floodWindow)*int64(floodWindow))
	if f.from.After(begin) {
		begin = f.from
	}
	ran := t.Sub(begin)
	if ran < udpFeedbackGap {
		return true
	}
	return answers*udpFeedbackSecs >= uint64(ran/time.Second) && (answers+1)*udpFeedbackPer >= gated // the next answer may be due
}

// udpFloodRate reports whether f came at a one-way flood's rate:
// udpOneWayRate, or udpSmallRate in small frames from few flows. The rate
// is the one reportFlood shows (floodState.rate: every packet counted, from
// the first the gate let through), so a flood is never raised at a rate its
// own evidence puts below the threshold; it is taken over a second at least,
// so that a burst of a few packets is no rate. The frame size is the
// average of the packets the state saw itself (the gate keeps no bytes).
func udpFloodRate(t time.Time, f *floodState) bool {
	rate := f.rate(t, time.Second)
	if rate >= udpOneWayRate {
		return true
	}
	tracked := f.pkts - f.gated
	return rate >= udpSmallRate && f.bytes <= udpSmallFrame*tracked && !f.flows.atLeast(udpSmallFlowsBits) && !logging(f, rate)
}

// syslogPort is syslog's UDP port (RFC 5426 3.3); syslogStormRate the most
// a logging storm sends a collector (a switch's storm is 1,000 to 3,000 a
// second, a hundred switches' intake no more): past it, or to another
// port, datagrams that open with a PRI are a flood all the same (a tool
// can put "<13>" before its garbage as easily as nothing).
const (
	syslogPort      = 514
	syslogStormRate = 3_000
)

// logging reports whether f, at rate, is a syslog storm: half or more of
// the datagrams it saw itself syslog messages to syslog's port, below
// syslogStormRate.
func logging(f *floodState, rate float64) bool {
	return f.logs*2 >= f.pkts-f.gated && rate < syslogStormRate
}

// A switch or firewall logging an event storm (a port flapping, a deny
// rule hit a thousand times a second) sends its syslog server one-way
// bursts of 1,000 to 3,000 small datagrams a second from one socket: a
// switch's messages without timestamps are 60 to 100 bytes a frame
// ("<187>%LINK-3-UPDOWN: Interface Gi1/0/5, changed state to down"). They
// carry a message, a flood tool's datagrams none (mausezahn, nping and
// hping3 send them empty or zero-filled). So a small-frame stream of which
// half or more carry a syslog message is logging, not a flood; at
// udpOneWayRate it is raised whatever it carries.

// syslogMessage reports whether a UDP payload begins as a syslog message
// does: its PRI, "<" and the facility times 8 plus the severity (0 to 191)
// in one to three digits, then ">" (RFC 3164 4.1.1, RFC 5424 6.2.1).
func syslogMessage(b []byte) bool {
	if len(b) < 3 || b[0] != '<' {
		return false
	}
	pri := 0
	for i := 1; i < len(b) && i <= 4; i++ {
		switch c := b[i]; {
		case c == '>':
			return i > 1 && pri <= 191
		case c >= '0' && c <= '9':
			pri = pri*10 + int(c-'0')
		default:
			return false
		}
	}
	return false
}

// A resolver at a login storm (every PC asking for dozens of names, each
// lookup from its own source port: glibc's stub resolver opens a socket a
// lookup) or a conference bridge (every participant's audio, video and RTCP,
// each its own flow) takes hundreds of datagrams a second from more flows
// than floodFlows: a flood's fan-in. What neither is, is unanswered: the
// resolver answers each query, the bridge sends each participant its mix.
// A flood's target answers none of it (reflected answers at a victim,
// garbage at a closed port: ICMP, which is not counted; a server drops
// malformed datagrams). So a fan-in whose target sent half as many UDP
// datagrams back in the same window is a busy service, raised only at a
// one-way flood's rate (udpOneWayRate: no office resolver or bridge takes
// 5,000 a second; a query flood that fast is raised though answered).
// "Back" is to anyone here: a fan-in comes from many clients, each of them
// answered (udpFrom); a one-way stream is answered only by what its target
// sends its source (udpPair). Either counts only from the target's own MAC
// (answerMAC).

// fUDPFrom keys the count of UDP from an address (not a flood kind).
const fUDPFrom = nFloodKinds

// udpFromKey is the udpFrom table's key for UDP from a.
func udpFromKey(a netip.Addr) floodKey { return newFloodKey(a, fUDPFrom) }

// countUDPFrom counts a datagram from src to the unicast address dst
// (dk its key, of any kind) in src's udpFrom slot for this window, what a
// target of a fan-in sent back to anyone, and in the (src, dst) pair's
// udpPair slot, what a one-way stream's target sent back to its source
// (floodPacket passes no group or broadcast address: mDNS, SSDP and
// broadcast chatter answer nobody). A datagram from the target to itself
// is a flood forging its source (LAND), not an answer.
func (e *Engine) countUDPFrom(src netip.Addr, srcMAC mac, dst netip.Addr, dk floodKey, ports uint32, at time.Time) {
	if !src.IsValid() || src == dst {
		return
	}
	k, mk, window := udpFromKey(src), macKey(srcMAC), at.UnixNano()/int64(floodWindow)
	c := e.udpFromSlot(k, mk)
	if c.key != k || c.mac != mk || c.window != window { // another address's slot is taken over: never a count not its own
		c.key, c.mac, c.window, c.n = k, mk, window, 0
	}
	c.n++
	pk := udpPairKey{k.hi, k.lo, dk.hi, dk.lo, mk, ports}
	pc := e.udpPairSlot(pk)
	if pc.key != pk || pc.window != window { // as above: a pair's count is its own
		pc.key, pc.window, pc.n = pk, window, 0
	}
	pc.n++
}

// udpPairKey is a sender's and a receiver's address, as floodKey's words,
// the MAC the sender's frames came from (macKey), and the flow's ports
// (udpPorts): a stream's answers come on its reverse flow alone.
type udpPairKey struct {
	fromHi, fromLo, toHi, toLo, fromMAC uint64
	ports                               uint32
}

// udpPorts is a flow's source and destination port as one word.
func udpPorts(from, to layers.UDPPort) uint32 { return uint32(from)<<16 | uint32(to) }

// udpPairCounter is the UDP one address sent another in one flood window,
// keyed by both (shared slots as udpFromCounter's: a collision restarts the
// count, so a pair never borrows another's answers).
type udpPairCounter struct {
	key    udpPairKey
	window int64
	n      uint64
}

func (e *Engine) udpPairSlot(k udpPairKey) *udpPairCounter {
	h := k.fromLo ^ k.fromHi*31 ^ (k.toLo^k.toHi*31^uint64(k.ports))*0xff51afd7ed558ccd ^ k.fromMAC*0xc4ceb9fe1a85ec53
	return &e.udpPair[(h*0x9e3779b97f4a7c15)>>(64-floodGateBits)]
}

// udpSentTo is the UDP from sent to on the flow ports (udpPorts) in t's
// window in frames from fromMAC.
func (e *Engine) udpSentTo(from netip.Addr, fromMAC mac, to netip.Addr, ports uint32, t time.Time) uint64 {
	fk, tk := udpFromKey(from), udpFromKey(to)
	k := udpPairKey{fk.hi, fk.lo, tk.hi, tk.lo, macKey(fromMAC), ports}
	if c := e.udpPairSlot(k); c.key == k && c.window == t.UnixNano()/int64(floodWindow) {
		return c.n
	}
	return 0
}

// answerMAC is the MAC a one-way stream's answers must come from to count:
// the one ARP or neighbour discovery bound the target's address to, or,
// with no binding heard (a recording that starts with warm caches, a
// target beyond the gateway), the one the stream's own frames went to,
// which is the binding its sender used.
func (e *Engine) answerMAC(dst netip.Addr, f *floodState) mac {
	tbl := e.arp
	if dst.Is6() {
		tbl = e.nd
	}
	if b := tbl[dst]; b != nil && !b.since.After(f.start) {
		return b.mac
	}
	return f.dstMAC
}

// udpFromCounter is the UDP an address sent in one flood window from one
// MAC, keyed by both (slots are shared by hash: a collision starts the
// count afresh, so it can only undercount an answer, never lend one).
type udpFromCounter struct {
	key    floodKey
	mac    uint64 // macKey of the frames' source
	window int64
	n      uint64
}

func (e *Engine) udpFromSlot(k floodKey, m uint64) *udpFromCounter {
	return &e.udpFrom[((k.lo^k.hi*31^m*0xc4ceb9fe1a85ec53)*0x9e3779b97f4a7c15)>>(64-floodGateBits)]
}

// udpSentBy is the UDP a sent to other unicast addresses in t's window in
// frames from m.
func (e *Engine) udpSentBy(a netip.Addr, m mac, t time.Time) uint64 {
	k, mk := udpFromKey(a), macKey(m)
	if c := e.udpFromSlot(k, mk); c.key == k && c.mac == mk && c.window == t.UnixNano()/int64(floodWindow) {
		return c.n
	}
	return 0
}

// udpFlooding reports whether the UDP state f toward dst, past the count
// of a flood, is one: a fan-in of floodFlows flows or more that dst did not
// answer and that does not carry syslog messages (a log server takes a
// storm from a hundred switches so), or that came at udpOneWayRate; or a
// one-way stream (oneWayUDP). The
// directions are compared once the window holds udpCompare datagrams toward
// dst, as oneWayUDP does: a window just begun holds the last one's carried
// count and few answers yet.
func (e *Engine) udpFlooding(t time.Time, f *floodState, dst netip.Addr, gated uint64, reverse uint32) bool {
	if !f.flows.atLeast(floodFlowsBits) {
		return e.oneWayUDP(t, f, dst, gated, reverse)
	}
	if gated < udpCompare {
		return false
	}
	rate := f.rate(t, time.Second)
	if rate >= udpOneWayRate {
		return true
	}
	served := e.udpSentBy(dst, e.answerMAC(dst, f), t)*2 >= gated
	return !served && !logging(f, rate) // a log server's intake from many devices is logging too
}
