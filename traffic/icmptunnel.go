package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// ICMP tunnels (ptunnel-ng, icmpsh, icmptunnel, hans) carry data in the
// payloads of echo requests and replies. Ordinary pings do not: a pinger's
// payload is a fixed pattern after its timestamp (iputils' counting bytes,
// Windows' "abcdefghijklmnopqrstuvwabcdefghi", fping's zeros, ping -s
// 1400's MTU probes and PMTU discovery repeating the same bytes), and an
// echo reply mirrors its request's payload (RFC 792; ICMPv6's, RFC 4443
// 4.2, alike: IPv4 and IPv6 echoes are read the same way). So two signs,
// read only on echo requests and replies:
//
//   - a request whose payload is icmpTunPayload bytes or more and whose
//     bytes past the timestamp (icmpTunWindow) differ in icmpTunDiffer of
//     them from the previous request of the same host to the same peer:
//     data, not a pattern;
//   - a reply whose payload is not its request's (the first icmpTunEcho
//     bytes of both compared, the first 8 of a reply cut short): the peer
//     answers with data of its own (icmpsh's commands).
//
// icmpTunCarried such requests and replies between one host and one peer
// within icmpTunPeriod, holding icmpTunBytes of payload, or icmpTunReplies
// replies not echoing their requests, are one icmp_tunnel incident. The
// culprit is the host on the LAN (the requester, or the replier when only
// it holds a private address), the target its peer. ICMP errors (which
// quote a packet), traceroute and timestamp requests are not read.
const (
	icmpTunPayload = 64
	icmpTunStamp   = 16 // iputils' struct timeval on a 64-bit host
	icmpTunWindow  = icmpTunPayload - icmpTunStamp
	icmpTunDiffer  = icmpTunWindow / 3
	icmpTunEcho    = 64
	icmpTunCarried = 40
	icmpTunBytes   = 16 << 10
	icmpTunReplies = 10
	icmpTunPeriod  = 5 * time.Minute
	icmpTunMax     = 64 // host and peer pairs tracked
	icmpTunReqBits = 9  // requests remembered for their replies: 512
)

// icmpTunKey is a requester and its peer.
type icmpTunKey struct{ from, to netip.Addr }

// icmpTun is one requester's echoes to one peer.
type icmpTun struct {
	_           [0]func() // not comparable: no equality function linked
	key         icmpTunKey
	first, last int64
	window      [icmpTunWindow]byte // the last request's bytes past its timestamp
	has         bool                // window holds a request's
	carried     int                 // requests and replies carrying data
	bytes       int                 // their payload bytes
	replies     int                 // replies not echoing their request
	src, peer   mac                 // the requester's frames' source, the replier's
	reported    bool
}

// icmpReq is a remembered echo request: its (addresses, identifier,
// sequence) key, its payload's first n bytes' hash and its first 8's.
type icmpReq struct {
	key, sum, head uint64
	n              int
}

// icmpTunState is the ICMP tunnel detector's, made at the first echo.
type icmpTunState struct {
	reqs  [1 << icmpTunReqBits]icmpReq
	pairs map[icmpTunKey]*icmpTun
}

// icmpEcho reads an echo request or reply p from src.
func (e *Engine) icmpEcho(p *capture.Packet, src mac) {
	if p.Has&capture.HasIPv4 == 0 {
		return
	}
	c := &p.ICMPv4
	e.echoData(p, src, c.TypeCode.Type() == 8, c.Id, c.Seq, c.Payload)
}

// icmp6Echo reads an ICMPv6 echo request (128) or reply (129) p from src:
// an identifier, a sequence number and data, as ICMP's (RFC 4443 4.1,
// 4.2); tunnels carry data in them alike.
func (e *Engine) icmp6Echo(p *capture.Packet, src mac) {
	if b := p.ICMPv6.Payload; len(b) >= 4 {
		e.echoData(p, src, p.ICMPv6.TypeCode.Type() == 128, uint16(b[0])<<8|uint16(b[1]), uint16(b[2])<<8|uint16(b[3]), b[4:])
	}
}

// echoData reads an echo request (request set) or reply p from src, its
// identifier id, sequence seq and data pl.
func (e *Engine) echoData(p *capture.Packet, src mac, request bool, id, seq uint16, pl []byte) {
	if !unicast(src) {
		return
	}
	s := e.icmpTun
	if s == nil {
		s = &icmpTunState{pairs: map[icmpTunKey]*icmpTun{}}
		e.icmpTun = s
	}
	n := min(len(pl), icmpTunEcho)
	if request {
		k := icmpReqKey(p.SrcIP(), p.DstIP(), id, seq)
		s.reqs[k>>(64-icmpTunReqBits)] = icmpReq{k, echoSum(pl[:n]), echoHead(pl), n}
		if len(pl) >= icmpTunPayload {
			e.icmpTunRequest(p, src, pl)
		}
		return
	}
	k := icmpReqKey(p.DstIP(), p.SrcIP(), id, seq)
	r := &s.reqs[k>>(64-icmpTunReqBits)]
	if r.key != k || r.n < 8 || len(pl) < 8 || len(pl) >= r.n && echoSum(pl[:r.n]) == r.sum || len(pl) < r.n && echoHead(pl) == r.head {
		return // not a request seen, too short to tell, or its echo (cut short, its first 8 bytes)
	}
	r.key = 0 // one reply counted per request
	t := e.icmpTunPair(p, icmpTunKey{p.DstIP(), p.SrcIP()})
	if t == nil {
		return
	}
	if t.src == (mac{}) {
		t.src = capture.MAC6(p.Eth.DstMAC)
	}
	t.peer = src
	t.replies++
	e.icmpTunCarry(p, t, icmpSize(p, pl))
}

// echoSum hashes an echo's first bytes (icmpTunEcho at most) a word at a
// time: fnv64's byte-at-a-time loop over every echo request and reply was
// 0.6 % of the office mix's instructions. Only its equality is read.
func echoSum(b []byte) uint64 {
	h := uint64(len(b)) * 0x9e3779b97f4a7c15
	for ; len(b) >= 8; b = b[8:] {
		h = mix64(h ^ binary.LittleEndian.Uint64(b))
	}
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// echoHead is an echo's first 8 bytes as a word (0 when shorter: a request
// that short is never compared, nor a reply, r.n < 8 or len(pl) < 8).
func echoHead(b []byte) uint64 {
	if len(b) < 8 {
		return 0
	}
	return binary.LittleEndian.Uint64(b)
}

// icmpTunRequest reads an echo request's payload pl of icmpTunPayload
// bytes or more.
func (e *Engine) icmpTunRequest(p *capture.Packet, src mac, pl []byte) {
	k := icmpTunKey{p.SrcIP(), p.DstIP()}
	t := e.icmpTun.pairs[k]
	w := pl[icmpTunStamp:icmpTunPayload]
	if t == nil {
		if t = e.icmpTunPair(p, k); t == nil {
			return
		}
		t.src, t.has = src, true
		copy(t.window[:], w)
		return
	}
	t.src = src
	differ := 0
	for i, b := range w {
		if t.window[i] != b {
			differ++
		}
	}
	copy(t.window[:], w)
	if !t.has {
		t.has = true
		return
	}
	if differ >= icmpTunDiffer {
		e.icmpTunCarry(p, t, icmpSize(p, pl))
	}
}

// icmpTunPair is k's tracker, made when there is room.
func (e *Engine) icmpTunPair(p *capture.Packet, k icmpTunKey) *icmpTun {
	s := e.icmpTun
	if t := s.pairs[k]; t != nil {
		return t
	}
	now := e.nanosOf(p.Time)
	if len(s.pairs) >= icmpTunMax {
		e.expireICMPTunnels(now)
		if len(s.pairs) >= icmpTunMax {
			e.counters.TrackersDropped++
			return nil
		}
	}
	t := &icmpTun{key: k, first: now, last: now}
	s.pairs[k] = t
	return t
}

// icmpTunCarry counts a request or reply of size bytes carrying data
// toward t's incident.
func (e *Engine) icmpTunCarry(p *capture.Packet, t *icmpTun, size int) {
	now := e.nanosOf(p.Time)
	if !t.reported && time.Duration(now-t.first) > icmpTunPeriod {
		t.first, t.carried, t.bytes, t.replies = now, 0, 0, 0
	}
	t.last = now
	t.carried++
	t.bytes += size
	if !t.reported && (t.carried >= icmpTunCarried && t.bytes >= icmpTunBytes || t.replies >= icmpTunReplies) {
		t.reported = true
		e.icmpTunReport(p, t)
	}
}

// expireICMPTunnels forgets pairs quiet for icmpTunPeriod.
func (e *Engine) expireICMPTunnels(now int64) {
	if e.icmpTun == nil {
		return
	}
	for k, t := range e.icmpTun.pairs {
		if time.Duration(now-t.last) > icmpTunPeriod {
			delete(e.icmpTun.pairs, k)
		}
	}
}

func (e *Engine) icmpTunReport(p *capture.Packet, t *icmpTun) {
	k := t.key
	culprit, ip, peer, peerIP := t.src, k.from, t.peer, k.to
	if !local(k.from) && local(k.to) && t.peer != (mac{}) {
		culprit, ip, peer, peerIP = t.peer, k.to, t.src, k.from // a LAN host answering an outside client
	}
	qk := quietKey{inventory.EventICMPTunnel, culprit, mac{}, peerIP.String()}
	if e.quieted(qk, p.Time) {
		return
	}
	other := peerIP.String()
	if peer != (mac{}) {
		other = describe(peer, peerIP)
	}
	ev := inventory.Event{
		Time: p.Time, Type: inventory.EventICMPTunnel, Severity: inventory.SeverityMedium,
		MAC: macOf(culprit), IP: ip, TargetIP: peerIP,
		Summary: fmt.Sprintf("%s exchanged %d ICMP echoes carrying data (%d bytes) with %s within %s: data hidden in pings, an ICMP tunnel (ptunnel, icmpsh, hans)",
			describe(culprit, ip), t.carried, t.bytes, other, roundDur(time.Duration(t.last-t.first))),
	}
	if n := t.carried - t.replies; n > 0 {
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("%d echo requests of %d bytes or more whose payloads change from one to the next (a ping's repeat one pattern)", n, icmpTunPayload)})
	}
	if t.replies > 0 {
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("%d echo replies not echoing their request's payload (a host's replies mirror it, RFC 792)", t.replies)})
	}
	e.reportKey(qk, ev)
}

// icmpSize is an echo's payload bytes as sent, pl as captured: its IP
// datagram's length less the headers, whatever the capture kept (IPv6's
// payload length less the echo's 8 bytes of header).
func icmpSize(p *capture.Packet, pl []byte) int {
	if p.Has&capture.HasIPv4 == 0 {
		return max(int(p.IPv6.Length)-8, len(pl))
	}
	return max(int(p.IPv4.Length)-int(p.IPv4.IHL)*4-8, len(pl))
}

// icmpReqKey mixes an echo's requester, peer, identifier and sequence.
func icmpReqKey(from, to netip.Addr, id, seq uint16) uint64 {
	var h uint64
	if from.Is4() && to.Is4() {
		a, b := from.As4(), to.As4()
		h = uint64(a[0])<<56 | uint64(a[1])<<48 | uint64(a[2])<<40 | uint64(a[3])<<32 |
			uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
	} else {
		a, b := from.As16(), to.As16()
		h = binary.BigEndian.Uint64(a[:8])*0xff51afd7ed558ccd ^ binary.BigEndian.Uint64(a[8:]) ^
			(binary.BigEndian.Uint64(b[:8])*0xc4ceb9fe1a85ec53^binary.BigEndian.Uint64(b[8:]))*0x94d049bb133111eb
	}
	h = (h*0x9e3779b97f4a7c15 ^ uint64(id)<<16 ^ uint64(seq)) * 0xbf58476d1ce4e5b9
	return h | 1 // never the empty slot's
}
