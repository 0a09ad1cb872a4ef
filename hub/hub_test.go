package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"tend/storage"
	"tend/upstream"
	"tend/webkit"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type testHub struct {
	st   *storage.Store
	data *HubStore
	hub  *Hub
	srv  *httptest.Server
	clk  *clock
	key  string // acme's printable key
}

func newTestHub(t *testing.T) *testHub { return newTestHubOn(t, "embedded") }

// eachStore runs a test on the embedded store and on PostgreSQL.
func eachStore(t *testing.T, test func(t *testing.T, th *testHub)) {
	for _, kind := range []string{"embedded", "postgres"} {
		t.Run(kind, func(t *testing.T) { test(t, newTestHubOn(t, kind)) })
	}
}

// cheapHash is webkit.HashPassword's rules at bcrypt's cheapest cost: at
// the product's cost 12 each hash and each sign-in took seconds of CPU
// under -race, and the user tests add and sign in a dozen users.
// TestHubUserCommands goes through the product's hashing and checks its
// cost.
func cheapHash(pw string) (string, error) {
	if n := utf8.RuneCountInString(pw); n < webkit.MinPasswordLen {
		return "", fmt.Errorf("password too short: it has %d characters, use at least %d", n, webkit.MinPasswordLen)
	}
	if len(pw) > webkit.MaxPasswordLen {
		return "", fmt.Errorf("password too long: it has %d bytes, bcrypt uses at most %d", len(pw), webkit.MaxPasswordLen)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	return string(h), err
}

// newTestHubOn is a hub whose site data is in the store of kind
// ("embedded" or "postgres", a private cluster); users and sessions are
// in the embedded store either way.
func newTestHubOn(t *testing.T, kind string) *testHub {
	t.Helper()
	clk := &clock{t: t0}
	st, err := storage.Open(filepath.Join(t.TempDir(), "hub.db"), storage.Config{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	data := NewHubStore(st, clk.Now, 0)
	if kind == "postgres" {
		data = openPostgresStore(t, startPostgres(t), clk.Now)
	}
	data.hashPassword = cheapHash
	if err := data.SealKeys(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	key, err := data.AddSite("acme")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := data.AddSite("acme"); err == nil {
		t.Error("a site was added twice")
	}
	hub, err := NewHub(HubConfig{Now: clk.Now, SecureCookies: true, PublicURL: "https://hub.example/"}, st, data)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(hub.Handler())
	t.Cleanup(srv.Close)
	return &testHub{st: st, data: data, hub: hub, srv: srv, clk: clk, key: key}
}

// newTestClient is a box: its own database, the test site as inputs.
func newTestClient(t *testing.T, th *testHub, url string, in *upstream.Inputs, limit int) (*upstream.Client, *storage.Store) {
	t.Helper()
	st, err := storage.Open(filepath.Join(t.TempDir(), "box.db"), storage.Config{Now: th.clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, _ := upstream.ParseSiteKey(th.key)
	c, err := upstream.NewClient(upstream.ClientConfig{URL: url, Site: "acme", Key: key, Interval: time.Minute, OutboxLimit: limit,
		HTTP: th.srv.Client(), Version: "test", Now: th.clk.Now,
		Inputs: func(context.Context) (upstream.Inputs, error) { return *in, nil }}, st)
	if err != nil {
		t.Fatal(err)
	}
	return c, st
}

func post(t *testing.T, th *testHub, site, idem, sig string, body []byte) (int, upstream.Reply) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, th.srv.URL+upstream.SummaryPath, bytes.NewReader(body))
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set(upstream.HeaderSite, site)
	req.Header.Set(upstream.HeaderIdempotency, idem)
	req.Header.Set(upstream.HeaderSignature, sig)
	resp, err := th.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r upstream.Reply
	json.NewDecoder(resp.Body).Decode(&r)
	return resp.StatusCode, r
}

// TestHubRefuses: tampered, replayed, wrong-key and unknown-site summaries
// are refused and leave nothing behind; a re-sent last summary is
// acknowledged without being stored twice.
func TestHubRefuses(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		in := testSite(t, 30, t0)
		c, box := newTestClient(t, th, th.srv.URL, &in, 0)
		ctx := context.Background()
		for range 3 {
			if _, err := c.Enqueue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		items, _ := box.Outbox()
		state, _ := box.UpstreamState()
		key, _ := upstream.ParseSiteKey(th.key)
		sign := func(it storage.OutboxItem, k []byte) (string, string) {
			idem := upstream.IdempotencyKey(state.BoxID, it.Seq)
			return idem, upstream.Sign(k, "acme", idem, it.Body)
		}
		// Deliver 1 and 2 by hand, keep 3.
		for _, it := range items[:2] {
			idem, sig := sign(it, key)
			if code, r := post(t, th, "acme", idem, sig, it.Body); code != 200 || r.Status != "stored" {
				t.Fatalf("summary %d: %d %+v", it.Seq, code, r)
			}
		}
		other, _ := upstream.ParseSiteKey(upstream.NewSiteKey())
		idem3, sig3 := sign(items[2], key)
		_, wrongSig := sign(items[2], other)
		tampered := bytes.Clone(items[2].Body)
		tampered[len(tampered)-10] ^= 0x40
		idem1, sig1 := sign(items[0], key)
		for _, tc := range []struct {
			name            string
			site, idem, sig string
			body            []byte
			want            int
		}{
			{"tampered", "acme", idem3, sig3, tampered, http.StatusUnauthorized},
			{"wrong key", "acme", idem3, wrongSig, items[2].Body, http.StatusUnauthorized},
			{"unknown site", "nobody", idem3, sig3, items[2].Body, http.StatusUnauthorized},
			{"replayed old summary", "acme", idem1, sig1, items[0].Body, http.StatusConflict},
			{"signature of another sequence", "acme", upstream.IdempotencyKey(state.BoxID, 3), sig1, items[0].Body, http.StatusUnauthorized},
		} {
			code, r := post(t, th, tc.site, tc.idem, tc.sig, tc.body)
			if code != tc.want {
				t.Errorf("%s: %d %+v, want %d", tc.name, code, r, tc.want)
			}
		}
		idem2, sig2 := sign(items[1], key)
		if code, r := post(t, th, "acme", idem2, sig2, items[1].Body); code != 200 || r.Status != "duplicate" || r.LastSeq != 2 {
			t.Errorf("re-sent last summary: %d %+v, want 200 duplicate", code, r)
		}
		s, err := th.data.Site("acme")
		if err != nil || s.Summaries != 2 || s.Seq != 2 {
			t.Fatalf("after refusals: %+v %v; want exactly the two good summaries", s, err)
		}
		th.hub.mu.Lock()
		refused := th.hub.refused
		th.hub.mu.Unlock()
		if refused["bad_signature"] != 3 || refused["replay"] != 1 || refused["unknown_site"] != 1 {
			t.Errorf("refusal counters %v", refused)
		}
		// The box's own push: 1 is superseded, 2 a duplicate, 3 stored.
		if n, err := c.Flush(ctx); err != nil || n != 3 || c.Stats().Superseded != 1 || c.Stats().Dropped != 0 {
			t.Errorf("flush: %d, %v, %+v", n, err, c.Stats())
		}
		if s, _ := th.data.Site("acme"); s.Summaries != 3 {
			t.Errorf("hub holds %d summaries, want 3", s.Summaries)
		}
		if devs, _ := th.data.SiteDevices("acme"); len(devs) != 30 {
			t.Errorf("hub holds %d devices, the box 30", len(devs))
		}
	})
}

// TestOutboxSurvivesHubOutage: while the hub is away the box queues (and
// past the bound merges) summaries; when it is back every summary arrives,
// once, in order, with the merged ones saying what they cover.
func TestOutboxSurvivesHubOutage(t *testing.T) {
	th := newTestHub(t)
	in := testSite(t, 20, t0)
	down := httptest.NewUnstartedServer(http.NotFoundHandler()) // an address nobody answers on
	down.Listener.Close()
	downURL := "https://" + down.Listener.Addr().String()
	ctx := context.Background()

	c, box := newTestClient(t, th, downURL, &in, 5)
	for i := range 12 {
		in.Snapshot.Devices[i].Firmware = "changed"
		th.clk.Add(time.Minute)
		if _, err := c.Enqueue(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Flush(ctx); err == nil {
			t.Fatal("flush to a closed port succeeded")
		}
	}
	if n, _ := box.OutboxLen(); n != 5 {
		t.Errorf("outbox holds %d, bound 5", n)
	}
	// The hub is back (same box database, the hub's address).
	key, _ := upstream.ParseSiteKey(th.key)
	c2, err := upstream.NewClient(upstream.ClientConfig{URL: th.srv.URL, Site: "acme", Key: key, HTTP: th.srv.Client(), Now: th.clk.Now,
		Inputs: func(context.Context) (upstream.Inputs, error) { return in, nil }}, box)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := c2.Flush(ctx); err != nil || n != 5 {
		t.Fatalf("flush after outage: %d, %v", n, err)
	}
	recs, _ := th.data.Summaries("acme", 0, true)
	next := uint64(1)
	merged := 0
	for i := len(recs) - 1; i >= 0; i-- { // oldest first
		r := recs[i]
		if r.FirstSeq != next {
			t.Errorf("summary #%d covers %d..%d, want it to start at %d", r.N, r.FirstSeq, r.Seq, next)
		}
		next = r.Seq + 1
		merged += r.Coalesced
		s, _ := upstream.DecodeBody(r.Body)
		if r.Coalesced > 1 && len(s.Changed) == 0 {
			t.Errorf("merged summary %d..%d lost its device changes", r.FirstSeq, r.Seq)
		}
	}
	if next != 13 || merged != 12 {
		t.Errorf("hub got summaries up to %d covering %d made, want 12 and 12", next-1, merged)
	}
	if devs, _ := th.data.SiteDevices("acme"); len(devs) != 20 {
		t.Errorf("hub holds %d devices, want 20", len(devs))
	}
	st := c.Stats()
	if st.Made != 12 || st.Merged != 7 {
		t.Errorf("client stats %+v, want 12 made, 7 merged", st)
	}
}

func TestClientRefusesPlainHTTP(t *testing.T) {
	_, err := upstream.NewClient(upstream.ClientConfig{URL: "http://hub.example", Site: "a", Key: make([]byte, 32),
		Inputs: func(context.Context) (upstream.Inputs, error) { return upstream.Inputs{}, nil }}, nil)
	if err == nil || !strings.Contains(err.Error(), "https") {
		t.Errorf("plain http accepted: %v", err)
	}
}

func get(t *testing.T, c *http.Client, url, token string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestHubAPI(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		if _, err := th.data.AddSite("quiet"); err != nil {
			t.Fatal(err)
		}
		in := testSite(t, 25, t0)
		c, _ := newTestClient(t, th, th.srv.URL, &in, 0)
		c.Enqueue(context.Background())
		if _, err := c.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		tok, err := th.data.NewToken("grafana")
		if err != nil {
			t.Fatal(err)
		}
		hc := th.srv.Client()
		for _, path := range []string{"/api/sites", "/api/sites.csv", "/metrics", "/api/sites/acme/summaries"} {
			if code, _, h := get(t, hc, th.srv.URL+path, ""); code != 401 || h.Get("WWW-Authenticate") == "" {
				t.Errorf("%s without a token: %d", path, code)
			}
			if code, _, _ := get(t, hc, th.srv.URL+path, tok+"x"); code != 401 {
				t.Errorf("%s with a wrong token: %d", path, code)
			}
		}
		code, body, _ := get(t, hc, th.srv.URL+"/api/sites", tok)
		var sites []map[string]any
		if err := json.Unmarshal([]byte(body), &sites); code != 200 || err != nil || len(sites) != 2 {
			t.Fatalf("/api/sites: %d %v %s", code, err, body)
		}
		acme := sites[0]
		for _, k := range []string{"name", "devices", "health", "last_seen", "summaries"} {
			if _, ok := acme[k]; !ok {
				t.Errorf("/api/sites entry lacks %q", k)
			}
		}
		if acme["name"] != "acme" || acme["devices"] != 25.0 || acme["summaries"] != 1.0 || acme["stale"] != false || sites[1]["stale"] != true {
			t.Errorf("/api/sites: %s", body)
		}
		_, body, _ = get(t, hc, th.srv.URL+"/api/sites/acme/summaries?limit=5", tok)
		if !strings.Contains(body, `"seq":1`) || strings.Contains(body, `"body"`) {
			t.Errorf("summaries: %s", body)
		}
		_, body, _ = get(t, hc, th.srv.URL+"/api/sites.csv", tok)
		if lines := strings.Split(strings.TrimSpace(body), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[1], "acme,71,25,") {
			t.Errorf("sites.csv:\n%s", body)
		}
		in.Snapshot.Devices[0].Hostname = "=HYPERLINK(\"http://evil\")"
		c.Enqueue(context.Background())
		c.Flush(context.Background())
		_, body, _ = get(t, hc, th.srv.URL+"/api/sites/acme/devices.csv", tok)
		if !strings.Contains(body, `'=HYPERLINK`) {
			t.Errorf("devices.csv does not defuse formulas:\n%s", body[:min(len(body), 400)])
		}
		_, body, _ = get(t, hc, th.srv.URL+"/api/sites/acme/summaries.csv", tok)
		if lines := strings.Split(strings.TrimSpace(body), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[1], "acme,2,") {
			t.Errorf("summaries.csv:\n%s", body)
		}
		_, body, _ = get(t, hc, th.srv.URL+"/metrics", tok)
		for _, want := range []string{`tend_site_health{site="acme"} 71`, `tend_site_devices{site="acme"} 25`, `tend_site_stale{site="quiet"} 1`,
			`tend_site_summaries_total{site="acme"} 2`, `tend_hub_summaries_accepted_total 2`} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %q:\n%s", want, body)
			}
		}
		// A site that stops reporting is flagged.
		th.clk.Add(11 * time.Minute)
		_, body, _ = get(t, hc, th.srv.URL+"/metrics", tok)
		if !strings.Contains(body, `tend_site_stale{site="acme"} 1`) {
			t.Errorf("acme silent for 11 minutes is not stale")
		}
	})
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func TestHubUI(t *testing.T) {
	th := newTestHub(t)
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw-for-test"), bcrypt.MinCost)
	if err := th.data.PutUser("ops", string(hash)); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	hc := th.srv.Client()
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	code, _, h := get(t, hc, th.srv.URL+"/sites", "")
	if code != http.StatusSeeOther || h.Get("Location") != "/login" {
		t.Fatalf("/sites without a session: %d %s", code, h.Get("Location"))
	}
	_, page, h := get(t, hc, th.srv.URL+"/login", "")
	if !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("no CSP on the login page: %v", h)
	}
	loginCSRF := csrfField.FindStringSubmatch(page)[1]
	postForm := func(path string, v url.Values) (*http.Response, string) {
		resp, err := hc.PostForm(th.srv.URL+path, v)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, _ := postForm("/login", url.Values{"csrf": {loginCSRF}, "username": {"ops"}, "password": {"wrong"}}); resp.StatusCode != 401 {
		t.Errorf("wrong password: %d", resp.StatusCode)
	}
	if resp, _ := postForm("/login", url.Values{"username": {"ops"}, "password": {"pw-for-test"}}); resp.StatusCode != 403 {
		t.Errorf("login without CSRF token: %d", resp.StatusCode)
	}
	if resp, _ := postForm("/login", url.Values{"csrf": {loginCSRF}, "username": {"ops"}, "password": {"pw-for-test"}}); resp.StatusCode != 303 {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	code, page, _ = get(t, hc, th.srv.URL+"/sites", "")
	if code != 200 || !strings.Contains(page, `href="/sites/acme"`) || !strings.Contains(page, "never reported") {
		t.Fatalf("fleet page: %d\n%s", code, page)
	}
	csrf := csrfField.FindStringSubmatch(page)[1]
	if resp, _ := postForm("/sites", url.Values{"name": {"newsite"}}); resp.StatusCode != 403 {
		t.Errorf("adding a site without the CSRF token: %d", resp.StatusCode)
	}
	resp, page := postForm("/sites", url.Values{"name": {"newsite"}, "csrf": {csrf}})
	key := regexp.MustCompile(`tsk1_[A-Za-z0-9_-]+`).FindString(page)
	if resp.StatusCode != 200 || key == "" {
		t.Fatalf("add site: %d", resp.StatusCode)
	}
	if _, err := th.data.siteKey("newsite"); err != nil {
		t.Errorf("site added in the UI is unknown: %v", err)
	}
	// Push one summary for acme and see its page.
	in := testSite(t, 12, t0)
	c, _ := newTestClient(t, th, th.srv.URL, &in, 0)
	c.Enqueue(context.Background())
	c.Flush(context.Background())
	code, page, _ = get(t, hc, th.srv.URL+"/sites/acme", "")
	if code != 200 || !strings.Contains(page, "Devices (12)") || !strings.Contains(page, "firmware") {
		t.Errorf("site page: %d", code)
	}
	if code, _, _ = get(t, hc, th.srv.URL+"/forecast", ""); code != 200 {
		t.Errorf("forecast page: %d", code)
	}
	if code, _, _ = get(t, hc, th.srv.URL+"/sites/nope", ""); code != 404 {
		t.Errorf("unknown site page: %d", code)
	}
	if resp, _ := postForm("/logout", url.Values{"csrf": {csrf}}); resp.StatusCode != 303 {
		t.Errorf("logout: %d", resp.StatusCode)
	}
	if code, _, _ = get(t, hc, th.srv.URL+"/sites", ""); code != 303 {
		t.Errorf("after logout: %d", code)
	}
}

// TestClientRunAndTrigger: Run sends a summary at once, another when
// triggered (long before the interval), and stops with its context.
func TestClientRunAndTrigger(t *testing.T) {
	th := newTestHub(t)
	in := testSite(t, 5, t0)
	key, _ := upstream.ParseSiteKey(th.key)
	box, err := storage.Open(filepath.Join(t.TempDir(), "box.db"), storage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer box.Close()
	c, err := upstream.NewClient(upstream.ClientConfig{URL: th.srv.URL, Site: "acme", Key: key, Interval: time.Hour, HTTP: th.srv.Client(),
		Inputs: func(context.Context) (upstream.Inputs, error) { return in, nil }}, box)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	// A summary made, signed, sent and stored took over 10 s in a -race
	// run at load ~50; the interval is an hour, so only Run's start and
	// the trigger make one within the minute.
	waitSeq := func(want uint64) {
		t.Helper()
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if s, _ := th.data.Site("acme"); s.Seq == want {
				return
			}
		}
		s, _ := th.data.Site("acme")
		t.Fatalf("hub holds seq %d, want %d", s.Seq, want)
	}
	waitSeq(1)
	c.Trigger()
	waitSeq(2)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// TestHubNewBoxReplacesDevices: a box that starts over (new database, new
// box id) replaces the site's device table once its old id has gone quiet;
// two boxes that both report on one site key keep both their lists.
func TestHubNewBoxReplacesDevices(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		in := testSite(t, 10, t0)
		c, _ := newTestClient(t, th, th.srv.URL, &in, 0)
		c.Enqueue(context.Background())
		if _, err := c.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		th.clk.Add(15 * time.Minute) // the old box id is quiet
		in2 := testSite(t, 4, t0)    // the same first four devices
		c2, _ := newTestClient(t, th, th.srv.URL, &in2, 0)
		c2.Enqueue(context.Background())
		if _, err := c2.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		devs, _ := th.data.SiteDevices("acme")
		if s, _ := th.data.Site("acme"); len(devs) != 4 || s.Devices != 4 || s.Summaries != 2 {
			t.Errorf("after a new box's first summary: %d devices listed, site %+v; want the new box's 4", len(devs), s.Devices)
		}
	})
}

// TestClockSkewHarmless: a box whose clock is days behind (or ahead) is
// accepted and ordered by sequence; the hub shows the skew.
func TestClockSkewHarmless(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		in := testSite(t, 3, t0)
		key, _ := upstream.ParseSiteKey(th.key)
		box, err := storage.Open(":memory:", storage.Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer box.Close()
		boxNow := t0.Add(-72 * time.Hour)
		c, err := upstream.NewClient(upstream.ClientConfig{URL: th.srv.URL, Site: "acme", Key: key, HTTP: th.srv.Client(),
			Now:    func() time.Time { return boxNow },
			Inputs: func(context.Context) (upstream.Inputs, error) { return in, nil }}, box)
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []time.Duration{0, 200 * time.Hour, -500 * time.Hour} { // the box clock jumps about
			boxNow = boxNow.Add(step)
			c.Enqueue(context.Background())
			if _, err := c.Flush(context.Background()); err != nil {
				t.Fatalf("box clock %s: %v", boxNow, err)
			}
		}
		s, _ := th.data.Site("acme")
		if s.Summaries != 3 || s.Seq != 3 || s.SkewSeconds != int64(boxNow.Sub(t0)/time.Second) {
			t.Errorf("site %d summaries, seq %d, skew %d s; want 3, 3, %d", s.Summaries, s.Seq, s.SkewSeconds, int64(boxNow.Sub(t0)/time.Second))
		}
	})
}

// TestTwoBoxesOneSite: two boxes on one site key each keep their devices;
// neither's first summary wipes the other's list.
func TestTwoBoxesOneSite(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		in1 := testSite(t, 10, t0)
		in2 := testSite(t, 20, t0)
		for i := range in2.Snapshot.Devices {
			in2.Snapshot.Devices[i].MAC[0] = 0x06 // another building: other MACs
		}
		for _, in := range []*upstream.Inputs{&in1, &in2} {
			c, _ := newTestClient(t, th, th.srv.URL, in, 0)
			c.Enqueue(context.Background())
			if _, err := c.Flush(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		if devs, _ := th.data.SiteDevices("acme"); len(devs) != 30 {
			t.Errorf("two boxes on one key: %d devices listed, want 10 + 20", len(devs))
		}
	})
}
