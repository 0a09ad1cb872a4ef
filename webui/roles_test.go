package webui

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"tend/findings"
	"tend/storage"
)

// routeForm is a plausible form for each POST route, so a refusal cannot be
// a 400 for a missing field: with the right role each of these would change
// something.
func routeForm(path string) url.Values {
	return url.Values{
		"do": {"acknowledge"}, "username": {"bob"}, "name": {"rmm"}, "role": {"admin"},
		"label": {"hijacked"}, "all": {"1"}, "password": {testPassword}, "password2": {testPassword},
	}
}

// The attack: an API token added a user, deleted another and revoked itself.
// A read-only token (the default) is refused on every POST route the router
// has, and nothing in the database is written.
func TestReadOnlyTokenChangesNothing(t *testing.T) {
	f := newFixture(t, Config{ScanNow: func(context.Context) error { return nil }})
	f.seed()
	f.seedFindings()
	id := findings.ID(findings.RuleLongUptime, "00:1b:54:aa:bb:01")
	tok, hash := NewAPIToken()
	if err := f.st.PutToken(storage.APIToken{Hash: hash, Name: "rmm", Created: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	// The attack first, with a token scoped admin: it works, so the
	// refusals below are the scope's doing.
	adminTok, adminHash := NewAPIToken()
	if err := f.st.PutToken(storage.APIToken{Hash: adminHash, Name: "ops", Created: f.clock.Now(), Scope: storage.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	res := f.do(request{method: http.MethodPost, path: "/settings/users/delete", json: true,
		header: map[string]string{"Authorization": "Bearer " + adminTok}, form: url.Values{"username": {"frank"}}})
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("admin token deleting a user = %d %s", res.StatusCode, res.body)
	}

	before := f.st.Stats().Writes
	routes := f.srv.engine.Routes()
	tried := 0
	for _, r := range routes {
		if r.Method != http.MethodPost {
			continue
		}
		path := strings.ReplaceAll(r.Path, ":id", id)
		path = strings.ReplaceAll(path, ":mac", "00:1b:54:aa:bb:01")
		res := f.do(request{method: http.MethodPost, path: path, json: true,
			header: map[string]string{"Authorization": "Bearer " + tok}, form: routeForm(path)})
		tried++
		switch r.Path {
		case "/login", "/setup":
			// Public: the token means nothing there; the form's own
			// checks refuse (no sign-in cookie; setup is over).
			if res.StatusCode < 300 {
				t.Errorf("POST %s with a read-only token = %d", path, res.StatusCode)
			}
		default:
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s with a read-only token = %d, want 403: %s", path, res.StatusCode, res.body)
			}
		}
	}
	if tried < 10 {
		t.Errorf("only %d POST routes tried", tried)
	}
	if after := f.st.Stats().Writes; after != before {
		t.Errorf("a read-only token caused %d writes", after-before)
	}
	if _, err := f.st.User("bob"); err != nil {
		t.Errorf("bob was removed: %v", err)
	}
	if toks, _ := f.st.Tokens(); len(toks) != 2 {
		t.Errorf("tokens now %+v", toks)
	}
	if got, _ := f.st.Finding(id); got.StateBy != "" {
		t.Errorf("finding changed by %q", got.StateBy)
	}
	t.Logf("%d POST routes tried with a read-only token: all refused, 0 writes", tried)
}

func TestRoles(t *testing.T) {
	f := newFixture(t, Config{})
	f.seed()
	f.seedFindings()
	for name, role := range map[string]string{"bob": storage.RoleTechnician, "carol": storage.RoleReadOnly, "dave": storage.RoleTechnician, "erin": storage.RoleTechnician, "frank": storage.RoleTechnician} {
		u, err := f.st.User(name)
		if err != nil {
			t.Fatal(err)
		}
		u.Role = role
		if err := f.st.PutUser(u); err != nil {
			t.Fatal(err)
		}
	}
	id := findings.ID(findings.RuleLongUptime, "00:1b:54:aa:bb:01")
	post := func(s session, path string, form url.Values) int {
		form.Set("csrf", s.csrf)
		return f.do(request{method: http.MethodPost, path: path, cookies: []*http.Cookie{s.cookie}, form: form}).StatusCode
	}
	bob, carol, alice := f.login("bob"), f.login("carol"), f.login("alice")
	if got := post(carol, "/actions/"+id, url.Values{"do": {"acknowledge"}}); got != http.StatusForbidden {
		t.Errorf("read-only acknowledging = %d, want 403", got)
	}
	if got := post(bob, "/actions/"+id, url.Values{"do": {"acknowledge"}}); got != http.StatusSeeOther {
		t.Errorf("technician acknowledging = %d, want 303", got)
	}
	if got := post(bob, "/devices/00:1b:54:aa:bb:01", url.Values{"label": {"core"}, "role": {"backup_target"}}); got != http.StatusSeeOther {
		t.Errorf("technician editing a device = %d, want 303", got)
	}
	if got := post(bob, "/settings/users/delete", url.Values{"username": {"carol"}}); got != http.StatusForbidden {
		t.Errorf("technician removing a user = %d, want 403", got)
	}
	if got := post(bob, "/settings/users", url.Values{"username": {"zed"}, "password": {testPassword}, "password2": {testPassword}, "role": {"admin"}}); got != http.StatusForbidden {
		t.Errorf("technician adding an admin = %d, want 403", got)
	}
	// alice is the last admin: she cannot be demoted, and nobody can
	// remove her.
	if got := post(alice, "/settings/users/role", url.Values{"username": {"alice"}, "role": {"technician"}}); got != http.StatusConflict {
		t.Errorf("demoting the last admin = %d, want 409", got)
	}
	if err := f.st.DeleteUser("alice"); !errors.Is(err, storage.ErrLastAdmin) {
		t.Errorf("removing the last admin: %v", err)
	}
	if got := post(alice, "/settings/users/role", url.Values{"username": {"bob"}, "role": {"admin"}}); got != http.StatusSeeOther {
		t.Errorf("promoting bob = %d", got)
	}
	if err := f.st.DeleteUser("alice"); err != nil {
		t.Errorf("removing an admin with another left: %v", err)
	}
	// An admin (bob, promoted) creates a token with a scope; it is shown
	// once and acts with that scope.
	res := f.do(request{method: http.MethodPost, path: "/settings/tokens", json: true, cookies: []*http.Cookie{bob.cookie},
		form: url.Values{"csrf": {bob.csrf}, "name": {"rmm"}, "scope": {"technician"}}})
	var created struct {
		NewToken string `json:"new_token"`
	}
	if err := json.Unmarshal([]byte(res.body), &created); err != nil || res.StatusCode != http.StatusCreated || !strings.HasPrefix(created.NewToken, "tend_") {
		t.Fatalf("create token = %d %s", res.StatusCode, res.body)
	}
	tokReq := func(path string) int {
		return f.do(request{method: http.MethodPost, path: path, json: true, header: map[string]string{"Authorization": "Bearer " + created.NewToken},
			form: url.Values{"do": {"resolve"}, "username": {"carol"}}}).StatusCode
	}
	if got := tokReq("/actions/" + id); got != http.StatusOK {
		t.Errorf("technician token resolving = %d", got)
	}
	if got := tokReq("/settings/users/delete"); got != http.StatusForbidden {
		t.Errorf("technician token removing a user = %d", got)
	}
	page := f.do(request{path: "/settings", cookies: []*http.Cookie{carol.cookie}})
	if strings.Contains(page.body, `action="/settings/users/delete"`) || !strings.Contains(page.body, "read-only") {
		t.Errorf("read-only settings page offers admin forms")
	}
}

// The attack: a password reset left the old session alive. Now a new
// password ends every session; so does removal, idleness and "sign out
// everywhere".
func TestSessionsEnd(t *testing.T) {
	t.Run("password reset", func(t *testing.T) {
		f := newFixture(t, Config{})
		s := f.login("alice")
		u, _ := f.st.User("alice")
		u.PasswordHash = "$2a$04$abcdefghijklmnopqrstuuQKkqEQn8P.CbQNn3v5KXMfn7k9o0i1C" // a different hash
		if err := f.st.PutUser(u); err != nil {
			t.Fatal(err)
		}
		if r := f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("old session after a password reset = %d, want 303 to /login", r.StatusCode)
		}
	})
	t.Run("password changed in the UI", func(t *testing.T) {
		f := newFixture(t, Config{})
		f.srv.hashPassword = func(pw string) (string, error) {
			h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
			return string(h), err
		}
		laptop, phone := f.login("alice"), f.login("alice")
		const newPassword = "a brand new passphrase"
		change := func(current string) int {
			return f.do(request{method: http.MethodPost, path: "/settings/password", cookies: []*http.Cookie{laptop.cookie},
				form: url.Values{"csrf": {laptop.csrf}, "current": {current}, "password": {newPassword}, "password2": {newPassword}}}).StatusCode
		}
		if got := change("wrong one"); got != http.StatusForbidden {
			t.Errorf("change with a wrong current password = %d, want 403", got)
		}
		if got := change(testPassword); got != http.StatusSeeOther {
			t.Fatalf("change = %d", got)
		}
		for name, s := range map[string]session{"laptop": laptop, "phone": phone} {
			if r := f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}}); r.StatusCode != http.StatusSeeOther {
				t.Errorf("%s session after the password change = %d, want 303", name, r.StatusCode)
			}
		}
		if r := f.tryLogin("alice", newPassword, ""); r.StatusCode != http.StatusSeeOther {
			t.Errorf("sign-in with the new password = %d", r.StatusCode)
		}
	})
	t.Run("idle", func(t *testing.T) {
		f := newFixture(t, Config{})
		s := f.login("alice")
		for range 4 { // used every 50 minutes: stays
			f.clock.Advance(50 * time.Minute)
			if r := f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}}); r.StatusCode != http.StatusOK {
				t.Fatalf("active session = %d", r.StatusCode)
			}
		}
		f.clock.Advance(time.Hour)
		if r := f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("session idle an hour = %d, want 303", r.StatusCode)
		}
	})
	t.Run("absolute", func(t *testing.T) {
		f := newFixture(t, Config{})
		s := f.login("alice")
		for range 14 {
			f.clock.Advance(55 * time.Minute)
			f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}})
		}
		if r := f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("session past 12 hours = %d, want 303", r.StatusCode)
		}
	})
	t.Run("sign out everywhere", func(t *testing.T) {
		f := newFixture(t, Config{})
		laptop, phone := f.login("alice"), f.login("alice")
		page := f.do(request{path: "/settings", json: true, cookies: []*http.Cookie{laptop.cookie}})
		if strings.Count(page.body, `"created"`) < 2 || !strings.Contains(page.body, `"current":true`) {
			t.Errorf("sessions list: %s", page.body)
		}
		r := f.do(request{method: http.MethodPost, path: "/settings/sessions/end", cookies: []*http.Cookie{laptop.cookie}, form: url.Values{"csrf": {laptop.csrf}}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out everywhere else = %d", r.StatusCode)
		}
		if r := f.do(request{path: "/devices", cookies: []*http.Cookie{phone.cookie}}); r.StatusCode != http.StatusSeeOther {
			t.Errorf("the other session = %d, want 303", r.StatusCode)
		}
		if r := f.do(request{path: "/devices", cookies: []*http.Cookie{laptop.cookie}}); r.StatusCode != http.StatusOK {
			t.Errorf("this session = %d, want 200", r.StatusCode)
		}
	})
}
