package traffic

import (
	"time"

	"tend/inventory"
)

// One MAC answering DHCP clients as a rogue server is one incident, under
// whichever server identifier its answers carry: ettercap's dhcp spoofing
// sends some ACKs under its own address (dhcp.go's rogue server) and some
// under the real server's (dhcpforge.go's forged server), and raised both
// (review 35a P9). The per-server keys keep their cooldowns; rogueDHCPKey
// is the culprit's, which either report sets and both ask first.
func rogueDHCPKey(src mac) quietKey {
	return quietKey{typ: inventory.EventRogueDHCP, culprit: src, detail: "rogue server"}
}

// rogueDHCPRaised reports (and counts as suppressed) whether src was raised
// as a rogue DHCP server within the cooldown before t, by either detector.
func (e *Engine) rogueDHCPRaised(src mac, t time.Time) bool {
	return e.quieted(rogueDHCPKey(src), t)
}

// markRogueDHCP starts src's rogue DHCP incident at t (its first event was
// just reported).
func (e *Engine) markRogueDHCP(src mac, t time.Time) {
	if len(e.quiet) < e.cfg.MaxTrackers {
		e.quiet[rogueDHCPKey(src)] = t.Add(e.cfg.Cooldown)
	}
}
