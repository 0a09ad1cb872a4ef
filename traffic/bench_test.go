package traffic

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
)

// mixedFrames is a small office's mix: web and SMB flows, DNS, pings, ARP,
// DHCP, and a scan among them.
func mixedFrames(b testing.TB) [][]byte {
	var fs [][]byte
	for i := range 64 {
		cli := netHW{0x3c, 0x52, 0x82, 0, 1, byte(i)}
		ip := fmt.Sprintf("10.0.1.%d", i+10)
		fs = append(fs,
			tcpFrame(b, cli, ip, uint16(40000+i), gwMAC, "93.184.216.34", 443, tcpFlags{ack: true, psh: true}, make([]byte, 1200)),
			tcpFrame(b, gwMAC, "93.184.216.34", 443, cli, ip, uint16(40000+i), tcpFlags{ack: true}, make([]byte, 1400)),
			tcpFrame(b, cli, ip, uint16(41000+i), nasMAC, "10.0.0.30", 445, tcpFlags{ack: true, psh: true}, []byte("\x00\x00\x00\x40\xfeSMB")),
			udpFrame(b, cli, ip, uint16(50000+i), gwMAC, "10.0.0.1", 53, make([]byte, 40)),
			udpFrame(b, gwMAC, "10.0.0.1", 53, cli, ip, uint16(50000+i), make([]byte, 120)),
			pingFrame(b, cli, ip, gwMAC, "10.0.0.1", 56),
			arpFrame(b, layers.ARPRequest, cli, ip, nil, "10.0.0.1"),
			tcpFrame(b, evilMAC, "10.0.0.66", 40000, cli, ip, uint16(i+1), tcpFlags{syn: true}, nil),
		)
	}
	fs = append(fs, dhcpReply(b, gwMAC, "10.0.0.1", pcMAC, "10.0.0.5", "10.0.0.1", 5))
	return fs
}

// BenchmarkDecodeAndDetect is one packet through decode and every detector:
// the per-packet cost the 1M packets/s target is about; allocs/op is 0 in
// steady state (new hosts and events allocate, repeats do not).
func BenchmarkDecodeAndDetect(b *testing.B) {
	frames := mixedFrames(b)
	d := capture.NewDecoder()
	e := New(Config{Learning: time.Minute}, nil)
	at := t0
	for _, f := range frames {
		e.Packet(d.Decode(capture.Frame{Time: at, Data: f, Length: len(f)}))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		f := frames[i%len(frames)]
		at = at.Add(time.Microsecond)
		e.Packet(d.Decode(capture.Frame{Time: at, Data: f, Length: len(f)}))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// BenchmarkDecodeAndDetectCorpus is BenchmarkDecodeAndDetect over every
// frame of the pcap corpus (attacks, scans, floods and office traffic), in
// a loop: the cost on real frames rather than a generated mix.
func BenchmarkDecodeAndDetectCorpus(b *testing.B) {
	dir := corpusDir(b)
	var frames [][]byte
	filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() || !(strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".pcapng") || strings.HasSuffix(p, ".cap")) {
			return err
		}
		src, err := capture.OpenFile(p)
		if err != nil {
			return nil
		}
		defer src.Close()
		for {
			f, err := src.ReadFrame()
			if err != nil {
				return nil
			}
			frames = append(frames, bytes.Clone(f.Data))
		}
	})
	d := capture.NewDecoder()
	e := New(Config{}, nil)
	at := t0
	for _, f := range frames {
		at = at.Add(time.Microsecond)
		e.Packet(d.Decode(capture.Frame{Time: at, Data: f, Length: len(f)}))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		f := frames[i%len(frames)]
		at = at.Add(time.Microsecond)
		e.Packet(d.Decode(capture.Frame{Time: at, Data: f, Length: len(f)}))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
}

// namedFrames is mixedFrames with real names on the wire: every client's
// DNS question and the first flight of its HTTPS session carry a name, one
// in eight a hygiene product's, the rest ordinary browsing.
func namedFrames(b testing.TB) [][]byte {
	fs := mixedFrames(b)
	browsing := []string{"www.bbc.co.uk", "mail.google.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "www.wikipedia.org", "news.ycombinator.com", "login.example.com"}
	for i := range 64 {
		cli := netHW{0x3c, 0x52, 0x82, 0, 1, byte(i)}
		ip := fmt.Sprintf("10.0.1.%d", i+10)
		name := browsing[i%len(browsing)]
		if i%8 == 0 {
			name = "eu.wdcp.microsoft.com"
		}
		fs = append(fs,
			udpFrame(b, cli, ip, uint16(51000+i), gwMAC, "10.0.0.1", 53, dnsMessage(b, name, false)),
			udpFrame(b, gwMAC, "10.0.0.1", 53, cli, ip, uint16(51000+i), dnsMessage(b, name, true)),
			tcpFrame(b, cli, ip, uint16(42000+i), gwMAC, "93.184.216.34", 443, tcpFlags{ack: true, psh: true}, clientHello(b, name)),
		)
	}
	return fs
}

// BenchmarkDecodeAndDetectNames is BenchmarkDecodeAndDetect over
// namedFrames with the hygiene tracker off and on: what decoding DNS
// questions and TLS server names adds per packet (issue 23: at most 10 %).
func BenchmarkDecodeAndDetectNames(b *testing.B) {
	cat, err := OpenHygieneCatalog()
	if err != nil {
		b.Fatal(err)
	}
	frames := namedFrames(b)
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("names=%v", on), func(b *testing.B) {
			cfg := Config{Learning: time.Minute}
			if on {
				cfg.Hygiene = NewHygieneTracker(cat, 0)
			}
			d := capture.NewDecoder()
			e := New(cfg, nil)
			at := t0
			for _, f := range frames {
				e.Packet(d.Decode(capture.Frame{Time: at, Data: f, Length: len(f)}))
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				f := frames[i%len(frames)]
				at = at.Add(time.Microsecond)
				e.Packet(d.Decode(capture.Frame{Time: at, Data: f, Length: len(f)}))
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pkts/s")
		})
	}
}
