package traffic

import (
	"encoding/binary"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// det38aEvents replays a staged recording (gateway 10.88.8.1) and returns
// its events of type typ.
func det38aEvents(t *testing.T, name string, typ inventory.EventType, cfg Config) []inventory.Event {
	t.Helper()
	cfg.Gateway = netip.MustParseAddr("10.88.8.1")
	var out []inventory.Event
	for _, ev := range replayFile(t, filepath.Join("testdata", "staged", name), cfg) {
		if ev.Type == typ {
			out = append(out, ev)
		}
	}
	return out
}

// TestSpreadGuessingStaged replays password guessing spread over ten hosts
// (smbclient against Samba, one account; hydra against OpenSSH): one
// brute_force each, no culprit MAC, the NAS the target, the hosts listed;
// and an office morning's mistyped passwords with a stale backup password
// retried from one host: none.
func TestSpreadGuessingStaged(t *testing.T) {
	for _, tc := range []struct {
		file, want string
	}{
		{"smb-guessing-distributed-smbclient.pcap", "50 failed logins (SMB) for the account administrator from 10 clients"},
		{"ssh-guessing-distributed-hydra.pcap", "SSH sessions ended in the authentication phase from 10 clients"},
		{"benign-smb-mistypes-morning-smbclient.pcap", ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got := det38aEvents(t, tc.file, inventory.EventBruteForce, Config{})
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("want no brute_force, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one brute_force, got %+v", got)
			}
			ev := got[0]
			if ev.MAC != nil || ev.IP.IsValid() || ev.TargetIP.String() != "10.88.8.30" || ev.TargetMAC.String() != "00:11:32:00:00:30" ||
				!strings.HasPrefix(ev.Summary, "Distributed password guessing against") || !strings.Contains(ev.Summary, tc.want) ||
				!strings.Contains(ev.Evidence[0].Detail, "10.88.8.109 (00:50:56:00:01:6d)") {
				t.Errorf("got %+v", ev)
			}
		})
	}
}

// TestSMBUserNames reads the user names of real NTLMSSP AUTHENTICATE
// messages (smbclient, Unicode): administrator's, folded to lower case.
func TestSMBUserNames(t *testing.T) {
	auths := ntlmAuthenticates(t, "smb-guessing-distributed-smbclient.pcap")
	if len(auths) < 40 {
		t.Fatalf("want 50 AUTHENTICATE messages, got %d", len(auths))
	}
	e := New(Config{}, nil)
	for k, b := range auths {
		e.noteSMBUser(smbConnKey{port: 1}, b)
		u := e.spread.users[(e.spread.nuser-1)%smbUserSlots]
		if string(u.name[:u.len]) != "administrator" || u.hash == 0 {
			t.Fatalf("%s: user %q", k, u.name[:u.len])
		}
		if e.noteSMBUser(smbConnKey{port: 2}, b[:63]); e.spread.users[(e.spread.nuser-1)%smbUserSlots].k.port == 2 {
			t.Fatalf("%s: a 63-byte AUTHENTICATE read", k)
		}
	}
}

// TestSpreadThresholds feeds failures to the per-server counts: thirty
// clients once each, or two clients many times, are no distributed
// guessing; three clients twice each reaching twenty in all are.
func TestSpreadThresholds(t *testing.T) {
	srv := netip.MustParseAddr("10.0.0.30")
	cli := func(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 0, 0, byte(100 + i)}) }
	for _, tc := range []struct {
		name    string
		clients []int // failures per client
		want    bool
	}{
		{"thirty once each", []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, false},
		{"two clients", []int{15, 15}, false},
		{"three clients under twenty", []int{6, 6, 6}, false},
		{"three clients", []int{7, 7, 6}, true},
		{"one busy, two once", []int{30, 1, 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := New(Config{}, nil)
			at := t0
			for i, n := range tc.clients {
				for range n {
					at = at.Add(time.Second)
					e.spreadFail(at, bruteKey{cli(i), srv, 445}, mac{0, 0x50, 0x56, 0, 1, byte(i)}, mac{0, 0x11, 0x32, 0, 0, 0x30}, "SMB", 7, 7, []byte("administrator"))
				}
			}
			tr := e.spread.trs[0]
			if got := !tr.over.IsZero(); got != tc.want {
				t.Errorf("distributed %v, want %v", got, tc.want)
			}
		})
	}
}

// TestLateralMovementStaged replays impacket's smbexec.py and psexec.py
// (and atexec.py, whose \atsvc Samba lacks) against Samba with SMB
// encryption off: one lateral_movement, high, culprit .66, the NAS the
// target; info when .66 is a declared scanner. Samba's net rpc service
// list and status from an admin's PC: its svcctl bind is followed, no
// event.
func TestLateralMovementStaged(t *testing.T) {
	got := det38aEvents(t, "smb-remote-exec-impacket.pcap", inventory.EventLateralMovement, Config{})
	if len(got) != 1 || got[0].Severity != inventory.SeverityHigh || got[0].MAC.String() != "b8:27:eb:00:00:66" ||
		got[0].TargetIP.String() != "10.88.8.30" || !strings.Contains(got[0].Summary, "created a service") {
		t.Fatalf("got %+v", got)
	}
	ks, err := ParseKnownScanner("b8:27:eb:00:00:66")
	if err != nil {
		t.Fatal(err)
	}
	got = det38aEvents(t, "smb-remote-exec-impacket.pcap", inventory.EventLateralMovement, Config{KnownScanners: []KnownScanner{ks}})
	if len(got) != 1 || got[0].Severity != inventory.SeverityInfo || !strings.Contains(got[0].Evidence[len(got[0].Evidence)-1].Detail, "declared scanner") {
		t.Fatalf("declared: got %+v", got)
	}
	e := New(Config{Gateway: netip.MustParseAddr("10.88.8.1")}, func(ev inventory.Event) {
		if ev.Type == inventory.EventLateralMovement {
			t.Errorf("net rpc service list: %+v", ev)
		}
	})
	d := capture.NewDecoder()
	bound := false
	for _, f := range stagedFrames(t, "benign-net-rpc-service-list-samba.pcap") {
		e.Packet(d.Decode(f))
		if e.smb != nil {
			for _, c := range e.smb.conns {
				bound = bound || c.n > 0 && c.pipes[0].iface == ifSvcctl
			}
		}
	}
	e.Flush()
	if !bound {
		t.Error("net rpc's svcctl bind not followed")
	}
}

// FuzzSMBExecBind feeds segments to a server's port 445 with no logon
// before: nothing may panic or grow past the caps; and random blobs to
// the NTLMSSP user reader.
func FuzzSMBExecBind(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x80\xfeSMB@\x00\x00\x00\x00\x00\x00\x00\x09\x00"), []byte("NTLMSSP\x00\x03\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, b, blob []byte) {
		r := newRig(t, Config{Learning: time.Minute})
		r.feed(t0, tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true}, b))
		r.feed(t0.Add(time.Millisecond), tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true}, append(b[:0:0], b...)))
		r.e.noteSMBUser(smbConnKey{}, blob)
		r.e.Flush()
		if r.e.smb != nil && len(r.e.smb.conns) > smbEnumConns || r.e.spread != nil && len(r.e.spread.trs) > spreadTrackers {
			t.Fatal("state past its caps")
		}
	})
}

// smbPipeWrite is an SMB2 WRITE of the DCE/RPC PDU d to the pipe whose
// FileId's volatile half is fid.
func smbPipeWrite(fid uint64, d []byte) []byte {
	body := make([]byte, 48)
	binary.LittleEndian.PutUint16(body, 49)
	binary.LittleEndian.PutUint16(body[2:], 64+48)
	binary.LittleEndian.PutUint32(body[4:], uint32(len(d)))
	binary.LittleEndian.PutUint64(body[24:], fid)
	return smb2Segment(9, 3, append(body, d...))
}

// rpcPDU is a DCE/RPC PDU of type ptype: a BIND to iface (one context), or
// a REQUEST of opnum.
func rpcPDU(ptype byte, iface []byte, opnum uint16) []byte {
	d := make([]byte, 24, 72)
	d[0], d[2], d[4] = 5, ptype, 0x10
	if ptype == 11 {
		d = append(d, 1, 0, 0, 0, 0, 0, 1, 0) // one context: its ID 0, one transfer syntax
		d = append(d, iface...)
		d = append(d, make([]byte, 4+20)...) // the interface's version, the transfer syntax
	} else {
		binary.LittleEndian.PutUint16(d[22:], opnum)
		d = append(d, make([]byte, 24)...)
	}
	binary.LittleEndian.PutUint16(d[8:], uint16(len(d)))
	return d
}

// TestLateralMovementShapes drives the task scheduler's forms (atexec.py:
// ITaskSchedulerService SchRpcRegisterTask, the older ATSvc NetrJobAdd) on
// a connection never logged on anonymously: raised; and the service
// manager's queries (opnums other than a creation), a creation on a pipe
// bound to another interface: not.
func TestLateralMovementShapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		iface []byte
		opnum uint16
		want  string
	}{
		{"tsch SchRpcRegisterTask", uuidTsch, 1, "registered a scheduled task"},
		{"atsvc NetrJobAdd", uuidAtsvc, 0, "added an AT job"},
		{"svcctl RCreateServiceA", uuidSvcctl, 24, "created a service"},
		{"svcctl EnumServicesStatusW", uuidSvcctl, 14, ""},
		{"svcctl RStartServiceW", uuidSvcctl, 19, ""},
		{"samr opnum 12", uuidSAMR, 12, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			send := func(at time.Duration, b []byte) {
				r.feed(t0.Add(at), tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 445, tcpFlags{ack: true}, b))
			}
			send(0, smbPipeWrite(7, rpcPDU(11, tc.iface, 0)))
			send(time.Millisecond, smbPipeWrite(7, rpcPDU(0, nil, tc.opnum)))
			r.e.Flush()
			got := r.of(inventory.EventLateralMovement)
			if tc.want == "" {
				if len(got) != 0 {
					t.Fatalf("want nothing, got %+v", got)
				}
				return
			}
			if len(got) != 1 || !strings.Contains(got[0].Summary, tc.want) || got[0].MAC.String() != evilMAC.String() || got[0].TargetIP.String() != "10.0.0.30" {
				t.Fatalf("got %+v", got)
			}
		})
	}
}
