package traffic

import (
	"bytes"
	"fmt"
	"net/netip"

	"tend/capture"
	"tend/inventory"
)

// DCSync (mimikatz lsadump::dcsync, impacket secretsdump -just-dc) asks a
// domain controller for every account's password hashes the way a second
// domain controller replicates: a DCE/RPC bind (ptype 11, C706 12.6.4.3)
// over TCP to the directory replication service, DRSUAPI
// (e3514235-4b06-11d1-ab04-00c04fc2dcd2, MS-DRSR 4.1), then
// IDL_DRSGetNCChanges. The bind's interface is in clear even when the calls
// are sealed (review 37a P2: secretsdump's bind from a workstation, nothing
// raised). Only domain controllers replicate; a domain controller answers
// Kerberos (88) and LDAP (389, 636, 3268) to its clients, so a host heard
// answering on those ports (TCP SYN+ACK, UDP datagrams), or that was itself
// asked for a DRSUAPI bind, is one (adDCs of them kept, the oldest given up
// first). A bind to DRSUAPI from any other host is a DCSync attempt
// (critical). Azure AD Connect's password hash sync binds DRSUAPI from a
// member server too: its advice says so.
const adDCs = 32

var uuidDRSUAPI = []byte{0x35, 0x42, 0x51, 0xe3, 0x06, 0x4b, 0xd1, 0x11, 0xab, 0x04, 0x00, 0xc0, 0x4f, 0xc2, 0xdc, 0xd2}

// adState holds the domain controllers seen.
type adState struct {
	dcs [adDCs]netip.Addr
	n   int // addresses noted in all (the next is written at n % adDCs)
}

// noteDC notes a that answered Kerberos or LDAP, or was asked for a
// directory replication bind.
func (e *Engine) noteDC(a netip.Addr) {
	if e.isDC(a) {
		return
	}
	if e.ad.n >= adDCs {
		e.counters.TrackersDropped++ // the oldest is given up
	}
	e.ad.dcs[e.ad.n%adDCs] = a
	e.ad.n++
}

func (e *Engine) isDC(a netip.Addr) bool {
	for _, d := range e.ad.dcs[:min(e.ad.n, adDCs)] {
		if d == a {
			return true
		}
	}
	return false
}

// rpcBind reads a connection-oriented DCE/RPC BIND (a TCP payload of 72
// bytes or more starting 5, 0, 11): its presentation contexts' abstract
// syntaxes (4 of them at most), looking for DRSUAPI.
func (e *Engine) rpcBind(p *capture.Packet, src, dst mac) {
	d := p.TCP.Payload
	n, off := int(d[24]), 28
	for i := 0; i < n && i < 4 && off+24 <= len(d); i++ {
		if bytes.Equal(d[off+4:off+20], uuidDRSUAPI) {
			e.dcsync(p, src, dst)
			return
		}
		off += 24 + 20*int(d[off+2])
	}
	e.rpcExecBind(p, smbConnKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort)}, d) // rpctcp.go
}

func (e *Engine) dcsync(p *capture.Packet, src, dst mac) {
	cli, srv := p.SrcIP(), p.DstIP()
	if e.isDC(cli) {
		return
	}
	e.noteDC(srv)
	e.raiseSMB(inventory.Event{Time: p.Time, Type: inventory.EventADAttack, Severity: inventory.SeverityCritical, IP: cli, TargetIP: srv,
		Evidence: []inventory.Evidence{{Source: "traffic", Detail: "DCE/RPC bind to " + srv.String() + " for the directory replication interface DRSUAPI (e3514235-4b06-11d1-ab04-00c04fc2dcd2), a domain controller's request to copy the directory, password hashes included, from " + cli.String() + ", never heard answering Kerberos (88) or LDAP (389, 636, 3268) nor asked for replication itself: no domain controller"}}},
		src, dst, " asked the domain controller "+srv.String()+" for directory replication (DCSync: mimikatz, secretsdump) without being a domain controller")
}

// Capture tools serving SMB to collect NetNTLM hashes for cracking or
// relaying send a fixed server challenge in their NTLMSSP CHALLENGE
// message (MS-NLMP 2.2.1.2: ServerChallenge at byte 24), so that
// precomputed tables apply: impacket's smbserver.py (SimpleSMBServer's
// default, hex "AAAA...": 0xaaaaaaaaaaaaaaaa), impacket's SMBSERVER class
// ("AAAAAAAA": 0x4141414141414141), Responder's former default and
// Metasploit's capture/smb (0x1122334455667788). A real server draws a
// random one for every logon (review 37a P11: impacket smbserver collected
// alice's hash three times, nothing raised).
var fixedChallenges = [...]struct {
	_         [0]func() // not comparable: no equality function linked
	challenge string
	tool      string
}{
	{challenge: "\xaa\xaa\xaa\xaa\xaa\xaa\xaa\xaa", tool: "impacket smbserver.py"},
	{challenge: "AAAAAAAA", tool: "impacket SMBSERVER"},
	{challenge: "\x11\x22\x33\x44\x55\x66\x77\x88", tool: "Responder, Metasploit capture/smb"},
}

// smbAnswer reads a segment from an SMB server (port 445 or 139, 72 bytes
// or more): a SESSION_SETUP answer asking for more processing (SMB2, or
// SMB1's SESSION_SETUP_ANDX) carries the NTLMSSP CHALLENGE.
func (e *Engine) smbAnswer(p *capture.Packet, src, dst mac) {
	b := p.TCP.Payload
	switch {
	case b[0] != 0 || string(b[4:8]) != "\xfeSMB" && string(b[4:8]) != "\xffSMB":
		return
	case b[4] == 0xfe && b[4+12] == 1 && string(b[4+8:4+12]) == "\x00\x00\x00\x00" && b[4+16]&1 != 0:
		if b[4+64+2]&3 != 0 { // SessionFlags IS_GUEST, IS_NULL (MS-SMB2 2.2.6)
			e.smbGuest(p, smbConnKey{p.DstIP(), p.SrcIP(), uint16(p.TCP.DstPort)}) // smbshare.go
		}
		return
	case b[4] == 0xfe && (b[4+12] != 1 || string(b[4+8:4+12]) != "\x16\x00\x00\xc0"):
		return
	case b[4] == 0xff && (b[8] != 0x73 || string(b[9:13]) != "\x16\x00\x00\xc0"):
		return
	}
	a := ntlmMessage(b, 2, 32) // smbenum.go
	if a == nil {
		return
	}
	ch := a[24:32]
	for _, f := range fixedChallenges {
		if string(ch) == f.challenge {
			e.reportCapture(p, src, dst, ch, f.tool)
			return
		}
	}
}

func (e *Engine) reportCapture(p *capture.Packet, src, dst mac, ch []byte, tool string) {
	srv, cli := p.SrcIP(), p.DstIP()
	e.raiseSMB(inventory.Event{Time: p.Time, Type: inventory.EventCredentialCapture, Severity: inventory.SeverityHigh, IP: srv, TargetIP: cli,
		Evidence: []inventory.Evidence{{Source: "traffic", Detail: fmt.Sprintf("the SMB server answered %s's logon with the NTLM server challenge %x, the fixed one of %s: a real server draws a random challenge for every logon", cli, ch, tool)}}},
		src, dst, " serves SMB with a capture tool's fixed NTLM challenge ("+tool+"): "+cli.String()+"'s password hash was collected")
}

// smbWatch hands a TCP segment of 72 bytes or more to the SMB and
// DCE/RPC readers: a server's answers (its NTLM challenge, a guest
// session), a DCE/RPC bind on any port (requests to an SMB server's port
// are smbSegment's, smbenum.go); and,
// while SMB or DCE/RPC connections are followed, any of 24 bytes or more
// starting 5 to rpctcp.go.
func (e *Engine) smbWatch(p *capture.Packet, src, dst mac) {
	t := &p.TCP
	switch b := t.Payload; {
	case b[0] == 5 && (b[2] != 11 || len(b) < 72) && e.smb != nil:
		e.rpcTCPSegment(p) // rpctcp.go: 24 bytes or more
	case t.DstPort == 445 || t.DstPort == 139:
		// read by smbSegment (smbenum.go): requests to an SMB server
	case t.SrcPort == 445 || t.SrcPort == 139:
		e.smbAnswer(p, src, dst)
	case b[0] == 5 && b[1] == 0 && b[2] == 11:
		e.rpcBind(p, src, dst)
	}
}
