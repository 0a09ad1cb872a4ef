package traffic

import (
	"net/netip"

	"tend/capture"
)

// An iperf3 client always opens its TCP control connection to the server's
// port first (esnet/iperf src/iperf_client_api.c: iperf_connect connects,
// then sends the 37-byte cookie, COOKIE_SIZE, 36 characters of
// [a-z2-7] and a NUL), and only then, told CREATE_STREAMS over it, sets up
// the UDP streams to the same port of the server. So a UDP handshake counts
// (noteIperfShake) only while such a control connection is open between the
// two: the cookie from the asker to the answerer's port, the answerer's
// MAC the one the cookie went to and the one its data on the connection
// (the 1-byte states) came from. A FIN or RST on it ends the exemption of
// the streams it set up (review 32c B1: a forged "6789" under the victim's
// MAC, no control connection, then 20,000 datagrams a second).
const (
	iperfCookieSize = 37
	iperfCtlMax     = 1024 // control connections remembered; full, a new one is not
)

// iperfCtlKey is a control connection: the client's address, the
// server's address and port.
type iperfCtlKey struct {
	client netip.Addr
	server netip.AddrPort
}

// iperfCtl is what was heard of one: the server's MAC, whether data came
// from it on the connection, and when its last segment was heard (on the
// engine's clock: expireIperf).
type iperfCtl struct {
	_        [0]func() // not comparable: no equality function linked
	srvMAC   mac
	answered bool
	last     int64
}

// ipReplies passes an IP packet on to iperfControl and heldRedirects
// when one of them reads it: small enough to inline, where the call was
// 1 % of the office mix's instructions for the tests below it. (A stale
// TCP layer's payload, a frame's without TCP, only calls ipRepliesOf.)
func (e *Engine) ipReplies(p *capture.Packet) {
	if len(e.iperfCtl)|e.nRedirs != 0 || len(p.TCP.Payload) == iperfCookieSize {
		e.ipRepliesOf(p) // its MACs read again, for the inlining budget
	}
}

// ipRepliesOf passes an IP packet on to iperfControl and heldRedirects
// (SNMP unreachables go with the refusals: refusal).
func (e *Engine) ipRepliesOf(p *capture.Packet) {
	src, dst := capture.MAC6(p.Eth.SrcMAC), capture.MAC6(p.Eth.DstMAC)
	e.iperfControl(p, src, dst)
	if e.nRedirs > 0 {
		e.heldRedirects(p, src, dst) // redirectgw.go
	}
}

// iperfControl passes a TCP segment on to iperfSegment when it may be an
// iperf3 cookie or control connections are open (small enough to inline).
func (e *Engine) iperfControl(p *capture.Packet, src, dst mac) {
	if p.Has&capture.HasTCP != 0 && (len(p.TCP.Payload) == iperfCookieSize || len(e.iperfCtl) > 0) {
		e.iperfSegment(p, src, dst)
	}
}

// iperfSegment notes a cookie, the server's data or the close of a
// control connection.
func (e *Engine) iperfSegment(p *capture.Packet, src, dst mac) {
	t := p.TCP
	if len(t.Payload) == iperfCookieSize && iperfCookie(t.Payload) {
		if e.iperfCtl == nil {
			e.iperfCtl = map[iperfCtlKey]iperfCtl{}
		}
		if len(e.iperfCtl) < iperfCtlMax {
			e.iperfCtl[iperfCtlKey{p.SrcIP(), netip.AddrPortFrom(p.DstIP(), uint16(t.DstPort))}] = iperfCtl{srvMAC: dst, last: e.pktNS}
		}
		return
	}
	k := iperfCtlKey{p.DstIP(), netip.AddrPortFrom(p.SrcIP(), uint16(t.SrcPort))} // from the server
	c, ok := e.iperfCtl[k]
	if !ok {
		k = iperfCtlKey{p.SrcIP(), netip.AddrPortFrom(p.DstIP(), uint16(t.DstPort))} // from the client
		if c, ok = e.iperfCtl[k]; !ok {
			return
		}
	}
	if t.FIN || t.RST {
		delete(e.iperfCtl, k)
		e.endShakes(k)
		return
	}
	c.last = e.pktNS
	if len(t.Payload) > 0 && src == c.srvMAC && p.SrcIP() == k.server.Addr() {
		c.answered = true
	}
	e.iperfCtl[k] = c
}

// iperfCookie reports whether b is an iperf3 cookie: 36 characters of
// [a-z2-7] and a NUL (make_cookie).
func iperfCookie(b []byte) bool {
	for _, c := range b[:iperfCookieSize-1] {
		if (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return b[iperfCookieSize-1] == 0
}

// iperfCtlOpen reports whether a control connection from client to the
// server's port is open and answered from the MAC m.
func (e *Engine) iperfCtlOpen(client, server netip.Addr, port uint16, m uint64) bool {
	c, ok := e.iperfCtl[iperfCtlKey{client, netip.AddrPortFrom(server, port)}]
	return ok && c.answered && macKey(c.srvMAC) == m
}

// endShakes forgets the UDP flows set up between k's client and server on
// the server's port: their streams are floods again.
func (e *Engine) endShakes(k iperfCtlKey) {
	for sk := range e.shakes {
		if shakeOf(sk, k) {
			delete(e.shakes, sk)
			e.shakeGen++
		}
	}
}

// expireIperf ends the tests silent for iperfIdle at now: no segment on
// the control connection and no datagram on a flow it set up. Connect
// messages left unanswered past iperfShakeWait are dropped.
func (e *Engine) expireIperf(now int64) {
	for k, c := range e.iperfCtl {
		if now-c.last > int64(iperfIdle) && now-e.streamsHeard(k) > int64(iperfIdle) {
			delete(e.iperfCtl, k)
			e.endShakes(k)
		}
	}
	for sk, d := range e.shakes {
		if !d.done && now-d.at > int64(iperfShakeWait) {
			delete(e.shakes, sk)
		}
	}
}

// streamsHeard is when the last datagram was heard on the flows set up
// between k's client and server on the server's port (zero: none).
func (e *Engine) streamsHeard(k iperfCtlKey) int64 {
	var last int64
	for sk, d := range e.shakes {
		if d.done && shakeOf(sk, k) {
			last = max(last, d.at)
		}
	}
	return last
}

// shakeOf reports whether sk is a flow between k's client and server on
// the server's port, either way.
func shakeOf(sk shakeKey, k iperfCtlKey) bool {
	c, s := udpFromKey(k.client), udpFromKey(k.server.Addr())
	port := uint32(k.server.Port())
	toSrv := sk.fromHi == c.hi && sk.fromLo == c.lo && sk.toHi == s.hi && sk.toLo == s.lo && sk.ports&0xffff == port
	toCli := sk.fromHi == s.hi && sk.fromLo == s.lo && sk.toHi == c.hi && sk.toLo == c.lo && sk.ports>>16 == port
	return toSrv || toCli
}
