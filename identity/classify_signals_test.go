package identity

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"tend/inventory"
)

// TestClassifySignals types devices from one signal each, the way a LAN
// shows them when they never answer SNMP.
func TestClassifySignals(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	for _, c := range []struct {
		name string
		d    inventory.Device
		want inventory.DeviceType
	}{
		{"fortinet mac block", inventory.Device{Vendor: "Fortinet, Inc."}, inventory.TypeFirewall},
		{"polycom mac block", inventory.Device{Vendor: "Polycom"}, inventory.TypePhone},
		{"mikrotik mac block", inventory.Device{Vendor: "Routerboard.com"}, inventory.TypeRouter},
		{"default gateway", inventory.Device{IP: gw}, inventory.TypeRouter},
		{"gateway with a firewall's mac", inventory.Device{IP: gw, Vendor: "Fortinet, Inc."}, inventory.TypeFirewall},
		{"windows dhcp", inventory.Device{Profile: inventory.Profile{DHCPParams: "1,3,6,15,31,33,43,44,46,47,119,121,249,252"}}, inventory.TypeWorkstation},
		{"android dhcp", inventory.Device{Profile: inventory.Profile{DHCPParams: "1,3,6,15,26,28,51,58,59,43"}}, inventory.TypePhone},
		{"axis mdns", inventory.Device{Profile: inventory.Profile{Services: []string{"_axis-video._tcp"}}}, inventory.TypeCamera},
		{"sonos upnp", inventory.Device{Profile: inventory.Profile{Services: []string{"urn:schemas-upnp-org:device:ZonePlayer:1"}}}, inventory.TypeIoT},
		{"windows default name", inventory.Device{Hostname: "DESKTOP-4F7GH2K"}, inventory.TypeWorkstation},
		{"printer default name", inventory.Device{Hostname: "BRW3C2AF4123456"}, inventory.TypePrinter},
		{"netbios only", inventory.Device{Sources: []inventory.Source{inventory.SourceNBNS}, Hostname: "GURU"}, inventory.TypeWorkstation},
		{"lldp ap", inventory.Device{Profile: inventory.Profile{Capabilities: []string{"wlan-ap"}}}, inventory.TypeAP},
		{"stp bridge", inventory.Device{Vendor: "Cisco Systems, Inc", Profile: inventory.Profile{Capabilities: []string{"stp"}}}, inventory.TypeSwitch},
		{"cisco forwarding ip", inventory.Device{Vendor: "Cisco Systems, Inc", Profile: inventory.Profile{Capabilities: []string{"ip-forwarder"}}}, inventory.TypeRouter},
		{"cisco mac alone", inventory.Device{Vendor: "Cisco Systems, Inc"}, inventory.TypeRouter},
		{"kvm guest", inventory.Device{MAC: inventory.MAC{0x52, 0x54, 0x00, 0x12, 0x34, 0x57}}, inventory.TypeServer},
		{"virtualbox guest", inventory.Device{MAC: inventory.MAC{0x08, 0x00, 0x27, 0x87, 0x94, 0x24}, Vendor: "PCS Systemtechnik GmbH"}, inventory.TypeWorkstation},
		{"apple tv by model id", inventory.Device{Model: "AppleTV5,3"}, inventory.TypeIoT},
		{"iphone by model id", inventory.Device{Model: "iPhone14,2"}, inventory.TypePhone},
		{"airport by model id", inventory.Device{Model: "AirPort7,120"}, inventory.TypeAP},
		{"hp pc nic", inventory.Device{Vendor: "Hewlett Packard"}, inventory.TypeWorkstation},
		{"hp pc nic with a printer's service", inventory.Device{Vendor: "Hewlett Packard", Profile: inventory.Profile{Services: []string{"_ipp._tcp"}}}, inventory.TypePrinter},
		{"fuji xerox mac block", inventory.Device{Vendor: "FUJIFILM Business Innovation Corp."}, inventory.TypePrinter},
		{"lldp c-vlan bridge", inventory.Device{Profile: inventory.Profile{Capabilities: []string{"cvlan"}}}, inventory.TypeSwitch},
		{"thread border router", inventory.Device{Profile: inventory.Profile{Services: []string{"_meshcop._udp"}}}, inventory.TypeIoT},
		{"upnp security camera", inventory.Device{Profile: inventory.Profile{Services: []string{"urn:schemas-upnp-org:device:DigitalSecurityCamera:1"}}}, inventory.TypeCamera},
		{"wps registrar", inventory.Device{Profile: inventory.Profile{Services: []string{"urn:schemas-wifialliance-org:device:WFADevice:1"}}}, inventory.TypeAP},
		{"vm dhcp server beside the gateway", inventory.Device{MAC: inventory.MAC{0x00, 0x0c, 0x29, 0x40, 0x0e, 0xef}, Vendor: "VMware, Inc.",
			Profile: inventory.Profile{Services: []string{"dhcp-server"}}}, inventory.TypeServer},
		{"dhcp server that is the gateway", inventory.Device{Profile: inventory.Profile{Services: []string{"dhcp-server", "dhcp-gateway"}}}, inventory.TypeRouter},
		{"nothing", inventory.Device{}, inventory.TypeUnknown},
		{"an unknown maker", inventory.Device{Vendor: "CARNEGIE-MELLON UNIVERSITY"}, inventory.TypeUnknown},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := c.d
			ClassifyWith(&d, ClassifyHints{Gateways: []netip.Addr{gw}})
			if d.Type != c.want {
				t.Fatalf("type %s (%.2f, %v), want %s", d.Type, d.TypeConfidence, d.TypeEvidence, c.want)
			}
			if c.want != inventory.TypeUnknown && (d.TypeConfidence <= 0 || len(d.TypeEvidence) == 0) {
				t.Errorf("confidence %.2f evidence %v, want both", d.TypeConfidence, d.TypeEvidence)
			}
			if len(c.d.Capabilities)+len(c.d.Services)+len(c.d.DHCPParams)+len(c.d.Model) == 0 && c.d.Hostname == "" &&
				!c.d.IP.IsValid() && d.TypeConfidence > 0.8 {
				t.Errorf("confidence %.2f from the MAC alone, want a low one (%v)", d.TypeConfidence, d.TypeEvidence)
			}
		})
	}
}

// BenchmarkClassify types one device with evidence of every kind: the
// classification half of identifying a device from its recording (the
// SNMP half is snmp's BenchmarkIdentifyRecording); issue 13 allows 1 ms
// for both.
func BenchmarkClassify(b *testing.B) {
	d := inventory.Device{
		MAC: inventory.MAC{0x00, 0x09, 0x0f, 0x12, 0x34, 0x56}, IP: netip.MustParseAddr("10.0.0.1"),
		Vendor: "Fortinet, Inc.", Hostname: "FGT60F-office", Make: "Fortinet", Model: "FortiGate-60F", OS: "FortiOS",
		Sources: []inventory.Source{inventory.SourceSNMP, inventory.SourceDHCP, inventory.SourceLLDP},
		SNMP:    &inventory.SNMPSystem{SysDescr: "FortiGate-60F v7.2.8,build1639,240313 (GA.M)"},
		Profile: inventory.Profile{Capabilities: []string{"router", "bridge"}, Services: []string{"dhcp-server", "urn:schemas-upnp-org:device:InternetGatewayDevice:1"},
			Names: []string{"FGT60F-office", "fgt60f-office.local"}, DHCPVendor: "Fortinet", DHCPParams: "1,3,6,15,28,42"},
	}
	h := ClassifyHints{Gateways: []netip.Addr{netip.MustParseAddr("10.0.0.1")}}
	b.ReportAllocs()
	for b.Loop() {
		d.Type = ""
		ClassifyWith(&d, h)
	}
	if d.Type != inventory.TypeFirewall {
		b.Fatalf("type %s", d.Type)
	}
}

// TestRecogDHCPVendor types devices from option 60 strings Recog's
// examples give, through the generated table.
func TestRecogDHCPVendor(t *testing.T) {
	for _, c := range []struct {
		vendor string
		want   inventory.DeviceType
	}{
		{"Mfg=Xerox;Typ=MFP;Mod=VersaLink C405;Ser=ABC123456;Loc=Print Room", inventory.TypePrinter},
		{"Polycom-VVX410", inventory.TypePhone},
		{"AXIS,Network Camera,M3045-V,6.50.1", inventory.TypeCamera},
		{"Aruba JL256A 2930F-48G-PoE+-4SFP+ Switch", inventory.TypeSwitch},
		{"nothing Recog knows", inventory.TypeUnknown},
	} {
		d := inventory.Device{Profile: inventory.Profile{DHCPVendor: c.vendor}}
		Classify(&d)
		if d.Type != c.want {
			t.Errorf("%q: type %s (%v), want %s", c.vendor, d.Type, d.TypeEvidence, c.want)
		}
	}
}

// FuzzClassify feeds untrusted strings (what devices say about themselves)
// to every rule: no panic, a known type or unknown, a confidence in 0..1,
// and evidence exactly when the type is known.
func FuzzClassify(f *testing.F) {
	f.Add("DESKTOP-4F7GH2K", "MSFT 5.0", "1,3,6,15,31,33,43,44,46,47,119,121,249,252", "FortiGate-60F", "_ipp._tcp", "stp", "Cisco Systems, Inc")
	f.Add("<private>", "Mfg=Xerox;Typ=MFP;Mod=VersaLink C405;Ser=ABC123456", "1,3,6", "AppleTV5,3", "_axis-video._tcp", "ip-forwarder", "")
	f.Add(strings.Repeat("a", 70000), strings.Repeat("Polycom-VVX", 1000), strings.Repeat("1,", 5000), "\xff\xfe", "\x00", "router", "Hikvision")
	f.Fuzz(func(t *testing.T, host, vendorClass, params, model, service, capability, org string) {
		d := inventory.Device{Hostname: host, Model: model, Vendor: org, SNMP: &inventory.SNMPSystem{SysDescr: model + " " + host},
			Profile: inventory.Profile{DHCPVendor: vendorClass, DHCPParams: params, Services: []string{service}, Capabilities: []string{capability}, Names: []string{host, service}}}
		ClassifyWith(&d, ClassifyHints{})
		if d.Type != inventory.TypeUnknown && !slices.Contains(allTypes[:], d.Type) {
			t.Fatalf("type %q", d.Type)
		}
		if d.TypeConfidence < 0 || d.TypeConfidence > 1 {
			t.Fatalf("confidence %v", d.TypeConfidence)
		}
		if (d.Type == inventory.TypeUnknown) != (len(d.TypeEvidence) == 0) {
			t.Fatalf("type %s with evidence %v", d.Type, d.TypeEvidence)
		}
	})
}

// TestClassifyContradiction: when clues contradict each other the heavier
// type wins and the evidence names the strongest clue of the type that
// lost; a weak guess that lost (a PC maker's MAC block) is not named.
func TestClassifyContradiction(t *testing.T) {
	d := inventory.Device{Vendor: "NETGEAR", Profile: inventory.Profile{Services: []string{"_ipp._tcp"}}}
	Classify(&d)
	want := []inventory.Evidence{{Source: "service", Detail: "_ipp._tcp"}, {Source: "overruled", Detail: "switch 0.25 (mac registry: NETGEAR mostly sells switches)"}}
	if d.Type != inventory.TypePrinter || !slices.Equal(d.TypeEvidence, want) {
		t.Errorf("type %s evidence %v, want printer with %v", d.Type, d.TypeEvidence, want)
	}
	d = inventory.Device{Vendor: "Hewlett Packard", Profile: inventory.Profile{Services: []string{"_ipp._tcp"}}}
	Classify(&d)
	if d.Type != inventory.TypePrinter || slices.ContainsFunc(d.TypeEvidence, func(e inventory.Evidence) bool { return e.Source == "overruled" }) {
		t.Errorf("type %s evidence %v, want printer without an overruled note (0.2 is a guess, not a contradiction)", d.Type, d.TypeEvidence)
	}
}

// TestClassifyMakerCountsOnce: the maker behind a MAC block is one clue
// (the registry rule), not also a keyword match on its name.
func TestClassifyMakerCountsOnce(t *testing.T) {
	for _, c := range []struct {
		vendor string
		want   inventory.DeviceType
		conf   float64
	}{
		{"Synology Incorporated", inventory.TypeNAS, 0.5},
		{"Hikvision Digital Technology", inventory.TypeCamera, 0.7},
		{"Gateway, Inc.", inventory.TypeUnknown, 0}, // a PC maker, not a router
	} {
		d := inventory.Device{Vendor: c.vendor}
		Classify(&d)
		if d.Type != c.want || d.TypeConfidence != c.conf || len(d.TypeEvidence) > 1 {
			t.Errorf("%s: type %s %.2f %v, want %s %.2f from one clue", c.vendor, d.Type, d.TypeConfidence, d.TypeEvidence, c.want, c.conf)
		}
	}
}

// TestRuleCache classifies devices of many makers, models and names with
// and without the cache, twice through the same cache and past its bound:
// the type, confidence and evidence must be the same each time.
func TestRuleCache(t *testing.T) {
	texts := []string{"Fortinet, Inc.", "Cisco Systems, Inc", "Apple, Inc.", "Hewlett Packard Enterprise", "Hewlett Packard",
		"Seiko Epson Corporation", "Nobody Ltd", "", "CYBER POWER SYSTEMS", "Microsoft Corporation (Hyper-V)", "Raspberry Pi Trading Ltd",
		"Catalyst 2960 switch", "LaserJet Pro M404", "FortiGate-60F", "Synology DiskStation", "ESXi", "printer-2nd-floor",
		"DESKTOP-4F2K1", "iPhone", "nas01", "ap-lobby", "Smart-UPS 1500 gateway"}
	for _, v := range texts {
		texts = append(texts, strings.ToUpper(v), v+" x")
	}
	c := NewRuleCache()
	for i := range maxRuleTexts + 10 {
		c.matches(listText, textRules, fmt.Sprintf("filler %d", i), false) // past the bound: the cache starts again
	}
	type typed struct {
		Type       inventory.DeviceType
		Confidence float64
		Evidence   []inventory.Evidence
	}
	classified := 0
	for round := range 2 {
		for _, v := range texts {
			mk := func() *inventory.Device {
				d := &inventory.Device{MAC: inventory.MAC{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}, Vendor: v, Hostname: v, Make: v, Model: v + " 2", OS: v}
				d.Names = []string{v, "x" + v}
				return d
			}
			want, got := mk(), mk()
			ClassifyWith(want, ClassifyHints{})
			ClassifyWith(got, ClassifyHints{Rules: c})
			if diff := cmp.Diff(typed{want.Type, want.TypeConfidence, want.TypeEvidence}, typed{got.Type, got.TypeConfidence, got.TypeEvidence}); diff != "" {
				t.Errorf("round %d, text %q: (-uncached +cached)\n%s", round, v, diff)
			}
			if got.Type != inventory.TypeUnknown {
				classified++
			}
		}
	}
	if classified == 0 {
		t.Error("no text classified: the test compares nothing")
	}
	if len(c.m) == 0 || len(c.m) > maxRuleTexts {
		t.Errorf("cache holds %d texts, want 1..%d", len(c.m), maxRuleTexts)
	}
}

// TestRuleListsFit checks that the rule lists RuleCache remembers fit its
// 64-bit sets.
func TestRuleListsFit(t *testing.T) {
	for name, rules := range map[string][]textRule{"makerRules": makerRules, "textRules": textRules, "hostRules": hostRules} {
		if len(rules) > 64 {
			t.Errorf("%s has %d rules, RuleCache holds 64", name, len(rules))
		}
	}
}

// TestSensorTypeWeight: a type a sensor only inferred (an OS banner's
// server, weight 0.5) shows its own weight as the confidence, not
// the weight of an outright statement; a weight above the statement's is
// capped at it.
func TestSensorTypeWeight(t *testing.T) {
	for _, c := range []struct {
		weight, want float64
	}{{0, sensorWeight}, {0.35, 0.35}, {0.95, sensorWeight}} {
		d := inventory.Device{}
		d.SensorType, d.SensorWeight = inventory.TypeUPS, c.weight
		Classify(&d)
		if d.Type != inventory.TypeUPS || d.TypeConfidence != c.want {
			t.Errorf("sensor weight %.2f: %s at %.2f, want ups at %.2f", c.weight, d.Type, d.TypeConfidence, c.want)
		}
	}
}

// TestProductLinesS38 types the product lines and makers session 38 added
// (the biggest untyped families of setC): what the SNMP agent names as
// make, model and sysDescr, as identity folds it.
func TestProductLinesS38(t *testing.T) {
	for _, c := range []struct {
		make, model, descr string
		want               inventory.DeviceType
	}{
		{"", "RUTX11", "Linux hostname 4.14.221 #0 SMP Mon Feb 15 15:22:37 2021 armv7l", inventory.TypeRouter},
		{"", "TRB500", "Linux x.y 4.14.336 #0 PREEMPT armv7l", inventory.TypeRouter},
		{"", "CP 1100", "Linux CP1100 2.6.22.18 #1 Thu May 10 14:36:02 IDT 2018 armv5tejl", inventory.TypeFirewall},
		{"", "airFiber 5XHD", "Linux PRIVATE 3.14.65 #7 SMP PREEMPT RT armv7l", inventory.TypeAP},
		{"Huawei", "S6700", "Huawei YunShan OS Version 1.24.0.1 (S6700 V600R024C00SPC100)", inventory.TypeSwitch},
		{"Gigamon Systems LLC", "GigaVUE-2404", "Gigamon GigaVUE-2404 v8.6.07", inventory.TypeSwitch},
		{"Efficient IP", "SOLIDserver-260", "EfficientIP SOLIDserver", inventory.TypeServer},
		{"Pan Dacom Direkt GmbH", "Carrier 5U", "Linux hostname1 7.5.4 #1 ppc", inventory.TypeRouter},
		{"Tachyon Networks", "TNA-303X", "Linux tna 4.14.172 #0 SMP aarch64", inventory.TypeAP},
		{"Dantel, Inc.", "WebMon Edge", "WebMon Edge", inventory.TypeIoT},
		{"Alpha Technologies, Inc.", "Alpha Model DM3X", "", inventory.TypeUPS},
		{"Hatteras Networks", "HN4000e", "HN4000e", inventory.TypeRouter},
		{"Infoblox", "IB-825", "Linux 3.14.25 #1 SMP x86_64", inventory.TypeServer},
		{"", "", "ESPHome version 2024.12.2 compiled Dec 27 2024, 09:22:14, Board esp32dev", inventory.TypeIoT},
		{"Cherokee International Corporation", "", "Alpha Innovations Comp@s Monitoring System", inventory.TypeUPS},
		{"", "Route 66", "Acme Route 66 controller", inventory.TypeUnknown}, // "rut" inside a word is no Teltonika
	} {
		d := inventory.Device{Make: c.make, Model: c.model, SNMP: &inventory.SNMPSystem{SysDescr: c.descr}}
		Classify(&d)
		if d.Type != c.want {
			t.Errorf("%q %q: type %s (%v), want %s", c.make, c.model, d.Type, d.TypeEvidence, c.want)
		}
	}
}

// TestProductLinesS39 types the product lines and makers session 38 added
// (setC's next untyped families, each of one kind): what the SNMP agent
// names as make, model and sysDescr, as identity folds it.
func TestProductLinesS39(t *testing.T) {
	for _, c := range []struct {
		make, model, descr string
		want               inventory.DeviceType
	}{
		{"Ericsson", "MINI-LINK 6691", "MINI-LINK 6600", inventory.TypeAP},
		{"Alcatel-Lucent", "OAW-6000", "AOS-W (MODEL: OAW-6000), Version 6.3.1.23 (56687)", inventory.TypeAP},
		{"Huawei", "FRAME-300", "Huawei Integrated Access Software", inventory.TypeRouter},
		{"Ericsson", "", "Redback Networks SmartEdge OS Version SEOS-12.1.1.5p2-Release", inventory.TypeRouter},
		{"Ericsson", "SSR 8020", "Ericsson IPOS-18.1.1.9.98p30-Release", inventory.TypeRouter},
		{"", "EDGE610", "VeloCloud EDGE610", inventory.TypeRouter},
		{"", "", "Cisco PIX", inventory.TypeFirewall},
		{"RND", "", "DefensePro with DPI, BWM, Basic, Flood and IPv6", inventory.TypeFirewall},
		{"Blue Coat", "SG-S400", "Blue Coat SG-S400 Series, Version: SGOS 6.6.5.2", inventory.TypeFirewall},
		{"Hillstone Networks Inc", "SG-6000-E3965", "Hillstone Security Appliance SG-6000-E3965", inventory.TypeFirewall},
		{"Cisco", "ciscoUCVirtualMachine", "Linux release:2.6.32-573.18.1.el6.x86_64 machine:x86_64", inventory.TypeServer},
		{"Teracom Telematica Ltda.", "ETH24GX+4XS+MPLS", "ETH24GX+4XS+MPLS", inventory.TypeSwitch},
		{"Waystream AB", "MS4026-AC", "MS4026-AC, iBOS Version ibos-ms4k-7.1.2-ED-R", inventory.TypeSwitch},
		{"Data Domain, Inc", "Data Domain OS", "Data Domain OS 5.5.1.4-464376", inventory.TypeNAS},
		{"Siklu Communication LTD", "EH-1200TL-ODU-1ft", "EH-1200TL", inventory.TypeAP},
		{"Vutlan sro", "Vutlan EMS", "Vutlan EMS", inventory.TypeIoT},
		{"Janitza electronics GmbH", "UMG96RM", "Janitza electronics GmbH, UMG96", inventory.TypeUPS},
		{"Brocade", "ICX7650-48F", "Ruckus Wireless, Inc. ICX7650-48F, IronWare Version 09.0.10j", inventory.TypeSwitch},
		{"Realtek Semiconductor corp.", "ES-10X", "RTL8380-8GE-2GEF", inventory.TypeSwitch},
		{"Inflection Systems", "EX40000E-SEC", "ExaGrid EX40000E-SEC, 4.8.1.1209.P60", inventory.TypeNAS},
		{"Grandstream", "GWN7822P", "GWN7822P", inventory.TypeSwitch},
		{"Allied Telesis", "AT-TQ4600", "AT-TQ4600 version 4.0.1.07", inventory.TypeAP},
		{"OneAccess", "One300", "ONEOS5-VOIP_SIP_FT-V5.1R5E35_FT13", inventory.TypeRouter},
		{"", "SecurePlatform Pro", "Linux hostname #1 2.6.18-92cp SMP i686", inventory.TypeFirewall},
		{"Neoteris, Inc.", "", "Pulse Secure, LLC,Pulse Connect Secure,VMware-VA-DTE,8.2R5 (build 49363)", inventory.TypeFirewall},
		{"IBM", "OS/400", "IBM OS/400 V7R1M0", inventory.TypeServer},
		{"Nutanix Inc.", "", "Linux ntnx-1-cvm 3.10.0-1160.76.1.el7.nutanix.20220817.cvm.x86_64", inventory.TypeServer},
		{"Cisco", "IW9165DH-ROW", "Cisco IW9165DH-ROW - MESH POINT MODE", inventory.TypeAP},
		{"Cisco", "IE-3200-8T2S", "Cisco IE3200-8T2S", inventory.TypeSwitch},
		{"", "Asus RT-N66U", "Linux TomatoWifi 2.6.22.19 #13 mips", inventory.TypeRouter},
		{"", "NetVanta", "NetVanta", inventory.TypeRouter},
		{"Alcatel-Lucent", "OmniStack LS 6224P", "OmniStack LS 6200", inventory.TypeSwitch},
		{"", "CS121", "CS121 v 5.14.50", inventory.TypeUPS},
		{"Teleste Corporation", "LCH-D", "Teleste Luminato 8.2.6", inventory.TypeRouter},
		{"Advantech Czech s.r.o.", "LR77-v2", "LR77-v2 6.3.6 (2022-06-16)", inventory.TypeRouter},
		{"TRENDnet, Inc.", "TEG-S80ES", "TEG-S80ES", inventory.TypeSwitch},
		{"", "", "Internet Explorer 11", inventory.TypeUnknown},                      // "ie" with no model number
		{"", "Pixel 7", "Google Pixel 7", inventory.TypePhone},                       // "pix" inside a word is no Cisco PIX
		{"", "Aviation display", "Aviation display", inventory.TypeUnknown},          // nor "aviat" in "aviation" Aviat Networks
		{"", "", "Linux i2k 3.10.26-800G.GS25700 #1 SMP ppc", inventory.TypeUnknown}, // a kernel build tag is no Netgear GS switch
		{"", "", "Kernel build EX40000 appliance", inventory.TypeUnknown},            // nor five digits a Juniper EX
	} {
		d := inventory.Device{Make: c.make, Model: c.model, SNMP: &inventory.SNMPSystem{SysDescr: c.descr}}
		Classify(&d)
		if d.Type != c.want {
			t.Errorf("%q %q: type %s (%v), want %s", c.make, c.model, d.Type, d.TypeEvidence, c.want)
		}
	}
}

// TestAPWordNotSuffix: kindWords' "AP" is a word ("Cisco AP", "AP-305"),
// not a model's suffix after a hyphen (Hikvision's camera
// "DS-2CD4C36FWD-AP").
func TestAPWordNotSuffix(t *testing.T) {
	i := slices.IndexFunc(kindWords, func(r textRule) bool { return r.t == inventory.TypeAP })
	for text, want := range map[string]bool{"DS-2CD4C36FWD-AP": false, "XYZ-AP": false, "AP-305": true, "Cisco AP 1832": true, "AP": true, "Mesh AP": true} {
		if got := kindWords[i].re.MatchString(text); got != want {
			t.Errorf("%q: AP clue %v, want %v", text, got, want)
		}
	}
}
