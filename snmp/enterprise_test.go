package snmp

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestEnterpriseLookup(t *testing.T) {
	for _, c := range []struct {
		oid  string
		num  int
		name string
	}{
		{"1.3.6.1.4.1.9.1.634", 9, "Cisco"}, // tend's name over IANA's "ciscoSystems"
		{".1.3.6.1.4.1.311.1.1.3.1.2", 311, "Microsoft"},
		{"1.3.6.1.4.1.2636.1.1.1.2.29", 2636, "Juniper"},
		{"1.3.6.1.4.1.12356.101.1.1", 12356, "Fortinet"},
		{"1.3.6.1.4.1.41112.1.4", 41112, "Ubiquiti"},
		{"1.3.6.1.4.1.6574.1", 6574, "Synology"},
		{"1.3.6.1.4.1.318.1.3.27", 318, "APC"},
		{"1.3.6.1.4.1.8072.3.2.10", 8072, "Net-SNMP"},
		{"1.3.6.1.4.1.1004849.2", 1004849, "Dahua"}, // only in tend's names
		// Only in the registry: IANA's name as it stands.
		{"1.3.6.1.4.1.3.1", 3, "Carnegie Mellon"},
		{"1.3.6.1.4.1.1240.1", 1240, "Silex Technology America, Inc."},
		{"1.3.6.1.4.1.9230", 9230, "#B4mad Research Lab Organization"},
		// Unknown: unassigned, reserved, beyond 32 bits, not enterprises.
		{"1.3.6.1.4.1.99999999.1", 99999999, ""},
		{"1.3.6.1.4.1.2187.1", 2187, ""},
		{"1.3.6.1.4.1.4294967296.1", 4294967296, ""},
		{"1.3.6.1.4.1.-5.1", 0, ""},
		{"1.3.6.1.2.1.1", 0, ""},
		{"", 0, ""},
	} {
		num, name := enterprise(c.oid)
		if num != c.num || name != c.name {
			t.Errorf("enterprise(%q) = %d, %q; want %d, %q", c.oid, num, name, c.num, c.name)
		}
	}
}

func TestEnterpriseRegistry(t *testing.T) {
	r := enterpriseRegistry()
	if n := len(r.nums); n < 60000 || n != len(r.names) {
		t.Fatalf("registry: %d numbers, %d names; want the whole registry (over 60000)", n, len(r.names))
	}
	if !slices.IsSorted(r.nums) {
		t.Error("registry numbers not sorted")
	}
	for i, name := range r.names {
		if name == "" || name == "Reserved" {
			t.Errorf("number %d: name %q", r.nums[i], name)
		}
	}
	// The short names cover makers the registry lists under their own
	// name; each of them (but Dahua's, which is not a PEN) is registered.
	for n := range enterpriseNames() {
		if r.lookup(n) == "" && n != 1004849 {
			t.Errorf("tend names enterprise %d, which the registry does not list", n)
		}
	}
}

// enterpriseSuccessors are the short names that share no word with the
// organisation IANA registered the number to, each for a reason: the
// maker bought the holder or the product line (Compaq → HPE, SynOptics
// and Rapid City → Nortel, NetScreen → Juniper, Xylan → Alcatel-Lucent,
// Merlin Gerin → Eaton, CacheFlow → Blue Coat, World Wide Packets → Ciena,
// Symbol → Zebra, Sun → Oracle, Blade Network → IBM, ACCTON's OEM MIB in
// Hirschmann's switches, Banyan → Allied Telesis, Network Appliance →
// NetApp, Aruba under HPE's number, Broadcom's FASTPATH in Ubiquiti's
// EdgeSwitch, Frogfoot → Ubiquiti, Fokus's bsnmpd in pfSense, AKCP registered as KCP,
// Xerox under NSFNET's early number), or an abbreviation (HP, APC).
var enterpriseSuccessors = map[int]bool{11: true, 25: true, 42: true, 45: true, 130: true, 232: true, 259: true, 318: true,
	388: true, 705: true, 789: true, 800: true, 2272: true, 3224: true, 3417: true, 3854: true, 4413: true, 6141: true,
	10002: true, 12325: true, 26543: true, 47196: true}

// TestEnterpriseNamesOwner holds each of tend's short names to the
// registry's owner of its number: a short name shares a word with it or
// is a listed successor. A name written from memory against the wrong
// number showed ALAXALA's switches (21839) as VMware's, AVTECH's Room
// Alert (20916) as Lantronix's, DASAN's (6296) as D-Link's.
func TestEnterpriseNamesOwner(t *testing.T) {
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	for n, name := range enterpriseNames() {
		owner := enterpriseRegistry().lookup(n)
		if owner == "" || enterpriseSuccessors[n] {
			continue
		}
		squeezed := strings.Join(words(owner), "")
		if !slices.ContainsFunc(words(name), func(w string) bool { return len(w) > 1 && strings.Contains(squeezed, w) }) {
			t.Errorf("enterprise %d: tend names it %q, the registry's owner is %q", n, name, owner)
		}
	}
	if _, name := enterprise("1.3.6.1.4.1.21839.1.2.6"); name != "ALAXALA" {
		t.Errorf("ALAXALA's sysObjectID: maker %q", name)
	}
}

// The registry could be a map or, as it is, a sorted slice searched in two.
// These benchmarks measure both, decoding and lookup (figures in the commit
// that chose the slice).
func BenchmarkEnterpriseDecode(b *testing.B) {
	b.Run("sorted", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			parseRegistry(enterprisesBz2)
		}
		b.ReportMetric(retained(func() any { return parseRegistry(enterprisesBz2) }), "retained-B")
	})
	b.Run("map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			registryMap(parseRegistry(enterprisesBz2))
		}
		b.ReportMetric(retained(func() any { return registryMap(parseRegistry(enterprisesBz2)) }), "retained-B")
	})
}

func BenchmarkEnterpriseLookup(b *testing.B) {
	r := parseRegistry(enterprisesBz2)
	m := registryMap(r)
	keys := []int{9, 311, 2636, 12356, 41112, 6574, 318, 8072, 99999999, 2187, 30065, 62331}
	b.Run("sorted", func(b *testing.B) {
		var i int
		for b.Loop() {
			_ = r.lookup(keys[i%len(keys)])
			i++
		}
	})
	b.Run("map", func(b *testing.B) {
		var i int
		for b.Loop() {
			_ = m[uint32(keys[i%len(keys)])]
			i++
		}
	})
}

func registryMap(r *registry) map[uint32]string {
	m := make(map[uint32]string, len(r.nums))
	for i, n := range r.nums {
		m[n] = r.names[i]
	}
	return m
}

// retained is the heap that what build returns keeps alive.
func retained(build func() any) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v := build()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(v)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
}
