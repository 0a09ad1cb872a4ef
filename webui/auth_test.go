package webui

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"tend/storage"
	"tend/webkit"
)

func TestTemplatesParseAndObeyCSP(t *testing.T) {
	f := newFixture(t, Config{})
	for name, p := range map[string]*page{"setup": f.srv.pages.setup, "devices": f.srv.pages.devices,
		"device": f.srv.pages.device} {
		if p.t != nil {
			t.Errorf("page %s kept its parsed templates after New: they are parsed on first view", name)
		}
		if tmpl, err := p.template(); err != nil || tmpl == nil {
			t.Errorf("page %s: %v", name, err)
		}
	}
	// The CSP forbids inline script and style: keep them out of the source.
	files, err := filepathGlob("templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		b, err := embedded.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		// A script may only be the shell's own static file.
		src := strings.ReplaceAll(strings.ToLower(string(b)), `<script src="{{asset "map.js"}}" defer></script>`, "")
		for _, bad := range []string{"<script", "<style", "style=", "onclick", "onsubmit", "javascript:", "http://", "https://"} {
			if strings.Contains(src, bad) {
				t.Errorf("%s contains %q, which the CSP (or the no-external-requests rule) forbids", file, bad)
			}
		}
	}
}

func filepathGlob(pattern string) ([]string, error) {
	entries, err := embedded.ReadDir(filepath.Dir(pattern))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		p := filepath.Dir(pattern) + "/" + e.Name()
		if ok, _ := filepath.Match(pattern, p); ok {
			out = append(out, p)
		}
	}
	return out, nil
}

func TestUnauthenticated(t *testing.T) {
	f := newFixture(t, Config{ScanNow: func(context.Context) error { return nil }})
	f.seed()
	reqs := []request{
		{path: "/"},
		{path: "/devices"},
		{path: "/devices?q=cisco&sort=name"},
		{path: "/devices/00:1b:54:aa:bb:01"},
		{path: "/devices/not-a-mac"},
		{method: http.MethodPost, path: "/logout", form: url.Values{}},
		{method: http.MethodPost, path: "/scan", form: url.Values{}},
	}
	for _, r := range reqs {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			res := f.do(r)
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
				t.Errorf("browser: got %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
			}
			if strings.Contains(res.body, "core-sw") {
				t.Error("redirect leaked inventory")
			}
			r.json = true
			res = f.do(r)
			if res.StatusCode != http.StatusUnauthorized {
				t.Errorf("json: got %d, want 401", res.StatusCode)
			}
			var body struct{ Error string }
			if err := json.Unmarshal([]byte(res.body), &body); err != nil || body.Error == "" {
				t.Errorf("json: body %q is not a JSON error (%v)", res.body, err)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("json: Content-Type %q", ct)
			}
		})
	}
	// A junk or forged cookie is no session either.
	for _, v := range []string{"junk", strings.Repeat("A", 43)} {
		res := f.do(request{path: "/devices", cookies: []*http.Cookie{{Name: f.srv.sessionCookie, Value: v}}})
		if res.StatusCode != http.StatusSeeOther {
			t.Errorf("cookie %q: got %d, want 303", v, res.StatusCode)
		}
	}
}

func TestPublicPages(t *testing.T) {
	f := newFixture(t, Config{})
	res := f.do(request{path: "/healthz"})
	if res.StatusCode != http.StatusOK || res.body != "ok" || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("/healthz = %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.body)
	}
	res = f.do(request{path: "/login"})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.body, `action="/login"`) || !strings.Contains(res.body, "Acme Dental") {
		t.Errorf("/login = %d:\n%s", res.StatusCode, res.body)
	}
	cssURL, err := f.srv.shell.AssetURL("style.css")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.body, cssURL) {
		t.Errorf("login page does not link %s", cssURL)
	}
	res = f.do(request{path: cssURL})
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/css; charset=utf-8" ||
		!strings.Contains(res.Header.Get("Cache-Control"), "immutable") || !strings.Contains(res.body, ".badge") {
		t.Errorf("%s = %d %q %q", cssURL, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	}
	res = f.do(request{path: "/static/style.css", header: map[string]string{"If-None-Match": res.Header.Get("ETag")}})
	if res.StatusCode != http.StatusNotModified || res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("unversioned conditional GET = %d, Cache-Control %q; want 304, no-cache", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	for _, p := range []string{"/static/nope.js", "/static/../doc.go", "/nowhere"} {
		if res := f.do(request{path: p}); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s = %d, want 404", p, res.StatusCode)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, Config{})
	f.seed()
	s := f.login("alice")
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"X-Frame-Options":         "DENY",
	}
	for _, r := range []request{
		{path: "/login"},
		{path: "/healthz"},
		{path: "/static/style.css"},
		{path: "/nowhere"},
		{path: "/devices"},             // redirect
		{path: "/devices", json: true}, // 401
		{path: "/devices", cookies: []*http.Cookie{s.cookie}},
		{path: "/devices/00:1b:54:aa:bb:01", cookies: []*http.Cookie{s.cookie}},
		{path: "/devices", cookies: []*http.Cookie{s.cookie}, json: true},
		{method: http.MethodPost, path: "/logout", cookies: []*http.Cookie{s.cookie}, form: url.Values{}}, // 403
		{method: http.MethodDelete, path: "/devices", cookies: []*http.Cookie{s.cookie}},                  // 405
	} {
		res := f.do(r)
		got := map[string]string{}
		for k := range want {
			got[k] = res.Header.Get(k)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s %s (%d) headers (-want +got):\n%s", r.method, r.path, res.StatusCode, diff)
		}
	}
}

func TestLoginFlow(t *testing.T) {
	f := newFixture(t, Config{})
	f.seed()
	res := f.tryLogin("alice", testPassword, "")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("login = %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	ck := res.cookie("tend_session")
	if ck == nil {
		t.Fatal("no session cookie")
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.Secure || len(ck.Value) != 43 {
		t.Errorf("session cookie = %+v; want HttpOnly, SameSite=Strict, Path=/, 256-bit token", ck)
	}
	if lc := res.cookie("tend_login"); lc == nil || lc.MaxAge >= 0 {
		t.Errorf("login CSRF cookie not cleared: %+v", lc)
	}
	// Storage holds the token's hash, never the token.
	sess, err := f.st.Session(webkit.HashToken(ck.Value))
	if err != nil || sess.User != "alice" {
		t.Fatalf("stored session = %+v, %v", sess, err)
	}
	if _, err := f.st.Session(ck.Value); err == nil {
		t.Error("session found under the clear token")
	}

	page := f.do(request{path: "/devices", cookies: []*http.Cookie{ck}})
	if page.StatusCode != http.StatusOK {
		t.Fatalf("/devices = %d", page.StatusCode)
	}
	for _, s := range []string{"core-sw", "printer-2", "files", "00:1b:54:aa:bb:01", "3c:2a:f4:00:00:20", "10.0.0.100",
		"Synology Incorporated", "HL-L2350DW", "15.2(7)E8", "FOC1234X0AB", `class="badge badge-printer"`, "5 devices", "alice", "Sign out"} {
		if !strings.Contains(page.body, s) {
			t.Errorf("/devices lacks %q", s)
		}
	}
	if strings.Contains(page.body, "Scan now") {
		t.Error("Scan now shown without ScanNow")
	}

	jres := f.do(request{path: "/devices", cookies: []*http.Cookie{ck}, json: true})
	var list struct {
		Total, Count int
		Devices      []struct {
			MAC, IP, Hostname, Type string
			IPs                     []string
		}
	}
	if err := json.Unmarshal([]byte(jres.body), &list); err != nil {
		t.Fatalf("json: %v\n%s", err, jres.body)
	}
	var macs []string
	for _, d := range list.Devices {
		macs = append(macs, d.MAC)
	}
	wantMACs := []string{"00:1b:54:aa:bb:01", "00:11:32:00:00:03", "00:50:56:00:00:09", "3c:2a:f4:00:00:20", "da:a1:19:00:01:00"}
	if diff := cmp.Diff(wantMACs, macs); diff != "" || list.Total != 5 || list.Count != 5 {
		t.Errorf("json devices (total %d, count %d) in IP order (-want +got):\n%s", list.Total, list.Count, diff)
	}
	if d := list.Devices[0]; d.IP != "10.0.0.2" || d.Type != "switch" || len(d.IPs) != 2 {
		t.Errorf("json device[0] = %+v", d)
	}

	// Signed in, /login sends you to the dashboard.
	if r := f.do(request{path: "/login", cookies: []*http.Cookie{ck}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Errorf("/login when signed in = %d to %q", r.StatusCode, r.Header.Get("Location"))
	}

	// Logout ends the session on the server: the old cookie is worthless.
	csrf := formCSRF(t, page.body)
	out := f.do(request{method: http.MethodPost, path: "/logout", cookies: []*http.Cookie{ck}, form: url.Values{"csrf": {csrf}}})
	if out.StatusCode != http.StatusSeeOther || out.Header.Get("Location") != "/login" {
		t.Errorf("logout = %d to %q", out.StatusCode, out.Header.Get("Location"))
	}
	if c := out.cookie("tend_session"); c == nil || c.MaxAge >= 0 {
		t.Errorf("logout did not clear the cookie: %+v", c)
	}
	if _, err := f.st.Session(webkit.HashToken(ck.Value)); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("session after logout: %v, want ErrNotFound", err)
	}
	if r := f.do(request{path: "/devices", cookies: []*http.Cookie{ck}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("old cookie after logout = %d, want 303", r.StatusCode)
	}
}

func TestSessionExpires(t *testing.T) {
	f := newFixture(t, Config{SessionLifetime: time.Hour})
	s := f.login("alice")
	f.clock.Advance(59 * time.Minute)
	if r := f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}}); r.StatusCode != http.StatusOK {
		t.Errorf("before expiry = %d", r.StatusCode)
	}
	f.clock.Advance(time.Minute)
	if r := f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("after expiry = %d, want 303", r.StatusCode)
	}
}

func TestDeletedUserIsSignedOut(t *testing.T) {
	f := newFixture(t, Config{})
	s := f.login("bob")
	if err := f.st.DeleteUser("bob"); err != nil {
		t.Fatal(err)
	}
	if r := f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("deleted user's session = %d, want 303", r.StatusCode)
	}
}

func TestWrongPassword(t *testing.T) {
	f := newFixture(t, Config{})
	res := f.tryLogin("alice", "not the password", "")
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", res.StatusCode)
	}
	if res.cookie("tend_session") != nil {
		t.Error("session cookie set on failure")
	}
	for _, s := range []string{"Wrong user name or password.", `value="alice"`, `action="/login"`} {
		if !strings.Contains(res.body, s) {
			t.Errorf("login page lacks %q:\n%s", s, res.body)
		}
	}
}

// An unknown user fails like a wrong password, after a full-cost bcrypt check.
func TestUnknownUser(t *testing.T) {
	t.Parallel()
	productBcrypt(t) // an unknown user is checked against a dummy hash at the product's cost
	f := newFixture(t, Config{})
	res := f.tryLogin("mallory", testPassword, "")
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.body, "Wrong user name or password.") {
		t.Errorf("unknown user = %d:\n%s", res.StatusCode, res.body)
	}
}

func TestLoginLockout(t *testing.T) {
	// The attack: 50 wrong passwords at once from one address. Every
	// attempt is counted before bcrypt runs, so at most the limiter's
	// concurrency reaches the password check; the rest are 429.
	t.Run("50 concurrent guesses", func(t *testing.T) {
		f := newFixture(t, Config{})
		const remote = "203.0.113.50"
		ck, token := f.loginForm(remote)
		var wg sync.WaitGroup
		codes := make(chan int, 50)
		for range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := f.do(request{method: http.MethodPost, path: "/login", remote: remote, cookies: []*http.Cookie{ck},
					form: url.Values{"csrf": {token}, "username": {"alice"}, "password": {"guess"}}})
				codes <- r.StatusCode
			}()
		}
		wg.Wait()
		close(codes)
		count := map[int]int{}
		for c := range codes {
			count[c]++
		}
		if count[http.StatusUnauthorized] > webkit.PairFreeFailures || count[http.StatusUnauthorized]+count[http.StatusTooManyRequests] != 50 {
			t.Errorf("statuses %v: want at most %d checked (401), the rest refused (429)", count, webkit.PairFreeFailures)
		}
		checked, _ := f.srv.limiter.Checked()
		if checked > webkit.PairFreeFailures {
			t.Errorf("%d passwords checked, want at most %d", checked, webkit.PairFreeFailures)
		}
		t.Logf("50 concurrent guesses: %d checked, statuses %v", checked, count)
	})
	// The attack: a stranger keeps guessing alice's password to keep her
	// out. The stranger is refused; alice from her own address is not.
	t.Run("attacker does not lock out the user", func(t *testing.T) {
		f := newFixture(t, Config{})
		for range 3 * webkit.PairFreeFailures {
			f.tryLogin("alice", "guess", "198.51.100.66")
		}
		res := f.tryLogin("alice", testPassword, "198.51.100.66")
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.body, "Too many failed sign-in attempts") {
			t.Errorf("the attacker's address with the right password = %d, want 429", res.StatusCode)
		}
		if res := f.tryLogin("alice", testPassword, "198.51.100.10"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("alice from her own address = %d, want 303:\n%s", res.StatusCode, res.body)
		}
	})
	t.Run("per client address across users", func(t *testing.T) {
		f := newFixture(t, Config{})
		for i := range webkit.AddrFreeFailures {
			f.tryLogin([]string{"alice", "bob", "carol", "dave", "erin"}[i%5], "guess", "203.0.113.7")
		}
		res := f.tryLogin("frank", testPassword, "203.0.113.7")
		if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.body, "Too many failed sign-in attempts") {
			t.Errorf("right password from a guessing address = %d:\n%s", res.StatusCode, res.body)
		}
		if res := f.tryLogin("frank", testPassword, "203.0.113.8"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("same user from another address = %d, want 303", res.StatusCode)
		}
		f.clock.Advance(webkit.BackoffBase)
		if res := f.tryLogin("frank", testPassword, "203.0.113.7"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("after the backoff = %d, want 303", res.StatusCode)
		}
	})
	t.Run("success resets the count", func(t *testing.T) {
		f := newFixture(t, Config{})
		for range webkit.PairFreeFailures - 1 {
			f.tryLogin("alice", "guess", "")
		}
		f.login("alice")
		for range webkit.PairFreeFailures - 1 {
			f.tryLogin("alice", "guess", "")
		}
		f.login("alice")
	})
	// Failed sign-ins are audited once per address per minute, with a count.
	t.Run("audit aggregated", func(t *testing.T) {
		f := newFixture(t, Config{})
		for range 4 {
			f.tryLogin("alice", "guess", "192.0.2.44")
		}
		f.tryLogin("bob", "guess", "192.0.2.45")
		log, err := f.st.AuditLog(100)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, e := range log {
			if e.Action == "login_failed" {
				got[e.Client] += e.Count
				if e.Count == 0 {
					t.Errorf("entry without a count: %+v", e)
				}
			}
		}
		if len(log) != 2 || got["192.0.2.44"] != 4 || got["192.0.2.45"] != 1 {
			t.Errorf("audit %+v, want one entry per address with counts 4 and 1", log)
		}
	})
}

func TestClientKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":             "192.0.2.7",
		"::ffff:192.0.2.7":      "192.0.2.7",
		"2001:db8:1:2:aaaa::1":  "2001:db8:1:2::/64",
		"2001:db8:1:2:bbbb::99": "2001:db8:1:2::/64",
		"":                      "",
	} {
		if got := webkit.ClientKey(in); got != want {
			t.Errorf("webkit.ClientKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCSRF(t *testing.T) {
	f := newFixture(t, Config{ScanNow: func(context.Context) error { return nil }})
	s := f.login("alice")
	other := f.login("bob")
	tests := []struct {
		name string
		req  request
		want int
	}{
		{"logout without token", request{method: http.MethodPost, path: "/logout", form: url.Values{}}, http.StatusForbidden},
		{"logout with wrong token", request{method: http.MethodPost, path: "/logout", form: url.Values{"csrf": {"x"}}}, http.StatusForbidden},
		{"logout with another session's token", request{method: http.MethodPost, path: "/logout", form: url.Values{"csrf": {other.csrf}}}, http.StatusForbidden},
		{"scan without token", request{method: http.MethodPost, path: "/scan", form: url.Values{}}, http.StatusForbidden},
		{"scan json without token", request{method: http.MethodPost, path: "/scan", json: true}, http.StatusForbidden},
		{"cross-site post with token", request{method: http.MethodPost, path: "/scan", form: url.Values{"csrf": {s.csrf}},
			header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, http.StatusForbidden},
		{"foreign origin with token", request{method: http.MethodPost, path: "/scan", form: url.Values{"csrf": {s.csrf}},
			header: map[string]string{"Origin": "http://evil.example"}}, http.StatusForbidden},
		{"scan with header token", request{method: http.MethodPost, path: "/scan", header: map[string]string{"X-CSRF-Token": s.csrf}}, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.cookies = []*http.Cookie{s.cookie}
			if res := f.do(tt.req); res.StatusCode != tt.want {
				t.Errorf("status = %d, want %d:\n%s", res.StatusCode, tt.want, res.body)
			}
		})
	}
	if _, err := f.st.Session(webkit.HashToken(s.cookie.Value)); err != nil {
		t.Errorf("refused logouts ended the session: %v", err)
	}

	// POST /login: double-submit cookie.
	ck, token := f.loginForm("")
	login := func(cookies []*http.Cookie, token string) int {
		return f.do(request{method: http.MethodPost, path: "/login", cookies: cookies,
			form: url.Values{"csrf": {token}, "username": {"alice"}, "password": {testPassword}}}).StatusCode
	}
	if got := login(nil, token); got != http.StatusForbidden {
		t.Errorf("login without the cookie = %d, want 403", got)
	}
	if got := login([]*http.Cookie{ck}, ""); got != http.StatusForbidden {
		t.Errorf("login without the field = %d, want 403", got)
	}
	if got := login([]*http.Cookie{ck}, webkit.NewToken()); got != http.StatusForbidden {
		t.Errorf("login with a mismatched token = %d, want 403", got)
	}
	if got := login([]*http.Cookie{ck}, token); got != http.StatusSeeOther {
		t.Errorf("login with the token = %d, want 303", got)
	}
}

// A script can do everything with JSON: fetch the login token, sign in, and
// POST with the session's CSRF token in a header.
func TestJSONLoginThenPost(t *testing.T) {
	var scans int
	f := newFixture(t, Config{ScanNow: func(context.Context) error { scans++; return nil }})
	res := f.do(request{path: "/login", json: true})
	var form loginFormAnswer
	if err := json.Unmarshal([]byte(res.body), &form); err != nil || form.CSRF == "" || form.Error != "" {
		t.Fatalf("json login form = %d %q (%v)", res.StatusCode, res.body, err)
	}
	ck := res.cookie("tend_login")
	bad := f.do(request{method: http.MethodPost, path: "/login", json: true, cookies: []*http.Cookie{ck},
		form: url.Values{"csrf": {form.CSRF}, "username": {"alice"}, "password": {"wrong password"}}})
	if err := json.Unmarshal([]byte(bad.body), &form); err != nil || bad.StatusCode != http.StatusUnauthorized || form.Error == "" {
		t.Errorf("json wrong password = %d %q (%v)", bad.StatusCode, bad.body, err)
	}
	res = f.do(request{method: http.MethodPost, path: "/login", json: true, cookies: []*http.Cookie{ck},
		form: url.Values{"csrf": {form.CSRF}, "username": {"alice"}, "password": {testPassword}}})
	var ans loginAnswer
	if err := json.Unmarshal([]byte(res.body), &ans); err != nil || res.StatusCode != http.StatusOK || ans.User != "alice" || ans.CSRF == "" {
		t.Fatalf("json login = %d %q (%v)", res.StatusCode, res.body, err)
	}
	res = f.do(request{method: http.MethodPost, path: "/scan", json: true, cookies: []*http.Cookie{res.cookie("tend_session")},
		header: map[string]string{"X-CSRF-Token": ans.CSRF}})
	if res.StatusCode != http.StatusAccepted || scans != 1 {
		t.Errorf("json scan = %d %q, %d scans", res.StatusCode, res.body, scans)
	}
}

func TestScan(t *testing.T) {
	var calls int
	var fail error
	f := newFixture(t, Config{ScanNow: func(context.Context) error { calls++; return fail }})
	s := f.login("alice")
	page := f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}})
	if !strings.Contains(page.body, `action="/scan"`) {
		t.Error("Scan now button missing")
	}
	res := f.do(request{method: http.MethodPost, path: "/scan", cookies: []*http.Cookie{s.cookie}, form: url.Values{"csrf": {s.csrf}}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/devices" || calls != 1 {
		t.Errorf("scan = %d to %q, %d calls", res.StatusCode, res.Header.Get("Location"), calls)
	}
	fail = errors.New("sweeper busy")
	res = f.do(request{method: http.MethodPost, path: "/scan", cookies: []*http.Cookie{s.cookie}, form: url.Values{"csrf": {s.csrf}}})
	if res.StatusCode != http.StatusInternalServerError || strings.Contains(res.body, "sweeper busy") {
		t.Errorf("failed scan = %d (internals must not leak):\n%s", res.StatusCode, res.body)
	}

	noScan := newFixture(t, Config{})
	s = noScan.login("alice")
	res = noScan.do(request{method: http.MethodPost, path: "/scan", cookies: []*http.Cookie{s.cookie}, form: url.Values{"csrf": {s.csrf}}})
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("scan without ScanNow = %d, want 404", res.StatusCode)
	}
}

// TestOverTLS runs the whole sign-in through a real TLS server and a cookie
// jar, as a browser on the client's LAN would, with Secure __Host- cookies.
func TestOverTLS(t *testing.T) {
	st, err := storage.Open(":memory:", storage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutUser(storage.User{Name: "alice", PasswordHash: string(hash)}); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{SecureCookies: true}, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewTLSServer(srv.Handler())
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	client := ts.Client()
	client.Jar = jar

	res, err := client.Get(ts.URL + "/devices") // follows to /login
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, res)
	if res.Request.URL.Path != "/login" {
		t.Fatalf("unauthenticated /devices ended at %s", res.Request.URL)
	}
	res, err = client.PostForm(ts.URL+"/login", url.Values{"csrf": {formCSRF(t, body)}, "username": {"alice"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	body = readAll(t, res)
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" || !strings.Contains(body, "Site health") {
		t.Fatalf("login over TLS ended at %s with %d:\n%s", res.Request.URL, res.StatusCode, body)
	}
	u, _ := url.Parse(ts.URL)
	var names []string
	for _, c := range jar.Cookies(u) {
		names = append(names, c.Name)
	}
	if diff := cmp.Diff([]string{"__Host-tend_session"}, names); diff != "" {
		t.Errorf("cookies in the jar (-want +got):\n%s", diff)
	}
	if res.TLS == nil || res.TLS.Version < tls.VersionTLS12 {
		t.Error("not served over TLS")
	}
}

func readAll(t testing.TB, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
