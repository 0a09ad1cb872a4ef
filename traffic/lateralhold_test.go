package traffic

import (
	"path/filepath"
	"strings"
	"testing"

	"tend/inventory"
)

// TestLateralPushOneIncident: review 39's push of a service to ten servers
// from one client (impacket psexec in turn, real bytes) is one
// lateral_movement event listing the ten, not ten; a single server's stays
// one event naming it.
func TestLateralPushOneIncident(t *testing.T) {
	count := func(file, gateway string) []inventory.Event {
		var out []inventory.Event
		for _, ev := range replayEvents(t, filepath.Join("testdata", "staged", file), labelled{Gateway: gateway}) {
			if ev.Type == inventory.EventLateralMovement {
				out = append(out, ev)
			}
		}
		return out
	}
	evs := count("smb-deploy-10-servers-impacket-psexec.pcap.gz", "192.168.39.1")
	if len(evs) != 1 {
		t.Fatalf("ten servers from one client raised %d lateral_movement events, want 1: %v", len(evs), evs)
	}
	if ev := evs[0]; ev.Severity != inventory.SeverityHigh || !strings.Contains(ev.Summary, "on 10 servers (192.168.39.31, ") || ev.TargetIP.String() != "192.168.39.31" {
		t.Errorf("the push's event: %s %s (target %s), want High listing 10 servers from .31", ev.Severity, ev.Summary, ev.TargetIP)
	}
	one := count("rpc-tcp-remote-exec-impacket.pcap", "10.88.8.1")
	if len(one) != 1 || strings.Contains(one[0].Summary, "servers (") || !strings.Contains(one[0].Summary, "on 10.88.8.30:") {
		t.Errorf("one server's remote execution: %v, want one event naming 10.88.8.30", one)
	}
}
