package traffic

import (
	"encoding/binary"
	"strconv"

	"tend/capture"
)

// The same remote execution (smbexec.go) runs over DCE/RPC straight on TCP
// (ncacn_ip_tcp, C706 12 and MS-RPCE 2.1.1.1): Windows' sc \\host and
// schtasks /S fall back to it, impacket takes an ncacn_ip_tcp: binding,
// and the port is the one the endpoint mapper (135) hands out. A
// connection whose first bytes are a bind (5, 0, 11) with a context for
// svcctl, ITaskSchedulerService or ATSvc (adattack.go's rpcBind reads every
// bind) is followed in smbenum.go's connection table (its bounds, forgotten
// at its FIN): its contexts as pipes (the context ID for the FileId), the
// server's bind_ack (12) or alter_context_resp (15) marking those it
// accepted (rpcAccepted), and its requests' context and opnum; a creation
// on an accepted context is raised as over SMB. The endpoint mapper's
// lookups, DRSUAPI, Exchange's and DCOM's interfaces are never followed.
// Little-endian PDUs only (C706 14.1 drep: Windows, Samba, impacket).
const rpcAccept = 0x80 // an interface's flag: its context accepted

// rpcExecBind reads the bind or alter_context d (28 bytes or more) of the
// connection k and follows k when one of its contexts (4 at most) names a
// remote-execution interface (execIface).
func (e *Engine) rpcExecBind(p *capture.Packet, k smbConnKey, d []byte) {
	var c *smbConn
	if e.smb != nil {
		c = e.smb.conns[k]
	}
	n, off := int(d[24]), 28
	for i := 0; i < n && i < smbPipes && off+24 <= len(d); i++ {
		if f := execIface(d[off+4 : off+20]); f != ifOther || c != nil {
			if c == nil {
				if c = e.smbExecConn(p, k); c == nil {
					return
				}
			}
			if c.n < smbPipes {
				c.pipes[c.n] = smbPipe{uint64(binary.LittleEndian.Uint16(d[off:])), f}
				c.n++
			}
		}
		off += 24 + 20*int(d[off+2])
	}
}

// rpcTCPSegment reads a segment (24 bytes or more) starting 5: a followed
// connection's request or alter_context, a server's bind_ack or
// alter_context_resp.
func (e *Engine) rpcTCPSegment(p *capture.Packet) {
	d := p.TCP.Payload
	k := smbConnKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort)}
	if d[2] == 12 || d[2] == 15 { // an answer: the client's connection
		k = smbConnKey{k.srv, k.cli, uint16(p.TCP.DstPort)}
	}
	c := e.smb.conns[k]
	if c == nil || d[1] != 0 || len(d) < 28 {
		return
	}
	switch d[2] {
	case 0: // REQUEST: its context, its opnum
		id := uint64(binary.LittleEndian.Uint16(d[20:]))
		for _, x := range c.pipes[:c.n] {
			if x.fid == id && x.iface&rpcAccept != 0 {
				e.smbExecCall(p, k, x.iface&^rpcAccept, binary.LittleEndian.Uint16(d[22:]), " over DCE/RPC on TCP port "+strconv.Itoa(int(p.TCP.DstPort))+" (ncacn_ip_tcp, a port the endpoint mapper gives): sc \\\\host, schtasks /S and impacket with an ncacn_ip_tcp binding do it")
				return
			}
		}
	case 14:
		e.rpcExecBind(p, k, d)
	case 12, 15:
		rpcAccepted(c, d)
	}
}

// rpcAccepted marks c's contexts the answer d accepted: its results
// (C706 12.6.4.4: after the secondary address, padded to 4 bytes) are in
// the order of the contexts offered, a result of 0 an acceptance.
func rpcAccepted(c *smbConn, d []byte) {
	off := (26 + int(binary.LittleEndian.Uint16(d[24:])) + 3) &^ 3
	for i := 0; off+4 < len(d) && i < int(d[off]) && i < c.n && off+4+24*i+2 <= len(d); i++ {
		if binary.LittleEndian.Uint16(d[off+4+24*i:]) == 0 {
			c.pipes[i].iface |= rpcAccept
		}
	}
}
