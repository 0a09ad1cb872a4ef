package traffic

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// A query of review 37a's water_torture_slow (dnsperf on evil, 10.37.1.66,
// asking the gateway's dnsmasq for a fresh random label under victim.lan)
// and the gateway's NXDOMAIN answer.
const (
	wtQuery38  = "001aa1000001b827eb000066080045000045f26e4000401131ad0a2501420a250101c71e0035003116cf0000010000010000000000000c6e6c717966717865396d616e0676696374696d036c616e0000010001"
	wtAnswer38 = "b827eb000066001aa100000108004500008300d240004011230c0a2501010a2501420035c71e006f170d0000850300010000000100000c6e6c717966717865396d616e0676696374696d036c616e0000010001036c616e000006000100000258002f026777036c616e000a686f73746d6173746572026777036c616e006b1664b9000004b0000000b40012750000000258"
)

// wtPair is the recorded query and answer with the label's 12 bytes set
// to label and the answer's RCODE to rc.
func wtPair(t *testing.T, label string, rc byte) (q, a []byte) {
	q, a = hexBytes(t, wtQuery38), hexBytes(t, wtAnswer38)
	copy(q[14+28+13:], label)
	copy(a[14+28+13:], label)
	a[14+28+3] = a[14+28+3]&^0x0f | rc
	return q, a
}

// TestDNSWaterQuestion reads the stems dnsWaterQuestion counts, and the
// names it leaves out: reverse names, blocklists' addresses and domains,
// digests, underscore labels and names under a one-label stem.
func TestDNSWaterQuestion(t *testing.T) {
	q, _ := wtPair(t, "nlqyfqxe9man", 0)
	msg := q[14+28:]
	stem, end, ok := dnsWaterQuestion(msg)
	if !ok || wireName(msg[stem:end]) != "victim.lan" {
		t.Fatalf("recorded query: stem %q ok %v, want victim.lan", wireName(msg[stem:end]), ok)
	}
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"x8f2kq.www.victim.example", true},
		{"17.8.88.10.in-addr.arpa", false},
		{"2.0.0.127.zen.example.org", false},
		{"shop1.com.dbl.example.org", false},
		{"d41d8cd98f00b204e9800998ecf8427e.avqs.example.net", false},
		{"_dmarc.victim.example", false},
		{"abcdefghij.lan", false},
		{"victim.lan", false},
	} {
		m := dnsQuestionMsg(tc.name)
		if _, _, ok := dnsWaterQuestion(m); ok != tc.want {
			t.Errorf("%s: counted %v, want %v", tc.name, ok, tc.want)
		}
	}
}

// dnsQuestionMsg is a standard query for name's A record.
func dnsQuestionMsg(name string) []byte {
	b := []byte{0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0}
	for _, l := range strings.Split(name, ".") {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0, 0, 1, 0, 1)
}

// TestWaterTortureSlow feeds the recorded query and answer at 100 a second
// for 8 s, each a fresh label (a random-subdomain flood far below a
// flood's rates): one Medium flood naming the stem, the resolver and the
// sender. The same names answered NOERROR (a CDN's hashed hosts), or one
// name asked again and again, raise nothing.
func TestWaterTortureSlow(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 7, 50, 22, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		rc    byte
		fresh bool
		want  bool
	}{{"NXDOMAIN, fresh", 3, true, true}, {"NOERROR, fresh", 0, true, false}, {"NXDOMAIN, one name", 3, false, false}} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: netip.MustParseAddr("10.37.1.1")})
			for i := range 800 {
				label := "nlqyfqxe9man"
				if tc.fresh {
					label = fmt.Sprintf("k%011d", i*7919)
				}
				q, a := wtPair(t, label, tc.rc)
				at := t0.Add(time.Duration(i) * 10 * time.Millisecond)
				r.feed(at, q)
				r.feed(at.Add(time.Millisecond), a)
			}
			got := r.of(inventory.EventFlood)
			if !tc.want {
				if len(got) != 0 {
					t.Fatalf("raised %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Severity != inventory.SeverityMedium || got[0].MAC.String() != "b8:27:eb:00:00:66" || got[0].TargetIP.String() != "10.37.1.1" ||
				!strings.Contains(got[0].Summary, "under victim.lan") || !strings.Contains(got[0].Evidence[1].Detail, "10.37.1.66 (b8:27:eb:00:00:66) ") {
				t.Fatalf("got %+v, want one Medium random-subdomain flood by evil under victim.lan at 10.37.1.1", got)
			}
		})
	}
}

// TestWaterAllocs: a DNS query and its answer cost no allocation once the
// counts exist.
func TestWaterAllocs(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.37.1.1")})
	q, a := wtPair(t, "nlqyfqxe9man", 3)
	t0 := time.Date(2026, 12, 7, 7, 50, 22, 0, time.UTC)
	pq := *capture.NewDecoder().Decode(capture.Frame{Time: t0, Data: q, Length: len(q)})
	pa := *capture.NewDecoder().Decode(capture.Frame{Time: t0, Data: a, Length: len(a)})
	r.e.Packet(&pq)
	r.e.Packet(&pa)
	src := capture.MAC6(pq.Eth.SrcMAC)
	if n := testing.AllocsPerRun(200, func() {
		r.e.waterQuery(&pq, src)
		r.e.waterAnswer(&pa)
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// FuzzDNSWaterQuestion: any bytes read as a question stay in bounds.
func FuzzDNSWaterQuestion(f *testing.F) {
	b, _ := hex.DecodeString(wtQuery38)
	f.Add(b[14+28:])
	f.Add(dnsQuestionMsg("17.8.88.10.in-addr.arpa"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		if stem, end, ok := dnsWaterQuestion(msg); ok {
			_ = wireName(msg[stem:end])
			_, _ = dnsWaterKey(msg, stem, end, netip.MustParseAddr("10.0.0.1"))
		}
	})
}
