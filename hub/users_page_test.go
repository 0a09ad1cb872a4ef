package hub

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"tend/upstream"
)

var setupLinkRE = regexp.MustCompile(`https://[^/<"]+(/setup/tsu1_[A-Za-z0-9_-]+)`)

// uiClient is a browser-like client of th without a session.
func uiClient(th *testHub) *http.Client {
	jar, _ := cookiejar.New(nil)
	hc := *th.srv.Client() // its own: Client() is one shared client
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc
}

// postPage posts form to path and returns the status and page.
func postPage(t *testing.T, hc *http.Client, th *testHub, path string, form url.Values) (int, string) {
	t.Helper()
	resp, err := hc.PostForm(th.srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// loginAs signs user in with password and returns its client and CSRF token.
func loginAs(t *testing.T, th *testHub, user, password string) (*http.Client, string) {
	t.Helper()
	hc := uiClient(th)
	_, page, _ := get(t, hc, th.srv.URL+"/login", "")
	code, _ := postPage(t, hc, th, "/login", url.Values{"csrf": {csrfField.FindStringSubmatch(page)[1]}, "username": {user}, "password": {password}})
	if code != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", user, code)
	}
	_, page, _ = get(t, hc, th.srv.URL+"/sites", "")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		return hc, ""
	}
	return hc, m[1]
}

// TestUsersPage: an admin adds a technician in the UI, the technician
// sets a password through the one-time setup link, signs in and reaches
// none of the admin's pages (nor sees them in the navigation); the admin
// makes it a client viewer (the admin's pages do not exist for it), then
// deletes it (its session ends). The last admin can be neither deleted
// nor demoted. Every write is audited; a write without the CSRF token is
// refused. On both stores.
func TestUsersPage(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		admin, csrf := uiUser(t, th, "ops")
		code, page, _ := get(t, admin, th.srv.URL+"/users", "")
		if code != 200 || !strings.Contains(page, `href="/users"`) || !strings.Contains(page, `data-user="ops"`) {
			t.Fatalf("users page for an admin: %d\n%s", code, page)
		}
		if code, _ := postPage(t, admin, th, "/users", url.Values{"name": {"tech1"}, "role": {RoleTechnician}}); code != http.StatusForbidden {
			t.Errorf("add user without the CSRF token: %d", code)
		}
		if code, page := postPage(t, admin, th, "/users", url.Values{"csrf": {csrf}, "name": {"bad"}, "role": {"root"}}); code != 400 || !strings.Contains(page, "unknown role") {
			t.Errorf("add user with a bad role: %d", code)
		}
		if _, err := th.data.UserHash("bad"); err == nil {
			t.Error("a user with a bad role was added")
		}
		code, page = postPage(t, admin, th, "/users", url.Values{"csrf": {csrf}, "name": {"tech1"}, "role": {RoleTechnician}})
		m := setupLinkRE.FindStringSubmatch(page)
		if code != 200 || m == nil {
			t.Fatalf("add technician: %d\n%s", code, page)
		}
		if code, _ := postPage(t, admin, th, "/users", url.Values{"csrf": {csrf}, "name": {"tech1"}, "role": {RoleReadOnly}}); code != 400 {
			t.Errorf("adding tech1 twice: %d", code)
		}
		// As JSON, the page never carries the link.
		req, _ := http.NewRequest(http.MethodPost, th.srv.URL+"/users/tech1/link", strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		resp, err := admin.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"users"`) || strings.Contains(string(b), "tsu1_") {
			t.Errorf("new link as JSON: %d %s", resp.StatusCode, b)
		}
		code, page = postPage(t, admin, th, "/users/tech1/link", url.Values{"csrf": {csrf}})
		if m = setupLinkRE.FindStringSubmatch(page); code != 200 || m == nil {
			t.Fatalf("new setup link: %d", code)
		}
		if r, _ := th.data.Role("tech1"); r.Role != RoleTechnician {
			t.Errorf("tech1's role: %+v", r)
		}

		// The setup link: no session needed, checked, used once.
		anon := uiClient(th)
		code, page, _ = get(t, anon, th.srv.URL+m[1], "")
		if code != 200 || !strings.Contains(page, "tech1") {
			t.Fatalf("setup page: %d", code)
		}
		tok := strings.TrimPrefix(m[1], "/setup/")
		for _, bad := range []url.Values{
			{"token": {tok}, "password": {"long-enough-1"}, "confirm": {"long-enough-2"}},
			{"token": {tok}, "password": {"short"}, "confirm": {"short"}},
		} {
			if code, _ := postPage(t, anon, th, "/setup", bad); code != 400 {
				t.Errorf("setup with %v: %d, want 400", bad, code)
			}
		}
		if code, _ := postPage(t, anon, th, "/setup", url.Values{"token": {tok + "x"}, "password": {"tech-password-1"}, "confirm": {"tech-password-1"}}); code != 404 {
			t.Errorf("setup with a wrong token: %d", code)
		}
		if code, _ := postPage(t, anon, th, "/setup", url.Values{"token": {tok}, "password": {"tech-password-1"}, "confirm": {"tech-password-1"}}); code != http.StatusSeeOther {
			t.Fatalf("setup: %d", code)
		}
		if code, _ := postPage(t, anon, th, "/setup", url.Values{"token": {tok}, "password": {"tech-password-2"}, "confirm": {"tech-password-2"}}); code != 404 {
			t.Errorf("a setup link used twice: %d", code)
		}

		tech, techCSRF := loginAs(t, th, "tech1", "tech-password-1")
		_, page, _ = get(t, tech, th.srv.URL+"/sites", "")
		for _, p := range []string{`href="/users"`, `href="/tokens"`, `href="/outlets"`, `method="post" action="/sites"`, `method="post" action="/tokens"`} {
			if strings.Contains(page, p) {
				t.Errorf("a technician's fleet page shows %s", p)
			}
		}
		for _, p := range []string{"/users", "/tokens", "/outlets"} {
			if code, _, _ := get(t, tech, th.srv.URL+p, ""); code != http.StatusForbidden {
				t.Errorf("technician GET %s: %d, want 403", p, code)
			}
		}
		for _, p := range []string{"/users", "/users/ops/delete", "/users/ops/role", "/sites/acme/key", "/sites/acme/delete"} {
			if code, _ := postPage(t, tech, th, p, url.Values{"csrf": {techCSRF}, "name": {"x"}, "role": {RoleAdmin}, "confirm": {"acme"}}); code != http.StatusForbidden {
				t.Errorf("technician POST %s: %d, want 403", p, code)
			}
		}

		// A client viewer: the admin's pages do not exist for it.
		if code, page := postPage(t, admin, th, "/users/tech1/role", url.Values{"csrf": {csrf}, "role": {RoleClient}, "site": {"nosuch"}}); code != 400 || !strings.Contains(page, "nosuch") {
			t.Errorf("client viewer of a missing site: %d", code)
		}
		if code, _ := postPage(t, admin, th, "/users/tech1/role", url.Values{"csrf": {csrf}, "role": {RoleClient}, "site": {"acme"}}); code != 200 {
			t.Fatalf("make tech1 a client viewer: %d", code)
		}
		for _, p := range []string{"/users", "/tokens", "/outlets"} {
			if code, _, _ := get(t, tech, th.srv.URL+p, ""); code != http.StatusNotFound {
				t.Errorf("client viewer GET %s: %d, want 404", p, code)
			}
		}
		for _, p := range []string{"/users", "/users/ops/delete", "/tokens/x/revoke", "/sites/acme/key", "/sites/acme/delete"} {
			if code, _ := postPage(t, tech, th, p, url.Values{"csrf": {techCSRF}, "confirm": {"acme"}}); code != http.StatusNotFound {
				t.Errorf("client viewer POST %s: %d, want 404", p, code)
			}
		}

		// The last admin stays.
		if code, page := postPage(t, admin, th, "/users/ops/delete", url.Values{"csrf": {csrf}}); code != 400 || !strings.Contains(page, "last admin") {
			t.Errorf("deleting the last admin: %d", code)
		}
		if code, _ := postPage(t, admin, th, "/users/ops/role", url.Values{"csrf": {csrf}, "role": {RoleReadOnly}}); code != 400 {
			t.Errorf("demoting the last admin: %d", code)
		}
		if code, _ := postPage(t, admin, th, "/users/nobody/delete", url.Values{"csrf": {csrf}}); code != 404 {
			t.Errorf("deleting a missing user: %d", code)
		}
		if code, _ := postPage(t, admin, th, "/users/tech1/delete", url.Values{"csrf": {csrf}}); code != 200 {
			t.Fatalf("delete tech1: %d", code)
		}
		if code, _, h := get(t, tech, th.srv.URL+"/sites/acme", ""); code != http.StatusSeeOther || h.Get("Location") != "/login" {
			t.Errorf("a deleted user's session: %d %s", code, h.Get("Location"))
		}
		var acts []string
		log, _ := th.data.AuditLog(0)
		for _, e := range log {
			acts = append(acts, e.Actor+" "+e.Action+" "+e.Target)
		}
		want := []string{"ops user delete tech1", "ops user role tech1 client acme", "tech1 user setup tech1", "ops user link tech1", "ops user link tech1", "ops user add tech1 technician"}
		if strings.Join(acts, "|") != strings.Join(want, "|") {
			t.Errorf("audit log:\n%s\nwant\n%s", strings.Join(acts, "\n"), strings.Join(want, "\n"))
		}
	})
}

// uiUser makes user (an admin unless it has a role) and signs it in.
func uiUser(t *testing.T, th *testHub, user string) (*http.Client, string) {
	t.Helper()
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw-for-test"), bcrypt.MinCost)
	if err := th.data.PutUser(user, string(hash)); err != nil {
		t.Fatal(err)
	}
	return loginAs(t, th, user, "pw-for-test")
}

// TestTokensAndKeysPages: an admin lists the API tokens (never a token)
// and revokes one (refused by the API at once), rotates a site's key (the
// old one stops working) and deletes a site after typing its name. A
// read-only user can do none of it. On both stores.
func TestTokensAndKeysPages(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		tok, err := th.data.NewToken("grafana")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := th.data.AddSite("quiet"); err != nil {
			t.Fatal(err)
		}
		admin, csrf := uiUser(t, th, "ops")
		code, page, _ := get(t, admin, th.srv.URL+"/tokens", "")
		toks, _ := th.data.Tokens()
		if code != 200 || len(toks) != 1 || !strings.Contains(page, toks[0].ID) || strings.Contains(page, tok) {
			t.Fatalf("tokens page: %d\n%s", code, page)
		}
		if code, _ := postPage(t, admin, th, "/tokens/"+toks[0].ID+"/revoke", url.Values{"csrf": {csrf}}); code != 200 {
			t.Errorf("revoke: %d", code)
		}
		if code, _, _ := get(t, th.srv.Client(), th.srv.URL+"/api/sites", tok); code != http.StatusUnauthorized {
			t.Errorf("a revoked token reads the API: %d", code)
		}
		if code, _ := postPage(t, admin, th, "/tokens/"+toks[0].ID+"/revoke", url.Values{"csrf": {csrf}}); code != 404 {
			t.Errorf("revoking twice: %d", code)
		}

		_, page, _ = get(t, admin, th.srv.URL+"/sites/acme", "")
		if !strings.Contains(page, `action="/sites/acme/key"`) {
			t.Error("the site page shows an admin no key rotation")
		}
		code, page = postPage(t, admin, th, "/sites/acme/key", url.Values{"csrf": {csrf}})
		newKey := regexp.MustCompile(`tsk1_[A-Za-z0-9_-]+`).FindString(page)
		parsed, perr := upstream.ParseSiteKey(newKey)
		stored, err := th.data.siteKey("acme")
		old, _ := upstream.ParseSiteKey(th.key)
		if code != 200 || perr != nil || err != nil || !bytes.Equal(stored, parsed) || bytes.Equal(stored, old) {
			t.Errorf("rotate key: %d %v %v", code, perr, err)
		}
		if code, _ := postPage(t, admin, th, "/sites/nosuch/key", url.Values{"csrf": {csrf}}); code != 404 {
			t.Errorf("rotate the key of a missing site: %d", code)
		}
		if code, _ := postPage(t, admin, th, "/sites/quiet/delete", url.Values{"csrf": {csrf}, "confirm": {"acme"}}); code != 400 {
			t.Errorf("delete with the wrong name typed: %d", code)
		}
		if code, _ := postPage(t, admin, th, "/sites/quiet/delete", url.Values{"csrf": {csrf}, "confirm": {"quiet"}}); code != http.StatusSeeOther {
			t.Errorf("delete site: %d", code)
		}
		if _, err := th.data.Site("quiet"); err == nil {
			t.Error("the deleted site is still there")
		}
		if err := th.data.SetRole("viewer", UserRole{Role: RoleReadOnly}); err != nil {
			t.Fatal(err)
		}
		ro, roCSRF := uiUser(t, th, "viewer")
		_, page, _ = get(t, ro, th.srv.URL+"/sites/acme", "")
		if strings.Contains(page, `/sites/acme/key"`) || strings.Contains(page, `/sites/acme/delete"`) {
			t.Error("a read-only user's site page shows the key and delete forms")
		}
		if code, _ := postPage(t, ro, th, "/sites/acme/delete", url.Values{"csrf": {roCSRF}, "confirm": {"acme"}}); code != http.StatusForbidden {
			t.Errorf("read-only user deleting a site: %d", code)
		}
		var acts []string
		log, _ := th.data.AuditLog(0)
		for _, e := range log {
			acts = append(acts, e.Action+" "+e.Target)
		}
		if got := strings.Join(acts, "|"); got != "site delete quiet|site key rotate acme|token revoke grafana "+toks[0].ID {
			t.Errorf("audit log: %s", got)
		}
	})
}

// TestSetupLinkEnds: a setup link ends after 24 hours, when a newer one
// is made, and when its user is deleted.
func TestSetupLinkEnds(t *testing.T) {
	th := newTestHub(t)
	if _, err := th.data.NewSetupLink("ops", nil); err == nil {
		t.Error("a link for a missing user without a role was made")
	}
	first, err := th.data.NewSetupLink("ops", &UserRole{Role: RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	second, err := th.data.NewSetupLink("ops", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := th.data.SetupLinkUser(first); !errors.Is(err, ErrSetupLink) {
		t.Errorf("a replaced link: %v", err)
	}
	if u, err := th.data.SetupLinkUser(second); err != nil || u != "ops" {
		t.Errorf("the newer link: %q %v", u, err)
	}
	th.clk.Add(SetupLinkLifetime)
	if _, err := th.data.UseSetupLink(second, "$2a$04$x"); !errors.Is(err, ErrSetupLink) {
		t.Errorf("an expired link: %v", err)
	}
	third, _ := th.data.NewSetupLink("ops", nil)
	if _, err := th.data.NewSetupLink("tech", &UserRole{Role: RoleTechnician}); err != nil {
		t.Fatal(err)
	}
	if err := th.data.DeleteUser("ops"); !errors.Is(err, ErrLastAdmin) {
		t.Fatalf("delete the last admin: %v", err)
	}
	if err := th.data.ChangeRole("tech", UserRole{Role: RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	if err := th.data.DeleteUser("ops"); err != nil {
		t.Fatal(err)
	}
	if _, err := th.data.SetupLinkUser(third); !errors.Is(err, ErrSetupLink) {
		t.Errorf("the link of a deleted user: %v", err)
	}
}
