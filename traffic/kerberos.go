package traffic

import (
	"fmt"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Kerberos (port 88, UDP, and TCP with its 4-byte record length) tells in
// clear how a KDC answered each request, and the attacks on Active
// Directory that start from a workstation show in it:
//   - user enumeration (kerbrute userenum, GetNPUsers over a list):
//     AS-REQs for many names answered KDC_ERR_C_PRINCIPAL_UNKNOWN (6);
//   - password spraying (kerbrute passwordspray, getTGT in a loop): AS-REQs
//     with a pre-authentication for many names answered
//     KDC_ERR_PREAUTH_FAILED (24) or KDC_ERR_CLIENT_REVOKED (18);
//   - AS-REP roasting (GetNPUsers, Rubeus asreproast): an AS-REQ without
//     a pre-authentication answered by an AS-REP, whose encrypted part is
//     then cracked offline, and whose TGT is never used (a logon to a KDC
//     that requires no pre-authentication uses it at once: krbTracker.held);
//   - kerberoasting (GetUserSPNs, Rubeus kerberoast): TGS-REQs for many
//     services asking RC4 first, the weakest key to crack; for fewer where
//     the request contradicts the client's own Kerberos (krbTracker.aes,
//     krbTracker.mixed): a small business has two service accounts.
//
// An ordinary logon sends one AS-REQ without pre-authentication, is
// answered KDC_ERR_PREAUTH_REQUIRED (25), and sends it again with one; a
// terminal server does that for each user logging on (25 is never
// counted). A person mistypes a name or a password two or three times.
// Windows since Vista and MIT Kerberos ask AES first: RC4 alone is an old
// client's or a tool's. Names are told apart by a hash, never kept.
const (
	krbWindow = 5 * time.Minute
	// krbNames distinct names unknown to the KDC or refused their
	// password, from one client to one KDC within krbWindow, are guessing.
	krbNames = 10
	// krbSPNs distinct services asked for with RC4 first are kerberoasting;
	// krbSPNsMixed where the client's own AS-REQ asked RC4 alone and the
	// TGS-REQs offer more after it (krbTracker.mixed).
	krbSPNs      = 3
	krbSPNsMixed = 2
	// krbNamesKept bounds the hashes a tracker keeps per kind.
	krbNamesKept = 256
	// krbUse is how soon a logon uses the TGT it got: a TGS-REP to the
	// same client within it (krbTracker.held).
	krbUse = 10 * time.Second
	// krbSPNText services are named in a kerberoasting event.
	krbSPNText = 4
)

// krbTracker is one client's requests to one KDC within krbWindow.
type krbTracker struct {
	start, last, over time.Time
	clientMAC, server mac
	// pending holds the AS-REQs awaiting their answer: the client's port,
	// the name's hash and whether it carried a pre-authentication (a ring
	// at npending % len).
	pending  [8]krbPending
	npending int
	// Distinct names: unknown to the KDC (6), refused their password (24,
	// 18), answered an AS-REP without pre-authentication; services asked
	// for with RC4 alone.
	unknown, failed, roasted, spns []uint64
	// asked holds the names asked for without pre-authentication and
	// with RC4 alone (GetNPUsers' request: a hash to crack, if the
	// account needs no pre-authentication).
	asked []uint64
	// held is the name of the last AS-REP to a request without
	// pre-authentication that asked AES as well as RC4, at heldAt, not yet
	// counted roasted: a KDC whose accounts need no pre-authentication
	// (MIT's default; an AD account set so) answers every logon so. A
	// logon then uses its TGT: the KDC answers its TGS-REQs with TGS-REPs
	// within a second, which only the password's holder gets (the TGT's
	// session key came in the part of the AS-REP encrypted with the
	// user's key). A roaster asks for the hash and never uses it; a name
	// with no TGS-REP within krbUse is roasted (resolveHeld).
	held   uint64
	heldAt time.Time
	// aes is set when the client asked AES first in a request to this KDC
	// (a logon's AS-REQ, a TGS-REQ): its own Kerberos prefers AES, so a
	// service ticket asked for RC4 first comes from a tool (kerberoasting).
	aes bool
	// rc4AS is set when the client's AS-REQ asked RC4 alone; mixed when
	// it then asked a service ticket with RC4 first and other etypes after
	// it. A Kerberos library asks the same list of both (Windows always;
	// MIT's default_tkt_enctypes and default_tgs_enctypes default to one
	// list), so an RC4-only client asks RC4 alone of the TGS too, while a
	// tool builds its TGS-REQ by hand: impacket's GetUserSPNs and getST ask
	// 23, 16, 3 and the TGT's session key type whatever the logon asked.
	rc4AS, mixed bool
	// spnText names the first services asked for RC4 first, for evidence.
	spnText string
}

type krbPending struct {
	port         uint16
	preauth, rc4 bool
	name         uint64
}

// kerberos reads one datagram or segment to or from port 88.
func (e *Engine) kerberos(p *capture.Packet, src, dst mac, tcp bool, sp, dp uint16) {
	m, ok := parseKerberos(krbPayload(p.Payload(), tcp))
	if !ok {
		return
	}
	switch {
	case dp == krbPort && m.kind == krbTGSReq && m.aesFirst:
		if tr := e.krb[bruteKey{p.SrcIP(), p.DstIP(), krbPort}]; tr != nil {
			tr.preferAES(p.Time)
		}
	case dp == krbPort && (m.kind == krbASReq || m.kind == krbTGSReq && m.rc4First) && m.name != 0:
		if !unicast(dst) {
			return
		}
		tr := e.krbTracker(p, bruteKey{p.SrcIP(), p.DstIP(), krbPort}, src, dst)
		if tr == nil {
			return
		}
		tr.last = p.Time
		if m.kind == krbTGSReq {
			tr.roastSPN(m, p.Time)
			return
		}
		if m.aesFirst {
			tr.preferAES(p.Time)
		}
		if m.rc4Only {
			tr.rc4AS = true
		}
		tr.pending[tr.npending%len(tr.pending)] = krbPending{sp, m.preauth, m.rc4Only, m.name}
		if m.rc4Only && !m.preauth {
			tr.add(&tr.asked, m.name, p.Time, false)
		}
		tr.npending++
	case sp == krbPort && (m.kind == krbError || m.kind == krbASRep || m.kind == krbTGSRep):
		tr := e.krb[bruteKey{p.DstIP(), p.SrcIP(), krbPort}]
		if tr == nil {
			return
		}
		if m.kind == krbTGSRep {
			if tr.held != 0 && since(p.Time, tr.heldAt) <= krbUse {
				tr.held = 0 // the logon's TGT used: no hash taken
			}
			return
		}
		for i := range tr.pending {
			if q := &tr.pending[i]; q.port == dp && q.name != 0 {
				if m.kind == krbError && (m.code == 24 || m.code == 18) {
					e.spreadFail(p.Time, bruteKey{p.DstIP(), p.SrcIP(), krbPort}, dst, src, "Kerberos", q.name, q.name, nil) // brutespread.go
				}
				tr.answer(*q, m, p.Time)
				*q = krbPending{}
				return
			}
		}
	}
}

// krbTracker returns k's tracker, a new one if it has none or its window
// passed below the thresholds; nil when the table is full.
func (e *Engine) krbTracker(p *capture.Packet, k bruteKey, client, server mac) *krbTracker {
	tr := e.krb[k]
	if tr != nil && tr.over.IsZero() && since(p.Time, tr.start) > krbWindow {
		tr = nil
	}
	if tr == nil {
		if len(e.krb) >= e.cfg.MaxTrackers {
			e.counters.TrackersDropped++
			return nil
		}
		tr = &krbTracker{start: p.Time, clientMAC: client, server: server}
		e.krb[k] = tr
	}
	return tr
}

// roastSPN counts the service of m, a TGS-REQ asking RC4 first: the
// roasting shape when krbSPNs services are asked so, when the client asks
// AES first otherwise, or krbSPNsMixed when its list contradicts the
// client's RC4-only AS-REQ.
func (tr *krbTracker) roastSPN(m krbMsg, t time.Time) {
	n := len(tr.spns)
	if tr.rc4AS && !m.rc4Only {
		tr.mixed = true
	}
	tr.add(&tr.spns, m.name, t, tr.roasting(n+1))
	if len(tr.spns) > n && n < krbSPNText {
		tr.spnText += ", " + krbNameText(m.sname) // a new service: rare, off the ordinary path
	}
}

// roasting reports whether n services asked for RC4 first make the
// incident.
func (tr *krbTracker) roasting(n int) bool {
	return n >= krbSPNs || n > 0 && tr.aes || n >= krbSPNsMixed && tr.mixed
}

// preferAES notes that the client asked AES first; services it asked for
// RC4 first make the incident.
func (tr *krbTracker) preferAES(t time.Time) {
	tr.aes = true
	if len(tr.spns) > 0 && tr.over.IsZero() {
		tr.over = t
	}
}

// answer counts the KDC's answer m to the AS-REQ q.
func (tr *krbTracker) answer(q krbPending, m krbMsg, t time.Time) {
	tr.last = t
	switch {
	case m.kind == krbASRep && !q.preauth && q.rc4:
		tr.add(&tr.roasted, q.name, t, true) // GetNPUsers' request: the weakest key to crack
	case m.kind == krbASRep && !q.preauth:
		if tr.held != q.name { // the same name again: a mistyped password retried
			tr.resolveHeld(t, true)
		}
		tr.held, tr.heldAt = q.name, t
	case m.kind == krbError && m.code == 6:
		tr.add(&tr.unknown, q.name, t, len(tr.unknown)+len(tr.failed)+1 >= krbNames)
	case m.kind == krbError && (m.code == 24 || m.code == 18):
		tr.add(&tr.failed, q.name, t, len(tr.unknown)+len(tr.failed)+1 >= krbNames)
	}
}

// resolveHeld counts the held name roasted where no TGS-REP followed it
// within krbUse by now, or at once where all is set (the next AS-REP, or
// the replay's end): its TGT was not used.
func (tr *krbTracker) resolveHeld(now time.Time, all bool) {
	if tr.held != 0 && (all || since(now, tr.heldAt) > krbUse) {
		tr.add(&tr.roasted, tr.held, tr.heldAt, true)
		tr.held = 0
	}
}

// add puts name into set once; over marks the incident.
func (tr *krbTracker) add(set *[]uint64, name uint64, t time.Time, over bool) {
	for _, h := range *set {
		if h == name {
			return
		}
	}
	if len(*set) >= krbNamesKept {
		return
	}
	*set = append(*set, name)
	if over && tr.over.IsZero() {
		tr.over = t
	}
}

// flushKerberos reports the incidents quiet for bruteGather or held for
// bruteHold (all when all is set) and forgets the trackers whose window
// passed below the thresholds. It runs every tick.
func (e *Engine) flushKerberos(now time.Time, all bool) {
	if len(e.krb) == 0 {
		return
	}
	var due []bruteKey
	for k, tr := range e.krb {
		tr.resolveHeld(now, all)
		switch {
		case tr.over.IsZero():
			if all || since(now, tr.start) > krbWindow {
				delete(e.krb, k)
			}
		case all || since(now, tr.last) > bruteGather || since(now, tr.over) > bruteHold:
			due = append(due, k)
		}
	}
	for i := 1; i < len(due); i++ { // few: insertion, in the order they began
		for j := i; j > 0 && krbBefore(e.krb[due[j]], e.krb[due[j-1]], due[j], due[j-1]); j-- {
			due[j], due[j-1] = due[j-1], due[j]
		}
	}
	for _, k := range due {
		if e.spreadFolds(k.client, k.server, krbPort) {
			delete(e.krb, k)
			continue // part of a distributed incident (brutespread.go)
		}
		e.reportKerberos(k, e.krb[k])
		delete(e.krb, k)
	}
}

func krbBefore(a, b *krbTracker, ka, kb bruteKey) bool {
	if !a.start.Equal(b.start) {
		return a.start.Before(b.start)
	}
	return ka.client.Less(kb.client) || ka.client == kb.client && ka.server.Less(kb.server)
}

// reportKerberos raises one brute_force incident for a client's guessing
// against a KDC: the names tried, the accounts roasted, the services asked
// for with RC4 alone.
func (e *Engine) reportKerberos(k bruteKey, tr *krbTracker) {
	names := len(tr.unknown) + len(tr.failed)
	culprit := tr.clientMAC
	if e.isGatewayMAC(culprit) && !local(k.client) {
		culprit = mac{}
	}
	if tr.roasting(len(tr.spns)) {
		e.reportKerberoast(k, tr, culprit)
	}
	sev := inventory.SeverityMedium // user names listed alone
	switch {
	case len(tr.failed) >= 3 || len(tr.asked) >= krbNames || len(tr.roasted) > 1 || len(tr.roasted) == 1 && names >= krbNames:
		sev = inventory.SeverityHigh // passwords sprayed, hashes taken to crack
	case names < krbNames && len(tr.roasted) == 0:
		return
	}
	what := fmt.Sprintf("%d user names tried (%d unknown to the KDC, %d refused their password), %d asked for without pre-authentication and with RC4 alone, "+
		"%d accounts answered without pre-authentication (AS-REP roasting)",
		names, len(tr.unknown), len(tr.failed), len(tr.asked), len(tr.roasted))
	ev := inventory.Event{
		Time: tr.last, Type: inventory.EventBruteForce, Severity: sev,
		MAC: macOf(culprit), IP: k.client, TargetMAC: macOf(tr.server), TargetIP: k.server,
		Summary: fmt.Sprintf("%s guessed passwords against Kerberos on %s port 88: %s in %s", k.client, k.server, what, roundDur(tr.last.Sub(tr.start))),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("from %s to the KDC %s since %s", k.client, k.server, tr.start.UTC().Format(time.RFC3339))},
			{Source: "traffic", Detail: "threshold: 10 names unknown or refused their password, from one client to one KDC within 5m0s; " +
				"or an AS-REP to a request without pre-authentication asking RC4 alone or whose TGT went unused (no TGS-REP within 10s), or 10 names asked for without it and with RC4 alone. " +
				"A logon's first request answered PREAUTH_REQUIRED is not counted"},
		},
	}
	e.report(ev, culprit, tr.server)
}

// reportKerberoast raises one ad_attack for a client's service tickets
// asked for RC4 first (kerberoasting: GetUserSPNs, getST, Rubeus): their
// encrypted part is the service account's password hash to crack offline.
func (e *Engine) reportKerberoast(k bruteKey, tr *krbTracker, culprit mac) {
	e.report(inventory.Event{
		Time: tr.last, Type: inventory.EventADAttack, Severity: inventory.SeverityHigh,
		MAC: macOf(culprit), IP: k.client, TargetMAC: macOf(tr.server), TargetIP: k.server,
		Summary: fmt.Sprintf("%s asked the KDC %s for service tickets with RC4 first (kerberoasting): %s", k.client, k.server, tr.spnText[2:]),
		Evidence: []inventory.Evidence{{Source: "traffic", Detail: fmt.Sprintf("%d services asked for RC4 first in %s (AES first otherwise: %t; RC4 alone in the logon, more after RC4 in the ticket requests: %t); "+
			"threshold: 3 services within 5m0s, one from a client asking AES first otherwise, or 2 from a client whose logon asked RC4 alone and whose ticket requests offer other etypes after RC4 "+
			"(a tool's hand-built request); a ticket's encrypted part is the service account's password hash, cracked offline",
			len(tr.spns), roundDur(tr.last.Sub(tr.start)), tr.aes, tr.mixed)}},
	}, culprit, tr.server)
}
