package snmp

import (
	"slices"
	"testing"

	"tend/inventory"
)

// TestTypeOfBannerAndVendorRules: an OS banner's server type stands for a
// general-purpose host only (net-snmp's own sysObjectID, no embedded
// processor in the banner, no newer ARM one under a maker's own kernel),
// and then at bannerWeight, so that what the agent says of its kind
// outweighs it in identity.Classify; a vendor rule's fixed type is stated
// outright (weight 0) and the sensor gives no type of its own from
// sysDescr's words (identity weighs them).
func TestTypeOfBannerAndVendorRules(t *testing.T) {
	const windows, netSNMP = "1.3.6.1.4.1.311.1.1.3.1.2", "1.3.6.1.4.1.8072.3.2.10"
	for _, c := range []struct {
		name, sysOID, descr string
		want                inventory.DeviceType
		weight              float64
	}{
		{"server banner", netSNMP, "Linux web01 4.19.0-6-amd64 #1 SMP Debian 4.19.67-2 (2019-08-28) x86_64", inventory.TypeServer, bannerWeight},
		{"Raspberry Pi", netSNMP, "Linux raspberrypi 5.4.51-v7+ #1333 SMP Mon Aug 10 16:45:19 BST 2020 armv7l", inventory.TypeServer, bannerWeight},
		{"MIPS router", netSNMP, "Linux Teltonika-RUT240.com 3.18.44 #1 Fri Jun 7 08:39:02 UTC 2019 mips", inventory.TypeUnknown, 0},
		{"PowerPC appliance", netSNMP, "Linux hostname1 7.5.4 #1 12:38:14 Feb 15 2021 UTC ppc", inventory.TypeUnknown, 0},
		{"ARMv5 UPS card", netSNMP, "Linux GSE200M 2.6.27-SPEAr310 #5 Fri Mar 9 23:07:56 CST 2012 armv5tejl", inventory.TypeUnknown, 0},
		{"maker's sysObjectID", "1.3.6.1.4.1.17163.1.1", "Linux hostname 2.6.32 #1 SMP Tue May 10 23:49:24 PDT 2016 x86_64", inventory.TypeUnknown, 0},
		{"banner, but a PDU", netSNMP, "Linux pdu 4.4.9 #6 SMP Thu Apr 27 15:48:52 EDT 2017 x86_64 Metered PDU", inventory.TypeServer, bannerWeight},
		{"Raspberry Pi OS on ARMv6", netSNMP, "Linux mso 4.19.97+ #1294 Thu Jan 30 13:10:54 GMT 2020 armv6l", inventory.TypeServer, bannerWeight},
		{"BeagleBone", netSNMP, "Linux beagleboneAI 4.19.94-ti-r48 #1buster SMP PREEMPT Wed Aug 19 17:38:55 UTC 2020 armv7l", inventory.TypeServer, bannerWeight},
		{"Ubuntu on AArch64", netSNMP, "Linux pi4 5.15.0-1034-raspi #37-Ubuntu SMP PREEMPT Mon Jul 17 13:59:51 UTC 2023 aarch64", inventory.TypeServer, bannerWeight},
		{"ARMv7 router's own kernel", netSNMP, "Linux OpenWrt 5.4.137 #0 SMP Sat Jul 31 17:21:01 2021 armv7l", inventory.TypeUnknown, 0},
		{"AArch64 radio's own kernel", netSNMP, "Linux tns-100 4.14.275 #0 SMP Thu Dec 28 15:41:23 2023 aarch64 GNU/Linux", inventory.TypeUnknown, 0},
		{"windows server", windows, "Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)", inventory.TypeServer, 0},
		{"no rule, words only", "1.3.6.1.4.1.99999.1", "Environmental Monitor EM-100", inventory.TypeUnknown, 0},
	} {
		id := identify(c.sysOID, candidates(c.sysOID, c.descr), newValues(c.descr))
		if id.Type != c.want || id.typeWeight != c.weight {
			t.Errorf("%s: type %q weight %.2f, want %q %.2f (evidence %v)", c.name, id.Type, id.typeWeight, c.want, c.weight, id.Evidence)
		}
	}
}

// TestStructure: the standard MIBs' answers become the capabilities
// identity weighs, each only when the agent answered it plausibly.
func TestStructure(t *testing.T) {
	vs := newValues("")
	if got := structure(vs); len(got) != 0 {
		t.Errorf("nothing answered: %q, want none", got)
	}
	vs.scalar[oidSysServices] = value{text: "78"}
	vs.scalar[oidIPForwarding] = value{text: "2"} // not forwarding
	vs.scalar[oidDot1dBaseNumPort] = value{text: "26"}
	vs.scalar[upsIdentModel] = value{text: "Smart-UPS 1500"}
	vs.scalar[prtSerial1] = value{text: "X1"}
	vs.scalar[hrDeviceType1] = value{text: hrDevicePrinter}
	want := []string{"sysServices:78", "BRIDGE-MIB ports:26", "UPS-MIB", "Printer-MIB", "hrDevicePrinter"}
	if got := structure(vs); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	vs = newValues("")
	vs.scalar[oidSysServices] = value{text: "200"} // past the seven layers
	vs.scalar[oidIPForwarding] = value{text: "1"}
	if got, want := structure(vs), []string{"ipForwarding"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
