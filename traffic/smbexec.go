package traffic

import (
	"bytes"
	"encoding/binary"

	"tend/capture"
	"tend/inventory"
)

// Remote execution over SMB (impacket psexec.py and smbexec.py, Sysinternals
// PsExec, Metasploit's psexec, CrackMapExec; atexec.py) makes a server run a
// command by creating a service or a scheduled task through its named pipes:
// a DCE/RPC bind (C706 12.6.4.3) to the service control manager (MS-SCMR
// svcctl 367abb81-9844-35f1-ad32-98f038001003 on \svcctl) then
// RCreateServiceW (opnum 12; RCreateServiceA 24, the WOW64 forms 44, 45,
// RCreateWowService 60) and RStartServiceW, or to the task scheduler
// (MS-TSCH ITaskSchedulerService 86d35949-83c9-4044-b424-db363231fd0c on
// \atsvc, SchRpcRegisterTask opnum 1; the older ATSvc
// 1ff70682-0a51-30e8-076d-740be8cee98b, NetrJobAdd opnum 0). Over SMB2
// without encryption (Windows' default for a share and IPC$, Samba's) the
// bind and the requests' headers are in clear, even when the requests'
// stubs are sealed (review 37a lateral_exec, staged in the clear by session
// 38). Listing services, asking their status, starting or stopping one (an
// administrator's services.msc or sc \\host query, Samba's net rpc service
// list) creates nothing and is not raised. A connection is followed from
// its bind to one of these interfaces (smbenum.go's tables and RPC reader);
// the creation is raised once per client and server: lateral_movement,
// high (info from a host declared with known-scanner, knownscanner.go: a
// management server pushing agents the same way, SCCM's client push, PDQ
// Deploy).
var (
	uuidSvcctl = []byte{0x81, 0xbb, 0x7a, 0x36, 0x44, 0x98, 0xf1, 0x35, 0xad, 0x32, 0x98, 0xf0, 0x38, 0x00, 0x10, 0x03}
	uuidTsch   = []byte{0x49, 0x59, 0xd3, 0x86, 0xc9, 0x83, 0x44, 0x40, 0xb4, 0x24, 0xdb, 0x36, 0x32, 0x31, 0xfd, 0x0c}
	uuidAtsvc  = []byte{0x82, 0x06, 0xf7, 0x1f, 0x51, 0x0a, 0xe8, 0x30, 0x07, 0x6d, 0x74, 0x0b, 0xe8, 0xce, 0xe9, 0x8b}
)

// execIface names the remote-execution interface whose UUID u (16 bytes,
// wire order) is, ifOther for any other.
func execIface(u []byte) uint8 {
	switch {
	case bytes.Equal(u, uuidSvcctl):
		return ifSvcctl
	case bytes.Equal(u, uuidTsch):
		return ifTsch
	case bytes.Equal(u, uuidAtsvc):
		return ifAtsvc
	}
	return ifOther
}

// smbExecBind reports whether the segment b (to an SMB server's port)
// starts with an SMB2 WRITE or IOCTL whose data is a DCE/RPC bind to a
// remote-execution interface: the connection is then followed.
func smbExecBind(b []byte) bool {
	return len(b) >= 4+64+32 && b[0] == 0 && smb2ExecBind(b[4:])
}

// smb2ExecBind reports whether the SMB2 message m is such a request.
//
//go:noinline
func smb2ExecBind(m []byte) bool {
	if len(m) < 64+32 || string(m[:4]) != "\xfeSMB" || m[16]&1 != 0 {
		return false
	}
	var off int
	switch binary.LittleEndian.Uint16(m[12:]) {
	case 9: // WRITE
		off = int(binary.LittleEndian.Uint16(m[64+2:]))
	case 11: // IOCTL
		off = int(binary.LittleEndian.Uint32(m[64+24:]))
	default:
		return false
	}
	if off < 64 || off+48 > len(m) {
		return false
	}
	d := m[off:]
	return d[0] == 5 && d[1] == 0 && (d[2] == 11 || d[2] == 14) && d[24] != 0 && execIface(d[32:48]) != ifOther
}

// smbExecConn starts following the connection k, which bound a
// remote-execution interface.
func (e *Engine) smbExecConn(p *capture.Packet, k smbConnKey) *smbConn {
	if e.smb == nil {
		e.smb = &smbEnumState{conns: map[smbConnKey]*smbConn{}, pairs: map[smbPairKey]*smbPair{}}
	}
	if len(e.smb.conns) >= smbEnumConns {
		e.counters.TrackersDropped++
		return nil
	}
	c := &smbConn{last: p.Time}
	e.smb.conns[k] = c
	return c
}

// smbExecCall raises a request of opnum to iface that creates a service or
// a task, over an SMB named pipe unless via says what else.
func (e *Engine) smbExecCall(p *capture.Packet, k smbConnKey, iface uint8, opnum uint16, via string) {
	what := execWhat(iface, opnum)
	if what == "" {
		return
	}
	if via == "" {
		via = " over an SMB named pipe: remote execution as impacket psexec, smbexec and atexec, PsExec and CrackMapExec do it"
	}
	src := capture.MAC6(p.Eth.SrcMAC) // a request: the client's frame
	ev := inventory.Event{Time: p.Time, Type: inventory.EventLateralMovement, Severity: inventory.SeverityHigh, IP: k.cli, TargetIP: k.srv, MAC: macOf(src),
		Evidence: []inventory.Evidence{{Source: "traffic", Detail: what + via + "; listing or querying services creates nothing"}}}
	e.holdLateral(ev, src, capture.MAC6(p.Eth.DstMAC), what) // lateralhold.go
}

// execWhat says what a request of opnum to iface does when it creates a
// service or a task, "" for any other call.
func execWhat(iface uint8, opnum uint16) string {
	switch {
	case iface == ifSvcctl && (opnum == 12 || opnum == 24 || opnum == 44 || opnum == 45 || opnum == 60):
		return "created a service through the service control manager (svcctl RCreateService)"
	case iface == ifTsch && opnum == 1:
		return "registered a scheduled task through the task scheduler (ITaskSchedulerService SchRpcRegisterTask)"
	case iface == ifAtsvc && opnum == 0:
		return "added an AT job through the task scheduler (ATSvc NetrJobAdd)"
	}
	return ""
}
