package hub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
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

// TestHistoryOpenHeldOnChange: a site with 100 open actions that do not
// change sends summaries every 5 minutes across midnight; each full-detail
// point stores the open actions' ids only when they changed from the
// previous point of its day (and at the day's first), yet History, the
// history API and the report answer as if every point held them.
func TestHistoryOpenHeldOnChange(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		ids := make([]string, 100)
		for i := range ids {
			ids[i] = fmt.Sprintf("firmware-eol-%012x", 0x5e0053000000+i)
		}
		th.clk.Add(10 * time.Hour) // 22:00: the points cross midnight
		const n, change = 60, 30   // at summary 30 one action is fixed, another opens
		start := th.clk.Now()
		var want [][]string
		for i := range n {
			open := ids
			if i >= change {
				open = append(slices.Clone(ids[1:]), "default-community-00005e0053ff")
			}
			acts := make([]string, len(open))
			for j, id := range open {
				acts[j] = fmt.Sprintf(`{"id":%q,"severity":"high","title":"action %d"}`, id, j)
			}
			seq := uint64(i + 1)
			extra := `,"health":{"score":70,"components":[]},"actions":[` + strings.Join(acts, ",") + `]`
			if code, r := signedPost(t, th, "b1", seq, gzipJSON(t, summaryJSON("b1", seq, extra))); code != http.StatusOK {
				t.Fatalf("summary %d: %d %+v", i, code, r)
			}
			want = append(want, open)
			th.clk.Add(5 * time.Minute)
		}
		end := th.clk.Now()

		var sizes []int
		th.data.db.view(func(tx kvTx) error {
			return tx.Ascend("hist:acme:", func(_, v string) bool { sizes = append(sizes, len(v)); return true })
		})
		holders, small, total := 0, 0, 0
		for _, sz := range sizes {
			total += sz
			if sz > 1000 {
				holders++
			} else {
				small = max(small, sz)
			}
		}
		// The first point, the changed one, the first after midnight.
		if len(sizes) != n || holders != 3 || small > 400 {
			t.Errorf("%d points, %d holding the ids, the others up to %d bytes; want %d, 3, at most 400", len(sizes), holders, small, n)
		}
		t.Logf("100 open actions: %d bytes per point on average (%d points), %d without the ids", total/len(sizes), len(sizes), small)

		pts, err := th.data.History("acme", start.Add(-time.Minute), end)
		if err != nil || len(pts) != n {
			t.Fatalf("history: %d points, %v; want %d", len(pts), err, n)
		}
		for i, p := range pts {
			if !slices.Equal(p.Open, want[i]) {
				t.Errorf("point %d: %d open ids, want %d (%v)", i, len(p.Open), len(want[i]), p.Open)
			}
		}
		// A range starting after the point that holds its first point's ids.
		late, err := th.data.History("acme", start.Add(40*5*time.Minute-time.Second), end)
		if err != nil || len(late) != n-40 || !slices.Equal(late[0].Open, want[40]) {
			t.Errorf("history from point 40: %d points, %v", len(late), err)
		}

		r, err := th.data.BuildReport("Example IT", "acme", start.Add(-time.Minute), end)
		if err != nil {
			t.Fatal(err)
		}
		full := slices.Clone(pts)
		for i := range full {
			full[i].Open = want[i]
		}
		fixed, opened, err := th.data.actionChanges("acme", full)
		if err != nil || !reflect.DeepEqual(r.Fixed, reportItems(fixed)) || !reflect.DeepEqual(r.New, reportItems(opened)) ||
			len(r.Fixed) != 1 || r.Fixed[0].Key != ids[0] || len(r.New) != 1 || r.New[0].Key != "default-community-00005e0053ff" {
			t.Errorf("report fixed %+v new %+v; want %s fixed, one new", r.Fixed, r.New, ids[0])
		}

		tok, _ := th.data.NewToken("ops")
		code, body, _ := get(t, th.srv.Client(), th.srv.URL+"/api/sites/acme/history?from="+start.Format(time.DateOnly), tok)
		var api []Point
		if code != 200 || json.Unmarshal([]byte(body), &api) != nil || strings.Contains(body, "open_at") || len(api) != n ||
			!slices.Equal(api[n-1].Open, want[n-1]) {
			t.Errorf("history API: %d, %d points %.300s", code, len(api), body)
		}
	})
}
