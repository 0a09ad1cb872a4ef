package traffic

import (
	"net/netip"
	"time"

	"tend/capture"
)

// An HTTP server that wants Basic credentials answers a request carrying
// none with 401 and a WWW-Authenticate challenge (RFC 7617 section 2, RFC
// 9110 section 11.6.1): that is the challenge, not a failed login. A
// crawler or a directory scanner (dirb, gobuster) walking a protected site
// draws hundreds of them and guesses no password. A 401 is counted as a
// failed login only on a connection whose client sent Basic credentials
// (an "Authorization: Basic" request header), as every guessing tool does
// on each try (hydra's http-get, medusa, nmap's http-brute).

// httpConnKey is one HTTP connection: the client's and the server's
// address and port.
type httpConnKey struct {
	client, server netip.AddrPort
}

// httpCredsKept bounds the connections remembered with credentials sent;
// full, the oldest are evicted (evictHTTPCreds), and for bruteWindow after
// that a 401 on a connection the table does not know counts as a failed
// login, as before it was kept (review 32c F1: 4,100 requests with
// credentials to an unused address must not hide the guesses that follow).
const httpCredsKept = 4096

// noteHTTPCredentials remembers that the client of p (a request to the
// server) sent Basic credentials on this connection.
func (e *Engine) noteHTTPCredentials(p *capture.Packet) {
	k := httpConnKey{
		client: netip.AddrPortFrom(p.SrcIP(), uint16(p.TCP.SrcPort)),
		server: netip.AddrPortFrom(p.DstIP(), uint16(p.TCP.DstPort)),
	}
	if e.httpCreds == nil {
		e.httpCreds = map[httpConnKey]time.Time{}
	}
	if _, ok := e.httpCreds[k]; !ok && len(e.httpCreds) >= httpCredsKept {
		e.evictHTTPCreds(p.Time)
	}
	e.httpCreds[k] = p.Time
	e.basicCredential(p) // stalecred.go
}

// evictHTTPCreds makes room in the full table at now: it drops the oldest
// quarter of its span (at least the oldest entry: one scan for many
// inserts) and notes the overflow.
func (e *Engine) evictHTTPCreds(now time.Time) {
	e.counters.TrackersDropped++
	e.httpCredsFull = now
	oldest := now
	for _, t := range e.httpCreds {
		if t.Before(oldest) {
			oldest = t
		}
	}
	cut := oldest.Add(now.Sub(oldest) / 4)
	for k, t := range e.httpCreds {
		if !t.After(cut) {
			delete(e.httpCreds, k)
		}
	}
}

// httpCredentialed reports whether the client of p (an answer from the
// server) sent Basic credentials on this connection, or may have: the
// table overflowed within bruteWindow and does not know it (fail safe).
func (e *Engine) httpCredentialed(p *capture.Packet) bool {
	if !e.httpCredsFull.IsZero() && since(p.Time, e.httpCredsFull) <= bruteWindow {
		return true
	}
	if len(e.httpCreds) == 0 {
		return false
	}
	_, ok := e.httpCreds[httpConnKey{
		client: netip.AddrPortFrom(p.DstIP(), uint16(p.TCP.DstPort)),
		server: netip.AddrPortFrom(p.SrcIP(), uint16(p.TCP.SrcPort)),
	}]
	return ok
}

// flushHTTPCreds forgets the connections whose credentials are older than
// bruteWindow (all of them when all is set).
func (e *Engine) flushHTTPCreds(now time.Time, all bool) {
	for k, t := range e.httpCreds {
		if all || since(now, t) > bruteWindow {
			delete(e.httpCreds, k)
		}
	}
}
