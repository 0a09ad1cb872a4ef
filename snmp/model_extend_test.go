package snmp

import "testing"

// TestExtendDeviceModel: the "device" extend of router firmware built on
// Linux names the board before the banner's architecture; arguments that
// name no numbered product ("-c cat /tmp/model") leave the architecture.
func TestExtendDeviceModel(t *testing.T) {
	const netSNMP = "1.3.6.1.4.1.8072.3.2.10"
	const descr = "Linux TomatoWifi 2.6.22.19 #13 Wed Sep 23 16:39:18 CEST 2020 mips"
	for _, c := range []struct {
		text, want string
	}{
		{"Asus RT-N66U", "Asus RT-N66U"},
		{"Netgear R7000", "Netgear R7000"},
		{"-c cat /tmp/model", "Generic MIPS"},
		{"unknown", "Generic MIPS"},
		{"", "Generic MIPS"},
	} {
		vs := newValues(descr)
		if c.text != "" {
			vs.scalar[extendDeviceArgs] = value{text: c.text}
		}
		if id := identify(netSNMP, candidates(netSNMP, descr), vs); id.Model != c.want {
			t.Errorf("device extend %q: model %q, want %q", c.text, id.Model, c.want)
		}
	}
}
