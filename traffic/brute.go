package traffic

import (
	"bytes"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Password guessing (hydra, medusa, ncrack, nmap's brute scripts) has one
// shape whatever the tool: one source against one service of one host, many
// logins in a short time. Where the protocol answers in clear, the server
// says each failed: FTP and SMTP AUTH with 530/535, POP3 -ERR, IMAP NO,
// telnet's login prompt "incorrect", HTTP 401 to a basic-auth client, SMB's
// STATUS_LOGON_FAILURE, MySQL error 1045, PostgreSQL SQLSTATE 28P01, LDAP
// resultCode 49 to a bind. Where it is encrypted or binary (SSH,
// RDP, SMB, VNC) each guess, or each few (SSH allows six a connection), is a
// new session the server accepts, so the sessions are counted instead. SMB
// says in clear how each session's login ended (the SESSION_SETUP status):
// a session whose login worked is no guess and is left out of that count.
//
// bruteWindow is how long the session count runs from a tracker's first
// session, bruteFailWindow the failure count from its first failure;
// bruteFailures and bruteSessions are how many make password guessing. A
// person mistypes a password two or three times; a mail client or a sync
// tool with a stale password retries every minute or few, a dashboard
// polling with an expired one every few seconds (under 20 a minute); a
// browser asks again once per realm. Sessions: an office client holds one
// SSH, RDP, SMB or VNC connection to a host (SMB multiplexes everything over
// it, RDP opens two or three), a script without connection sharing opens one
// per command, a backup job one per run. Thirty in five minutes is a session
// every ten seconds to one service, for five minutes or in a burst. nmap's
// ssh-brute opens a connection per guess (66 for 45 guesses), as hydra's RDP
// and SMB modules do; hydra's SSH module tries six passwords a connection and
// (9.4 against OpenSSH 9.2, four tasks) stalled after its first four.
const (
	bruteWindow     = 5 * time.Minute
	bruteFailWindow = time.Minute
	bruteFailures   = 20
	bruteSessions   = 30
	// bruteGather is how long an incident is held after its latest login
	// for the count to go on (one event per incident); bruteHold caps it so
	// that an attack that goes on for an hour is still reported promptly.
	bruteGather = 30 * time.Second
	bruteHold   = 2 * time.Minute
	// bruteBurst sessions within bruteBurstSpan are a guessing tool's
	// pace: the tools recorded open one to dozens a second (nmap's
	// ssh-brute 66 in 2.2 s, ncrack 67 in 3.3 s, medusa 105 in 10 s,
	// patator 52 in 11 s, four medusa tasks during a SYN flood 10 in
	// 0.7 s). Monitoring spreads its checks over the interval (Nagios's
	// inter-check delay, Icinga's random offsets): twelve check_by_ssh
	// service checks a minute on one host are one every five seconds, 10
	// in 45 s. Sessions alone at a steadier pace are raised at info.
	bruteBurst     = 10
	bruteBurstSpan = 10 * time.Second
)

// floodPortsBits is the sketch's bits for 8 ports: a SYN flood toward so
// many ports of a host draws SYN+ACKs from any open one.
var floodPortsBits = sketchBits(8)

// bruteKey is one client against one service: client and server address,
// the server's port.
type bruteKey struct {
	client, server netip.Addr
	port           uint16
}

type bruteTracker struct {
	start, last       time.Time
	over              time.Time // when the threshold was crossed (zero: not yet)
	clientMAC, server mac
	std               uint16 // the standard port of the service (svcbanner.go: a greeting elsewhere names it)
	sessions          int
	failures          int       // since failStart
	failStart         time.Time // the first failure counted
	lastPort          uint16    // the client port of the last SYN+ACK: a retransmitted SYN+ACK is no new one
	proto             string    // what the failures were, "" for sessions only
	flood             bool      // a session was counted while a SYN flood toward the service's port was reported and going on
	// recent holds the times of the last bruteBurst sessions (a ring at
	// sessions % bruteBurst); burst is set once bruteBurst of them came
	// within bruteBurstSpan.
	recent [bruteBurst]time.Time
	burst  bool
	// shakes holds the sessions accepted (a SYN+ACK) and not yet counted:
	// the client's port and the SYN+ACK's acknowledgement number (the
	// client's first byte), a ring at nshakes % len(shakes). A session is
	// counted when a segment of the server's with payload acknowledges
	// data of the client's (bruteData): both sides spoke.
	shakes  [16]bruteShake
	nshakes int
	// logins counts the SMB sessions whose SESSION_SETUP the server
	// answered STATUS_SUCCESS, loginPort the client port of the last one
	// (a connection is counted once): logins that worked, no guesses.
	logins    int
	loginPort uint16
	worked    string // the account of a SIP login that worked after failures (sipguess.go)
	// authOnly counts the SSH sessions that ended in the authentication
	// phase, authRounds their authentication exchanges (sshshape.go).
	authOnly, authRounds int
	// communities holds the hashes of the SNMP communities counted as
	// failures (snmpguess.go); answered is set once the agent answered the
	// client.
	communities []uint64
	// dns holds the hashes of the LDAP DNs whose binds were refused
	// otherwise than with invalidCredentials (ldapRefused), counted once
	// each, up to 2*bruteFailures.
	dns      []uint64
	answered bool
	// mailed is set once the SMTP server answered DATA with 354: a
	// message sent, so refused recipients are a relay's stale addresses.
	mailed bool
	// okCommunities holds the hashes of those the agent answered under.
	okCommunities []uint64
	// refused is set once the host answered a request with an ICMP port
	// unreachable (no agent), sweep when the incident stands for a
	// community sweep of several hosts (snmpsweep.go).
	refused bool
	sweep   *snmpSweep
	// creds holds a bit per credential refused where the wire shows it
	// (stalecred.go: SNMPv3's user names, HTTP basic auth's pairs): a
	// guesser varies them, a poller with a stale one repeats it.
	creds uint64
}

// bruteShake is a session accepted and not yet counted: the client's port
// (0: none) and the acknowledgement number of the server's SYN+ACK.
type bruteShake struct {
	port uint16
	ack  uint32
}

// sessionService names the services whose logins are counted as sessions:
// encrypted or binary protocols that show no failure on the wire.
func sessionService(port uint16) string {
	switch port {
	case 22, 2222:
		return "SSH"
	case 3389:
		return "RDP"
	case 445, 139:
		return "SMB"
	case 5900, 5901:
		return "VNC"
	case 23:
		return "telnet"
	}
	return ""
}

// loginFailure reports whether a segment from a server's port is a failed
// login's answer, and in which protocol. It is called for every TCP payload
// from a server: the switch on the port and the first bytes return at once
// for everything else.
func loginFailure(sport uint16, b []byte) (string, bool) {
	if len(b) < 4 {
		return "", false
	}
	switch sport {
	case 21:
		return "FTP", string(b[:4]) == "530 "
	case 25, 587:
		return smtpFailure(b) // loginwire.go
	case 110:
		return "POP3", string(b[:4]) == "-ERR"
	case 143:
		// A tagged NO to LOGIN or AUTHENTICATE (RFC 9051 6.2.3): "a1 NO
		// [AUTHENTICATIONFAILED] ..."; a NO to SELECT is no login.
		if i := indexFold(b[:min(len(b), 64)], " no "); i > 0 && i < 24 {
			return "IMAP", containsFold(b, "auth") || containsFold(b, "login")
		}
		return "", false
	case 23:
		return "telnet", containsFold(b, "login incorrect") || containsFold(b, "login failed") ||
			containsFold(b, "authentication failed") || containsFold(b, "login invalid")
	case 445, 139:
		// SESSION_SETUP answered STATUS_LOGON_FAILURE (0xC000006D), in SMB2
		// (MS-SMB2 2.2.1: status at 8, command 0x0001 at 12) or SMB1
		// (SESSION_SETUP_ANDX 0x73, status at 5), after the 4-byte session
		// header. The NTLM challenge's STATUS_MORE_PROCESSING_REQUIRED is
		// no failure.
		const logonFailure = "\x6d\x00\x00\xc0"
		switch {
		case len(b) >= 4+16 && string(b[4:8]) == "\xfeSMB":
			return "SMB", b[4+12] == 1 && b[4+13] == 0 && string(b[4+8:4+12]) == logonFailure
		case len(b) >= 4+9 && string(b[4:8]) == "\xffSMB":
			return "SMB", b[8] == 0x73 && string(b[9:13]) == logonFailure
		}
		return "", false
	case 389, 3268:
		// invalidCredentials (49) is a failed login; any other refusal of
		// a bind but saslBindInProgress (14) counts only as a new DN's
		// (bruteCount: ldapRefused).
		switch rc := ldapBindResult(b); {
		case rc == 49:
			return "LDAP", true
		case rc > 0 && rc != 14:
			return ldapRefused, true
		}
		return "", false
	case 3306:
		// An ERR packet (0xff) with error 1045, access denied: 3-byte
		// length, sequence, 0xff, code little-endian.
		return "MySQL", len(b) >= 7 && b[4] == 0xff && b[5] == 0x15 && b[6] == 0x04
	case 5432:
		// An ErrorResponse ('E') carrying SQLSTATE 28P01 or 28000.
		return "PostgreSQL", b[0] == 'E' && (bytes.Contains(b, []byte("C28P01\x00")) || bytes.Contains(b, []byte("C28000\x00")))
	case 1883:
		return "MQTT", mqttRefused(b) // loginwire.go
	case 5900, 5901:
		return "VNC", rfbFailed(b) // loginwire.go
	}
	// HTTP on any port: a 401 asking for basic auth. NTLM and Negotiate
	// answer every new connection with a 401 by design (a challenge), so a
	// 401 that offers them is no failure.
	if len(b) >= 12 && string(b[:5]) == "HTTP/" && string(b[8:12]) == " 401" {
		head := b[:min(len(b), 2048)]
		return "HTTP basic auth", containsFold(head, "basic realm") && !containsFold(head, "ntlm") && !containsFold(head, "negotiate")
	}
	return "", false
}

// ldapBindResult is the resultCode of the LDAP BindResponse b starts
// (RFC 4511 4.2.2, 4.1.9: LDAPMessage SEQUENCE { messageID INTEGER,
// [APPLICATION 1] SEQUENCE { resultCode ENUMERATED, ... } }), or -1:
// 49 invalidCredentials, 2 protocolError (slapd's answer to an LDAPv2
// bind), 53 unwillingToPerform; Active Directory writes its lengths in
// four bytes (0x84), OpenLDAP in one.
func ldapBindResult(b []byte) int {
	t, msg, _, ok := derElem(b)
	if !ok || t != 0x30 {
		return -1
	}
	if t, _, msg, ok = derElem(msg); !ok || t != 0x02 {
		return -1
	}
	if t, msg, _, ok = derElem(msg); !ok || t != 0x61 {
		return -1
	}
	if t, rc, _, ok := derElem(msg); ok && t == 0x0a && len(rc) == 1 {
		return int(rc[0])
	}
	return -1
}

// ldapRefused is loginFailure's name for an LDAP bind refused otherwise
// than with invalidCredentials: one client binding as many DNs to one
// server within seconds is guessing whatever the refusal (hydra's ldap2
// module against a server refusing LDAPv2, review 37a spray_ldap), while
// an application retrying its one service DN, or an old client whose bind
// is refused for LDAPv2, binds as one. Counted once a DN (bruteTracker.dns).
const ldapRefused = "LDAP refused"

// bruteSegment counts one TCP segment from a server toward password
// guessing: a SYN+ACK from a session service's port (a session accepted,
// counted at the server's first answer to the client's bytes), or a failed
// login's answer. src is the server's MAC, dst the client's. The
// engine calls it only for a SYN+ACK or a segment with 4 bytes of payload
// or more (loginFailure needs them), and for a FIN or RST (the end of an
// SSH session).
func (e *Engine) bruteSegment(p *capture.Packet, src, dst mac) {
	t := &p.TCP
	switch {
	case (t.DstPort == 445 || t.DstPort == 139) && len(t.Payload) >= 36 && !t.SYN:
		e.smbSegment(p, src, dst) // smbenum.go
	case (t.DstPort == dnsPort || t.SrcPort == dnsPort) && len(t.Payload) >= 2+12+5:
		e.dnsZoneTCP(p, src, dst) // zonexfer.go
	case e.smb != nil && (t.FIN || t.RST):
		e.smbEnd(p)
	case t.SYN && t.ACK && (t.SrcPort == 88 || t.SrcPort == 389 || t.SrcPort == 636 || t.SrcPort == 3268):
		e.noteDC(p.SrcIP()) // adattack.go: a domain controller accepting Kerberos or LDAP
	}
	if len(t.Payload) >= 72 && !t.SYN || e.smb != nil && len(t.Payload) >= 24 && t.Payload[0] == 5 {
		e.smbWatch(p, src, dst) // adattack.go, ransomware.go, rpctcp.go
	}
	if len(t.Payload) >= 12 && (t.Payload[0] == 'H' || len(e.webScans) > 0) {
		e.webSegment(p, src, dst) // webscan.go
	}
	if barePrompt(t.Payload) && !t.SYN && !t.FIN && !t.RST {
		e.shellSegment(p, src, dst) // remoteshell.go: nothing else reads so short a segment
		return
	}
	if len(t.Payload) >= 4 && !t.SYN {
		if c := t.Payload[0]; c == 'S' || c == 0xff || c == '2' || c == '+' || c == '*' {
			e.learnService(p) // a greeting on a port not the service's own (svcbanner.go)
		}
		if shellCue(t.Payload) {
			e.shellSegment(p, src, dst) // remoteshell.go
		}
	} else if t.SYN && t.ACK && !t.RST {
		e.shellOpen(p) // remoteshell.go
	}
	port := uint16(t.SrcPort)
	sport := e.servicePort(p, port, true) // the standard port of its service
	ssh := sessionService(sport) == "SSH"
	if ssh && !t.SYN && len(t.Payload) >= 4 {
		e.sshServerSegment(p) // first: a FIN may carry the session's last data
	} else if len(e.ssh) > 0 && !t.SYN && len(t.Payload) >= 4 && sessionService(e.servicePort(p, uint16(t.DstPort), false)) == "SSH" {
		e.sshClientSegment(p) // fanout.go
	}
	if (t.FIN || t.RST) && len(e.ssh) > 0 {
		e.sshEnd(p)
	}
	var proto string
	switch {
	case t.SYN:
		if !t.ACK || t.RST || sessionService(sport) == "" {
			return
		}
	case len(t.Payload) < 4:
		return
	case ssh:
		if e.shakePorts[t.DstPort>>6]&(1<<(t.DstPort&63)) != 0 {
			e.bruteData(p, port)
		}
		return
	case sessionService(sport) != "":
		if e.shakePorts[t.DstPort>>6]&(1<<(t.DstPort&63)) != 0 {
			e.bruteData(p, port) // first: the negotiation precedes SESSION_SETUP's answer
		}
		if smbAccepted(sport, t.Payload) {
			e.bruteAccepted(p, port)
			return
		}
		fallthrough
	default:
		var ok bool
		if proto, ok = loginFailure(sport, t.Payload); !ok {
			return
		}
		if proto == httpBasic && !e.httpCredentialed(p) {
			return // the challenge to a request without credentials (httpauth.go)
		}
	}
	if e.isSelf(dst) || !unicast(dst) {
		return
	}
	e.bruteCount(p, src, dst, port, sport, proto)
}

// smbAccepted reports whether a segment from an SMB server's port answers
// a SESSION_SETUP with success: the login worked (as a user, as guest or
// anonymous). The status is in clear in the header whatever the dialect
// (MS-SMB2 3.2.4.1.4: encryption starts after the session is set up;
// signing leaves the header readable): SMB2 (status at 8, command 0x0001
// at 12, SMB2_FLAGS_SERVER_TO_REDIR in the flags at 16) or SMB1
// (SESSION_SETUP_ANDX 0x73 at 4, status at 5, the reply bit 0x80 of the
// flags at 9), after the 4-byte header of direct TCP (445) or of a
// NetBIOS session message (139). NTLM's first round is answered
// STATUS_MORE_PROCESSING_REQUIRED, its last STATUS_SUCCESS.
func smbAccepted(sport uint16, b []byte) bool {
	if sport != 445 && sport != 139 || len(b) < 4+17 || b[0] != 0 {
		return false
	}
	switch string(b[4:8]) {
	case "\xfeSMB":
		return b[4+12] == 1 && b[4+13] == 0 && string(b[4+8:4+12]) == "\x00\x00\x00\x00" && b[4+16]&1 != 0
	case "\xffSMB":
		return b[8] == 0x73 && string(b[9:13]) == "\x00\x00\x00\x00" && b[13]&0x80 != 0
	}
	return false
}

// bruteAccepted notes an SMB login that worked on the session counted for
// its connection, once a connection: it is no guess, and the sessions-only
// rule leaves it out. A guessing tool's right guess is one such session;
// its wrong ones are failures.
func (e *Engine) bruteAccepted(p *capture.Packet, sport uint16) {
	tr := e.brute[bruteKey{p.DstIP(), p.SrcIP(), sport}]
	if cport := uint16(p.TCP.DstPort); tr != nil && cport != tr.loginPort {
		tr.logins++
		tr.loginPort = cport
	}
}

// unaccepted is the count of sessions whose login was not seen to work.
func (tr *bruteTracker) unaccepted() int {
	return tr.sessions - min(tr.logins, tr.sessions)
}

// bruteCount adds a session accepted (proto "", a SYN+ACK: counted by
// bruteData once both sides spoke) or a failure to the client's tracker;
// sport is the server's port, std the standard port of its service.
func (e *Engine) bruteCount(p *capture.Packet, server, client mac, sport, std uint16, proto string) {
	k := bruteKey{p.DstIP(), p.SrcIP(), sport}
	tr := e.brute[k]
	if proto == smtpData {
		if tr != nil {
			tr.mailed = true // a message sent: no enumerator's session (loginwire.go)
		}
		return
	}
	if tr != nil && tr.over.IsZero() && since(p.Time, tr.start) > bruteWindow {
		delete(e.brute, k)
		tr = nil
	}
	if tr == nil {
		if proto == "" && e.floodGatePassed(newFloodKey(k.server, fTCP), p.Time) && e.floodOnPort(k.server, sport) {
			// SYN+ACKs answering a flood's SYNs, from forged clients: one
			// tracker each would fill the table and shut out real guessing.
			// A flood of another port draws none from this one.
			e.counters.EventsSuppressed++
			return
		}
		if len(e.brute) >= e.cfg.MaxTrackers {
			e.counters.TrackersDropped++
			return
		}
		tr = &bruteTracker{start: p.Time, clientMAC: client, server: server, std: std}
		e.brute[k] = tr
	}
	tr.last = p.Time
	if proto == "" {
		if cport := uint16(p.TCP.DstPort); cport != tr.lastPort {
			tr.shakes[tr.nshakes%len(tr.shakes)] = bruteShake{cport, p.TCP.Ack}
			tr.nshakes++
			e.shakePorts[cport>>6] |= 1 << (cport & 63)
			tr.lastPort = cport
			if sessionService(std) == "SSH" {
				e.sshStart(p)
			}
		}
		return // counted when both sides have spoken (bruteData)
	}
	// The account the login named, where the wire shows it: SMB's counted
	// per account, the rest per server (an LDAP spray of many DNs is one
	// incident) and named while one account is guessed (brutespread.go).
	user, name := e.loginAccount(p, tr, proto) // stalecred.go
	if proto == ldapRefused {
		if !tr.newDN(user) {
			return // the same DN refused again, or none seen
		}
		proto = "LDAP"
	}
	acct := user
	if proto != "SMB" {
		acct = 0
	}
	if proto != smtpUnknown { // one client's enumeration; an MX refusing spam's guessed recipients is the Internet's noise
		e.spreadFail(p.Time, k, client, server, proto, acct, user, name) // brutespread.go
	}
	if tr.over.IsZero() && (tr.failures == 0 || since(p.Time, tr.failStart) > bruteFailWindow) {
		tr.failures, tr.failStart = 0, p.Time
	}
	tr.failures++
	tr.proto = proto
	if tr.over.IsZero() && (tr.failures >= bruteFailures && tr.guessPace(p.Time) || tr.unaccepted() >= bruteSessions || tr.authGuessing()) {
		tr.over = p.Time
	}
}

// newDN reports whether h, an LDAP bind's DN hashed (0: not seen), was
// not refused to tr's client before, and notes it.
func (tr *bruteTracker) newDN(h uint64) bool {
	if h == 0 || slices.Contains(tr.dns, h) {
		return false
	}
	if len(tr.dns) < 2*bruteFailures {
		tr.dns = append(tr.dns, h)
	}
	return true
}

// bruteData counts the session a segment p from a session service's port
// (sport) belongs to, if it is the server's first to acknowledge data of
// the client's. A password guess is a conversation: SSH's banners and key
// exchange, SMB's NEGOTIATE, RDP's connection request, VNC's versions,
// telnet's options. Counted at the SYN+ACK, nmap -O's probes (SYN, SYN+ACK,
// RST: 36 in 11 s against OpenSSH, review 36a) made SSH guessing, as any
// SYN scan repeated or a SYN flood would.
func (e *Engine) bruteData(p *capture.Packet, sport uint16) {
	k := bruteKey{p.DstIP(), p.SrcIP(), sport}
	tr := e.brute[k]
	if tr == nil {
		return
	}
	cport := uint16(p.TCP.DstPort)
	for i := range tr.shakes {
		s := &tr.shakes[i]
		// Data of the client's acknowledged, and not more than a session's
		// start sends: a client port reused after the ring forgot it is
		// no match.
		if s.port != cport || p.TCP.Ack-s.ack-1 >= 1<<20 {
			continue
		}
		*s = bruteShake{}
		tr.countSession(p.Time)
		tr.last = p.Time
		if f := e.floodsTo[newFloodKey(k.server, fTCP)]; f != nil && f.reported && f.idle(e.nanos(p.Time)) <= floodWindow && floodOnPort(f, sport) {
			tr.flood = true // decided now: ticks forget the flood's state 10 s after it stops, report the incident 30 s after
		}
		if tr.over.IsZero() && (tr.unaccepted() >= bruteSessions || tr.authGuessing()) {
			tr.over = p.Time
		}
		return
	}
}

// countSession counts a session accepted at t and notes a burst.
func (tr *bruteTracker) countSession(t time.Time) {
	i := tr.sessions % bruteBurst
	tr.sessions++
	// The slot about to be overwritten holds the session bruteBurst-1
	// before this one: bruteBurst sessions in all.
	if tr.sessions >= bruteBurst && since(t, tr.recent[tr.sessions%bruteBurst]) <= bruteBurstSpan {
		tr.burst = true
	}
	tr.recent[i] = t
}

// flushBrute reports the incidents quiet for bruteGather or held for
// bruteHold (all of them when all is set: the end of a replay), and forgets
// trackers whose window passed below the thresholds. It runs every tick.
func (e *Engine) flushBrute(now time.Time, all bool) {
	e.flushSSH(now, all)
	e.flushHTTPCreds(now, all)
	e.flushWebScans(now, all)
	e.flushSMBEnum(now, all)               // smbenum.go
	e.flushZones(now, all)                 // zonexfer.go
	e.expireRansom(e.clock, smbRansomIdle) // ransomware.go
	e.flushSMBShares(all)                  // smbshare.go
	e.flushKerberos(now, all)              // kerberos.go
	due := bruteDue(e.brute, now, bruteWindow, all, nil)
	due = bruteDue(e.snmpGuess, now, bruteFailWindow, all, due)
	// In the order they began, not the map's: a replay prints the same events.
	for i := 1; i < len(due); i++ {
		for j := i; j > 0 && bruteBefore(due[j].tr, due[j-1].tr, due[j].k, due[j-1].k); j-- {
			due[j], due[j-1] = due[j-1], due[j]
		}
	}
	due = foldSNMPSweeps(due)
	for _, d := range due {
		if d.tr.communities == nil && (e.spreadFolds(d.k.client, d.k.server, d.k.port) || e.sprayFolds(d.k.client, d.k.server)) {
			continue // part of a distributed incident (brutespread.go) or of a spray (spray.go)
		}
		e.reportBrute(d.k, d.tr)
	}
	e.flushSpread(now, all) // brutespread.go, spray.go
	clear(e.shakePorts[:])
	for _, tr := range e.brute {
		for _, s := range tr.shakes {
			if s.port != 0 {
				e.shakePorts[s.port>>6] |= 1 << (s.port & 63)
			}
		}
	}
}

// bruteReport is an incident due for its report.
type bruteReport struct {
	k  bruteKey
	tr *bruteTracker
}

// bruteDue takes the incidents due out of m onto due and forgets the
// trackers below the thresholds whose window passed.
func bruteDue(m map[bruteKey]*bruteTracker, now time.Time, window time.Duration, all bool, due []bruteReport) []bruteReport {
	for k, tr := range m {
		switch {
		case tr.over.IsZero():
			if all || since(now, tr.start) > window {
				delete(m, k)
			}
		case all || since(now, tr.last) > bruteGather || since(now, tr.over) > bruteHold:
			due = append(due, bruteReport{k, tr})
			delete(m, k)
		}
	}
	return due
}

// floodGatePassed reports whether packets of k's kind toward its address
// passed the gate in the window of at or the one before: a flood may be starting.
func (e *Engine) floodGatePassed(k floodKey, at time.Time) bool {
	g, kind := e.gateSlot(k), k.kind
	window := at.UnixNano() / int64(floodWindow)
	return (g.window == window || g.window == window-1) && g.n >= floodMin[kind]/4
}

// floodOnPort reports whether the TCP flood state toward server, if there
// is one yet, is a flood of port: the port its first SYN went to, or any
// when its SYNs went to many ports (hping3 -p ++1, random ports). A guesser's
// own SYNs are counted there too, so the port of the flood is the first.
// Without a state the gate alone decides.
func (e *Engine) floodOnPort(server netip.Addr, port uint16) bool {
	return floodOnPort(e.floodsTo[newFloodKey(server, fTCP)], port)
}

func floodOnPort(f *floodState, port uint16) bool {
	return f == nil || f.port == port || f.ports.atLeast(floodPortsBits)
}

func bruteBefore(a, b *bruteTracker, ka, kb bruteKey) bool {
	if !a.start.Equal(b.start) {
		return a.start.Before(b.start)
	}
	if c := ka.client.Compare(kb.client); c != 0 {
		return c < 0
	}
	return ka.port < kb.port
}

// reportBrute raises one password-guessing incident: the client is the
// culprit, the service's host and port the target. Sessions counted while
// the flood detector's SYN flood toward the same port went on are not
// guessing: SYN+ACKs answer the flood's SYNs.
func (e *Engine) reportBrute(k bruteKey, tr *bruteTracker) {
	if !tr.incident() {
		e.counters.EventsSuppressed++
		return
	}
	service := sessionService(tr.std)
	what := fmt.Sprintf("%d sessions", tr.unaccepted())
	if tr.logins > 0 {
		what += fmt.Sprintf(" (and %d more whose login worked, not counted)", min(tr.logins, tr.sessions))
	}
	threshold := fmt.Sprintf("threshold: %d sessions of one client to one %s service within %s; an office client holds one or a few", bruteSessions, service, bruteWindow)
	start := tr.start
	if tr.failures >= bruteFailures || service == "" {
		start = tr.failStart
		service = tr.proto
		what = fmt.Sprintf("%d failed logins (%s)", tr.failures, tr.proto)
		what += tr.failDetail()
		threshold = fmt.Sprintf("threshold: %d failed logins of one client to one service within %s; a person mistypes two or three", bruteFailures, bruteFailWindow)
		if tr.communities != nil {
			what = fmt.Sprintf("%d different SNMP communities", tr.failures)
			if n := len(tr.okCommunities); n > 0 {
				what += fmt.Sprintf(" (%d answered)", n)
			}
			threshold = fmt.Sprintf("threshold: %d different communities the agent left unanswered, from one client to one agent within %s; a poller uses the one or two it was given", snmpGuessFailures, bruteFailWindow)
		}
	}
	sev := inventory.SeverityHigh
	switch {
	case tr.communities != nil && !tr.answered:
		// UDP: the source may be forged, a victim framed.
		sev = inventory.SeverityMedium
		threshold += "; medium: the agent answered none of them, and a datagram's source may be forged"
	case tr.failures == 0 && !tr.burst && tr.authGuessing():
		sev = authOnlySeverity(tr, tr.last.Sub(start))
		what += fmt.Sprintf(", %d of them ended in the authentication phase (%d exchanges)", tr.authOnly, tr.authRounds)
		threshold += fmt.Sprintf("; or %d sessions (or %d with %d exchanges) within %s that ended in the authentication phase, the server sending no more than a failed login's answers (a login that succeeds opens a channel)", sshAuthOnlySessions, sshAuthOnlyFew, bruteFailures, bruteWindow)
	case tr.failures == 0 && !tr.burst:
		// A steady pace with no failure is monitoring's shape (Nagios's
		// check_by_ssh, Oxidized, rsync jobs), or guessing slowed down to
		// look like it: noted, not warned about.
		sev = inventory.SeverityInfo
		threshold += fmt.Sprintf("; sessions only, never %d within %s, no failed login seen: a monitoring or backup tool's pace", bruteBurst, bruteBurstSpan)
	case tr.failures == 0:
		// Sessions alone are also what monitoring and backup tools open
		// (check_by_ssh, Oxidized, rsync jobs): no failure proves guessing.
		sev = sessionsSeverity(tr, service, tr.last.Sub(start))
		threshold += fmt.Sprintf("; sessions only, no failed login seen, but %d within %s (a guessing tool's pace)", bruteBurst, bruteBurstSpan) + machineNote[sev]
	}
	span := tr.last.Sub(start)
	ev := inventory.Event{
		Time: tr.last, Type: inventory.EventBruteForce, Severity: sev,
		IP: k.client, TargetMAC: macOf(tr.server), TargetIP: k.server,
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%s from %s to %s port %d between %s and %s (%s)", what, k.client, k.server, k.port,
				start.UTC().Format(time.RFC3339), tr.last.UTC().Format(time.RFC3339), roundDur(span))},
			{Source: "traffic", Detail: threshold},
		},
	}
	tr.sweepReport(&ev, &what)
	culprit := tr.clientMAC
	if e.isGatewayMAC(culprit) && !local(k.client) {
		// From beyond the router: the frames carry the gateway's MAC, which
		// is the next hop, not the culprit.
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic",
			Detail: fmt.Sprintf("from outside the LAN, through the gateway %s", macString(culprit))})
		culprit = mac{}
	}
	ev.MAC = macOf(culprit)
	who := k.client.String()
	if culprit != (mac{}) {
		who = describe(culprit, k.client)
	}
	ev.Summary = fmt.Sprintf("%s guessed passwords against %s on %s port %d: %s in %s", who, service, k.server, k.port, what, roundDur(span))
	if sev == inventory.SeverityInfo {
		ev.Summary = fmt.Sprintf("%s opened %s to %s on %s port %d in %s at a steady pace, no failed login seen", who, what, service, k.server, k.port, roundDur(span))
	} else if service == smtpUnknown {
		ev.Summary = fmt.Sprintf("%s enumerated mail accounts on %s port %d: %d recipients refused as unknown in %s, no message sent", who, k.server, k.port, tr.failures, roundDur(span))
	}
	e.report(ev, culprit, tr.server)
}

// failDetail is what the failed logins' count adds: the sessions they
// came over, and the LDAP binds of different DNs refused (ldapRefused).
func (tr *bruteTracker) failDetail() string {
	var s string
	if tr.sessions > 0 {
		s = fmt.Sprintf(" over %d sessions", tr.sessions)
	}
	if len(tr.dns) > 0 {
		s += fmt.Sprintf(", %d of them binds as different DNs the server refused, not as invalid credentials (an LDAPv2 bind, say)", len(tr.dns))
	}
	s += tr.credDetail() // stalecred.go
	if tr.worked != "" {
		s += "; then a password worked: the registrar accepted a login as " + tr.worked
	}
	return s
}

// incident reports whether tr, over a threshold, is still an incident:
// not sessions counted during a SYN flood toward the port, nor sessions
// that crossed the threshold at their SYN+ACKs and whose logins then
// worked (SMB clients connecting at once: an office's file copies).
func (tr *bruteTracker) incident() bool {
	if tr.communities != nil {
		return tr.snmpUnanswered() >= snmpGuessFailures
	}
	if tr.failures >= bruteFailures {
		return !tr.mailed || tr.proto != smtpUnknown
	}
	return !tr.flood && (tr.unaccepted() >= bruteSessions || tr.authGuessing() || tr.communities != nil)
}

// bruteMachineSessions SSH sessions at more than one a second, none of
// whose logins worked (sshshape.go: no channel opened), are a guessing
// tool's (review 40: medusa 30 in 2.6 s, nmap ssh-brute 94 in 4.2 s), High
// as FTP's or telnet's failed logins are; an rsync or git job's sessions,
// or Ansible's without ControlPersist, log in, and a person opens none at
// that rate.
const bruteMachineSessions = 20

// machineNote is the threshold's note by sessionsSeverity's severity.
var machineNote = map[inventory.Severity]string{inventory.SeverityHigh: "; high: 20 or more SSH sessions faster than one a second, none logging in"}

// sessionsSeverity is the severity of a burst of sessions to service over
// span with no failed login seen: Medium, High at SSH guessing's rate.
func sessionsSeverity(tr *bruteTracker, service string, span time.Duration) inventory.Severity {
	if n := tr.unaccepted(); service == "SSH" && tr.logins == 0 && n >= bruteMachineSessions && time.Duration(n)*time.Second > span {
		return inventory.SeverityHigh
	}
	return inventory.SeverityMedium
}

// authOnlySeverity is the severity of SSH sessions ending in the
// authentication phase over span: medium at bruteFailures exchanges a
// minute or more (a guessing tool's pace), low below.
func authOnlySeverity(tr *bruteTracker, span time.Duration) inventory.Severity {
	if time.Duration(tr.authRounds)*time.Minute >= bruteFailures*max(span, time.Minute) {
		return inventory.SeverityMedium
	}
	return inventory.SeverityLow
}
