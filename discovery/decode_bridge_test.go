package discovery

import (
	"encoding/binary"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tend/inventory"
)

// llcFrame is an IEEE 802.3 frame from src to dst carrying payload after
// the length field.
func llcFrame(dst, src []byte, payload []byte) []byte {
	b := append(append(slices.Clone(dst), src...), 0, 0)
	binary.BigEndian.PutUint16(b[12:], uint16(len(payload)))
	return append(b, payload...)
}

func TestBridgeProtocols(t *testing.T) {
	src := []byte{0x00, 0x19, 0x06, 0xea, 0xb8, 0x85}
	stpDst := []byte{0x01, 0x80, 0xc2, 0, 0, 0}
	ciscoDst := []byte{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc}
	snap := func(pid uint16) []byte { return []byte{0xaa, 0xaa, 0x03, 0, 0, 0x0c, byte(pid >> 8), byte(pid), 0, 0} }
	for _, tc := range []struct {
		name  string
		frame []byte
		want  []string // capabilities; nil: no observation from this decoder
	}{
		{"802.1D BPDU", llcFrame(stpDst, src, append([]byte{0x42, 0x42, 0x03}, make([]byte, 35)...)), []string{"stp"}},
		{"PVST+", llcFrame([]byte{0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcd}, src, snap(0x010b)), []string{"pvst"}},
		{"DTP", llcFrame(ciscoDst, src, snap(0x2004)), []string{"dtp"}},
		{"VTP", llcFrame(ciscoDst, src, snap(0x2003)), []string{"vtp"}},
		{"other SNAP", llcFrame(ciscoDst, src, snap(0x2222)), nil},
		{"NetBIOS LLC", llcFrame(stpDst, src, []byte{0xf0, 0xf0, 0x03, 0}), nil},
		{"truncated LLC", llcFrame(stpDst, src, []byte{0x42}), nil},
		{"from a multicast source", llcFrame(stpDst, []byte{0x01, 0, 0, 0, 0, 1}, []byte{0x42, 0x42, 0x03, 0}), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, o := range NewPassive(PassiveConfig{HeardEvery: -1}).Frame(time.Unix(1764000000, 0), tc.frame) {
				got = append(got, o.Capabilities...)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("capabilities (-want +got):\n%s", diff)
			}
		})
	}
}

// ipv4Frame is a minimal Ethernet + IPv4 (TCP, no options) frame.
func ipv4Frame(src []byte, from, to [4]byte) []byte {
	b := append([]byte{0x02, 0, 0, 0, 0, 9}, src...)
	b = append(b, 0x08, 0x00, 0x45, 0, 0, 40, 0, 1, 0, 0, 57, 6, 0, 0)
	b = append(append(b, from[:]...), to[:]...)
	return append(b, make([]byte, 20)...)
}

func TestForwarderFromSourceAddresses(t *testing.T) {
	router := []byte{0x00, 0x13, 0x7f, 0x4f, 0x8e, 0xf2}
	host := []byte{0x00, 0x24, 0x7e, 0xe0, 0x1d, 0xb5}
	p := NewPassive(PassiveConfig{HeardEvery: -1})
	ts := time.Unix(1764000000, 0)
	forwarders := func(frames ...[]byte) (n int, detail string) {
		for _, f := range frames {
			for _, o := range p.Frame(ts, f) {
				if slices.Contains(o.Capabilities, capForwarder) {
					n++
					if o.IP.IsValid() {
						t.Errorf("forwarder observation claims address %s", o.IP)
					}
					detail = o.Evidence[0].Detail
				}
			}
		}
		return n, detail
	}
	// A host talking to many servers from its one address, and from a
	// link-local address now and then, is no router.
	var frames [][]byte
	for i := range 10 {
		frames = append(frames, ipv4Frame(host, [4]byte{10, 0, 0, 5}, [4]byte{93, 184, 216, byte(i)}))
	}
	frames = append(frames, ipv4Frame(host, [4]byte{169, 254, 1, 1}, [4]byte{10, 0, 0, 1}), ipv4Frame(host, [4]byte{10, 0, 0, 6}, [4]byte{10, 0, 0, 1}))
	if n, _ := forwarders(frames...); n != 0 {
		t.Errorf("a host with two addresses became a forwarder")
	}
	// A router delivers the internet's packets under its own MAC: once.
	n, detail := forwarders(
		ipv4Frame(router, [4]byte{208, 80, 152, 2}, [4]byte{10, 0, 0, 5}),
		ipv4Frame(router, [4]byte{208, 80, 152, 2}, [4]byte{10, 0, 0, 5}),
		ipv4Frame(router, [4]byte{208, 80, 152, 3}, [4]byte{10, 0, 0, 5}),
		ipv4Frame(router, [4]byte{91, 198, 174, 192}, [4]byte{10, 0, 0, 5}),
		ipv4Frame(router, [4]byte{91, 198, 174, 193}, [4]byte{10, 0, 0, 5}),
	)
	if n != 1 || detail != "IPv4 frames from 3 or more source addresses (208.80.152.2, 208.80.152.3, 91.198.174.192)" {
		t.Errorf("router: %d forwarder observations (%q), want one", n, detail)
	}
}

// TestForwarderTableStartsAfresh: past maxHeard MACs the forwarding table
// starts again, and so does its cache: a MAC's sources from before count no
// more (a stale cached entry would make its third address a forwarder).
func TestForwarderTableStartsAfresh(t *testing.T) {
	p := NewPassive(PassiveConfig{HeardEvery: -1})
	ts := time.Unix(1764000000, 0)
	router := []byte{0x00, 0x13, 0x7f, 0x4f, 0x8e, 0xf2}
	forwarder := func(f []byte) bool {
		return slices.ContainsFunc(p.Frame(ts, f), func(o inventory.Observation) bool { return slices.Contains(o.Capabilities, capForwarder) })
	}
	for _, a := range [][4]byte{{208, 80, 152, 2}, {208, 80, 152, 3}} {
		if forwarder(ipv4Frame(router, a, [4]byte{10, 0, 0, 5})) {
			t.Fatal("a forwarder after two source addresses")
		}
	}
	// Hosts that miss the router's cache slot, so that only the restart
	// can take its entry out of the cache.
	for i, n := 0, 0; n < maxHeard; i++ {
		host := []byte{0x02, 0x11, byte(i >> 16), byte(i >> 8), byte(i), 0x01}
		if p.fwdSlotOf(macKey(host)) == p.fwdSlotOf(macKey(router)) {
			continue
		}
		n++
		if forwarder(ipv4Frame(host, [4]byte{10, 1, byte(i >> 8), byte(i)}, [4]byte{10, 0, 0, 1})) {
			t.Fatal("a host with one address became a forwarder")
		}
	}
	if forwarder(ipv4Frame(router, [4]byte{91, 198, 174, 192}, [4]byte{10, 0, 0, 5})) {
		t.Error("the router's sources from before the table started again still counted")
	}
	if forwarder(ipv4Frame(router, [4]byte{91, 198, 174, 193}, [4]byte{10, 0, 0, 5})) {
		t.Error("a forwarder after two source addresses since the table started again")
	}
	if !forwarder(ipv4Frame(router, [4]byte{91, 198, 174, 194}, [4]byte{10, 0, 0, 5})) {
		t.Error("no forwarder after three source addresses since the table started again")
	}
}

// TestLinkLocal4AndUnicastMAC: the per-frame tests written as word loads
// answer as the methods and the byte-by-byte test they replace.
func TestLinkLocal4AndUnicastMAC(t *testing.T) {
	for _, s := range []string{"169.254.0.1", "169.254.255.255", "169.253.1.1", "168.254.1.1", "170.254.0.1", "10.0.0.1", "0.0.0.0", "255.255.255.255"} {
		a := netip.MustParseAddr(s)
		if got, want := linkLocal4(a), a.IsLinkLocalUnicast(); got != want {
			t.Errorf("linkLocal4(%v) = %v, IsLinkLocalUnicast %v", a, got, want)
		}
	}
	bytewise := func(m net.HardwareAddr) bool {
		return len(m) == 6 && m[0]&1 == 0 && m[0]|m[1]|m[2]|m[3]|m[4]|m[5] != 0
	}
	macs := []net.HardwareAddr{nil, {}, {1, 2, 3}, {0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 1}, {0, 0, 0, 0, 1, 0},
		{0, 0, 0, 1, 0, 0}, {2, 0, 0, 0, 0, 0}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, {0x3c, 0x52, 0x82, 0, 1, 2}, {0x01, 0x00, 0x5e, 0, 0, 1},
		{0, 0, 0, 0, 0, 0, 0, 1}, {0x33, 0x33, 0, 0, 0, 1}}
	for _, m := range macs {
		if got, want := unicastMAC(m), bytewise(m); got != want {
			t.Errorf("unicastMAC(%v) = %v, want %v", m, got, want)
		}
	}
}
