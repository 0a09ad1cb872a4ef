package hub

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestFleetPaging: the fleet page shows one page of the sites, worst
// first, with a search by name; /api/sites answers every site without
// parameters (old clients) and a page with them.
func TestFleetPaging(t *testing.T) {
	th := newTestHub(t)
	for i := range 120 {
		name := fmt.Sprintf("Branch %03d", i)
		if i%40 == 7 {
			name = fmt.Sprintf("Dental Clinic %03d", i)
		}
		if _, _, err := th.data.AddNamedSite(name, ""); err != nil {
			t.Fatal(err)
		}
	}
	body := summaryJSON("b1", 1, `,"health":{"score":90,"components":[]},"actions":[]`)
	if code, r := signedPost(t, th, "b1", 1, gzipJSON(t, body)); code != 200 {
		t.Fatalf("acme's summary: %d %+v", code, r)
	}
	hc := signIn(t, th)
	rows := func(page string) int { return strings.Count(page, `<a href="/sites/`) }

	_, page, _ := get(t, hc, th.srv.URL+"/sites", "")
	if n := rows(page); n != SitesPerPage || !strings.Contains(page, "121 sites") || !strings.Contains(page, "1–50 of 121") ||
		!strings.Contains(page, `href="/sites?page=2"`) || strings.Contains(page, `rel="prev"`) {
		t.Errorf("first page: %d rows, or no count or next link:\n%.3000s", n, page)
	}
	_, page, _ = get(t, hc, th.srv.URL+"/sites?page=3", "")
	if n := rows(page); n != 21 || !strings.Contains(page, `href="/sites/acme"`) || !strings.Contains(page, "page 3 of 3") {
		t.Errorf("last page: %d rows, want 21 ending with acme, the one site reporting", n)
	}
	_, page, _ = get(t, hc, th.srv.URL+"/sites?q=dental", "")
	if n := rows(page); n != 3 || !strings.Contains(page, "1–3 of 3 matching") || !strings.Contains(page, "121 sites") {
		t.Errorf("search: %d rows, want 3 of 3 matching", n)
	}
	_, page, _ = get(t, hc, th.srv.URL+"/sites?q=nowhere", "")
	if rows(page) != 0 || !strings.Contains(page, "No site matches.") {
		t.Errorf("a search that matches nothing:\n%.3000s", page)
	}

	tok, err := th.data.NewToken("ops")
	if err != nil {
		t.Fatal(err)
	}
	var all, some []SiteView
	_, raw, _ := get(t, th.srv.Client(), th.srv.URL+"/api/sites", tok)
	if err := json.Unmarshal([]byte(raw), &all); err != nil || len(all) != 121 || all[0].Name != "acme" {
		t.Errorf("/api/sites: %d sites (first %+v), %v; want all 121 by name", len(all), all[:min(1, len(all))], err)
	}
	code, raw, hdr := get(t, th.srv.Client(), th.srv.URL+"/api/sites?per_page=10&page=2", tok)
	if err := json.Unmarshal([]byte(raw), &some); err != nil || code != 200 || len(some) != 10 || hdr.Get("X-Total-Count") != "121" {
		t.Errorf("/api/sites page 2 of 10: %d %d sites, total %q, %v", code, len(some), hdr.Get("X-Total-Count"), err)
	}
	if len(some) > 0 && (!some[0].Stale || some[0].Name != "branch-011") {
		t.Errorf("page 2 starts with %s (stale %v), want branch-011: stale first, then by slug (branch-007 is a dental clinic)", some[0].Name, some[0].Stale)
	}
}
