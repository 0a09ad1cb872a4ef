package traffic

import (
	"bytes"
	"net/netip"

	"tend/capture"
)

// An NVR recording twenty or more IP cameras takes their RTP over UDP, one
// flow per camera and medium, each set up by the NVR's own RTSP SETUP
// (RFC 7826) and each far above what the NVR sends back: a receiver's
// feedback is RTCP, a receiver report to each source every 5 s or so
// (RFC 3550 6.2), not a datagram per datagram. After a camera reboot storm
// the re-SETUP streams come on new ports: the NVR's fan-in passes
// floodFlows flows at a few thousand datagrams a second, far from "served"
// by the fan-in rule's count (udpFlooding), and was raised as a UDP flood
// from distributed sources.
//
// RTP runs on an even port and its RTCP on the next, odd one (RFC 3550
// 11), so a flow from an even port to an even port whose target sent a
// datagram from its port + 1 to the source's port + 1 (its RTCP for that
// stream) within this flood window or the last (a report interval is at
// most 7.5 s, RFC 3550 6.3.1) is a stream the target receives on purpose
// and reports on: such flows are left out of the fan-in, as answered ones
// are (takeFlow), where they are a quarter of its unanswered flows or
// more. What is left must still make floodFlows flows for a fan-in flood: a flood at an NVR from forged or distributed sources
// sends from flows the NVR holds no session with, and its junk draws no
// report, however RTP-like its datagrams. The verdict is worked out again
// every rtpRecheck datagrams, not per datagram.

// RTCP starts a few seconds into a session (half the minimum interval at
// first, RFC 3550 6.2), and a reboot storm's streams, 24 cameras' video
// and audio, pass a flood's count before it. So a stream the target asked
// for in an RTSP SETUP of its own (RFC 2326 12.39: "Transport:
// RTP/AVP;unicast;client_port=q-q+1", sent from the target's MAC to port
// 554) within rtpSetupFor counts as reported too, until its RTCP does.

// rtspPort is RTSP's port (RFC 2326 3.2).
const rtspPort = 554

// rtpSetupFor is how long an RTSP SETUP vouches for the streams it asked
// for without their RTCP: two flood windows, three RTCP intervals.
const rtpSetupFor = 2 * floodWindow

// rtspSetups bounds the SETUPs remembered (rtspAsked): a storm of 24
// cameras' sessions is 48 of them; past the bound the table starts afresh.
const rtspSetups = 4096

// rtspKey is an RTSP client's address (floodKey's words of udpFromKey),
// the MAC its SETUP came from (macKey), the RTP port it asked for and the
// address of the server it asked (srvHi, srvLo): a camera streams from
// the address it is asked at, so a SETUP vouches for that source's
// datagrams alone. Keyed on the port alone, one SETUP (forged under the
// target's MAC, or the NVR's own) vouched for a flood from thousands of
// forged sources at that port, which then passed as RTP.
type rtspKey struct {
	hi, lo, mac  uint64
	srvHi, srvLo uint64
	port         uint16
}

// noteRTSPSetup notes the client port of an RTSP SETUP request p (TCP to
// rtspPort, from the MAC src): the RTP its sender asked for (rtspAsked).
func (e *Engine) noteRTSPSetup(p *capture.Packet, src mac, now int64) {
	b := p.Payload()
	if len(b) < 6 || string(b[:6]) != "SETUP " {
		return
	}
	i := bytes.Index(b, []byte("client_port="))
	if i < 0 {
		return
	}
	port := 0
	for _, c := range b[i+len("client_port="):] {
		if c < '0' || c > '9' || port > 0xffff {
			break
		}
		port = port*10 + int(c-'0')
	}
	if port == 0 || port > 0xffff {
		return
	}
	if e.rtspSetup == nil {
		e.rtspSetup = map[rtspKey]int64{}
	} else if len(e.rtspSetup) >= rtspSetups {
		clear(e.rtspSetup)
	}
	k, srv := udpFromKey(p.SrcIP()), udpFromKey(p.DstIP())
	e.rtspSetup[rtspKey{k.hi, k.lo, macKey(src), srv.hi, srv.lo, uint16(port) &^ 1}] = now
}

// rtspAsked reports whether the client whose key is dk asked the server
// whose address has the words srvHi, srvLo for RTP to its port (even; its
// RTCP the next) in an RTSP SETUP from its MAC (macKey mk) within
// rtpSetupFor before now.
func (e *Engine) rtspAsked(dk floodKey, mk, srvHi, srvLo uint64, port uint16, now int64) bool {
	at, ok := e.rtspSetup[rtspKey{dk.hi, dk.lo, mk, srvHi, srvLo, port}]
	return ok && now-at <= int64(rtpSetupFor)
}

// rtpRecheck is how many datagrams toward a fan-in's target a verdict on
// its reported RTP streams holds (rtpFanIn).
const rtpRecheck = 256

// rtpFanIn reports whether dst's fan-in is an NVR's: of the flows that
// came to it in this window and were not answered (f.seen: the answered
// ones are taken out), a quarter or more are RTP streams dst asked for or
// reports on from its MAC (rtpReported), and fewer than floodFlows are
// neither.
// A fan-in with no such stream (a resolver's clients, answered at a
// flood's rate) is judged as before; so is a target whose set of flows is
// incomplete (seenFull, refused).
func (e *Engine) rtpFanIn(now int64, f *floodState, dst netip.Addr) bool {
	w := now / int64(floodWindow)
	if f.seen == nil || f.seenWin != w || f.seenFull || f.refused != 0 || len(f.seen) == 0 {
		return false
	}
	if f.pkts < f.rtpAt+rtpRecheck && f.rtpWin == w {
		return f.rtpOK
	}
	f.rtpAt, f.rtpWin, f.rtpOK = f.pkts, w, false
	m, ok := e.answerMAC(dst, f)
	if !ok {
		return false
	}
	dk, mk := udpFromKey(dst), macKey(m)
	left, rtp := 0, 0
	for fl := range f.seen {
		if e.rtpReported(dk, mk, fl, now) {
			rtp++
		} else if left++; left >= floodFlows {
			return false
		}
	}
	f.rtpOK = rtp > 0 && rtp*4 >= len(f.seen)
	return f.rtpOK
}

// rtpReported reports whether the flow fl toward the target whose key is
// dk is an RTP (or RTCP) stream the target asked for in an RTSP SETUP
// lately, or an RTP stream it sent RTCP for from its MAC (macKey mk) in
// now's flood window or the one before (rtpFanIn).
func (e *Engine) rtpReported(dk floodKey, mk uint64, fl udpFlow, now int64) bool {
	sp, dp := fl.ports>>16, fl.ports&0xffff
	if e.rtspAsked(dk, mk, fl.hi, fl.lo, uint16(dp)&^1, now) {
		return true
	}
	w := now / int64(floodWindow)
	if sp&1 != 0 || dp&1 != 0 || sp == 0 || dp == 0 || sp == 0xfffe || dp == 0xfffe {
		return false
	}
	k := udpPairKey{dk.hi, dk.lo, fl.hi, fl.lo, mk, (dp+1)<<16 | (sp + 1)}
	i, tag := udpPairIndex(k)
	if e.udpPairTag[i] != tag {
		return false
	}
	c := &e.udpPair[i]
	return c.n > 0 && c.window >= w-1 && c.window <= w && c.key.is(k)
}
