package traffic

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"time"

	"tend/capture"
)

// loginShape finds a cleartext login by the protocol's own bytes rather
// than its well-known port (DetectInsecure's first switch): a mail
// submission on 587 or 2525, FTP or telnet moved to another port, VNC on
// any display, the BSD r-services and an LDAP simple bind. Each test is a
// comparison of the payload's first byte before anything else, and
// DetectInsecure calls it only for a payload of 4 bytes or more whose first
// byte is in loginFirst or that goes to an r-service's port: every TCP
// payload of the LAN passes there (a call per payload cost 4 % of
// BenchmarkDecodeAndDetect).
func loginShape(srcPort, dstPort uint16, p []byte) (Insecure, bool) {
	switch p[0] {
	case 'A', 'a':
		// SMTP AUTH (RFC 4954) or POP3 AUTH (RFC 5034) with PLAIN or LOGIN:
		// the password follows in base64. After STARTTLS the command is
		// inside TLS; seen, the session never went encrypted.
		if hasPrefixFold(p, "AUTH PLAIN") || hasPrefixFold(p, "AUTH LOGIN") {
			proto := "smtp"
			if dstPort == 110 {
				proto = "pop3"
			}
			return Insecure{Proto: proto, ToServer: true, Detail: string(bytes.ToUpper(p[:10])) + " without TLS: the password follows in base64; redacted"}, true
		}
		if dstPort == 110 && hasPrefixFold(p, "APOP ") {
			return Insecure{Proto: "pop3", ToServer: true, Detail: "POP3 APOP login (an MD5 digest of the password) in a cleartext session"}, true
		}
	case '3':
		// FTP's answer to USER (RFC 959 4.2: 331 User name okay, need password).
		if srcPort != 21 && bytes.HasPrefix(p, []byte("331 ")) && containsFold(p[:min(len(p), 128)], "password") {
			return Insecure{Proto: "ftp", Detail: "FTP server asking for the password in clear (331 after USER); password redacted"}, true
		}
	case 0xff:
		// Telnet option negotiation (RFC 854: IAC DO/DONT/WILL/WONT
		// option), twice in a row, opens every telnet session.
		// The options are RFC 854's registry (0-49): a run of 0xff bytes
		// (an FTP data connection's image file) is none.
		if srcPort != 23 && dstPort != 23 && len(p) >= 6 && p[1] >= 0xfb && p[2] < 50 && p[3] == 0xff && p[4] >= 0xfb && p[5] < 50 && !telnetStartTLS(p) {
			return Insecure{Proto: "telnet", ToServer: srcPort > dstPort, Detail: "telnet option negotiation on another port than 23: the session is in clear"}, true
		}
	case 'R':
		// The RFB protocol version (RFC 6143 7.1.1), the server's first
		// message: the engine raises the session only once the security
		// type agreed proves it cleartext (rfbAgreed).
		if len(p) == 12 && bytes.HasPrefix(p, []byte("RFB 00")) && p[11] == '\n' && srcPort < dstPort {
			return Insecure{Proto: "vnc", Detail: "VNC (RFB) server: the screen and keystrokes cross the wire unencrypted, the password as a DES challenge at best"}, true
		}
	case '0':
		if in, ok := ldapSimpleBind(dstPort, p); ok {
			return in, true
		}
	}
	return rservice(dstPort, p)
}

// telnetStartTLS reports whether the negotiation p offers or accepts
// START_TLS (option 46, the telnet START_TLS draft: IAC DO START_TLS, IAC
// WILL START_TLS, then a TLS handshake): the session goes encrypted before
// any login. A refusal (WONT, DONT) leaves it in clear, and is raised.
func telnetStartTLS(p []byte) bool {
	for i := 0; i+2 < len(p) && p[i] == 0xff; i += 3 {
		if p[i+2] == telnetOptStartTLS && (p[i+1] == 0xfb || p[i+1] == 0xfd) {
			return true
		}
	}
	return false
}

// telnetOptStartTLS is START_TLS's option code (IANA telnet options).
const telnetOptStartTLS = 46

// loginFirst marks the first bytes loginShape looks further at: 'A' and
// 'a' (AUTH, APOP), '3' (FTP's 331), IAC (telnet), 'R' (RFB) and '0'
// (0x30, a BER SEQUENCE: LDAP).
var loginFirst = [256]bool{'A': true, 'a': true, '3': true, 0xff: true, 'R': true, '0': true}

// ldapSimpleBind finds an LDAP BindRequest with simple authentication and
// a password (RFC 4511 4.2: SEQUENCE { messageID, [APPLICATION 0] {
// version, name, [0] password } }), which carries the password in clear.
func ldapSimpleBind(dstPort uint16, p []byte) (Insecure, bool) {
	if dstPort != 389 && dstPort != 3268 {
		return Insecure{}, false
	}
	msg, ok := berHeader(p, 0x30)
	if !ok || len(msg) < 3 || msg[0] != 0x02 {
		return Insecure{}, false
	}
	bind, ok := berHeader(afterTLV(msg), 0x60) // past the messageID
	if !ok || len(bind) < 3 || bind[0] != 0x02 {
		return Insecure{}, false
	}
	name := afterTLV(bind) // past the version
	if len(name) < 2 || name[0] != 0x04 {
		return Insecure{}, false
	}
	if pw, ok := berHeader(afterTLV(name), 0x80); !ok || len(pw) == 0 {
		return Insecure{}, false // SASL ([3]) or an anonymous bind: no password
	}
	return Insecure{Proto: "ldap", ToServer: true, Detail: "LDAP simple bind with a password, without TLS; password redacted"}, true
}

// afterTLV is b past its first BER element (short or long form length),
// or nil where it does not fit.
func afterTLV(b []byte) []byte {
	if len(b) < 2 {
		return nil
	}
	n, hdr := int(b[1]), 2
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 2 || len(b) < 2+k {
			return nil
		}
		n, hdr = 0, 2+k
		for _, c := range b[2 : 2+k] {
			n = n<<8 | int(c)
		}
	}
	if hdr+n > len(b) {
		return nil
	}
	return b[hdr+n:]
}

// rservice finds the BSD r-services' first message (rexec 512, rlogin 513,
// rsh 514): NUL-terminated strings, user names and, for rexec, the
// password, with no encryption and (rlogin, rsh) trust by address alone.
func rservice(dstPort uint16, p []byte) (Insecure, bool) {
	var proto, detail string
	switch dstPort {
	case 512:
		proto, detail = "rexec", "rexec: user name and password in clear; password redacted"
	case 513:
		proto, detail = "rlogin", "rlogin: user names in clear, trust by source address, the session unencrypted"
	case 514:
		proto, detail = "rsh", "rsh: user names and the command in clear, trust by source address"
	default:
		return Insecure{}, false
	}
	if len(p) > 256 || p[len(p)-1] != 0 || bytes.Count(p, []byte{0}) < 3 {
		return Insecure{}, false
	}
	return Insecure{Proto: proto, ToServer: true, Detail: detail}, true
}

// A VNC server's RFB banner (RFC 6143 7.1.1) says nothing yet of
// encryption: the security type agreed next does (7.1.2). Only None (1)
// and VNC Authentication (2, a DES challenge) leave the session in clear;
// VeNCrypt (19), TLS (18), RealVNC's RA2 (5, 6) and the like encrypt it. In
// RFB 3.3 the server names the type, a 4-byte number after the client's
// version; from 3.7 on it offers a list and the client picks one, a
// single byte. rfbBanner notes the session at the banner, rfbAgreed reads
// the type and raises the session only when it is 1 or 2.

// rfbFlow is a VNC session: the server's address and port, the client's.
type rfbFlow struct {
	srv, cli         netip.Addr
	srvPort, cliPort uint16
}

// rfbSession is what is known of a session whose type is not agreed yet.
type rfbSession struct {
	_      [0]func() // not comparable: no equality function linked
	at     int64     // when the server's banner came (Engine.nanosOf)
	v33    bool      // the client answered RFB 3.3 (or older, read as 3.3): the server names the type
	answer bool      // the client's version came
}

// rfbWait is how long a session's security type is waited for after the
// banner; rfbMax bounds the sessions waited for at once.
const (
	rfbWait = 30 * time.Second
	rfbMax  = 1024
)

const (
	rfbNone    = 1 // security type None (RFC 6143 7.1.2)
	rfbVNCAuth = 2 // VNC Authentication (RFC 6143 7.2.2)
)

// rfbBanner notes the session whose server sent p, an RFB banner.
func (e *Engine) rfbBanner(p *capture.Packet) {
	if e.rfb == nil || len(e.rfb) >= rfbMax {
		e.rfb = make(map[rfbFlow]rfbSession)
	}
	k, now := rfbFlow{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)}, e.nanosOf(p.Time)
	e.rfb[k] = rfbSession{at: now}
	e.rfbUntil = now + int64(rfbWait)
}

// rfbAgreed reads p, a segment of a session rfbBanner noted: the client's
// version, then the security type (the server's in 3.3, the client's
// choice from 3.7 on). It reports whether p was one of the session's, and
// raises the session when the type agreed is None or VNC Authentication.
func (e *Engine) rfbAgreed(p *capture.Packet, src, dst mac) bool {
	b, now := p.Payload(), e.nanosOf(p.Time)
	if now > e.rfbUntil {
		clear(e.rfb) // none agreed in time: every TCP payload would look them up
		return false
	}
	if len(b) == 0 {
		return false
	}
	toSrv := true
	k := rfbFlow{p.DstIP(), p.SrcIP(), uint16(p.TCP.DstPort), uint16(p.TCP.SrcPort)}
	s, ok := e.rfb[k]
	if !ok {
		toSrv, k = false, rfbFlow{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)}
		if s, ok = e.rfb[k]; !ok {
			return false
		}
	}
	if time.Duration(now-s.at) > rfbWait {
		delete(e.rfb, k)
		return false
	}
	typ, done := rfbType(&s, toSrv, b)
	if !done {
		e.rfb[k] = s
		return true
	}
	delete(e.rfb, k)
	if typ != rfbNone && typ != rfbVNCAuth {
		return true // encrypted (or failed, 0): nothing in clear
	}
	srvMAC, cliMAC := src, dst
	if toSrv {
		srvMAC, cliMAC = dst, src
	}
	e.reportInsecure(p, rfbInsecure(typ, s.v33), srvMAC, k.srv, cliMAC, k.cli, k.srvPort)
	return true
}

// rfbType advances s by the payload b (toward the server when toSrv) and
// returns the security type once it is agreed (done).
func rfbType(s *rfbSession, toSrv bool, b []byte) (typ uint32, done bool) {
	switch {
	case toSrv && !s.answer:
		// The client's version (RFC 6143 7.1.1): a minor version under 7
		// is spoken as 3.3.
		s.answer = true
		s.v33 = len(b) == 12 && bytes.HasPrefix(b, []byte("RFB 003.00")) && b[10] < '7'
	case s.v33 && !toSrv && s.answer && len(b) >= 4:
		return binary.BigEndian.Uint32(b), true
	case !s.v33 && toSrv && s.answer && len(b) == 1:
		return uint32(b[0]), true
	}
	return 0, false
}

// rfbInsecure is the finding for a session that agreed type typ.
func rfbInsecure(typ uint32, v33 bool) Insecure {
	v := "3.7 or later: the client's choice"
	if v33 {
		v = "3.3: the server's"
	}
	if typ == rfbNone {
		return Insecure{Proto: "vnc", Detail: "VNC (RFB) session with security type None (RFB " + v + "): no password, the screen and keystrokes in clear"}
	}
	return Insecure{Proto: "vnc", Detail: "VNC (RFB) session with VNC Authentication (RFB " + v + "): the screen and keystrokes in clear, the password as a DES challenge"}
}
