package capture

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/internal/raceflag"
)

// pair is the decoder under test and the reference: gopacket for every frame.
type pair struct{ fast, ref *Decoder }

func newPair() pair {
	ref := NewDecoder()
	ref.slow = true
	return pair{NewDecoder(), ref}
}

// check decodes data with both and describes where the Packets differ,
// or returns "".
func (dp pair) check(data []byte) string {
	f := Frame{Time: time.Unix(1, 2), Data: data, Length: len(data) + 3}
	want, got := *dp.ref.Decode(f), *dp.fast.Decode(f)
	// TCP's options are checked, not kept, by the fast path (fastdecode.go).
	want.TCP.Options, want.TCP.Padding, got.TCP.Options, got.TCP.Padding = nil, nil, nil, nil
	return diffPacket(&want, &got)
}

// diffPacket compares every exported field of two Packets, decoded layers
// and stale ones alike: byte slices must be the same bytes of the frame
// with the same capacity (consumers reslice up to it), other slices and
// pointers equal element by element, errors equal as messages.
func diffPacket(want, got *Packet) string {
	var d []string
	if (want.Err == nil) != (got.Err == nil) || want.Err != nil && want.Err.Error() != got.Err.Error() {
		d = append(d, fmt.Sprintf("Err: %v, want %v", got.Err, want.Err))
	}
	if want.SrcIP() != got.SrcIP() || want.DstIP() != got.DstIP() {
		d = append(d, fmt.Sprintf("addresses %v>%v, want %v>%v", got.SrcIP(), got.DstIP(), want.SrcIP(), want.DstIP()))
	}
	w, g := reflect.ValueOf(want).Elem(), reflect.ValueOf(got).Elem()
	var at path
	for i := range w.NumField() {
		f := w.Type().Field(i)
		if f.IsExported() && f.Name != "Err" {
			at = append(at[:0], step{name: f.Name, index: -1})
			diffValue(&d, &at, w.Field(i), g.Field(i))
		}
	}
	return strings.Join(d, "; ")
}

// path is where diffValue is in a Packet, written out only for a
// difference (formatting it at every field made the corpus comparison
// spend most of its time building strings).
type (
	path []step
	step struct {
		name  string
		index int // -1: a field
	}
)

func (p path) String() string {
	var b strings.Builder
	for i, s := range p {
		switch {
		case s.index >= 0:
			fmt.Fprintf(&b, "[%d]", s.index)
		case i > 0:
			b.WriteString("." + s.name)
		default:
			b.WriteString(s.name)
		}
	}
	return b.String()
}

var timeType = reflect.TypeOf(time.Time{})

func diffValue(d *[]string, at *path, w, g reflect.Value) {
	switch {
	case w.Type() == timeType:
		if !w.Interface().(time.Time).Equal(g.Interface().(time.Time)) {
			*d = append(*d, at.String())
		}
	case w.Kind() == reflect.Slice && w.Type().Elem().Kind() == reflect.Uint8:
		if w.Pointer() != g.Pointer() || w.Len() != g.Len() || w.Cap() != g.Cap() {
			*d = append(*d, fmt.Sprintf("%s: %p len %d cap %d, want %p len %d cap %d", at, g.Interface(), g.Len(), g.Cap(), w.Interface(), w.Len(), w.Cap()))
		}
	case w.Kind() == reflect.Slice:
		if w.IsNil() != g.IsNil() || w.Len() != g.Len() {
			*d = append(*d, fmt.Sprintf("%s: len %d nil %v, want len %d nil %v", at, g.Len(), g.IsNil(), w.Len(), w.IsNil()))
			return
		}
		for i := range w.Len() {
			*at = append(*at, step{index: i})
			diffValue(d, at, w.Index(i), g.Index(i))
			*at = (*at)[:len(*at)-1]
		}
	case w.Kind() == reflect.Pointer:
		if w.IsNil() != g.IsNil() {
			*d = append(*d, at.String()+": nil-ness")
		} else if !w.IsNil() {
			diffValue(d, at, w.Elem(), g.Elem())
		}
	case w.Kind() == reflect.Struct:
		t := w.Type()
		for i := range w.NumField() {
			if f := t.Field(i); f.IsExported() {
				*at = append(*at, step{name: f.Name, index: -1})
				diffValue(d, at, w.Field(i), g.Field(i))
				*at = (*at)[:len(*at)-1]
			}
		}
	case w.Kind() == reflect.Interface:
		if !w.IsNil() || !g.IsNil() {
			*d = append(*d, at.String()+": an interface set")
		}
	default:
		if !w.Equal(g) {
			*d = append(*d, fmt.Sprintf("%s: %v, want %v", at, g, w))
		}
	}
}

// corpusFrames reads every frame of every capture in the corpus.
func corpusFrames(t testing.TB) [][]byte {
	root := filepath.Dir(corpus(t, "arp"))
	var frames [][]byte
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.Contains(e.Name(), ".pcap") {
			return err
		}
		src, err := OpenFile(path)
		if err != nil {
			return nil // not an Ethernet capture
		}
		defer src.Close()
		for {
			f, err := src.ReadFrame()
			if err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			frames = append(frames, bytes.Clone(f.Data))
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return frames
}

// TestFastDecodeSame decodes every corpus frame, every prefix of the first
// bytes of each (truncated captures) and each with its header bytes
// changed, by hand and by gopacket, in one stream, so stale layers left by
// earlier frames are compared too. And most frames must take the fast path.
func TestFastDecodeSame(t *testing.T) {
	if raceflag.On {
		t.Skip("every corpus frame and its variants in one goroutine: runs without -race (make test-future)")
	}
	frames := corpusFrames(t)
	dp, probe := newPair(), NewDecoder()
	fast, fails := 0, 0
	report := func(data []byte, format string, args ...any) {
		if diff := dp.check(data); diff != "" && fails < 10 {
			fails++
			t.Errorf("%s % x: %s", fmt.Sprintf(format, args...), data[:min(len(data), 80)], diff)
		}
	}
	for i, f := range frames {
		report(f, "frame %d", i)
		probe.Decode(Frame{Data: f}) // the options slice gopacket sets up
		if probe.fast(f) {
			fast++
		}
		if i%89 != 0 {
			continue
		}
		for n := range min(len(f), 96) {
			report(f[:n], "frame %d cut at %d", i, n)
		}
		for _, at := range []int{4, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 23, 24, 26, 27, 34, 35, 38, 39, 46, 47, 54} {
			if at < len(f) {
				for _, v := range []byte{0, 1, 0x45, 0x50, 0x81, 0xff} {
					g := bytes.Clone(f)
					g[at] = v
					report(g, "frame %d byte %d = %#x", i, at, v)
				}
			}
		}
	}
	t.Logf("%d corpus frames, %d (%.1f%%) decoded by the fast path", len(frames), fast, 100*float64(fast)/float64(len(frames)))
	if len(frames) > 1000 && fast < len(frames)*8/10 {
		t.Errorf("only %d of %d frames took the fast path", fast, len(frames))
	}
}

// inParser reports whether the parser has a decoder for lt.
func inParser(lt gopacket.LayerType) bool {
	switch lt {
	case layers.LayerTypeEthernet, layers.LayerTypeDot1Q, layers.LayerTypeARP, layers.LayerTypeIPv4, layers.LayerTypeIPv6,
		layers.LayerTypeTCP, layers.LayerTypeUDP, layers.LayerTypeICMPv4, layers.LayerTypeICMPv6:
		return true
	}
	return false
}

// TestFastDecodeEveryType decodes frames of every EtherType and of every IP
// protocol over IPv4 and IPv6 both ways: the fast path's switches must
// agree with gopacket's tables. The layers that follow TCP, UDP and ICMP
// (named by port or type) must all be ones the parser stops at.
func TestFastDecodeEveryType(t *testing.T) {
	if raceflag.On {
		t.Skip("every EtherType and IP protocol decoded in one goroutine: runs without -race (make test-future)")
	}
	dp := newPair()
	body := bytes.Repeat([]byte{0x45, 0, 0, 0x40, 0x60, 0, 0, 8, 6, 4, 0, 1}, 10)
	for et := range 1 << 16 {
		f := append([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, byte(et >> 8), byte(et)}, body...)
		if diff := dp.check(f); diff != "" {
			t.Fatalf("EtherType %#04x: %s", et, diff)
		}
	}
	tcp := []byte{0, 80, 0x30, 0x39, 0, 0, 0, 1, 0, 0, 0, 0, 0x60, 0x12, 0xff, 0xff, 0, 0, 0, 0, 2, 4, 5, 0xb4, 0, 0, 0, 0}
	for proto := range 256 {
		v4 := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 8, 0, 0x45, 0, 0, 48, 0, 1, 0x40, 0, 64, byte(proto), 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}
		v6 := append([]byte{0x33, 0x33, 0, 0, 0, 1, 2, 0, 0, 0, 0, 1, 0x86, 0xdd, 0x60, 0, 0, 0, 0, 28, byte(proto), 255}, make([]byte, 32)...)
		for _, f := range [][]byte{append(v4, tcp...), append(v6, tcp...)} {
			for range 2 { // the second time with TCP's options slice set up
				if diff := dp.check(f); diff != "" {
					t.Fatalf("IP protocol %d: % x: %s", proto, f, diff)
				}
			}
		}
	}
	for port := range 1 << 16 {
		if inParser(layers.TCPPort(port).LayerType()) || inParser(layers.UDPPort(port).LayerType()) {
			t.Errorf("port %d names a layer the parser decodes: the fast path stops after TCP and UDP", port)
		}
	}
	for typ := range 256 {
		c := layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(uint8(typ), 0), BaseLayer: layers.BaseLayer{Payload: make([]byte, 24)}}
		if inParser(c.NextLayerType()) {
			t.Errorf("ICMPv6 type %d names a layer the parser decodes", typ)
		}
	}
}

// fuzzSeeds adds hand-built frames of each kind the fast path decodes.
func fuzzSeeds(f *testing.F) {
	f.Add(buildFrame(f, true))
	f.Add(buildFrame(f, false))
	arp := make([]byte, 60)
	binary.BigEndian.PutUint16(arp[12:], 0x0806)
	copy(arp[14:], []byte{0, 1, 8, 0, 6, 4, 0, 1})
	f.Add(arp)
	f.Add(synFrame())
	ns := append([]byte{0x33, 0x33, 0xff, 0, 0, 1, 2, 0, 0, 0, 0, 1, 0x86, 0xdd, 0x60, 0, 0, 0, 0, 32, 58, 255}, make([]byte, 32)...)
	f.Add(append(ns, 135, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 0, 0, 0, 0, 1))
}

// synFrame is a TCP SYN with an MSS option behind QinQ tags.
func synFrame() []byte {
	return []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x88, 0xa8, 0, 10, 0x81, 0, 0, 20, 0x08, 0,
		0x45, 0, 0, 44, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x30, 0x39, 0, 22, 0, 0, 0, 1, 0, 0, 0, 0, 0x60, 0x02, 0xff, 0xff, 0, 0, 0, 0, 2, 4, 5, 0xb4}
}

// FuzzFastDecodeSame holds the hand-written decoder to gopacket's on any
// bytes: a warm-up TCP frame, the input, then the input cut in half, in
// one stream.
func FuzzFastDecodeSame(f *testing.F) {
	fuzzSeeds(f)
	warm := synFrame()
	f.Fuzz(func(t *testing.T, data []byte) {
		dp := newPair()
		for i, b := range [][]byte{warm, data, data[:len(data)/2]} {
			if diff := dp.check(b); diff != "" {
				t.Fatalf("frame %d: %s", i, diff)
			}
		}
	})
}
