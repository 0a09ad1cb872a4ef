package traffic

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"

	"tend/capture"
	"tend/inventory"
)

// insecureKey is one server, client and protocol reported: the addresses'
// 16 bytes and kinds and the protocol's index (insecureProtos) rather than
// two netip.Addr and a string, so that the map's entries (up to
// MaxTrackers of them) take 35 bytes instead of 64 and hash as plain memory
// (a scan of cleartext servers filled 1.2 MB of map on the corpus mix).
type insecureKey struct {
	server, client [16]byte
	kinds          uint8 // addrKind of server, and of client shifted by 2
	proto          uint8 // index in insecureProtos + 1; 0 for another name
}

// insecureHitBits sizes Engine.insecureHits: 64 slots, 2.2 kB.
const insecureHitBits = 6

// insecureSlot is k's slot in insecureHits: the addresses' low words (an
// IPv4 address is As16's last four bytes) and the protocol, mixed.
func (e *Engine) insecureSlot(k insecureKey) *insecureKey {
	h := binary.LittleEndian.Uint64(k.server[8:]) ^ binary.LittleEndian.Uint64(k.client[8:])*31 ^ uint64(k.proto)<<8 ^ uint64(k.kinds)
	return &e.insecureHits[(h*0x9e3779b97f4a7c15)>>(64-insecureHitBits)]
}

// insecureProtos are the protocol names DetectInsecure reports.
var insecureProtos = [...]string{"telnet", "ftp", "pop3", "imap", "http-basic", "smbv1", "snmp", "tftp", "smtp", "vnc", "ldap", "rlogin", "rsh", "rexec", "netbios-browse"}

func newInsecureKey(server, client netip.Addr, proto string) insecureKey {
	k := insecureKey{server: server.As16(), client: client.As16(), kinds: addrKind(server) | addrKind(client)<<2}
	for i, p := range insecureProtos {
		if p == proto {
			k.proto = uint8(i + 1)
			break
		}
	}
	return k
}

// addrKind tells apart the addresses As16 gives the same bytes: none, IPv4
// and IPv6 (packets' addresses carry no zone).
func addrKind(a netip.Addr) uint8 {
	switch {
	case a.Is4():
		return 1
	case a.IsValid():
		return 2
	}
	return 0
}

// Insecure is one cleartext protocol use found in a packet.
type Insecure struct {
	_        [0]func() // not comparable: no equality function linked
	Proto    string    // one of insecureProtos
	ToServer bool      // the packet goes from the client to the server
	v2c      bool      // "snmp": SNMPv2c (else v1)
	anon     bool      // "ftp": an anonymous login (USER anonymous or ftp, RFC 1635): no secret
	// Detail is the evidence, without any secret; for "snmp" the default
	// community only, which Evidence formats when an event is reported
	// rather than for every packet that carries it.
	Detail string
}

// Evidence is the finding's detail as an event's evidence shows it.
func (in Insecure) Evidence() string {
	if in.Proto != "snmp" {
		return in.Detail
	}
	v := "v1"
	if in.v2c {
		v = "v2c"
	}
	return fmt.Sprintf("SNMP%s with the default community %q on the wire", v, in.Detail)
}

// DetectInsecure looks at one TCP or UDP payload for a cleartext login or
// an obsolete protocol. It is pure and allocation-free when nothing is found
// and for an SNMP default community (see Insecure.Evidence).
func DetectInsecure(tcp bool, srcPort, dstPort uint16, payload []byte, communities []string) (Insecure, bool) {
	if tcp {
		switch {
		case dstPort == 23 && len(payload) > 0:
			return Insecure{Proto: "telnet", ToServer: true, Detail: "telnet session: keystrokes and password cross the wire in clear"}, true
		case srcPort == 23 && len(payload) > 0:
			return Insecure{Proto: "telnet", Detail: "telnet server answering: everything in clear"}, true
		case dstPort == 21 && anonymousFTP(payload):
			return Insecure{Proto: "ftp", ToServer: true, anon: true, Detail: "anonymous FTP login (USER anonymous): a public service in clear, no secret"}, true
		case dstPort == 21 && (hasPrefixFold(payload, "USER ") || hasPrefixFold(payload, "PASS ")):
			return Insecure{Proto: "ftp", ToServer: true, Detail: "FTP login (" + string(bytes.ToUpper(payload[:4])) + " command) in clear; password redacted"}, true
		case dstPort == 110 && (hasPrefixFold(payload, "USER ") || hasPrefixFold(payload, "PASS ")):
			return Insecure{Proto: "pop3", ToServer: true, Detail: "POP3 login in clear; password redacted"}, true
		case dstPort == 143 && containsFold(payload, " login "):
			return Insecure{Proto: "imap", ToServer: true, Detail: "IMAP LOGIN in clear; password redacted"}, true
		case dstPort == 445 || dstPort == 139 || srcPort == 445 || srcPort == 139:
			return smb1(srcPort, dstPort, payload)
		}
		if len(payload) >= 4 && (loginFirst[payload[0]] || dstPort-512 <= 2) {
			// insecure2.go: logins known by their shape, on any port. None
			// is an HTTP request: an HTTP payload's first byte is a method's
			// capital, none of loginFirst's.
			return loginShape(srcPort, dstPort, payload)
		}
		if httpRequest(payload) {
			if i := indexFold(payload, "\nauthorization: basic "); i >= 0 {
				return Insecure{Proto: "http-basic", ToServer: true, Detail: "HTTP Basic authentication without TLS; credentials redacted"}, true
			}
		}
		return Insecure{}, false
	}
	switch {
	case dstPort == 161 || dstPort == 162 || srcPort == 161:
		return snmpCommunity(srcPort, dstPort, payload, communities)
	case srcPort == 138 && dstPort == 138:
		if in, ok := netbiosBrowse(payload); ok {
			return in, true // netbiosbrowse.go: browsing, no SMB1 file service
		}
		return smb1Datagram(payload, "a NetBIOS datagram (UDP 138)")
	case dstPort == 69 && len(payload) >= 4 && payload[0] == 0 && (payload[1] == 1 || payload[1] == 2):
		op := "read"
		if payload[1] == 2 {
			op = "write"
		}
		name := payload[2:]
		if i := bytes.IndexByte(name, 0); i >= 0 {
			name = name[:i]
		}
		return Insecure{Proto: "tftp", ToServer: true, Detail: fmt.Sprintf("TFTP %s request for %q: no authentication, no encryption", op, printable(name, 64))}, true
	}
	return Insecure{}, false
}

// plainTCP reports whether DetectInsecure passes over a TCP payload b
// between ports sp and dp at once: neither port one of the services it
// reads by port (insecurePorts, either way round), and b too short for a
// login's or HTTP request's shape, or beginning with neither a byte
// loginShape reads further nor an HTTP method. Most of a LAN's segments
// (TLS records, HTTP answers; SMB2 on 445 aside) stop here, not after a
// dozen tests.
func plainTCP(sp, dp uint16, b []byte) bool {
	return !insecurePort(sp) && !insecurePort(dp) && (len(b) < 4 || !loginFirst[b[0]] && !methodStart(b))
}

// insecurePorts has the bit of each port below 1024 DetectInsecure reads
// a TCP payload of by its port: telnet, FTP, POP3, IMAP, SMB and the
// r-services (512 to 514).
var insecurePorts = func() (t [16]uint64) {
	for _, p := range []uint16{21, 23, 110, 139, 143, 445, 512, 513, 514} {
		t[p>>6] |= 1 << (p & 63)
	}
	return t
}()

// insecurePort reports whether p's bit is set in insecurePorts. A port
// from 1024 up reads the bit of the port below 1024 it is congruent to:
// it only sends a segment on to DetectInsecure (the test, not done,
// kept plainTCP small enough to inline).
func insecurePort(p uint16) bool { return insecurePorts[p>>6&15]&(1<<(p&63)) != 0 }

// methodStart reports whether b's first four bytes begin an HTTP method
// (httpRequest's first test, alone).
func methodStart(b []byte) bool {
	switch string(b[:4]) {
	case "GET ", "PUT ", "POST", "HEAD", "DELE", "PATC", "OPTI":
		return true
	}
	return false
}

var httpMethods = []string{"GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "PATCH ", "OPTIONS "}

// httpRequest reports whether b begins with one of httpMethods. Every TCP
// payload of a session on another port comes here (HTTPS's records both
// ways): its first four bytes, compared with constants, turn almost all of
// them away before the methods are compared one by one (seven calls to the
// runtime's memequal, 3 % of BenchmarkDecodeAndDetect's instructions).
func httpRequest(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	switch string(b[:4]) {
	case "GET ", "PUT ":
		return true
	case "POST", "HEAD", "DELE", "PATC", "OPTI":
	default:
		return false
	}
	for _, m := range httpMethods {
		if len(b) >= len(m) && string(b[:len(m)]) == m {
			return true
		}
	}
	return false
}

// smb1 finds SMBv1 spoken over a session (direct TCP 445 or NetBIOS
// session service 139: a 4-byte session header, then "\xffSMB"). A
// server's SMB1 NEGOTIATE answer that selects a dialect, or its SMB1
// answer to any later command, proves the server speaks SMBv1; a client's
// SMB1 requests do not (medusa sends SESSION_SETUP_ANDX after a refusal). A NEGOTIATE
// request alone proves nothing about the server: Windows 10 opens with one
// and is answered in SMB2 (MS-SMB2 3.3.5.3). Nor does an SMB1 answer with
// DialectIndex 0xFFFF (no dialect accepted, MS-CIFS 2.2.4.52.2) or without
// words (an error): that is how Samba 4 and every NAS built on it refuse
// SMB1 to nmap -sV, smb-protocols and hydra.
func smb1(srcPort, dstPort uint16, p []byte) (Insecure, bool) {
	if len(p) < 4+32 || p[0] != 0 || string(p[4:8]) != "\xffSMB" {
		return Insecure{}, false
	}
	cmd, reply := p[8], p[4+9]&0x80 != 0
	toServer := dstPort == 445 || dstPort == 139
	switch {
	case cmd == 0x72 && reply && !toServer && smb1Dialect(p):
		return Insecure{Proto: "smbv1", Detail: "server answered an SMB1 NEGOTIATE in SMB1: SMBv1 is enabled"}, true
	case cmd != 0x72 && reply && !toServer:
		// Only the server's answer proves SMB1 in use: a client that asks
		// in SMB1 anyway after a refused NEGOTIATE (medusa -M smbnt,
		// review 40) is turned away and proves nothing about the server.
		return Insecure{Proto: "smbv1", Detail: fmt.Sprintf("SMB1 command 0x%02x in a session: SMBv1 is in use", cmd)}, true
	}
	return Insecure{}, false
}

// smb1Dialect reports whether an SMB1 NEGOTIATE answer p (session header
// included) selects a dialect: WordCount (the byte after the 32-byte
// header) at least 1 and DialectIndex, its first word, not 0xFFFF.
func smb1Dialect(p []byte) bool {
	return len(p) >= 4+32+3 && p[4+32] >= 1 && (p[4+33] != 0xff || p[4+34] != 0xff)
}

// smb1Datagram finds SMB1 in a NetBIOS datagram (UDP 138: browser
// announcements and mailslots, RFC 1002 4.4) or a NetBEUI frame: the
// sender's SMBv1 stack is running, the mark of an old Windows or Samba host.
func smb1Datagram(p []byte, transport string) (Insecure, bool) {
	if len(p) > 256 {
		p = p[:256]
	}
	i := bytes.Index(p, []byte("\xffSMB"))
	if i < 0 || len(p) < i+32 {
		return Insecure{}, false
	}
	return Insecure{Proto: "smbv1", Detail: fmt.Sprintf("SMB1 command 0x%02x sent over %s: the host's SMBv1 stack is running", p[i+4], transport)}, true
}

// snmpCommunity reads an SNMP v1/v2c message's community (BER: SEQUENCE {
// INTEGER version, OCTET STRING community, …}) and reports a default one.
func snmpCommunity(srcPort, dstPort uint16, p []byte, communities []string) (Insecure, bool) {
	c, version, ok := snmpCommunityOf(p)
	if !ok {
		return Insecure{}, false
	}
	for _, d := range communities {
		if string(c) == d {
			// The agent is the side on port 161, or a trap's sender.
			return Insecure{Proto: "snmp", ToServer: dstPort == 161, v2c: version == 1, Detail: d}, true
		}
	}
	return Insecure{}, false
}

// snmpCommunityOf returns an SNMP v1 (version 0) or v2c (1) message's
// community.
func snmpCommunityOf(p []byte) (community []byte, version byte, ok bool) {
	b, ok := berHeader(p, 0x30)
	if !ok || len(b) < 3 || b[0] != 0x02 || b[1] != 1 || b[2] > 1 {
		return nil, 0, false
	}
	c, ok := berHeader(b[3:], 0x04)
	return c, b[2], ok
}

// berHeader checks a BER tag and definite length and returns the contents
// (cut to what is present for a SEQUENCE).
func berHeader(b []byte, tag byte) ([]byte, bool) {
	if len(b) < 2 || b[0] != tag {
		return nil, false
	}
	n, off := int(b[1]), 2
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 3 || len(b) < 2+k {
			return nil, false
		}
		n = 0
		for _, x := range b[2 : 2+k] {
			n = n<<8 | int(x)
		}
		off += k
	}
	rest := b[off:]
	if n > len(rest) {
		if tag != 0x30 {
			return nil, false
		}
		n = len(rest)
	}
	return rest[:n], true
}

func (e *Engine) cleartext(p *capture.Packet, src, dst mac) {
	var tcp bool
	var sp, dp uint16
	switch {
	case p.Has&capture.HasTCP != 0:
		tcp, sp, dp = true, uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)
	case p.Has&capture.HasUDP != 0:
		sp, dp = uint16(p.UDP.SrcPort), uint16(p.UDP.DstPort)
	default:
		return
	}
	if e.isSelf(src) || e.isSelf(dst) {
		// The box's own SNMP polls: the poller already reports which
		// agents accept a default community, once per device.
		return
	}
	if !tcp && (dp == 161 || sp == 161) || sp == krbPort || dp == krbPort || tcp && (sp == 21 || dp == 21 || sp == 389 || dp == 389 || dp == pjlPort) {
		e.adPorts(p, src, dst, tcp, sp, dp) // SNMP guessing and writes, Kerberos; anonymous FTP and LDAP, PJL
	}
	if tcp && !p.TCP.SYN && (dp == 143 || dp == 110 || dp == 21) && len(p.TCP.Payload) >= 6 {
		e.mailLogin(p, dp) // brutespread.go (three lines kept: PGO matches the calls below by their line, cmd/tend/replay.pgo)
	}
	if sp == sipPort || dp == sipPort {
		e.sipAnswer(p, src, dst) // sipguess.go, siptool.go
	}
	if tcp && dp == rtspPort && !p.TCP.SYN {
		e.noteRTSPSetup(p, src, e.nanosOf(p.Time)) // rtpfanin.go
	}
	if tcp && p.TCP.SYN {
		// Data on a SYN is a probe's padding (nmap --data-length, hping3
		// -d) or TCP Fast Open, never a session of the service: the
		// destination has not even accepted the connection.
		return
	}
	if tcp {
		e.slowHTTPSegment(p, src, dst) // slowhttp.go
		if telnetPort(sp) || telnetPort(dp) {
			e.telnetBot(p, src, dst, sp, dp) // telnetbot.go
		}
		if dp == redisPort {
			e.redisSegment(p, src, dst) // redis.go
		}
		if len(p.TCP.Payload) >= 20 && p.TCP.Payload[0] == '{' {
			e.minerLogin(p, src, dst) // cryptominer.go
		}
	}
	if tcp && (len(e.rfb) > 0 && e.rfbAgreed(p, src, dst) || plainTCP(sp, dp, p.TCP.Payload)) {
		return // insecure2.go: a VNC session's security type, reported if cleartext; or nothing DetectInsecure reads
	}
	in, ok := DetectInsecure(tcp, sp, dp, p.Payload(), e.cfg.Communities)
	if ok && in.Proto == "vnc" {
		e.rfbBanner(p) // insecure2.go: raised once the security type is agreed
		return
	}
	if !ok || (in.Proto == "snmp" && in.ToServer) {
		// A request with a default community proves only that its sender
		// tries it (a poller, a printer discovery sweep); the agent's
		// answer (or trap) proves the device accepts it, and names it.
		return
	}
	if in.Proto == "http-basic" {
		e.noteHTTPCredentials(p) // httpauth.go: its 401 is a failed login
	} else if in.Proto == "ldap" && tcp {
		e.ldapBindUser(p) // brutespread.go: its resultCode 49 is a failed login of that DN
	}
	srvMAC, srvIP, cliMAC, cliIP, srvPort := dst, p.DstIP(), src, p.SrcIP(), dp
	if !in.ToServer {
		srvMAC, srvIP, cliMAC, cliIP, srvPort = src, p.SrcIP(), dst, p.DstIP(), sp
	}
	e.reportInsecure(p, in, srvMAC, srvIP, cliMAC, cliIP, srvPort)
}

// reportInsecure raises insecure_protocol once per server, client and
// protocol, except TFTP, gathered per server and operation (tftpheld.go),
// and SNMP traps and polls, per manager (snmptraps.go, snmppolls.go):
// TFTP has no login (RFC 1350), so a client's transfer says nothing its
// other clients' do not, and a provisioning server hands every IP phone its
// configuration after a power cut (fifty Medium events for one finding);
// a login protocol's event names each client whose password crossed the
// wire.
func (e *Engine) reportInsecure(p *capture.Packet, in Insecure, srvMAC mac, srvIP netip.Addr, cliMAC mac, cliIP netip.Addr, srvPort uint16) {
	if in.Proto == "tftp" {
		e.tftpRequest(p, e.insecureEvent(p, in, inventory.SeverityMedium, srvMAC, srvIP, cliMAC, cliIP, srvPort), srvMAC, srvIP, cliIP)
		return
	}
	srvKey := srvIP
	if !srvIP.IsValid() {
		var b [16]byte // NetBEUI: no address, the MAC stands in
		copy(b[:], srvMAC[:])
		srvKey = netip.AddrFrom16(b)
	}
	keyIP := cliIP
	if in.anon {
		// One event per server: anonymous FTP is the server's public
		// service, each client's login the same finding; the session's
		// PASS (an e-mail address by custom) is no secret either.
		e.insecure[newInsecureKey(srvKey, cliIP, in.Proto)] = true
		keyIP = netip.Addr{}
	}
	k := newInsecureKey(srvKey, keyIP, in.Proto)
	hit := e.insecureSlot(k)
	if k == *hit || e.insecure[k] {
		*hit = k
		return
	}
	if len(e.insecure) >= e.cfg.MaxTrackers {
		clear(e.insecure) // forget; the cooldown still holds repeats back
		clear(e.insecureHits[:])
	}
	e.insecure[k] = true
	*hit = k
	if isTrap(in, srvPort) { // gathered per manager (snmptraps.go)
		e.snmpTrap(p, in, e.insecureEvent(p, in, inventory.SeverityMedium, srvMAC, srvIP, cliMAC, cliIP, srvPort), cliMAC, srvIP, cliIP)
		return
	}
	if in.Proto == "snmp" && srvPort == 161 && local(srvIP) && (!e.isGatewayMAC(srvMAC) || srvIP == e.gateway) && e.snmpPoll(p, in, e.insecureEvent(p, in, inventory.SeverityMedium, srvMAC, srvIP, cliMAC, cliIP, srvPort), srvMAC, cliMAC, srvIP, cliIP) {
		return // gathered per manager (snmppolls.go)
	}
	qk := newQuietKey(inventory.EventInsecureProtocol, srvMAC, cliMAC, cliIP)
	if in.anon {
		qk = newQuietKey(inventory.EventInsecureProtocol, srvMAC, mac{}, netip.Addr{})
	}
	if e.quieted(qk, p.Time) {
		return // before the formatting: on a busy LAN most pairs repeat one another's MACs
	}
	sev := inventory.SeverityMedium
	switch in.Proto {
	case "netbios-browse":
		sev = inventory.SeverityLow
	case "telnet", "ftp", "http-basic", "pop3", "imap", "smbv1", "smtp", "vnc", "ldap", "rlogin", "rsh", "rexec":
		sev = inventory.SeverityHigh
	}
	if in.anon {
		sev = inventory.SeverityLow
	}
	e.reportKey(qk, e.insecureEvent(p, in, sev, srvMAC, srvIP, cliMAC, cliIP, srvPort))
}

// adPorts hands a datagram to or from SNMP's port 161 to the community
// guessing and write detectors and an agent's to the SNMPv3 login failures,
// a datagram or segment of Kerberos's port 88 to its reader, and a segment
// of FTP's control port, LDAP's or a printer's raw port to appPorts.
func (e *Engine) adPorts(p *capture.Packet, src, dst mac, tcp bool, sp, dp uint16) {
	switch {
	case tcp && sp != krbPort && dp != krbPort:
		e.appPorts(p, src, dst, sp, dp) // anonread.go
	case sp == krbPort || dp == krbPort:
		e.kerberos(p, src, dst, tcp, sp, dp) // kerberos.go
	case dp == 161 && sp != 161:
		e.snmpRequest(p, src, dst)
		e.snmpSetRequest(p) // snmpset.go
	case sp == 161 && dp != 161:
		e.snmpV3Answer(p, src, dst) // snmpv3.go
		if e.nSnmpSets > 0 {
			e.snmpSetAnswer(p, src, dst)
		}
		if len(e.snmpGuess) > 0 {
			e.snmpResponse(p)
		}
	}
}

// insecureEvent is the insecure_protocol event of p, in, at sev.
func (e *Engine) insecureEvent(p *capture.Packet, in Insecure, sev inventory.Severity, srvMAC mac, srvIP netip.Addr, cliMAC mac, cliIP netip.Addr, srvPort uint16) inventory.Event {
	src, dst := capture.MAC6(p.Eth.SrcMAC), capture.MAC6(p.Eth.DstMAC)
	return inventory.Event{
		Time: p.Time, Type: inventory.EventInsecureProtocol, Severity: sev,
		MAC: macOf(srvMAC), IP: srvIP, TargetMAC: macOf(cliMAC), TargetIP: cliIP,
		Summary: fmt.Sprintf("%s between %s (%s) and %s", in.Proto, describe(srvMAC, srvIP), serverRole(p, in, srvPort), describe(cliMAC, cliIP)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: in.Evidence()},
			{Source: "traffic", Detail: fmt.Sprintf("%s → %s at %s", describe(src, p.SrcIP()), describe(dst, p.DstIP()), p.Time.UTC().Format("2006-01-02T15:04:05.000Z"))},
		},
	}
}

// serverRole says what the named side of an insecure exchange is: the
// server and its port, or for SNMP the agent, which answers on 161 or sends
// its traps and informs from any port to the manager's 162 (RFC 3416 2.1,
// RFC 3417 3): "server, port 36100" named a trap's source port.
func serverRole(p *capture.Packet, in Insecure, srvPort uint16) string {
	if in.Proto != "snmp" {
		return fmt.Sprintf("server, port %d", srvPort)
	}
	if srvPort != 161 && p.Has&capture.HasUDP != 0 {
		return fmt.Sprintf("agent, traps to port %d", uint16(p.UDP.DstPort))
	}
	return fmt.Sprintf("agent, port %d", srvPort)
}

// anonymousFTP reports whether payload is an FTP USER command naming the
// anonymous account, "anonymous" or "ftp" (RFC 1635 2): a public archive's
// login, whose password is an e-mail address by custom.
func anonymousFTP(payload []byte) bool {
	if !hasPrefixFold(payload, "USER ") {
		return false
	}
	name := bytes.TrimRight(payload[5:], " \r\n")
	return bytes.EqualFold(name, []byte("anonymous")) || bytes.EqualFold(name, []byte("ftp"))
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}

func containsFold(b []byte, s string) bool { return indexFold(b, s) >= 0 }

// indexFold finds ASCII s (lower case) in b ignoring case, within the
// first 4 kB (headers).
func indexFold(b []byte, s string) int {
	if len(b) > 4096 {
		b = b[:4096]
	}
	for i := 0; i+len(s) <= len(b); i++ {
		j := 0
		for ; j < len(s); j++ {
			c := b[i+j]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != s[j] {
				break
			}
		}
		if j == len(s) {
			return i
		}
	}
	return -1
}

func printable(b []byte, limit int) string {
	if len(b) > limit {
		b = b[:limit]
	}
	return string(bytes.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '.'
		}
		return r
	}, b))
}

// netbeui reports SMB1 carried in NetBEUI frames (802.2 LLC SAP 0xF0, no
// IP at all): only SMB1 ever ran over NetBEUI.
func (e *Engine) netbeui(p *capture.Packet, src, dst mac) {
	if e.isSelf(src) || !unicast(src) {
		return
	}
	in, ok := smb1Datagram(p.Eth.Payload, "NetBEUI (802.2 LLC SAP 0xF0)")
	if !ok {
		return
	}
	e.reportInsecure(p, in, src, netip.Addr{}, dst, netip.Addr{}, 0)
}
