package hub

import (
	"net/http"
	"strings"
	"testing"
)

// TestHubKEVExposure: the known-vulnerability exposure a box sends is kept
// per site and summed across all clients (fleet kev_devices, kev_sites);
// a box that sends none is accepted and shows none; a malformed one is
// refused.
func TestHubKEVExposure(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		vulns := `,"vulnerabilities":{"kev_devices":2,"affected":3,"potentially_affected":1,"kev":["CVE-2023-20198","CVE-2024-21762"],"catalog_date":"2026-07-14"}`
		if code, r := signedPost(t, th, "b1", 1, gzipJSON(t, summaryJSON("b1", 1, vulns))); code != http.StatusOK {
			t.Fatalf("summary with vulnerabilities: %d %+v", code, r)
		}
		s, err := th.data.Site("acme")
		if err != nil {
			t.Fatal(err)
		}
		if s.Vulns == nil || s.Vulns.KEVDevices != 2 || len(s.Vulns.KEV) != 2 {
			t.Fatalf("stored exposure: %+v", s.Vulns)
		}
		f := FleetOf([]SiteStatus{s, {Name: "old-box"}})
		if f.KEVDevices != 2 || f.KEVSites != 1 {
			t.Errorf("fleet: %d KEV devices at %d sites, want 2 at 1", f.KEVDevices, f.KEVSites)
		}
		tok, err := th.data.NewToken("ops")
		if err != nil {
			t.Fatal(err)
		}
		if code, body, _ := get(t, th.srv.Client(), th.srv.URL+"/api/sites", tok); code != 200 || !strings.Contains(body, `"kev_devices":2`) {
			t.Errorf("/api/sites lacks the site's KEV exposure: %d %.300s", code, body)
		}
		if code, r := signedPost(t, th, "b1", 2, gzipJSON(t, summaryJSON("b1", 2, ""))); code != http.StatusOK {
			t.Fatalf("summary without vulnerabilities: %d %+v", code, r)
		}
		if s, _ := th.data.Site("acme"); s.Vulns != nil {
			t.Errorf("exposure kept from an older summary: %+v", s.Vulns)
		}
		if code, _ := signedPost(t, th, "b1", 3, gzipJSON(t, summaryJSON("b1", 3, `,"vulnerabilities":[1]`))); code != http.StatusBadRequest {
			t.Errorf("malformed vulnerabilities: %d, want 400", code)
		}
		fleetUp(t, th)
	})
}
