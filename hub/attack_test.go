package hub

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tend/storage"
	"tend/upstream"
)

// Each test here reproduces an attack a review found and checks the hub's
// documented refusal, and that the fleet view stays up.

// gzipJSON gzips raw JSON as a box would.
func gzipJSON(t testing.TB, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	var zw *gzip.Writer
	select {
	case zw = <-gzipWriters:
		zw.Reset(&b)
	default:
		zw, _ = gzip.NewWriterLevel(&b, gzip.BestSpeed)
	}
	if _, err := zw.Write(raw); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	select {
	case gzipWriters <- zw:
	default:
	}
	return b.Bytes()
}

// gzipWriters are gzipJSON's writers, kept between calls: a new one
// allocates and clears most of a megabyte, and the tests post hundreds of
// summaries (under -race that and the default level's deflate were half
// of TestHistory's time). A channel rather than a sync.Pool: under -race a
// Pool drops a quarter of what is put back, on purpose, and each writer
// made again cost TestHistory a third of its time. The hub reads any
// valid gzip.
var gzipWriters = make(chan *gzip.Writer, 4)

// signedPost posts a body signed with acme's key under box/seq.
func signedPost(t *testing.T, th *testHub, box string, seq uint64, body []byte) (int, upstream.Reply) {
	t.Helper()
	key, _ := upstream.ParseSiteKey(th.key)
	idem := upstream.IdempotencyKey(box, seq)
	return post(t, th, "acme", idem, upstream.Sign(key, "acme", idem, body), body)
}

// summaryJSON is a minimal valid summary of acme with extra appended inside
// the object (extra starts with a comma, or is empty).
func summaryJSON(box string, seq uint64, extra string) []byte {
	return []byte(fmt.Sprintf(`{"schema":"1.0","site":"acme","box":%q,"seq":%d,"first_seq":%d,"coalesced":1,`+
		`"generated_at":"2026-11-24T12:00:00Z","interval_seconds":60,"devices":0%s}`, box, seq, seq, extra))
}

// fleetUp checks that every fleet-wide view answers 200.
func fleetUp(t *testing.T, th *testHub) {
	t.Helper()
	tok, err := th.data.NewToken("ops")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/api/sites", "/api/sites.csv", "/metrics", "/api/sites/acme"} {
		if code, body, _ := get(t, th.srv.Client(), th.srv.URL+p, tok); code != http.StatusOK {
			t.Errorf("%s: %d %.200s", p, code, body)
		}
	}
}

// TestAttackDeepJSON: a validly signed summary nested 16 million levels
// deep used to overflow the stack in JSON validation; one 20,000 deep was
// stored and then broke the fleet views. Both are refused (400) before any
// validator runs.
func TestAttackDeepJSON(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		for i, depth := range []int{16_000_000, 20000, upstream.MaxDepth} {
			var body []byte
			if depth < 1<<20 {
				body = deepSummary(t, uint64(i+1), depth, true)
			} else { // 16 MB of '[' (the review's), unclosed to stay under the inflate limit
				body = review16M(t)
			}
			code, r := signedPost(t, th, "b1", uint64(i+1), body)
			if code != http.StatusBadRequest || !strings.Contains(r.Error, "nested deeper") {
				t.Errorf("depth %d: %d %+v, want 400 nested deeper", depth, code, r)
			}
		}
		if s, _ := th.data.Site("acme"); s.Summaries != 0 {
			t.Errorf("a deep summary was stored: %+v", s)
		}
		fleetUp(t, th)
		// Just inside the limit (the object itself is one level) is fine.
		if code, r := signedPost(t, th, "b1", 9, deepSummary(t, 9, upstream.MaxDepth-1, true)); code != http.StatusOK {
			t.Errorf("depth %d: %d %+v, want 200", upstream.MaxDepth, code, r)
		}
	})
}

// review16M is the review's summary, seq 1, 16 million levels deep and
// unclosed, gzipped once for both stores: building and gzipping its 16 MB
// was a third of the test's time under -race.
var review16M = func() func(testing.TB) []byte {
	var once sync.Once
	var body []byte
	return func(t testing.TB) []byte {
		once.Do(func() { body = deepSummary(t, 1, 16_000_000, false) })
		return body
	}
}()

// deepSummary is gzipJSON(summaryJSON("b1", seq, `,"x":`+depth '[' and,
// if closed, as many ']')), written to the gzip stream a piece at a time
// rather than built as one string.
func deepSummary(t testing.TB, seq uint64, depth int, closed bool) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	head := summaryJSON("b1", seq, `,"x":`)
	write := func(p []byte) {
		if _, err := zw.Write(p); err != nil {
			t.Fatal(err)
		}
	}
	repeat := func(c byte) {
		chunk := bytes.Repeat([]byte{c}, min(depth, 1<<16))
		for n := depth; n > 0; n -= len(chunk) {
			write(chunk[:min(n, len(chunk))])
		}
	}
	write(head[:len(head)-1]) // without its closing brace
	repeat('[')
	if closed {
		repeat(']')
	}
	write([]byte("}"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestAttackStateOfWrongType: a summary whose state parts do not decode
// into their types is refused at ingest, not stored to break pages later.
func TestAttackStateOfWrongType(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		for i, extra := range []string{
			`,"health":{"score":50,"components":"none"}`,
			`,"devices_by_type":{"printer":"many"}`,
			`,"forecast":{"due":[{"eol":"next year"}]}`,
			`,"actions":[{"severity":{"a":1}}]`,
		} {
			if code, r := signedPost(t, th, "b1", uint64(i+1), gzipJSON(t, summaryJSON("b1", uint64(i+1), extra))); code != http.StatusBadRequest {
				t.Errorf("%s: %d %+v, want 400", extra, code, r)
			}
		}
		fleetUp(t, th)
	})
}

// TestAttackBrokenRecordFlagged: a site record that does not decode (an
// older hub's, a damaged one, one nested too deep) is listed flagged; the
// other sites and every fleet view stay up.
func TestAttackBrokenRecordFlagged(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		if _, err := th.data.AddSite("dental"); err != nil {
			t.Fatal(err)
		}
		deep := `{"name":"dental","health":` + strings.Repeat(`{"a":`, 20000) + `1` + strings.Repeat("}", 20000) + `}`
		for _, rec := range []string{deep, `{"name":"dental","health":{"score":"high"}}`} {
			if err := th.data.db.update(func(tx kvTx) error { return tx.Set("site:dental", rec) }); err != nil {
				t.Fatal(err)
			}
			sites, err := th.data.Sites()
			if err != nil || len(sites) != 2 || sites[1].Name != "dental" || sites[1].Broken == "" || sites[0].Broken != "" {
				t.Fatalf("sites with a broken record: %+v %v", sites, err)
			}
			fleetUp(t, th)
		}
	})
}

// TestAttackSequenceJump: a key holder claiming a box id with a huge
// sequence number is refused, so the real box's summaries still land.
func TestAttackSequenceJump(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		if code, r := signedPost(t, th, "b1", 1, gzipJSON(t, summaryJSON("b1", 1, ""))); code != http.StatusOK {
			t.Fatalf("first summary: %d %+v", code, r)
		}
		huge := uint64(1) << 62
		if code, r := signedPost(t, th, "b1", huge, gzipJSON(t, summaryJSON("b1", huge, ""))); code != http.StatusBadRequest || r.LastSeq != 1 {
			t.Errorf("jump to %d: %d %+v, want 400 with last_seq 1", huge, code, r)
		}
		if code, r := signedPost(t, th, "b9", huge, gzipJSON(t, summaryJSON("b9", huge, ""))); code != http.StatusBadRequest {
			t.Errorf("a new box starting at %d: %d %+v, want 400", huge, code, r)
		}
		if code, r := signedPost(t, th, "b1", 2, gzipJSON(t, summaryJSON("b1", 2, ""))); code != http.StatusOK {
			t.Errorf("the real box's next summary: %d %+v, want 200", code, r)
		}
	})
}

// TestAttackSiteEnumeration: an unknown site and a bad signature get the
// same status and the same words.
func TestAttackSiteEnumeration(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		body := gzipJSON(t, summaryJSON("b1", 1, ""))
		idem := upstream.IdempotencyKey("b1", 1)
		wrong, _ := upstream.ParseSiteKey(upstream.NewSiteKey())
		c1, r1 := post(t, th, "nobody", idem, upstream.Sign(wrong, "nobody", idem, body), body)
		c2, r2 := post(t, th, "acme", idem, upstream.Sign(wrong, "acme", idem, body), body)
		c3, r3 := post(t, th, "no such/site", idem, "hmac-sha256=00", body)
		if c1 != c2 || c2 != c3 || r1.Error != r2.Error || r2.Error != r3.Error || r1.Status != r2.Status {
			t.Errorf("unknown site %d %+v, bad signature %d %+v, invalid name %d %+v: want one answer", c1, r1, c2, r2, c3, r3)
		}
	})
}

// stalledPost starts a post whose body never finishes: it sends the
// headers and a little of the body, then waits. It returns the status the
// hub answered with, or 0 if it did not answer within wait.
func stalledPost(t *testing.T, c *http.Client, url, site string, wait time.Duration) (int, func()) {
	t.Helper()
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, url+upstream.SummaryPath, pr)
	req.ContentLength = upstream.MaxBodyBytes
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set(upstream.HeaderSite, site)
	req.Header.Set(upstream.HeaderIdempotency, "b1:1")
	req.Header.Set(upstream.HeaderSignature, "hmac-sha256=00")
	got := make(chan int, 1)
	go func() {
		resp, err := c.Do(req)
		if err != nil {
			got <- -1
			return
		}
		resp.Body.Close()
		got <- resp.StatusCode
	}()
	go pw.Write(make([]byte, 1024))
	stop := func() { pw.CloseWithError(io.ErrUnexpectedEOF) }
	select {
	case code := <-got:
		return code, stop
	case <-time.After(wait):
		return 0, stop
	}
}

// waitPosting waits up to a minute until h is reading n summaries at once
// (from any addresses).
func waitPosting(t *testing.T, h *Hub, n int) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		h.mu.Lock()
		got := 0
		for _, k := range h.posting {
			got += k
		}
		h.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the hub holds %d stalled posts after a minute, want %d", got, n)
		}
	}
}

// TestAttackStalledPosts: stalled 2 MiB posts used to be read whole
// (unbounded in number) before the site was checked. Now a post for an
// unknown site is answered before its body is read, one address holds at
// most MaxIngestPerAddress posts (429 past it) and the hub at most
// MaxIngest (503 past it), so memory stays bounded.
func TestAttackStalledPosts(t *testing.T) {
	th := newTestHub(t)
	c := th.srv.Client()
	c.Transport.(*http.Transport).MaxConnsPerHost = 0
	// Unknown site: answered at once, body unread.
	for range 20 {
		code, stop := stalledPost(t, c, th.srv.URL, "nobody", 5*time.Second)
		stop()
		if code != http.StatusUnauthorized {
			t.Fatalf("stalled post for an unknown site: %d, want 401 before the body", code)
		}
	}
	// Per address: the default cap, then 429.
	var stops []func()
	defer func() {
		for _, s := range stops {
			s()
		}
	}()
	for i := range DefaultMaxIngestPerAddress {
		code, stop := stalledPost(t, c, th.srv.URL, "acme", 300*time.Millisecond)
		stops = append(stops, stop)
		if code != 0 {
			t.Fatalf("stalled post %d of a known site answered %d; want it to wait for its body", i, code)
		}
	}
	// A post unanswered after 300 ms may not have reached the handler yet
	// (TLS and the handler's start under load): wait until the hub holds
	// them all, or the next one is admitted in a missing one's place.
	waitPosting(t, th.hub, DefaultMaxIngestPerAddress)
	code, stop := stalledPost(t, c, th.srv.URL, "acme", 5*time.Second)
	stops = append(stops, stop)
	if code != http.StatusTooManyRequests {
		t.Errorf("post past the per-address cap: %d, want 429", code)
	}
	fleetUp(t, th)
}

// TestAttackGlobalIngestLimit: past MaxIngest posts at once (from any
// addresses) the hub answers 503 without reading the body.
func TestAttackGlobalIngestLimit(t *testing.T) {
	st, err := storage.Open(filepath.Join(t.TempDir(), "hub.db"), storage.Config{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	data := NewHubStore(st, func() time.Time { return t0 }, 0)
	if _, err := data.AddSite("acme"); err != nil {
		t.Fatal(err)
	}
	hub, err := NewHub(HubConfig{Now: func() time.Time { return t0 }, MaxIngest: 3, MaxIngestPerAddress: 100}, st, data)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(hub.Handler())
	t.Cleanup(srv.Close)
	var stops []func()
	defer func() {
		for _, s := range stops {
			s()
		}
	}()
	for i := range 3 {
		code, stop := stalledPost(t, srv.Client(), srv.URL, "acme", 300*time.Millisecond)
		stops = append(stops, stop)
		if code != 0 {
			t.Fatalf("stalled post %d answered %d, want it to wait", i, code)
		}
	}
	waitPosting(t, hub, 3)
	code, stop := stalledPost(t, srv.Client(), srv.URL, "acme", 5*time.Second)
	stops = append(stops, stop)
	if code != http.StatusServiceUnavailable {
		t.Errorf("post past the global limit: %d, want 503", code)
	}
}

// TestDisplayNames: "Acme Dental" and names in any script are display
// names; the slug the box uses is derived, valid, and shown.
func TestDisplayNames(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		for display, want := range map[string]string{
			"Acme Dental":            "acme-dental",
			"Zahnarztpraxis Müller":  "zahnarztpraxis-mueller",
			"東京オフィス":                 "",
			"  padded  ":             "!",
			"Bad\x00Name":            "!",
			"acme.backup-2":          "acme.backup-2",
			strings.Repeat("x", 101): "!",
		} {
			slug, _, err := th.data.AddNamedSite(display, "")
			if want == "!" {
				if err == nil {
					t.Errorf("%q accepted as a display name (slug %q)", display, slug)
				}
				continue
			}
			if err != nil || (want != "" && slug != want) || upstream.ValidateSiteName(slug) != nil {
				t.Errorf("%q: slug %q, %v; want %q", display, slug, err, want)
				continue
			}
			s, err := th.data.Site(slug)
			if err != nil || s.Label() != display {
				t.Errorf("%q: site %+v %v", display, s, err)
			}
		}
	})
}

// FuzzSlug: whatever a display name holds, its slug is a valid site name.
func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Acme Dental", "東京オフィス", "--", "Zahnarztpraxis Müller", strings.Repeat("ab ", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, display string) {
		if s := Slug(display); upstream.ValidateSiteName(s) != nil {
			t.Fatalf("Slug(%q) = %q, not a valid site name", display, s)
		}
	})
}
