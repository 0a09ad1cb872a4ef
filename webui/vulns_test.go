package webui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tend/inventory"
	"tend/lifecycle"
)

func TestVulnerabilitiesShown(t *testing.T) {
	c, err := lifecycle.OpenVulnCatalog()
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, Config{})
	f.seed()
	fw, _ := inventory.ParseMAC("00:1b:54:aa:bb:01")
	v := c.JudgeVulns(lifecycle.VulnQuery{Product: "fortios", Raw: "v7.2.6,build1575"}, time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC))
	if _, err := f.st.Apply(inventory.Observation{MAC: fw, Vulnerabilities: &v}); err != nil {
		t.Fatal(err)
	}
	s := f.login("alice")
	for path, wants := range map[string][]string{
		"/devices/00:1b:54:aa:bb:01": {"Known vulnerabilities", "CVE-2024-21762", "known exploited", "ransomware", "catalog dated " + v.CatalogDate, "not endorsed or certified by the NVD"},
		"/devices":                   {"Vulnerabilities", "KEV 3 ·", `name="vuln"`},
		"/devices?vuln=kev":          {"KEV 3 ·"},
		"/":                          {"1 device with known-exploited vulnerabilities"},
		"/report":                    {"1 device with vulnerabilities exploited in the wild"},
	} {
		res := f.do(request{path: path, cookies: []*http.Cookie{s.cookie}})
		for _, want := range wants {
			if !strings.Contains(res.body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
	}
	all := f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}, json: true})
	kev := f.do(request{path: "/devices?vuln=kev", cookies: []*http.Cookie{s.cookie}, json: true})
	if !strings.Contains(kev.body, `"count":1,`) || strings.Contains(all.body, `"count":1,`) {
		t.Errorf("the KEV filter did not narrow the list to one device: %.200s", kev.body)
	}
	if !strings.Contains(kev.body, `"vulnerabilities":{"catalog_date":`) {
		t.Error("the devices JSON lacks the vulnerabilities verdict")
	}
	dash := f.do(request{path: "/", cookies: []*http.Cookie{s.cookie}, json: true})
	if !strings.Contains(dash.body, `"vulnerabilities":{"kev":1,"affected":1`) {
		t.Errorf("the dashboard JSON lacks the counts: %.300s", dash.body)
	}
}
