package hub

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHistory: one point per summary in full detail for 90 days, one per
// day for three years; older points are pruned; the site and fleet pages
// draw the trend.
func TestHistory(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		const days = 120
		for d := range days {
			for i := range 2 { // two summaries a day: full detail keeps both, daily the last
				seq := uint64(2*d + i + 1)
				extra := fmt.Sprintf(`,"health":{"score":%d,"components":[{"name":"actions","score":%d,"weight":1}]},"actions":[{"id":"a","severity":"critical"}]`, 40+d%50, d%100)
				if code, r := signedPost(t, th, "b1", seq, gzipJSON(t, summaryJSON("b1", seq, extra))); code != http.StatusOK {
					t.Fatalf("day %d: %d %+v", d, code, r)
				}
				th.clk.Add(12 * time.Hour)
			}
		}
		now := th.clk.Now()
		full, err := th.data.History("acme", now.Add(-30*24*time.Hour), now)
		if err != nil || len(full) != 60 {
			t.Fatalf("30 days in full detail: %d points, %v; want 60", len(full), err)
		}
		if p := full[len(full)-1]; p.Health != 40+(days-1)%50 || p.Actions["critical"] != 1 || p.Components["actions"] != (days-1)%100 {
			t.Errorf("last point %+v", p)
		}
		daily, err := th.data.History("acme", now.Add(-200*24*time.Hour), now)
		if err != nil || len(daily) < days || len(daily) > days+1 { // noon starts: 120 days touch 121 dates
			t.Errorf("the whole range daily: %d points, %v; want one per calendar day (%d)", len(daily), err, days+1)
		}
		var kept int
		th.data.db.view(func(tx kvTx) error {
			return tx.Ascend("hist:acme:", func(string, string) bool { kept++; return true })
		})
		if kept > 2*91 {
			t.Errorf("%d full-detail points kept, want at most 90 days' (%d)", kept, 2*91)
		}
		fleet, err := th.data.FleetHistory([]SiteStatus{{Name: "acme"}}, now.Add(-10*24*time.Hour), now)
		if err != nil || len(fleet) < 9 {
			t.Errorf("fleet history: %d points, %v", len(fleet), err)
		}
		tok, _ := th.data.NewToken("ops")
		code, body, _ := get(t, th.srv.Client(), th.srv.URL+"/api/sites/acme/history?from="+now.AddDate(0, 0, -10).Format(time.DateOnly), tok)
		if code != 200 || !strings.Contains(body, `"health"`) {
			t.Errorf("history API: %d %.200s", code, body)
		}
		if got := chart(full, "x"); !strings.Contains(string(got), "<polyline") || strings.Contains(string(got), "style=") {
			t.Errorf("chart: %s", got)
		}
	})
}
