package traffic

import (
	"net/netip"

	"tend/capture"
)

// Password guessing is not bound to a service's standard port: SSH moved
// to 2200 or 2222, telnet on 2323 (Mirai's second port), FTP on 2121 are
// guessed at as well (review 35a P2: ncrack against sshd on 2200 raised
// nothing). The services whose logins are counted speak first, in clear,
// from the server's port:
//   - SSH sends its identification string "SSH-2.0-" or "SSH-1.99-"
//     (RFC 4253 4.2);
//   - telnet opens with option negotiation, IAC (255) then WILL, WONT, DO
//     or DONT (251-254) and an option code (RFC 854, 855);
//   - FTP and SMTP greet with "220 " or "220-" (RFC 959 5.4, RFC 5321
//     4.2), POP3 with "+OK", IMAP with "* OK" or "* PREAUTH" (RFC 1939,
//     RFC 9051 7.1).
//
// Such a greeting from a port that is none of the service's standard ones
// names the service of that address and port from then on: its SYN+ACKs
// count as sessions and its answers are read for failed logins as the
// standard port's are. The server is the side with the lower port (the
// client's is ephemeral: 32768-60999 on Linux, 49152 and up elsewhere): a
// client's own "SSH-2.0-" or IAC goes the other way. The first session,
// whose greeting taught the service, is not counted; a guessing tool opens
// dozens.

// svcLearnedMax bounds the services learned; past it the table starts
// over (a greeting teaches its service again at the next session).
const svcLearnedMax = 256

// svcKey is a server's address and port.
type svcKey struct {
	addr netip.Addr
	port uint16
}

// svcLearned maps the services learned from their greetings to the
// standard port of their protocol; ports has a bit set for every port in
// it, so that a frame from any other port costs no map lookup.
type svcLearned struct {
	m     map[svcKey]uint16
	ports [65536 / 64]uint64
}

// servicePort returns the standard port of the service on port of p's
// source address (src) or destination: port itself unless a greeting
// taught another protocol's.
func (e *Engine) servicePort(p *capture.Packet, port uint16, src bool) uint16 {
	if e.svc == nil || e.svc.ports[port/64]&(1<<(port%64)) == 0 {
		return port
	}
	addr := p.DstIP()
	if src {
		addr = p.SrcIP()
	}
	if std, ok := e.svc.m[svcKey{addr, port}]; ok {
		return std
	}
	return port
}

// standardLogin reports whether port is a standard port of a service whose
// logins brute.go counts (sessionService, loginFailure): nothing to learn.
func standardLogin(port uint16) bool {
	switch port {
	case 21, 25, 587, 110, 143, 3306, 5432, 1883:
		return true
	}
	return sessionService(port) != ""
}

// learnService notes a server's greeting in p (a TCP segment with 4 bytes
// of payload or more): the protocol of the standard port it names, at the
// segment's source address and port.
func (e *Engine) learnService(p *capture.Packet) {
	b := p.TCP.Payload
	var std uint16
	switch b[0] {
	case 'S':
		if string(b[:4]) == "SSH-" && len(b) >= 8 && (string(b[4:8]) == "2.0-" || len(b) >= 9 && string(b[4:9]) == "1.99-") {
			std = 22
		}
	case 0xff:
		if b[1] >= 251 && b[1] <= 254 && b[2] < 50 {
			std = 23
		}
	case '2':
		if string(b[:3]) == "220" && (b[3] == ' ' || b[3] == '-') {
			std = 21 // FTP's (SMTP's AUTH is rarely moved; its 530 is a failure too)
		}
	case '+':
		if string(b[:3]) == "+OK" {
			std = 110
		}
	case '*':
		if string(b[:4]) == "* OK" || len(b) >= 9 && string(b[:9]) == "* PREAUTH" {
			std = 143
		}
	}
	sport, dport := uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)
	if std == 0 || sport >= dport || standardLogin(sport) {
		return
	}
	if e.svc == nil {
		e.svc = &svcLearned{m: map[svcKey]uint16{}}
	}
	k := svcKey{p.SrcIP(), sport}
	if _, ok := e.svc.m[k]; ok {
		return
	}
	if len(e.svc.m) >= svcLearnedMax {
		clear(e.svc.m)
		e.svc.ports = [len(e.svc.ports)]uint64{}
	}
	e.svc.m[k] = std
	e.svc.ports[sport/64] |= 1 << (sport % 64)
}
