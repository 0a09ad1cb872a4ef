package traffic

import (
	"bytes"

	"tend/capture"
)

// SNMP community guessing (hydra snmp, onesixtyone, a script of snmpget
// with a word list) is password guessing with the community as the
// password, and the agent answers a wrong one with nothing (RFC 3584 and
// net-snmp drop it; at most an authenticationFailure trap). What the wire
// shows is the requests: one client asking one agent under many different
// communities. A poller or a monitoring server uses the one or two it was
// given (a discovery that tries a site's list, a handful), a person the
// same, and a manager retries with the one it holds (the same community,
// counted once); so snmpGuessFailures distinct communities the agent did
// not answer, from one client to one agent within bruteFailWindow, are
// counted as failed logins (the right one found is guessing all the same,
// and is left out of the count). nmap's default snmp-brute tries 18 from
// its own list (review 35a P6), onesixtyone a hundred or more.
// Communities are told apart by a hash, never kept. A community indexed
// by context ("public@10": Cisco's BRIDGE-MIB per VLAN, polled so by
// tend's own poller, LibreNMS and Netdisco) is the community before the
// last '@'. A request carries a forgeable source, so the agent's answer
// decides the severity: high when it answered the client at least once,
// medium when it never did (20 forged datagrams would otherwise accuse a
// victim). SNMP trackers are kept apart from the TCP ones (snmpGuess, its
// own cap): forged requests, each a tracker, shut out no SSH or RDP
// guessing.

// snmpCommunitiesKept bounds the hashes a tracker keeps: past it, every
// community is counted as new (the count says "at least" by then).
const snmpCommunitiesKept = 256

// snmpGuessFailures is how many different communities an agent left
// unanswered make guessing: twice a site's list of a handful.
const snmpGuessFailures = 10

// snmpRequest counts a v1 or v2c request to an agent's port 161 from src
// toward password guessing: a community not yet seen from this client to
// this agent in the tracker's failure window is one more failure.
func (e *Engine) snmpRequest(p *capture.Packet, src, dst mac) {
	c, _, ok := snmpCommunityOf(p.UDP.Payload)
	if !ok || !unicast(dst) || !p.DstIP().IsValid() {
		return
	}
	if i := bytes.LastIndexByte(c, '@'); i >= 0 {
		c = c[:i]
	}
	k := bruteKey{p.SrcIP(), p.DstIP(), 161}
	tr := e.snmpGuess[k]
	if tr != nil && tr.over.IsZero() && since(p.Time, tr.start) > bruteFailWindow {
		delete(e.snmpGuess, k)
		tr = nil
	}
	if tr == nil {
		if len(e.snmpGuess) >= e.cfg.MaxTrackers {
			e.counters.TrackersDropped++
			return
		}
		tr = &bruteTracker{start: p.Time, clientMAC: src, server: dst}
		e.snmpGuess[k] = tr
	}
	if tr.over.IsZero() && tr.failures > 0 && since(p.Time, tr.failStart) > bruteFailWindow {
		tr.communities = tr.communities[:0]
		tr.okCommunities = tr.okCommunities[:0]
		tr.failures = 0
	}
	h := fnv64(c)
	for _, seen := range tr.communities {
		if seen == h {
			return
		}
	}
	if len(tr.communities) < snmpCommunitiesKept {
		tr.communities = append(tr.communities, h)
	}
	tr.last = p.Time
	if tr.failures == 0 {
		tr.failStart = p.Time
	}
	tr.failures++
	tr.proto = "SNMP"
	if tr.over.IsZero() && tr.snmpUnanswered() >= snmpGuessFailures {
		tr.over = p.Time
	}
}

// snmpUnanswered is how many different communities the agent did not
// answer: the guesses that failed.
func (tr *bruteTracker) snmpUnanswered() int {
	return tr.failures - len(tr.okCommunities)
}

// snmpResponse notes an agent's answer (a datagram from port 161) to a
// client it tracks: the client's address is its own, not forged.
// The community it answered under (a response carries the request's) is
// no failed guess.
func (e *Engine) snmpResponse(p *capture.Packet) {
	tr := e.snmpGuess[bruteKey{p.DstIP(), p.SrcIP(), 161}]
	if tr == nil {
		return
	}
	tr.answered = true
	c, _, ok := snmpCommunityOf(p.UDP.Payload)
	if !ok || len(tr.okCommunities) >= snmpCommunitiesKept {
		return
	}
	if i := bytes.LastIndexByte(c, '@'); i >= 0 {
		c = c[:i]
	}
	h := fnv64(c)
	for _, seen := range tr.okCommunities {
		if seen == h {
			return
		}
	}
	for _, seen := range tr.communities {
		if seen == h {
			tr.okCommunities = append(tr.okCommunities, h)
			return
		}
	}
}

// fnv64 is FNV-1a over b: communities, names and CDP device IDs told
// apart, not kept.
func fnv64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}
