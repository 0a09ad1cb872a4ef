package webui

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"tend/internal/raceflag"
	"tend/internal/testclock"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"tend/inventory"
	"tend/storage"
)

// testPassword belongs to every test user; their hashes use bcrypt's minimum
// cost so tests stay fast under -race (HashPassword's cost is tested alone).
const testPassword = "correct horse battery"

// clock is an injectable, settable time shared by the server and storage.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	t     testing.TB
	clock *clock
	st    *storage.Store
	srv   *Server
	h     http.Handler
}

// newFixture builds a Server over a real in-memory store holding the users
// alice and bob.
func newFixture(t testing.TB, cfg Config) *fixture {
	t.Helper()
	// Start at the wall clock's second so buntdb's own TTLs agree with it.
	clk := &clock{t: testclock.Now().Truncate(time.Second)}
	st, err := storage.Open(":memory:", storage.Config{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"alice", "bob", "carol", "dave", "erin", "frank"} {
		if err := st.PutUser(storage.User{Name: name, PasswordHash: string(hash), Created: clk.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	if cfg.Now == nil {
		cfg.Now = clk.Now
	}
	if cfg.SiteName == "" {
		cfg.SiteName = "Acme Dental"
	}
	srv, err := New(cfg, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, clock: clk, st: st, srv: srv, h: srv.Handler()}
}

// request describes one call to the handler.
type request struct {
	method  string
	path    string
	form    url.Values
	json    bool   // Accept: application/json
	remote  string // client address; default 192.0.2.1
	cookies []*http.Cookie
	header  map[string]string
}

type response struct {
	*http.Response
	body string
}

func (f *fixture) do(r request) response {
	f.t.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	var body io.Reader
	if r.form != nil {
		body = strings.NewReader(r.form.Encode())
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if r.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if r.json {
		req.Header.Set("Accept", "application/json")
	} else {
		req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	}
	if r.remote != "" {
		req.RemoteAddr = r.remote + ":40000"
	}
	for _, c := range r.cookies {
		req.AddCookie(c)
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	return response{Response: res, body: string(b)}
}

func (r response) cookie(name string) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// formCSRF returns the first CSRF token in a page's forms.
func formCSRF(t testing.TB, html string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no csrf field in page:\n%s", html)
	}
	return m[1]
}

// session is a signed-in browser: its cookie and its CSRF token.
type session struct {
	cookie *http.Cookie
	csrf   string
}

// loginForm fetches the sign-in form: its double-submit cookie and token.
func (f *fixture) loginForm(remote string) (*http.Cookie, string) {
	f.t.Helper()
	res := f.do(request{path: "/login", remote: remote})
	ck := res.cookie(f.srv.loginCSRFCookie)
	if res.StatusCode != http.StatusOK || ck == nil {
		f.t.Fatalf("GET /login = %d, cookie %v", res.StatusCode, ck)
	}
	return ck, formCSRF(f.t, res.body)
}

// tryLogin posts the sign-in form as a browser would.
func (f *fixture) tryLogin(user, password, remote string) response {
	f.t.Helper()
	ck, token := f.loginForm(remote)
	return f.do(request{method: http.MethodPost, path: "/login", remote: remote, cookies: []*http.Cookie{ck},
		form: url.Values{"csrf": {token}, "username": {user}, "password": {password}}})
}

// login signs in and returns the session, failing the test otherwise.
func (f *fixture) login(user string) session {
	f.t.Helper()
	res := f.tryLogin(user, testPassword, "")
	ck := res.cookie(f.srv.sessionCookie)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" || ck == nil {
		f.t.Fatalf("login as %s = %d to %q, cookie %v:\n%s", user, res.StatusCode, res.Header.Get("Location"), ck, res.body)
	}
	page := f.do(request{path: "/devices", cookies: []*http.Cookie{ck}})
	return session{cookie: ck, csrf: formCSRF(f.t, page.body)}
}

// seed stores a small, varied network and returns it by name.
func (f *fixture) seed() {
	f.t.Helper()
	now := f.clock.Now()
	mac := func(s string) inventory.MAC {
		m, err := inventory.ParseMAC(s)
		if err != nil {
			f.t.Fatal(err)
		}
		return m
	}
	ip := netip.MustParseAddr
	obs := []inventory.Observation{
		{Time: now.Add(-10 * time.Minute), Source: inventory.SourceARP, MAC: mac("00:1b:54:aa:bb:01"), IP: ip("10.0.0.1"), Vendor: "Cisco Systems, Inc"},
		{Time: now.Add(-10 * time.Minute), Source: inventory.SourceSNMP, MAC: mac("00:1b:54:aa:bb:01"), Type: inventory.TypeSwitch,
			Make: "Cisco", Model: "WS-C2960X-24PS-L", Firmware: "15.2(7)E8", Serial: "FOC1234X0AB",
			SNMP: &inventory.SNMPSystem{Version: "2c", SysName: "core-sw", SysDescr: "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E8",
				SysObjectID: "1.3.6.1.4.1.9.1.1208", SysLocation: "Comms cupboard", Uptime: 49*time.Hour + 5*time.Minute}},
		{Time: now.Add(-time.Minute), Source: inventory.SourceARP, MAC: mac("3c:2a:f4:00:00:20"), IP: ip("10.0.0.20"), Vendor: "Brother Industries, LTD.",
			Hostname: "printer-2", Type: inventory.TypePrinter, Make: "Brother", Model: "HL-L2350DW"},
		{Time: now.Add(-3 * time.Hour), Source: inventory.SourceARP, MAC: mac("00:11:32:00:00:03"), IP: ip("10.0.0.3"), Vendor: "Synology Incorporated",
			Hostname: "files", Type: inventory.TypeNAS, Serial: "2040ABC"},
		{Time: now.Add(-2 * time.Minute), Source: inventory.SourceARP, MAC: mac("da:a1:19:00:01:00"), IP: ip("10.0.0.100")},
		{Time: now.Add(-30 * time.Second), Source: inventory.SourceARP, MAC: mac("00:50:56:00:00:09"), IP: ip("10.0.0.9"), Vendor: "VMware, Inc."},
	}
	if _, err := f.st.Apply(obs...); err != nil {
		f.t.Fatal(err)
	}
	// core-sw moved address once: history shows both.
	if _, err := f.st.Apply(inventory.Observation{Time: now, Source: inventory.SourceARP, MAC: mac("00:1b:54:aa:bb:01"), IP: ip("10.0.0.2")}); err != nil {
		f.t.Fatal(err)
	}
}

// productBcrypt skips, under -race, the rest of a test whose work is
// bcrypt at the product's cost (12): in one goroutine the detector has
// nothing to find there, and one hash or check took 15-30 s of CPU under
// it. make test-future runs webui's tests again without -race, where it
// runs.
func productBcrypt(t *testing.T) {
	t.Helper()
	if raceflag.On {
		t.Skip("bcrypt at the product's cost: run without -race by make test-future")
	}
}
