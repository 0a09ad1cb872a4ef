package discovery

import (
	"slices"
	"testing"
)

// TestDNSRecords reads a compressed mDNS answer and refuses the messages
// dnsmessage (the reader it replaces) refused: a pointer loop, a label
// holding a dot, a reserved label type, a TXT string past its record.
func TestDNSRecords(t *testing.T) {
	msg := []byte{0, 0, 0x84, 0, 0, 0, 0, 3, 0, 0, 0, 0,
		5, 'h', 'o', 's', 't', '1', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 10, 0, 0, 7, // A
		4, '_', 'i', 'p', 'p', 4, '_', 't', 'c', 'p', 0xc0, 18, 0, 12, 0, 1, 0, 0, 0, 120, 0, 2, 0xc0, 12, // PTR -> host1.local.
		0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 120, 0, 7, 3, 'a', '=', 'b', 2, 'c', 'd'} // TXT
	rs, err := dnsRecords(msg)
	if err != nil || len(rs) != 3 {
		t.Fatalf("dnsRecords = %v, %v", rs, err)
	}
	if a, ok := rs[0].addr(); !ok || a.String() != "10.0.0.7" || rs[0].name != "host1.local." {
		t.Errorf("A = %q %v %v", rs[0].name, a, ok)
	}
	if rs[1].name != "_ipp._tcp.local." || rs[1].ptr != "host1.local." {
		t.Errorf("PTR = %q -> %q", rs[1].name, rs[1].ptr)
	}
	if !slices.Equal(rs[2].txt, []string{"a=b", "cd"}) {
		t.Errorf("TXT = %q", rs[2].txt)
	}
	for name, bad := range map[string][]byte{
		"pointer loop":  {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1},
		"dot in label":  {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'a', '.', 'b', 0, 0, 1, 0, 1},
		"reserved type": {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 1, 0, 1},
		"txt past end":  append(slices.Clone(msg[:len(msg)-9]), 0, 3, 5, 'a', 'b'),
		"short header":  msg[:11],
	} {
		if _, err := dnsRecords(bad); err == nil {
			t.Errorf("%s: read", name)
		}
	}
}
