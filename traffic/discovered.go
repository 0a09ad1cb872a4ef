package traffic

import (
	"bytes"
	"net/netip"
	"time"

	"tend/capture"
)

// Windows network discovery (Function Discovery) multicasts a WS-Discovery
// Probe (UDP 3702) or an SSDP M-SEARCH (UDP 1900) and every device that
// offers a service answers the asker by unicast from that port; the asker
// then fetches each responder's description (WS-Discovery metadata over
// HTTP on 5357/5358, SSDP's LOCATION URL, UPnP on 2869) and lists its
// shares (445, 139) or opens its web page (80, 443, 8080). Those TCP
// connections go to hosts that have just introduced themselves to the
// asker: they follow an answer, as a client's connection to a server it
// was told of does, so they are no host sweep. Only they are exempt: an
// answer counts only within discoveryAnswerWait of a multicast query from
// the asker (a unicast "answer" nobody asked for, or one to a unicast
// query, proves nothing), and pings, ARP or connections to other ports
// of the responders still sweep. A scanner that discovers by multicast and
// then probes many ports of each responder is still a port scan.

// discoveryFollowUp is how long after a responder's answer the asker's
// connections to it follow that answer: Explorer opens them at once and
// refreshes the view within seconds.
const discoveryFollowUp = time.Minute

// discoveryAnswerWait is how long after a multicast query its answers
// arrive: WS-Discovery's MATCH_TIMEOUT is 4 s (answers are delayed at
// random up to APP_MAX_DELAY, 500 ms) and SSDP's MX at most 5 s.
const discoveryAnswerWait = 5 * time.Second

// answeredAt is one asker a host answered a discovery query of, when, and
// the port its SSDP answer's LOCATION URL names (0 without one).
type answeredAt struct {
	ip   [4]byte
	port uint16
	at   int64 // in nanoseconds (nanosOf)
}

var ssdpLoc = []byte("\nlocation:")

// discoveryQuery notes a multicast to the WS-Discovery or SSDP port (a
// Probe or M-SEARCH; the payload is not read: a capture cut short by its
// snaplen may not hold the action, and a sweeper can send a real query as
// easily as anything else) from src on its host.
func (e *Engine) discoveryQuery(p *capture.Packet, src mac) {
	if h := e.hosts[macKey(src)]; h != nil {
		h.asked = e.nanosOf(p.Time)
	}
}

// discoveryAnswer notes a unicast WS-Discovery or SSDP answer from src to
// the asker (the frame's IPv4 destination) on the responder's host, when
// the asker multicast a query within discoveryAnswerWait.
func (e *Engine) discoveryAnswer(p *capture.Packet, src mac) {
	dst, asker := p.DstIP(), capture.MAC6(p.Eth.DstMAC)
	if !dst.Is4() || !local(dst) || !unicast(asker) {
		return
	}
	h, a := e.hosts[macKey(src)], e.hosts[macKey(asker)]
	at := e.nanosOf(p.Time)
	if h == nil || a == nil || a.asked == 0 || at < a.asked || at-a.asked > int64(discoveryAnswerWait) {
		return
	}
	b, port := dst.As4(), uint16(0)
	if p.UDP.SrcPort == 1900 {
		port = locationPort(p.UDP.Payload)
	}
	oldest := 0
	for i, x := range h.answered {
		if x.ip == b {
			h.answered[i] = answeredAt{b, port, at}
			return
		}
		if x.at < h.answered[oldest].at {
			oldest = i
		}
	}
	h.answered[oldest] = answeredAt{b, port, at}
}

// locationPort is the port of an SSDP answer's LOCATION URL (UPnP Device
// Architecture 1.1: "LOCATION: http://host:port/path"; 80 when the URL
// names none), or 0 without a LOCATION header.
func locationPort(b []byte) uint16 {
	i := 0
	for ; i+len(ssdpLoc) <= len(b); i++ {
		if b[i] == '\n' && bytes.EqualFold(b[i:i+len(ssdpLoc)], ssdpLoc) {
			break
		}
	}
	if i+len(ssdpLoc) > len(b) {
		return 0
	}
	v := b[i+len(ssdpLoc):]
	if end := bytes.IndexByte(v, '\n'); end >= 0 {
		v = v[:end]
	}
	v = bytes.TrimSpace(v)
	def := uint16(80)
	if len(v) >= 8 && bytes.EqualFold(v[:8], []byte("https://")) {
		v, def = v[8:], 443
	} else if len(v) >= 7 && bytes.EqualFold(v[:7], []byte("http://")) {
		v = v[7:]
	} else {
		return 0
	}
	if end := bytes.IndexByte(v, '/'); end >= 0 {
		v = v[:end]
	}
	c := bytes.LastIndexByte(v, ':')
	if c < 0 || bytes.IndexByte(v[c:], ']') >= 0 {
		return def
	}
	n := 0
	for _, d := range v[c+1:] {
		if d < '0' || d > '9' || n > 0xffff {
			return 0
		}
		n = n*10 + int(d-'0')
	}
	if n > 0xffff {
		return 0
	}
	return uint16(n)
}

// discoveryPort reports whether Windows network discovery connects to port
// after an answer: WS-Discovery metadata (5357 HTTP, 5358 HTTPS), UPnP
// descriptions (2869), shares (445, 139) and device web pages (80, 443,
// 8080).
func discoveryPort(port uint16) bool {
	switch port {
	case 5357, 5358, 2869, 445, 139, 80, 443, 8080:
		return true
	}
	return false
}

// followsDiscovery reports whether asker's TCP connection to port of
// target (an IPv4 address bound in ARP) follows target's answer to a
// discovery query asker multicast: the answer within discoveryFollowUp,
// the port one discovery connects to or the answer's LOCATION port.
// Both hosts are looked up through the host cache (Engine.host), the
// asker, the frame's sender, as account found it (hostOf): every SYN to a
// LAN address asks (the map lookup was 1.5 % of a replay of the corpus
// mix, the cache's 0.3 %).
func (e *Engine) followsDiscovery(asker mac, askerIP, target netip.Addr, port uint16) bool {
	now := e.clock // nanos(e.now)
	if a := e.hostOf(asker); a == nil || a.asked == 0 || now-a.asked > int64(discoveryFollowUp+discoveryAnswerWait) {
		return false
	}
	if !askerIP.Is4() || !target.Is4() {
		return false
	}
	bd := e.arp[target]
	if bd == nil {
		return false
	}
	h := e.host(bd.mac, false)
	if h == nil {
		return false
	}
	b := askerIP.As4()
	for _, a := range h.answered {
		if a.ip == b && a.at != 0 && now-a.at <= int64(discoveryFollowUp) && (discoveryPort(port) || port == a.port && port != 0) {
			return true
		}
	}
	return false
}
