package traffic

import (
	"path/filepath"
	"strings"
	"testing"

	"tend/inventory"
)

// TestRAFloodOneIncident replays thc-ipv6's router-advertisement floods
// (each advertisement from its own forged MAC and address): they must make
// one flood incident with no culprit MAC, not one rogue_ra per forged
// router.
func TestRAFloodOneIncident(t *testing.T) {
	for _, file := range []string{"flood-router6-thc.pcap", "flood-router26-thc.pcap"} {
		t.Run(file, func(t *testing.T) {
			evs := replayEvents(t, filepath.Join("testdata", "staged", file), "10.88.8.1")
			n, flood := 0, false
			for _, ev := range evs {
				if ev.Type != inventory.EventRogueRA {
					continue
				}
				n++
				if ev.MAC == nil && strings.Contains(ev.Summary, "flood") {
					flood = true
				}
			}
			if !flood || n > raFloodMACs {
				t.Errorf("%d rogue_ra events, a flood among them: %v; want one flood incident and at most %d events: %v", n, flood, raFloodMACs, evs)
			}
		})
	}
}
