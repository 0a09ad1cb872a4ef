package capture

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

func corpus(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "shared", "corpus", "pcap", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus capture %s absent: %v", rel, err)
	}
	return p
}

func count(t *testing.T, path string) (n int, has Has, vlans map[uint16]bool, first time.Time) {
	t.Helper()
	src, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	vlans = map[uint16]bool{}
	err = Run(context.Background(), src, func(p *Packet) {
		if n == 0 {
			first = p.Time
		}
		n++
		has |= p.Has
		if p.Has&HasVLAN != 0 {
			vlans[p.VLAN] = true
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := src.Stats().Received; got != uint64(n) {
		t.Errorf("Stats().Received = %d, callbacks %d", got, n)
	}
	return n, has, vlans, first
}

func TestFilesPcapAndPcapng(t *testing.T) {
	for _, tc := range []struct {
		file    string
		packets int
		want    Has
		first   string
	}{
		{"arp/arp-who-has.pcap", 2, HasEthernet | HasARP, "2016-04-27 13:46:54.520906"},
		{"scan/synscan.pcapng", 2011, HasEthernet | HasIPv4 | HasTCP, "2010-07-04 20:24:16.274870"},
		{"discovery/mdns.pcap", 24, HasIPv6 | HasUDP | HasICMPv6 | HasIPv4, "2025-02-04 11:15:58.097949"},
		{"arp/cloudshark-arp.pcap", 6, HasARP | HasICMPv4, "2012-11-11 01:00:20.652165"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			n, has, _, first := count(t, corpus(t, tc.file))
			if n != tc.packets {
				t.Errorf("%d packets, manifest says %d", n, tc.packets)
			}
			if has&tc.want != tc.want {
				t.Errorf("decoded layers %b lack %b", has, tc.want)
			}
			if got := first.UTC().Format("2006-01-02 15:04:05.000000"); got != tc.first {
				t.Errorf("first packet at %s, manifest says %s", got, tc.first)
			}
		})
	}
}

func TestVLAN(t *testing.T) {
	_, has, vlans, _ := count(t, corpus(t, "discovery/netbios.pcap"))
	if has&HasVLAN == 0 || len(vlans) == 0 {
		t.Fatalf("no 802.1Q frames decoded in netbios.pcap (manifest lists vlan)")
	}
	// And a frame we build: VLAN 42 carrying IPv4/UDP.
	frame := buildFrame(t, true)
	p := NewDecoder().Decode(Frame{Data: frame})
	if p.Has&(HasVLAN|HasIPv4|HasUDP) != HasVLAN|HasIPv4|HasUDP || p.VLAN != 42 {
		t.Fatalf("decoded %b vlan %d", p.Has, p.VLAN)
	}
	if got := p.SrcIP().String(); got != "10.0.0.1" {
		t.Errorf("src %s", got)
	}
	if string(p.Payload()) != "hello" {
		t.Errorf("payload %q", p.Payload())
	}
}

func TestMalformedARPDoesNotCrash(t *testing.T) {
	n, _, _, _ := count(t, corpus(t, "arp/arp-leak.pcap"))
	if n != 6 {
		t.Errorf("%d packets, manifest says 6", n)
	}
}

func TestOpenFileErrors(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk")
	os.WriteFile(junk, []byte("this is not a capture at all"), 0o600)
	if _, err := OpenFile(junk); err == nil {
		t.Error("junk file opened")
	}
	if _, err := OpenFile(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing file opened")
	}
	// A pcap of another link type is refused with a clear error.
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	w.WriteFileHeader(65535, layers.LinkTypeRaw)
	raw := filepath.Join(dir, "raw.pcap")
	os.WriteFile(raw, buf.Bytes(), 0o600)
	if _, err := OpenFile(raw); err == nil || !bytes.Contains([]byte(err.Error()), []byte("not Ethernet")) {
		t.Errorf("raw link type: %v", err)
	}
	// A truncated record ends the file cleanly.
	buf.Reset()
	w = pcapgo.NewWriter(&buf)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	frame := buildFrame(t, false)
	w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(frame), Length: len(frame)}, frame)
	b := buf.Bytes()
	b = append(b, b[24:30]...) // half a record header
	cut := filepath.Join(dir, "cut.pcap")
	os.WriteFile(cut, b, 0o600)
	n, _, _, _ := count(t, cut)
	if n != 1 {
		t.Errorf("truncated file gave %d packets, want 1", n)
	}
}

func buildFrame(t testing.TB, vlan bool) []byte {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: []byte{2, 0, 0, 0, 0, 1}, DstMAC: []byte{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: []byte{10, 0, 0, 1}, DstIP: []byte{10, 0, 0, 2}}
	udp := &layers.UDP{SrcPort: 5000, DstPort: 6000}
	udp.SetNetworkLayerForChecksum(ip)
	ls := []gopacket.SerializableLayer{eth, ip, udp, gopacket.Payload("hello")}
	if vlan {
		eth.EthernetType = layers.EthernetTypeDot1Q
		ls = []gopacket.SerializableLayer{eth, &layers.Dot1Q{VLANIdentifier: 42, Type: layers.EthernetTypeIPv4}, ip, udp, gopacket.Payload("hello")}
	}
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkDecode decodes the frames of a real nmap SYN scan (plus a VLAN
// frame) in a loop: it must report 0 allocs/op.
func BenchmarkDecode(b *testing.B) {
	src, err := OpenFile(corpus(b, "synthetic/lab_nmap_syn_scan.pcap"))
	if err != nil {
		b.Fatal(err)
	}
	var frames [][]byte
	for {
		f, err := src.ReadFrame()
		if err != nil {
			break
		}
		frames = append(frames, bytes.Clone(f.Data))
	}
	src.Close()
	frames = append(frames, buildFrame(b, true))
	d := NewDecoder()
	var bytesTotal int
	for _, f := range frames {
		d.Decode(Frame{Data: f}) // warm reused option slices
		bytesTotal += len(f)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var sink uint32
	for i := range b.N {
		p := d.Decode(Frame{Data: frames[i%len(frames)]})
		sink += uint32(p.Has)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
	_ = sink
}

func FuzzDecode(f *testing.F) {
	f.Add(buildFrame(f, true))
	f.Add(buildFrame(f, false))
	arp := make([]byte, 42)
	binary.BigEndian.PutUint16(arp[12:], 0x0806)
	f.Add(arp)
	d := NewDecoder()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := d.Decode(Frame{Data: data})
		_ = p.SrcIP()
		_ = p.DstIP()
		_ = p.Payload()
		if p.Has&HasARP != 0 {
			_ = MAC6(p.ARP.SourceHwAddress)
		}
	})
}

func FuzzParseDHCP(f *testing.F) {
	b := make([]byte, 240, 260)
	b[0], b[1], b[2] = 1, 1, 6
	copy(b[236:], []byte{99, 130, 83, 99})
	f.Add(append(b, 53, 1, 1, 12, 3, 'p', 'c', '1', 12, 2, '-', '2', 255))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, ok := ParseDHCP(b)
		if !ok {
			return
		}
		_ = d.Type()
		_ = d.Option(12)
		if v, found := d.AppendOption(nil, 12); found && len(v) == 0 && d.Option(12) == nil {
			t.Fatal("AppendOption found an option Option did not")
		}
	})
}

func TestParseDHCPOptions(t *testing.T) {
	b := make([]byte, 240)
	b[0], b[1], b[2] = 1, 1, 6
	copy(b[236:], []byte{99, 130, 83, 99})
	good := append(b, 0, 53, 1, 3, 12, 3, 'p', 'c', '1', 12, 2, '-', '2', 255)
	d, ok := ParseDHCP(good)
	if !ok || d.Type() != DHCPRequest || !d.Ethernet {
		t.Fatalf("ok %v type %d", ok, d.Type())
	}
	if v, _ := d.AppendOption(nil, 12); string(v) != "pc1-2" {
		t.Errorf("host name %q, want the two copies joined (RFC 3396)", v)
	}
	if _, ok := ParseDHCP(append(b, 53, 5, 1)); ok {
		t.Error("an option running past the end parsed")
	}
}

// TestRunFileError: Run's loop over a file (frames read in place) stops at
// a record it cannot read with ReadFrame's error, after the frames before it.
func TestRunFileError(t *testing.T) {
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	frame := buildFrame(t, false)
	for range 2 {
		w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(frame), Length: len(frame)}, frame)
	}
	// A third record whose capture length exceeds its wire length.
	hdr := make([]byte, 16)
	binary.LittleEndian.PutUint32(hdr[8:12], 60)
	binary.LittleEndian.PutUint32(hdr[12:16], 59)
	path := filepath.Join(t.TempDir(), "bad.pcap")
	if err := os.WriteFile(path, append(append(buf.Bytes(), hdr...), make([]byte, 60)...), 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var lengths []int
	err = Run(context.Background(), src, func(p *Packet) { lengths = append(lengths, p.Length) })
	if err == nil || !strings.Contains(err.Error(), "capture length exceeds original packet length: 60 > 59") {
		t.Errorf("Run: %v, want the bad record's error", err)
	}
	if len(lengths) != 2 || lengths[0] != len(frame) || lengths[1] != len(frame) || src.Stats().Received != 2 {
		t.Errorf("Run handed out %v (%d received), want two frames of %d", lengths, src.Stats().Received, len(frame))
	}
}

// TestRunFileCancel: a file's Run stops within ctxEvery frames of its
// context's cancellation and reads nothing under a context cancelled
// before it starts.
func TestRunFileCancel(t *testing.T) {
	var buf bytes.Buffer
	w := pcapgo.NewWriter(&buf)
	w.WriteFileHeader(65535, layers.LinkTypeEthernet)
	frame := buildFrame(t, false)
	const frames = 1000
	for range frames {
		w.WritePacket(gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: len(frame), Length: len(frame)}, frame)
	}
	path := filepath.Join(t.TempDir(), "long.pcap")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, cancelAt := range []int{0, 1, 10, 500} {
		src, err := OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		if cancelAt == 0 {
			cancel()
		}
		n := 0
		err = Run(ctx, src, func(*Packet) {
			if n++; n == cancelAt {
				cancel()
			}
		})
		cancel()
		src.Close()
		if err != nil {
			t.Errorf("cancel at %d: Run: %v", cancelAt, err)
		}
		if n < cancelAt || n >= cancelAt+ctxEvery {
			t.Errorf("cancel at frame %d: Run handed out %d frames, want %d to %d", cancelAt, n, cancelAt, cancelAt+ctxEvery-1)
		}
	}
}
