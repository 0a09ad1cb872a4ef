package snmp

import (
	"context"
	"net/netip"
	"strings"
	"testing"
)

// TestDescrProduct: the chassis row's name names the model when sysDescr
// gives the same product: as a word, or as the end of the product
// number it spells out (then sysDescr's fuller name up to it); never
// inside another number or word, nor a short name.
func TestDescrProduct(t *testing.T) {
	for _, c := range []struct {
		descr, name, want string
	}{
		{"Huawei AR169F Huawei Versatile Routing Platform", "AR169F", "AR169F"},
		{"FSP150CC-XG116PRO (H)", "XG116Pro(H)", "FSP150CC-XG116PRO (H)"},
		{"FSP 150-GE114Pro", "GE114Pro", "FSP 150-GE114Pro"},
		{"FSP150CC-XG116PRO", "XG116Pro", "FSP150CC-XG116PRO"},
		{"Catalyst C2960S-24TS", "C2960", ""},   // inside another number
		{"Acme RouterXG116Pro", "XG116Pro", ""}, // inside a word
		{"FSP150CC-GE1", "GE1", ""},             // too short to match a part
		{"AX-1000 Router, release 12.4", "AX1000", "AX-1000"},
	} {
		if got := descrProduct(c.descr, c.name); got != c.want {
			t.Errorf("descrProduct(%q, %q) = %q, want %q", c.descr, c.name, got, c.want)
		}
	}
}

// TestChassisNameEndsDescr: a shelf whose ENTITY-MIB chassis row names
// the product by the end of the number sysDescr gives ("XG116Pro(H)",
// a shelf description "SHELF" and a part number for its model name) is
// the product sysDescr spells out, its variant included.
func TestChassisNameEndsDescr(t *testing.T) {
	rec := recordingOf(t, `1.3.6.1.2.1.1.1.0|4|FSP150CC-XG116PRO (H)
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1.12.1.1.41
1.3.6.1.2.1.47.1.1.1.1.2.1|4|SHELF
1.3.6.1.2.1.47.1.1.1.1.4.1|2|0
1.3.6.1.2.1.47.1.1.1.1.5.1|2|3
1.3.6.1.2.1.47.1.1.1.1.7.1|4|XG116Pro(H)
1.3.6.1.2.1.47.1.1.1.1.12.1|4|Sanmina
1.3.6.1.2.1.47.1.1.1.1.13.1|4|1078904455-01
`)
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "FSP150CC-XG116PRO (H)"; o.Model != want {
		t.Errorf("model %q, want %q (evidence %v)", o.Model, want, o.Evidence)
	}
}

// FuzzDescrProduct: any sysDescr and chassis name, valid UTF-8 or not,
// give "", the name itself or the start of sysDescr, and never panic.
func FuzzDescrProduct(f *testing.F) {
	f.Add("FSP150CC-XG116PRO (H)", "XG116Pro(H)")
	f.Add("Huawei AR169F Huawei Versatile Routing Platform", "AR169F")
	f.Add("\xff-XG116PRO \xfe", "xg116pro")
	f.Add("İstanbul-ABCDEF", "abcdef")
	f.Fuzz(func(t *testing.T, descr, name string) {
		got := descrProduct(descr, name)
		if got != "" && got != name && !strings.HasPrefix(descr, got) {
			t.Errorf("descrProduct(%q, %q) = %q: neither the name nor the start of sysDescr", descr, name, got)
		}
	})
}
