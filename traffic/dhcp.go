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
	msg    DHCPMessage   // its first offer or ack
	out    dhcpHandedOut // what its answers handed out, while it is known
	last   dhcpConfig    // what its latest answer hands out
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
	// released are the last RELEASEs clients sent from their own MACs
	// (dhcpforge.go: a router's copy of one is no forgery).
	released [releasedSlots]ownRelease
	nRelease int
	seconds  []netip.Addr // second DHCP services raised (dhcppair.go), up to dhcpPairMax
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
	ClientIP netip.Addr // ciaddr: the client's own address in an ACK to a DHCPINFORM (RFC 2131 4.3.5), where yiaddr is 0
	ClientHW [6]byte
	Config   dhcpConfig // what the answer tells the client to use
	Routes   string     // option 121's classless static routes (or 249's), formatted; "" without
	PXE      bool       // option 60 is "PXEClient": an answer to a PXE client (pxeproxy.go)
}

// dhcpConfig is what a DHCP answer makes a client use: its subnet and
// each option a client acts on, hashed one by one. Address lists are hashed
// as sets (a failover or split-scope partner often lists itself first
// among the DNS servers); the rest as sent. Options that differ between
// any two servers' answers to one client (the server identifier, lease
// times, echoed client fields: dhcpLeaseOpt) are left out.
type dhcpConfig struct {
	_      [0]func()    // not comparable: no equality function linked
	subnet netip.Prefix // yiaddr under option 1; zero without either
	n      int
	opts   [dhcpMaxOpts]dhcpOptVal
}

// dhcpOptVal is one option of an answer: its code and its value's hash.
type dhcpOptVal struct {
	code byte
	h    uint64
}

// dhcpMaxOpts bounds the options an answer is judged by (a server's
// answer carries ten or so; more are ignored).
const dhcpMaxOpts = 24

// dhcpLeaseOpt lists the options that belong to one server's lease or echo
// the client: the message type, server identifier and overload (53, 54,
// 52), lease, renewal and rebinding times (51, 58, 59: a failover partner
// grants the MCLT), the client's own fields echoed back (12 host name, 50
// requested address, 55 parameter list, 57 message size, 61 client
// identifier, 81 client FQDN, 82 relay agent information, 118 subnet
// selection) and failover's and authentication's per-lease fields (90, 91,
// 92, 145).
var dhcpLeaseOpt = [256]bool{12: true, 50: true, 51: true, 52: true, 53: true, 54: true, 55: true, 57: true, 58: true, 59: true,
	61: true, 81: true, 82: true, 90: true, 91: true, 92: true, 118: true, 145: true}

// dhcpAddrList lists the options whose value is a list of IPv4 addresses
// (RFC 2132), hashed as sets.
var dhcpAddrList = [256]bool{3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true, 11: true, 41: true, 42: true,
	44: true, 45: true, 48: true, 49: true, 65: true, 68: true, 69: true, 70: true, 71: true, 72: true, 73: true, 74: true, 75: true, 76: true, 150: true}

// dhcpOptName names the options whose difference is most often the point.
var dhcpOptName = map[byte]string{1: "subnet mask", 3: "routers", 6: "DNS servers", 15: "domain", 33: "static routes",
	42: "NTP servers", 44: "WINS servers", 66: "TFTP server", 67: "boot file", 108: "IPv6-only preferred",
	119: "search list", 121: "classless static routes", 249: "classless static routes (Microsoft)", 252: "WPAD"}

func optName(code byte) string {
	if n, ok := dhcpOptName[code]; ok {
		return fmt.Sprintf("%s (option %d)", n, code)
	}
	return fmt.Sprintf("option %d", code)
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
	for p := d.Options; len(p) >= 2 && c.n < dhcpMaxOpts; {
		if p[0] == 0 {
			p = p[1:]
			continue
		}
		code, v := p[0], p[2:2+int(p[1])]
		p = p[2+len(v):]
		if code == 255 || dhcpLeaseOpt[code] {
			continue
		}
		h := optHash(code, v)
		if dhcpAddrList[code] && len(v)%4 == 0 {
			h = addrSetHash(v)
		}
		c.opts[c.n] = dhcpOptVal{code, h}
		c.n++
	}
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

// optHash hashes an option's code, length and value (FNV-1a).
func optHash(code byte, v []byte) uint64 {
	h := uint64(14695981039346656037)
	add := func(b byte) { h = (h ^ uint64(b)) * 1099511628211 }
	add(code)
	add(byte(len(v)))
	for _, b := range v {
		add(b)
	}
	return h
}

// dhcpHandedOut is the union of what a known server's answers handed out:
// every subnet and every value of every option, so that a partner's answer
// to a client that asked for other options (its parameter request list)
// is compared only with options both carry.
type dhcpHandedOut struct {
	subnets []netip.Prefix
	opts    []dhcpOptVal
}

// dhcpMaxValues bounds the values a known server's union holds: a scope
// has a few dozen (more are not learned).
const dhcpMaxValues = 256

// learn adds c to u.
func (u *dhcpHandedOut) learn(c *dhcpConfig) {
	if c.subnet.IsValid() && !slices.Contains(u.subnets, c.subnet) && len(u.subnets) < 16 {
		u.subnets = append(u.subnets, c.subnet)
	}
	for _, o := range c.opts[:c.n] {
		if !slices.Contains(u.opts, o) && len(u.opts) < dhcpMaxValues {
			u.opts = append(u.opts, o)
		}
	}
}

// covers reports whether a client could take c from u's server alike.
func (u *dhcpHandedOut) covers(c *dhcpConfig) bool {
	what, _ := u.differs(c)
	return what == ""
}

// alike reports whether the gateway's answer c and the server s hand out
// the same: each carries only what the other hands out.
func alike(s *dhcpServer, c *dhcpConfig) bool {
	var gw dhcpHandedOut
	gw.learn(c)
	return s.out.covers(c) && gw.covers(&s.last)
}

// differs says what c hands out that the known server never did, or
// returns "" when a client could take c from it alike: an option the
// known server never hands out (never set), or one with a value it never
// handed out. An option only the known server carries counts not (the
// client asked for other options), nor does a subnet c lacks (an ACK to
// DHCPINFORM has no yiaddr).
func (u *dhcpHandedOut) differs(c *dhcpConfig) (what string, never bool) {
	if c.subnet.IsValid() && len(u.subnets) > 0 && !slices.Contains(u.subnets, c.subnet) {
		return "subnet " + c.subnet.String(), false
	}
	for _, o := range c.opts[:c.n] {
		if slices.Contains(u.opts, o) {
			continue
		}
		for _, k := range u.opts {
			if k.code == o.code {
				return optName(o.code), false
			}
		}
		return optName(o.code), true
	}
	return "", false
}

// ParseDHCP decodes a BOOTREPLY (RFC 2131) far enough to name its server;
// ok is false for anything else or a malformed message.
func ParseDHCP(b []byte) (m DHCPMessage, ok bool) {
	d, ok := capture.ParseDHCP(b)
	if !ok || d.Op != 2 || !d.Ethernet {
		return m, false
	}
	m.YourIP, m.ClientIP, m.ClientHW, m.Type = d.YourIP, d.ClientIP, d.ClientHW, d.Type()
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
	m.Routes = classlessOf(&d) // dhcpforge.go
	m.PXE = pxeClass(&d)       // pxeproxy.go
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
	if e.serverForged(p, src, m) { // dhcpforge.go
		return
	}
	server := m.Server
	if !server.IsValid() {
		server = p.SrcIP()
	}
	if e.notePXE(p.UDP.Payload, server); m.proxyDHCP() { // tftpheld.go
		e.bootAnswer(p, src, server, &m, true) // pxerival.go: a second boot service
		return                                 // pxeproxy.go: a PXE proxyDHCP hands out nothing a client routes or resolves by
	}
	e.bootAnswer(p, src, server, &m, false) // pxerival.go: the DHCP server's own boot file, if any
	d := &e.dhcp
	s := d.server(server, src, p.Time, &m)
	if s == nil {
		return
	}
	s.offers++
	s.last = m.Config
	if d.known[server] {
		s.out.learn(&m.Config)
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
	if !trusted && server == e.gateway && len(d.known) == 1 && d.known[d.byRouter] && !alike(d.seen[d.byRouter], &m.Config) {
		// The gateway answers after another server took the trust by
		// handing out the gateway as router: that one was first, not legitimate.
		rogue := d.byRouter
		delete(d.known, rogue)
		d.macs = slices.DeleteFunc(d.macs, func(m mac) bool { return m == d.seen[rogue].mac })
		d.byRouter, trusted = netip.Addr{}, true
		d.known[server] = true // trusted below: the gateway is known when the first is judged (dhcppair.go)
		if r := d.seen[rogue]; !e.secondDHCP(p.Time, r.mac, rogue, r.msg) {
			e.reportRogueDHCP(p.Time, r.mac, rogue, r.msg, fmt.Sprintf("the gateway %s serves DHCP itself; %s answered before it", server, rogue))
		}
	}
	if trusted {
		d.known[server] = true
		s.out.learn(&m.Config)
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

// server is the answering server's entry in seen, made at its first
// answer (m); nil when 64 servers fill the table.
func (d *dhcpState) server(server netip.Addr, src mac, t time.Time, m *DHCPMessage) *dhcpServer {
	if d.seen == nil {
		d.seen = map[netip.Addr]*dhcpServer{}
	}
	s := d.seen[server]
	if s == nil {
		if len(d.seen) >= 64 {
			return nil
		}
		s = &dhcpServer{mac: src, first: t, router: m.Router, msg: *m}
		d.seen[server] = s
		d.ordered = append(d.ordered, server)
	}
	return s
}

// untrustedDHCP judges an answer from a server neither configured nor
// trusted: a failover or split-scope partner of a known one, or a rogue.
func (e *Engine) untrustedDHCP(t time.Time, src mac, server netip.Addr, m DHCPMessage) {
	d := &e.dhcp
	partner, diff := d.partnerOf(&m.Config)
	if taken := e.offerTaken(t, m); partner.IsValid() && taken != "" {
		partner, diff = netip.Addr{}, taken
	}
	if partner.IsValid() {
		// A failover or split-scope partner: each answer is checked again,
		// so one that later hands out something else is raised then. Its
		// MAC does not join d.macs: a rogue that copied the known server's
		// answer once would be exempt from the DHCPv6, sweep and NDP rules
		// for good (review 24a); its DHCPv6 answers are judged apart.
		return
	}
	if e.secondDHCP(t, src, server, m) { // dhcppair.go: a second service, no attacker's
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

// offerTaken says why the address m offers is not the server's to give,
// or returns "": the gateway's address, a known DHCP server's or one that
// another MAC uses (bound to it in ARP within ConflictWindow). A partner
// offers only free addresses of its half of the pool (it checks them by
// ARP or ping first); a rogue offering a host's address makes the client
// take it over (an address conflict that cuts the host off, or a
// man-in-the-middle).
func (e *Engine) offerTaken(t time.Time, m DHCPMessage) string {
	y := m.YourIP
	switch {
	case !y.Is4() || y.IsUnspecified():
		return ""
	case y == e.gateway:
		return fmt.Sprintf("it offers the gateway's address %s", y)
	case e.dhcp.known[y]:
		return fmt.Sprintf("it offers the known DHCP server's address %s", y)
	}
	if b := e.arp[y]; b != nil && b.mac != mac(m.ClientHW) && t.Sub(b.last) <= e.cfg.ConflictWindow {
		return fmt.Sprintf("it offers %s, which %s uses (ARP, last heard %s before)", y, macString(b.mac), roundDur(t.Sub(b.last)))
	}
	return ""
}

// partnerOf returns a known server whose answers handed out all c hands
// out (each option c carries, with a value that server handed out): a
// second server like that is a failover or split-scope partner, which no
// client can tell from the first. Otherwise diff says how c differs from
// the first known server heard, or is "" when none was heard.
func (d *dhcpState) partnerOf(c *dhcpConfig) (partner netip.Addr, diff string) {
	for _, a := range d.ordered {
		s := d.seen[a]
		if !d.known[a] || s == nil {
			continue
		}
		what, never := s.out.differs(c)
		if what == "" {
			return a, ""
		}
		switch {
		case diff != "":
		case never:
			diff = fmt.Sprintf("its answer carries %s, which the known DHCP server %s never hands out", what, a)
		default:
			diff = fmt.Sprintf("its answer differs in %s from what the known DHCP server %s hands out", what, a)
		}
	}
	return netip.Addr{}, diff
}

// reportRogueDHCP raises one event per rogue server: its answers to other
// clients within the cooldown are the same incident (counted as suppressed).
func (e *Engine) reportRogueDHCP(t time.Time, src mac, server netip.Addr, m DHCPMessage, why string) {
	k := rogueDHCPKey(src) // dhcpone.go: one incident per MAC, whichever identifier it answers under
	if e.quieted(k, t) {
		return
	}
	ev := []inventory.Evidence{
		{Source: "dhcp", Detail: fmt.Sprintf("DHCP%s from %s (%s) offering %s to %s", dhcpTypes[m.Type], server, macString(src), m.YourIP, macString(m.ClientHW))},
		{Source: "dhcp", Detail: why},
	}
	ev = append(ev, handedOut(m)...) // dhcpforge.go
	ev = append(ev, inventory.Evidence{Source: "dhcp", Detail: fmt.Sprintf("one incident: its answers to other clients within %s are not reported again", e.cfg.Cooldown)})
	e.reportKey(k, inventory.Event{
		Time: t, Type: inventory.EventRogueDHCP, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: server, TargetMAC: macOf(m.ClientHW), TargetIP: m.target(),
		Summary:  fmt.Sprintf("rogue DHCP server %s (%s) answered %s", server, macString(src), macString(m.ClientHW)),
		Evidence: ev,
	})
}

// target is the client's address: yiaddr, or ciaddr in an ACK to a
// DHCPINFORM, whose yiaddr is 0 (RFC 2131 4.3.5: the client already has
// its address).
func (m *DHCPMessage) target() netip.Addr {
	if (!m.YourIP.IsValid() || m.YourIP.IsUnspecified()) && m.ClientIP.IsValid() && !m.ClientIP.IsUnspecified() {
		return m.ClientIP
	}
	return m.YourIP
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
	declines int    // DECLINEs among msgs
	forged   sketch // the client hardware addresses of those (settleLater, bootStorm)
	reported bool
	own      map[mac]ownClient // the clients that asked under their own MAC, up to MaxHosts (bootStorm)
	nOwn     int               // all of them, those beyond MaxHosts too
	due      int64             // when a count of own-MAC clients past starveClients is settled (bootStorm), where settling
	settling bool
}

// dhcpClient watches clients' DISCOVERs, REQUESTs and DECLINEs for
// starvation. A DECLINE (RFC 2131 4.4.1: the client found its offered
// address in use) makes the server set the address aside, so DECLINEs for
// a pool's addresses under forged client addresses empty it with no lease
// taken; a client declines once in a while, never fifty within Window.
func (e *Engine) dhcpClient(p *capture.Packet, src mac) {
	d, ok := capture.ParseDHCP(p.UDP.Payload)
	if !ok || d.Op != 1 || !d.Ethernet || !d.RelayIP.IsUnspecified() || e.isSelf(src) {
		return
	}
	if d.Type() == dhcpRelease {
		e.releaseForged(p.Time, src, &d) // dhcpforge.go
		return
	}
	if typ := d.Type(); typ != capture.DHCPDiscover && typ != capture.DHCPRequest && typ != capture.DHCPDecline {
		return
	}
	s, now := &e.starve, e.nanosOf(p.Time)
	if !s.live || now-s.start > int64(e.cfg.Window) && !s.pending() && !(s.reported && now-s.start <= int64(e.cfg.Cooldown)) {
		*s = starveState{live: true, start: now, srcMAC: src}
	}
	s.msgs++
	if d.Type() == capture.DHCPDecline {
		s.declines++
	}
	s.clients.add(macKey(d.ClientHW))
	if src == s.srcMAC {
		s.same++
	}
	if src != d.ClientHW {
		s.mismatch++
		s.forged.add(macKey(d.ClientHW))
		e.slowStarveNote(p.Time, now, src, &d) // dhcpslowstarve.go
	} else {
		e.sampleOwn(src, now, d.XID, requested(&d)) // dhcpstorm.go
		if d.Type() != capture.DHCPDecline {
			e.leaseSeen(src, now, &d) // arp.go: a lease reshuffle
		}
	}
	n := s.clients.count()
	if s.reported || n < starveClients || e.settleLater(now) {
		return
	}
	e.reportStarvation(p.Time, now)
}

// reportStarvation raises at t (now on the engine's clock) the starvation
// the state s has counted: the clients counted one by one where they asked
// under their own MAC (the sketch's estimate only for those asked for
// under another MAC: review 35b, 101 MACs estimated as 127), and called
// forged only where the frames say so (a client address other than the
// frame's source); clients each under its own MAC are a starvation for
// what they did not do (use a lease), which says nothing of any one MAC.
func (e *Engine) reportStarvation(t time.Time, now int64) {
	s := &e.starve
	n := s.nOwn + s.forged.count()
	s.reported = true
	e.dropStarvedMACFlood() // macflood.go: the same frames' mac_flood
	ev := inventory.Event{
		Time: t, Type: inventory.EventDHCPStarvation, Severity: inventory.SeverityHigh,
		Evidence: []inventory.Evidence{
			{Source: "dhcp", Detail: fmt.Sprintf("%d DISCOVER/REQUEST/DECLINE messages from about %d client hardware addresses in %s", s.msgs, n, roundDur(time.Duration(now-s.start)))},
			{Source: "dhcp", Detail: fmt.Sprintf("threshold: %d client addresses within %s", starveClients, e.cfg.Window)},
		},
	}
	culprit := mac{}
	switch {
	case s.same*10 >= s.msgs*9:
		culprit = s.srcMAC
		ev.MAC = macOf(culprit)
		ev.Summary = fmt.Sprintf("%s %s under forged client addresses: DHCP starvation", macString(culprit), s.what(n))
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "dhcp", Detail: fmt.Sprintf("%d of %d messages carry a client address other than the frame's source", s.mismatch, s.msgs)})
	case s.mismatch*2 >= s.msgs:
		ev.Summary = fmt.Sprintf("%d forged client addresses %s within %s: DHCP starvation", n, s.what(-1), roundDur(time.Duration(now-s.start)))
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "dhcp", Detail: fmt.Sprintf("%d of %d messages carry a client address other than the frame's source, from many source MACs", s.mismatch, s.msgs)})
	default:
		ev.Summary = fmt.Sprintf("%d client hardware addresses %s within %s and most never used an address: DHCP starvation", n, s.what(-1), roundDur(time.Duration(now-s.start)))
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "dhcp", Detail: "each frame comes from its own source MAC, the client address it asks for, and most of those MACs never used an address afterwards (as MACs a tool invents for its frames): find the switch port they enter by"})
	}
	e.report(ev, culprit, mac{})
}
