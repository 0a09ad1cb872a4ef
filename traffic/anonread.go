package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Anonymous reads and writes of a server's data (review 42 P5, P6):
// an LDAP directory answering an anonymous bind (RFC 4513 5.1.1: an
// empty name and password) with a subtree of entries, or entries carrying
// password attributes (an OpenLDAP, NAS or appliance directory left with
// "access to * by * read"); and an FTP server taking files in an
// anonymous session (RFC 1635: USER anonymous, then STOR answered 150 or
// 226): anyone's drop for malware. The server is what the MSP fixes, so
// both are insecure_protocol naming it, the client as the target.

// anonConns is how many anonymous sessions of each protocol are watched
// at once; a new one replaces the quietest (TrackersDropped).
const anonConns = 8

// ldapAnonEntries is how many entries one anonymous connection reads
// before it is a dump: an address-book lookup (a phone, a printer's
// scan-to-mail) reads a few.
const ldapAnonEntries = 25

type anonState struct {
	ldap [anonConns]anonConn
	ftp  [anonConns]anonConn
}

// anonConn is one anonymous session: server, client and client port; for
// LDAP the entries read so far, for FTP the upload command awaiting its
// answer. what holds the search base or the file's name.
type anonConn struct {
	server, client netip.Addr
	cport          uint16
	n              uint16 // LDAP entries read
	skip           int    // LDAP: bytes of a message cut at the last segment's end, still to come
	pw             bool   // an entry carried userPassword or unicodePwd
	done           bool   // raised
	auth           bool   // LDAP: bound with a name or SASL: no anonymous session
	cmd            string // FTP: STOR, APPE, STOU or MKD awaiting its answer
	what           string
	last           time.Time
}

// find is the session of server, client and cport in t, or nil.
func findAnon(t *[anonConns]anonConn, server, client netip.Addr, cport uint16) *anonConn {
	for i := range t {
		if c := &t[i]; c.cport == cport && c.server == server && c.client == client {
			return c
		}
	}
	return nil
}

// addAnon starts a session in t, in a free slot or the quietest one.
func (e *Engine) addAnon(t *[anonConns]anonConn, p *capture.Packet, cport uint16) *anonConn {
	c := findAnon(t, p.DstIP(), p.SrcIP(), cport)
	if c == nil {
		c = &t[0]
		for i := range t {
			if t[i].last.Before(c.last) {
				c = &t[i]
			}
		}
		if !c.last.IsZero() && since(p.Time, c.last) < time.Minute {
			e.counters.TrackersDropped++
		}
	}
	*c = anonConn{server: p.DstIP(), client: p.SrcIP(), cport: cport, last: p.Time}
	return c
}

// appPorts hands a TCP segment of FTP's control port, LDAP's or a
// printer's raw port to its reader: the anonymous sessions here, PJL
// (pjl.go).
//
//go:noinline
func (e *Engine) appPorts(p *capture.Packet, src, dst mac, sp, dp uint16) {
	b := p.TCP.Payload
	switch {
	case len(b) < 4 || p.TCP.SYN:
	case dp == pjlPort:
		e.pjlSegment(p, b)
	case dp == 389 && b[0] == 0x30:
		e.ldapClient(p, b)
	case sp == 389 && e.anon != nil:
		e.ldapServer(p, b, src, dst)
	case dp == 21:
		e.ftpClient(p, b)
	case sp == 21 && e.anon != nil:
		e.ftpServer(p, b, src, dst)
	}
}

// ldapClient notes an anonymous simple bind (RFC 4511 4.2: name "" and
// simple [0] "") and a search's base on a connection so bound, or never
// bound (RFC 4513 5.1.1: a session is anonymous until a bind; nmap's
// ldap-search searches unbound): a search among a connection's first
// three messages, none a bind seen. Any other bind marks the connection
// authenticated.
func (e *Engine) ldapClient(p *capture.Packet, b []byte) {
	t, msg, _, ok := derElem(b)
	if !ok || t != 0x30 {
		return
	}
	t, id, msg, ok := derElem(msg) // messageID
	if !ok || t != 0x02 || len(id) == 0 {
		return
	}
	t, op, _, ok := derElem(msg)
	if !ok || t != 0x60 && t != 0x63 {
		return
	}
	if e.anon == nil {
		e.anon = &anonState{}
	}
	cport := uint16(p.TCP.SrcPort)
	c := findAnon(&e.anon.ldap, p.DstIP(), p.SrcIP(), cport)
	if t == 0x60 { // BindRequest: version, name, authentication
		c = e.addAnon(&e.anon.ldap, p, cport)
		_, _, rest, ok := derElem(op)
		c.auth = !ok || len(rest) < 4 || string(rest[:4]) != "\x04\x00\x80\x00"
		return
	}
	if c == nil && len(id) == 1 && id[0] <= 3 {
		c = e.addAnon(&e.anon.ldap, p, cport)
	}
	if tb, base, _, ok := derElem(op); ok && tb == 0x04 && len(base) > 0 && c != nil && c.what == "" {
		c.what = printable(base, 64) // SearchRequest: baseObject first
	}
}

// ldapServer counts the SearchResultEntry messages (0x64, a non-empty
// objectName: the rootDSE's is empty) a server sends an anonymous
// connection, at most 64 a segment, and raises the dump at the search's
// SearchResultDone (0x65).
func (e *Engine) ldapServer(p *capture.Packet, b []byte, src, dst mac) {
	c := findAnon(&e.anon.ldap, p.SrcIP(), p.DstIP(), uint16(p.TCP.DstPort))
	if c == nil || c.done || c.auth {
		return
	}
	k := min(c.skip, len(b))
	b, c.skip, c.last = b[k:], c.skip-k, p.Time
	for i := 0; i < 64 && len(b) > 0; i++ {
		t, msg, rest, ok := derElem(b)
		if !ok || t != 0x30 {
			break
		}
		if len(rest) == 0 {
			c.skip = berLen(b) - len(b) // the message goes on in the next segment
		}
		b = rest
		if t, _, msg, ok = derElem(msg); !ok || t != 0x02 {
			break
		}
		t, entry, _, ok := derElem(msg)
		if ok && t == 0x65 && (c.n >= ldapAnonEntries || c.pw) {
			e.reportAnon(p, c, src, dst, "ldap", 389) // SearchResultDone: the whole count
			return
		}
		if !ok || t != 0x64 {
			continue
		}
		if t, name, _, ok := derElem(entry); !ok || t != 0x04 || len(name) == 0 {
			continue
		}
		c.n++
		c.pw = c.pw || containsFold(entry, "userpassword") || containsFold(entry, "unicodepwd")
	}
}

// berLen is the whole length (header and contents) the BER element b
// starts declares, which derElem read: up to four length bytes.
func berLen(b []byte) int {
	n, off := int(b[1]), 2
	if n&0x80 != 0 {
		off += n & 0x7f
		n = 0
		for _, x := range b[2:off] {
			n = n<<8 | int(x)
		}
	}
	return off + n
}

// ftpClient notes an anonymous login (USER anonymous or ftp) and, in such
// a session, a command storing a file or making a directory (RFC 959
// 4.1.3: STOR, APPE, STOU; MKD, and XMKD of RFC 775).
func (e *Engine) ftpClient(p *capture.Packet, b []byte) {
	cport := uint16(p.TCP.SrcPort)
	if anonymousFTP(b) {
		if e.anon == nil {
			e.anon = &anonState{}
		}
		e.addAnon(&e.anon.ftp, p, cport)
		return
	}
	if e.anon == nil {
		return
	}
	c := findAnon(&e.anon.ftp, p.DstIP(), p.SrcIP(), cport)
	if c == nil {
		return
	}
	for _, cmd := range [...]string{"STOR", "APPE", "STOU", "MKD", "XMKD"} {
		if n := len(cmd); hasPrefixFold(b, cmd) && (b[n] == ' ' || b[n] == '\r') {
			arg := b[n:]
			if i := indexCRLF(arg); i >= 0 {
				arg = arg[:i]
			}
			if len(arg) > 0 {
				arg = arg[1:]
			}
			c.cmd, c.what, c.last = cmd, printable(arg, 64), p.Time
			return
		}
	}
}

// indexCRLF is the index of b's first CR or LF, or -1.
func indexCRLF(b []byte) int {
	for i, x := range b {
		if x == '\r' || x == '\n' {
			return i
		}
	}
	return -1
}

// ftpServer raises an anonymous session's upload once the server accepts
// it: 125 or 150 (the transfer starts), 226 or 250 (done), 257 (the
// directory made); a refusal (4xx, 5xx) forgets the command.
func (e *Engine) ftpServer(p *capture.Packet, b []byte, src, dst mac) {
	c := findAnon(&e.anon.ftp, p.SrcIP(), p.DstIP(), uint16(p.TCP.DstPort))
	if c == nil || c.cmd == "" || c.done {
		return
	}
	switch string(b[:3]) {
	case "125", "150", "226", "250", "257":
		c.what = fmt.Sprintf("%s %q answered %s", c.cmd, c.what, b[:3])
		e.reportAnon(p, c, src, dst, "ftp", 21)
	}
	if b[0] != '1' {
		c.cmd = ""
	}
}

// reportAnon raises c's anonymous read or upload, once per server and
// client: High for an LDAP dump showing password attributes, Medium else.
func (e *Engine) reportAnon(p *capture.Packet, c *anonConn, srv, cli mac, proto string, port uint16) {
	c.done = true
	qk := quietKey{inventory.EventInsecureProtocol, srv, cli, "anonymous " + proto}
	if e.quieted(qk, p.Time) {
		return
	}
	in := Insecure{Proto: proto, Detail: fmt.Sprintf("anonymous FTP session stored a file: %s: the server takes uploads from anyone, a drop for malware", c.what)}
	sev := inventory.SeverityMedium
	if proto == "ldap" {
		pw := ""
		if c.pw {
			pw, sev = " with password attributes (userPassword, unicodePwd)", inventory.SeverityHigh
		}
		in.Detail = fmt.Sprintf("anonymous LDAP session (an empty bind, or none) answered with %d directory entries%s under %q: the server lets anyone read its directory", c.n, pw, c.what)
	}
	e.reportKey(qk, e.insecureEvent(p, in, sev, srv, p.SrcIP(), cli, p.DstIP(), port))
}
