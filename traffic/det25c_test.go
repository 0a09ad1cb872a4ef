package traffic

import (
	"cmp"
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"tend/inventory"

	"github.com/google/gopacket/layers"
)

// TestInsecureTFTPOncePerServer: 40 IP phones fetching their configuration
// from one provisioning server over TFTP after a power cut are one finding,
// the server's (TFTP has no login), while a second TFTP server is its own
// finding and FTP logins from two clients stay two events (each client's
// password crossed the wire). Reads of any file are one event per server
// (session 33: the files and clients counted in it), a write another.
func TestInsecureTFTPOncePerServer(t *testing.T) {
	r := newRig(t, Config{})
	rrq := []byte("\x00\x01y000000000000.cfg\x00octet\x00")
	for i := range 40 {
		phone := hw(fmt.Sprintf("80:5e:c0:00:00:%02x", i+1))
		r.feed(t0.Add(time.Duration(i)*50*time.Millisecond), udpFrame(t, phone, fmt.Sprintf("10.0.0.%d", 100+i), uint16(40000+i), nasMAC, "10.0.0.30", 69, rrq))
	}
	r.feed(t0.Add(3*time.Second), udpFrame(t, pcMAC, "10.0.0.10", 41000, gwMAC, "10.0.0.1", 69, rrq))
	for i := range 5 { // each phone its own file: still the one request kind
		phone := hw(fmt.Sprintf("80:5e:c0:00:01:%02x", i+1))
		own := []byte(fmt.Sprintf("\x00\x01y00000000%04x.cfg\x00octet\x00", 0xa0+i))
		r.feed(t0.Add(3*time.Second+time.Duration(i)*time.Millisecond), udpFrame(t, phone, fmt.Sprintf("10.0.0.%d", 150+i), uint16(40000+i), nasMAC, "10.0.0.30", 69, own))
	}
	// A PC reading a router's configuration is one more read; the router
	// writing it is another finding.
	r.feed(t0.Add(3500*time.Millisecond), udpFrame(t, evilMAC, "10.0.0.66", 41001, nasMAC, "10.0.0.30", 69, []byte("\x00\x01router-confg\x00octet\x00")))
	r.feed(t0.Add(3600*time.Millisecond), udpFrame(t, gwMAC, "10.0.0.1", 41002, nasMAC, "10.0.0.30", 69, []byte("\x00\x02router-confg\x00octet\x00")))
	// Each server answers (tftpanswer.go): DATA, ERROR, the write's ACK.
	r.feed(t0.Add(3700*time.Millisecond), udpFrame(t, nasMAC, "10.0.0.30", 50000, hw("80:5e:c0:00:00:01"), "10.0.0.100", 40000, []byte("\x00\x03\x00\x01#cfg\n")))
	r.feed(t0.Add(3700*time.Millisecond), udpFrame(t, gwMAC, "10.0.0.1", 50001, pcMAC, "10.0.0.10", 41000, []byte("\x00\x05\x00\x01File not found\x00")))
	r.feed(t0.Add(3700*time.Millisecond), udpFrame(t, nasMAC, "10.0.0.30", 50002, gwMAC, "10.0.0.1", 41002, []byte("\x00\x04\x00\x00")))
	for i, cli := range []string{"3c:52:82:00:00:10", "3c:52:82:00:00:11"} {
		r.feed(t0.Add(4*time.Second), tcpFrame(t, hw(cli), fmt.Sprintf("10.0.0.%d", 10+i), 40000, nasMAC, "10.0.0.30", 21, tcpFlags{ack: true, psh: true}, []byte("USER anna\r\n")))
	}
	got := map[string]int{}
	for _, ev := range r.of(inventory.EventInsecureProtocol) {
		if ev.Severity.Rank() == 0 {
			t.Errorf("%s at info", ev.Summary)
		}
		got[ev.Summary[:4]+" "+ev.MAC.String()]++
	}
	want := map[string]int{"tftp " + nasMAC.String(): 2, "tftp " + gwMAC.String(): 1, "ftp  " + nasMAC.String(): 2}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("insecure_protocol events by protocol and server %v, want %v", got, want)
	}
}

// TestSpikeLANTransferIsLow: a NAS quiet for two hours that then moves
// 40 MB in one minute with one host on the LAN's segment (a backup read at
// line rate, iSCSI, NFS) raises a Low traffic_spike however far above its
// baseline; the same minute uploaded to an internet address, to a 10.x VPN
// site or a CGNAT address through the gateway (private, but no ARP binding
// on the segment: every frame to the gateway's MAC), to a private address
// the gateway answers for in ARP (proxy ARP), to a LAN web proxy (3128,
// or 8080, also when one DNS query to it ends the minute) or SOCKS proxy
// (1080), to
// a site a LAN router proxy-ARPs for (through the gateway's MAC: not the
// MAC bound to it; through the router's: outside the gateway's /24), or
// spread over twenty LAN hosts, stays Medium; the gateway's own address (a
// router's USB disk) and a LAN server's HTTPS (a sync client's upload) are
// endpoints: Low.
func TestSpikeLANTransferIsLow(t *testing.T) {
	lanRouter := hw("3c:52:82:00:00:fe")
	for _, tc := range []struct {
		name  string
		peers func(i int) (string, string) // the i-th frame's destination MAC and address
		want  inventory.Severity
		port  uint16 // the NAS's port (iSCSI's 3260 if 0)
		dns   bool   // one DNS query to the peer ends the minute
	}{
		{"one LAN peer", func(int) (string, string) { return pcMAC.String(), "10.0.0.10" }, inventory.SeverityLow, 0, false},
		{"a LAN web proxy", func(int) (string, string) { return pcMAC.String(), "10.0.0.10" }, inventory.SeverityMedium, 3128, false},
		{"a LAN proxy on 8080", func(int) (string, string) { return pcMAC.String(), "10.0.0.10" }, inventory.SeverityMedium, 8080, false},
		{"a LAN server's HTTPS (a sync, WebDAV)", func(int) (string, string) { return pcMAC.String(), "10.0.0.10" }, inventory.SeverityLow, 443, false},
		{"internet upload", func(int) (string, string) { return gwMAC.String(), "93.184.216.34" }, inventory.SeverityMedium, 0, false},
		{"a 10.x VPN site through the gateway", func(int) (string, string) { return gwMAC.String(), "10.99.0.5" }, inventory.SeverityMedium, 0, false},
		{"a CGNAT address through the gateway", func(int) (string, string) { return gwMAC.String(), "100.72.0.9" }, inventory.SeverityMedium, 0, false},
		{"an address the gateway answers for", func(int) (string, string) { return gwMAC.String(), "10.0.0.200" }, inventory.SeverityMedium, 0, false},
		{"a LAN SOCKS proxy", func(int) (string, string) { return pcMAC.String(), "10.0.0.10" }, inventory.SeverityMedium, 1080, false},
		{"a LAN web proxy, then one DNS query", func(int) (string, string) { return pcMAC.String(), "10.0.0.10" }, inventory.SeverityMedium, 3128, true},
		{"a site a LAN router proxy-ARPs for, through the gateway", func(int) (string, string) { return gwMAC.String(), "10.99.0.5" }, inventory.SeverityMedium, 0, false},
		{"a site a LAN router proxy-ARPs for, through it", func(int) (string, string) { return lanRouter.String(), "10.99.0.5" }, inventory.SeverityMedium, 0, false},
		{"the gateway's own address (its USB disk)", func(int) (string, string) { return gwMAC.String(), "10.0.0.1" }, inventory.SeverityLow, 0, false},
		{"a LAN address, all but the last frame through the gateway", func(i int) (string, string) {
			if i == 29999 { // the minute's last frame (one every 2 ms)
				return lanRouter.String(), "10.0.0.77"
			}
			return gwMAC.String(), "10.0.0.77"
		}, inventory.SeverityMedium, 0, false},
		{"twenty LAN peers", func(i int) (string, string) {
			return fmt.Sprintf("3c:52:82:00:01:%02x", i%20), fmt.Sprintf("10.0.0.%d", 100+i%20)
		}, inventory.SeverityMedium, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: 10 * time.Minute, SpikeMinBytes: 1 << 20, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := t0
			for n := 0; at.Before(t0.Add(2 * time.Hour)); at, n = at.Add(3*time.Second), n+1 {
				if n%100 == 0 { // the NAS, the PC and the gateway resolve each other as Linux does
					r.feed(at, arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.10"))
					r.feed(at, arpFrame(t, layers.ARPReply, pcMAC, "10.0.0.10", nasMAC, "10.0.0.30"))
					r.feed(at, arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1"))
					r.feed(at, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.1", nasMAC, "10.0.0.30"))
					r.feed(at, arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.200"))
					r.feed(at, arpFrame(t, layers.ARPReply, gwMAC, "10.0.0.200", nasMAC, "10.0.0.30")) // proxy ARP
					r.feed(at, arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.99.0.5"))
					r.feed(at, arpFrame(t, layers.ARPReply, lanRouter, "10.99.0.5", nasMAC, "10.0.0.30")) // a LAN router's proxy ARP
					r.feed(at, arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.77"))
					r.feed(at, arpFrame(t, layers.ARPReply, lanRouter, "10.0.0.77", nasMAC, "10.0.0.30"))
				}
				r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 50000, pcMAC, "10.0.0.10", 40000, make([]byte, 1000)))
			}
			i := 0
			for end := at.Add(time.Minute); at.Before(end); at = at.Add(2 * time.Millisecond) {
				m, ip := tc.peers(i)
				r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", 40000, hw(m), ip, cmp.Or(tc.port, 3260), tcpFlags{ack: true, psh: true}, make([]byte, 1400)))
				i++
			}
			if tc.dns {
				m, ip := tc.peers(i)
				r.feed(at.Add(-time.Millisecond), udpFrame(t, nasMAC, "10.0.0.30", 40001, hw(m), ip, 53, make([]byte, 40)))
			}
			r.feed(at.Add(time.Minute), udpFrame(t, nasMAC, "10.0.0.30", 50000, pcMAC, "10.0.0.10", 40000, nil))
			var got []inventory.Severity
			for _, ev := range r.of(inventory.EventTrafficSpike) {
				if ev.MAC.String() == nasMAC.String() {
					got = append(got, ev.Severity)
				}
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("the NAS's traffic_spike severities %v, want [%s]", got, tc.want)
			}
		})
	}
}

// nvrRecording feeds an NVR (the NAS) recording 40 cameras for 25 s: a
// video and an audio RTP stream each from even ports to even ports, 10
// datagrams a second per stream (800 a second into the NVR from 80
// flows), the cameras' RTCP sender reports and the NVR's receiver reports
// on the next ports every 5 s (RFC 3550); with reports false the NVR sends
// none. Then extra(step, at) adds what else the test sends every 100 ms.
func nvrRecording(t *testing.T, r *rig, reports bool, extra func(step int, at time.Time)) {
	from := 0
	if !reports {
		from = 1 << 30
	}
	nvrStreams(t, r, from, nil, extra)
}

// nvrStreams is nvrRecording whose NVR reports from step reportFrom on
// (RTCP starts seconds into a session) and, where setupFrom is not nil,
// first sends each camera an RTSP SETUP per stream from the MAC setupFrom.
func nvrStreams(t *testing.T, r *rig, reportFrom int, setupFrom net.HardwareAddr, extra func(step int, at time.Time)) {
	for cam := range 40 {
		for m := range 2 {
			if setupFrom == nil {
				break
			}
			dp := 50000 + 4*cam + 2*m
			req := fmt.Sprintf("SETUP rtsp://10.0.0.%d:554/Streaming/Channels/101/trackID=%d RTSP/1.0\r\nCSeq: %d\r\nTransport: RTP/AVP;unicast;client_port=%d-%d\r\n\r\n", 100+cam, m, 3+m, dp, dp+1)
			r.feed(t0, tcpFrame(t, setupFrom, "10.0.0.30", uint16(40000+cam), hw(fmt.Sprintf("c0:56:e3:00:00:%02x", cam)), fmt.Sprintf("10.0.0.%d", 100+cam), 554, tcpFlags{ack: true, psh: true}, []byte(req)))
		}
	}
	rtp := append([]byte{0x80, 26}, make([]byte, 1000)...)
	rr := append([]byte{0x81, 201, 0, 7}, make([]byte, 28)...)
	sr := append([]byte{0x80, 200, 0, 6}, make([]byte, 24)...)
	for step := range 250 {
		at := t0.Add(time.Duration(step) * 100 * time.Millisecond)
		for cam := range 40 {
			camMAC, camIP := hw(fmt.Sprintf("c0:56:e3:00:00:%02x", cam)), fmt.Sprintf("10.0.0.%d", 100+cam)
			for m := range 2 {
				sp, dp := uint16(6970+2*m), uint16(50000+4*cam+2*m)
				r.feed(at, udpFrame(t, camMAC, camIP, sp, nasMAC, "10.0.0.30", dp, rtp))
				if (step+cam)%50 == 0 {
					r.feed(at, udpFrame(t, camMAC, camIP, sp+1, nasMAC, "10.0.0.30", dp+1, sr))
					if step >= reportFrom {
						r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", dp+1, camMAC, camIP, sp+1, rr))
					}
				}
			}
		}
		if extra != nil {
			extra(step, at)
		}
	}
}

// TestNVRFanInIsNoFlood: the RTP streams an NVR reports on are no fan-in
// flood (rtpfanin.go); the same streams unreported, or a flood from 70
// forged sources at the NVR while it records, still are.
func TestNVRFanInIsNoFlood(t *testing.T) {
	junk := func(r *rig) func(int, time.Time) {
		return func(step int, at time.Time) {
			for i := range 5 {
				n := step*5 + i
				r.feed(at, udpFrame(t, evilMAC, fmt.Sprintf("10.0.%d.%d", 1+n%70/250, 10+n%70), uint16(30000+2*(n%70)), nasMAC, "10.0.0.30", 50400, make([]byte, 1000)))
			}
		}
	}
	for _, tc := range []struct {
		name    string
		reports bool
		flood   bool
		junk    bool
	}{
		{"reported streams", true, false, false},
		{"unreported streams", false, true, false},
		{"flood while recording", true, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			var extra func(int, time.Time)
			if tc.junk {
				extra = junk(r)
			}
			nvrRecording(t, r, tc.reports, extra)
			if got := len(r.of(inventory.EventFlood)) > 0; got != tc.flood {
				t.Errorf("flood raised %v, want %v: %v", got, tc.flood, r.of(inventory.EventFlood))
			}
		})
	}
}

// TestNVRSetupStormIsNoFlood: right after a reboot storm's SETUPs, in the
// seconds before RTCP starts, the streams the NVR asked for in RTSP SETUPs
// from its own MAC are no flood; without the SETUPs, or with SETUPs under
// the NVR's address from another MAC, the first seconds are one.
func TestNVRSetupStormIsNoFlood(t *testing.T) {
	for _, tc := range []struct {
		name  string
		from  net.HardwareAddr
		flood bool
	}{
		{"the NVR's SETUPs", nasMAC, false},
		{"no SETUPs", nil, true},
		{"forged SETUPs", evilMAC, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			nvrStreams(t, r, 40, tc.from, nil) // RTCP from 4 s on
			if got := len(r.of(inventory.EventFlood)) > 0; got != tc.flood {
				t.Errorf("flood raised %v, want %v: %v", got, tc.flood, r.of(inventory.EventFlood))
			}
		})
	}
}

// TestAnsweredFanInAtFloodRateStaysFlood: rtpFanIn leaves a fan-in with no
// RTP stream of its target's to the rules before it: 100 clients' queries
// at 6,000 a second toward one host that answers every one are a flood by
// their rate, as before.
func TestAnsweredFanInAtFloodRateStaysFlood(t *testing.T) {
	r := newRig(t, Config{})
	q := make([]byte, 40)
	for i := range 12000 {
		at := t0.Add(time.Duration(i) * time.Second / 6000)
		c := i % 100
		cli, ip, port := hw(fmt.Sprintf("3c:52:82:00:02:%02x", c)), fmt.Sprintf("10.0.0.%d", 100+c), uint16(40000+i%1000)
		r.feed(at, udpFrame(t, cli, ip, port, nasMAC, "10.0.0.30", 5353+1, q))
		r.feed(at, udpFrame(t, nasMAC, "10.0.0.30", 5353+1, cli, ip, port, q))
	}
	if len(r.of(inventory.EventFlood)) == 0 {
		t.Error("an answered fan-in at 6,000 a second raised no flood")
	}
}

// TestRTSPSetupVouchesForItsCameraOnly: one RTSP SETUP from the target's
// MAC (forged, or an NVR's own) asking a camera for RTP to port 5000 does
// not make a flood at that port from 2,000 forged sources RTP: the SETUP
// vouches for the camera's datagrams alone, and the flood is raised.
func TestRTSPSetupVouchesForItsCameraOnly(t *testing.T) {
	r := newRig(t, Config{})
	req := "SETUP rtsp://10.0.0.9:554/s/trackID=0 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n"
	r.feed(t0, tcpFrame(t, nasMAC, "10.0.0.30", 40000, hw("c0:56:e3:00:00:09"), "10.0.0.9", 554, tcpFlags{ack: true, psh: true}, []byte(req)))
	payload := make([]byte, 200)
	for i := range 50000 {
		at := t0.Add(time.Second + time.Duration(i)*100*time.Microsecond) // 10,000 a second
		src := fmt.Sprintf("198.51.%d.%d", i%2000/250, 1+i%2000%250)
		r.feed(at, udpFrame(t, evilMAC, src, uint16(1024+i%2000), nasMAC, "10.0.0.30", 5000, payload))
	}
	if len(r.of(inventory.EventFlood)) == 0 {
		t.Error("a flood from 2,000 forged sources at a port an RTSP SETUP asked a camera for raised no flood")
	}
}
