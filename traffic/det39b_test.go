package traffic

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// rpcTCPEvents replays the frames of a staged recording that keep returns
// true for (given the decoded packet) and returns its lateral_movement
// events.
func rpcTCPEvents(t *testing.T, name string, cfg Config, keep func(p *capture.Packet) bool) []inventory.Event {
	t.Helper()
	cfg.Gateway = netip.MustParseAddr("10.88.8.1")
	var got []inventory.Event
	e := New(cfg, func(ev inventory.Event) {
		if ev.Type == inventory.EventLateralMovement {
			got = append(got, ev)
		}
	})
	d := capture.NewDecoder()
	for _, f := range stagedFrames(t, name) {
		if p := d.Decode(f); keep(p) {
			e.Packet(p)
		}
	}
	e.Flush()
	if e.smb != nil && len(e.smb.conns) > smbEnumConns {
		t.Fatal("connections past their cap")
	}
	return got
}

// TestRemoteExecOverTCP replays impacket's ncacn_ip_tcp client (svcctl
// CreateServiceW, ITaskSchedulerService SchRpcRegisterTask, ATSvc
// NetrJobAdd on port 49670, each its own connection, after an endpoint
// mapper lookup on 135): one High lateral_movement from .66 to the NAS, info
// when .66 is a declared scanner; each connection alone raises its own
// call; without the server's bind_ack (no context accepted) nothing; an
// administrator's endpoint mapper lookups and service listing: nothing.
func TestRemoteExecOverTCP(t *testing.T) {
	all := func(*capture.Packet) bool { return true }
	got := rpcTCPEvents(t, "rpc-tcp-remote-exec-impacket.pcap", Config{}, all)
	if len(got) != 1 || got[0].Severity != inventory.SeverityHigh || got[0].MAC.String() != "b8:27:eb:00:00:66" || got[0].TargetIP.String() != "10.88.8.30" ||
		!strings.Contains(got[0].Summary, "created a service") || !strings.Contains(got[0].Evidence[0].Detail, "TCP port 49670") {
		t.Fatalf("got %+v", got)
	}
	ks, err := ParseKnownScanner("b8:27:eb:00:00:66")
	if err != nil {
		t.Fatal(err)
	}
	got = rpcTCPEvents(t, "rpc-tcp-remote-exec-impacket.pcap", Config{KnownScanners: []KnownScanner{ks}}, all)
	if len(got) != 1 || got[0].Severity != inventory.SeverityInfo {
		t.Fatalf("declared: got %+v", got)
	}
	var ports []uint16 // the client's ports to 49670, in order
	d := capture.NewDecoder()
	for _, f := range stagedFrames(t, "rpc-tcp-remote-exec-impacket.pcap") {
		if p := d.Decode(f); p.Has&capture.HasTCP != 0 && p.TCP.DstPort == 49670 && p.TCP.SYN {
			ports = append(ports, uint16(p.TCP.SrcPort))
		}
	}
	if len(ports) != 3 {
		t.Fatalf("connections to 49670: %v", ports)
	}
	for i, want := range []string{"svcctl RCreateService", "SchRpcRegisterTask", "NetrJobAdd"} {
		one := func(p *capture.Packet) bool {
			return p.Has&capture.HasTCP != 0 && (uint16(p.TCP.SrcPort) == ports[i] || uint16(p.TCP.DstPort) == ports[i])
		}
		if got := rpcTCPEvents(t, "rpc-tcp-remote-exec-impacket.pcap", Config{}, one); len(got) != 1 || !strings.Contains(got[0].Summary, want) {
			t.Errorf("%s alone: got %+v", want, got)
		}
	}
	noAck := func(p *capture.Packet) bool {
		return p.Has&capture.HasTCP == 0 || len(p.TCP.Payload) < 3 || p.TCP.Payload[0] != 5 || p.TCP.Payload[2] != 12
	}
	if got := rpcTCPEvents(t, "rpc-tcp-remote-exec-impacket.pcap", Config{}, noAck); len(got) != 0 {
		t.Errorf("no bind_ack: got %+v", got)
	}
	if got := rpcTCPEvents(t, "benign-rpc-tcp-service-list-impacket.pcap", Config{}, all); len(got) != 0 {
		t.Errorf("service list: got %+v", got)
	}
}

// FuzzRPCTCP feeds a bind to svcctl then two arbitrary segments each way
// on port 49670: nothing may panic or grow past the cap.
func FuzzRPCTCP(f *testing.F) {
	f.Add(rpcPDU(0, nil, 12), rpcPDU(12, nil, 0))
	f.Fuzz(func(t *testing.T, req, ans []byte) {
		r := newRig(t, Config{Learning: time.Minute})
		r.feed(t0, tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 49670, tcpFlags{ack: true}, rpcPDU(11, uuidSvcctl, 0)))
		for i, b := range [][]byte{ans, req, append([]byte{5, 0, 12}, ans...), append([]byte{5, 0, 0}, req...)} {
			at := t0.Add(time.Duration(i+1) * time.Millisecond)
			if i%2 == 0 {
				r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", 49670, evilMAC, "10.0.0.66", 40000, tcpFlags{ack: true}, b))
			} else {
				r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", 49670, tcpFlags{ack: true}, b))
			}
		}
		r.e.Flush()
		if r.e.smb == nil || len(r.e.smb.conns) > smbEnumConns {
			t.Fatal("bind not followed, or state past its cap")
		}
	})
}

// TestSweepHuntLiveRange replays nmap -p 502,3389 over 36 addresses of
// which 30 are live hosts refusing both ports (RST): the sweep, mostly
// alive, is no longer held for a second round (90 s for ARP requests
// alone, 6 min else): the ticks within 30 s of its end raise it, critical
// for Modbus/TCP. Without the refusals (the RSTs left out) it stays held.
func TestSweepHuntLiveRange(t *testing.T) {
	for _, rst := range []bool{true, false} {
		var got []inventory.Event
		e := New(Config{Gateway: netip.MustParseAddr("10.88.8.1")}, func(ev inventory.Event) {
			if ev.Type == inventory.EventHostSweep {
				got = append(got, ev)
			}
		})
		d := capture.NewDecoder()
		var end time.Time
		for _, f := range stagedFrames(t, "sweep-service-hunt-live-range-nmap.pcap") {
			p := d.Decode(f)
			if !rst && p.Has&capture.HasTCP != 0 && p.TCP.RST {
				continue
			}
			e.Packet(p)
			end = p.Time
		}
		for i := 1; i <= 3; i++ {
			e.Tick(end.Add(time.Duration(i) * 10 * time.Second))
		}
		if rst && (len(got) != 1 || got[0].Severity != inventory.SeverityCritical || !strings.Contains(got[0].Evidence[len(got[0].Evidence)-3].Detail, "refused a port")) {
			t.Fatalf("refused: got %+v", got)
		}
		if !rst && len(got) != 0 {
			t.Fatalf("no RSTs: raised within 30 s: %+v", got)
		}
	}
}

// TestBMSPollStaged replays a building-management workstation polling
// BACnet/IP controllers (Who-Is, then ReadProperty every 20 s, answered):
// 20 controllers from an ephemeral port or 47808, and 30 (past the sweep
// threshold): nothing above info, never a critical sweep for the ICS port.
func TestBMSPollStaged(t *testing.T) {
	for _, name := range []string{"benign-bms-bacnet-poll-python.pcap", "benign-bms-bacnet-poll-47808-python.pcap", "benign-bms-bacnet-poll-30-python.pcap"} {
		for _, ev := range replayFile(t, "testdata/staged/"+name, Config{Gateway: netip.MustParseAddr("10.88.8.1")}) {
			if ev.Severity != inventory.SeverityInfo {
				t.Errorf("%s: %s %s %s", name, ev.Severity, ev.Type, ev.Summary)
			}
		}
	}
}
