package traffic

import (
	"bytes"

	"tend/capture"
)

// WordPress's XML-RPC endpoint (/xmlrpc.php) takes a user name and a
// password as plain params of most of its methods, so guessing tools
// (WPScan's xmlrpc attack, hydra scripts, botnets) POST methodCalls
// instead of the login form (review 42 P3: 60 wp.getUsersBlogs calls, then
// one system.multicall carrying 50): no password-named field for
// weblogin.go to find. A methodCall (XML-RPC spec: <methodCall>
// <methodName>) naming wp.getUsersBlogs or wp.getProfile is one login, a
// system.multicall one per such call inside it (counted in the request's
// segments as they come, in order; a name split across two segments is
// missed); the answer is a failure when it carries a fault 403 (WordPress's
// "Incorrect username or password.", wp-includes/class-wp-xmlrpc-server.php
// login()), read in the answer's first segment or, when that holds only
// the header, in the next one. Each failure counts toward brute.go's
// threshold (bruteFailures within bruteFailWindow, and spray.go's over
// servers). A blog client (the WordPress app, a publishing tool) logs in
// with one saved password: its answers carry no fault, or the same
// password re-sent is no guess (weblogin.go).
const (
	xmlrpcHead     = 256   // bytes of a body read for the methodName
	xmlrpcBody     = 65536 // bytes of a segment read for a multicall's calls or an answer's fault
	xmlrpcMaxCalls = 500   // failures counted for one multicall's answer at most
)

// xmlrpcLoginCalls is the number of login calls a methodCall body b (its
// first segment) carries, and whether it is a system.multicall (whose
// calls may go on in the next segments); 0 for anything else.
func xmlrpcLoginCalls(b []byte) (int, bool) {
	head := b[:min(len(b), xmlrpcHead)]
	i := bytes.Index(head, []byte("<methodName>"))
	if i < 0 || !bytes.Contains(head[:i], []byte("<methodCall")) {
		return 0, false
	}
	name := head[i+len("<methodName>"):]
	j := bytes.IndexByte(name, '<')
	if j < 0 {
		return 0, false
	}
	switch string(bytes.TrimSpace(name[:j])) {
	case "wp.getUsersBlogs", "wp.getProfile":
		return 1, false
	case "system.multicall":
		return xmlrpcCountCalls(b[i:]), true
	}
	return 0, false
}

// xmlrpcCountCalls counts the login methods named in b (a multicall's
// body, or a segment of it): each inner call's methodName value.
func xmlrpcCountCalls(b []byte) int {
	b = b[:min(len(b), xmlrpcBody)]
	return bytes.Count(b, []byte("wp.getUsersBlogs<")) + bytes.Count(b, []byte("wp.getProfile<"))
}

// xmlrpcFault403 reports whether an XML-RPC answer's body b carries a
// fault whose faultCode is 403 (<int> or <i4>).
func xmlrpcFault403(b []byte) bool {
	b = b[:min(len(b), xmlrpcBody)]
	i := bytes.Index(b, []byte(">faultCode<"))
	if i < 0 {
		return false
	}
	rest := b[i:min(len(b), i+96)]
	return bytes.Contains(rest, []byte("<int>403</int>")) || bytes.Contains(rest, []byte("<i4>403</i4>"))
}

// xmlrpcRequest follows an XML-RPC login request p (its header h, the
// body's bytes in this segment n) of tr: a multicall's calls, counted
// here and in the request's next segments.
func (e *Engine) xmlrpcRequest(p *capture.Packet, tr *webLogin, h []byte, n, calls int, multi bool) {
	tr.rpc = true
	if !multi {
		return
	}
	tr.mport, tr.calls, tr.left = uint16(p.TCP.SrcPort), calls, 0
	if cl := contentLength(h); cl > int64(n) {
		tr.left = int(min(cl-int64(n), 1<<30))
		tr.next = p.TCP.Seq + uint32(len(p.TCP.Payload))
	}
	e.rpcSync(tr)
}

// xmlrpcBodyNext reports whether a POST's header h, its body not in the
// same segment (Python's http.client, curl's Expect: 100-continue), sends
// XML (text/xml, the XML-RPC spec's type): the next segment may be a
// methodCall.
func xmlrpcBodyNext(h []byte) bool { return containsFold(h, "/xml") }

// xmlrpcAwait follows the POST p (its header h) of tr whose body comes
// in the next segments: the first names the method (xmlrpcFirst).
func (e *Engine) xmlrpcAwait(p *capture.Packet, tr *webLogin, h []byte) {
	tr.rpc, tr.head = true, true
	tr.mport, tr.calls = uint16(p.TCP.SrcPort), 0
	tr.left = int(min(contentLength(h), 1<<30))
	tr.next = p.TCP.Seq + uint32(len(p.TCP.Payload))
	e.rpcSync(tr)
}

// xmlrpcFirst reads b, the first segment of tr's awaited request body:
// a login call is a guess (a multicall's calls counted, the rest in the
// next segments: true).
func (e *Engine) xmlrpcFirst(tr *webLogin, b []byte) bool {
	calls, multi := xmlrpcLoginCalls(b)
	if calls == 0 || !tr.guess(fnv64(b[:min(len(b), webLoginBody)])) {
		return false
	}
	tr.calls = calls
	return multi
}

// xmlrpcAnswer reads a server's answer b (its first segment, from server
// to client) to an XML-RPC login request of tr.
func (e *Engine) xmlrpcAnswer(p *capture.Packet, tr *webLogin, b []byte, server, client mac) {
	n, cport := 1, uint16(p.TCP.DstPort)
	if cport == tr.mport {
		n, tr.mport, tr.left = tr.calls, 0, 0 // the multicall's answer: its body was all sent
	}
	i := bytes.Index(b[:min(len(b), 2048)], []byte("\r\n\r\n"))
	switch {
	case i < 0:
	case len(b) == i+4:
		tr.aport, tr.acalls = cport, n // the body comes in the next segment
	case xmlrpcFault403(b[i+4:]):
		e.xmlrpcFailures(p, tr, n, server, client)
	}
	e.rpcSync(tr)
}

// xmlrpcMore reads a TCP segment while an XML-RPC login exchange is
// followed (e.rpcWait): a multicall's next segment, or the body of an
// answer whose header came alone. src and dst are the frame's MACs.
func (e *Engine) xmlrpcMore(p *capture.Packet, src, dst mac) {
	b, sp, dp := p.TCP.Payload, uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)
	if tr := e.webLogins[webLoginKey{p.SrcIP(), p.DstIP(), dp}]; tr != nil && tr.left > 0 && tr.mport == sp {
		switch {
		case p.TCP.Seq != tr.next: // in order: a retransmission or a segment after a lost one is not read
		case tr.head && !e.xmlrpcFirst(tr, b):
			tr.left, tr.mport = 0, 0 // no login, or a single call: nothing more to read
		default:
			if !tr.head {
				tr.calls += xmlrpcCountCalls(b)
			}
			tr.head = false
			tr.left -= len(b)
			tr.next += uint32(len(b))
		}
		e.rpcSync(tr)
		return
	}
	if tr := e.webLogins[webLoginKey{p.DstIP(), p.SrcIP(), sp}]; tr != nil && tr.aport != 0 && tr.aport == dp {
		tr.aport = 0
		if xmlrpcFault403(b) {
			e.xmlrpcFailures(p, tr, tr.acalls, src, dst)
		}
		e.rpcSync(tr)
	}
}

// xmlrpcFailures counts n failed logins (up to xmlrpcMaxCalls) of tr's
// client, p being the server's answer.
func (e *Engine) xmlrpcFailures(p *capture.Packet, tr *webLogin, n int, server, client mac) {
	if e.isSelf(client) || !unicast(client) {
		return
	}
	sport := uint16(p.TCP.SrcPort)
	for range min(max(n, 1), xmlrpcMaxCalls) {
		e.bruteCount(p, server, client, sport, sport, tr.proto) // brute.go
	}
}

// rpcSync keeps e.rpcWait, the trackers with a multicall's body or an
// answer's body still to read, in step with tr.
//
//go:noinline
func (e *Engine) rpcSync(tr *webLogin) {
	if w := tr.left > 0 || tr.aport != 0; w != tr.waiting {
		tr.waiting = w
		if w {
			e.rpcWait++
		} else {
			e.rpcWait--
		}
	}
}
