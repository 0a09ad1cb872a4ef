package traffic

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// TestLabelTemplate: an inventory's names share a template and differ in
// a counter; random labels are each their own template.
func TestLabelTemplate(t *testing.T) {
	a, n1, ok1 := labelTemplate([]byte("PC0001"))
	b, n2, ok2 := labelTemplate([]byte("pc0400"))
	if !ok1 || !ok2 || a != b || n1 != 1 || n2 != 400 {
		t.Errorf("pc0001, pc0400: %x %d %v, %x %d %v; want one template, 1 and 400", a, n1, ok1, b, n2, ok2)
	}
	c, _, _ := labelTemplate([]byte("x8f2k"))
	d, _, _ := labelTemplate([]byte("q91az"))
	if c == d {
		t.Error("x8f2k and q91az read as one template")
	}
	for _, l := range []string{"www", "a1234567890123456789"} {
		if _, _, ok := labelTemplate([]byte(l)); ok {
			t.Errorf("%s read as a template with a number", l)
		}
	}
}

// TestWaterInventory feeds the recorded water-torture query and answer
// with labels of one template: a dense counter (pc0000000001 on, an
// inventory's list) raises nothing; the same template with numbers spread
// wide (random numbers, 7919 apart here) is a flood.
func TestWaterInventory(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 7, 50, 22, 0, time.UTC)
	for _, step := range []int{1, 7919} {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.37.1.1")})
		for i := range 800 {
			q, a := wtPair(t, fmt.Sprintf("pc%010d", 1+i*step), 3)
			at := t0.Add(time.Duration(i) * 10 * time.Millisecond)
			r.feed(at, q)
			r.feed(at.Add(time.Millisecond), a)
		}
		if got := r.of(inventory.EventFlood); len(got) != b2i(step > 1) {
			t.Errorf("numbers %d apart: %d floods, want %d", step, len(got), b2i(step > 1))
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestWaterSearchReasked replays the staged search-list fixture (ndots:5,
// search corp.lab: NAME.vercel.app.corp.lab NXDOMAIN, then NAME.vercel.app
// answered): nothing; without the PC's queries re-asked without the
// suffix, the expansions alone are a flood under vercel.app.corp.lab, so
// the re-asked names are what tells them.
func TestWaterSearchReasked(t *testing.T) {
	for _, drop := range []bool{false, true} {
		src, err := capture.OpenFile(filepath.Join("testdata", "staged", "benign-dns-search-ndots5-getent.pcap.gz"))
		if err != nil {
			t.Fatal(err)
		}
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.88.8.1")})
		err = capture.Run(context.Background(), src, func(p *capture.Packet) {
			if drop && p.Has&capture.HasUDP != 0 && p.UDP.DstPort == 53 && bytes.HasSuffix(p.UDP.Payload, []byte("\x03app\x00\x00\x01\x00\x01")) {
				return
			}
			r.e.Packet(p)
		})
		src.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := r.of(inventory.EventFlood)
		if drop != (len(got) == 1) || drop && got[0].MAC.String() != "3c:52:82:00:00:10" {
			t.Errorf("re-asked names dropped %v: %+v", drop, got)
		}
	}
}
