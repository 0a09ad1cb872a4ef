package traffic

import (
	"bytes"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Slow HTTP denial of service (slowloris, slow POST / R.U.D.Y., slowhttptest
// -H and -B): one client holds many connections to one server, each with a
// request that never ends. A request's header ends with an empty line (RFC
// 9112 2.1) and its body after Content-Length bytes (RFC 9112 6.2); the
// attack sends the header without that line, or a large Content-Length,
// and then a few bytes every few seconds so the server's timeouts never
// fire. Only such requests are tracked: a request complete in its first
// segment (nearly every one a browser, a long poll or a WebSocket upgrade
// sends) is never entered, and a large upload at line rate leaves no pause.
// A connection trickles when a small segment of an unfinished request comes
// after a pause; slowHTTPConns of them from one client to one server within
// slowHTTPWindow is one slow_http incident.
const (
	slowHTTPGap      = 3 * time.Second  // a pause this long before a segment of an unfinished request
	slowHTTPTrickle  = 256              // the most a trickled segment carries (slowhttptest: 1 to 24 bytes)
	slowHTTPConns    = 20               // trickling connections of one client to one server: an incident
	slowHTTPHigh     = 100              // unfinished requests held at once: high severity
	slowHTTPWindow   = 2 * time.Minute  // the trickles are counted within it
	slowHTTPIdle     = 5 * time.Minute  // an unfinished request silent this long is forgotten
	slowHTTPMaxConns = 4096             // unfinished requests tracked (beyond: TrackersDropped)
	slowHTTPMaxIncs  = 256              // client and server pairs tracked
	slowHTTPKeep     = 10 * time.Minute // a pair without requests open is forgotten after
)

type slowConnKey struct {
	client, server netip.Addr
	cport, sport   uint16
}

type slowIncKey struct {
	client   mac
	clientIP netip.Addr
	server   netip.Addr
	port     uint16
}

// slowConn is one unfinished request.
type slowConn struct {
	_        [0]func() // not comparable: no equality function linked
	inc      *slowInc
	next     uint32 // the client's next sequence number
	last     int64  // its last segment (nanos)
	due      int64  // body bytes still due once the header ended
	nl       int8   // line ends in a row at the end of the header so far (empty line: 2)
	inBody   bool   // the header ended
	trickled bool
}

// slowInc is one client's unfinished requests to one server port.
type slowInc struct {
	_        [0]func() // not comparable: no equality function linked
	server   mac
	first    int64 // the first trickle counted (nanos)
	last     int64 // the last segment of any of its requests
	open     int   // unfinished requests now
	peak     int   // the most at once
	trickled int   // trickling connections since first
	header   int   // of them, still in the header
	reported bool
}

type slowHTTPState struct {
	conns map[slowConnKey]*slowConn
	incs  map[slowIncKey]*slowInc
}

// slowHTTPSegment reads a TCP segment with data (not a SYN) from src to
// dst: an unfinished request's next segment, or a request that does not
// finish in its first.
func (e *Engine) slowHTTPSegment(p *capture.Packet, src, dst mac) {
	payload := p.TCP.Payload
	if e.rpcWait > 0 {
		e.xmlrpcMore(p, src, dst) // xmlrpclogin.go
	}
	if s := e.shttp; s != nil && len(s.conns) > 0 {
		k := slowConnKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)}
		if c := s.conns[k]; c != nil {
			e.slowHTTPMore(p, k, c)
			return
		}
	}
	if !httpRequestStart(payload) {
		return
	}
	e.webRequest(p, src, dst, payload) // webattack.go, weblogin.go
	c := &slowConn{next: p.TCP.Seq + uint32(len(payload)), last: e.nanosOf(p.Time)}
	if !c.read(payload, true) {
		return // complete in its first segment
	}
	e.slowHTTPTrack(p, src, dst, c)
}

// slowHTTPTrack enters c, an unfinished request of p's connection.
func (e *Engine) slowHTTPTrack(p *capture.Packet, src, dst mac, c *slowConn) {
	if e.isSelf(src) {
		return
	}
	if e.shttp == nil {
		e.shttp = &slowHTTPState{conns: map[slowConnKey]*slowConn{}, incs: map[slowIncKey]*slowInc{}}
	}
	s := e.shttp
	ik := slowIncKey{src, p.SrcIP(), p.DstIP(), uint16(p.TCP.DstPort)}
	inc := s.incs[ik]
	if inc == nil {
		if len(s.incs) >= slowHTTPMaxIncs || len(s.conns) >= slowHTTPMaxConns {
			e.counters.TrackersDropped++
			return
		}
		inc = &slowInc{server: dst}
		s.incs[ik] = inc
	} else if len(s.conns) >= slowHTTPMaxConns {
		e.counters.TrackersDropped++
		return
	}
	c.inc = inc
	inc.open++
	inc.peak = max(inc.peak, inc.open)
	inc.last = c.last
	s.conns[slowConnKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)}] = c
}

// slowHTTPMore reads the next segment of c, the unfinished request of
// connection k: a trickle when it comes small after a pause and leaves the
// request unfinished.
func (e *Engine) slowHTTPMore(p *capture.Packet, k slowConnKey, c *slowConn) {
	payload := p.TCP.Payload
	end := p.TCP.Seq + uint32(len(payload))
	if int32(end-c.next) <= 0 {
		return // a retransmission
	}
	now := e.nanosOf(p.Time)
	gap := time.Duration(now - c.last)
	c.next, c.last = end, now
	inc := c.inc
	inc.last = now
	if !c.read(payload, false) {
		e.slowHTTPDone(k, c)
		return
	}
	if c.trickled || gap < slowHTTPGap || len(payload) > slowHTTPTrickle {
		return
	}
	c.trickled = true
	if inc.reported {
		return
	}
	if inc.trickled == 0 || time.Duration(now-inc.first) > slowHTTPWindow {
		inc.first, inc.trickled, inc.header = now, 0, 0
	}
	inc.trickled++
	if !c.inBody {
		inc.header++
	}
	if inc.trickled >= slowHTTPConns {
		inc.reported = true
		e.slowHTTPReport(p, k, inc)
	}
}

// slowHTTPDone forgets c, finished or closed.
func (e *Engine) slowHTTPDone(k slowConnKey, c *slowConn) {
	delete(e.shttp.conns, k)
	c.inc.open--
}

// slowHTTPEnd forgets the unfinished request of a connection p closes (a
// FIN or a reset, from either end).
func (e *Engine) slowHTTPEnd(p *capture.Packet) {
	s := e.shttp
	if len(s.conns) == 0 {
		return // none unfinished: no two lookups under a generic hash per FIN
	}
	src, dst := p.SrcIP(), p.DstIP()
	sp, dp := uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)
	for _, k := range [2]slowConnKey{{src, dst, sp, dp}, {dst, src, dp, sp}} {
		if c := s.conns[k]; c != nil {
			e.slowHTTPDone(k, c)
		}
	}
}

// expireSlowHTTP forgets requests silent for slowHTTPIdle and pairs with
// none open for slowHTTPKeep.
func (e *Engine) expireSlowHTTP(now int64) {
	s := e.shttp
	if s == nil {
		return
	}
	for k, c := range s.conns {
		if time.Duration(now-c.last) > slowHTTPIdle {
			e.slowHTTPDone(k, c)
		}
	}
	for k, inc := range s.incs {
		if inc.open <= 0 && time.Duration(now-inc.last) > slowHTTPKeep {
			delete(s.incs, k)
		}
	}
}

// read takes the request's next bytes (its first segment when first);
// it reports whether the request is still unfinished.
func (c *slowConn) read(b []byte, first bool) bool {
	if !c.inBody {
		i := c.headerEnd(b)
		if first {
			h := b
			if i >= 0 {
				h = b[:i]
			}
			c.due = contentLength(h) // the first segment's header holds it (slowhttptest's, a browser's)
		}
		if i < 0 {
			return true
		}
		c.inBody = true
		c.due = max(c.due, 0) // a chunked body is not followed
		b = b[i:]
	}
	c.due -= int64(len(b))
	return c.due > 0
}

// headerEnd returns the offset just past the empty line ending the header
// in b (CRLF CRLF, or bare LFs as RFC 9112 2.2 lets a recipient accept),
// carrying the line ends seen at b's end over to the next segment; -1 when
// the header goes on.
func (c *slowConn) headerEnd(b []byte) int {
	nl := c.nl
	for i, ch := range b {
		switch ch {
		case '\n':
			nl++
			if nl == 2 {
				return i + 1
			}
		case '\r':
		default:
			nl = 0
		}
	}
	c.nl = nl
	return -1
}

// contentLength is the Content-Length of header h (0 without one, -1 for a
// chunked body, which is not followed).
func contentLength(h []byte) int64 {
	if i := indexFold(h, "\ntransfer-encoding:"); i >= 0 {
		return -1
	}
	i := indexFold(h, "\ncontent-length:")
	if i < 0 {
		return 0
	}
	v := bytes.TrimLeft(h[i+len("\ncontent-length:"):], " \t")
	var n int64
	for _, ch := range v {
		if ch < '0' || ch > '9' || n > 1<<40 {
			break
		}
		n = n*10 + int64(ch-'0')
	}
	return n
}

// httpRequestStart reports whether b begins an HTTP/1 request: a method
// and a request line naming HTTP/1.x (RFC 9112 3).
func httpRequestStart(b []byte) bool {
	if len(b) < 16 {
		return false
	}
	switch b[0] {
	case 'G', 'P', 'H', 'D', 'O':
	default:
		return false
	}
	sp := bytes.IndexByte(b[:min(len(b), 8)], ' ')
	if sp < 3 {
		return false
	}
	switch string(b[:sp]) {
	case "GET", "POST", "PUT", "HEAD", "PATCH", "DELETE", "OPTIONS":
	default:
		return false
	}
	line := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line = b[:i]
	}
	return bytes.Contains(line, []byte(" HTTP/1."))
}

// slowHTTPReport raises inc, a client's trickling requests to one server.
func (e *Engine) slowHTTPReport(p *capture.Packet, k slowConnKey, inc *slowInc) {
	src := capture.MAC6(p.Eth.SrcMAC)
	k2 := quietKey{inventory.EventSlowHTTP, src, mac{}, fmt.Sprintf("%s>%s:%d", k.client, k.server, k.sport)}
	if e.quieted(k2, p.Time) {
		return
	}
	sev := inventory.SeverityMedium
	if inc.peak >= slowHTTPHigh {
		sev = inventory.SeverityHigh
	}
	kind := "slow POST: bodies short of their Content-Length"
	if inc.header*2 > inc.trickled {
		kind = "slowloris: headers that never end"
	}
	span := time.Duration(e.nanosOf(p.Time) - inc.first)
	e.reportKey(k2, inventory.Event{
		Time: p.Time, Type: inventory.EventSlowHTTP, Severity: sev,
		MAC: macOf(src), IP: k.client, TargetMAC: macOf(inc.server), TargetIP: k.server,
		Summary: fmt.Sprintf("%s holds %d unfinished HTTP requests open to %s port %d, %d of them fed a few bytes after pauses of %s or more (%s): a slow HTTP denial of service",
			describe(src, k.client), inc.open, k.server, k.sport, inc.trickled, slowHTTPGap, kind),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d connections trickled within %s (%d in the header, %d in the body); %d unfinished requests open now, %d at most",
				inc.trickled, roundDur(span), inc.header, inc.trickled-inc.header, inc.open, inc.peak)},
			{Source: "traffic", Detail: "a request ends with an empty line after its header and Content-Length bytes after it (RFC 9112 2.1, 6.2); these never do, holding the server's workers"},
		},
	})
}
