package traffic

import (
	"fmt"
	"testing"
	"time"

	"tend/inventory"
)

// TestBruteForceHTTPChallengeNoGuess: a directory scanner (dirb against a
// server asking Basic auth, review 32b's dirb-web.pcap) draws a 401 for
// every path on keep-alive connections and never sends credentials: the
// challenge (RFC 7617 section 2) is no failed login. The same 401s to
// requests carrying "Authorization: Basic" are guesses.
func TestBruteForceHTTPChallengeNoGuess(t *testing.T) {
	const challenge = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"nas\"\r\nContent-Length: 0\r\n\r\n"
	for _, creds := range []bool{false, true} {
		r := newRig(t, Config{Learning: time.Minute})
		at := r.baseline(t0, 2*time.Minute)
		for i := range 200 {
			cport := uint16(41000 + i%4) // four keep-alive connections
			req := fmt.Sprintf("GET /dir%d/ HTTP/1.1\r\nHost: nas\r\nUser-Agent: dirb\r\n\r\n", i)
			if creds {
				req = basicGuess
			}
			ts := at.Add(time.Duration(i) * 15 * time.Millisecond)
			r.feed(ts, tcpFrame(t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", 80, tcpFlags{ack: true, psh: true}, []byte(req)))
			r.feed(ts.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", 80, evilMAC, "10.0.0.66", cport, tcpFlags{ack: true, psh: true}, []byte(challenge)))
		}
		r.e.Tick(at.Add(5 * time.Minute))
		if n := len(r.of(inventory.EventBruteForce)); n != map[bool]int{false: 0, true: 1}[creds] {
			t.Errorf("credentials sent %v: %d brute_force events: %+v", creds, n, r.all())
		}
	}
}

// TestBruteForceHTTPCredsTableFull: review 32c F1, 4,100 requests with
// Basic credentials to an unused address (each its own connection) fill
// the table of credentialed connections; the 200 guesses that follow
// against the NAS are still counted (the oldest entries evicted, a 401 on
// an unknown connection counted while the table overflowed). Fails without
// the eviction (no brute_force).
func TestBruteForceHTTPCredsTableFull(t *testing.T) {
	const challenge = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"nas\"\r\nContent-Length: 0\r\n\r\n"
	r := newRig(t, Config{Learning: time.Minute})
	at := r.baseline(t0, 2*time.Minute)
	for i := range httpCredsKept + 4 {
		ts := at.Add(time.Duration(i) * time.Millisecond)
		r.feed(ts, tcpFrame(t, evilMAC, "10.0.0.66", uint16(20000+i), nasMAC, "10.0.0.99", 80, tcpFlags{ack: true, psh: true}, []byte(basicGuess)))
	}
	at = at.Add(5 * time.Second)
	for i := range 200 {
		cport := uint16(50000 + i)
		ts := at.Add(time.Duration(i) * 15 * time.Millisecond)
		r.feed(ts, tcpFrame(t, evilMAC, "10.0.0.66", cport, nasMAC, "10.0.0.30", 80, tcpFlags{ack: true, psh: true}, []byte(basicGuess)))
		r.feed(ts.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", 80, evilMAC, "10.0.0.66", cport, tcpFlags{ack: true, psh: true}, []byte(challenge)))
	}
	r.e.Tick(at.Add(5 * time.Minute))
	if n := len(r.of(inventory.EventBruteForce)); n != 1 {
		t.Errorf("%d brute_force events, want 1: %+v", n, r.all())
	}
	if n := len(r.e.httpCreds); n > httpCredsKept {
		t.Errorf("%d credentialed connections kept, bound %d", n, httpCredsKept)
	}
}
