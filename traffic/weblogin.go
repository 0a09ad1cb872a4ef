package traffic

import (
	"bytes"
	"net/netip"
	"time"

	"tend/capture"
)

// Password guessing against a web login form (hydra http-post-form,
// medusa's web-form, Burp's intruder, a script against a NAS's, router's
// or camera's login page) answers no 401: the page answers each failure
// with 200 "login failed" or a 302 back to the form (review 36a P2: 150
// guesses, 300 POSTs in 10 s, silent). Its shape: many POSTs from one
// client to one path of one server, each carrying a password-like field
// (pass, passwd, password, pwd, pin, secret, in a form-encoded or JSON
// body) with a value not sent before, and the server's answers all alike
// (same status, nearly the same length: the same failure page). Each such
// answer is one failed login for brute.go's count (bruteFailures within
// bruteFailWindow): a person retyping a password three times, a browser's
// saved login re-sending the same value, an API client POSTing telemetry
// with no password field, webhooks and an SSO hand-off (one POST, one
// redirect) stay below it. Only the first segment of a request is read
// (a request start, httpRequestStart), and HTTPS is encrypted.
const (
	webLoginIdle    = 5 * time.Minute // a tracker without a POST this long is forgotten
	webLoginTracked = 256             // client, server and port trackers kept at most
	webLoginRecent  = 8               // password values remembered per tracker (a re-sent one is no guess)
	webLoginBody    = 1024            // the most of a request body read for a password field
)

type webLoginKey struct {
	client, server netip.Addr
	port           uint16
}

// webLogin is one client's password POSTs to one path of one server.
type webLogin struct {
	_              [0]func() // not comparable: no equality function linked
	last           time.Time
	client, server mac
	path           uint64 // hash of the path POSTed to
	proto          string // what brute.go reports: "HTTP form login to /path"
	values         [webLoginRecent]uint64
	posts          int // POSTs with a new password value (values holds the last at posts % webLoginRecent)
	pending        int // answers awaited to them
	status         [3]byte
	length         int64 // the first answer's status and length: the failure page
	based          bool
	// XML-RPC logins (xmlrpclogin.go): rpc is set for them; mport is the
	// client port of the last multicall, calls the login calls counted in
	// it, left its body's bytes still to come from sequence number next;
	// aport is the client port whose answer's body is awaited, acalls
	// the failures it stands for; waiting is set while counted in
	// Engine.rpcWait.
	rpc                 bool
	waiting             bool
	mport, aport        uint16
	calls, acalls, left int
	next                uint32
	head                bool // the request's body not read yet: its first segment names the method
}

// webLoginPost reads a POST's first segment b (a request start from src to
// dst, path its request target) for a password field.
func (e *Engine) webLoginPost(p *capture.Packet, src, dst mac, path, b []byte) {
	i := bytes.Index(b, []byte("\r\n\r\n"))
	if i < 0 {
		return // the body is not in the first segment
	}
	body := b[i+4:]
	value, ok := passwordValue(body[:min(len(body), webLoginBody)])
	calls, multi := 0, false
	if !ok && len(body) > 0 {
		calls, multi = xmlrpcLoginCalls(body) // xmlrpclogin.go
		value, ok = body[:min(len(body), webLoginBody)], calls > 0
	} else if !ok {
		ok = xmlrpcBodyNext(b[:i]) // an XML body in the next segment: maybe a login
	}
	if !ok || e.isSelf(src) || !unicast(src) {
		return
	}
	if q := bytes.IndexByte(path, '?'); q >= 0 {
		path = path[:q]
	}
	k := webLoginKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.DstPort)}
	ph := fnv64(path)
	tr := e.webLogins[k]
	if tr != nil && tr.path != ph {
		if since(p.Time, tr.last) <= webLoginIdle {
			return // another form of the same server while one is followed
		}
		tr = nil
	}
	if tr == nil {
		if e.webLogins == nil {
			e.webLogins = map[webLoginKey]*webLogin{}
		}
		if len(e.webLogins) >= webLoginTracked {
			e.counters.TrackersDropped++
			return
		}
		kind := "HTTP form login to "
		if calls > 0 || len(body) == 0 {
			kind = "XML-RPC login to "
		}
		tr = &webLogin{client: src, server: dst, path: ph, proto: kind + string(path[:min(len(path), 64)])}
		e.webLogins[k] = tr
	}
	tr.last = p.Time
	switch {
	case len(body) == 0:
		e.xmlrpcAwait(p, tr, b[:i]) // xmlrpclogin.go
	case tr.guess(fnv64(value)) && calls > 0:
		e.xmlrpcRequest(p, tr, b[:i], len(body), calls, multi) // xmlrpclogin.go
	}
}

// guess notes a POST whose password hashed h is new to tr (a guess
// awaiting its answer); the same one again is a retry or a saved login.
func (tr *webLogin) guess(h uint64) bool {
	for _, v := range tr.values[:min(tr.posts, webLoginRecent)] {
		if v == h {
			return false
		}
	}
	tr.values[tr.posts%webLoginRecent] = h
	tr.posts++
	tr.pending = min(tr.pending+1, webLoginRecent)
	return true
}

// webLoginAnswer reads a server's HTTP answer b (from server to client) to
// a followed client's password POST: one alike the first is a failed login.
func (e *Engine) webLoginAnswer(p *capture.Packet, b []byte, server, client mac) {
	sport := uint16(p.TCP.SrcPort)
	tr := e.webLogins[webLoginKey{p.DstIP(), p.SrcIP(), sport}]
	if tr == nil || tr.pending == 0 {
		return
	}
	tr.pending--
	if tr.rpc {
		e.xmlrpcAnswer(p, tr, b, server, client) // xmlrpclogin.go: a fault 403 is a failure, whatever the status
		return
	}
	var code [3]byte
	copy(code[:], b[9:12])
	length := int64(-1) // unknown: no Content-Length and the body not in this segment
	if i := bytes.Index(b[:min(len(b), 2048)], []byte("\r\n\r\n")); i >= 0 {
		if length = contentLength(b[:i]); length <= 0 && len(b) > i+4 {
			length = int64(len(b) - i - 4)
		}
	}
	if !tr.based {
		tr.status, tr.length, tr.based = code, length, true
	} else if code != tr.status || !nearLength(length, tr.length) {
		return // another answer: a login that worked, or another page
	}
	if e.isSelf(client) || !unicast(client) {
		return
	}
	e.bruteCount(p, server, client, sport, sport, tr.proto) // brute.go: a failed login
}

// nearLength reports whether two answers' lengths are alike: a failure
// page echoing the user name or a token differs by a few bytes.
func nearLength(a, b int64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	return d <= max(a, b)/8+16
}

// expireWebLogins forgets the trackers without a POST for webLoginIdle
// (all when all is set: the end of a replay).
func (e *Engine) expireWebLogins(now time.Time, all bool) {
	for k, tr := range e.webLogins {
		if all || since(now, tr.last) > webLoginIdle {
			tr.left, tr.aport = 0, 0
			e.rpcSync(tr)
			delete(e.webLogins, k)
		}
	}
}

// passwordValue finds a password-like field in a request body, form-encoded
// (name=value&...) or JSON ({"name": "value"}), and returns its value
// (false without one, or with an empty value).
func passwordValue(body []byte) ([]byte, bool) {
	if len(body) == 0 {
		return nil, false
	}
	if body[0] == '{' || body[0] == '[' {
		return jsonPassword(body)
	}
	for len(body) > 0 {
		pair := body
		if i := bytes.IndexByte(body, '&'); i >= 0 {
			pair, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		if i := bytes.IndexByte(pair, '='); i > 0 && i+1 < len(pair) && passwordName(pair[:i]) {
			return pair[i+1:], true
		}
	}
	return nil, false
}

// jsonPassword finds a string or number member with a password-like name
// in a JSON body.
func jsonPassword(b []byte) ([]byte, bool) {
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		j := bytes.IndexByte(b[i+1:], '"')
		if j < 0 {
			return nil, false
		}
		name, k := b[i+1:i+1+j], i+2+j
		i = k - 1 // the closing quote: the next string starts after it
		for k < len(b) && (b[k] == ' ' || b[k] == '\t' || b[k] == '\r' || b[k] == '\n') {
			k++
		}
		if k >= len(b) || b[k] != ':' || !passwordName(name) {
			continue
		}
		v := bytes.TrimLeft(b[k+1:], " \t\r\n")
		if len(v) > 1 && v[0] == '"' {
			if end := bytes.IndexByte(v[1:], '"'); end > 0 {
				return v[1 : 1+end], true
			}
			return nil, false
		}
		if end := bytes.IndexAny(v, ",}] \r\n"); end > 0 && !bytes.HasPrefix(v, []byte("null")) {
			return v[:end], true
		}
	}
	return nil, false
}

// passwordName reports whether a field name (URL-encoded brackets and all)
// names a password: it holds "pass" or "pwd" (password, passwd, j_password,
// user[password], loginPassword) or is "pin" or "secret" after its last
// separator.
func passwordName(name []byte) bool {
	if len(name) > 64 {
		return false
	}
	if containsFold(name, "pass") || containsFold(name, "pwd") {
		return true
	}
	last := name
	for i := len(name) - 1; i >= 0; i-- {
		if c := name[i]; c == '_' || c == '.' || c == '-' || c == '[' {
			last = name[i+1:]
			break
		}
	}
	last = bytes.TrimSuffix(last, []byte("]"))
	return len(last) == 3 && indexFold(last, "pin") == 0 || len(last) == 6 && indexFold(last, "secret") == 0
}

// webRequest reads an HTTP/1 request start b from src to dst (slowhttp.go
// found it): its target for attack shapes, a POST's body for a password.
func (e *Engine) webRequest(p *capture.Packet, src, dst mac, b []byte) {
	sp := bytes.IndexByte(b[:min(len(b), 8)], ' ')
	line := b[sp+1:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	end := bytes.LastIndex(line, []byte(" HTTP/1."))
	if end < 0 {
		return
	}
	target := line[:end]
	e.webAttackRequest(p, src, dst, target, b)
	if sp == 4 && string(b[:4]) == "POST" {
		e.webLoginPost(p, src, dst, target, b)
	}
}
