package traffic

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// Real frames from review 37a's captures (/work/r37a/out): pc's ARP
// request that went round bridge_loop's cable 109,319 times, hping3's
// broadcast to port 137 (bcast_flood: -2 -p 137 -d 200 --flood), hping3's
// datagram to 239.255.0.1:5004 (mcast_flood) and scapy's SNMPv2c GetBulk
// under pc's address from evil's MAC (amp_snmp_getbulk).
const (
	loopARPHex = "ffffffffffff3c5282000010080600010800060400013c52820000100a25010a0000000000000a25014d00000000000000000000000000000000"
	hpingBcast = "ffffffffffffb827eb0000660800450000e47f5b00004011e3230a2501420a2501ff09cc008900d059ec"
	hpingMcast = "01005e7f0001b827eb0000660800450004cc2ba1000040114f190a250142efff00010acf138c04b8cdac"
	getBulkHex = "001132000030b827eb000066080045000041000100004011643a0a25010a0a25011e9c4000a1002d1fd0302302010104067075626c6963a51602010002010002013c300b300906052b060102010500"
)

func hexBytes(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hpingFrame is one of hping3's datagrams: head (Ethernet, IP, UDP
// headers) with IP ID id, padded with 'X' to size bytes, as hping3 -d sends.
func hpingFrame(t testing.TB, head string, id uint16, size int) []byte {
	b := append(hexBytes(t, head), make([]byte, size)...)[:size]
	for i := 42; i < size; i++ {
		b[i] = 'X'
	}
	binary.BigEndian.PutUint16(b[18:], id)
	return b
}

// TestSwitchingLoop (review 37a P3, bridge_loop): one ARP request coming
// round a loop 1,500 times in 35 ms is one switching_loop, critical, with
// no culprit and the request's sender as the victim; the same request
// retried once a second for two minutes, and 30 hosts' ARP requests, are not.
func TestSwitchingLoop(t *testing.T) {
	frame := hexBytes(t, loopARPHex)
	t0 := time.Date(2026, 12, 7, 7, 51, 18, 0, time.UTC)
	r := newRig(t, Config{})
	// Another host's broadcast comes round the loop beside it (review 43
	// P2: one frame repeating alone is its sender's flood).
	other := arpFrame(t, layers.ARPRequest, hw("00:50:56:00:01:7c"), "10.37.1.124", nil, "10.37.1.1")
	for i := range 1500 {
		r.feed(t0.Add(time.Duration(i)*23*time.Microsecond), frame)
		if i%2 == 0 {
			r.feed(t0.Add(time.Duration(i)*23*time.Microsecond+time.Microsecond), other)
		}
	}
	got := r.of(inventory.EventSwitchingLoop)
	if len(got) != 1 || got[0].Severity != inventory.SeverityCritical || got[0].MAC != nil || got[0].TargetMAC.String() != "3c:52:82:00:00:10" || got[0].TargetIP.String() != "10.37.1.10" ||
		!strings.Contains(got[0].Summary, "switching loop or broadcast storm: an ARP request for 10.37.1.77 from 10.37.1.10") {
		t.Fatalf("loop: %+v", got)
	}
	if f := r.of(inventory.EventFlood); len(f) != 0 {
		t.Fatalf("a loop's copies are no flood from its victim: %+v", f)
	}
	r = newRig(t, Config{})
	for i := range 120 {
		r.feed(t0.Add(time.Duration(i)*time.Second), frame) // an unanswered ARP request retried
		for h := range 30 {
			r.feed(t0.Add(time.Duration(i)*time.Second+time.Duration(h)*time.Millisecond), arpFrame(t, layers.ARPRequest, hw("00:50:56:00:01:"+hex.EncodeToString([]byte{byte(h)})), fmt.Sprintf("10.37.1.%d", 100+h), nil, "10.37.1.1"))
		}
	}
	if ev := r.of(inventory.EventSwitchingLoop); len(ev) != 0 {
		t.Fatalf("ARP retries: %+v", ev)
	}
}

// igmpJoin is an IGMPv3 report from mac at ip joining group (EXCLUDE {}),
// as Linux sends on a join.
func igmpJoin(t testing.TB, m netHW, ip string, group string) []byte {
	rep := []byte{0x22, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0}
	rep = append(rep, ip4(group).To4()...)
	sum := uint32(0)
	for i := 0; i < len(rep); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(rep[i:]))
	}
	sum = sum&0xffff + sum>>16
	binary.BigEndian.PutUint16(rep[2:], ^uint16(sum+sum>>16))
	return serialize(t, &layers.Ethernet{SrcMAC: m, DstMAC: hw("01:00:5e:00:00:16"), EthernetType: layers.EthernetTypeIPv4},
		&layers.IPv4{Version: 4, TTL: 1, Protocol: layers.IPProtocolIGMP, SrcIP: ip4(ip), DstIP: ip4("224.0.0.22")}, gopacket.Payload(rep))
}

// TestGroupUDPFlood (review 37a P3, bcast_flood, mcast_flood): hping3's
// broadcasts at 7,700 a second are a high flood from its MAC; its
// datagrams to a group nobody joined at 1,300 a second a medium one, at
// 12,000 a high one; the same stream to a group a host joined by IGMP, and
// 30 hosts' NetBIOS and mDNS chatter, are none.
func TestGroupUDPFlood(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 7, 53, 52, 0, time.UTC)
	for _, c := range []struct {
		name  string
		head  string
		size  int
		every time.Duration
		n     int
		join  bool
		want  inventory.Severity
	}{
		{"broadcast flood", hpingBcast, 242, 130 * time.Microsecond, 4000, false, inventory.SeverityHigh},
		{"multicast, nobody joined, 1,300/s", hpingMcast, 1242, 770 * time.Microsecond, 4000, false, inventory.SeverityMedium},
		{"multicast, nobody joined, 12,000/s", hpingMcast, 1242, 83 * time.Microsecond, 8000, false, inventory.SeverityHigh},
		{"multicast, joined, 3,000/s", hpingMcast, 1242, 333 * time.Microsecond, 9000, true, ""},
	} {
		r := newRig(t, Config{})
		if c.join {
			r.feed(t0.Add(-time.Second), igmpJoin(t, pcMAC, "10.37.1.10", "239.255.0.1"))
		}
		for i := range c.n {
			r.feed(t0.Add(time.Duration(i)*c.every), hpingFrame(t, c.head, uint16(i), c.size))
		}
		got := r.of(inventory.EventFlood)
		if c.want == "" {
			if len(got) != 0 {
				t.Errorf("%s: %+v", c.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Severity != c.want || got[0].MAC.String() != "b8:27:eb:00:00:66" {
			t.Errorf("%s: %+v", c.name, got)
		}
	}
	r := newRig(t, Config{})
	for s := range 60 {
		for h := range 30 {
			m := hw(fmt.Sprintf("00:50:56:00:01:%02x", h))
			ip := fmt.Sprintf("10.37.1.%d", 100+h)
			at := t0.Add(time.Duration(s)*time.Second + time.Duration(h)*time.Millisecond)
			r.feed(at, udpFrame(t, m, ip, 137, bcast, "10.37.1.255", 137, []byte(fmt.Sprintf("nbns %d", s))))
			r.feed(at, udpFrame(t, m, ip, 5353, hw("01:00:5e:00:00:fb"), "224.0.0.251", 5353, []byte(fmt.Sprintf("mdns %d", s))))
		}
	}
	if got := r.all(); len(got) != 0 {
		t.Fatalf("office chatter: %+v", got)
	}
}

// TestReflectRequest (review 37a P6, amp_snmp_getbulk): scapy's GetBulk
// to the NAS under pc's address from evil's MAC, ARP binding the address
// to pc's MAC and evil's own address to evil, is one spoofed_source
// medium naming both; pc's own GetBulk, and the gateway's forwarded copy of
// one under pc's address, are not.
func TestReflectRequest(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 7, 48, 33, 0, time.UTC)
	getBulk := hexBytes(t, getBulkHex)
	setup := func() *rig {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.37.1.1")})
		r.feed(t0, arpFrame(t, layers.ARPReply, pcMAC, "10.37.1.10", gwMAC, "10.37.1.1"))
		r.feed(t0, arpFrame(t, layers.ARPReply, evilMAC, "10.37.1.66", gwMAC, "10.37.1.1"))
		r.feed(t0, arpFrame(t, layers.ARPReply, gwMAC, "10.37.1.1", pcMAC, "10.37.1.10"))
		r.feed(t0.Add(time.Millisecond), pingFrame(t, pcMAC, "10.37.1.10", gwMAC, "10.37.1.1", 56))
		r.feed(t0.Add(time.Millisecond), pingFrame(t, evilMAC, "10.37.1.66", gwMAC, "10.37.1.1", 56))
		return r
	}
	r := setup()
	for i := range 100 {
		r.feed(t0.Add(3*time.Second+time.Duration(i)*10*time.Millisecond), getBulk)
	}
	got := r.of(inventory.EventSpoofedSource)
	if len(got) != 1 || got[0].Severity != inventory.SeverityMedium || got[0].MAC.String() != "b8:27:eb:00:00:66" ||
		got[0].TargetMAC.String() != "3c:52:82:00:00:10" || got[0].TargetIP.String() != "10.37.1.10" || got[0].TargetIP.String() != "10.37.1.10" || !strings.Contains(got[0].Summary, "port 161") {
		t.Fatalf("forged GetBulk: %+v", got)
	}
	for _, from := range []netHW{pcMAC, gwMAC} {
		r = setup()
		own := append([]byte(nil), getBulk...)
		copy(own[6:12], from)
		for i := range 100 {
			r.feed(t0.Add(3*time.Second+time.Duration(i)*10*time.Millisecond), own)
		}
		if got := r.of(inventory.EventSpoofedSource); len(got) != 0 {
			t.Fatalf("GetBulk from %s: %+v", from, got)
		}
	}
}

// FuzzNoteJoins reads IGMP and MLD reports of any shape: records claiming
// more sources or auxiliary words than the message holds end the walk, and
// only multicast groups are noted.
func FuzzNoteJoins(f *testing.F) {
	d := capture.NewDecoder()
	f.Add(igmpJoin(f, pcMAC, "10.37.1.10", "239.255.0.1"))
	f.Add([]byte{0x22, 0, 0, 0, 0, 0, 0, 9, 4, 0, 0xff, 0xff, 239, 1, 2, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		var s stormState
		p := d.Decode(capture.Frame{Data: b, Length: len(b)})
		s.noteJoins(p, b, false)
		s.noteJoins(p, b, true)
		for _, g := range s.joined {
			if g.IsValid() && !g.IsMulticast() {
				t.Fatalf("joined %s", g)
			}
		}
	})
}

// TestStormAllocs: a group-addressed frame, a flood's datagram and a
// request to an amplifying service cost no allocation once counted.
func TestStormAllocs(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.37.1.1")})
	t0 := time.Date(2026, 12, 7, 7, 53, 52, 0, time.UTC)
	frames := [][]byte{hexBytes(t, loopARPHex), hpingFrame(t, hpingBcast, 1, 242), hpingFrame(t, hpingMcast, 2, 1242), hexBytes(t, getBulkHex)}
	ps := make([]*capture.Packet, len(frames))
	for i, b := range frames {
		p := *capture.NewDecoder().Decode(capture.Frame{Time: t0, Data: b, Length: len(b)})
		ps[i] = &p
	}
	for _, p := range ps {
		r.e.Packet(p)
	}
	for i, p := range ps {
		src, dst := capture.MAC6(p.Eth.SrcMAC), capture.MAC6(p.Eth.DstMAC)
		if n := testing.AllocsPerRun(200, func() {
			r.e.groupFrame(p, src, dst)
			if p.Has&capture.HasUDP != 0 && ampPort(uint16(p.UDP.DstPort)) {
				r.e.reflectRequest(p, src)
			}
		}); n != 0 {
			t.Errorf("frame %d: %v allocations", i, n)
		}
	}
}
