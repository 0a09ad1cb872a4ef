package snmp

import (
	"context"
	"net/netip"
	"testing"
)

// TestBeforeVersion: a model's last resort is the product's name just
// before the object that gives the version, in the same group, numbers,
// placeholders and the serial stepped over; never a lone word without a
// digit (a place, the maker), a site's label in capitals or words in lower
// case, a sentence, the
// host's name, nor anything behind the first text met or after the
// version.
func TestBeforeVersion(t *testing.T) {
	const g = "1.3.6.1.4.1.99999.10.2.1.1."
	for _, c := range []struct {
		objects map[string]string
		want    string
		because string
	}{
		{map[string]string{g + "1.0": "000000000", g + "2.0": "Telecom Power", g + "4.0": "#340", g + "5.0": "1.0.0.1"}, "Telecom Power", "PPC's model after a placeholder serial, before a rating"},
		{map[string]string{g + "1.0": "F2_1 1", g + "2.0": "2.10"}, "F2_1 1", "the gateway's model"},
		{map[string]string{g + "2.0": "RX-400 Pro", g + "4.0": "2.10"}, "RX-400 Pro", "after a gap"},
		{map[string]string{g + "1.0": "LS130 24481004R", g + "2.0": "Plecnikova", g + "3.0": "1806527724", g + "4.0": "1.3.4"}, "", "a place's name is met first"},
		{map[string]string{g + "1.0": "GOLF CLUB", g + "2.0": "2.10"}, "", "a site's label"},
		{map[string]string{g + "1.0": "Server room", g + "2.0": "PD04405001", g + "5.0": "Net Vision 7 v7.20"}, "", "an administrator's label in lower case"},
		{map[string]string{g + "1.0": "ON", g + "2.0": "2.10"}, "", "a state"},
		{map[string]string{g + "1.0": "Acme", g + "2.0": "2.10"}, "", "the maker's name"},
		{map[string]string{g + "1.0": "Call ops: 555-0100", g + "2.0": "2.10"}, "", "a label and its value"},
		{map[string]string{g + "1.0": "Port 1", g + "2.0": "2.10"}, "", "a numbered part"},
		{map[string]string{g + "2.0": "Ethernet to 1-wire Interface", g + "4.0": "2.10"}, "Ethernet to 1-wire Interface", "a converter's name"},
		{map[string]string{g + "2.0": "LAN Interface", g + "4.0": "2.10"}, "", "a port's name"},
		{map[string]string{g + "2.0": "Uplink to Core Interface", g + "4.0": "2.10"}, "", "a link's label"},
		{map[string]string{g + "1.0": "2.10", g + "2.0": "Telecom Power"}, "", "after the version"},
		{map[string]string{g + "1.0": "Telecom Power"}, "", "no version"},
	} {
		vs := subtreeOf(c.objects)
		if got := vs.beforeVersion(); got != c.want {
			t.Errorf("%s (%v): %q, want %q", c.because, c.objects, got, c.want)
		}
	}
	vs := subtreeOf(map[string]string{g + "1.0": "edge-gw", g + "2.0": "2.10"})
	vs.sysName = "edge-gw"
	if got := vs.beforeVersion(); got != "" {
		t.Errorf("the host's name: %q, want none", got)
	}
}

// TestModelBeforeVersion: an agent of a maker tend knows nothing of,
// whose identity group names the product and then its version, is that
// product where no other source names one.
func TestModelBeforeVersion(t *testing.T) {
	rec := recordingOf(t, `1.3.6.1.2.1.1.1.0|4|Network Management Card for UPS
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.10.2
1.3.6.1.4.1.99999.10.2.1.1.1.0|4|000000000
1.3.6.1.4.1.99999.10.2.1.1.2.0|4|Telecom Power
1.3.6.1.4.1.99999.10.2.1.1.4.0|2|340
1.3.6.1.4.1.99999.10.2.1.1.5.0|4|1.0.0.1
`)
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Model != "Telecom Power" || o.Firmware != "1.0.0.1" {
		t.Errorf("model %q firmware %q, want Telecom Power and 1.0.0.1 (evidence %v)", o.Model, o.Firmware, o.Evidence)
	}
}

// FuzzBeforeVersion: any identity group, valid UTF-8 or not, gives ""
// or the text of one of its objects of at most 48 bytes, and never
// panics.
func FuzzBeforeVersion(f *testing.F) {
	f.Add("000000000", "Telecom Power", "1.0.0.1")
	f.Add("F2_1 1", "\xff", "2.10")
	f.Add("Server room", "PD04405001", "Net Vision 7 v7.20")
	f.Add("İ", "x\xfeY 1", "v1.2")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		const g = "1.3.6.1.4.1.99999.1."
		vs := subtreeOf(map[string]string{g + "1.0": a, g + "2.0": b, g + "3.0": c})
		got := vs.beforeVersion()
		if got != "" && (len(got) > 48 || got != tidy(a) && got != tidy(b)) {
			t.Errorf("beforeVersion of %q, %q, %q = %q: not an earlier object's text", a, b, c, got)
		}
	})
}
