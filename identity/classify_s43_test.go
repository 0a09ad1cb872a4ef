package identity

import (
	"testing"

	"tend/inventory"
)

// TestKindsS43: session 42's kinds from setC's untyped devices:
// application delivery controllers (load balancers) and SD-WAN edges are
// routers, tend's nearest kind; "AP6" names an access point as "AP" does
// while "-AP" stays a camera's suffix; a VSAT terminal is a radio link; a
// PoE midspan is switching gear; IBM's System x are servers; an ITU-T
// G.812 synchronization supply unit is timing gear, a server as time
// servers are; a 1-Wire gateway presents sensors. CISCO-PRODUCTS-MIB's
// descriptors spelled out (snmp's ciscoProductName) keep their kinds.
func TestKindsS43(t *testing.T) {
	for _, c := range []struct {
		make, descr string
		want        inventory.DeviceType
	}{
		{"A10 Networks", "AX Series Advanced Traffic Manager AXvThunder, ACOS 2.7.2-P4-SP1,", inventory.TypeRouter},
		{"F5", "BIG-IP Virtual Edition : Linux 3.10.0-862.14.4.el7.ve.x86_64 : BIG-IP software release 14.1.5", inventory.TypeRouter},
		{"Netscaler", "NetScaler NS11.1: Build 51.26.nc, Date: Jan 31 2017, 00:12:01", inventory.TypeRouter},
		{"", "ServerIron", inventory.TypeRouter},
		{"", "Kemp LoadMaster", inventory.TypeRouter},
		{"Citrix Systems Inc.", "Citrix Virtual WAN Appliance", inventory.TypeRouter},
		{"", "Alta AP6 2.2w", inventory.TypeAP},
		{"", "DS-2CD4C36FWD-AP", inventory.TypeUnknown},
		{"", "Management Card MN:AP9631", inventory.TypeServer}, // an APC part, not an AP
		{"Ipace Inc.", " UHP VSAT Terminal Software", inventory.TypeAP},
		{"PowerDsine", "Midspan.  Unit S/N=000076.  App Ver=4.17.05.07", inventory.TypeSwitch},
		{"", "IBM System x3550 M3", inventory.TypeServer},
		{"Bancomm", "SSU-2000, Synchronization Supply Unit", inventory.TypeServer},
		{"Embedded Data Systems, LLC", "Presents 1-wire devices over Ethernet using HTTP and SNMP", inventory.TypeIoT},
		// CISCO-PRODUCTS-MIB's descriptors as snmp spells them out
		{"Cisco", "Cisco 5500 Wlc", inventory.TypeAP},
		{"Cisco", "Cisco ASA 5510", inventory.TypeFirewall},
		{"Cisco", "Cisco ISR 4331", inventory.TypeRouter},
		{"Cisco", "Cisco UC Virtual Machine", inventory.TypeServer},
	} {
		d := device("", 0, c.make, c.descr)
		Classify(&d)
		if d.Type != c.want {
			t.Errorf("%q, %q: type %s, want %s (%v)", c.make, c.descr, d.Type, c.want, d.TypeEvidence)
		}
	}
}
