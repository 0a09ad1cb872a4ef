// Command mixcap writes a pcap of an office LAN's traffic mix for
// benchmarks: web and file-share flows, DNS, mDNS, ARP, pings, DHCP, some
// 802.1Q-tagged frames and one nmap-style SYN scan, in time order.
//
//	go run ./traffic/internal/mixcap -n 400000 -o mixed.pcap
//
// With -names the DNS questions and answers carry real names and one in
// fifteen of the clients' HTTPS segments is a TLS ClientHello with a server
// name (ordinary browsing, one name in eight a hygiene product's), and
// one in fifteen is HTTP/3 instead: a QUIC Initial with such a name, or
// three QUIC short-header packets, for measuring what decoding names
// costs; the mix is otherwise the same.
//
// With -corpus DIR it writes instead every capture under DIR (the shared pcap
// corpus: attacks and office traffic alike) one after the other, again and
// again until n packets, each pass's timestamps moved on past the last.
package main

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"tend/capture"
)

func main() {
	n := flag.Int("n", 400000, "packets to write")
	out := flag.String("o", "mixed.pcap", "output file")
	corpus := flag.String("corpus", "", "write the captures under this directory instead of a generated mix")
	names := flag.Bool("names", false, "real names in DNS and TLS ClientHellos")
	flag.Parse()
	do := func() error { return write(*out, *n, *names) }
	if *corpus != "" {
		do = func() error { return writeCorpus(*out, *corpus, *n) }
	}
	if err := do(); err != nil {
		fmt.Fprintln(os.Stderr, "mixcap:", err)
		os.Exit(1)
	}
}

type host struct {
	mac net.HardwareAddr
	ip  net.IP
}

// mixNames are the names a -names mix looks up: browsing, and one in
// eight a protection, update, backup or remote-access service's.
var mixNames = []string{"www.bbc.co.uk", "mail.google.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "eu.wdcp.microsoft.com",
	"www.wikipedia.org", "news.ycombinator.com", "login.microsoftonline.com", "www.amazon.de", "fe2.update.microsoft.com",
	"outlook.office365.com", "teams.microsoft.com", "github.com", "www.youtube.com", "ts01-b.cloudsink.net", "slack.com"}

// dnsQuestion is a DNS message with one A question for name; response
// sets QR (the answer section is left empty: the decoders skip answers).
func dnsQuestion(id uint16, name string, response bool) []byte {
	b := []byte{byte(id >> 8), byte(id), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0}
	if response {
		b[2] |= 0x80
	}
	for _, l := range strings.Split(name, ".") {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0, 0, 1, 0, 1)
}

// quicInitial is a client's QUIC v1 Initial packet (RFC 9001 5: AES-128-GCM
// with keys from its Destination Connection ID, header protection)
// carrying hello's handshake message in a CRYPTO frame, padded to 1200
// bytes as clients do.
func quicInitial(dcid, hello []byte) []byte {
	expand := func(secret []byte, label string, n int) []byte {
		full := "tls13 " + label
		info := append([]byte{byte(n >> 8), byte(n), byte(len(full))}, full...)
		b, _ := hkdf.Expand(sha256.New, secret, string(append(info, 0)), n)
		return b
	}
	initial, _ := hkdf.Extract(sha256.New, dcid, []byte{0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a})
	client := expand(initial, "client in", 32)
	key, iv, hp := expand(client, "quic key", 16), expand(client, "quic iv", 12), expand(client, "quic hp", 16)
	msg := hello[5:] // without the TLS record header
	frames := append([]byte{0x06, 0, 0x40 | byte(len(msg)>>8), byte(len(msg))}, msg...)
	hdr := append([]byte{0xc0, 0, 0, 0, 1, byte(len(dcid))}, dcid...)
	hdr = append(hdr, 0, 0) // no SCID, no token
	frames = append(frames, make([]byte, max(0, 1200-len(hdr)-2-1-len(frames)-16))...)
	length := 1 + len(frames) + 16
	hdr = append(hdr, 0x40|byte(length>>8), byte(length), 0) // packet number 0, one byte
	block, _ := aes.NewCipher(key)
	aead, _ := cipher.NewGCM(block)
	pkt := aead.Seal(hdr, iv, frames, hdr) // nonce: iv XOR packet number 0
	hpb, _ := aes.NewCipher(hp)
	var mask [16]byte
	pn := len(hdr) - 1
	hpb.Encrypt(mask[:], pkt[pn+4:pn+20])
	pkt[0] ^= mask[0] & 0x0f
	pkt[pn] ^= mask[1]
	return pkt
}

// clientHello is a minimal TLS 1.3 ClientHello naming name.
func clientHello(name string) []byte {
	sni := append([]byte{0, byte(len(name) + 3), 0, byte(len(name) >> 8), byte(len(name))}, name...)
	ext := append([]byte{0, 0, byte(len(sni) >> 8), byte(len(sni))}, sni...)
	body := append([]byte{3, 3}, make([]byte, 32)...)
	body = append(body, 0, 0, 2, 0x13, 0x01, 1, 0)
	body = append(body, byte(len(ext)>>8), byte(len(ext)))
	body = append(body, ext...)
	hs := append([]byte{1, 0, byte(len(body) >> 8), byte(len(body))}, body...)
	return append([]byte{22, 3, 1, byte(len(hs) >> 8), byte(len(hs))}, hs...)
}

func write(path string, n int, names bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := pcapgo.NewWriter(bw)
	if err := w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(1, 2))
	mk := func(i int) host {
		return host{net.HardwareAddr{0x3c, 0x52, 0x82, 0, byte(i >> 8), byte(i)}, net.IPv4(10, 1, byte(i>>8), byte(i)).To4()}
	}
	gw := host{net.HardwareAddr{0x00, 0x1a, 0xa1, 0, 0, 1}, net.IPv4(10, 1, 0, 1).To4()}
	nas := host{net.HardwareAddr{0x00, 0x11, 0x32, 0, 0, 0x30}, net.IPv4(10, 1, 0, 30).To4()}
	scanner := mk(66)
	var ws []host
	for i := 10; i < 90; i++ {
		ws = append(ws, mk(i))
	}
	internet := []net.IP{{93, 184, 216, 34}, {142, 250, 74, 46}, {151, 101, 1, 69}, {104, 16, 132, 229}}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	big, small := make([]byte, 1400), make([]byte, 60)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	scanPort := 1
	for i := range n {
		at = at.Add(time.Duration(200+r.IntN(1600)) * time.Microsecond)
		c := ws[r.IntN(len(ws))]
		eth := &layers.Ethernet{EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Id: uint16(i)}
		var ls []gopacket.SerializableLayer
		tcp := func(src, dst host, srcIP, dstIP net.IP, sp, dp uint16, flags string, payload []byte) {
			eth.SrcMAC, eth.DstMAC = src.mac, dst.mac
			ip.SrcIP, ip.DstIP, ip.Protocol = srcIP, dstIP, layers.IPProtocolTCP
			t := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: uint32(i), Ack: 1, Window: 512}
			for _, f := range flags {
				switch f {
				case 'S':
					t.SYN = true
				case 'A':
					t.ACK = true
				case 'P':
					t.PSH = true
				}
			}
			t.SetNetworkLayerForChecksum(ip)
			ls = []gopacket.SerializableLayer{eth, ip, t, gopacket.Payload(payload)}
		}
		udp := func(src, dst host, dstMAC net.HardwareAddr, srcIP, dstIP net.IP, sp, dp uint16, payload []byte) {
			eth.SrcMAC, eth.DstMAC = src.mac, dstMAC
			ip.SrcIP, ip.DstIP, ip.Protocol = srcIP, dstIP, layers.IPProtocolUDP
			u := &layers.UDP{SrcPort: layers.UDPPort(sp), DstPort: layers.UDPPort(dp)}
			u.SetNetworkLayerForChecksum(ip)
			ls = []gopacket.SerializableLayer{eth, ip, u, gopacket.Payload(payload)}
		}
		switch k := r.IntN(100); {
		case k < 30: // download from the internet
			tcp(gw, c, internet[r.IntN(len(internet))], c.ip, 443, uint16(40000+r.IntN(20000)), "AP", big)
		case names && k == 43: // HTTP/3: one new connection's Initial in four packets
			var p []byte
			if r.IntN(4) == 0 {
				dcid := binary.BigEndian.AppendUint64(nil, r.Uint64())
				p = quicInitial(dcid, clientHello(mixNames[i%len(mixNames)]))
			} else {
				p = append([]byte{0x40 | byte(r.IntN(64))}, big[:200]...)
			}
			udp(c, gw, gw.mac, c.ip, internet[r.IntN(len(internet))], uint16(40000+r.IntN(20000)), 443, p)
		case k < 45: // its ACKs (with -names, one in fifteen a ClientHello)
			var hello []byte
			if names && k == 44 {
				hello = clientHello(mixNames[i%len(mixNames)])
			}
			tcp(c, gw, c.ip, internet[r.IntN(len(internet))], uint16(40000+r.IntN(20000)), 443, "A", hello)
		case k < 60: // SMB2 to the NAS
			tcp(c, nas, c.ip, nas.ip, uint16(40000+r.IntN(20000)), 445, "AP", append([]byte("\x00\x00\x00\x40\xfeSMB"), small...))
		case k < 68:
			tcp(nas, c, nas.ip, c.ip, 445, uint16(40000+r.IntN(20000)), "AP", big)
		case k < 76: // DNS query and answer
			q, a := small[:30], small
			if names {
				q, a = dnsQuestion(uint16(i), mixNames[i%len(mixNames)], false), dnsQuestion(uint16(i), mixNames[i%len(mixNames)], true)
			}
			if k%2 == 0 {
				udp(c, gw, gw.mac, c.ip, gw.ip, uint16(30000+r.IntN(30000)), 53, q)
			} else {
				udp(gw, c, c.mac, gw.ip, c.ip, 53, uint16(30000+r.IntN(30000)), a)
			}
		case k < 80: // mDNS
			udp(c, c, net.HardwareAddr{1, 0, 0x5e, 0, 0, 0xfb}, c.ip, net.IPv4(224, 0, 0, 251).To4(), 5353, 5353, small)
		case k < 85: // ARP
			eth.SrcMAC, eth.DstMAC, eth.EthernetType = c.mac, layers.EthernetBroadcast, layers.EthernetTypeARP
			ls = []gopacket.SerializableLayer{eth, &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
				HwAddressSize: 6, ProtAddressSize: 4, Operation: layers.ARPRequest, SourceHwAddress: c.mac, SourceProtAddress: c.ip,
				DstHwAddress: make([]byte, 6), DstProtAddress: gw.ip}}
		case k < 90: // ping
			eth.SrcMAC, eth.DstMAC = c.mac, gw.mac
			ip.SrcIP, ip.DstIP, ip.Protocol = c.ip, gw.ip, layers.IPProtocolICMPv4
			ls = []gopacket.SerializableLayer{eth, ip, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(8, 0), Id: 1, Seq: uint16(i)}, gopacket.Payload(small[:56])}
		case k < 95: // tagged frames on VLAN 20
			eth.SrcMAC, eth.DstMAC, eth.EthernetType = c.mac, gw.mac, layers.EthernetTypeDot1Q
			ip.SrcIP, ip.DstIP, ip.Protocol = c.ip, gw.ip, layers.IPProtocolUDP
			u := &layers.UDP{SrcPort: 5004, DstPort: 5004}
			u.SetNetworkLayerForChecksum(ip)
			ls = []gopacket.SerializableLayer{eth, &layers.Dot1Q{VLANIdentifier: 20, Type: layers.EthernetTypeIPv4}, ip, u, gopacket.Payload(small[:40])}
		default: // the scan
			tcp(scanner, nas, scanner.ip, nas.ip, 50000, uint16(scanPort), "S", nil)
			scanPort = scanPort%1024 + 1
		}
		if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
			return err
		}
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: at, CaptureLength: len(buf.Bytes()), Length: len(buf.Bytes())}, buf.Bytes()); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// writeCorpus concatenates the corpus's captures, in path order, to n
// packets; the frames keep their relative timing within a capture, and
// captures follow each other a millisecond apart.
// maxGap is the longest gap between two packets of one capture in the
// corpus mix.
const maxGap = time.Hour

func writeCorpus(path, dir string, n int) error {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".pcapng") || strings.HasSuffix(p, ".cap")) {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no captures under %s", dir)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := pcapgo.NewWriter(bw)
	if err := w.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
		return err
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	written := 0
	for written < n {
		for _, name := range files {
			src, err := capture.OpenFile(name)
			if err != nil {
				continue // a link type other than Ethernet
			}
			var prev time.Time
			ts := at
			for written < n {
				fr, err := src.ReadFrame()
				if err != nil {
					break
				}
				// Gaps as recorded, but none longer than maxGap: some captures
				// span decades (a stray packet of 2000 among 2023's), and
				// three passes of those would carry the mix past the years
				// tcpdump can print, which then skips formatting the time.
				if !prev.IsZero() {
					ts = ts.Add(min(max(fr.Time.Sub(prev), 0), maxGap))
				}
				prev = fr.Time
				if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(fr.Data), Length: max(fr.Length, len(fr.Data))}, fr.Data); err != nil {
					src.Close()
					return err
				}
				written++
			}
			src.Close()
			at = ts.Add(time.Millisecond)
		}
	}
	return bw.Flush()
}
