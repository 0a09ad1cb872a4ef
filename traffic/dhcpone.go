package traffic

import "tend/inventory"

// One MAC answering DHCP clients as a rogue server is one incident, under
// whichever server identifier its answers carry: ettercap's dhcp spoofing
// sends some ACKs under its own address (dhcp.go's rogue server) and some
// under the real server's (dhcpforge.go's forged server), and raised both
// (review 35a P9). rogueDHCPKey is the quiet key both reports use.
func rogueDHCPKey(src mac) quietKey {
	return quietKey{typ: inventory.EventRogueDHCP, culprit: src, detail: "rogue server"}
}
