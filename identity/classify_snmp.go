package identity

import (
	"strconv"
	"strings"

	"tend/inventory"
)

// snmpStructureClues: what an SNMP agent's standard MIBs show of the
// device's structure (inventory's snmpcaps.go), the one place their
// weights live. Each kind counts once, the first reported (a device
// whose port count changed carries two). RFC 3418's sysServices says
// which layers the device serves: the internet layer is a router's (a
// layer-3 switch's too), the datalink layer alone a bridge's; the
// application layer alone says nothing (hosts, UPS cards and PDUs alike
// set 72).
func snmpStructureClues(d *inventory.Device, _ ClassifyHints, add addClue) {
	var seen [6]bool
	once := func(i int) bool {
		first := !seen[i]
		seen[i] = true
		return first
	}
	for _, c := range d.Capabilities {
		switch {
		case strings.HasPrefix(c, inventory.CapSysServices):
			n, err := strconv.Atoi(c[len(inventory.CapSysServices):])
			if err != nil || n <= 0 || n >= 128 || !once(0) {
				continue
			}
			says := "sysServices " + strconv.Itoa(n) + " says layer " + layers(n)
			switch {
			case n&4 != 0:
				add(inventory.TypeRouter, 0.3, "snmp", says+": routes IP")
			case n&2 != 0:
				add(inventory.TypeSwitch, 0.35, "snmp", says+": bridges")
			}
		case c == inventory.CapIPForwarding && once(1):
			add(inventory.TypeRouter, 0.25, "snmp", "ipForwarding says it forwards IP")
		case strings.HasPrefix(c, inventory.CapBridgePorts):
			if n, err := strconv.Atoi(c[len(inventory.CapBridgePorts):]); err == nil && n >= 4 && once(2) {
				add(inventory.TypeSwitch, 0.5, "snmp", "BRIDGE-MIB counts "+strconv.Itoa(n)+" bridge ports")
			}
		case c == inventory.CapUPSMIB && once(3):
			add(inventory.TypeUPS, 0.7, "snmp", "UPS-MIB answers")
		case c == inventory.CapPrinterMIB && once(4):
			add(inventory.TypePrinter, 0.7, "snmp", "Printer-MIB answers")
		case c == inventory.CapHRPrinter && once(5):
			add(inventory.TypePrinter, 0.7, "snmp", "HOST-RESOURCES' first device is a printer")
		}
	}
}

// layers names the OSI layers a sysServices value sets, "2+3+7".
func layers(n int) string {
	var b []byte
	for l := 1; l <= 7; l++ {
		if n&(1<<(l-1)) != 0 {
			if len(b) > 0 {
				b = append(b, '+')
			}
			b = append(b, byte('0'+l))
		}
	}
	return string(b)
}

// kinds are the device types as a sentence says what a maker sells.
var kinds = map[inventory.DeviceType]string{
	inventory.TypeFirewall: "firewalls", inventory.TypeRouter: "routers", inventory.TypeSwitch: "switches",
	inventory.TypeAP: "access points", inventory.TypePrinter: "printers", inventory.TypeNAS: "storage",
	inventory.TypeUPS: "UPSes and power gear", inventory.TypeHypervisor: "hypervisors", inventory.TypeServer: "servers",
	inventory.TypeCamera: "cameras", inventory.TypePhone: "phones", inventory.TypeWorkstation: "computers",
	inventory.TypeIoT: "IoT devices",
}
