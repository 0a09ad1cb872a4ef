package hub

import (
	"context"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestHubHygieneShares: a box whose endpoints show hygiene traffic sends
// the shares (counts only, no product or host names of the endpoints'
// lookups), the hub keeps them with the site and the fleet page shows them
// per client; a box without any shows a dash.
func TestHubHygieneShares(t *testing.T) {
	th := newTestHub(t)
	hc := signIn(t, th)
	in := testSite(t, 4, t0)
	for i := range in.Snapshot.Devices {
		d := &in.Snapshot.Devices[i]
		d.Type, d.LastSeen = inventory.TypeWorkstation, t0
	}
	in.Snapshot.Devices[0].Hygiene = &inventory.Hygiene{EndpointProtection: []inventory.HygieneProduct{
		{Product: "Microsoft Defender Antivirus", Vendor: "Microsoft", FirstSeen: t0.Add(-time.Hour), LastSeen: t0, DaysSeen: 1, Heartbeat: true}}}
	c, _ := newTestClient(t, th, th.srv.URL, &in, 0)
	if _, err := c.Enqueue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Flush(context.Background()); n != 1 || err != nil {
		t.Fatalf("flush: %d %v", n, err)
	}
	st, err := th.data.Site("acme")
	if err != nil {
		t.Fatal(err)
	}
	if st.Hygiene == nil || st.Hygiene.Endpoints24h != 4 || st.Hygiene.Protected24h != 1 || st.Hygiene.Shares() != "25 % / 0 %" {
		t.Fatalf("site hygiene %+v", st.Hygiene)
	}
	_, page, _ := get(t, hc, th.srv.URL+"/sites", "")
	if !strings.Contains(page, "Protection / updates") || !strings.Contains(page, "25 % / 0 %") {
		t.Errorf("fleet page lacks the shares")
	}
	if strings.Contains(page, "Microsoft Defender") {
		t.Error("a product name reached the fleet page")
	}
}
