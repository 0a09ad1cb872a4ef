package snmp

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"tend/inventory"
)

// identifyText identifies the agent text (snmprec lines) serves, the
// real poller code over a recording a test writes.
func identifyText(t *testing.T, text string) inventory.Observation {
	t.Helper()
	rec := recordingOf(t, text)
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestScalarRepeatingDescrIsModel: a scalar of the maker's MIB that
// repeats sysDescr, a product's name no grammar reads, is the model,
// before the identity group's first scalars (the unit's configured name,
// a hardware revision in hexadecimal): whatever the enterprise.
func TestScalarRepeatingDescrIsModel(t *testing.T) {
	for _, name := range []string{"Lobby West 2", "<private>"} {
		o := identifyText(t, `1.3.6.1.2.1.1.1.0|4|ACME IP nightsight 8000 MP
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.1.1.0
1.3.6.1.2.1.1.5.0|4|<private>
1.3.6.1.4.1.64999.1.1.1.1.0|4|`+name+`
1.3.6.1.4.1.64999.1.1.1.4.0|4|F000AA43
1.3.6.1.4.1.64999.1.1.1.5.0|4|24500793
1.3.6.1.4.1.64999.1.1.1.7.0|4|Acme
1.3.6.1.4.1.64999.1.1.5.1.0|4|ACME IP nightsight 8000 MP
`)
		if o.Model != "ACME IP nightsight 8000 MP" {
			t.Errorf("unit name %q: model %q, want the product's name sysDescr and the maker's MIB agree on", name, o.Model)
		}
	}
}

// TestVendorDecoders: one digit per octet is the serial, anything else
// (a byte above 9, too short, all zeros) none; Bosch's packed firmware
// number is its release, another shape none.
func TestVendorDecoders(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		want string
	}{
		{[]byte{0, 4, 4, 4, 4, 8, 9, 5, 7, 4}, "0444489574"},
		{[]byte{4, 0, 4, 7, 3, 2}, "404732"},
		{[]byte{0, 4, 0x0a, 4, 4, 8}, ""},
		{[]byte("044448"), ""},
		{[]byte{1, 2, 3}, ""},
		{make([]byte, 8), ""},
	} {
		if got := decimalOctets(c.in); got != c.want {
			t.Errorf("decimalOctets(% x) = %q, want %q", c.in, got, c.want)
		}
	}
	for in, want := range map[string]string{"24500793": "7.93.0024", "02011040": "10.40.0002", "17000911": "9.11.0017",
		"2450079": "", "F000AA43": "", "7.93.0024": ""} {
		if got := boschVersion(in); got != want {
			t.Errorf("boschVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

// boschCamera is a Bosch camera's identity group as its own agent
// answers it (sysObjectID under 3967) or, on the newer platform, behind
// net-snmp's: the configured name, the hardware platform's code, the
// packed firmware number, the serial one digit per octet, the maker,
// then the product's name.
func boschCamera(sysObjectID, descr string) string {
	return `1.3.6.1.2.1.1.1.0|4|` + descr + `
1.3.6.1.2.1.1.2.0|6|` + sysObjectID + `
1.3.6.1.2.1.1.5.0|4|<private>
1.3.6.1.4.1.3967.1.1.1.1.0|4|Gate 4 North
1.3.6.1.4.1.3967.1.1.1.4.0|4|F000B543
1.3.6.1.4.1.3967.1.1.1.5.0|4|17000911
1.3.6.1.4.1.3967.1.1.1.6.0|4x|040004070302030507080204000302030302
1.3.6.1.4.1.3967.1.1.1.7.0|4|Bosch
1.3.6.1.4.1.3967.1.1.5.1.0|4|FLEXIDOME multi 7000i - 20MP
1.3.6.1.4.1.3967.1.5.1.1.0|4x|00075FC6F610
`
}

// TestBoschCameraRows: the vendor rows read Bosch's product name, packed
// firmware and digit-per-octet serial, never the hardware platform's
// code, on the camera's own agent and behind net-snmp's, where the
// maker's rows come before the Linux banner's architecture and kernel.
func TestBoschCameraRows(t *testing.T) {
	for _, c := range []struct{ oid, descr string }{
		{"1.3.6.1.4.1.3967.1.1.0", "FLEXIDOME multi 7000i - 20MP"},
		{"1.3.6.1.4.1.8072.3.2.10", "Linux cam 5.4.238 #1 SMP PREEMPT Wed Jan 14 10:29:18 UTC 2026 aarch64"},
	} {
		o := identifyText(t, boschCamera(c.oid, c.descr))
		got := [3]string{o.Model, o.Firmware, o.Serial}
		if want := [3]string{"FLEXIDOME multi 7000i - 20MP", "9.11.0017", "404732357824032332"}; got != want {
			t.Errorf("%s: model, firmware, serial %q, want %q", c.oid, got, want)
		}
	}
}

// TestMakerRowsBehindAgentOnlyTheirs: behind net-snmp's agent the rows
// of the maker whose MIB the probe found are read, and only from that
// maker's objects: a Linux host with no maker's MIB keeps its banner's
// fields, and a decoder refuses garbage rather than copy it.
func TestMakerRowsBehindAgentOnlyTheirs(t *testing.T) {
	o := identifyText(t, `1.3.6.1.2.1.1.1.0|4|Linux host 5.15.0 #1 SMP Tue Jan 2 10:00:00 UTC 2024 aarch64
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10
1.3.6.1.4.1.8072.1.2.1.1.4.0.1.0.0|4|x
`)
	if o.Firmware != "5.15.0" || o.Serial != "" {
		t.Errorf("plain Linux host: firmware %q serial %q, want the kernel's release and no serial", o.Firmware, o.Serial)
	}
	garbage := strings.Replace(boschCamera("1.3.6.1.4.1.8072.3.2.10", "Linux cam 5.4.238 #1 SMP aarch64"),
		"040004070302030507080204000302030302", "FF00FF07030203050708020400030203FFFF", 1)
	garbage = strings.Replace(garbage, "|17000911", "|v17.0.0911-beta", 1)
	o = identifyText(t, garbage)
	if o.Serial == "F000B543" || o.Serial != "" && !isDigits(o.Serial) || o.Firmware == "17000911" {
		t.Errorf("garbage in the maker's serial and firmware objects: serial %q firmware %q, want none rather than another object's", o.Serial, o.Firmware)
	}
}

// TestMakerSerialSoftwareDescr: "<maker> <product>; SN <serial>, …, SW
// <release>" names the product between the maker's word and the
// labelled fields, for any maker (another grammar may keep the maker's
// word); a serial of zeros stays out.
func TestMakerSerialSoftwareDescr(t *testing.T) {
	for _, c := range []struct{ oid, descr, model string }{
		{"1.3.6.1.4.1.1229.1.1", "SEH dongleserver ProMAX; SN 00000000000000, HW 2.0, FW 0, SW 20.2.8", "dongleserver ProMAX"},
		{"1.3.6.1.4.1.64999.2", "Acme printserver PS-20; SN 00000000000000, HW 1.0, SW 3.4.5", "printserver PS-20"},
	} {
		o := identifyText(t, "1.3.6.1.2.1.1.1.0|4|"+c.descr+"\n1.3.6.1.2.1.1.2.0|6|"+c.oid+"\n")
		if !strings.HasSuffix(o.Model, c.model) || o.Serial != "" {
			t.Errorf("%q: model %q serial %q, want %q (the maker's word before it or not) and no serial", c.descr, o.Model, o.Serial, c.model)
		}
	}
}

// TestVendorModelCompletesChassis: the maker's object that names the
// chassis row's model in full (fsSysVersion's "FortiSwitch-148F-FPOE"
// for the row's truncated "FSW_148F-F") is the model; one naming another
// product is not.
func TestVendorModelCompletesChassis(t *testing.T) {
	for version, want := range map[string]string{
		"FortiSwitch-148F-FPOE v7.6.0,build1015,240812 (GA)": "FortiSwitch-148F-FPOE",
		"FortiSwitch-248E-FPOE v7.6.0,build1015,240812 (GA)": "FortiSwitch 148F-F",
	} {
		o := identifyText(t, `1.3.6.1.2.1.1.1.0|4|
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.12356.106.1.1486
1.3.6.1.2.1.47.1.1.1.1.2.1|4|Fortinet FSW_148F-F, HW Serial#: S148FFTF24000001
1.3.6.1.2.1.47.1.1.1.1.5.1|2|3
1.3.6.1.2.1.47.1.1.1.1.7.1|4|FSW_148F-F
1.3.6.1.2.1.47.1.1.1.1.10.1|4|`+version+`
1.3.6.1.2.1.47.1.1.1.1.11.1|4|S148FFTF24000001
1.3.6.1.2.1.47.1.1.1.1.13.1|4|FSW_148F-F
1.3.6.1.4.1.12356.106.4.1.1.0|4|`+version+`
`)
		if o.Model != want {
			t.Errorf("fsSysVersion %q: model %q, want %q", version, o.Model, want)
		}
	}
}

// TestAxisSerialWithoutInterfaceRow: an Axis camera that lists no
// ifPhysAddress row names its serial in its private MIB's system group.
func TestAxisSerialWithoutInterfaceRow(t *testing.T) {
	o := identifyText(t, `1.3.6.1.2.1.1.1.0|4|; AXIS Q6074; PTZ Dome Network Camera; 12.10.68; Apr 29 2026 18:04; 918.2; 1
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.368.1.1
1.3.6.1.4.1.368.4.1.100.5.0|4|12.10.68
1.3.6.1.4.1.368.4.1.100.6.0|4|B8A44F123456
1.3.6.1.4.1.368.4.1.100.8.0|4|Q6074
`)
	if o.Model != "AXIS Q6074" || o.Serial != "B8A44F123456" {
		t.Errorf("model %q serial %q, want AXIS Q6074 and B8A44F123456", o.Model, o.Serial)
	}
}
