package traffic

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// SMB null-session enumeration (enum4linux's first step, rpcclient -U ”
// -N, nmap's smb-enum-users, RID cycling by lookupsids) logs on to a
// server's IPC$ share anonymously and asks its SAM (samr) for the lists of
// users, groups and aliases, or its LSA (lsarpc) to turn SIDs into names,
// RID after RID (review 36a P10: smb_enum_rpc raised nothing). Its shape,
// on SMB2 and SMB1 alike: a SESSION_SETUP whose NTLMSSP AUTHENTICATE
// message is anonymous (the anonymous flag, or no user name and no NT
// response; an SMB1 setup without extended security and without
// passwords), then, on that connection, a DCE/RPC bind to samr or lsarpc
// on a named pipe and requests to it (SMB2 IOCTL or WRITE, SMB1
// WRITE_ANDX): SAM enumeration calls, or LSA name
// lookups. A domain member logs on with its machine account or a user
// (Kerberos, or NTLM with a user name), a NAS browser with a user, a
// printer's scan-to-SMB with its account: none is anonymous. An anonymous
// session asking srvsvc for the share list (smbclient -N -L, a file
// manager's browsing) or samr to change a password (an expired one) is not
// counted. Only segments to port 445 or 139 whose first message is a
// SESSION_SETUP are read until a connection logs on anonymously; its
// pipes' bindings are kept (smbPipes) until it ends, its calls counted per
// client and server (one enumeration spans several connections).
const (
	smbEnumConns  = 64 // anonymous connections followed at most
	smbEnumPairs  = 32 // client-server pairs counted at most
	smbPipes      = 4  // named pipes' bindings kept per connection
	smbEnumLookup = 3  // LSA name lookups that are RID cycling
	smbEnumIdle   = 10 * time.Minute
	smbEnumGather = 30 * time.Second // reported this long after its last call
	smbEnumHold   = 5 * time.Minute  // or this long after its first logon
)

// DCE/RPC interfaces bound on a pipe (MS-SAMR, MS-LSAT): their UUIDs as
// they travel (the first three fields little-endian).
const (
	ifOther uint8 = iota
	ifSAMR
	ifLSA
	ifSvcctl // smbexec.go
	ifTsch
	ifAtsvc
)

var (
	uuidSAMR = []byte{0x78, 0x57, 0x34, 0x12, 0x34, 0x12, 0xcd, 0xab, 0xef, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89, 0xac}
	uuidLSA  = []byte{0x78, 0x57, 0x34, 0x12, 0x34, 0x12, 0xcd, 0xab, 0xef, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab}
)

type smbConnKey struct {
	cli, srv netip.Addr
	port     uint16 // the client's
}

type smbPipe struct {
	fid   uint64 // SMB2 FileId's volatile half, SMB1 FID
	iface uint8
}

type smbConn struct {
	_     [0]func() // not comparable: no equality function linked
	pipes [smbPipes]smbPipe
	n     int
	last  time.Time
}

type smbPairKey struct{ cli, srv netip.Addr }

type smbPair struct {
	_              [0]func() // not comparable: no equality function linked
	cliMAC, srvMAC mac
	first, last    time.Time
	conns          int // anonymous logons
	enums, lookups int // SAM enumeration calls, LSA name lookups
	reported       bool
	port           uint16 // the server's
}

type smbEnumState struct {
	conns map[smbConnKey]*smbConn
	pairs map[smbPairKey]*smbPair
}

// smbSegment reads a TCP segment to an SMB server's port (445, or 139's
// NetBIOS session service) that carries 36 bytes or more: the one reader of
// SMB requests (up to 4 messages a segment, each behind its 4 bytes of
// session header; up to 4 SMB2 commands a compound). Every SMB2 request
// goes to smb2Request (ransomware.go, smbshare.go); a connection that
// logged on anonymously or binds a remote-execution interface (c), or a
// segment opening one, to smbCommand for its RPC calls.
func (e *Engine) smbSegment(p *capture.Packet, src, dst mac) {
	b := p.TCP.Payload
	var c *smbConn
	k := smbConnKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort)}
	if e.smb != nil && len(e.smb.conns) > 0 {
		c = e.smb.conns[k]
	}
	follow := c != nil || smbSetup(b) || smbExecBind(b)
	for i := 0; i < 4 && len(b) >= 4+32 && b[0] == 0; i++ {
		n := int(b[1])<<16 | int(b[2])<<8 | int(b[3])
		m := b[4:min(len(b), 4+n)]
		if len(m) >= 64 && string(m[:4]) == "\xfeSMB" {
			for range 4 {
				next := int(binary.LittleEndian.Uint32(m[20:]))
				one := m
				if next >= 64 && next < len(m) {
					one = m[:next]
				}
				if one[16]&1 == 0 { // a request
					if follow {
						c = e.smb2Command(p, one, k, c, src, dst)
						follow = c != nil
					}
					e.smb2Request(p, one, k, src, dst) // ransomware.go
				}
				if next < 64 || next+64 > len(m) {
					break
				}
				m = m[next:]
			}
		} else if follow {
			c = e.smb1Command(p, m, k, c, src, dst)
			follow = c != nil
		}
		if 4+n > len(b) {
			return
		}
		b = b[4+n:]
	}
}

// smbSetup reports whether the segment b starts with an SMB2 or SMB1
// SESSION_SETUP request.
func smbSetup(b []byte) bool {
	if len(b) < 4+32 || b[0] != 0 {
		return false
	}
	switch string(b[4:8]) {
	case "\xfeSMB":
		return len(b) >= 4+64 && b[4+12] == 1 && b[4+13] == 0
	case "\xffSMB":
		return b[8] == 0x73
	}
	return false
}

// smb1Command reads one SMB1 message m of the connection k (c when it
// logged on anonymously) and returns the connection's state.
func (e *Engine) smb1Command(p *capture.Packet, m []byte, k smbConnKey, c *smbConn, src, dst mac) *smbConn {
	if len(m) < 33 || string(m[:4]) != "\xffSMB" {
		return c
	}
	w := int(m[32])
	if 33+2*w > len(m) {
		return c
	}
	switch {
	case m[4] == 0x73 && c == nil:
		if smb1Anonymous(m, w) {
			return e.smbAnonymous(p, k, src, dst)
		}
	case c != nil && m[4] == 0x2f && w >= 12: // WRITE_ANDX
		fid := uint64(binary.LittleEndian.Uint16(m[33+4:]))
		off, cnt := int(binary.LittleEndian.Uint16(m[33+22:])), int(binary.LittleEndian.Uint16(m[33+20:]))
		e.smbRPC(p, k, c, fid, m, off, cnt)
	}
	return c
}

// smb1Anonymous reports whether an SMB1 SESSION_SETUP_ANDX request of w
// words logs on anonymously: its NTLMSSP AUTHENTICATE is (extended
// security, 12 words), or it carries no passwords (13 words).
func smb1Anonymous(m []byte, w int) bool {
	switch w {
	case 12:
		n := int(binary.LittleEndian.Uint16(m[33+14:]))
		blob := m[min(len(m), 33+24+2):]
		anon, ok := ntlmAnonymous(blob[:min(len(blob), n)])
		return ok && anon
	case 13:
		return binary.LittleEndian.Uint16(m[33+14:]) <= 1 && binary.LittleEndian.Uint16(m[33+16:]) == 0
	}
	return false
}

// smb2Command reads one SMB2 request m (64 bytes or more) of the
// connection k (c when it is followed) and returns the connection's state.
func (e *Engine) smb2Command(p *capture.Packet, m []byte, k smbConnKey, c *smbConn, src, dst mac) *smbConn {
	if len(m) < 64+4 {
		return c
	}
	cmd := binary.LittleEndian.Uint16(m[12:])
	switch {
	case cmd == 1 && c == nil && len(m) >= 64+16: // SESSION_SETUP
		off, n := int(binary.LittleEndian.Uint16(m[64+12:])), int(binary.LittleEndian.Uint16(m[64+14:]))
		if off < len(m) {
			e.noteSMBUser(k, m[off:min(len(m), off+n)]) // brutespread.go
			if anon, ok := ntlmAnonymous(m[off:min(len(m), off+n)]); ok && anon {
				e.smbGuest(p, k) // smbshare.go
				return e.smbAnonymous(p, k, src, dst)
			}
		}
	case c == nil && (cmd == 9 || cmd == 11) && smb2ExecBind(m):
		if c = e.smbExecConn(p, k); c != nil {
			return e.smb2Command(p, m, k, c, src, dst)
		}
	case c != nil && cmd == 11 && len(m) >= 64+32 && binary.LittleEndian.Uint32(m[64+4:]) == 0x0011c017: // IOCTL FSCTL_PIPE_TRANSCEIVE
		fid := binary.LittleEndian.Uint64(m[64+16:])
		e.smbRPC(p, k, c, fid, m, int(binary.LittleEndian.Uint32(m[64+24:])), int(binary.LittleEndian.Uint32(m[64+28:])))
	case c != nil && cmd == 9 && len(m) >= 64+32: // WRITE
		fid := binary.LittleEndian.Uint64(m[64+24:])
		e.smbRPC(p, k, c, fid, m, int(binary.LittleEndian.Uint16(m[64+2:])), int(binary.LittleEndian.Uint32(m[64+4:])))
	}
	return c
}

// ntlmAnonymous finds an NTLMSSP message in a security blob (inside
// SPNEGO, or raw) and, when it is an AUTHENTICATE message (MS-NLMP
// 2.2.1.3), reports whether it is anonymous: the NTLMSSP_NEGOTIATE_ANONYMOUS
// flag (0x0800), or no NT response and no LM response (at most its one
// zero byte): no proof of any password, not even an empty one (NTLMv2
// answers an empty password with a full response), whatever user name it
// gives (smbclient -N sends the local user's). ok is
// false when the blob holds no whole AUTHENTICATE header.
func ntlmAnonymous(blob []byte) (anon, ok bool) {
	a := ntlmMessage(blob, 3, 64)
	if a == nil {
		return false, false
	}
	lm, nt := binary.LittleEndian.Uint16(a[12:]), binary.LittleEndian.Uint16(a[20:])
	flags := binary.LittleEndian.Uint32(a[60:])
	return flags&0x0800 != 0 || nt == 0 && lm <= 1, true
}

// ntlmMessage is the NTLMSSP message of type typ (MS-NLMP 2.2.1: 2
// CHALLENGE, 3 AUTHENTICATE) in b (inside SPNEGO, or raw), from its
// signature on, when it has at least least bytes; or nil. The one NTLMSSP
// reader: anonymous logons (here), user names (brutespread.go), fixed
// challenges (adattack.go).
func ntlmMessage(b []byte, typ uint32, least int) []byte {
	i := bytes.Index(b, []byte("NTLMSSP\x00"))
	if i < 0 || len(b)-i < max(least, 12) || binary.LittleEndian.Uint32(b[i+8:]) != typ {
		return nil
	}
	return b[i:]
}

// smbAnonymous starts following the connection k, which logged on
// anonymously, and counts it for its client and server.
func (e *Engine) smbAnonymous(p *capture.Packet, k smbConnKey, src, dst mac) *smbConn {
	if e.smb == nil {
		e.smb = &smbEnumState{conns: map[smbConnKey]*smbConn{}, pairs: map[smbPairKey]*smbPair{}}
	}
	s, t := e.smb, p.Time
	pk := smbPairKey{k.cli, k.srv}
	pr := s.pairs[pk]
	// Full tables drop the newcomer: connections leave when they end,
	// pairs when idle (flushSMBEnum).
	if len(s.conns) >= smbEnumConns || pr == nil && len(s.pairs) >= smbEnumPairs {
		e.counters.TrackersDropped++
		return nil
	}
	if pr == nil {
		pr = &smbPair{cliMAC: src, srvMAC: dst, first: t, port: uint16(p.TCP.DstPort)}
		s.pairs[pk] = pr
	}
	pr.conns++
	pr.last = t
	c := &smbConn{last: t}
	s.conns[k] = c
	return c
}

// smbRPC reads the DCE/RPC PDU written to the pipe fid of the anonymous
// connection c: the cnt bytes at off in the SMB message m.
func (e *Engine) smbRPC(p *capture.Packet, k smbConnKey, c *smbConn, fid uint64, m []byte, off, cnt int) {
	if off <= 0 || off >= len(m) || cnt < 24 {
		return
	}
	d := m[off:min(len(m), off+cnt)]
	if len(d) < 24 || d[0] != 5 || d[1] != 0 {
		return
	}
	c.last = p.Time
	switch d[2] {
	case 11, 14: // BIND, ALTER_CONTEXT: the first context's interface
		if len(d) < 48 || d[24] == 0 {
			return
		}
		iface := execIface(d[32:48]) // smbexec.go
		switch {
		case bytes.Equal(d[32:48], uuidSAMR):
			iface = ifSAMR
		case bytes.Equal(d[32:48], uuidLSA):
			iface = ifLSA
		}
		for i := range c.n {
			if c.pipes[i].fid == fid {
				c.pipes[i].iface = iface
				return
			}
		}
		if c.n < smbPipes {
			c.pipes[c.n] = smbPipe{fid, iface}
			c.n++
		}
	case 0: // REQUEST
		for i := range c.n {
			if c.pipes[i].fid == fid && c.pipes[i].iface >= ifSvcctl {
				e.smbExecCall(p, k, c.pipes[i].iface, binary.LittleEndian.Uint16(d[22:]), "") // smbexec.go
				return
			} else if c.pipes[i].fid == fid {
				e.smbCall(p, k, c.pipes[i].iface, binary.LittleEndian.Uint16(d[22:]))
				return
			}
		}
	}
}

// smbCall counts a call of opnum to iface on an anonymous connection and
// raises the enumeration once it is one.
func (e *Engine) smbCall(p *capture.Packet, k smbConnKey, iface uint8, opnum uint16) {
	pr := e.smb.pairs[smbPairKey{k.cli, k.srv}]
	if pr == nil {
		return
	}
	pr.last = p.Time
	switch {
	case iface == ifSAMR && samrEnumeration(opnum):
		pr.enums++
	case iface == ifLSA && lsaLookup(opnum):
		pr.lookups++
	default:
		return
	}
}

// flushSMBEnum reports the enumerations quiet for smbEnumGather or going on
// for smbEnumHold (all of them when all is set: the end of a replay), in
// the order they began, and forgets the pairs and connections idle for
// smbEnumIdle (connections: when they end, or when the table is full).
// It runs every tick.
func (e *Engine) flushSMBEnum(now time.Time, all bool) {
	if e.smb == nil {
		return
	}
	var due []smbPairKey
	for k, pr := range e.smb.pairs {
		quiet := now.Sub(pr.last)
		if !pr.reported && (pr.enums >= 1 || pr.lookups >= smbEnumLookup) && (all || quiet >= smbEnumGather || now.Sub(pr.first) >= smbEnumHold) {
			due = append(due, k)
		} else if quiet > smbEnumIdle {
			delete(e.smb.pairs, k)
		}
	}
	for i := 1; i < len(due); i++ { // a few: no sort package instantiated for them
		for j := i; j > 0 && e.smb.pairs[due[j]].first.Before(e.smb.pairs[due[j-1]].first); j-- {
			due[j], due[j-1] = due[j-1], due[j]
		}
	}
	for _, k := range due {
		pr := e.smb.pairs[k]
		pr.reported = true
		e.reportSMBEnum(k, pr)
	}
}

// samrEnumeration reports whether a SAMR opnum lists or resolves accounts
// (MS-SAMR 3.1.5): EnumerateDomainsInSamServer (6),
// EnumerateGroupsInDomain (11), EnumerateUsersInDomain (13),
// EnumerateAliasesInDomain (15), LookupIdsInDomain (18),
// QueryDisplayInformation (40, 48, 51).
func samrEnumeration(op uint16) bool {
	switch op {
	case 6, 11, 13, 15, 18, 40, 48, 51:
		return true
	}
	return false
}

// lsaLookup reports whether an LSA opnum turns SIDs into names or names
// into SIDs (MS-LSAT 3.1.4): LsarLookupNames (14), LsarLookupSids (15),
// LsarLookupSids2 (57), LsarLookupNames2 (58), LsarLookupNames3 (68),
// LsarLookupSids3 (76), LsarLookupNames4 (77).
func lsaLookup(op uint16) bool {
	switch op {
	case 14, 15, 57, 58, 68, 76, 77:
		return true
	}
	return false
}

// reportSMBEnum raises the enumeration of k's server by its client: a
// port_scan (reconnaissance), Medium.
func (e *Engine) reportSMBEnum(k smbPairKey, pr *smbPair) {
	what := "its users, groups and aliases from the SAM (samr)"
	if pr.enums == 0 {
		what = "names for SIDs one RID after another from the LSA (lsarpc): RID cycling"
	}
	ev := inventory.Event{
		Time: pr.last, Type: inventory.EventPortScan, Severity: inventory.SeverityMedium,
		IP: k.cli, TargetMAC: macOf(pr.srvMAC), TargetIP: k.srv,
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d anonymous SMB logons (no password proved) to %s port %d in %s; then %d SAM enumeration calls (samr: users, groups, aliases, domains) and %d LSA name lookups (lsarpc) on the IPC$ share",
				pr.conns, k.srv, pr.port, roundDur(pr.last.Sub(pr.first)), pr.enums, pr.lookups)},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: one SAM enumeration call or %d LSA lookups in anonymous sessions; domain members, users and scanners log on with an account", smbEnumLookup)},
		},
	}
	culprit, who := e.webCulprit(&ev, pr.cliMAC, k.cli)
	ev.Summary = "SMB null-session enumeration: " + who + " logged on to " + k.srv.String() + " anonymously and asked for " + what + " (enum4linux, rpcclient, nmap smb-enum-users)"
	e.report(ev, culprit, pr.srvMAC)
}

// smbEnd forgets a connection that ends.
func (e *Engine) smbEnd(p *capture.Packet) {
	delete(e.smb.conns, smbConnKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort)})
	delete(e.smb.conns, smbConnKey{p.DstIP(), p.SrcIP(), uint16(p.TCP.DstPort)})
}
