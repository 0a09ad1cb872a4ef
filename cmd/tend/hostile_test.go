package main

import (
	"encoding/binary"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"tend/discovery"
	"tend/identity"
	"tend/inventory"
	"tend/traffic"
)

// hostileCapture writes a pcap file of frames, for replaying attacks through
// the real pipeline (passive decoders, then the store's fold).
type hostileCapture struct {
	t   *testing.T
	w   *pcapgo.Writer
	at  time.Time
	buf gopacket.SerializeBuffer
}

func newHostileCapture(t *testing.T, path string, start time.Time) (*hostileCapture, func()) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	return &hostileCapture{t: t, w: w, at: start, buf: gopacket.NewSerializeBuffer()}, func() {
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

func (c *hostileCapture) write(after time.Duration, frame []byte) {
	c.t.Helper()
	c.at = c.at.Add(after)
	if err := c.w.WritePacket(gopacket.CaptureInfo{Timestamp: c.at, CaptureLength: len(frame), Length: len(frame)}, frame); err != nil {
		c.t.Fatal(err)
	}
}

// arp writes a gratuitous ARP announcement from mac for ip.
func (c *hostileCapture) arp(after time.Duration, mac net.HardwareAddr, ip net.IP) {
	c.t.Helper()
	eth := &layers.Ethernet{SrcMAC: mac, DstMAC: layers.EthernetBroadcast, EthernetType: layers.EthernetTypeARP}
	a := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
		Operation: layers.ARPRequest, SourceHwAddress: mac, SourceProtAddress: ip.To4(), DstHwAddress: make([]byte, 6), DstProtAddress: ip.To4()}
	if err := gopacket.SerializeLayers(c.buf, gopacket.SerializeOptions{FixLengths: true}, eth, a); err != nil {
		c.t.Fatal(err)
	}
	c.write(after, append([]byte(nil), c.buf.Bytes()...))
}

// lldp writes an LLDP frame from src whose chassis ID is the MAC chassis
// and whose system name is name (IEEE 802.1AB TLVs: chassis ID subtype 4,
// port ID subtype 3, TTL, system name, end).
func (c *hostileCapture) lldp(after time.Duration, src, chassis net.HardwareAddr, name string) {
	c.t.Helper()
	tlv := func(typ int, v []byte) []byte {
		h := make([]byte, 2)
		binary.BigEndian.PutUint16(h, uint16(typ<<9|len(v)))
		return append(h, v...)
	}
	frame := append([]byte{0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e}, src...)
	frame = append(frame, 0x88, 0xcc)
	frame = append(frame, tlv(1, append([]byte{4}, chassis...))...)
	frame = append(frame, tlv(2, append([]byte{3}, src...))...)
	frame = append(frame, tlv(3, []byte{0, 120})...)
	frame = append(frame, tlv(5, []byte(name))...)
	frame = append(frame, tlv(0, nil)...)
	c.write(after, frame)
}

func replayHostile(t *testing.T, path string) *traffic.ReplayResult {
	t.Helper()
	res, err := replay(t.Context(), []string{path}, traffic.Config{}, discovery.NewPassive(discovery.PassiveConfig{}).AppendPacket)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func deviceByMAC(devs []inventory.Device, mac net.HardwareAddr) (inventory.Device, bool) {
	for _, d := range devs {
		if d.MAC.String() == mac.String() {
			return d, true
		}
	}
	return inventory.Device{}, false
}

// TestSpoofedLLDPLeavesDevicesIntact: a host that has been on the LAN a while
// sends one LLDP frame whose chassis ID is the printer's MAC. Replayed through
// the passive decoders and the store's fold, the printer stays itself (its
// MAC, its name, no foreign MACs) and the claim is only a merge suggestion.
func TestSpoofedLLDPLeavesDevicesIntact(t *testing.T) {
	printer, _ := net.ParseMAC("00:80:77:00:00:20")
	attacker, _ := net.ParseMAC("b8:27:eb:00:00:66")
	path := filepath.Join(t.TempDir(), "spoof.pcap")
	c, done := newHostileCapture(t, path, time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	for range 10 {
		c.arp(10*time.Second, printer, net.IPv4(10, 0, 0, 20))
		c.arp(time.Second, attacker, net.IPv4(10, 0, 0, 66))
	}
	c.lldp(time.Second, attacker, printer, "evil-sw")
	for range 3 {
		c.arp(10*time.Second, printer, net.IPv4(10, 0, 0, 20))
		c.arp(time.Second, attacker, net.IPv4(10, 0, 0, 66))
	}
	done()
	res := replayHostile(t, path)
	p, ok := deviceByMAC(res.Devices, printer)
	if !ok {
		t.Fatalf("the printer disappeared: %+v", res.Devices)
	}
	if p.Hostname == "evil-sw" || len(p.OtherMACs) != 0 || p.IP.String() != "10.0.0.20" {
		t.Errorf("the printer was taken over: host %q other MACs %v ip %s", p.Hostname, p.OtherMACs, p.IP)
	}
	a, ok := deviceByMAC(res.Devices, attacker)
	if !ok {
		t.Fatalf("the sender is no device of its own: %+v", res.Devices)
	}
	if len(a.MergeSuggestions) != 1 || a.MergeSuggestions[0].MAC.String() != printer.String() {
		t.Errorf("the sender's claim: suggestions %+v, want one naming the printer", a.MergeSuggestions)
	}
	if len(res.Devices) != 2 {
		t.Errorf("%d devices, want 2", len(res.Devices))
	}
}

// TestARPFloodBounded: 20,000 ARP announcements from forged MACs within a
// minute, between sightings of the real gateway and printer, replayed
// through the real fold, leave those two intact and create at most a burst
// of passive devices.
func TestARPFloodBounded(t *testing.T) {
	gw, _ := net.ParseMAC("00:1b:54:00:00:01")
	printer, _ := net.ParseMAC("00:80:77:00:00:20")
	path := filepath.Join(t.TempDir(), "flood.pcap")
	c, done := newHostileCapture(t, path, time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	c.arp(time.Second, gw, net.IPv4(10, 0, 0, 1))
	c.arp(time.Second, printer, net.IPv4(10, 0, 0, 20))
	const flood = 20000
	for i := range flood {
		m := net.HardwareAddr{0x00, 0x16, 0x3e, byte(i >> 16), byte(i >> 8), byte(i)}
		c.arp(2*time.Millisecond, m, net.IPv4(10, 1, byte(i>>8), byte(i)))
	}
	floodEnd := c.at
	c.arp(time.Second, gw, net.IPv4(10, 0, 0, 1))
	c.arp(time.Second, printer, net.IPv4(10, 0, 0, 20))
	done()
	res := replayHostile(t, path)
	for _, m := range []net.HardwareAddr{gw, printer} {
		d, ok := deviceByMAC(res.Devices, m)
		if !ok || len(d.OtherMACs) != 0 || !d.LastSeen.After(floodEnd) {
			t.Errorf("real device %s after the flood: present %v, %+v", m, ok, d)
		}
	}
	// The burst plus the flood's 40 seconds at the passive rate, and the two.
	bound := identity.DefaultBurst + identity.DefaultPassivePerMinute + 2
	if n := len(res.Devices); n > bound {
		t.Errorf("%d devices after a %d-MAC flood, want at most %d", n, flood, bound)
	}
	t.Logf("%d devices after a %d-MAC flood (bound %d)", len(res.Devices), flood, bound)
}
