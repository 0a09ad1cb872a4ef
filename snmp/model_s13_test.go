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

// TestAPCDescribedProduct: an APC agent whose description names the
// product it runs in gives that name before MN:'s part number; a
// management card's own description, or one that only says what the
// device is, leaves the part number.
func TestAPCDescribedProduct(t *testing.T) {
	const oid = "1.3.6.1.4.1.318.1.3.14.23"
	for _, c := range []struct{ descr, want string }{
		{"APC InRow DX 300mm (MB:v4.1.0 PF:v6.8.8 PN:apc_hw06_aos_688.bin AF1:v6.6.9.b AN1:apc_hw06_x.bin MN:0N-9580AC HR:1 SN: JK1905001111 MD:01/01/2019)", "InRow DX 300mm"},
		{"APC Uniflair SP (MB:v4.1.0 PF:v6.8.8 PN:apc_hw06_aos_688.bin AF1:v6.0.2.a AN1:apc_hw06_y.bin MN:SPRD100 HR:1 SN: ZZ1 MD:01/01/2019)", "Uniflair SP"},
		{"APC Web/SNMP Management Card (MB:v3.2.0 PF:v3.0.9.a PN:aos309a.bin AF1:v2.2.5.a AN1:ms225a.bin MN:AP9606 HR:A10 SN: WA0000000000 MD:01/01/2001)", "AP9606"},
		{"APC Environmental Management System (MB:v3.9.2 PF:v3.7.3 PN:apc_hw02_aos_373.bin AF1:v3.7.3 AN1:apc_hw02_emu_373.bin MN:AP9320 HR:4 SN: ZA0000000000 MD:01/01/2010)", "AP9320"},
	} {
		vs := newValues(c.descr)
		if id := identify(oid, candidates(oid, c.descr), vs); id.Model != c.want {
			t.Errorf("%.40q: model %q, want %q", c.descr, id.Model, c.want)
		}
	}
}

// TestViptelaModel: a vEdge names its model as systemStatusModel's
// enumeration; a value the MIB gives no Viptela platform leaves the
// model empty rather than a number.
func TestViptelaModel(t *testing.T) {
	const oid = "1.3.6.1.4.1.41916.3.2.4"
	for _, c := range []struct{ value, want string }{
		{"4", "vedge-1000"}, {"5", "vedge-2000"}, {"3", "vbond"}, {"264", ""}, {"0", ""},
	} {
		vs := newValues("Viptela SNMP agent")
		vs.scalar[viptelaStatusModel] = value{text: c.value}
		if id := identify(oid, candidates(oid, vs.descr), vs); id.Model != c.want {
			t.Errorf("systemStatusModel %s: model %q, want %q", c.value, id.Model, c.want)
		}
	}
}

// TestShortProductDropsRelease: a short description's trailing release,
// however the maker writes it, is not part of the model's name.
func TestShortProductDropsRelease(t *testing.T) {
	for _, c := range []struct{ descr, want string }{
		{"Mimosa B5c Firmware v92329ce", "Mimosa B5c"},
		{"Huawei Optix RTN V100R011C00SPC200", "Huawei Optix RTN"},
		{"Nokia 1830 PSD 10G R23.6", "Nokia 1830 PSD 10G"},
		{"Acme Widget 3000 v2.1.4", "Acme Widget 3000"},
		{"Acme R2D2", "Acme R2D2"},
	} {
		if got := shortProduct(c.descr); got != c.want {
			t.Errorf("shortProduct(%q) = %q, want %q", c.descr, got, c.want)
		}
	}
}

// TestMakerNumberProduct: a description that opens with the maker and a
// four-digit product number, then what it is, names that number when
// nothing else names the model; a number followed by a lower-case word
// is no product.
func TestMakerNumberProduct(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1"
	for _, c := range []struct{ descr, want string }{
		{"IBM 3584 UltraScaleable Tape Library 7420", "3584"},
		{"Acme 2024 release", ""},
	} {
		vs := newValues(c.descr)
		if id := identify(oid, candidates(oid, c.descr), vs); id.Model != c.want {
			t.Errorf("%q: model %q, want %q", c.descr, id.Model, c.want)
		}
	}
}
