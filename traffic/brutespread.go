package traffic

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Password guessing spread over many clients (a botnet, or one attacker
// driving ten workstations, each slower than one guesser's threshold) is one
// attack on one server (review 37a P4: ten SSH guessers at one try per 30 s
// each gave ten Low events; 50 SMB STATUS_LOGON_FAILUREs for administrator
// from ten hosts in 2.5 min, five per host, gave nothing). The failures the
// per-client trackers count (brute.go: a failed login's answer; sshshape.go:
// an SSH session that ended in the authentication phase; kerberos.go:
// PREAUTH_FAILED or CLIENT_REVOKED) are also counted per server and
// service, and per account where the wire names it: SMB's NTLMSSP
// AUTHENTICATE carries the user name in clear (MS-NLMP 2.2.1.3), a Kerberos
// AS-REQ the client's name. spreadClients clients or more with
// spreadPerClient failures each, bruteFailures in all within bruteWindow,
// are one incident (culprits: the clients, listed with their counts;
// target: the server), and the per-client incidents inside it are folded
// into it. Not counted as one: an office morning (thirty users each
// mistyping once: one failure a client, and per account one client); a
// service account with a stale password retrying from one host (one
// client: brute.go's rule); monitoring's logins (they succeed). Three
// devices of one user with a stale password retrying every half minute
// could reach it: medium until spreadHighClients clients and twice
// bruteFailures failures (SSH's sessions ended in authentication, no proven
// failures, stay medium).
const (
	spreadClients     = 3
	spreadPerClient   = 2
	spreadHighClients = 5
	spreadKept        = 16 // clients listed per incident
	spreadTrackers    = 64 // servers (and accounts) followed at once
	smbUserSlots      = 16 // SMB logons' user names awaiting their answer
)

// spreadTracker is one server's service (and account) within bruteWindow.
type spreadTracker struct {
	_      [0]func() // not comparable: no equality function generated
	server netip.Addr
	port   uint16 // the server's
	acct   uint64 // the account name's hash; 0: not shown
	guessRun
	serverMAC      mac
	proto, account string
	mixed          bool   // account-less failures named more than one account (LDAP's DNs)
	total, more    int    // failures; clients beyond the list
	moreSeen       uint64 // a bit per client beyond the list (its address hashed): more counts clients, not failures
	clients        [spreadKept]spreadClient
	n              int
}

// spreadClient is one client's failures in a tracker: n in all, an for
// each of the first two accounts its logins named (accts), other for the
// rest (no account named, or a third).
type spreadClient struct {
	_        [0]func()
	addr     netip.Addr
	mac      mac
	n, other int
	accts    [2]uint64
	an       [2]int
}

// note counts one failure of c for the account hashed user (0: none named).
func (c *spreadClient) note(user uint64) {
	c.n++
	for j := range c.accts {
		if user != 0 && (c.accts[j] == user || c.accts[j] == 0) {
			c.accts[j] = user
			c.an[j]++
			return
		}
	}
	c.other++
}

// smbUser is the user name an SMB logon (an NTLMSSP AUTHENTICATE) gave,
// by connection.
type smbUser struct {
	_    [0]func()
	k    smbConnKey
	hash uint64
	cred uint64 // an HTTP basic-auth login's user:password hashed (stalecred.go), 0 elsewhere
	name [32]byte
	len  uint8
}

// spreadState holds the trackers in the order they began (a replay
// reports the same events) and the last SMB logons' user names.
type spreadState struct {
	trs   []*spreadTracker
	users [smbUserSlots]smbUser
	nuser int
	sip   sipState        // SIP challenges awaiting their credentialled request's answer (sipguess.go)
	spray []*sprayTracker // one client's failures over servers (spray.go)
}

// noteSMBUser keeps the user name of the NTLMSSP AUTHENTICATE in blob, a
// SESSION_SETUP request's security blob on k's connection.
func (e *Engine) noteSMBUser(k smbConnKey, blob []byte) {
	a := ntlmMessage(blob, 3, 64) // smbenum.go
	if a == nil {
		return
	}
	off, n := int(binary.LittleEndian.Uint32(a[40:])), int(binary.LittleEndian.Uint16(a[36:]))
	if n == 0 || off < 64 || off+n > len(a) {
		return
	}
	step := 1 + int(binary.LittleEndian.Uint32(a[60:])&1) // NTLMSSP_NEGOTIATE_UNICODE: UTF-16LE
	e.noteUser(k, a[off:off+n], step)
}

// noteUser keeps the account name b (every step-th byte) a login on k's
// connection gave: its first 32 characters in lower case, hashed whole.
func (e *Engine) noteUser(k smbConnKey, b []byte, step int) {
	if e.spread == nil {
		e.spread = &spreadState{}
	}
	u := &e.spread.users[e.spread.nuser%smbUserSlots]
	e.spread.nuser++
	u.k, u.len, u.cred = k, 0, 0
	h := uint64(14695981039346656037)
	for i := 0; i < len(b); i += step {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if int(u.len) < len(u.name) {
			u.name[u.len] = c
			u.len++
		}
		h = (h ^ uint64(c)) * 1099511628211
	}
	u.hash = h
}

// ldapBindUser keeps the name (a DN) of an LDAP simple BindRequest with a
// password (insecure2.go ldapSimpleBind found it), its client's request
// on p's connection: its BindResponse resultCode 49 is a failed login of
// that account (brute.go). The password is never read. Binds over LDAPS
// (636), after StartTLS or by SASL are encrypted or carry no name: not
// judged.
func (e *Engine) ldapBindUser(p *capture.Packet) {
	if name := ldapBindDN(p.TCP.Payload); len(name) > 0 {
		e.noteLogin(p, name)
	}
}

// ldapBindDN is the name of the BindRequest b starts (RFC 4511 4.2:
// LDAPMessage SEQUENCE { messageID, [APPLICATION 0] { version, name
// OCTET STRING, authentication } }), or nil.
func ldapBindDN(b []byte) []byte {
	msg, ok := berHeader(b, 0x30)
	if !ok || len(msg) < 3 {
		return nil
	}
	bind, ok := berHeader(afterTLV(msg), 0x60)
	if !ok {
		return nil
	}
	name, _ := berHeader(afterTLV(bind), 0x04)
	return name
}

// loginSlot is the logon noted for the connection p (a server's answer)
// belongs to: the user name it logged on with (SMB's, the DN of an LDAP
// bind: ldapBindUser; mail's, HTTP basic auth's), hashed, and the name;
// nil when none was seen.
//
//go:noinline
func (e *Engine) loginSlot(p *capture.Packet) *smbUser {
	if e.spread != nil && p.Has&capture.HasTCP != 0 { // an SNMPv3 Report (snmpv3.go) names no account
		k := smbConnKey{p.DstIP(), p.SrcIP(), uint16(p.TCP.DstPort)}
		for i := range e.spread.users {
			if u := &e.spread.users[i]; u.k == k {
				return u
			}
		}
	}
	return nil
}

// spreadFail counts a failed login in proto of a client (MAC cmac) to a
// server's port (MAC smac), counted per account hashed acct (0: per
// server), of the account hashed user (named name; 0 and nil: not shown).
// k is the client, the server and its port.
func (e *Engine) spreadFail(t time.Time, k bruteKey, cmac, smac mac, proto string, acct, user uint64, name []byte) {
	cli, srv, port := k.client, k.server, k.port
	if e.spread == nil {
		e.spread = &spreadState{}
	}
	e.sprayFail(t, k, cmac, smac, proto, user, name) // spray.go
	var tr *spreadTracker
	for _, x := range e.spread.trs {
		if x.server == srv && x.port == port && x.acct == acct && (!x.over.IsZero() || since(t, x.start) <= bruteWindow) {
			tr = x
		}
	}
	if tr == nil {
		if len(e.spread.trs) >= spreadTrackers {
			e.counters.TrackersDropped++
			return
		}
		tr = &spreadTracker{server: srv, port: port, acct: acct, guessRun: guessRun{start: t}, serverMAC: smac, proto: proto, account: string(name)}
		e.spread.trs = append(e.spread.trs, tr)
	}
	tr.last = t
	tr.total++
	if acct == 0 && !tr.mixed && tr.account != string(name) {
		tr.mixed, tr.account = true, "" // a spray of many accounts: none named
	}
	i := 0
	for i < tr.n && tr.clients[i].addr != cli {
		i++
	}
	switch {
	case i < tr.n:
	case i < spreadKept:
		tr.clients[i] = spreadClient{addr: cli, mac: cmac}
		tr.n++
	default:
		if bit := uint64(1) << (ipHash(cli) & 63); tr.moreSeen&bit == 0 {
			tr.moreSeen |= bit
			tr.more++ // a client, once (two sharing a bit: counted once)
		}
	}
	if i < tr.n {
		tr.clients[i].note(user)
	}
	if tr.over.IsZero() && tr.qualifies() {
		tr.over = t
	}
}

// qualifies reports whether tr is distributed guessing: spreadClients
// clients with spreadPerClient failures each, bruteFailures in all. A
// client whose failures all named its own one or two accounts, that no
// other client failed for, is left out: a device retrying a stale saved
// password (password change day: each desk's mail client, phone or
// session retrying its user's old one), where guessing is many clients
// on one account or each on many.
//
//go:noinline
func (tr *spreadTracker) qualifies() bool {
	if tr.total < bruteFailures || tr.n < spreadClients {
		return false // most calls: one client's failures
	}
	n, sum := 0, tr.total
	for i := range tr.clients[:tr.n] {
		c := &tr.clients[i]
		switch {
		case tr.ownAccounts(c):
			sum -= c.n
		case c.n >= spreadPerClient:
			n++
		}
	}
	return n >= spreadClients && sum >= bruteFailures
}

// ownAccounts reports whether every failure of c named an account of its
// own: one no other client in tr failed for.
func (tr *spreadTracker) ownAccounts(c *spreadClient) bool {
	if c.other > 0 || c.n == 0 {
		return false
	}
	for _, d := range tr.clients[:tr.n] {
		for j, a := range c.accts {
			if d.addr != c.addr && c.an[j] > 0 && (d.accts[0] == a && d.an[0] > 0 || d.accts[1] == a && d.an[1] > 0) {
				return false
			}
		}
	}
	return true
}

// spreadFolds reports whether client's incident against srv's port is part
// of a distributed one: it is then not raised alone.
//
//go:noinline
func (e *Engine) spreadFolds(cli, srv netip.Addr, port uint16) bool {
	if e.spread == nil {
		return false
	}
	for _, tr := range e.spread.trs {
		for _, c := range tr.clients[:tr.n] {
			if c.addr == cli && tr.server == srv && tr.port == port && !tr.over.IsZero() {
				e.counters.EventsSuppressed++
				return true
			}
		}
	}
	return false
}

// flushSpread raises the distributed incidents and the sprays
// (spray.go) quiet for bruteGather or held for bruteHold (all when all is
// set), each list in the order they began; one raised is kept, folding
// the per-client and per-server incidents still due, until quiet for
// bruteWindow; one below the thresholds is forgotten when its window
// passed (a spray's: one failure window from its start).
func (e *Engine) flushSpread(now time.Time, all bool) {
	if e.spread == nil {
		return
	}
	flushGuessing(&e.spread.trs, now, all, func(g *guessRun) bool {
		return since(now, g.last) <= bruteWindow && since(now, g.start) <= bruteWindow
	}, e.reportSpread)
	flushGuessing(&e.spread.spray, now, all, func(g *guessRun) bool {
		return since(now, g.start) <= bruteFailWindow
	}, e.reportSpray)
}

// guessRun is when an incident of guessing over many clients or servers
// began, its last failure, when it passed the thresholds (zero: not yet)
// and whether it was raised.
type guessRun struct {
	start, last, over time.Time
	reported          bool
}

func (g *guessRun) run() *guessRun { return g }

// flushGuessing raises (report) the incidents of *trs past the thresholds
// quiet for bruteGather or held for bruteHold (all when all is set), in
// order; it keeps one raised until quiet for bruteWindow and one below
// the thresholds while fresh says so.
func flushGuessing[T interface{ run() *guessRun }](trs *[]T, now time.Time, all bool, fresh func(*guessRun) bool, report func(T)) {
	kept := (*trs)[:0]
	for _, tr := range *trs {
		g := tr.run()
		if !g.reported && !g.over.IsZero() && (all || since(now, g.last) > bruteGather || since(now, g.over) > bruteHold) {
			g.reported = true
			report(tr)
		}
		if !all && (g.over.IsZero() && fresh(g) || !g.over.IsZero() && since(now, g.last) <= bruteWindow) {
			kept = append(kept, tr)
		}
	}
	clear((*trs)[len(kept):])
	*trs = kept
}

// reportSpread raises one distributed password-guessing incident.
func (e *Engine) reportSpread(tr *spreadTracker) {
	var list []byte
	for _, c := range tr.clients[:tr.n] {
		list = fmt.Appendf(list, ", %s (%d)", describe(c.mac, c.addr), c.n)
	}
	sev, what := inventory.SeverityMedium, " failed logins ("+tr.proto+")"
	if tr.proto == "SSH" {
		// Sessions ended in the authentication phase are no proven
		// failures (an agent's keys end so too): medium at most, as one
		// client's (sshshape.go).
		what = " SSH sessions ended in the authentication phase"
	} else if tr.n+tr.more >= spreadHighClients && tr.total >= 2*bruteFailures {
		sev = inventory.SeverityHigh
	}
	if tr.account != "" {
		what += " for the account " + tr.account
	}
	ev := inventory.Event{
		Time: tr.last, Type: inventory.EventBruteForce, Severity: sev, TargetMAC: macOf(tr.serverMAC), TargetIP: tr.server,
		Summary: fmt.Sprintf("Distributed password guessing against %s on %s port %d: %d%s from %d clients in %s", tr.proto, tr.server, tr.port, tr.total, what, tr.n+tr.more, roundDur(tr.last.Sub(tr.start))),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("from (failures each) %s and %d more clients", list[2:], tr.more)},
			{Source: "traffic", Detail: "threshold: 3 clients or more with 2 failures each, 20 in all, against one service (and account, where the wire names it) within 5m0s; high from 5 clients and 40 failed logins. An office's mistyped passwords are one or two a client"},
		},
	}
	e.report(ev, mac{}, tr.serverMAC)
}

// mailLogin keeps the account a cleartext login names, a client's segment
// to port dp (143, 110 or 21): IMAP's LOGIN, or AUTHENTICATE PLAIN with
// its initial response (RFC 9051 6.2.2-3, RFC 4959; RFC 4616: authzid NUL
// authcid NUL password), POP3's and FTP's USER (RFC 1939 7, RFC 959
// 4.1.1). The password is never kept.
func (e *Engine) mailLogin(p *capture.Packet, dp uint16) {
	b := p.TCP.Payload
	var buf [96]byte
	if dp == 143 {
		b = b[bytes.IndexByte(b, ' ')+1:] // after the tag
	}
	switch {
	case dp != 143 && hasPrefixFold(b, "USER "):
		b = loginToken(b[5:])
	case dp == 143 && hasPrefixFold(b, "LOGIN "):
		b = loginToken(b[6:])
	case dp == 143 && hasPrefixFold(b, "AUTHENTICATE PLAIN "):
		n, _ := base64.StdEncoding.Decode(buf[:], loginToken(b[19:min(len(b), 19+128)]))
		b = buf[:n]
		if i := bytes.IndexByte(b, 0) + 1; i > 0 {
			b = b[i:]
		}
		if i := bytes.IndexByte(b, 0); i > 0 {
			b = b[:i]
			break
		}
		return
	default:
		return
	}
	e.noteLogin(p, b)
}

// noteLogin keeps the account name a client's segment p names.
//
//go:noinline
func (e *Engine) noteLogin(p *capture.Packet, name []byte) {
	e.noteUser(smbConnKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort)}, name, 1)
}

// loginToken is the atom or quoted string b starts with.
func loginToken(b []byte) []byte {
	if len(b) > 0 && b[0] == '"' {
		b = b[1:]
		if i := bytes.IndexByte(b, '"'); i >= 0 {
			return b[:i]
		}
	}
	if i := bytes.IndexAny(b, " \r\n"); i >= 0 {
		return b[:i]
	}
	return b
}
