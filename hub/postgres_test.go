package hub

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"tend/internal/pgtest"
	"tend/internal/testwatch"
	"tend/upstream"
)

// The package's tests share one private PostgreSQL cluster (initdb takes
// seconds); each test gets its own database in it. TestMain stops and
// removes the cluster after the last test, or testwatch does shortly
// before go test's -timeout (pgtest registers it).
var pgShared struct {
	once      sync.Once
	url, skip string
	err       error
	stop      func()
	n         atomic.Int64
}

func TestMain(m *testing.M) {
	code := testwatch.Main(m)
	if pgShared.stop != nil {
		pgShared.stop()
	}
	os.Exit(code)
}

// startPostgres returns the URL of a fresh database in the package's
// private cluster, started on first use from Debian's postgresql package:
// initdb and pg_ctl as an unprivileged user (nobody, when the test runs as
// root), on a free loopback port with its socket in the cluster's own
// directory. It skips the test when the binaries are absent.
func startPostgres(t testing.TB) string {
	t.Helper()
	pgShared.once.Do(func() { pgShared.url, pgShared.stop, pgShared.skip, pgShared.err = launchPostgres() })
	if pgShared.skip != "" {
		t.Skip(pgShared.skip)
	}
	if pgShared.err != nil {
		t.Fatal(pgShared.err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgconn.Connect(ctx, pgShared.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("t%d", pgShared.n.Add(1))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name).ReadAll(); err != nil {
		t.Fatal(err)
	}
	return strings.Replace(pgShared.url, "/postgres?", "/"+name+"?", 1)
}

func launchPostgres() (url string, stop func(), skip string, err error) {
	c, skip, err := pgtest.Launch()
	if c == nil {
		return "", nil, skip, err
	}
	return c.URL, c.Stop, "", nil
}

// openPostgresStore is a HubStore on a fresh private cluster.
func openPostgresStore(t testing.TB, url string, now func() time.Time) *HubStore {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	hs, closeDB, err := OpenPostgres(ctx, url, now, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeDB)
	return hs
}

// TestTwoHubsOneDatabase: two hubs (two servers, two connection pools) on
// one PostgreSQL serve the same fleet: a summary ingested through one is
// on the other's pages at once, and a site added through the other takes
// summaries through the first. Opening again applies no migration twice.
func TestTwoHubsOneDatabase(t *testing.T) {
	url := startPostgres(t)
	a := newTestHubOn(t, "embedded")
	b := newTestHubOn(t, "embedded")
	a.data = openPostgresStore(t, url, a.clk.Now)
	b.data = openPostgresStore(t, url, b.clk.Now)
	for _, th := range []*testHub{a, b} {
		hub, err := NewHub(HubConfig{Now: th.clk.Now}, th.st, th.data)
		if err != nil {
			t.Fatal(err)
		}
		th.hub = hub
		th.srv = httptest.NewTLSServer(hub.Handler())
		t.Cleanup(th.srv.Close)
	}
	slug, printable, err := b.data.AddNamedSite("Acme Dental", "")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := upstream.ParseSiteKey(printable)
	body := gzipJSON(t, []byte(strings.ReplaceAll(string(summaryJSON("b1", 1, "")), `"acme"`, `"`+slug+`"`)))
	idem := upstream.IdempotencyKey("b1", 1)
	if code, r := post(t, a, slug, idem, upstream.Sign(key, slug, idem, body), body); code != 200 {
		t.Fatalf("ingest through hub a: %d %+v", code, r)
	}
	if code, r := post(t, b, slug, idem, upstream.Sign(key, slug, idem, body), body); code != 200 || r.Status != "duplicate" {
		t.Errorf("the same summary through hub b: %d %+v, want a duplicate", code, r)
	}
	for name, th := range map[string]*testHub{"a": a, "b": b} {
		s, err := th.data.Site(slug)
		if err != nil || s.Summaries != 1 || s.Label() != "Acme Dental" {
			t.Errorf("hub %s sees %+v %v", name, s, err)
		}
	}
	ctx := context.Background()
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	res := conn.ExecParams(ctx, `SELECT count(*)::text || ' ' || max(version)::text FROM hub_schema`, nil, nil, nil, nil).Read()
	want := fmt.Sprintf("%d %d", len(migrations), len(migrations))
	if res.Err != nil || len(res.Rows) != 1 || string(res.Rows[0][0]) != want {
		t.Errorf("schema: count and version %q, %v; want %q", res.Rows, res.Err, want)
	}
}

// TestPostgresFirstSummariesDoNotConflict reproduces what stopped the
// 10,000-site fill: boxes of many new sites sending their first summaries
// at once. Ingests of different sites share no record, so none may lose a
// serialization race to another (a race means a retry, and enough of them
// gave up: sites 627, 1,700 and 8,066 of three fills).
func TestPostgresFirstSummariesDoNotConflict(t *testing.T) {
	if testing.Short() {
		t.Skip("fills 64 sites on PostgreSQL")
	}
	hs := openPostgresStore(t, startPostgres(t), func() time.Time { return t0 })
	full := boxSummary(t, "acme", t0, testSite(t, 40, t0))
	type site struct {
		slug string
		key  []byte
	}
	var sites []site
	for i := range 64 {
		slug, printable, err := hs.AddNamedSite(fmt.Sprintf("Site %05d", i), fmt.Sprintf("s%05d", i))
		if err != nil {
			t.Fatal(err)
		}
		key, _ := upstream.ParseSiteKey(printable)
		sites = append(sites, site{slug, key})
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(sites))
	work := make(chan site)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for st := range work {
				s := *full
				s.Site, s.Box, s.Seq, s.FirstSeq = st.slug, "box", 1, 1
				body, err := upstream.EncodeBody(&s)
				if err == nil {
					idem := upstream.IdempotencyKey(s.Box, s.Seq)
					_, err = hs.Ingest(s.Site, idem, upstream.Sign(st.key, s.Site, idem, body), body)
				}
				if err != nil {
					errs <- fmt.Errorf("%s: %w", s.Site, err)
				}
			}
		}()
	}
	for _, s := range sites {
		work <- s
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := hs.db.(*pgKV).conflicts.Load(); n > 0 {
		t.Errorf("%d serialization conflicts between ingests of different sites, want none", n)
	}
	heads, err := hs.SiteHeads()
	if err != nil || len(heads) != len(sites) {
		t.Fatalf("%d sites listed, %v", len(heads), err)
	}
	for _, h := range heads {
		if h.Summaries != 1 || h.Devices != 40 {
			t.Errorf("%s: %d summaries, %d devices; want 1 and 40", h.Name, h.Summaries, h.Devices)
		}
	}
}

// TestPostgresOneSiteIngestsSerialize: ingests of one site at once, from
// four boxes through two hubs' connection pools, lose no update of the
// site's counters (they collide on its count: record and run again).
func TestPostgresOneSiteIngestsSerialize(t *testing.T) {
	url := startPostgres(t)
	now := func() time.Time { return t0 }
	a, b := openPostgresStore(t, url, now), openPostgresStore(t, url, now)
	printable, err := a.AddSite("acme")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := upstream.ParseSiteKey(printable)
	var wg sync.WaitGroup
	for i, box := range []string{"b1", "b2", "b3", "b4"} {
		hs := []*HubStore{a, b}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := uint64(1); seq <= 10; seq++ {
				body := gzipJSON(t, summaryJSON(box, seq, ""))
				idem := upstream.IdempotencyKey(box, seq)
				if _, err := hs.Ingest("acme", idem, upstream.Sign(key, "acme", idem, body), body); err != nil {
					t.Errorf("%s#%d: %v", box, seq, err)
				}
			}
		}()
	}
	wg.Wait()
	s, err := b.Site("acme")
	if err != nil || s.Summaries != 40 {
		t.Errorf("acme: %d summaries, %v; want 40", s.Summaries, err)
	}
	if got, _ := a.Summaries("acme", 0, false); len(got) != 40 {
		t.Errorf("%d summary records, want 40", len(got))
	}
}
