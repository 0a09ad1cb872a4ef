package traffic

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Web attack tools (sqlmap, nikto, commix, a Log4Shell or traversal
// scanner) send a web application thousands of requests carrying the
// well-known injection shapes, answered 200 as often as not (review 36a
// P2: sqlmap, 6,206 requests in 40 s, all 200, silent). The request line's
// target (and a form body in the request's first segment), URL-decoded,
// lower-cased and with runs of blanks and SQL comments made one space, is
// searched for them: SQL (UNION SELECT, a quoted OR, SLEEP(, BENCHMARK(,
// WAITFOR DELAY, PG_SLEEP(, a subquery, INFORMATION_SCHEMA, EXTRACTVALUE(,
// UPDATEXML(), path traversal (../../, /etc/passwd, win.ini), a script tag
// and JNDI lookups (${jndi:). webAttackRequests different requests of one
// client to one server and port within webAttackWindow carrying them are
// an attack; a person pasting one odd query, or a developer trying one
// payload, sends a few. Only request starts are read (httpRequestStart),
// and a target without a byte the shapes need is passed over at once.
// Reported as webscan.go's scans are, webScanGather after the last or at
// webScanHold.
const (
	webAttackRequests = 20
	webAttackWindow   = 5 * time.Minute
	webAttackTracked  = 256
	webAttackRead     = 512 // bytes of a target or body decoded
)

// webAttackShapes are the shapes searched for, decoded and lower-cased,
// with their kind (an index into webAttackKinds).
var webAttackShapes = [...]struct {
	_    [0]func() // not comparable: no equality function linked
	s    string
	kind uint8
}{
	{s: "union select"}, {s: "union all select"}, {s: "' or '"}, {s: "' or 1"},
	{s: "\" or \""}, {s: "sleep("}, {s: "benchmark("}, {s: "waitfor delay"},
	{s: "(select "}, {s: "information_schema"}, {s: "extractvalue("}, {s: "updatexml("},
	{s: "../../", kind: 1}, {s: "..\\..\\", kind: 1}, {s: "/etc/passwd", kind: 1}, {s: "win.ini", kind: 1},
	{s: "<script", kind: 2}, {s: "${jndi:", kind: 3},
}

var webAttackKinds = [...]string{"SQL injection", "path traversal", "script injection (XSS)", "JNDI lookup (Log4Shell)"}

// webAttackBytes marks the bytes a target needs to hold one of the shapes
// (encoded or not): others are passed over without decoding. A dot or a
// slash, in nearly every target, only with what follows (webAttackMatch).
var webAttackBytes = func() (t [256]bool) {
	for _, c := range "%'\"(<$+*\\ ./" {
		t[c] = true
	}
	return t
}()

// webAttackRequest searches a request start b (from src to dst, target its
// request target) for attack shapes.
func (e *Engine) webAttackRequest(p *capture.Packet, src, dst mac, target, b []byte) {
	var buf [webAttackRead]byte
	kinds, h := webAttackMatch(&buf, target), fnv64(target)
	if len(b) > 5 && string(b[:5]) == "POST " {
		if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 && i+4 < len(b) {
			kinds |= webAttackMatch(&buf, b[i+4:])
			h ^= fnv64(b[i+4:min(len(b), i+4+webAttackRead)]) * 31
		}
	}
	if kinds == 0 || e.isSelf(src) || !unicast(src) {
		return
	}
	k := webScanKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.DstPort)}
	wa := e.webAttacks[k]
	if wa != nil && wa.over.IsZero() && since(p.Time, wa.start) > webAttackWindow {
		delete(e.webAttacks, k)
		wa = nil
	}
	if wa == nil {
		if e.webAttacks == nil {
			e.webAttacks = map[webScanKey]*webScan{}
		}
		if len(e.webAttacks) >= webAttackTracked {
			e.counters.TrackersDropped++
			return
		}
		n := copy(buf[:], target[:min(len(target), 120)])
		wa = &webScan{start: p.Time, client: src, server: dst, paths: map[uint64]struct{}{}, sample: strings.ToValidUTF8(string(buf[:n]), "?")}
		e.webAttacks[k] = wa
	}
	wa.last = p.Time
	wa.errors++
	wa.ok |= int(kinds)
	if len(wa.paths) < webAttackRequests {
		wa.paths[h] = struct{}{}
	}
	if wa.over.IsZero() && len(wa.paths) >= webAttackRequests {
		wa.over = p.Time
	}
}

// webAttackMatch decodes s into buf (percent escapes, '+' as a space,
// lower case, runs of blanks and /* comments */ as one space) and returns
// the kinds of the shapes it holds as bits.
func webAttackMatch(buf *[webAttackRead]byte, s []byte) uint8 {
	s = s[:min(len(s), webAttackRead)]
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; webAttackBytes[c] && (c != '.' || i+1 < len(s) && (s[i+1] == '.' || s[i+1] == 'i')) &&
			(c != '/' || bytes.HasPrefix(s[i+1:], []byte("etc/"))) {
			break
		}
	}
	if i == len(s) {
		return 0
	}
	n, blank := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
		} else if c == '/' && i+1 < len(s) && s[i+1] == '*' {
			if end := bytes.Index(s[i+2:], []byte("*/")); end >= 0 {
				i += end + 3
				c = ' '
			}
		}
		switch {
		case c == '+' || c == ' ' || c == '\t' || c == '\r' || c == '\n':
			if blank {
				continue
			}
			c, blank = ' ', true
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
			blank = false
		default:
			blank = false
		}
		buf[n] = c
		n++
	}
	d := buf[:n]
	var kinds uint8
	for _, sh := range webAttackShapes {
		if kinds&(1<<sh.kind) == 0 && bytes.Contains(d, []byte(sh.s)) {
			kinds |= 1 << sh.kind
		}
	}
	return kinds
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// reportWebAttack raises one web attack: the client is the culprit, the
// server and its port the target.
func (e *Engine) reportWebAttack(k webScanKey, wa *webScan) {
	var kinds []string
	for i, s := range webAttackKinds {
		if wa.ok&(1<<i) != 0 {
			kinds = append(kinds, s)
		}
	}
	what := strings.Join(kinds, ", ")
	span := wa.last.Sub(wa.start)
	ev := inventory.Event{
		Time: wa.last, Type: inventory.EventWebAttack, Severity: inventory.SeverityHigh,
		IP: k.client, TargetMAC: macOf(wa.server), TargetIP: k.server,
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d HTTP requests carrying %s from %s to %s port %d between %s and %s (%s); the first: %q",
				wa.errors, what, k.client, k.server, k.port, wa.start.UTC().Format(time.RFC3339), wa.last.UTC().Format(time.RFC3339), roundDur(span), wa.sample)},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d different requests of one client to one server within %s carrying injection shapes (UNION SELECT, a quoted OR, SLEEP(, ../../, /etc/passwd, <script, ${jndi:); a person pasting an odd query sends one or two", webAttackRequests, webAttackWindow)},
		},
	}
	culprit, who := e.webCulprit(&ev, wa.client, k.client)
	ev.Summary = fmt.Sprintf("%s attacked the web application on %s port %d: %d requests carrying %s in %s (a web attack tool: sqlmap, nikto, an exploit scanner)", who, k.server, k.port, wa.errors, what, roundDur(span))
	e.report(ev, culprit, wa.server)
}
