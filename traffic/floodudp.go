package traffic

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"net/netip"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
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
// restarts a count. An answer counts only from the target's own MAC
// (answerMAC): a flooder that also sends "answers" under the target's
// address sends them from its own, and its gratuitous ARP naming its MAC
// for the target's address, before the flood or with it, makes no answer
// count. Until
// the window holds udpCompare packets toward the target the directions are
// not compared, and the decision waits for a later packet: a stream
// acknowledged once in fifty packets has sent 30 back by then.
func (e *Engine) oneWayUDP(now int64, f *floodState, dst netip.Addr, gated uint64, reverse uint32) bool {
	// Cheapest first: a fast download runs through here for every packet.
	if f.pkts < udpOneWayMin || gated < udpCompare || f.same*10 < f.pkts*9 || !f.srcIP.IsValid() || !local(f.srcIP) {
		return false
	}
	if f.srcIP != dst {
		var back udpBack
		if m, ok := e.answerMAC(dst, f); ok {
			back = e.udpSentTo(dst, m, f.srcIP, reverse, now)
		}
		f.answers = max(f.answers, back.n)
		service, own := serviceReply(reverse, f, back), udpBack{}
		if service && f.dnsFresh > 0 { // the stream's own datagrams on the flow and the replies to them (resolved)
			own = e.udpSentTo(f.srcIP, f.srcMAC, dst, bits.RotateLeft32(reverse, 16), now)
		}
		if answered(now, f, back, gated, service, own) || (!service && bulkTransfer(now, f, back, gated)) {
			return false
		}
	}
	return udpFloodRate(now, f) && !e.isGatewayMAC(f.srcMAC) && !e.answersFlood(now, f, dst) && !e.loadTest(now, f, dst) // loadtest.go
}

// answersFlood reports whether the stream f toward dst is the answers to
// a flood the other way (from dst toward f's source): an echo service's or
// a DNS server's answers datagram for datagram are the flood's echo, their
// sender its victim, not a second flooder. The other way's state o counts
// only where it is that flood: active within floodWindow, its frames
// between the same two MACs the other way round (o.srcMAC the one f's
// frames go to, o.dstMAC f's source), on f's flow reversed; and either
// raised already, or come from beyond the LAN (an inbound flood from an
// internet address, which names no LAN culprit) no later than f began,
// with at least as many datagrams.
// A decoy forged from the target's address toward the flooder, earlier,
// from another MAC or on another flow, exempts nothing. A flood from a
// port per datagram at a service (a query flood from random ports) is
// answered from the service's port on as many flows: there, f's first
// flow comes from the port o's first went to (answersFlow).
func (e *Engine) answersFlood(now int64, f *floodState, dst netip.Addr) bool {
	o := e.floodsTo[newFloodKey(f.srcIP, fUDP)]
	if o == nil || !o.live || o.srcIP != dst || o.idle(now) > floodWindow || o.srcMAC != f.dstMAC || o.dstMAC != f.srcMAC || !answersFlow(o.flow, f.flow) {
		return false
	}
	return o.reported || (!local(dst) && o.from <= f.from && o.pkts >= f.pkts)
}

// answersFlow reports whether the flow ans (udpPorts) answers the flow
// req: req reversed, or, where req went to a service's port
// (servicePort), any flow from that port (its answers to a flood from a
// port per datagram, each on a flow of its own).
func answersFlow(req, ans uint32) bool {
	return req == bits.RotateLeft32(ans, 16) || uint16(req) == uint16(ans>>16) && servicePort(uint16(req))
}

// serviceReply reports whether answers on the reverse flow (udpPorts: the
// target's port first, the stream's source port second) are a
// request/response service's (servicePort): DNS, NTP, SNMP, Kerberos, IKE,
// SIP, RADIUS, echo and the rest of them answer requests datagram for
// datagram, and a request answered is no transfer's feedback nor a
// tunnel's far end (a flooder sends the target's DNS a query now and then
// to make it answer on the flood's own flow). A reply is the service's
// except where it is an NFS client's call (nfsCall): the NAS's read replies
// go to a client's reserved port, and its calls back answer them as a
// transfer's feedback.
func serviceReply(reverse uint32, f *floodState, back udpBack) bool {
	return servicePort(uint16(reverse>>16)) && !nfsCall(reverse, f, back)
}

// nfsPort is NFS's port (RFC 7530 3.1): a server above 1024 that its
// clients call from reserved ports, the range their kernels bind
// (nfsResvLow to 1023: Linux's xprt_min_resvport is 665, the BSDs' and
// macOS's lowest reserved port for automatic binding 600).
const (
	nfsPort    = 2049
	nfsResvLow = 600
)

// nfsCall reports whether the reverse flow (udpPorts) is an NFS client's
// calls to the NAS: from a reserved port an NFS client binds to nfsPort,
// and ONC RPC on the wire both ways: half or more of the answers back
// (the client's) calls to NFS's program (rpcCall), half or more of the
// datagrams of f that it saw itself replies (rpcReply). Ports alone name
// no NFS: a flood sent from port 2049 at a DNS server's port 53, at IPMI's
// 623 or at DNS over TLS's 853 is answered by the service.
func nfsCall(reverse uint32, f *floodState, back udpBack) bool {
	from := uint16(reverse >> 16)
	return uint16(reverse) == nfsPort && from >= nfsResvLow && from < 1024 &&
		back.calls*2 >= back.n && f.rpc*2 >= f.pkts-f.gated
}

// nfsProgram is NFS's ONC RPC program number (RFC 1813 1.2, RFC 7530 1.1).
const nfsProgram = 100003

// rpcCall reports whether a UDP payload is an ONC RPC call (RFC 5531 9:
// its xid, message type 0 = CALL, RPC version 2) to the program prog.
func rpcCall(b []byte, prog uint32) bool {
	return len(b) >= 16 && binary.BigEndian.Uint32(b[4:]) == 0 && binary.BigEndian.Uint32(b[8:]) == 2 && binary.BigEndian.Uint32(b[12:]) == prog
}

// rpcReply reports whether a UDP payload is an ONC RPC reply (RFC 5531 9:
// its xid, message type 1 = REPLY, reply status 0 or 1).
func rpcReply(b []byte) bool {
	return len(b) >= 12 && binary.BigEndian.Uint32(b[4:]) == 1 && binary.BigEndian.Uint32(b[8:]) <= 1
}

// servicePort reports whether port is a request/response service's: a
// system port (below 1024, RFC 6335 6) but HTTPS's, where QUIC and DTLS
// VPNs carry transfers, or one of serviceAnswerPorts above it.
func servicePort(port uint16) bool {
	return port < 1024 && port != 443 || serviceAnswerPorts[port]
}

// serviceAnswerPorts are the UDP ports above 1024 of request/response
// services (IANA): RADIUS and its accounting, STUN, SIP and SIP over TLS,
// CoAP, SQL Server's browser, Ubiquiti discovery, Memcached, mDNS, LLMNR,
// WS-Discovery and SSDP, the services a flood is answered by or reflected
// through. Tunnels (IPsec NAT-T 4500, WireGuard 51820, OpenVPN 1194) are
// none: they carry traffic each way.
var serviceAnswerPorts = map[uint16]bool{1812: true, 1813: true, 3478: true, 5060: true, 5061: true, 5683: true,
	1434: true, 10001: true, 11211: true, 5353: true, 5355: true, 3702: true, 1900: true}

// A stream answered on its reverse flow at udpOneWayRate or past it, once
// for every two datagrams or more, is two-way: a tunnel (WireGuard, IPsec
// NAT-T, OpenVPN) carrying traffic each way in frames of every size, TFTP's
// blocks against their ACKs in lock-step, QUIC's data against its ACKs, an
// NFS client's calls against the NAS's replies. Except where the answers
// come from a request/response service's port (serviceReply): a DNS
// server's FORMERR or an echo service (RFC 862) answers a flood datagram
// for datagram, and that flood is raised. On any other port an echo's
// answers (the stream's own datagrams sent back: udpPairCounter.echo) are
// none: an echo responder an operator runs on a port of its own answers a
// flood in kind, and the flood is raised. Frame sizes alone do not tell an
// echo (a tunnel's two ways carry frames of the same sizes); content does.

// answered reports whether a stream f whose target sent back on its
// reverse flow while gated datagrams went toward it is two-way: answered
// once in a hundred below udpOneWayRate (a call, a game); at that rate
// and past it, once in two. Neither an echo (the stream's own datagrams:
// no answer; unechoed) nor, from udpSmallRate on (where a small-frame stream is a
// flood's rate, udpFloodRate), a service's answers count (see above): an
// echo, DNS or NTP responder answering a flood of 700 to 4,999 small
// datagrams a second from one socket datagram for datagram exempted it;
// there, a DNS forwarder's stream (resolved: fresh queries, each replied
// to) is two-way below udpOneWayRate. service: the answers come from a
// service's port (serviceReply); own: what the stream sent on the flow
// they answer in this window and the DNS replies to it, where it sent
// DNS queries.
func answered(now int64, f *floodState, back udpBack, gated uint64, service bool, own udpBack) bool {
	rate, n := f.rate(now, time.Second), unechoed(now, f, back) // echo.go
	if service && rate >= udpSmallRate {
		return rate < udpOneWayRate && resolved(f, own) // a DNS forwarder's (dnsreply.go)
	}
	if rate < udpOneWayRate {
		return n*100 >= gated
	}
	return n*2 >= gated
}

// A bulk transfer between two LAN hosts (a backup, an image pushed to a
// machine, a speed test) is one-way too, and fast: 6,000 datagrams a
// second of 1,400 bytes is 67 Mbit/s, a gigabit link's full rate 89,000. A
// transfer protocol paces itself by its receiver, and acknowledges per
// window of data, so its feedback grows with its volume: TFTP answers every
// block (RFC 1350; RFC 7440's windows, a few to 64 blocks in practice), UDT
// acknowledges every 10 ms and every 64 packets (a light ACK), udpcast's
// receivers every slice, Aspera's receiver reports its rate continuously:
// a unicast receiver reports at least every udpFeedbackPer datagrams, eight
// times RFC 7440's largest windows in practice and UDT's light-ACK
// interval (64 each). A flooder that makes a high-port service answer
// once per 1,024 datagrams (a valid request among them) gets no transfer's
// exemption. A flood tool waits for nothing and sends what it
// sends (hping3, mausezahn and nping: empty or zero-filled datagrams of a
// few dozen bytes). So a stream in full frames (udpBulkFrame bytes or more
// on average) whose target answered its source at least once per
// udpFeedbackPer datagrams toward it in this window, and at least once
// every udpFeedbackGap, in small frames (udpFeedbackFrame on average: a
// TFTP ACK is 60 bytes on the wire, UDT's and QUIC's under 150; an echo
// of the stream's own frames is no feedback), from the target's own MAC
// (answerMAC: no forged answer counts) and not from a system port
// (serviceReply: a DNS server's answers to queries sent among the flood
// are replies, no feedback), is a transfer; until the window has run udpFeedbackGap
// the decision waits (and the next answer may be due: one more is
// allowed for). A target that answers once a second exempts no
// 40,000 datagrams a second. A stream its target never answers is a flood
// at udpOneWayRate whatever it carries: nothing on the wire tells a
// receiver that wants it from one being drowned. Nor does a TCP session
// beside it: iperf3's control connection (same port, session 31) is silent
// for the whole stream, so at the decision it is only one opened before and
// not yet closed, which any LAN host fakes with an idle connection to an open
// port, and a UDP answer at the flow's start is one datagram from any
// service the target runs.
const (
	udpBulkFrame     = 1_000 // bytes on the wire, headers included
	udpFeedbackGap   = 2 * time.Second
	udpFeedbackSecs  = uint64(udpFeedbackGap / time.Second)
	udpFeedbackPer   = 512 // datagrams per answer: eight of the largest windows
	udpFeedbackFrame = 300 // bytes on the wire, on average
)

// bulkTransfer reports whether f, answered back by its target in t's
// flood window while gated datagrams went toward it, is a transfer
// paced by its receiver (see udpBulkFrame).
func bulkTransfer(now int64, f *floodState, back udpBack, gated uint64) bool {
	tracked := f.pkts - f.gated
	if tracked == 0 || f.bytes < udpBulkFrame*tracked || back.bytes > udpFeedbackFrame*back.n {
		return false
	}
	answers := back.n
	begin := now / int64(floodWindow) * int64(floodWindow)
	if f.from > begin {
		begin = f.from
	}
	ran := time.Duration(now - begin)
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
func udpFloodRate(now int64, f *floodState) bool {
	rate := f.rate(now, time.Second)
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
// "Back" is on the fan-in's own flows, flow by flow: a fan-in comes from
// many clients, each of them answered on its flow (udpFrom: the target's
// datagrams to a third host, which a flooder can make it send, answer
// none of it); a one-way stream is answered only by what its target sends
// its source on the stream's reverse flow (udpPair). Either counts only
// from the target's own MAC (answerMAC).

// fUDPFrom keys the count of UDP from an address (not a flood kind).
const fUDPFrom = nFloodKinds

// udpFromKey is the udpFrom table's key for UDP from a.
func udpFromKey(a netip.Addr) floodKey { return newFloodKey(a, fUDPFrom) }

// countUDPFrom counts a datagram p from src to the unicast address dst
// (dk its key, of any kind; srcMAC the frame's source) in the (src, dst)
// pair's udpPair slot with its bytes, what a one-way stream's target sent
// back to its source (floodPacket passes no group or broadcast address:
// mDNS, SSDP and broadcast chatter answer nobody), and, where it is on the
// reverse of a flow that came to src in this window (from the MAC this
// frame goes to), in src's udpFrom slot: what a fan-in's target answered
// its flows, flow by flow (the target's datagrams to a third host, or to
// a flooder on another flow, answer none of the fan-in). A datagram from
// the target to itself is a flood forging its source (LAND), not an
// answer. It returns p's signature (udpSig), and whether p is the first
// response to a DNS query dst sent src lately (answerKind.answer).
func (e *Engine) countUDPFrom(p *capture.Packet, srcMAC mac, dst netip.Addr, dk floodKey, now int64) (sig uint64, answer bool) {
	src, sig := p.SrcIP(), udpSig(p.UDP.Payload)
	if !src.IsValid() || src == dst {
		return sig, false
	}
	if len(p.UDP.Payload) == 4 {
		e.noteIperfShake(p, srcMAC) // loadtest.go: iperf3's UDP handshake
	}
	k, mk, window := udpFromKey(src), macKey(srcMAC), now/int64(floodWindow)
	ports := udpPorts(p.UDP.SrcPort, p.UDP.DstPort)
	var dstMAC mac
	copy(dstMAC[:], p.Eth.DstMAC)
	fk := udpPairKey{dk.hi, dk.lo, k.hi, k.lo, macKey(dstMAC), bits.RotateLeft32(ports, 16)}
	fc := e.udpPairCount(fk, window)
	answering := fc != nil
	// src's key as a target: newFloodKey(src, fUDP), from the words k has.
	sk := floodKey{k.hi, k.lo, fUDP}
	var ak answerKind
	if answering { // read before pk's slot below may take fc's over
		ak = e.answerKinds(sk, dk, fk.fromMAC, fk.ports, sig, fc.last == sig, uint16(p.UDP.SrcPort), p.UDP.Payload, window) // echo.go
	} else {
		e.noteAskedFlow(p, src, dst) // stray.go: a flow src opened
	}
	if took := e.takeFlow(sk, udpFlow{dk.hi, dk.lo, fk.fromMAC, fk.ports}, window); answering || took {
		c := e.udpFromSlot(k, mk)
		if c.key != k || c.mac != mk || c.window != window { // another address's slot is taken over: never a count not its own
			c.key, c.mac, c.window, c.n, c.noerror = k, mk, window, 0, 0
		}
		c.n++
		c.noerror += uint64(b2u(ak.noerror))
	}
	pk := udpPairKey{k.hi, k.lo, dk.hi, dk.lo, mk, ports}
	i, tag := udpPairIndex(pk)
	pc := &e.udpPair[i]
	if e.udpPairTag[i] != tag || pc.window != window || !pc.key.is(pk) { // as above: a pair's count is its own
		// Stored, not read: a slot of another key is rarely cached, and
		// the count's increment read back a word of the stores just made
		// while they waited for the line (a quarter of floodCount's time
		// on the corpus mix's random-port floods, perf annotate).
		*pc = udpPairCounter{key: pk, window: window, n: 1, bytes: uint64(p.Length)}
		e.udpPairTag[i] = tag
	} else {
		pc.n++
		pc.bytes += uint64(p.Length)
	}
	if p.UDP.DstPort == nfsPort && rpcCall(p.UDP.Payload, nfsProgram) {
		pc.calls++
	}
	if ak.echo {
		pc.echo++
	}
	if (ak.reply || ak.twice) && fc.key.is(fk) && fc.window == window { // beside the datagrams it answers (resolved); pc's slot may have taken fc's
		fc.replies += b2u(ak.reply)
		fc.noerror += b2u(ak.noerror)
		fc.twice += b2u(ak.twice)
	}
	if ak.judged {
		pc.ringed++
		pc.ringEcho += uint64(b2u(ak.echo))
	}
	pc.last = sig
	return sig, ak.answer
}

// b2u is 1 for true, 0 for false: a count added without a branch.
func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// udpSig is a datagram's signature for telling an echo (udpPairCounter):
// its payload's length and first 16 bytes, mixed; never 0, an unset one.
// The bytes are read as two little-endian words, two loads where the
// payload has 16 (most datagrams), not 16 byte loads and shifts.
func udpSig(b []byte) uint64 {
	var w0, w1 uint64
	if len(b) >= 16 {
		w0, w1 = binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
	} else {
		var w [2]uint64
		for i := range len(b) {
			w[i/8] |= uint64(b[i]) << (8 * (i % 8))
		}
		w0, w1 = w[0], w[1]
	}
	return (w0*0x9e3779b97f4a7c15^w1*0xc4ceb9fe1a85ec53^uint64(len(b)))*0xff51afd7ed558ccd | 1
}

// The udpPair table's slots are shared: a flood from random ports
// elsewhere on the LAN takes them over within milliseconds, and a fan-in's
// flows were then never answered (a resolver's 200 client flows raised as a
// flood naming the client). So a target past the gate (a quarter of a
// flood's count in this window, tracked in floodsTo) also keeps the flows
// that came to it this window, up to udpSeenMax, exactly (noteFlow), and
// its answers on any of them count (takeFlow). Until it is raised: its
// flows are dropped then (dropFlows), and when its state restarts or
// expires. All targets' sets hold udpSeenBudget flows at most together
// (udpSeen, as scanSeen bounds the scans'): 8,192 targets of 8,192 flows
// each were 6 GB. A target that got more flows than udpSeenMax (seenFull)
// is judged on the datagrams of those kept (seenPkts), not on all it got;
// and the datagrams of flows the budget refused while its own set had room
// (refused) count as unanswered all the same: unanswered decoys from
// random ports toward fifty other addresses, each below a flood's count,
// fill the budget, and a flood's flows refused then left the target judged
// on its clients' answered queries alone, served.
const (
	udpSeenMax    = 8_192
	udpSeenBudget = 65_536
)

// udpFlow is a flow toward a target: its sender's address (as floodKey's
// words), the MAC its frames came from (macKey) and its ports (udpPorts).
type udpFlow struct {
	hi, lo, mac uint64
	ports       uint32
}

func newUDPFlow(from netip.Addr, m mac, ports uint32) udpFlow {
	k := udpFromKey(from)
	return udpFlow{k.hi, k.lo, macKey(m), ports}
}

// noteFlow records p's flow (from the MAC src) among those that came to
// f's target in now's flood window, within udpSeenMax and udpSeenBudget,
// and counts p in seenPkts where its flow is kept.
func (e *Engine) noteFlow(f *floodState, p *capture.Packet, src mac, now int64) {
	if w := now / int64(floodWindow); f.seen == nil || f.seenWin != w {
		if e.udpSeen -= len(f.seen); f.seen == nil {
			f.seen = map[udpFlow]struct{}{}
		}
		clear(f.seen)
		f.seenWin, f.lastFlow, f.seenPkts, f.seenFull, f.refused = w, udpFlow{}, 0, false, 0
	}
	k := newUDPFlow(p.SrcIP(), src, udpPorts(p.UDP.SrcPort, p.UDP.DstPort))
	if e.shakes != nil {
		e.noteShook(f, k, p.DstIP()) // loadtest.go: an iperf3 stream's flow
	}
	if k == f.lastFlow {
		f.seenPkts++
		return
	}
	if n := len(f.seen); n < udpSeenMax && e.udpSeen < udpSeenBudget {
		f.seen[k] = struct{}{}
		e.udpSeen += len(f.seen) - n
	} else if _, ok := f.seen[k]; !ok {
		if n < udpSeenMax {
			f.refused++ // the budget's refusal, not the target's cap: unanswered (udpFlooding)
		} else {
			f.seenFull = true
		}
		return
	}
	f.lastFlow = k
	f.seenPkts++
}

// dropSeen frees f's set of flows (noteFlow).
func (e *Engine) dropSeen(f *floodState) {
	e.udpSeen -= len(f.seen)
	f.seen = nil
}

// dropFlows frees f's set of flows and its echo ring (noteEcho): f is
// gone (raised, it frees its flows alone, and its ring unless keepEcho).
func (e *Engine) dropFlows(f *floodState) {
	e.dropSeen(f)
	e.dropEcho(f) // echo.go
}

// takeFlow reports whether the flow fl came to the target whose floodKey
// (kind fUDP) is k in window, where the target is past the
// gate (noteFlow), and takes it out of target's set: target is answering
// it, the answer is counted (countUDPFrom), and a flow answered leaves
// the budget (udpSeenBudget). A request/response service (a resolver's
// thousands of clients, each lookup its own source port) holds only its
// questions not yet answered, and busy servers no longer use up the
// budget that keeps a flood's fan-in judged on its own flows; a flood's
// flows, unanswered, stay until it is raised. A client that asks again on
// the flow is noted again. The keys are the caller's, made once per
// datagram (countUDPFrom), not again from the addresses.
func (e *Engine) takeFlow(k floodKey, fl udpFlow, window int64) bool {
	if g := e.gateSlot(k); g.window != window || g.n < floodMin[fUDP]/4 {
		return false
	}
	o := e.floodsTo[k]
	if o == nil || o.seenWin != window || len(o.seen) == 0 {
		return false
	}
	if _, ok := o.seen[fl]; !ok {
		return false
	}
	delete(o.seen, fl)
	e.udpSeen--
	if o.lastFlow == fl {
		o.lastFlow = udpFlow{}
	}
	return true
}

// udpPairKey is a sender's and a receiver's address, as floodKey's words,
// the MAC the sender's frames came from (macKey), and the flow's ports
// (udpPorts): a stream's answers come on its reverse flow alone.
type udpPairKey struct {
	fromHi, fromLo, toHi, toLo, fromMAC uint64
	ports                               uint32
}

// is reports whether k == o, field by field: == on the six-field struct is
// a call to the runtime's memequal (memeqbody, 4 % of a replay's time on
// the corpus mix, where a slot's key is compared twice per datagram); the
// ports and the low words differ first between two flows.
func (k udpPairKey) is(o udpPairKey) bool {
	return k.ports == o.ports && k.fromLo == o.fromLo && k.toLo == o.toLo && k.fromMAC == o.fromMAC && k.fromHi == o.fromHi && k.toHi == o.toHi
}

// udpPorts is a flow's source and destination port as one word.
func udpPorts(from, to layers.UDPPort) uint32 { return uint32(from)<<16 | uint32(to) }

// udpPairCounter is the UDP one address sent another in one flood window,
// keyed by both (shared slots as udpFromCounter's: a collision restarts the
// count, so a pair never borrows another's answers).
type udpPairCounter struct {
	key      udpPairKey
	window   int64
	n, bytes uint64
	// last is the signature (udpSig) of the pair's last datagram; echo
	// counts its datagrams whose signature was the last of the stream
	// they answer (the reverse pair's last): an echo (RFC 862, or a
	// responder of the kind on any port) sends each datagram back as it
	// came. A tunnel's far end sends ciphertext of its own (WireGuard's
	// and ESP's headers carry a counter), TFTP ACKs, NFS replies, RTP its
	// own sequence: never the datagram it got.
	last, echo uint64
	// calls counts its datagrams to nfsPort that are calls to NFS
	// (rpcCall); replies the DNS responses to the pair's recent queries
	// its target sent back (dnsreply.go), noerror those of them NOERROR
	// (waterTorture), twice the responses to queries answered before
	// (dnsTwiceShare). 32 bits each (a window's counts are far below
	// 2^32): the table's slots stay 120 bytes.
	calls, replies, noerror, twice uint32
	// ringed counts the datagrams that came while the reverse pair's
	// target held an echo ring, ringEcho those of them echoes (unechoed).
	ringed, ringEcho uint64
}

// udpPairIndex is k's slot in udpPair and its tag in udpPairTag.
func udpPairIndex(k udpPairKey) (i int, tag uint16) {
	h := k.fromLo ^ k.fromHi*31 ^ (k.toLo^k.toHi*31^uint64(k.ports))*0xff51afd7ed558ccd ^ k.fromMAC*0xc4ceb9fe1a85ec53
	h *= 0x9e3779b97f4a7c15
	return int(h >> (64 - floodGateBits)), uint16(h>>(48-floodGateBits)) | 1
}

// udpPairCount is k's counter in window, or nil: a slot whose tag is not
// k's holds another key (or none, tag 0), told without reading the slot.
// A UDP flood from random ports fills the 300 KB table with flows that
// never come back, and reading a slot of one was a miss to memory on every
// datagram (6 % of a replay's time on the corpus mix); the tags are 8 KB.
func (e *Engine) udpPairCount(k udpPairKey, window int64) *udpPairCounter {
	i, tag := udpPairIndex(k)
	if e.udpPairTag[i] != tag {
		return nil
	}
	if c := &e.udpPair[i]; c.window == window && c.key.is(k) {
		return c
	}
	return nil
}

// udpBack is what a target sent back on a stream's reverse flow in one
// flood window: datagrams and their bytes on the wire, and of them the
// echoes (echo: the stream's own datagram sent back, udpPairCounter.echo),
// the NFS calls, the DNS replies (dnsreply.go) and of them the NOERROR
// ones, the responses to queries answered before, and those the target's
// echo ring judged and of them its echoes (unechoed).
type udpBack struct{ n, bytes, echo, calls, replies, noerror, twice, ringed, ringEcho uint64 }

// udpSentTo is the UDP from sent to on the flow ports (udpPorts) in t's
// window in frames from fromMAC.
func (e *Engine) udpSentTo(from netip.Addr, fromMAC mac, to netip.Addr, ports uint32, now int64) udpBack {
	fk, tk := udpFromKey(from), udpFromKey(to)
	k := udpPairKey{fk.hi, fk.lo, tk.hi, tk.lo, macKey(fromMAC), ports}
	if c := e.udpPairCount(k, now/int64(floodWindow)); c != nil {
		return udpBack{c.n, c.bytes, c.echo, uint64(c.calls), uint64(c.replies), uint64(c.noerror), uint64(c.twice), c.ringed, c.ringEcho}
	}
	return udpBack{}
}

// answerMAC is the MAC a stream's answers must come from to count, and
// whether any may: the one the stream's own frames go to (the binding its
// sender used; a flood's frames reach their target there and nowhere
// else), where that is a unicast MAC other than the stream's source and
// no binding heard names another MAC for the target (ARP or neighbour
// discovery, however old: a gratuitous ARP sent before the flood, where
// the target had no binding yet, names the flooder's MAC, and the flood's
// frames still go to the target's). Where the two disagree, no answer
// counts: a stream raised in doubt is a flood the other detectors already
// saw a conflict for (arp_spoof). A flooder that forges its answers under
// the target's MAC as well as its address is not told by them: their
// addresses, IP TTL and IP ID are its own to copy from the target's
// traffic, it can time them after its datagrams, and the switch port they
// came in on is not in a capture. Only where the target answers too does
// the wire show it: a DNS query answered twice (dnsTwiceShare).
func (e *Engine) answerMAC(dst netip.Addr, f *floodState) (mac, bool) {
	m := f.dstMAC
	if !unicast(m) || m == f.srcMAC {
		return mac{}, false
	}
	tbl := e.arp
	if dst.Is6() {
		tbl = e.nd
	}
	if b := tbl[dst]; b != nil && b.mac != m {
		return mac{}, false
	}
	return m, true
}

// udpFromCounter is the UDP an address sent in one flood window from one
// MAC on the reverse of flows that came to it, keyed by both (slots are shared by hash: a collision starts the
// count afresh, so it can only undercount an answer, never lend one).
type udpFromCounter struct {
	key     floodKey
	mac     uint64 // macKey of the frames' source
	window  int64
	n       uint64
	noerror uint64 // of them, NOERROR responses to DNS queries on the flows (answerKinds): a fan-in's lookups that found a name (waterTorture)
}

func (e *Engine) udpFromSlot(k floodKey, m uint64) *udpFromCounter {
	return &e.udpFrom[((k.lo^k.hi*31^m*0xc4ceb9fe1a85ec53)*0x9e3779b97f4a7c15)>>(64-floodGateBits)]
}

// udpAnswered is the UDP a sent in t's window in frames from m on the
// reverse of flows that came to it (countUDPFrom): n, and noerror of it.
func (e *Engine) udpAnswered(a netip.Addr, m mac, now int64) udpBack {
	k, mk := udpFromKey(a), macKey(m)
	if c := e.udpFromSlot(k, mk); c.key == k && c.mac == mk && c.window == now/int64(floodWindow) {
		return udpBack{n: c.n, noerror: c.noerror}
	}
	return udpBack{}
}

// udpFlooding reports whether the UDP state f toward dst, past the count
// of a flood, is one: one LAN host's random-subdomain flood, whoever else
// dst serves (senderTorture); a fan-in of floodFlows flows or more that dst did not
// answer and that does not carry syslog messages (a log server takes a
// storm from a hundred switches so), or that came at udpOneWayRate; or a
// one-way stream (oneWayUDP). Never the responses to
// dst's own DNS queries (lookedUp). The
// directions are compared once the window holds udpCompare datagrams toward
// dst, as oneWayUDP does: a window just begun holds the last one's carried
// count and few answers yet.
func (e *Engine) udpFlooding(now int64, f *floodState, dst netip.Addr, gated uint64, reverse uint32) bool {
	if lookedUp(f) || f.asked*10 >= (f.pkts-f.gated)*9 {
		return false // dnsreply.go, stray.go (askedFlow): answers to what the target asked
	}
	if e.senderTorture(now, f) { // dnssender.go
		return true
	}
	if !f.flows.atLeast(floodFlowsBits) {
		return e.oneWayUDP(now, f, dst, gated, reverse)
	}
	if gated < udpCompare || dnsLoad(now, f) {
		return false
	}
	if e.rtpFanIn(now, f, dst) { // rtpfanin.go: an NVR's cameras
		return e.oneWayUDP(now, f, dst, gated, reverse)
	}
	rate := f.rate(now, time.Second)
	if rate >= udpOneWayRate {
		return true
	}
	if f.seenFull && f.seenWin == now/int64(floodWindow) && f.seenPkts >= udpCompare {
		gated = f.seenPkts + f.refused // the flows kept are those whose answers count (noteFlow)
	}
	m, ok := e.answerMAC(dst, f)
	back := udpBack{}
	if ok {
		back = e.udpAnswered(dst, m, now)
	}
	return back.n*2 < e.toAnswer(now, f, dst, gated) && !logging(f, rate) // served; a log server's intake from many devices is logging too
}

// dnsLoad reports whether the fan-in f is a DNS server's load, no flood:
// nine in ten of the datagrams the state saw are well-formed DNS queries
// to port 53 (dnsKeys) or responses from port 53 (a resolver's upstream
// answering what it forwarded: never more than the queries), and the
// queries come at under the threshold's rate (floodMin within
// floodWindow). Every query is a flow of its own (a random source port),
// so floodFlows says nothing, and the gate's count carries a window's
// last quarter over: a resolver asked ~140 times a second by an office's
// PCs counted 2,000 within a state (review 38 dnsperf). A query flood
// (dnsperf, resperf, mz at thousands a second) is over the rate; a
// random-subdomain flood is senderTorture's; responses flooding a victim
// outnumber its queries (reflect.go raises the forged requests).
func dnsLoad(now int64, f *floodState) bool {
	own := f.pkts - f.gated
	if own == 0 || f.dnsReplies > f.dnsQueries || (f.dnsQueries+f.dnsReplies)*10 < own*9 {
		return false
	}
	return f.rate(now, floodWindow)*float64(f.dnsQueries)/float64(own)*floodWindow.Seconds() < float64(floodMin[fUDP])
}

// toAnswer is how many of the datagrams toward dst in now's flood window
// asked dst for an answer, of gated, the gate's count (or the kept flows'):
// the span udpAnswered counts dst's answers in. Not the packets the gate
// carried over from the last window (floodGateCount: their answers were
// counted there), nor, at the share f saw of them, the responses to what
// dst asked itself (askedFlow: a resolver's upstream answers, one for each
// query it forwarded). Compared with the carried count, a resolver
// answering 98 % of 130 queries a second from a hundred PCs was raised as
// a flood "not answered".
func (e *Engine) toAnswer(now int64, f *floodState, dst netip.Addr, gated uint64) uint64 {
	window := now / int64(floodWindow)
	if g := e.gateSlot(newFloodKey(dst, fUDP)); g.window == window && g.first < window*int64(floodWindow) && g.n == gated {
		gated -= min(gated, floodMin[fUDP]/4) // carried (floodGateCount's first moves before the window)
	}
	if own := f.pkts - f.gated; own > 0 && f.asked > 0 {
		gated -= gated * min(f.asked, own) / own
	}
	return gated
}

// udpOneWayEvidence is the evidence of a one-way UDP flood f toward dst:
// what made it one-way, no answer or answers that are no transfer's
// (answered, bulkTransfer).
func udpOneWayEvidence(f *floodState, dst netip.Addr) inventory.Evidence {
	if f.answers == 0 {
		return inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
			"%d flow(s), and %s sent no UDP back: a one-way stream of at least %d packets a second, or %d in frames of %d bytes or less from at most %d flows, which no office application sends (oneWayUDP)",
			f.flows.count(), dst, udpOneWayRate, udpSmallRate, udpSmallFrame, udpSmallFlows)}
	}
	return inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
		"%d flow(s), and %s sent back at most %d datagrams in %s on its reverse flow, too few, or as a service answers requests, not as a transfer's receiver or a tunnel's far end does: a one-way stream at a flood's rate all the same (oneWayUDP)",
		f.flows.count(), dst, f.answers, floodWindow)}
}
