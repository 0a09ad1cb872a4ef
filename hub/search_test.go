package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"tend/upstream"
)

// TestSearchFromGrams: /api/sites?q= answers from the gram: records what
// filtering every site's list record answers (pageSites, the old way),
// for short, long, Unicode and slug searches, on both stores; after a
// site is deleted; and in a store whose gram: records are thrown away
// (built again from the list records).
func TestSearchFromGrams(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		for _, n := range []string{"Acme Dental", "Zahnarztpraxis Müller", "東京 Clinic", "B", "Beta Labs", "Dental Care Ost"} {
			if _, _, err := th.data.AddNamedSite(n, ""); err != nil {
				t.Fatal(err)
			}
		}
		body := summaryJSON("b1", 1, `,"health":{"score":90,"components":[]},"actions":[]`)
		if code, r := signedPost(t, th, "b1", 1, gzipJSON(t, body)); code != 200 {
			t.Fatalf("acme's summary: %d %+v", code, r)
		}
		tok, _ := th.data.NewToken("ops")
		queries := []string{"acme", "ACME", " dental ", "den", "de", "d", "müller", "MÜLLER", "zahnarztpraxis-muller", "東京", "京",
			"b", "labs", "a d", "nowhere", "s", "-", "tal c"}
		check := func(when string) {
			t.Helper()
			all, err := th.hub.siteViews()
			if err != nil {
				t.Fatal(err)
			}
			sortWorstFirst(all)
			for _, q := range queries {
				want, pg := pageSites(all, q, "", "500")
				code, raw, hdr := get(t, th.srv.Client(), th.srv.URL+"/api/sites?per_page=500&q="+url.QueryEscape(q), tok)
				var got []SiteView
				if err := json.Unmarshal([]byte(raw), &got); err != nil || code != 200 {
					t.Fatalf("%s: q=%q: %d %v", when, q, code, err)
				}
				if !slices.Equal(siteNames(got), siteNames(want)) || hdr.Get("X-Total-Count") != fmt.Sprint(pg.Matched) {
					t.Errorf("%s: q=%q: %v (total %s), want %v", when, q, siteNames(got), hdr.Get("X-Total-Count"), siteNames(want))
				}
			}
		}
		check("new sites")
		if err := th.data.DeleteSite("beta-labs"); err != nil {
			t.Fatal(err)
		}
		check("after a deletion")
		var grams int
		err := th.data.db.update(func(tx kvTx) error {
			_ = tx.Ascend("gram:", func(string, string) bool { grams++; return true })
			return errors.Join(prune(tx, []string{"gram:"}, []string{prefixEnd("gram:")}), tx.Delete("meta:index"))
		})
		if err != nil || grams == 0 {
			t.Fatalf("throwing the gram: records away: %d, %v", grams, err)
		}
		check("gram: records built again")

		hc := signIn(t, th)
		_, page, _ := get(t, hc, th.srv.URL+"/sites?q=Dental", "")
		if n := strings.Count(page, `<a href="/sites/`); n != 2 || !strings.Contains(page, "1–2 of 2 matching") || !strings.Contains(page, "6 sites") {
			t.Errorf("fleet page search: %d rows\n%.2000s", n, page)
		}
	})
}

func siteNames(v []SiteView) []string {
	out := []string{}
	for _, s := range v {
		out = append(out, s.Name)
	}
	return out
}

// TestForecastFromRecords: the forecast page's list and sums, read from
// the fc: and page records, equal FleetOf over every site's whole record
// (the old read) as forecasts change, on both stores; and in a store
// whose fc: records are thrown away (built again from the site records).
func TestForecastFromRecords(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		acme, _ := upstream.ParseSiteKey(th.key)
		keys, seqs := map[string][]byte{"acme": acme}, map[string]uint64{}
		for _, n := range []string{"Beta", "Gamma"} {
			slug, key, err := th.data.AddNamedSite(n, strings.ToLower(n))
			if err != nil {
				t.Fatal(err)
			}
			keys[slug], _ = upstream.ParseSiteKey(key)
		}
		send := func(site string, months ...int) {
			t.Helper()
			seqs[site]++
			var due []string
			for i, m := range months {
				due = append(due, fmt.Sprintf(`{"mac":"00:00:5e:00:53:%02x","name":"dev %d","product":"ios 12.%d","eol":%q,"within_months":12}`,
					i, i, m, t0.AddDate(0, m, len(site)).Format(time.RFC3339)))
			}
			body := fmt.Sprintf(`{"schema":"1.0","site":%q,"box":"b","seq":%d,"first_seq":%d,"coalesced":1,"generated_at":"2026-11-24T12:00:00Z",`+
				`"interval_seconds":300,"devices":9,"critical":1,"health":{"score":60,"components":[]},"actions":[],`+
				`"forecast":{"eol":2,"eol_12_months":%d,"due":[%s]}}`, site, seqs[site], seqs[site], len(months), strings.Join(due, ","))
			gz := gzipJSON(t, []byte(body))
			idem := upstream.IdempotencyKey("b", seqs[site])
			if code, r := post(t, th, site, idem, upstream.Sign(keys[site], site, idem, gz), gz); code != http.StatusOK {
				t.Fatalf("%s #%d: %d %+v", site, seqs[site], code, r)
			}
			th.clk.Add(time.Minute)
		}
		hc := signIn(t, th)
		check := func(when string) {
			t.Helper()
			sites, err := th.data.Sites()
			if err != nil {
				t.Fatal(err)
			}
			want := FleetOf(sites)
			req, _ := http.NewRequest(http.MethodGet, th.srv.URL+"/forecast", nil)
			req.Header.Set("Accept", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var got Fleet
			err = json.NewDecoder(resp.Body).Decode(&got)
			resp.Body.Close()
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("%s: /forecast: %d %v", when, resp.StatusCode, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: /forecast %+v\nwant %+v", when, got, want)
			}
		}
		check("no summaries")
		send("acme", 3, 6)
		send("beta", 1, 9, 11)
		send("gamma")
		check("first summaries")
		// A cut list is the head of the whole one, whatever the cut; the
		// total counts every device due.
		all, n, err := th.data.ForecastDue(0)
		if err != nil || n != 5 || len(all) != 5 {
			t.Fatalf("forecast: %d of %d (%v), want 5 of 5", len(all), n, err)
		}
		for limit := 1; limit <= 6; limit++ {
			got, m, err := th.data.ForecastDue(limit)
			want := all[:min(limit, len(all))]
			if err != nil || m != n || !reflect.DeepEqual(got, want) {
				t.Errorf("limit %d: %+v of %d (%v), want %+v of %d", limit, got, m, err, want, n)
			}
		}
		if code, page, _ := get(t, hc, th.srv.URL+"/forecast", ""); code != 200 || !strings.Contains(page, "dev 0") {
			t.Errorf("forecast page: %d %q", code, page)
		}
		send("acme", 3, 6) // unchanged: no rewrite
		send("beta", 9)
		check("beta's forecast shrank")
		if err := th.data.DeleteSite("acme"); err != nil {
			t.Fatal(err)
		}
		check("acme deleted")
		err = th.data.db.update(func(tx kvTx) error {
			return errors.Join(prune(tx, []string{"fc:"}, []string{prefixEnd("fc:")}), tx.Delete("meta:index"))
		})
		if err != nil {
			t.Fatal(err)
		}
		check("fc: records built again")
	})
}
