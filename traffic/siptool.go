package traffic

import (
	"net/netip"
	"strings"

	"tend/capture"
	"tend/inventory"
)

// SIP scanners name themselves: every request of sipvicious (svmap, svwar,
// svcrack) carries "User-Agent: friendly-scanner", and the toll-fraud
// scanners seen by VoIP honeypots send their own fixed agents (sipcli,
// VaxSIPUserAgent, pplsip, sundayddr, iWar, sipsak, SIPPing, smap,
// sip-scan). A request to or from port 5060 whose User-Agent (RFC 3261
// 20.41, read in its first sipAgentRead bytes) holds one of sipScanners
// is kept for its sender (the last sipAgentsKept senders), and a SIP
// sweep, scan or guessing event of that sender names it in its evidence
// ("tool: friendly-scanner (SIPVicious)"). A phone's or a PBX's agent
// names no scanner and is not kept. Agents scanners fake (a Cisco
// gateway's, Asterisk's) cannot be told from the real ones: not named.
const (
	sipAgentRead  = 1500 // bytes of a request searched for its User-Agent
	sipAgentsKept = 8
	sipAgentMax   = 48 // bytes of an agent kept
)

// sipScanners are lower-case substrings of scanners' User-Agents; the
// first is sipvicious'.
var sipScanners = [...]string{"friendly-scanner", "sipvicious", "sipcli", "vaxsipuseragent", "pplsip", "sundayddr", "iwar", "sipsak", "sipping", "smap", "sip-scan"}

// sipVicious follows a named agent: sipvicious' two, the others.
var sipVicious = [3]string{" (SIPVicious)", " (SIPVicious)", " (a SIP scanner's User-Agent)"}

// sipAgent is a scanner's User-Agent seen from a sender.
type sipAgent struct {
	_     [0]func() // not comparable: no equality function linked
	ip    netip.Addr
	tool  uint8 // index in sipScanners
	n     uint8
	agent [sipAgentMax]byte
}

// sipAgents holds the last sipAgentsKept senders' scanner agents in a ring.
type sipAgents struct {
	_ [0]func() // not comparable: no equality function linked
	a [sipAgentsKept]sipAgent
	n int
}

// sipAgent keeps the scanner agent of the SIP request b (not a response:
// it does not start "SIP/2.0 ") p carries, if its User-Agent names one.
func (e *Engine) sipAgent(p *capture.Packet, b []byte) {
	ua, tool := sipScannerAgent(b)
	if tool < 0 {
		return
	}
	if e.spread == nil {
		e.spread = &spreadState{}
	}
	s, ip := &e.spread.sip.agents, p.SrcIP()
	for i := range s.a {
		if s.a[i].n > 0 && s.a[i].ip == ip {
			return
		}
	}
	a := &s.a[s.n%sipAgentsKept]
	s.n++
	a.ip, a.tool = ip, uint8(tool)
	a.n = uint8(copy(a.agent[:], ua))
}

// sipScannerAgent is the User-Agent of the request b (its compact form
// absent from RFC 3261: none) and the index in sipScanners of the scanner
// it names, -1 for none.
func sipScannerAgent(b []byte) ([]byte, int) {
	b = b[:min(len(b), sipAgentRead)]
	ua := sipHeader(b, "\nuser-agent:", "")
	if len(ua) == 0 {
		return nil, -1
	}
	for i := range sipScanners {
		if containsFold(ua, sipScanners[i]) {
			return ua, i
		}
	}
	return nil, -1
}

// nameSIPTool adds to ev, a SIP sweep, scan or password guessing (its
// summary says SIP), the scanner its culprit's requests named.
//
//go:noinline
func (e *Engine) nameSIPTool(ev *inventory.Event) {
	if e.spread == nil || e.spread.sip.agents.n == 0 || !strings.Contains(ev.Summary, "SIP") {
		return
	}
	s := &e.spread.sip.agents
	for i := range s.a {
		if a := &s.a[i]; a.n > 0 && a.ip == ev.IP {
			ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic",
				Detail: "tool: " + printable(a.agent[:a.n], sipAgentMax) + sipVicious[min(a.tool, 2)]})
			return
		}
	}
}
