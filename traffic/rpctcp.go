package traffic

import (
	"encoding/binary"
	"strconv"
	"time"

	"tend/capture"
	"tend/inventory"
)

// The same remote execution (smbexec.go) runs over DCE/RPC straight on TCP
// (ncacn_ip_tcp, C706 12 and MS-RPCE 2.1.1.1): Windows' sc \\host and
// schtasks /S fall back to it, impacket takes an ncacn_ip_tcp: binding,
// and the port is the one the endpoint mapper (135) hands out. A
// connection whose first bytes are a bind (5, 0, 11) to svcctl,
// ITaskSchedulerService or ATSvc (adattack.go's rpcBind reads every bind)
// is followed: its presentation contexts (rpcCtxs of them), the server's
// bind_ack (12) or alter_context_resp (15) marking those it accepted, and
// its requests' context and opnum; a creation on an accepted context is
// raised as over SMB. The endpoint mapper's lookups, DRSUAPI, Exchange's
// and DCOM's interfaces are never followed. Connections are kept
// rpcTCPConns at most, idle ones given up first (TrackersDropped).
const (
	rpcTCPConns = 16
	rpcCtxs     = 4
	rpcTCPIdle  = 2 * time.Minute
)

type rpcCtx struct {
	id       uint16
	iface    uint8
	accepted bool
}

type rpcTCPConn struct {
	_    [0]func() // not comparable: no equality function linked
	key  smbConnKey
	ctx  [rpcCtxs]rpcCtx
	n    int
	last int64
}

// rpcTCPState is the followed connections; nil until the first bind.
type rpcTCPState struct {
	conns []rpcTCPConn
}

// rpcExecBind reads the bind d (5, 0, 11 or 14) of the connection k,
// little- or big-endian (C706 14.1 drep), and follows k when one of its
// contexts names a remote-execution interface (execIface) or k is
// followed already.
func (e *Engine) rpcExecBind(p *capture.Packet, k smbConnKey, d []byte) {
	if len(d) < 28 {
		return
	}
	c := e.rpcTCPConn(k)
	n, off := int(d[24]), 28
	var ctx [rpcCtxs]rpcCtx
	m := 0
	for i := 0; i < n && m < rpcCtxs && off+24 <= len(d); i++ {
		if f := execIface(d[off+4 : off+20]); f != ifOther {
			ctx[m] = rpcCtx{id: rpcU16(d, off), iface: f}
			m++
		}
		off += 24 + 20*int(d[off+2])
	}
	if m == 0 && c == nil {
		return
	}
	if c == nil {
		if c = e.rpcTCPNew(k, e.nanosOf(p.Time)); c == nil {
			return
		}
	}
	if d[2] == 11 {
		c.n = 0
	}
	for i := 0; i < m && c.n < rpcCtxs; i++ {
		c.ctx[c.n] = ctx[i]
		c.n++
	}
	c.last = e.nanosOf(p.Time)
}

// rpcU16 reads the 16-bit field at off of the PDU d in its byte order.
func rpcU16(d []byte, off int) uint16 {
	if d[4]&0xf0 == 0 {
		return binary.BigEndian.Uint16(d[off:])
	}
	return binary.LittleEndian.Uint16(d[off:])
}

// rpcTCPConn is k's state, nil when k is not followed.
func (e *Engine) rpcTCPConn(k smbConnKey) *rpcTCPConn {
	if e.rpcTCP == nil {
		return nil
	}
	for i := range e.rpcTCP.conns {
		if c := &e.rpcTCP.conns[i]; c.key == k {
			return c
		}
	}
	return nil
}

// rpcTCPNew follows k from now: a free slot, or the idlest given up when
// idle rpcTCPIdle (else k is dropped).
func (e *Engine) rpcTCPNew(k smbConnKey, now int64) *rpcTCPConn {
	if e.rpcTCP == nil {
		e.rpcTCP = &rpcTCPState{}
	}
	s := e.rpcTCP
	if len(s.conns) < rpcTCPConns {
		s.conns = append(s.conns, rpcTCPConn{key: k, last: now})
		return &s.conns[len(s.conns)-1]
	}
	old := 0
	for i := range s.conns {
		if s.conns[i].last < s.conns[old].last {
			old = i
		}
	}
	if now-s.conns[old].last < int64(rpcTCPIdle) {
		e.counters.TrackersDropped++
		return nil
	}
	s.conns[old] = rpcTCPConn{key: k, last: now}
	return &s.conns[old]
}

// rpcTCPSegment reads a segment of 24 bytes or more starting 5, 0 while
// connections are followed: a client's request or alter_context, a
// server's bind_ack or alter_context_resp.
func (e *Engine) rpcTCPSegment(p *capture.Packet) {
	d := p.TCP.Payload
	switch d[2] {
	case 0, 14: // REQUEST, ALTER_CONTEXT
		k := smbConnKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort)}
		c := e.rpcTCPConn(k)
		if c == nil {
			return
		}
		if d[2] == 14 {
			e.rpcExecBind(p, k, d)
			return
		}
		c.last = e.nanosOf(p.Time)
		id, op := rpcU16(d, 20), rpcU16(d, 22)
		for _, x := range c.ctx[:c.n] {
			if x.id == id && x.accepted {
				e.rpcExecCall(p, k, x.iface, op)
				return
			}
		}
	case 12, 15: // BIND_ACK, ALTER_CONTEXT_RESP
		if c := e.rpcTCPConn(smbConnKey{p.DstIP(), p.SrcIP(), uint16(p.TCP.DstPort)}); c != nil {
			rpcAccepted(c, d)
		}
	}
}

// rpcAccepted marks c's contexts the answer d accepted: its results
// (C706 12.6.4.4: after the secondary address, padded to 4 bytes) are in
// the order of the contexts offered, a result of 0 an acceptance.
func rpcAccepted(c *rpcTCPConn, d []byte) {
	if len(d) < 28 {
		return
	}
	off := 26 + int(rpcU16(d, 24))
	off = (off + 3) &^ 3
	if off+4 > len(d) {
		return
	}
	n := int(d[off])
	for i := 0; i < n && i < c.n && off+4+24*i+2 <= len(d); i++ {
		c.ctx[i].accepted = rpcU16(d, off+4+24*i) == 0
	}
}

// rpcExecCall raises a request of opnum to iface on the connection k that
// creates a service or a task (smbExecCall's calls).
func (e *Engine) rpcExecCall(p *capture.Packet, k smbConnKey, iface uint8, opnum uint16) {
	what := execWhat(iface, opnum)
	if what == "" {
		return
	}
	src := capture.MAC6(p.Eth.SrcMAC)
	port := strconv.Itoa(int(p.TCP.DstPort))
	ev := inventory.Event{Time: p.Time, Type: inventory.EventLateralMovement, Severity: inventory.SeverityHigh, IP: k.cli, TargetIP: k.srv, MAC: macOf(src),
		Evidence: []inventory.Evidence{{Source: "traffic", Detail: what + " over DCE/RPC on TCP port " + port + " (ncacn_ip_tcp, the port the endpoint mapper gave): remote execution as sc \\\\host, schtasks /S and impacket with an ncacn_ip_tcp binding do it; listing or querying services creates nothing"}}}
	e.raiseSMB(ev, src, capture.MAC6(p.Eth.DstMAC), " "+what+" on "+k.srv.String()+": remote command execution (lateral movement)")
}
