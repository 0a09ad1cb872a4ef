package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/capture"
	"tend/inventory"
)

// SIP INVITE floods (inviteflood, SIPp or a script against a PBX: a
// denial of service that rings every phone and fills the PBX's channels,
// or toll-fraud dialling through it): each INVITE opens a new call, a new
// Call-ID (RFC 3261 8.1.1.4), and the PBX answers every one (100 Trying,
// then 180, 486 Busy, 404 or 401), so the flow is two-way and floodudp's
// one-way rule does not fire. Counted here: new calls (INVITEs whose
// Call-ID is not among the sender's last sipFloodCalls) per sender and
// server, in tumbling windows of sipFloodWindow with the previous window's
// count weighted by its overlap (a burst split by a window's end still
// counts whole).
//
// A phone places a call or two a minute; a PBX's trunk (the provider's SBC
// to the PBX, or the PBX to it or to a PRI/FXO gateway on the LAN) carries
// a small site's calls: 30 channels, calls lasting minutes, so at most a
// few new calls a second even at a call centre's peak. sipFloodCalls new
// calls in sipFloodWindow (10 a second, sustained) is a flood. Calls a
// trunk carries are answered (180 Ringing, 183, 200 OK; counted once per
// call among its last sipFloodRecent: a 200 OK is retransmitted until
// ACKed, RFC 3261 13.3.1.4, and a flood tool never ACKs): when at least
// half of a sender's calls were, the sender must reach five times that
// (sipTrunkFactor) -- an IVR answering each flooded call with 200 is
// still raised. The event names the sender, the server, the count, the
// rate and the extensions called (distinct To users: a flood dials many,
// or one over and over).
const (
	sipFloodWindow = 20 * time.Second
	sipFloodCalls  = 200 // new calls in sipFloodWindow
	sipTrunkFactor = 5
	sipFloodSlots  = 8  // senders tracked (least recently used replaced)
	sipFloodRecent = 8  // Call-IDs remembered per sender: retransmissions and re-INVITEs are no new call
	sipFloodUsers  = 64 // distinct To users counted exactly
	sipFloodNamed  = 4  // extensions named in the event
)

// sipFloodT is one sender's INVITEs to one server.
type sipFloodT struct {
	cli, srv    netip.Addr
	cmac, smac  mac
	firstT      time.Time
	first, last int64 // first and latest INVITE (nanos)
	start       int64 // the window's start
	n, prev     uint32
	total       uint32
	answered    uint32 // 180/183/2xx to its INVITEs
	refused     uint32 // 4xx-6xx to its INVITEs
	recent      [sipFloodRecent]uint64
	ans, ref    uint8 // the recent calls answered, refused: one bit a slot
	ri          uint8
	nu          uint8
	users       [sipFloodUsers]uint32
	named       [sipFloodNamed]string
	raised      bool
}

// sipFloods holds the tracked senders.
type sipFloods struct {
	t [sipFloodSlots]sipFloodT
}

// find is the tracker of cli's INVITEs to srv, or nil.
func (s *sipFloods) find(cli, srv netip.Addr) *sipFloodT {
	for i := range s.t {
		if t := &s.t[i]; t.last != 0 && t.cli == cli && t.srv == srv {
			return t
		}
	}
	return nil
}

// sipInvite counts an INVITE b (a request p carries from src to dst).
func (e *Engine) sipInvite(p *capture.Packet, src, dst mac, b []byte) {
	if !unicast(dst) {
		return
	}
	if e.spread == nil {
		e.spread = &spreadState{}
	}
	s := e.spread.sip.flood
	if s == nil {
		s = &sipFloods{}
		e.spread.sip.flood = s
	}
	cli, srv, now := p.SrcIP(), p.DstIP(), e.pktNS
	t := s.find(cli, srv)
	if t == nil {
		t = &s.t[0]
		for i := range s.t {
			if s.t[i].last < t.last {
				t = &s.t[i]
			}
		}
		*t = sipFloodT{cli: cli, srv: srv, cmac: src, smac: dst, firstT: p.Time, first: now, start: now}
	}
	t.last = now
	h := sipCallID(b)
	for _, r := range t.recent {
		if r == h {
			return // a retransmission or a re-INVITE
		}
	}
	bit := uint8(1) << (t.ri % sipFloodRecent)
	t.recent[t.ri%sipFloodRecent] = h
	t.ans, t.ref = t.ans&^bit, t.ref&^bit
	t.ri++
	if el := now - t.start; el >= int64(sipFloodWindow) {
		t.prev, t.n, t.start = t.n, 0, now
		if el >= 2*int64(sipFloodWindow) {
			t.prev = 0
		}
	}
	t.n++
	t.total++
	if u := sipUser(sipHeader(b, "\nto:", "\nt:")); len(u) > 0 {
		uh := uint32(2166136261)
		for _, c := range u {
			uh = (uh ^ uint32(c)) * 16777619
		}
		known := false
		for _, x := range t.users[:t.nu] {
			if x == uh {
				known = true
				break
			}
		}
		if !known && int(t.nu) < sipFloodUsers {
			if int(t.nu) < sipFloodNamed {
				t.named[t.nu] = printable(u, 32)
			}
			t.users[t.nu] = uh
			t.nu++
		}
	}
	// The previous window weighted by how much of it the last
	// sipFloodWindow still covers.
	el := now - t.start
	calls := uint64(t.n) + uint64(t.prev)*uint64(int64(sipFloodWindow)-min(el, int64(sipFloodWindow)))/uint64(sipFloodWindow)
	need := uint64(sipFloodCalls)
	if t.answered*2 >= t.total {
		need *= sipTrunkFactor // a trunk's calls are answered
	}
	if t.raised || calls < need {
		return
	}
	t.raised = true
	e.reportSIPFlood(p, t, calls)
}

// sipCallID is the hash of SIP message b's Call-ID.
func sipCallID(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range sipHeader(b, "\ncall-id:", "\ni:") {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// sipFloodAnswer counts a SIP response b from a server (p's source) to an
// INVITE of a tracked sender, once per call (retransmitted answers, and
// answers to a call no longer among the sender's recent, are not).
func (e *Engine) sipFloodAnswer(p *capture.Packet, b []byte) {
	t := e.spread.sip.flood.find(p.DstIP(), p.SrcIP())
	if t == nil || len(b) < 12 {
		return
	}
	if m := sipHeader(b, "\ncseq:", ""); m == nil || !containsFold(m, "invite") {
		return
	}
	h, i := sipCallID(b), 0
	for i < sipFloodRecent && t.recent[i] != h {
		i++
	}
	if i == sipFloodRecent {
		return
	}
	bit := uint8(1) << i
	switch c := b[8]; {
	case c == '2' || string(b[8:11]) == "180" || string(b[8:11]) == "183":
		if t.ans&bit == 0 {
			t.answered++
		}
		t.ans |= bit
	case c >= '4' && c <= '6':
		if t.ref&bit == 0 {
			t.refused++
		}
		t.ref |= bit
	}
}

// reportSIPFlood raises t's flood, calls new calls in the last
// sipFloodWindow.
func (e *Engine) reportSIPFlood(p *capture.Packet, t *sipFloodT, calls uint64) {
	k := quietKey{inventory.EventFlood, t.cmac, t.smac, "sip"}
	if e.quieted(k, p.Time) {
		return
	}
	secs := max(float64(t.last-t.first)/1e9, 0.1)
	rate, span := float64(max(t.total, 2)-1)/secs, fmt.Sprintf("%.0f s", secs) // the intervals between the INVITEs
	if secs < 10 {
		span = fmt.Sprintf("%.1f s", secs)
	}
	exts := fmt.Sprintf("%d extensions", t.nu)
	if int(t.nu) >= sipFloodUsers {
		exts = fmt.Sprintf("%d or more extensions", sipFloodUsers)
	} else if t.nu == 1 {
		exts = "one extension"
	}
	names := strings.Join(t.named[:min(int(t.nu), sipFloodNamed)], ", ")
	if int(t.nu) > sipFloodNamed {
		names += ", ..."
	}
	answers := fmt.Sprintf("the server answered %d of them with 180/183/2xx and refused %d (4xx-6xx)", t.answered, t.refused)
	if t.answered+t.refused == 0 {
		answers = "no call answered or refused in SIP"
	}
	e.reportKey(k, inventory.Event{
		Time: p.Time, Type: inventory.EventFlood, Severity: inventory.SeverityHigh,
		MAC: macOf(t.cmac), IP: t.cli, TargetMAC: macOf(t.smac), TargetIP: t.srv,
		Summary: fmt.Sprintf("%s flooded the SIP server %s with INVITEs: %d new calls in %s (%.0f a second) to %s: a call flood (denial of service or toll-fraud dialling)",
			describe(t.cmac, t.cli), t.srv, t.total, span, rate, exts),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d INVITEs with new Call-IDs from %s to %s (%s) since %s, %d in the last %s; called: %s; %s",
				t.total, t.cli, t.srv, macString(t.smac), t.firstT.UTC().Format(time.RFC3339Nano), calls, sipFloodWindow, names, answers)},
			{Source: "traffic", Detail: fmt.Sprintf("a phone places a call or two a minute and a small site's trunk a few a second at most; %d new calls in %s is a flood", sipFloodCalls, sipFloodWindow)},
		},
	})
}
