package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"slices"
	"time"

	"tend/capture"
	"tend/inventory"
)

type dhcpServer struct {
	mac    mac
	first  time.Time
	router netip.Addr
	offers int
	msg    DHCPMessage // its first offer or ack
	conf   dhcpConfig  // what its latest answer hands out
}

type dhcpState struct {
	known   map[netip.Addr]bool // legitimate servers (configured or learned)
	seen    map[netip.Addr]*dhcpServer
	router  netip.Addr // the router option of a legitimate server
	ordered []netip.Addr
	// byRouter is the server trusted only because it handed out the
	// gateway as router: if the gateway itself then answers, it was a
	// rogue that answered first (one that keeps the router and hands out
	// its own DNS server hijacks names, not routes).
	byRouter netip.Addr
	// macs are the legitimate servers' MACs (at most a few): their ping
	// checks of the addresses they are about to offer (dnsmasq, ISC dhcpd
	// ping-check, Windows conflict detection: ARP, then ICMP echo) are no
	// host sweep, even when a starvation attack makes them check dozens.
	macs []mac
}

// isServer reports whether m is a legitimate DHCP server's MAC.
func (d *dhcpState) isServer(m mac) bool {
	for _, x := range d.macs {
		if x == m {
			return true
		}
	}
	return false
}

// DHCPMessage is the part of a BOOTP/DHCP server message the detectors use.
type DHCPMessage struct {
	Type     byte       // option 53: 2 offer, 5 ack, 6 nak
	Server   netip.Addr // option 54, or the zero Addr
	Router   netip.Addr // first address of option 3
	DNS      netip.Addr // first address of option 6
	YourIP   netip.Addr
	ClientHW [6]byte
	Config   dhcpConfig // what the answer tells the client to use
}

// dhcpConfig is what a DHCP answer makes a client use: its subnet, the
// routers, the DNS servers and the options that steer its names and routes.
// The address lists are sets (hashed in any order: a failover or split-scope
// partner often lists itself first among the DNS servers); the rest is
// hashed as sent. Two servers whose answers have equal dhcpConfigs are
// interchangeable to every client (a failover pair, a split scope).
type dhcpConfig struct {
	subnet  netip.Prefix // yiaddr under option 1; zero without either
	routers uint64       // option 3, as a set
	dns     uint64       // option 6, as a set
	names   uint64       // options 15 (domain), 119 (search list), 44 (NetBIOS name servers, as a set), 252 (WPAD)
	routes  uint64       // options 33, 121 and 249 (static and classless routes)
}

// dhcpConfigOf reads d's dhcpConfig without allocating.
func dhcpConfigOf(d *capture.DHCP) dhcpConfig {
	var c dhcpConfig
	if v := d.Option(1); len(v) == 4 && d.YourIP.Is4() && !d.YourIP.IsUnspecified() {
		bits := 0
		for m := binary.BigEndian.Uint32(v); m&(1<<31) != 0; m <<= 1 {
			bits++
		}
		c.subnet, _ = d.YourIP.Prefix(bits)
	}
	c.routers, c.dns = addrSetHash(d.Option(3)), addrSetHash(d.Option(6))
	c.names = optHash(addrSetHash(d.Option(44)), d, 15, 119, 252)
	c.routes = optHash(0, d, 33, 121, 249)
	return c
}

// addrSetHash hashes a list of IPv4 addresses as a set: the same addresses
// in any order hash the same.
func addrSetHash(v []byte) uint64 {
	var h uint64
	for ; len(v) >= 4; v = v[4:] {
		x := uint64(binary.BigEndian.Uint32(v)) + 0x9e3779b97f4a7c15 // splitmix64's finaliser
		x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
		x = (x ^ x>>27) * 0x94d049bb133111eb
		h += x ^ x>>31
	}
	return h
}

// optHash folds the listed options' codes, lengths and values into h (FNV-1a).
func optHash(h uint64, d *capture.DHCP, codes ...byte) uint64 {
	h ^= 14695981039346656037
	add := func(b byte) { h = (h ^ uint64(b)) * 1099511628211 }
	for _, c := range codes {
		v := d.Option(c)
		if v == nil {
			continue
		}
		add(c)
		add(byte(len(v)))
		for _, b := range v {
			add(b)
		}
	}
	return h
}

// differs names what a hands out that b does not, or returns "" when a
// client could take either answer alike. A subnet counts only when both
// answers carry one (an ACK to DHCPINFORM has no yiaddr).
func (a dhcpConfig) differs(b dhcpConfig) string {
	switch {
	case a.routers != b.routers:
		return "routers"
	case a.dns != b.dns:
		return "DNS servers"
	case a.subnet.IsValid() && b.subnet.IsValid() && a.subnet != b.subnet:
		return "subnet"
	case a.routes != b.routes:
		return "static routes"
	case a.names != b.names:
		return "domain, search list, WINS or WPAD"
	}
	return ""
}

// ParseDHCP decodes a BOOTREPLY (RFC 2131) far enough to name its server;
// ok is false for anything else or a malformed message.
func ParseDHCP(b []byte) (m DHCPMessage, ok bool) {
	d, ok := capture.ParseDHCP(b)
	if !ok || d.Op != 2 || !d.Ethernet {
		return m, false
	}
	m.YourIP, m.ClientHW, m.Type = d.YourIP, d.ClientHW, d.Type()
	if v := d.Option(54); len(v) == 4 {
		m.Server = netip.AddrFrom4([4]byte(v))
	}
	if v := d.Option(3); len(v) >= 4 {
		m.Router = netip.AddrFrom4([4]byte(v[:4]))
	}
	if v := d.Option(6); len(v) >= 4 {
		m.DNS = netip.AddrFrom4([4]byte(v[:4]))
	}
	m.Config = dhcpConfigOf(&d)
	return m, m.Type != 0
}

var dhcpTypes = map[byte]string{2: "OFFER", 5: "ACK", 6: "NAK"}

func (e *Engine) dhcpPacket(p *capture.Packet, src mac) {
	m, ok := ParseDHCP(p.UDP.Payload)
	if !ok || (m.Type != 2 && m.Type != 5) {
		return
	}
	if m.Type == 5 {
		e.starve.leased(m.ClientHW, m.YourIP) // dhcpstorm.go
	} else {
		e.starve.offer(m.ClientHW, m.YourIP)
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
		s = &dhcpServer{mac: src, first: p.Time, router: m.Router, msg: m}
		d.seen[server] = s
		d.ordered = append(d.ordered, server)
	}
	s.offers++
	s.conf = m.Config
	if d.known[server] {
		if m.Router.IsValid() {
			d.router = m.Router
		}
		if !d.isServer(src) && len(d.macs) < 8 {
			d.macs = append(d.macs, src) // a configured server, first heard
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
	if !trusted && server == e.gateway && len(d.known) == 1 && d.known[d.byRouter] && d.seen[d.byRouter].conf.differs(m.Config) != "" {
		// The gateway answers after another server took the trust by
		// handing out the gateway as router: that one was first, not legitimate.
		rogue := d.byRouter
		delete(d.known, rogue)
		d.macs = slices.DeleteFunc(d.macs, func(m mac) bool { return m == d.seen[rogue].mac })
		d.byRouter, trusted = netip.Addr{}, true
		r := d.seen[rogue]
		e.reportRogueDHCP(p.Time, r.mac, rogue, r.msg, fmt.Sprintf("the gateway %s serves DHCP itself; %s answered before it", server, rogue))
	}
	if trusted {
		d.known[server] = true
		d.router = m.Router
		if !d.isServer(src) && len(d.macs) < 8 {
			d.macs = append(d.macs, src)
		}
		if server != e.gateway && e.gateway.IsValid() && len(e.cfg.DHCPServers) == 0 {
			d.byRouter = server
		}
		return
	}
	e.untrustedDHCP(p.Time, src, server, m)
}

// untrustedDHCP judges an answer from a server neither configured nor
// trusted: a failover or split-scope partner of a known one, or a rogue.
func (e *Engine) untrustedDHCP(t time.Time, src mac, server netip.Addr, m DHCPMessage) {
	d := &e.dhcp
	partner, diff := d.partnerOf(m.Config)
	if partner.IsValid() {
		// A failover or split-scope partner: each answer is checked again,
		// so one that later hands out something else is raised then. Its
		// MAC does not join d.macs: a rogue that copied the known server's
		// answer once would be exempt from the DHCPv6, sweep and NDP rules
		// for good (review 24a); its DHCPv6 answers are judged apart.
		return
	}
	var why string
	switch {
	case diff != "":
		why = diff
	case len(d.known) > 0:
		why = "not the known DHCP server " + list(d.known)
	case e.gateway.IsValid():
		why = fmt.Sprintf("it hands out router %s, not the gateway %s", m.Router, e.gateway)
	default:
		why = fmt.Sprintf("%d DHCP servers answer on this network (%s) and none is known", len(d.seen), join(d.ordered))
	}
	e.reportRogueDHCP(t, src, server, m, why)
}

// partnerOf returns a known server whose latest answer hands out what c
// does (the same router and DNS server sets, subnet, routes and name
// options): a second server like that is a failover or split-scope partner,
// which no client can tell from the first. Otherwise diff says how c differs
// from the first known server heard, or is "" when none was heard.
func (d *dhcpState) partnerOf(c dhcpConfig) (partner netip.Addr, diff string) {
	for _, a := range d.ordered {
		s := d.seen[a]
		if !d.known[a] || s == nil {
			continue
		}
		what := s.conf.differs(c)
		if what == "" {
			return a, ""
		}
		if diff == "" {
			diff = fmt.Sprintf("its answer differs in %s from the known DHCP server %s", what, a)
		}
	}
	return netip.Addr{}, diff
}

// reportRogueDHCP raises one event per rogue server: its answers to other
// clients within the cooldown are the same incident (counted as suppressed).
func (e *Engine) reportRogueDHCP(t time.Time, src mac, server netip.Addr, m DHCPMessage, why string) {
	k := quietKey{typ: inventory.EventRogueDHCP, culprit: src, detail: server.String()}
	if e.quieted(k, t) {
		return
	}
	ev := []inventory.Evidence{
		{Source: "dhcp", Detail: fmt.Sprintf("DHCP%s from %s (%s) offering %s to %s", dhcpTypes[m.Type], server, macString(src), m.YourIP, macString(m.ClientHW))},
		{Source: "dhcp", Detail: why},
	}
	if m.Router.IsValid() {
		ev = append(ev, inventory.Evidence{Source: "dhcp", Detail: "offered router " + m.Router.String()})
	}
	if m.DNS.IsValid() {
		ev = append(ev, inventory.Evidence{Source: "dhcp", Detail: "offered DNS server " + m.DNS.String()})
	}
	ev = append(ev, inventory.Evidence{Source: "dhcp", Detail: fmt.Sprintf("one incident: its answers to other clients within %s are not reported again", e.cfg.Cooldown)})
	e.reportKey(k, inventory.Event{
		Time: t, Type: inventory.EventRogueDHCP, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: server, TargetMAC: macOf(m.ClientHW), TargetIP: m.YourIP,
		Summary:  fmt.Sprintf("rogue DHCP server %s (%s) answered %s", server, macString(src), macString(m.ClientHW)),
		Evidence: ev,
	})
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

// Starvation: a DHCP server's pool (a /24 holds 254) emptied by requests
// from forged client hardware addresses (dhcpig, yersinia, dhcpstarv).
// starveClients distinct addresses asking within Window is far beyond a
// small office's joins (people arrive over an hour, not in a minute).
const starveClients = 50

// starveState's times are on the engine's clock (nanos), so a wall-clock
// step (NTP setting the box's clock) neither ends a window nor brings a
// verdict early or late.
type starveState struct {
	live     bool // a count was begun (the zero state has none)
	start    int64
	msgs     int
	clients  sketch
	srcMAC   mac
	same     int    // messages from srcMAC
	mismatch int    // Ethernet source differs from the client hardware address
	forged   sketch // the client hardware addresses of those (settleLater, bootStorm)
	reported bool
	own      map[mac]ownClient // the clients that asked under their own MAC, up to MaxHosts (bootStorm)
	nOwn     int               // all of them, those beyond MaxHosts too
	due      int64             // when a count of own-MAC clients past starveClients is settled (bootStorm), where settling
	settling bool
}

// dhcpClient watches clients' DISCOVERs and REQUESTs for starvation.
func (e *Engine) dhcpClient(p *capture.Packet, src mac) {
	d, ok := capture.ParseDHCP(p.UDP.Payload)
	if !ok || d.Op != 1 || !d.Ethernet || !d.RelayIP.IsUnspecified() || e.isSelf(src) {
		return
	}
	if typ := d.Type(); typ != capture.DHCPDiscover && typ != capture.DHCPRequest {
		return
	}
	s, now := &e.starve, e.nanosOf(p.Time)
	if !s.live || now-s.start > int64(e.cfg.Window) && !s.pending() && !(s.reported && now-s.start <= int64(e.cfg.Cooldown)) {
		*s = starveState{live: true, start: now, srcMAC: src}
	}
	s.msgs++
	s.clients.add(macKey(d.ClientHW))
	if src == s.srcMAC {
		s.same++
	}
	if src != d.ClientHW {
		s.mismatch++
		s.forged.add(macKey(d.ClientHW))
	} else {
		e.sampleOwn(src, now, requested(&d)) // dhcpstorm.go
	}
	n := s.clients.count()
	if s.reported || n < starveClients || e.settleLater(now) {
		return
	}
	e.reportStarvation(p.Time, now)
}

// reportStarvation raises at t (now on the engine's clock) the starvation
// the state s has counted.
func (e *Engine) reportStarvation(t time.Time, now int64) {
	s := &e.starve
	n := s.clients.count()
	s.reported = true
	ev := inventory.Event{
		Time: t, Type: inventory.EventDHCPStarvation, Severity: inventory.SeverityHigh,
		Evidence: []inventory.Evidence{
			{Source: "dhcp", Detail: fmt.Sprintf("%d DISCOVER/REQUEST messages from about %d client hardware addresses in %s", s.msgs, n, roundDur(time.Duration(now-s.start)))},
			{Source: "dhcp", Detail: fmt.Sprintf("threshold: %d client addresses within %s", starveClients, e.cfg.Window)},
		},
	}
	culprit := mac{}
	if s.same*10 >= s.msgs*9 {
		culprit = s.srcMAC
		ev.MAC = macOf(culprit)
		ev.Summary = fmt.Sprintf("%s asked for %d DHCP leases under forged client addresses: DHCP starvation", macString(culprit), n)
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "dhcp", Detail: fmt.Sprintf("%d of %d messages carry a client address other than the frame's source", s.mismatch, s.msgs)})
	} else {
		ev.Summary = fmt.Sprintf("%d forged client addresses asked for DHCP leases within %s: DHCP starvation", n, roundDur(time.Duration(now-s.start)))
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "dhcp", Detail: "each frame comes from its own forged source MAC: find the switch port they enter by"})
	}
	e.report(ev, culprit, mac{})
}
