package snmp

import "testing"

// TestApplianceCPU: a last resort's non-x86 CPU architecture under a
// maker's own sysObjectID names the processor, not the product (setZ's
// cubo, setC's Vertiv EES, LANCOM LW-600, Opengear ACM550x); under
// net-snmp's or UCD's sysObjectID, or on x86 (Nutanix AOS, whose
// LibreNMS truth is "Generic x86 64-bit"), it stays.
func TestApplianceCPU(t *testing.T) {
	for _, c := range []struct {
		model, oid string
		want       bool
	}{
		{"Generic ARMv7", "1.3.6.1.4.1.27894.10.1", true},
		{"Generic ARM 64-bit", "1.3.6.1.4.1.2356.13.8.0.4", true},
		{"Generic MIPS", "1.3.6.1.4.1.6302.2.1", true},
		{"Generic ARMv7", "1.3.6.1.4.1.8072.3.2.10", false},
		{"Generic ARM", "1.3.6.1.4.1.2021.250.10", false},
		{"Generic x86 64-bit", "1.3.6.1.4.1.41263", false},
		{"Generic ARMv7", "", false},
		{"ACM5504-5-G-I", "1.3.6.1.4.1.25049.1.81", false},
	} {
		if got := applianceCPU(c.model, c.oid); got != c.want {
			t.Errorf("applianceCPU(%q, %q) = %v, want %v", c.model, c.oid, got, c.want)
		}
	}
}

// TestServiceBannerModel: an SNMP service's banner in sysDescr (Dell
// FluidFS's, BKE's) is no model, nor is its protocol version alone; a
// product number beside the agent's name still names the product.
func TestServiceBannerModel(t *testing.T) {
	for _, c := range []struct {
		v    string
		want bool // refused
	}{
		{"FluidFS SnmpService SnmpV2c", true},
		{"SnmpV2c", true},
		{"ETH_mod SNMP Supervisor", true},
		{"IMCO SNMP Agent", true},
		{"TCW241 SNMP Agent", false},
		{"TCW241 SNMPv2c", false},
		{"Dell Storage FS8600", false},
	} {
		if got := implausible("model", c.v) != ""; got != c.want {
			t.Errorf("implausible(model, %q) refused %v, want %v", c.v, got, c.want)
		}
	}
}
