package snmp

import (
	"strings"
	"testing"
)

func TestMIBProduct(t *testing.T) {
	for oid, want := range map[string]string{
		"1.3.6.1.4.1.9.1.359":         "catalyst2950t24",
		".1.3.6.1.4.1.9.1.1":          "ciscoGatewayServer",
		"1.3.6.1.4.1.9.1.359.1":       "", // deeper: another registration
		"1.3.6.1.4.1.9.1.143":         "", // a gap in the MIB
		"1.3.6.1.4.1.9.1":             "",
		"1.3.6.1.4.1.9.12.3.1.3.1062": "",
		"1.3.6.1.4.1.9.1.x":           "",
		"1.3.6.1.4.1.9.1.99999999999": "",
		"1.3.6.1.4.1.91.1.359":        "", // another enterprise that starts alike
		"":                            "",
	} {
		if got := mibProduct(oid); got != want {
			t.Errorf("mibProduct(%q) = %q, want %q", oid, got, want)
		}
	}
}

// TestMIBProductLastResort: the product MIB's name fills the model only
// when nothing the agent reports names it; an ENTITY-MIB model or a
// sysDescr that names the product wins.
func TestMIBProductLastResort(t *testing.T) {
	const oid = "1.3.6.1.4.1.9.1.359"
	descr := "Cisco Internetwork Operating System Software IOS (tm) C2950 Software (C2950-I6Q4L2-M), Version 12.1(22)EA14, RELEASE SOFTWARE (fc1)"
	vs := newValues(descr)
	id := identify(oid, candidates(oid, vs.descr), vs)
	if id.Model != "Catalyst 2950T24" {
		t.Errorf("model %q, want the product MIB's catalyst2950t24 spelled out", id.Model)
	}
	if !strings.Contains(evidenceText(id), "vendor product MIB") || !strings.Contains(evidenceText(id), "MIB name catalyst2950t24") {
		t.Errorf("no evidence names the product MIB: %v", id.Evidence)
	}
	vs = newValues(descr)
	setEntity(vs, entColClass, [2]string{"1001", "3"})
	setEntity(vs, entColModel, [2]string{"1001", "WS-C2950T-24"})
	if id := identify(oid, candidates(oid, vs.descr), vs); id.Model != "WS-C2950T-24" {
		t.Errorf("model %q, want the agent's own WS-C2950T-24", id.Model)
	}
}

func evidenceText(id identity) string {
	var b strings.Builder
	for _, e := range id.Evidence {
		b.WriteString(e.Source + ": " + e.Detail + "\n")
	}
	return b.String()
}

func BenchmarkMIBProduct(b *testing.B) {
	productTable()
	for b.Loop() {
		mibProduct("1.3.6.1.4.1.9.1.359")
	}
}

// BenchmarkProductsDecode is the one-time cost of the product table
// (bzip2 and parse), paid on the first identification of a process.
func BenchmarkProductsDecode(b *testing.B) {
	for b.Loop() {
		if len(parseProducts(productsBz2)) == 0 {
			b.Fatal("no branch")
		}
	}
}

// TestMIBProductMoreVendors: the branches after Cisco's answer for their
// own sysObjectIDs (Dell Networking's series, Allied Telesis's
// routerSwitch and swhub), not for the series' roots or gaps.
func TestMIBProductMoreVendors(t *testing.T) {
	for oid, want := range map[string]string{
		"1.3.6.1.4.1.6027.1.3.4":    "s25pac",
		"1.3.6.1.4.1.6027.1.2.1":    "c300",
		"1.3.6.1.4.1.6027.1.4.1":    "m-MXL",
		"1.3.6.1.4.1.6027.1.3.16":   "", // a gap in the S-Series
		"1.3.6.1.4.1.6027.1.3":      "",
		".1.3.6.1.4.1.207.1.14.114": "atSBx8106",
		"1.3.6.1.4.1.207.1.14.40":   "",          // a gap
		"1.3.6.1.4.1.207.1.4.253":   "atGS924MX", // swhub
		"1.3.6.1.4.1.207.1.4.167":   "",          // not assigned in swhub
	} {
		if got := mibProduct(oid); got != want {
			t.Errorf("mibProduct(%q) = %q, want %q", oid, got, want)
		}
	}
}

// TestEpsonNamedObjectID: Epson's interfaces spell their name in
// sysObjectID (length, then characters); a count that does not match, a
// character outside printable ASCII or another branch gives nothing, and
// the epson rule takes the name only when it is shaped like a model.
func TestEpsonNamedObjectID(t *testing.T) {
	for oid, want := range map[string]string{
		"1.3.6.1.4.1.1248.1.1.2.1.3.7.65.76.45.67.88.49.49":  "AL-CX11",
		".1.3.6.1.4.1.1248.1.1.2.1.3.5.69.69.80.83.50":       "EEPS2",
		"1.3.6.1.4.1.1248.1.1.2.1.3.8.65.76.45.67.88.49.49":  "", // length says 8, 7 follow
		"1.3.6.1.4.1.1248.1.1.2.1.3.2.65.7":                  "", // a control character
		"1.3.6.1.4.1.1248.4.1":                               "", // the projectors' branch names nothing
		"1.3.6.1.4.1.1248.1.1.2.1.30.7.65.76.45.67.88.49.49": "", // another arc, not below epsonNamed
	} {
		if got := mibProduct(oid); got != want {
			t.Errorf("mibProduct(%s) = %q, want %q", oid, got, want)
		}
	}
	if got := ifModelLike("Network Interface Unit"); got != "" {
		t.Errorf("ifModelLike(Network Interface Unit) = %q, want none", got)
	}
	if got := ifModelLike("AL-CX11"); got != "AL-CX11" {
		t.Errorf("ifModelLike(AL-CX11) = %q", got)
	}
}

// TestCiscoProductName: CISCO-PRODUCTS-MIB's descriptors spelled as
// people read them, with only spaces and case changed; shapes the
// spelling cannot split (a part number's lower-case runs, a second
// number) stay as the MIB writes them.
func TestCiscoProductName(t *testing.T) {
	for in, want := range map[string]string{
		"catalyst2950t24":              "Catalyst 2950T24",
		"catalyst37xxStack":            "Catalyst 37xx Stack",
		"cat29xxStack":                 "Cat 29xx Stack",
		"cat36xxstack":                 "Cat 36xx stack",
		"ciscoASA5510":                 "Cisco ASA 5510",
		"ciscoUCVirtualMachine":        "Cisco UC Virtual Machine",
		"cisco5500Wlc":                 "Cisco 5500 Wlc",
		"ciscoPIXFirewall506E":         "Cisco PIX Firewall 506E",
		"ciscoC888EG":                  "Cisco C888EG",
		"ciscoCat9300FixedSwitchStack": "Cisco Cat 9300 Fixed Switch Stack",
		"catalyst8540msr":              "Catalyst 8540MSR",
		"cisco2921":                    "Cisco 2921",
		"ciscoWsC2960P48PstL":          "ciscoWsC2960P48PstL",
		"catWsC2960s24tsL":             "catWsC2960s24tsL",
		"ciscoitpRT1081K9":             "ciscoitpRT1081K9",
		"ciscoASA5585SspIps20Virtual":  "ciscoASA5585SspIps20Virtual",
		"cisco":                        "cisco",
		"cat":                          "cat",
		"s25pac":                       "s25pac",
		"atSBx8106":                    "atSBx8106",
		"":                             "",
	} {
		got := ciscoProductName(in)
		if got != want {
			t.Errorf("ciscoProductName(%q) = %q, want %q", in, got, want)
		}
		if squash(got) != squash(in) {
			t.Errorf("ciscoProductName(%q) = %q changed more than spaces and case", in, got)
		}
	}
}

func squash(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }

func FuzzCiscoProductName(f *testing.F) {
	for _, s := range []string{"catalyst37xxStack", "ciscoASA5510", "cat36xxstack", "ciscoCat9300FixedSwitchStack", "cisco5", "catX"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := ciscoProductName(s); squash(got) != squash(s) {
			t.Errorf("ciscoProductName(%q) = %q changed more than spaces and case", s, got)
		}
	})
}
