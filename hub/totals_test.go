package hub

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"tend/upstream"
)

// TestFleetTotalsEqualRecount: the fleet totals, the page order, the
// stale sites and the current day's trend point kept on each write equal
// a recount from every site's list record, after random ingests,
// deletions, key rotations, new sites and the clock moving on (sites
// going stale, a new day), on both stores; and again after the page
// records are thrown away and built from the list records.
func TestFleetTotalsEqualRecount(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		rng := rand.New(rand.NewPCG(7, 8))
		acme, _ := upstream.ParseSiteKey(th.key)
		keys, seqs := map[string][]byte{"acme": acme}, map[string]uint64{}
		for i := range 12 {
			slug, key, err := th.data.AddNamedSite(fmt.Sprintf("Site %02d", i), "")
			if err != nil {
				t.Fatal(err)
			}
			keys[slug], _ = upstream.ParseSiteKey(key)
		}
		names := func() []string {
			out := make([]string, 0, len(keys))
			for n := range keys {
				out = append(out, n)
			}
			slices.Sort(out)
			return out
		}
		send := func(site string) {
			seqs[site]++
			var acts []string
			for range rng.IntN(4) {
				sev := []string{"critical", "high", "low"}[rng.IntN(3)]
				acts = append(acts, fmt.Sprintf(`{"id":"a%d","rule":"r","severity":%q,"device":"","title":"t","action":"x","evidence":[],"first_seen":"2026-11-24T12:00:00Z"}`, rng.IntN(1000), sev))
			}
			body := fmt.Sprintf(`{"schema":"1.0","site":%q,"box":"b","seq":%d,"first_seq":%d,"coalesced":1,"generated_at":"2026-11-24T12:00:00Z",`+
				`"interval_seconds":%d,"devices":%d,"health":{"score":%d,"components":[]},"actions":[%s],`+
				`"forecast":{"eol":%d,"eol_12_months":%d,"due":[]},"vulnerabilities":{"kev_devices":%d,"affected":0,"potentially_affected":0,"kev":[]}}`,
				site, seqs[site], seqs[site], []int{60, 300, 900}[rng.IntN(3)], rng.IntN(300), rng.IntN(101), strings.Join(acts, ","),
				rng.IntN(20), rng.IntN(20), rng.IntN(3))
			gz := gzipJSON(t, []byte(body))
			idem := upstream.IdempotencyKey("b", seqs[site])
			if code, r := post(t, th, site, idem, upstream.Sign(keys[site], site, idem, gz), gz); code != 200 {
				t.Fatalf("%s seq %d: %d %+v", site, seqs[site], code, r)
			}
		}
		sawStale, sawFresh := false, false
		check := func(when string) {
			t.Helper()
			heads, err := th.data.SiteHeads()
			if err != nil {
				t.Fatal(err)
			}
			now := th.clk.Now()
			day := now.UTC().Truncate(24 * time.Hour)
			tot, dt, err := th.data.fleetTotals(day.Format(time.DateOnly))
			if err != nil {
				t.Fatal(err)
			}
			want := totals{}
			for _, s := range heads {
				want.add(contribution(s), 1)
			}
			f := FleetOf(heads)
			if tot != want || tot.Sites != f.Sites || tot.Devices != f.Devices || tot.Critical != f.Critical || tot.EOL != f.EOL ||
				tot.EOL12Months != f.EOL12Months || tot.KEVDevices != f.KEVDevices || tot.KEVSites != f.KEVSites {
				t.Fatalf("%s: kept totals %+v, recount %+v (FleetOf %+v)", when, tot, want, f)
			}
			live, err := th.data.FleetHistory(heads, day, now)
			if err != nil {
				t.Fatal(err)
			}
			var kept []Point
			if dt.Sites > 0 {
				kept = []Point{{Time: day, Health: dt.Health / dt.Sites, Devices: dt.Devices, EOL: dt.EOL}}
			}
			if fmt.Sprint(live) != fmt.Sprint(kept) {
				t.Fatalf("%s: today's trend point kept %+v (%+v), recount %+v", when, kept, dt, live)
			}
			views := make([]SiteView, len(heads))
			for i, s := range heads {
				views[i] = th.hub.view(s)
			}
			sortWorstFirst(views)
			for _, lo := range []int{0, 3, 7, len(views) - 2} {
				stale, page, err := th.data.sitesPage(now, lo, 4)
				if err != nil {
					t.Fatal(err)
				}
				sawStale, sawFresh = sawStale || len(stale) > 0 && len(stale) < len(heads), sawFresh || len(page) > 0
				var got []string
				for _, s := range stale {
					got = append(got, s.Name+"!")
				}
				got = got[min(lo, len(got)):min(lo+4, len(got))]
				for _, s := range page {
					got = append(got, s.Name)
				}
				var exp []string
				for _, v := range views[lo:min(lo+4, len(views))] {
					exp = append(exp, v.Name+map[bool]string{true: "!"}[v.Stale])
				}
				if nStale := strings.Count(strings.Join(exp, " "), "!"); fmt.Sprint(got) != fmt.Sprint(exp) || (lo == 0 && len(stale) < nStale) {
					t.Fatalf("%s: page at %d kept %v, recount %v", when, lo, got, exp)
				}
			}
		}
		check("new sites")
		for round := range 60 {
			all := names()
			site := all[rng.IntN(len(all))]
			switch op := rng.IntN(10); {
			case op < 6:
				send(site)
			case op == 6 && site != "acme":
				if err := th.data.DeleteSite(site); err != nil {
					t.Fatal(err)
				}
				delete(keys, site)
			case op == 7:
				key, err := th.data.RotateSiteKey(site)
				if err != nil {
					t.Fatal(err)
				}
				keys[site], _ = upstream.ParseSiteKey(key)
			case op == 8:
				slug, key, err := th.data.AddNamedSite(fmt.Sprintf("New %02d", round), "")
				if err != nil {
					t.Fatal(err)
				}
				keys[slug], _ = upstream.ParseSiteKey(key)
			default:
				th.clk.Add(time.Duration(rng.IntN(240)) * time.Minute) // some go stale; a day ends now and then
			}
			check(fmt.Sprintf("round %d", round))
		}
		th.data.db.update(func(tx kvTx) error { return tx.Delete("meta:fleet-totals") })
		check("built again from the list records")
		if !sawStale || !sawFresh || th.clk.Now().Sub(t0) < 12*time.Hour {
			t.Errorf("the random rounds never had stale and fresh sites at once (%v %v), or the day never ended (%v)", sawStale, sawFresh, th.clk.Now().Sub(t0))
		}
	})
}
