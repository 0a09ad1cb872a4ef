package hub

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"tend/webkit"
)

// addUser stores user with password at the cheapest bcrypt cost.
func addUser(t *testing.T, th *testHub, user, password string) {
	t.Helper()
	hash, _ := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err := th.data.PutUser(user, string(hash)); err != nil {
		t.Fatal(err)
	}
}

// signInFrom posts the sign-in form from the client address remote
// (straight into the handler, so the address is the test's to choose) and
// returns the status and the session cookie, if one was set.
func signInFrom(t *testing.T, th *testHub, remote, user, password string) (int, *http.Cookie) {
	t.Helper()
	h := th.hub.Handler()
	w := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "https://hub.test/login", nil)
	req.RemoteAddr = remote + ":40000"
	h.ServeHTTP(w, req)
	m := csrfField.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Errorf("no csrf on the login page: %d", w.Code) // not Fatal: called from goroutines
		return 0, nil
	}
	var loginCookie *http.Cookie
	for _, c := range w.Result().Cookies() {
		if strings.HasSuffix(c.Name, "tend_hub_login") {
			loginCookie = c
		}
	}
	form := url.Values{"csrf": {m[1]}, "username": {user}, "password": {password}}
	req = httptest.NewRequest(http.MethodPost, "https://hub.test/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = remote + ":40001"
	if loginCookie != nil {
		req.AddCookie(loginCookie)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	for _, c := range w.Result().Cookies() {
		if strings.HasSuffix(c.Name, "tend_hub_session") && c.Value != "" {
			return w.Code, c
		}
	}
	return w.Code, nil
}

// The attack (issue 21): 50 wrong passwords for one user sent at once.
// The hub used to ask "locked?", run bcrypt, then count the failure, so
// all 50 reached bcrypt. Now each attempt is counted before its check:
// at most the pair's free failures are checked (answered 401), the rest
// are refused (429) without a password check.
func TestSignInConcurrentGuesses(t *testing.T) {
	th := newTestHub(t)
	addUser(t, th, "ops", "the-right-password")
	const guesses = 50
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		status = map[int]int{}
	)
	start := make(chan struct{})
	for i := range guesses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			code, _ := signInFrom(t, th, "203.0.113.66", "ops", "guess-"+string(rune('a'+i%26)))
			mu.Lock()
			status[code]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	checked, refused := th.hub.limiter.Checked()
	t.Logf("50 concurrent wrong passwords: %v (status → count); limiter checked %d, refused %d", status, checked, refused)
	if status[http.StatusUnauthorized] > webkit.PairFreeFailures || checked > webkit.PairFreeFailures {
		t.Errorf("%d guesses reached the password check (%d answered 401), want at most %d", checked, status[http.StatusUnauthorized], webkit.PairFreeFailures)
	}
	if status[http.StatusUnauthorized]+status[http.StatusTooManyRequests] != guesses {
		t.Errorf("answers %v, want only 401 and 429", status)
	}
	if status[http.StatusSeeOther] != 0 {
		t.Error("a wrong password signed in")
	}
}

// The attack (issue 21): a stranger guesses the engineer's password until
// the name is locked, which used to lock it for everyone. The lock now
// holds the stranger's address only: the real user signs in from another
// address at once.
func TestSignInAttackerDoesNotLockOutUser(t *testing.T) {
	th := newTestHub(t)
	addUser(t, th, "ops", "the-right-password")
	for range 100 {
		signInFrom(t, th, "203.0.113.66", "ops", "wrong")
		th.clk.Add(100 * time.Millisecond)
	}
	if code, _ := signInFrom(t, th, "203.0.113.66", "ops", "wrong"); code != http.StatusTooManyRequests {
		t.Fatalf("the attacker's 101st guess in 10 s: %d, want 429", code)
	}
	code, sess := signInFrom(t, th, "192.0.2.10", "ops", "the-right-password")
	if code != http.StatusSeeOther || sess == nil {
		t.Fatalf("the real user from her own address: %d, want 303 and a session", code)
	}
	// Spreading guesses over names from one address is limited too (real
	// names: an unknown one costs a full-cost bcrypt of the dummy hash).
	for i := range webkit.AddrFreeFailures + 5 {
		name := "user" + string(rune('a'+i))
		addUser(t, th, name, "secret")
		signInFrom(t, th, "203.0.113.77", name, "wrong")
	}
	if code, _ := signInFrom(t, th, "203.0.113.77", "ops", "the-right-password"); code != http.StatusTooManyRequests {
		t.Errorf("an address that guessed %d names: %d, want 429", webkit.AddrFreeFailures+5, code)
	}
	if code, _ := signInFrom(t, th, "2001:db8:1:2::5", "ops", "the-right-password"); code != http.StatusSeeOther {
		t.Errorf("the real user over IPv6: %d, want 303", code)
	}
}

// postRoutes is every POST route of the hub, with :name filled in.
func postRoutes(th *testHub) []string {
	var out []string
	for _, r := range th.hub.engine.Routes() {
		if r.Method == http.MethodPost {
			out = append(out, strings.ReplaceAll(r.Path, ":name", "acme"))
		}
	}
	return out
}

// hubState is what a POST could change: sites, tokens, the audit log.
func hubState(t *testing.T, th *testHub) string {
	t.Helper()
	sites, err := th.data.Sites()
	if err != nil {
		t.Fatal(err)
	}
	toks, err := th.data.Tokens()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range sites {
		b.WriteString(s.Name + " " + s.LastSeen.String() + ";")
	}
	for _, tk := range toks {
		b.WriteString(tk.ID + ";")
	}
	return b.String()
}

// The attack (issue 21): a read-only API token, and a read-only user, try
// every POST route of the hub. Nothing is answered 2xx and nothing changes.
func TestReadOnlyCannotPost(t *testing.T) {
	th := newTestHub(t)
	tok, err := th.data.NewToken("grafana")
	if err != nil {
		t.Fatal(err)
	}
	routes := postRoutes(th)
	if len(routes) < 4 {
		t.Fatalf("POST routes %v: the route table was not read", routes)
	}
	before := hubState(t, th)
	form := url.Values{"name": {"intruder"}, "username": {"ops"}, "password": {"x"}}
	for _, path := range routes {
		req, _ := http.NewRequest(http.MethodPost, th.srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+tok)
		hc := th.srv.Client()
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 300 || resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") != "/login" {
			t.Errorf("read-only token POST %s: %d (%s)", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	hc := signIn(t, th) // user ops
	if err := th.data.SetRole("ops", UserRole{Role: RoleReadOnly}); err != nil {
		t.Fatal(err)
	}
	_, page, _ := get(t, hc, th.srv.URL+"/sites", "")
	csrf := csrfField.FindStringSubmatch(page)
	if csrf == nil {
		t.Fatal("no csrf token on the fleet page")
	}
	form.Set("csrf", csrf[1])
	for _, path := range routes {
		if path == "/logout" || path == "/login" {
			continue // a read-only user may sign itself out (and in)
		}
		resp, err := hc.PostForm(th.srv.URL+path, form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Errorf("read-only user POST %s: %d", path, resp.StatusCode)
		}
	}
	if after := hubState(t, th); after != before {
		t.Errorf("state changed by read-only requests:\nbefore %s\nafter  %s", before, after)
	}
}

// A reset password ends the sessions the old one started, at the hub too.
func TestPasswordResetEndsSessions(t *testing.T) {
	th := newTestHub(t)
	hc := signIn(t, th) // user ops
	if code, _, _ := get(t, hc, th.srv.URL+"/sites", ""); code != http.StatusOK {
		t.Fatalf("signed in: %d", code)
	}
	addUser(t, th, "ops", "a-new-password")
	code, _, hdr := get(t, hc, th.srv.URL+"/sites", "")
	if code != http.StatusSeeOther || hdr.Get("Location") != "/login" {
		t.Errorf("after the reset: %d to %q, want 303 to /login", code, hdr.Get("Location"))
	}
}

// Sign-ins live in the hub's store, not in a process: a browser signed in
// at one hub is signed in at another on the same store (two Hub values on
// one embedded store; two on one PostgreSQL, each with its own users
// file holding the same user), and signing out at one ends it at both.
func TestSessionsSharedAcrossHubs(t *testing.T) {
	for _, kind := range []string{"embedded", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			a := newTestHub(t)
			b := &testHub{st: a.st, data: a.data, clk: a.clk}
			if kind == "postgres" {
				url := startPostgres(t)
				b = newTestHub(t)
				b.clk = a.clk
				a.data, b.data = openPostgresStore(t, url, a.clk.Now), openPostgresStore(t, url, a.clk.Now)
			}
			for _, th := range []*testHub{a, b} {
				hub, err := NewHub(HubConfig{Now: a.clk.Now, SecureCookies: true}, th.st, th.data)
				if err != nil {
					t.Fatal(err)
				}
				th.hub, th.srv = hub, httptest.NewTLSServer(hub.Handler())
				t.Cleanup(th.srv.Close)
			}
			hc := signIn(t, a) // at hub a
			// No copy of the user at b: users are in the hub store.
			atB := b.srv.Client()
			atB.Jar, atB.CheckRedirect = hc.Jar, hc.CheckRedirect
			if code, _, _ := get(t, atB, b.srv.URL+"/sites", ""); code != http.StatusOK {
				t.Fatalf("the sign-in at hub a, at hub b: %d, want 200", code)
			}
			_, page, _ := get(t, atB, b.srv.URL+"/sites", "")
			csrf := csrfField.FindStringSubmatch(page)
			if csrf == nil {
				t.Fatal("no csrf token")
			}
			resp, err := atB.PostForm(b.srv.URL+"/logout", url.Values{"csrf": {csrf[1]}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			// The jar dropped the cookie; a copy of it must be dead too.
			if code, _, _ := get(t, hc, a.srv.URL+"/sites", ""); code != http.StatusSeeOther {
				t.Errorf("after signing out at hub b, hub a: %d, want 303", code)
			}
		})
	}
}

// The box's idle timeout holds at the hub too, and the absolute end.
func TestHubSessionIdle(t *testing.T) {
	th := newTestHub(t)
	hc := signIn(t, th)
	th.clk.Add(50 * time.Minute)
	if code, _, _ := get(t, hc, th.srv.URL+"/sites", ""); code != http.StatusOK {
		t.Fatalf("after 50 min: %d", code)
	}
	th.clk.Add(61 * time.Minute)
	if code, _, _ := get(t, hc, th.srv.URL+"/sites", ""); code != http.StatusSeeOther {
		t.Errorf("after 61 idle minutes: %d, want 303", code)
	}
}
