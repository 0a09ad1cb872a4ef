package traffic

import "bytes"

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
		if srcPort != 23 && dstPort != 23 && len(p) >= 6 && p[1] >= 0xfb && p[2] < 50 && p[3] == 0xff && p[4] >= 0xfb && p[5] < 50 {
			return Insecure{Proto: "telnet", ToServer: srcPort > dstPort, Detail: "telnet option negotiation on another port than 23: the session is in clear"}, true
		}
	case 'R':
		// The RFB protocol version (RFC 6143 7.1.1), the server's first message.
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
