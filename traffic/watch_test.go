package traffic

import (
	"net/netip"
	"testing"
	"time"

	"tend/inventory"
)

// TestRollupDeltas: each period holds what a host moved since the previous
// one; a host that moved nothing is left out.
func TestRollupDeltas(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	mac := inventory.MAC{0, 0x11, 0x32, 0, 0, 1}
	r := rollups{prev: map[string]HostStats{}, start: t0}
	h := HostStats{MAC: mac, IP: netip.MustParseAddr("10.0.0.5"), BytesIn: 100, BytesOut: 50, PacketsIn: 2, PacketsOut: 1,
		Protocols: map[string]uint64{"smb": 1}, Peers: []Peer{{IP: netip.MustParseAddr("10.0.0.9"), Bytes: 150}}}
	got := r.next([]HostStats{h}, t0.Add(5*time.Minute))
	if len(got) != 1 || got[0].BytesIn != 100 || got[0].Period != 5*time.Minute || got[0].Protocols["smb"] != 1 || len(got[0].Peers) != 1 {
		t.Fatalf("first period %+v", got)
	}
	if got := r.next([]HostStats{h}, t0.Add(10*time.Minute)); len(got) != 0 {
		t.Errorf("a host that moved nothing: %+v", got)
	}
	h.BytesIn, h.PacketsIn, h.Protocols = 400, 5, map[string]uint64{"smb": 4}
	got = r.next([]HostStats{h}, t0.Add(15*time.Minute))
	if len(got) != 1 || got[0].BytesIn != 300 || got[0].PacketsIn != 3 || got[0].Protocols["smb"] != 3 || !got[0].Start.Equal(t0.Add(10*time.Minute)) {
		t.Errorf("third period %+v", got)
	}
}
