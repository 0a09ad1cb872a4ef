package traffic

import (
	"fmt"
	"net/netip"

	"tend/inventory"
)

// forgedVictim words a smurf's (or fraggle's) source as forged when the
// event ev still names the victim dst as its sender: floodForged says so
// only where the sender's MAC has an address of its own, and thc smurf6
// forges the MAC too (00:00:de:ad:be:ef), which then claims nothing
// (review 35a P5: "fd35:1::10 sent an ICMP echo flood toward ff02::1").
// The sender is then named by its MAC alone, the victim as the target.
func forgedVictim(ev *inventory.Event, culprit mac, dst netip.Addr) {
	if culprit == (mac{}) || ev.IP != dst {
		return
	}
	ev.IP = netip.Addr{}
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic",
		Detail: fmt.Sprintf("source address forged as %s, the victim's; %s has no address of its own here (its MAC may be invented too: find it by the switch port)", dst, macString(culprit))})
}
