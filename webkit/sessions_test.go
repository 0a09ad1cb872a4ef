package webkit

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gin-gonic/gin"
)

// memSessions is a SessionStore in a map: webkit has no store of its own
// (each UI brings one; theirs are tested against their real databases).
type memSessions struct {
	mu sync.Mutex
	m  map[string]Session
}

func (m *memSessions) PutSession(s Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[s.TokenHash] = s
	return nil
}

func (m *memSessions) Session(h string) (Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.m[h]
	if !ok {
		return Session{}, ErrNoSession
	}
	return s, nil
}

func (m *memSessions) DeleteSession(h string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.m[h]; !ok {
		return ErrNoSession
	}
	delete(m.m, h)
	return nil
}

func (m *memSessions) TouchSession(h string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.m[h]
	if !ok {
		return ErrNoSession
	}
	s.LastUsed = at
	m.m[h] = s
	return nil
}

// testShell is a shell with a one-link navigation, sessions in memory and
// a page that needs a session.
func testShell(t *testing.T, clk *clock, stamp func(string) (string, error)) (*gin.Engine, *Sessions, *memSessions) {
	t.Helper()
	ui := fstest.MapFS{"nav.html": {Data: []byte(`{{define "nav"}}<a href="/x">X</a>{{end}}`)},
		"page.html": {Data: []byte(`{{define "content"}}<p>hello {{.User}}</p><form><input name="csrf" value="{{.CSRF}}"></form>{{end}}`)}}
	store := &memSessions{m: map[string]Session{}}
	ss := NewSessions(SessionsConfig{Store: store, Now: clk.Now, Cookie: "t_session", Stamp: stamp})
	sh, err := NewShell(ShellConfig{CSP: "default-src 'self'", Now: clk.Now, UI: ui, Nav: "nav.html", BackURL: "/", Back: "Back",
		LayoutFor: func(c *gin.Context, title, nav string) Layout {
			l := Layout{AppName: "Test", Title: title, Nav: nav}
			if s, ok := SessionOf(c); ok {
				l.User, l.CSRF = s.User, s.CSRF
			}
			return l
		}})
	if err != nil {
		t.Fatal(err)
	}
	page, err := sh.Page("page.html")
	if err != nil {
		t.Fatal(err)
	}
	r := sh.Engine()
	r.GET("/signin", func(c *gin.Context) {
		if _, err := ss.Start(c, "ann", "t_login"); err != nil {
			sh.Fail(c, 500, "no", err)
		}
	})
	g := r.Group("/", sh.RequireSession(ss, nil), sh.RequireCSRF(nil))
	g.GET("/page", func(c *gin.Context) {
		s, _ := SessionOf(c)
		sh.Render(c, 200, page, Layout{User: s.User, CSRF: s.CSRF, AppName: "Test"}, map[string]string{"user": s.User})
	})
	g.POST("/page", func(c *gin.Context) { c.String(200, "done") })
	return r, ss, store
}

func do(r http.Handler, method, path, cookie, body string, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

func TestSessionsIdleStampCSRF(t *testing.T) {
	gin.SetMode(gin.TestMode)
	clk := newClock()
	stamp := "s1"
	r, _, store := testShell(t, clk, func(user string) (string, error) {
		if user != "ann" {
			return "", ErrNoSession
		}
		return stamp, nil
	})
	signIn := func() string {
		w := do(r, "GET", "/signin", "", "")
		return strings.Split(w.Header().Get("Set-Cookie"), ";")[0]
	}
	if w := do(r, "GET", "/page", "", ""); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login" {
		t.Fatalf("no session: %d %s", w.Code, w.Header().Get("Location"))
	}
	if w := do(r, "GET", "/page", "", "", "Accept", "application/json"); w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "authentication required") {
		t.Fatalf("no session, JSON: %d %s", w.Code, w.Body)
	}
	ck := signIn()
	w := do(r, "GET", "/page", ck, "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "hello ann") {
		t.Fatalf("signed in: %d %s", w.Code, w.Body)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(w.Body.String())[1]
	if w := do(r, "POST", "/page", ck, "csrf=wrong"); w.Code != http.StatusForbidden {
		t.Errorf("POST with a wrong CSRF token: %d", w.Code)
	}
	if w := do(r, "POST", "/page", ck, "csrf="+csrf); w.Code != 200 {
		t.Errorf("POST with the CSRF token: %d", w.Code)
	}
	// Used within the idle time: touched, so it lives on.
	clk.Advance(50 * time.Minute)
	if w := do(r, "GET", "/page", ck, ""); w.Code != 200 {
		t.Fatalf("after 50 min: %d", w.Code)
	}
	clk.Advance(61 * time.Minute)
	if w := do(r, "GET", "/page", ck, ""); w.Code != http.StatusSeeOther || len(store.m) != 0 {
		t.Errorf("after 61 idle minutes: %d, %d sessions stored", w.Code, len(store.m))
	}
	// A new stamp (a new password) ends it, in the store too.
	ck = signIn()
	stamp = "s2"
	if w := do(r, "GET", "/page", ck, ""); w.Code != http.StatusSeeOther || len(store.m) != 0 {
		t.Errorf("after a password change: %d, %d sessions stored", w.Code, len(store.m))
	}
	// The absolute end holds whatever the use.
	ck = signIn()
	for range 14 {
		clk.Advance(55 * time.Minute)
		do(r, "GET", "/page", ck, "")
	}
	if w := do(r, "GET", "/page", ck, ""); w.Code != http.StatusSeeOther {
		t.Errorf("after 12 h of use: %d", w.Code)
	}
}

func TestShellPages(t *testing.T) {
	gin.SetMode(gin.TestMode)
	r, _, _ := testShell(t, newClock(), nil)
	w := do(r, "GET", "/nowhere", "", "")
	if w.Code != 404 || !strings.Contains(w.Body.String(), "There is no page at this address.") || !strings.Contains(w.Body.String(), "/static/style.css?v=") {
		t.Errorf("404 page: %d %s", w.Code, w.Body)
	}
	if w := do(r, "GET", "/nowhere", "", "", "Accept", "application/json"); w.Code != 404 || strings.TrimSpace(w.Body.String()) != `{"error":"There is no page at this address."}` {
		t.Errorf("404 JSON: %d %s", w.Code, w.Body)
	}
	if w := do(r, "POST", "/page", "", "", "Sec-Fetch-Site", "cross-site"); w.Code != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", w.Code)
	}
	if w := do(r, "GET", "/healthz", "", ""); w.Code != 200 || w.Body.String() != "ok" {
		t.Errorf("healthz: %d", w.Code)
	}
	// The CSP forbids inline script and style: none in the shell's templates.
	names, _ := fs.Glob(files, "templates/*.html")
	for _, n := range names {
		b, _ := files.ReadFile(n)
		if s := string(b); strings.Contains(s, "<script") || strings.Contains(s, "style=") || strings.Contains(s, "<style") {
			t.Errorf("%s has inline script or style", n)
		}
	}
	if _, err := NewShell(ShellConfig{}); err == nil {
		t.Error("a shell without LayoutFor and UI")
	}
}
