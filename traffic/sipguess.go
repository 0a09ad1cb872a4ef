package traffic

import (
	"bytes"
	"net/netip"
	"time"

	"tend/capture"
)

// SIP password guessing and extension scanning (sipvicious svcrack and
// svwar, sipcrack, the toll-fraud scanners) is answered in clear by the
// registrar (RFC 3261 21.4): a guessed password by 401 Unauthorized or
// 407 Proxy Authentication Required again (Asterisk, Kamailio) or 403
// Forbidden, an extension that does not exist by 404 Not Found (svwar
// tells them apart by it).
//
// A 401 or 407 is first SIP's login itself (RFC 3261 22.2): the registrar
// challenges a REGISTER without credentials, and the client sends it again
// in the same call (Call-ID) with an Authorization header; 200 OK is a
// login that worked. Every phone does it at each re-registration (every
// 30 s on a hosted PBX with a short expiry: review 41 P1 raised eight
// phones as distributed guessing). So a challenge is no failure: kept
// (sipChallenges of them, by client, server and Call-ID) until the
// answer to the credentialled request in the same call, within
// sipRetry: 401/407/403 again is one failed login (once per credentialled
// request: svcrack's challenge and refusal are one guess, review 41 P9),
// 2xx a login. A challenge never answered (svwar's REGISTERs to extensions
// that exist) is one failure when the same client's challenges push it
// out of the table; a 403 or 404 to a request not challenged is one. A 2xx
// to a REGISTER or INVITE after failures is a password that worked: said,
// with its account, in the incident.

// sipPort is SIP's port, over UDP or TCP (RFC 3261 19.1.2).
const sipPort = 5060

const (
	sipChallenges = 32              // challenges awaiting the credentialled request's answer
	sipRetry      = 4 * time.Second // a client answers a challenge at once (milliseconds)
)

// sipChallenge is a 401 or 407 to a client, awaiting the answer to its
// credentialled request in the same call.
type sipChallenge struct {
	_             [0]func()
	cli, srv      netip.Addr
	cmac, smac    mac
	call          uint64 // the Call-ID hashed; 0: free
	t             time.Time
	refused, open bool // the credentials were refused once; not yet answered
}

// sipState holds the challenges in a ring at n % sipChallenges.
type sipState struct {
	ch     [sipChallenges]sipChallenge
	n      int
	agents sipAgents  // scanners' User-Agents by sender (siptool.go)
	flood  *sipFloods // INVITEs by sender and server (sipflood.go)
}

// sipAnswer counts a SIP response in p, from a server's port 5060 (src its
// MAC) to a client (dst), toward password guessing; a request from or to
// port 5060 goes to sipAgent.
func (e *Engine) sipAnswer(p *capture.Packet, src, dst mac) {
	b := p.Payload()
	if len(b) >= 12 && string(b[:8]) != "SIP/2.0 " {
		e.sipAgent(p, b) // siptool.go
		if string(b[:7]) == "INVITE " {
			e.sipInvite(p, src, dst, b) // sipflood.go
		}
		return
	}
	if e.spread != nil && e.spread.sip.flood != nil && len(b) >= 12 {
		e.sipFloodAnswer(p, b)
	}
	sp := uint16(p.UDP.SrcPort)
	if p.Has&capture.HasTCP != 0 {
		sp = uint16(p.TCP.SrcPort)
	}
	if len(b) < 12 || sp != sipPort || !unicast(dst) {
		return
	}
	code := string(b[8:12])
	if code != "401 " && code != "403 " && code != "404 " && code != "407 " && b[8] != '2' {
		return
	}
	h := uint64(14695981039346656037)
	for _, c := range sipHeader(b, "\ncall-id:", "\ni:") {
		h = (h ^ uint64(c)) * 1099511628211
	}
	c := e.sipFind(p, h)
	switch code {
	case "401 ", "407 ":
		if c != nil && c.open && since(p.Time, c.t) <= sipRetry {
			c.refused, c.t = true, p.Time // its credentials refused, challenged again
			e.bruteCount(p, src, dst, sipPort, sipPort, "SIP")
			return
		}
		if c == nil {
			c = e.sipSlot(p)
		}
		*c = sipChallenge{cli: p.DstIP(), srv: p.SrcIP(), cmac: dst, smac: src, call: h, t: p.Time, open: true}
		return
	case "403 ", "404 ":
		if c != nil {
			c.open = false
		}
		e.bruteCount(p, src, dst, sipPort, sipPort, "SIP")
		return
	}
	if c != nil {
		c.open = false
	}
	// CSeq has no compact form (RFC 3261 7.3.3, 20.16).
	if m := sipHeader(b, "\ncseq:", ""); m == nil || !containsFold(m, "register") && !containsFold(m, "invite") {
		return
	}
	if tr := e.brute[bruteKey{p.DstIP(), p.SrcIP(), sipPort}]; tr != nil && tr.failures > 0 && tr.worked == "" {
		tr.worked = string(sipUser(sipHeader(b, "\nto:", "\nt:")))
	}
}

// sipFind is the challenge to p's client from its server in the call
// whose Call-ID hashed to h, or nil.
func (e *Engine) sipFind(p *capture.Packet, h uint64) *sipChallenge {
	if e.spread == nil {
		return nil
	}
	cli, srv := p.DstIP(), p.SrcIP()
	for i := range e.spread.sip.ch {
		if c := &e.spread.sip.ch[i]; c.call == h && c.cli == cli && c.srv == srv {
			return c
		}
	}
	return nil
}

// sipSlot is the ring's next slot for a challenge to p's client. A slot
// taken by a challenge never answered counts a failed login of its client
// when that is p's (svwar's REGISTERs to extensions that exist); another
// client's, younger than sipRetry, is dropped.
func (e *Engine) sipSlot(p *capture.Packet) *sipChallenge {
	if e.spread == nil {
		e.spread = &spreadState{}
	}
	s := &e.spread.sip
	c := &s.ch[s.n%sipChallenges]
	s.n++
	if c.open && !c.refused {
		if c.cli == p.DstIP() && c.srv == p.SrcIP() {
			e.bruteCount(p, c.smac, c.cmac, sipPort, sipPort, "SIP") // a challenge never answered
		} else if since(p.Time, c.t) <= sipRetry {
			e.counters.TrackersDropped++
		}
	}
	return c
}

// sipHeader is the value of the header a message b names by long (or
// compact, "" for none) with its line's start ("\nname:"), or nil.
func sipHeader(b []byte, long, compact string) []byte {
	i, n := indexFold(b, long), len(long)
	if i < 0 && compact != "" {
		i, n = indexFold(b, compact), len(compact)
	}
	if i < 0 {
		return nil
	}
	v := b[i+n:]
	if j := indexFold(v, "\n"); j >= 0 {
		v = v[:j]
	}
	return bytes.TrimSpace(v)
}

// sipUser is the user part of a To header's URI ("<sip:201@host>"), at
// most 32 characters, or nil.
func sipUser(v []byte) []byte {
	i := indexFold(v, "sip:")
	if i < 0 {
		return nil
	}
	v = v[i+4:]
	for j, c := range v {
		if c == '@' || c == '>' || c == ';' || j == 32 {
			return v[:j]
		}
	}
	return nil
}
