package traffic

import (
	"fmt"

	"github.com/google/gopacket/layers"
)

// A TCP flood whose SYNs completed their handshakes: connections.
//
// floodDecide lets a TCP state whose SYNs mostly completed their handshake
// pass (handshakes): connections, not half-open ones. But a flood that
// lasts past its window restarts with the gate's count (restart), its own
// SYNs one at the decision and their handshakes none yet, and is raised at
// once: a load generator without keep-alive (ab, siege: review 41, 32,315
// completed requests, 1,319 a second) read "TCP SYN (segments without
// ACK) flood", which sends an MSP looking for forged sources. So a raised
// TCP state goes on noting handshakes while its event is held
// (floodGather), and at the flush one whose own SYNs mostly completed
// their handshake and carried data (noteHandshake) is named a TCP
// connection flood, an HTTP request flood when most of those began an
// HTTP request (RFC 9110 9: a method, a space) to a web port; the type,
// culprit and severity stay the flood's. SYNs refused with RST or never
// answered (hping3 -S, siege toward a closed port) complete nothing and
// keep the SYN flood's name.

// connNames are the names of a TCP flood of connections (floodName).
var (
	connNames    = [2]string{"TCP connection", "HTTP request"}
	connArticles = [2]string{"a " + connNames[0], "an " + connNames[1]}
)

// webPort reports whether port is HTTP's (80, 8080) or HTTPS's (443).
func webPort(port layers.TCPPort) bool {
	return port == 80 || port == 443 || port == 8080
}

// connEvidence names s, the held TCP flood h's snapshot, by the live
// state's handshakes since its decision (conn: connNames) when three in
// four of its own SYNs completed theirs with data, and returns the
// evidence saying so, or "". The live state stops noting handshakes.
func (h *heldFlood) connEvidence(s *floodState) string {
	f := h.f
	if h.kind != fTCP || !f.shaking {
		return ""
	}
	f.shaking = false
	own := f.pkts - f.gated
	if !f.live || f.began != s.began || f.from != s.from || own < synSlots || f.handshakes*4 < own*3 {
		return ""
	}
	s.conn = 1
	if f.requests*2 > f.handshakes {
		s.conn = 2
	}
	return fmt.Sprintf("%d of its %d SYNs completed their handshake and sent data (%d of them HTTP requests): full connections from a real sender, not half-open ones from forged sources",
		f.handshakes, own, f.requests)
}
