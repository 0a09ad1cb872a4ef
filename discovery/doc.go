// Package discovery finds the devices on the client's LAN.
//
// Active discovery is an ARP sweep (RFC 826) of the IPv4 prefixes attached to
// the box's interface: every address gets a request, paced at arp-scan's polite
// default of 500 requests per second, and every answer becomes an
// inventory.Observation the moment it arrives, so the SNMP poller can start on
// a device while the sweep goes on. A second pass asks only the addresses that
// stayed silent, because a busy or sleeping host may miss one broadcast.
//
// The box lives on someone else's network: CheckScope refuses anything outside
// the private ranges (RFC 1918, RFC 6598) unless the operator says otherwise,
// and anything larger than a /16, and Sweep applies it again itself.
//
// The socket sits behind the small Conn interface so the sweep logic is tested
// with a fake; the real socket is mdlayher/arp over a pure-Go AF_PACKET socket
// (no cgo), opened by DialARP, which needs CAP_NET_RAW.
//
// Passive discovery reads what devices say on their own: Passive.Frame takes
// one raw Ethernet frame (802.1Q tags allowed) and returns observations from
// ARP (gratuitous announcements and probes included), DHCP (host name, vendor
// class, parameter request list, client identifier), mDNS/DNS-SD, SSDP,
// NBNS, LLDP (with LLDP-MED inventory), CDP, WS-Discovery, Ubiquiti
// discovery and IPv6 neighbour discovery. Every decoder is a pure function of
// the frame, bounds-checked and fuzzed, and never trusts a length field.
//
// The observations carry what a frame says; which device it is about, and
// what type that device is, are package identity's answer, applied where
// storage folds each observation. Sweeper.Run repeats sweeps with jitter,
// and AddVLAN gives the box an 802.1Q sub-interface per configured VLAN.
package discovery
