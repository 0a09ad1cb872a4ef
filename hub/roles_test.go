package hub

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRoles: a client viewer sees its own site's page and report and
// nothing else (other sites do not exist for it); a read-only user sees
// every site and changes nothing; a user without a role is an admin.
func TestRoles(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		if _, err := th.data.AddSite("dental"); err != nil {
			t.Fatal(err)
		}
		hc := signIn(t, th) // user ops
		if code, page, _ := get(t, hc, th.srv.URL+"/sites", ""); code != 200 || !strings.Contains(page, "/sites/dental") {
			t.Fatalf("admin by default: %d", code)
		}
		if err := th.data.SetRole("ops", UserRole{Role: RoleClient, Site: "acme"}); err != nil {
			t.Fatal(err)
		}
		for path, want := range map[string]int{
			"/sites":                         http.StatusSeeOther,
			"/sites/acme":                    200,
			"/sites/acme/report":             200,
			"/sites/acme/report.pdf":         200,
			"/sites/dental":                  404,
			"/sites/dental/report":           404,
			"/forecast":                      404,
			"/sites/acmex":                   404,
			"/sites/acme/../dental/report":   404,
			"/sites/acme/report/../../other": 404,
		} {
			if code, _, h := get(t, hc, th.srv.URL+path, ""); code != want && !(code == 301 && h.Get("Location") != "" && want == 404) {
				t.Errorf("client viewer of acme, %s: %d, want %d", path, code, want)
			}
		}
		if err := th.data.SetRole("ops", UserRole{Role: RoleReadOnly}); err != nil {
			t.Fatal(err)
		}
		_, page, _ := get(t, hc, th.srv.URL+"/sites", "")
		csrf := csrfField.FindStringSubmatch(page)
		if csrf == nil {
			t.Fatal("no csrf token on the fleet page")
		}
		resp, err := hc.PostForm(th.srv.URL+"/sites", url.Values{"csrf": {csrf[1]}, "name": {"Intruder"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("read-only user adding a site: %d, want 403", resp.StatusCode)
		}
		if err := th.data.SetRole("ops", UserRole{Role: RoleClient}); err == nil {
			t.Error("a client viewer without a site was accepted")
		}
	})
}
