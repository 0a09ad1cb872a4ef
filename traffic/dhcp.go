package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

type dhcpServer struct {
	mac    mac
	first  time.Time
	router netip.Addr
	offers int
}

type dhcpState struct {
	known   map[netip.Addr]bool // legitimate servers (configured or learned)
	seen    map[netip.Addr]*dhcpServer
	router  netip.Addr // the router option of a legitimate server
	ordered []netip.Addr
}

// DHCPMessage is the part of a BOOTP/DHCP server message the detectors use.
type DHCPMessage struct {
	Type     byte       // option 53: 2 offer, 5 ack, 6 nak
	Server   netip.Addr // option 54, or the zero Addr
	Router   netip.Addr // first address of option 3
	YourIP   netip.Addr
	ClientHW [6]byte
}

// ParseDHCP decodes a BOOTREPLY (RFC 2131) far enough to name its server;
// ok is false for anything else or a malformed message.
func ParseDHCP(b []byte) (m DHCPMessage, ok bool) {
	if len(b) < 240 || b[0] != 2 || b[1] != 1 || b[2] != 6 || binary.BigEndian.Uint32(b[236:240]) != 0x63825363 {
		return m, false
	}
	m.YourIP = netip.AddrFrom4([4]byte(b[16:20]))
	m.ClientHW = [6]byte(b[28:34])
	for opts := b[240:]; len(opts) > 0; {
		code := opts[0]
		if code == 0 {
			opts = opts[1:]
			continue
		}
		if code == 255 || len(opts) < 2 || len(opts) < 2+int(opts[1]) {
			break
		}
		val := opts[2 : 2+int(opts[1])]
		switch {
		case code == 53 && len(val) == 1:
			m.Type = val[0]
		case code == 54 && len(val) == 4:
			m.Server = netip.AddrFrom4([4]byte(val))
		case code == 3 && len(val) >= 4:
			m.Router = netip.AddrFrom4([4]byte(val[:4]))
		}
		opts = opts[2+len(val):]
	}
	return m, m.Type != 0
}

var dhcpTypes = map[byte]string{2: "OFFER", 5: "ACK", 6: "NAK"}

func (e *Engine) dhcpPacket(p *capture.Packet, src mac) {
	m, ok := ParseDHCP(p.UDP.Payload)
	if !ok || (m.Type != 2 && m.Type != 5) {
		return
	}
	server := m.Server
	if !server.IsValid() {
		server = p.SrcIP()
	}
	d := &e.dhcp
	if d.seen == nil {
		d.seen = map[netip.Addr]*dhcpServer{}
	}
	s := d.seen[server]
	if s == nil {
		if len(d.seen) >= 64 {
			return
		}
		s = &dhcpServer{mac: src, first: p.Time, router: m.Router}
		d.seen[server] = s
		d.ordered = append(d.ordered, server)
	}
	s.offers++
	if d.known[server] {
		if m.Router.IsValid() {
			d.router = m.Router
		}
		return
	}
	// Trust a server when nothing else is known: with a known gateway, the
	// first server that is the gateway or hands it out as the router;
	// otherwise the first and only server heard.
	var trusted bool
	if e.gateway.IsValid() {
		trusted = len(d.known) == 0 && (server == e.gateway || m.Router == e.gateway)
	} else {
		trusted = len(d.known) == 0 && len(d.seen) == 1
	}
	if trusted {
		d.known[server] = true
		d.router = m.Router
		return
	}
	var why string
	switch {
	case len(d.known) > 0:
		why = "not the known DHCP server " + list(d.known)
	case e.gateway.IsValid():
		why = fmt.Sprintf("it hands out router %s, not the gateway %s", m.Router, e.gateway)
	default:
		why = fmt.Sprintf("%d DHCP servers answer on this network (%s) and none is known", len(d.seen), join(d.ordered))
	}
	ev := []inventory.Evidence{
		{Source: "dhcp", Detail: fmt.Sprintf("DHCP%s from %s (%s) offering %s to %s", dhcpTypes[m.Type], server, macString(src), m.YourIP, macString(m.ClientHW))},
		{Source: "dhcp", Detail: why},
	}
	if m.Router.IsValid() {
		ev = append(ev, inventory.Evidence{Source: "dhcp", Detail: "offered router " + m.Router.String()})
	}
	e.report(inventory.Event{
		Time: p.Time, Type: inventory.EventRogueDHCP, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: server, TargetMAC: macOf(m.ClientHW), TargetIP: m.YourIP,
		Summary:  fmt.Sprintf("rogue DHCP server %s (%s) answered %s", server, macString(src), macString(m.ClientHW)),
		Evidence: ev,
	}, src, mac{})
}

func list(m map[netip.Addr]bool) string {
	var out []netip.Addr
	for a := range m {
		out = append(out, a)
	}
	return join(out)
}

func join(as []netip.Addr) string {
	s := ""
	for i, a := range as {
		if i > 0 {
			s += ", "
		}
		s += a.String()
	}
	return s
}
