package traffic

import (
	"tend/capture"
)

// SIP password guessing and extension scanning (sipvicious svcrack and
// svwar, sipcrack, the toll-fraud scanners) is answered in clear by the
// registrar (RFC 3261 21.4): a guessed password by 401 Unauthorized or
// 407 Proxy Authentication Required again (Asterisk, Kamailio) or 403
// Forbidden, an extension that does not exist by 404 Not Found (svwar
// tells them apart by it). A phone meets a 401 too: its first REGISTER of
// each expiry is challenged, and the REGISTER with its credentials is
// answered 200; a call through a proxy is challenged with a 407 and then
// answered 200. So each 401, 403, 404 or 407 from a SIP server's port 5060
// to one client counts as a failed login, and each 2xx to a REGISTER or an
// INVITE takes one back: a phone, or a PBX registering its trunk's lines,
// nets none, a phone with a stale password one or two each retry (every
// 30 s or more), svcrack one per guess (304 in 2 s, review 35a P3), svwar
// one per extension tried (302 in 1.8 s). bruteFailures of them within
// bruteFailWindow are guessing, as for the TCP services (brute.go).

// sipPort is SIP's port, over UDP or TCP (RFC 3261 19.1.2).
const sipPort = 5060

// sipAnswer counts a SIP response in p, from a server's port 5060 (src its
// MAC) to a client (dst), toward password guessing.
func (e *Engine) sipAnswer(p *capture.Packet, src, dst mac) {
	b := p.Payload()
	if len(b) < 12 || string(b[:8]) != "SIP/2.0 " || !unicast(dst) {
		return
	}
	switch string(b[8:12]) {
	case "401 ", "403 ", "404 ", "407 ":
		e.bruteCount(p, src, dst, sipPort, sipPort, "SIP")
		return
	}
	if b[8] != '2' {
		return
	}
	// CSeq has no compact form (RFC 3261 7.3.3, 20.16).
	i := indexFold(b, "\ncseq:")
	if i < 0 {
		return
	}
	line := b[i+6:]
	if j := indexFold(line, "\n"); j >= 0 {
		line = line[:j]
	}
	if !containsFold(line, "register") && !containsFold(line, "invite") {
		return
	}
	if tr := e.brute[bruteKey{p.DstIP(), p.SrcIP(), sipPort}]; tr != nil && tr.over.IsZero() && tr.failures > 0 {
		tr.failures--
	}
}
