package traffic

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"
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

type spreadKey struct {
	server  netip.Addr
	port    uint16 // the server's
	account uint64 // the account name's hash; 0: not shown
}

type spreadClient struct {
	addr netip.Addr
	mac  mac
	n    int
}

type spreadTracker struct {
	start, last, over time.Time
	reported          bool
	server            mac
	std               uint16
	proto, account    string
	total, more       int // failures; clients beyond the list
	clients           [spreadKept]spreadClient
	n                 int
}

// smbUser is the user name an SMB logon (an NTLMSSP AUTHENTICATE) gave,
// by connection.
type smbUser struct {
	cli, srv netip.Addr
	cport    uint16
	hash     uint64
	name     [32]byte
	len      uint8
}

type spreadState struct {
	m     map[spreadKey]*spreadTracker
	users [smbUserSlots]smbUser
	nuser int
}

// noteSMBUser keeps the user name of the NTLMSSP AUTHENTICATE in blob, a
// SESSION_SETUP request's security blob on k's connection.
func (e *Engine) noteSMBUser(k smbConnKey, blob []byte) {
	a, ok := ntlmAuth(blob)
	if !ok {
		return
	}
	off, n := int(binary.LittleEndian.Uint32(a[40:])), int(binary.LittleEndian.Uint16(a[36:]))
	if n == 0 || off < 64 || off+n > len(a) {
		return
	}
	if e.spread == nil {
		e.spread = &spreadState{m: map[spreadKey]*spreadTracker{}}
	}
	u := smbUser{cli: k.cli, srv: k.srv, cport: k.port, hash: 14695981039346656037}
	step := 1
	if binary.LittleEndian.Uint32(a[60:])&1 != 0 { // NTLMSSP_NEGOTIATE_UNICODE: UTF-16LE
		step = 2
	}
	for i := 0; i+step <= n; i += step {
		c := a[off+i]
		if step == 2 && a[off+i+1] != 0 {
			c = '?'
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		u.hash = (u.hash ^ uint64(c)) * 1099511628211
		if int(u.len) < len(u.name) {
			u.name[u.len] = c
			u.len++
		}
	}
	e.spread.users[e.spread.nuser%smbUserSlots] = u
	e.spread.nuser++
}

// ntlmAuth finds a whole NTLMSSP AUTHENTICATE message header in blob.
func ntlmAuth(blob []byte) ([]byte, bool) {
	i := bytes.Index(blob, []byte("NTLMSSP\x00"))
	if i < 0 || len(blob)-i < 64 || binary.LittleEndian.Uint32(blob[i+8:]) != 3 {
		return nil, false
	}
	return blob[i:], true
}

// smbAccount is the user name the SMB connection of p (a server's answer)
// logged on with, hashed, and the name; 0 when none was seen.
func (e *Engine) smbAccount(p *capture.Packet) (uint64, []byte) {
	if e.spread == nil {
		return 0, nil
	}
	cli, srv, cport := p.DstIP(), p.SrcIP(), uint16(p.TCP.DstPort)
	for i := range e.spread.users {
		if u := &e.spread.users[i]; u.cport == cport && u.cli == cli && u.srv == srv {
			return u.hash, u.name[:u.len]
		}
	}
	return 0, nil
}

// spreadFail counts a failed login of client (cli, cmac) to server (srv,
// smac) port sport, service std, in proto, for the account hashed acct
// (named name; 0 and "": not shown).
func (e *Engine) spreadFail(t time.Time, cli, srv netip.Addr, cmac, smac mac, sport, std uint16, proto string, acct uint64, name []byte) {
	if e.spread == nil {
		e.spread = &spreadState{m: map[spreadKey]*spreadTracker{}}
	}
	k := spreadKey{srv, sport, acct}
	tr := e.spread.m[k]
	if tr != nil && tr.over.IsZero() && since(t, tr.start) > bruteWindow {
		tr = nil
	}
	if tr == nil {
		if len(e.spread.m) >= spreadTrackers {
			e.counters.TrackersDropped++
			return
		}
		tr = &spreadTracker{start: t, server: smac, std: std, proto: proto, account: string(name)}
		e.spread.m[k] = tr
	}
	tr.last = t
	tr.total++
	tr.count(cli, cmac)
	if tr.over.IsZero() && tr.qualifies() {
		tr.over = t
	}
}

func (tr *spreadTracker) count(cli netip.Addr, cmac mac) {
	for i := range tr.clients[:tr.n] {
		if c := &tr.clients[i]; c.addr == cli {
			c.n++
			return
		}
	}
	if tr.n < spreadKept {
		tr.clients[tr.n] = spreadClient{cli, cmac, 1}
		tr.n++
		return
	}
	tr.more++
}

// qualifies reports whether tr is distributed guessing: spreadClients
// clients with spreadPerClient failures each, bruteFailures in all.
func (tr *spreadTracker) qualifies() bool {
	if tr.total < bruteFailures {
		return false
	}
	n := 0
	for _, c := range tr.clients[:tr.n] {
		if c.n >= spreadPerClient {
			n++
		}
	}
	return n >= spreadClients
}

// spreadFolds reports whether client's incident against srv's port is part
// of a distributed one: it is then not raised alone.
func (e *Engine) spreadFolds(cli, srv netip.Addr, port uint16) bool {
	if e.spread == nil {
		return false
	}
	for k, tr := range e.spread.m {
		if k.server != srv || k.port != port || tr.over.IsZero() {
			continue
		}
		for _, c := range tr.clients[:tr.n] {
			if c.addr == cli {
				e.counters.EventsSuppressed++
				return true
			}
		}
	}
	return false
}

// flushSpread raises the distributed incidents quiet for bruteGather or
// held for bruteHold (all when all is set); one raised is kept, folding the
// per-client incidents still due, until quiet for bruteWindow.
func (e *Engine) flushSpread(now time.Time, all bool) {
	if e.spread == nil {
		return
	}
	var due []spreadKey
	for k, tr := range e.spread.m {
		switch {
		case tr.reported || tr.over.IsZero():
			if all || since(now, tr.last) > bruteWindow || tr.over.IsZero() && since(now, tr.start) > bruteWindow {
				delete(e.spread.m, k)
			}
		case all || since(now, tr.last) > bruteGather || since(now, tr.over) > bruteHold:
			due = append(due, k)
		}
	}
	for i := 1; i < len(due); i++ { // few: in the order they began
		for j := i; j > 0 && e.spread.m[due[j]].start.Before(e.spread.m[due[j-1]].start); j-- {
			due[j], due[j-1] = due[j-1], due[j]
		}
	}
	for _, k := range due {
		tr := e.spread.m[k]
		tr.reported = true
		e.reportSpread(k, tr)
	}
}

// reportSpread raises one distributed password-guessing incident.
func (e *Engine) reportSpread(k spreadKey, tr *spreadTracker) {
	var list strings.Builder
	for i, c := range tr.clients[:tr.n] {
		if i > 0 {
			list.WriteString(", ")
		}
		fmt.Fprintf(&list, "%s (%d)", describe(c.mac, c.addr), c.n)
	}
	clients := tr.n + tr.more
	if tr.more > 0 {
		fmt.Fprintf(&list, " and %d more", tr.more)
	}
	what := fmt.Sprintf("%d failed logins (%s)", tr.total, tr.proto)
	if tr.proto == "SSH" {
		what = fmt.Sprintf("%d SSH sessions ended in the authentication phase", tr.total)
	}
	if tr.account != "" {
		what += " for the account " + tr.account
	} else if k.account != 0 {
		what += " for one account"
	}
	sev := inventory.SeverityMedium
	// SSH sessions ended in the authentication phase are no proven
	// failures (an agent's keys end so too): medium at most, as one
	// client's (sshshape.go).
	if clients >= spreadHighClients && tr.total >= 2*bruteFailures && tr.proto != "SSH" {
		sev = inventory.SeverityHigh
	}
	span := tr.last.Sub(tr.start)
	ev := inventory.Event{
		Time: tr.last, Type: inventory.EventBruteForce, Severity: sev, TargetMAC: macOf(tr.server), TargetIP: k.server,
		Summary: fmt.Sprintf("Distributed password guessing against %s on %s port %d: %s from %d clients in %s", tr.proto, k.server, k.port, what, clients, roundDur(span)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%s to %s port %d between %s and %s, from (failures each) %s", what, k.server, k.port,
				tr.start.UTC().Format(time.RFC3339), tr.last.UTC().Format(time.RFC3339), list.String())},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d clients or more with %d failures each, %d in all, against one service (and account, where the wire names it) within %s; high from %d clients and %d failures. An office's mistyped passwords are one or two a client",
				spreadClients, spreadPerClient, bruteFailures, bruteWindow, spreadHighClients, 2*bruteFailures)},
		},
	}
	e.report(ev, mac{}, tr.server)
}
