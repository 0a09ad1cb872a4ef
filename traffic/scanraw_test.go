package traffic

import (
	"encoding/binary"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// sctpFrame is an SCTP packet holding one chunk of type chunk (RFC 9260
// 3.1: a 12-byte common header, then type, flags, length).
func sctpFrame(t testing.TB, srcMAC net.HardwareAddr, srcIP string, sport uint16, dstMAC net.HardwareAddr, dstIP string, dport uint16, chunk byte) []byte {
	b := make([]byte, 32)
	binary.BigEndian.PutUint16(b, sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	binary.BigEndian.PutUint32(b[4:], 0x1234)
	b[12] = chunk
	binary.BigEndian.PutUint16(b[14:], 20)
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolSCTP, SrcIP: ip4(srcIP), DstIP: ip4(dstIP)}
	return serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip, gopacket.Payload(b))
}

// fragments splits a TCP segment into IPv4 fragments of size bytes of
// payload each (a multiple of 8), as nmap -f (8) and --mtu do.
func fragments(t testing.TB, srcMAC net.HardwareAddr, srcIP string, sport uint16, dstMAC net.HardwareAddr, dstIP string, dport uint16, f tcpFlags, id uint16, size int) [][]byte {
	seg := tcpFrame(t, srcMAC, srcIP, sport, dstMAC, dstIP, dport, f, nil)[14+20:]
	var out [][]byte
	for off := 0; off < len(seg); off += size {
		end := min(off+size, len(seg))
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, Id: id, FragOffset: uint16(off / 8), SrcIP: ip4(srcIP), DstIP: ip4(dstIP)}
		if end < len(seg) {
			ip.Flags = layers.IPv4MoreFragments
		}
		out = append(out, serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip, gopacket.Payload(seg[off:end])))
	}
	return out
}

// TestSCTPScan: nmap -sY's INITs count as SYNs do; ports that answer
// INIT ACK are services the client uses; ABORTs are refusals for the
// slow-scan count.
func TestSCTPScan(t *testing.T) {
	scanner, target := "10.0.0.66", "10.0.0.30"
	for _, tc := range []struct {
		name  string
		gap   time.Duration
		reply byte // the target's answer to each INIT, or 0 for none
		want  string
	}{
		{"init scan", time.Millisecond, 0, "SCTP INIT"},
		{"answered by abort", time.Millisecond, sctpAbort, "SCTP INIT"},
		{"slow, refused by abort", 15 * time.Second, sctpAbort, "slow"},
		{"associations to open ports", time.Millisecond, sctpInitAck, ""},
		{"slow, no answer", 15 * time.Second, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range 30 {
				at, port := t0.Add(time.Duration(i)*tc.gap), uint16(1000+37*i)
				r.feed(at, sctpFrame(t, evilMAC, scanner, 40000, nasMAC, target, port, sctpInit))
				if tc.reply != 0 {
					r.feed(at.Add(time.Millisecond), sctpFrame(t, nasMAC, target, port, evilMAC, scanner, 40000, tc.reply))
				}
			}
			if tc.want == "" {
				if evs := r.of(inventory.EventPortScan); len(evs) != 0 {
					t.Fatalf("port_scan raised: %+v", evs)
				}
				return
			}
			ev := wantOne(t, r, inventory.EventPortScan, evilMAC.String(), scanner)
			all := ev.Summary
			for _, e := range ev.Evidence {
				all += "\n" + e.Detail
			}
			if ev.TargetIP.String() != target || !strings.Contains(all, tc.want) {
				t.Errorf("port_scan %+v, want %q in it", ev, tc.want)
			}
		})
	}
}

// TestFragmentedScan: SYNs split into tiny fragments (nmap -f, --mtu 16)
// count as whole SYNs, fragments of other probes interleaved or not; a
// lone middle fragment or a client's fragmented data segments do not.
func TestFragmentedScan(t *testing.T) {
	scanner, target := "10.0.0.66", "10.0.0.30"
	syn := tcpFlags{syn: true}
	for _, tc := range []struct {
		name  string
		size  int
		f     tcpFlags
		order func(fr [][]byte) [][]byte
		want  bool
	}{
		{"8-byte fragments", 8, syn, nil, true},
		{"16-byte fragments", 16, syn, nil, true},
		{"last fragment first", 8, syn, func(fr [][]byte) [][]byte { return append([][]byte{fr[len(fr)-1]}, fr[:len(fr)-1]...) }, true},
		{"fin scan in fragments", 8, tcpFlags{fin: true}, nil, true},
		{"no first fragment", 8, syn, func(fr [][]byte) [][]byte { return fr[1:] }, false},
		{"data segments", 8, tcpFlags{ack: true, psh: true}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range 30 {
				at := t0.Add(time.Duration(i) * time.Millisecond)
				fr := fragments(t, evilMAC, scanner, 40000, nasMAC, target, uint16(1000+37*i), tc.f, uint16(7000+i), tc.size)
				// Another probe's first fragment between: slots are per datagram.
				other := fragments(t, evilMAC, scanner, 40001, nasMAC, "10.0.0.31", 80, syn, uint16(9000+i), 8)[0]
				if tc.order != nil {
					fr = tc.order(fr)
				}
				for j, b := range fr {
					r.feed(at, b)
					if j == 0 {
						r.feed(at, other)
					}
				}
			}
			evs := r.of(inventory.EventPortScan)
			if !tc.want {
				if len(evs) != 0 {
					t.Fatalf("port_scan raised: %+v", evs)
				}
				return
			}
			ev := wantOne(t, r, inventory.EventPortScan, evilMAC.String(), scanner)
			if ev.TargetIP.String() != target {
				t.Errorf("port_scan %+v", ev)
			}
		})
	}
}

// TestFragmentSlotsDropOld: a second fragment long after its first (a
// slot reused or stale) does not complete a probe.
func TestFragmentSlotsDropOld(t *testing.T) {
	r := newRig(t, Config{})
	for i := range 30 {
		fr := fragments(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", uint16(1000+i), tcpFlags{syn: true}, uint16(7000+i), 8)
		r.feed(t0, fr[0])
		r.feed(t0.Add(2*time.Minute), fr[1])
	}
	if evs := r.of(inventory.EventPortScan); len(evs) != 0 {
		t.Fatalf("port_scan raised: %+v", evs)
	}
}

// fragments6 splits a transport segment (TCP or SCTP) into IPv6 fragments
// of size bytes each behind a fragment header (RFC 8200 4.5), as scapy's
// fragment6 and thc's fragrouter6 do.
func fragments6(t testing.TB, srcMAC net.HardwareAddr, srcIP string, dstMAC net.HardwareAddr, dstIP string, proto layers.IPProtocol, seg []byte, id uint32, size int) [][]byte {
	var out [][]byte
	for off := 0; off < len(seg); off += size {
		end := min(off+size, len(seg))
		h := make([]byte, 8, 8+end-off)
		h[0] = byte(proto)
		binary.BigEndian.PutUint16(h[2:], uint16(off))
		if end < len(seg) {
			h[3] |= 1 // more fragments
		}
		binary.BigEndian.PutUint32(h[4:], id)
		ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolIPv6Fragment,
			SrcIP: net.IP(netip.MustParseAddr(srcIP).AsSlice()), DstIP: net.IP(netip.MustParseAddr(dstIP).AsSlice())}
		out = append(out, serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv6}, ip, gopacket.Payload(append(h, seg[off:end]...))))
	}
	return out
}

// sctpFragments splits an SCTP packet into IPv4 fragments of size bytes.
func sctpFragments(t testing.TB, srcMAC net.HardwareAddr, srcIP string, dstMAC net.HardwareAddr, dstIP string, dport uint16, id uint16, size int) [][]byte {
	seg := sctpFrame(t, srcMAC, srcIP, 40000, dstMAC, dstIP, dport, sctpInit)[14+20:]
	var out [][]byte
	for off := 0; off < len(seg); off += size {
		end := min(off+size, len(seg))
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolSCTP, Id: id, FragOffset: uint16(off / 8), SrcIP: ip4(srcIP), DstIP: ip4(dstIP)}
		if end < len(seg) {
			ip.Flags = layers.IPv4MoreFragments
		}
		out = append(out, serialize(t, &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}, ip, gopacket.Payload(seg[off:end])))
	}
	return out
}

// TestFragmentedScanIPv6AndSCTP: SYNs and SCTP INITs in 8-byte IPv6
// fragments, and INITs in IPv4 fragments, count as whole probes; a
// client's fragmented IPv6 data segments do not.
func TestFragmentedScanIPv6AndSCTP(t *testing.T) {
	scanner6, target6 := "fd00::66", "fd00::30"
	tcpSeg := func(port uint16, f tcpFlags) []byte {
		return tcpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", port, f, nil)[14+20:]
	}
	sctpSeg := func(port uint16) []byte {
		return sctpFrame(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", port, sctpInit)[14+20:]
	}
	for _, tc := range []struct {
		name   string
		frames func(i int) [][]byte
		target string
	}{
		{"IPv6 SYN", func(i int) [][]byte {
			return fragments6(t, evilMAC, scanner6, nasMAC, target6, layers.IPProtocolTCP, tcpSeg(uint16(1000+37*i), tcpFlags{syn: true}), uint32(7000+i), 8)
		}, target6},
		{"IPv6 SCTP INIT", func(i int) [][]byte {
			return fragments6(t, evilMAC, scanner6, nasMAC, target6, layers.IPProtocolSCTP, sctpSeg(uint16(1000+37*i)), uint32(7000+i), 8)
		}, target6},
		{"IPv4 SCTP INIT", func(i int) [][]byte {
			return sctpFragments(t, evilMAC, "10.0.0.66", nasMAC, "10.0.0.30", uint16(1000+37*i), uint16(7000+i), 8)
		}, "10.0.0.30"},
		{"IPv6 data segments", func(i int) [][]byte {
			return fragments6(t, evilMAC, scanner6, nasMAC, target6, layers.IPProtocolTCP, tcpSeg(uint16(1000+37*i), tcpFlags{ack: true, psh: true}), uint32(7000+i), 8)
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range 30 {
				for _, b := range tc.frames(i) {
					r.feed(t0.Add(time.Duration(i)*time.Millisecond), b)
				}
			}
			evs := r.of(inventory.EventPortScan)
			if tc.target == "" {
				if len(evs) != 0 {
					t.Fatalf("port_scan raised: %+v", evs)
				}
				return
			}
			ev := wantOne(t, r, inventory.EventPortScan, evilMAC.String(), "")
			if ev.TargetIP.String() != tc.target {
				t.Errorf("port_scan %+v", ev)
			}
		})
	}
}

// A capture cut to the headers (tcpdump -s 42, a packet broker's slicing)
// keeps no payload: a DNS server's answers to one busy client on 40 ports
// are still answers, not an empty-datagram scan from port 53.
func TestUDPHeaderOnlyCaptureIsNoScan(t *testing.T) {
	dns, client := hw("00:1a:a1:00:00:35"), hw("00:1a:a1:00:00:99")
	r := newRig(t, Config{})
	for i := range 40 {
		f := udpFrame(t, dns, "10.0.0.53", 53, client, "10.0.0.99", uint16(40000+i), make([]byte, 120))
		r.feed(t0.Add(time.Duration(i)*100*time.Millisecond), f[:42])
	}
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("DNS answers in a header-only capture raised %s", evs[0].Summary)
	}
}
