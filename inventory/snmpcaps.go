package inventory

// What an SNMP agent's standard MIBs show of the device's structure, as the
// SNMP sensor reports it among Observation.Capabilities: facts only the
// sensor can read, which identity.Classify weighs with every other clue.
// A capability ending in ":" carries a number after it.
const (
	// CapSysServices + the decimal sysServices value (RFC 3418: bit
	// 2^(L-1) set for each OSI layer L the device serves), "sysServices:78".
	CapSysServices = "sysServices:"
	// CapIPForwarding: ipForwarding is 1, the agent forwards IP.
	CapIPForwarding = "ipForwarding"
	// CapBridgePorts + BRIDGE-MIB's dot1dBaseNumPorts, "BRIDGE-MIB ports:24".
	CapBridgePorts = "BRIDGE-MIB ports:"
	// CapUPSMIB: UPS-MIB's identity group answered.
	CapUPSMIB = "UPS-MIB"
	// CapPrinterMIB: Printer-MIB's general group answered.
	CapPrinterMIB = "Printer-MIB"
	// CapHRPrinter: HOST-RESOURCES' first device is hrDevicePrinter (a
	// printer's own, or a print queue a host lists first).
	CapHRPrinter = "hrDevicePrinter"
)
