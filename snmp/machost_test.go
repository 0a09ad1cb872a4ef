package snmp

import (
	"context"
	"encoding/hex"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"

	classify "tend/identity"
)

// accuracyConfig is the poller configuration the accuracy tests identify
// recordings with: what cmd/tend wires, the MAC registry among it.
var accuracyConfig = sync.OnceValue(func() Config {
	reg, err := classify.OpenRegistry()
	if err != nil {
		panic(err)
	}
	return Config{MACVendor: reg.Lookup}
})

// TestMACNamedHost: a net-snmp agent's kernel banner on an appliance
// whose host name is "<model>_<MAC>" names the maker (the MAC's block)
// and the model (the name before it) when the registry assigns the block
// to a maker tend keeps a short name for; a name without a product code,
// a MAC of no maker tend names, an agent of the maker's own sysObjectID
// or a poller without the registry leave the banner's reading alone.
func TestMACNamedHost(t *testing.T) {
	vendors := map[string]string{"ec74d7": "Grandstream Networks, Inc.", "001122": "CIMSYS Inc", "f8bc12": "Dell Inc."}
	lookup := func(mac []byte) (string, bool) {
		org, ok := vendors[hex.EncodeToString(mac[:3])]
		return org, ok
	}
	rec := func(host, oid string) string {
		return "1.3.6.1.2.1.1.1.0|4|Linux " + host + " 4.4.143 #2 SMP PREEMPT Wed Mar 18 18:00:38 CST 2026 armv7l\n" +
			"1.3.6.1.2.1.1.2.0|6|" + oid + "\n1.3.6.1.2.1.1.5.0|4|" + host
	}
	const netsnmp = "1.3.6.1.4.1.8072.3.2.10"
	for _, c := range []struct {
		name, rec   string
		vendor      func([]byte) (string, bool)
		make, model string
	}{
		{"grandstream", rec("grp2604p_ec74d71210da", netsnmp), lookup, "Grandstream", "GRP2604P"},
		{"no registry", rec("grp2604p_ec74d71210da", netsnmp), nil, "", ""},
		{"no product code", rec("dell_f8bc12aabbcc", netsnmp), lookup, "", ""},
		{"maker tend does not name", rec("box7_001122aabbcc", netsnmp), lookup, "", ""},
		{"unassigned block", rec("grp2604p_aabbccddeeff", netsnmp), lookup, "", ""},
		{"no MAC", rec("grp2604p", netsnmp), lookup, "", ""},
	} {
		path := filepath.Join(t.TempDir(), "dev.snmprec")
		if err := os.WriteFile(path, []byte(c.rec+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		o, err := newPoller(Config{MACVendor: c.vendor}, nil, loadRecording(t, path).session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
		if err != nil {
			t.Fatal(err)
		}
		if o.Make != c.make || c.model != "" && o.Model != c.model || c.model == "" && o.Model == "GRP2604P" {
			t.Errorf("%s: make %q model %q, want %q %q", c.name, o.Make, o.Model, c.make, c.model)
		}
	}
}
