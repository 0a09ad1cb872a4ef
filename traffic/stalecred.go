package traffic

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/bits"
	"time"

	"tend/capture"
)

// A monitoring system with a stale credential (session 41 fix42d: the
// false alarm an MSP meets every week) draws the same refusals as a
// guesser: Zabbix, PRTG or LibreNMS polling 25 agents every minute, four
// requests each, as an SNMPv3 user whose password changed or whom the
// agents lack, is 100 Reports a minute over 25 agents; an HTTP monitor
// checking 10 device UIs every 30 s with an expired basic-auth password
// 20 401s a minute over 10. The protocol's shape tells them apart, not a
// host list. A poller sends the one credential it was given, at its
// interval, spread over its devices: a few failures a device a minute. A
// guesser varies what it sends: user names when it enumerates
// (onesixtyone, nmap's snmp-brute, hydra -L), passwords for one user
// otherwise, fast against one device or few (a refusal comes back at
// once: a snmpget loop makes one or two a second, a tool hundreds).
// What is seen of the credential: an SNMPv3 agent's Report echoes the
// request's msgUserName (RFC 3412 7.1.3, RFC 3414 3.1.1; the password
// only keys a digest that changes with every message), a basic-auth
// request carries user and password in its Authorization header (RFC
// 7617 2; hashed, never kept). Their failures are guessing against one
// server when they named credVaried credentials or more (user names for
// SNMPv3, user:password pairs for HTTP), or came at one a second or
// faster (bruteFailures within bruteFailures seconds); over servers
// (spray.go) only with credVaried credentials. Quiet otherwise.
const credVaried = 3

// credProto reports whether proto's failures show the credential.
func credProto(proto string) bool { return proto == "SNMPv3" || proto == httpBasic }

// httpBasic is loginFailure's name of an HTTP basic-auth 401.
const httpBasic = "HTTP basic auth"

// loginAccount is the account a failed login in proto named, hashed, and
// its name: SMB's, LDAP's, mail's and HTTP's (brutespread.go), SNMPv3's
// user name; the credential is noted in tr's set (a bit each). An HTTP
// 401 whose request was not seen counts as a new credential (fail safe).
func (e *Engine) loginAccount(p *capture.Packet, tr *bruteTracker, proto string) (uint64, []byte) {
	if proto == "SNMPv3" {
		name := snmpV3User(p.UDP.Payload) // snmpv3.go
		h := fnv64(name)
		tr.creds |= 1 << (h & 63)
		return h, name
	}
	u := e.loginSlot(p) // brutespread.go
	if proto == httpBasic {
		c := uint64(tr.failures) // unseen: a new bit as the failures go on
		if u != nil && u.cred != 0 {
			c = u.cred
		}
		tr.creds |= 1 << (c & 63)
	}
	if u == nil {
		return 0, nil
	}
	return u.hash, u.name[:u.len]
}

// guessPace reports whether tr's failed logins, at the threshold at t,
// are a guesser's: any whose credential is not seen; the others when they
// named credVaried credentials or more, or came at one a second or faster.
func (tr *bruteTracker) guessPace(t time.Time) bool {
	return !credProto(tr.proto) || bits.OnesCount64(tr.creds) >= credVaried || since(t, tr.failStart) <= bruteFailures*time.Second
}

// sprayVaried reports whether a spray's failures in proto named
// credVaried credentials or more over its servers (their trackers' sets
// joined): a poller's stale credential is one.
func (e *Engine) sprayVaried(tr *sprayTracker, proto string) bool {
	if !credProto(proto) {
		return true
	}
	var creds uint64
	for _, s := range tr.servers[:tr.n] {
		if b := e.brute[bruteKey{tr.client, s.addr, s.port}]; b != nil {
			creds |= b.creds
		}
	}
	return bits.OnesCount64(creds) >= credVaried
}

// basicCredential notes the user and the credential of the Authorization
// header of p, an HTTP request with Basic credentials: the user is named
// and the user:password pair hashed (the password never kept).
func (e *Engine) basicCredential(p *capture.Packet) {
	b := p.TCP.Payload
	i := indexFold(b, "\nauthorization: basic ")
	if i < 0 {
		return
	}
	tok := loginToken(b[i+22 : min(len(b), i+22+128)])
	var buf [96]byte
	n, _ := base64.StdEncoding.Decode(buf[:], tok)
	user := buf[:n]
	if j := bytes.IndexByte(user, ':'); j >= 0 {
		user = user[:j]
	}
	e.noteLogin(p, user) // brutespread.go
	e.spread.users[(e.spread.nuser-1)%smbUserSlots].cred = fnv64(tok) | 1
}

// credDetail is what a failed logins' count adds where the wire shows the
// credential: how many differed (at least: the set is 64 bits), or the
// pace that made one a guesser's.
func (tr *bruteTracker) credDetail() string {
	if !credProto(tr.proto) {
		return ""
	}
	what := "user names"
	if tr.proto == httpBasic {
		what = "credentials"
	}
	if n := bits.OnesCount64(tr.creds); n >= credVaried {
		return fmt.Sprintf(", at least %d different %s", n, what)
	}
	return fmt.Sprintf(", one or two %s, at one a second or faster (a poller repeats its one at its interval)", what)
}
