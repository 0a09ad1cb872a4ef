package hub

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/crypto/bcrypt"

	"tend/internal/pgtest"
	"tend/storage"
	"tend/upstream"
)

// BenchmarkHubScale is issue 16's scale target: a fleet of simulated
// sites of 250 devices each (every site gets a full first summary through
// HubStore.Ingest, in parallel), then b.N usual summaries (a few devices
// changed) for random sites through the whole HTTP handler, then 40 loads
// of the fleet page by a signed-in user. Reported: fill rate, ingest per
// CPU-second, fleet page median and p95, the process's RSS (the hub's
// side; PostgreSQL's own processes are not counted).
//
// Sites: TEND_BENCH_SITES (default 10,000 on PostgreSQL, 500 embedded);
// make bench-hub runs it. Site keys are sealed, as in a running hub.
// TEND_BENCH_PGDIR keeps the PostgreSQL cluster (and the fleet's keys and
// sequence numbers) in that directory: a later run with the same number
// of sites skips the fill (make bench-hub PGDIR=…). Nothing removes it,
// not even tend lab reap after a killed run (which only shuts it down).
func BenchmarkHubScale(b *testing.B) {
	for _, kind := range []string{"postgres", "embedded"} {
		b.Run(kind, func(b *testing.B) {
			sites := 500
			if kind == "postgres" {
				sites = 10000
			}
			if v, err := strconv.Atoi(os.Getenv("TEND_BENCH_SITES")); err == nil && v > 0 {
				sites = v
			}
			benchScale(b, kind, sites)
		})
	}
}

type scaleSite struct {
	Slug string `json:"slug"`
	Key  []byte `json:"key"`
	Seq  uint64 `json:"seq"`
}

// keptFleet opens the kept cluster in dir (TEND_BENCH_PGDIR) and the fleet
// an earlier run filled there (nil: none of n sites yet); save writes the
// fleet back (keys and sequence numbers, 0600).
func keptFleet(b *testing.B, dir string, n int, now func() time.Time) (data *HubStore, fleet []scaleSite, save func([]scaleSite)) {
	// PostgreSQL runs as nobody when the test is root: it must pass through dir.
	if err := errors.Join(os.MkdirAll(dir, 0o711), os.Chmod(dir, 0o711)); err != nil {
		b.Fatal(err)
	}
	c, skip, err := pgtest.LaunchIn(filepath.Join(dir, "pg"))
	if skip != "" {
		b.Skip(skip)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.Stop)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgconn.Connect(ctx, c.URL)
	if err != nil {
		b.Fatal(err)
	}
	name := fmt.Sprintf("bench%d", n)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name).ReadAll(); err != nil && !strings.Contains(err.Error(), "already exists") {
		b.Fatal(err)
	}
	conn.Close(ctx)
	data = openPostgresStore(b, strings.Replace(c.URL, "/postgres?", "/"+name+"?", 1), now)
	file := filepath.Join(dir, name+".json")
	if raw, err := os.ReadFile(file); err == nil && json.Unmarshal(raw, &fleet) == nil && len(fleet) == n {
		fmt.Fprintf(os.Stderr, "postgres: %d sites kept in %s\n", n, dir)
	} else {
		fleet = nil
	}
	return data, fleet, func(f []scaleSite) {
		raw, _ := json.Marshal(f)
		if err := os.WriteFile(file, raw, 0o600); err != nil {
			b.Fatal(err)
		}
	}
}

func benchScale(b *testing.B, kind string, n int) {
	// The framework runs a benchmark once with N=1 before the N it was
	// asked for (-benchtime 1000x): that run would fill the whole fleet
	// once more for nothing (15 minutes for 10,000 sites on PostgreSQL).
	if bt := flag.Lookup("test.benchtime"); b.N == 1 && bt != nil && strings.HasSuffix(bt.Value.String(), "x") && bt.Value.String() != "1x" {
		return
	}
	st, err := storage.Open(filepath.Join(b.TempDir(), "hub.db"), storage.Config{Now: func() time.Time { return t0 }})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	now := func() time.Time { return t0 }
	data := NewHubStore(st, now, 0)
	var fleet []scaleSite
	save := func([]scaleSite) {}
	keys := b.TempDir()
	if kind == "postgres" {
		if dir := os.Getenv("TEND_BENCH_PGDIR"); dir != "" {
			data, fleet, save = keptFleet(b, dir, n, now)
			keys = filepath.Join(dir, "keys")
		} else {
			data = openPostgresStore(b, startPostgres(b), now)
		}
	}
	if err := data.SealKeys(keys); err != nil {
		b.Fatal(err)
	}
	hub, err := NewHub(HubConfig{Now: now}, st, data)
	if err != nil {
		b.Fatal(err)
	}
	h := hub.Handler()

	in := testSite(b, 250, t0)
	full := boxSummary(b, "acme", t0, in)
	next := testSite(b, 250, t0)
	next.Snapshot.Devices[3].Firmware = "2.0"
	next.Snapshot.Devices[9].IP = next.Snapshot.Devices[10].IP
	steady := boxSummary(b, "acme", t0, in, next)

	var fill time.Duration
	if fleet == nil {
		fleet, fill = fillFleet(b, data, n, full)
		fmt.Fprintf(os.Stderr, "%s: filled %d sites in %v (%.1f/s)\n", kind, n, fill.Round(time.Second), float64(n)/fill.Seconds())
	}
	save(fleet)
	defer func() { save(fleet) }()

	// Ingest: usual summaries for random sites, through the handler.
	rng := rand.New(rand.NewPCG(1, 2))
	prepare := func(k int) []signedBody {
		out := make([]signedBody, k)
		for j := range out {
			fs := &fleet[rng.IntN(len(fleet))]
			fs.Seq++
			s := *steady
			s.Site, s.Box, s.Seq, s.FirstSeq = fs.Slug, "box", fs.Seq, fs.Seq
			body, err := upstream.EncodeBody(&s)
			if err != nil {
				b.Fatal(err)
			}
			idem := upstream.IdempotencyKey(s.Box, s.Seq)
			out[j] = signedBody{s.Site, idem, upstream.Sign(fs.Key, s.Site, idem, body), body}
		}
		return out
	}
	const batch = 256
	var bodies []signedBody
	cpu := time.Duration(0)
	b.ReportAllocs()
	b.ResetTimer()
	cpuStart := cpuTime()
	for i := 0; i < b.N; i++ {
		if i%batch == 0 {
			b.StopTimer()
			cpu += cpuTime() - cpuStart
			bodies = prepare(batch)
			cpuStart = cpuTime()
			b.StartTimer()
		}
		postSigned(b, h, bodies[i%batch])
	}
	b.StopTimer()
	cpu += cpuTime() - cpuStart
	ingestRate := float64(b.N) / cpu.Seconds()
	fmt.Fprintf(os.Stderr, "%s: %d usual summaries, %.0f per CPU-second, %.1f/s wall\n", kind, b.N, ingestRate, float64(b.N)/b.Elapsed().Seconds())

	// The fleet page, as a signed-in user sees it.
	median, p95, cpuPerLoad, others := fleetPageTimes(b, data, h, 40, n)
	fmt.Fprintf(os.Stderr, "%s: fleet page median %v, p95 %v, %v CPU per load\n", kind, median, p95, cpuPerLoad)
	for _, o := range others {
		fmt.Fprintf(os.Stderr, "%s: %s median %v\n", kind, o.path, o.median)
		b.ReportMetric(float64(o.median.Microseconds())/1000, o.metric)
	}
	rss, hwm := memStatus()
	if file := os.Getenv("TEND_BENCH_HEAPPROFILE"); file != "" {
		writeHeapProfile(b, file+"."+kind)
	}
	if fill > 0 {
		b.ReportMetric(float64(n)/fill.Seconds(), "fill-sites/s")
	}
	b.ReportMetric(ingestRate, "summaries/cpu-s")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "summaries/s")
	b.ReportMetric(float64(median.Microseconds())/1000, "fleet-median-ms")
	b.ReportMetric(float64(p95.Microseconds())/1000, "fleet-p95-ms")
	b.ReportMetric(float64(cpuPerLoad.Microseconds())/1000, "fleet-cpu-ms")
	b.ReportMetric(float64(rss)/(1<<20), "rss-MiB")
	b.ReportMetric(float64(hwm)/(1<<20), "peak-rss-MiB")
}

// fillFleet adds n sites and ingests each one's first, full summary, in
// parallel (progress on stderr: a long run that is stopped still says how
// far it got).
func fillFleet(b *testing.B, data *HubStore, n int, full *upstream.Summary) ([]scaleSite, time.Duration) {
	fleet := make([]scaleSite, n)
	for i := range fleet {

		slug, printable, err := data.AddNamedSite(fmt.Sprintf("Site %05d", i), fmt.Sprintf("s%05d", i))
		if err != nil {
			b.Fatal(err)
		}
		key, _ := upstream.ParseSiteKey(printable)
		fleet[i] = scaleSite{Slug: slug, Key: key, Seq: 1}
	}
	fillStart := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) * 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				s := *full
				s.Site, s.Box, s.Seq, s.FirstSeq = fleet[i].Slug, "box", 1, 1
				body, err := upstream.EncodeBody(&s)
				if err == nil {
					idem := upstream.IdempotencyKey(s.Box, s.Seq)
					_, err = data.Ingest(s.Site, idem, upstream.Sign(fleet[i].Key, s.Site, idem, body), body)
				}
				if err != nil {
					select {
					case errs <- fmt.Errorf("fill %s: %w", s.Site, err):
					default:
					}
				}
			}
		}()
	}
	for i := range fleet {
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	return fleet, time.Since(fillStart)

}

// pageTime is the median wall-clock time of one more page (fleetPageTimes).
type pageTime struct {
	path, metric string
	median       time.Duration
}

// fleetPageTimes signs in and loads /sites k times: median and p95 of
// the wall-clock time, and the process's CPU time per load (the hub's and
// the test client's, TLS included; on a loaded machine the wall clock
// mostly measures waiting for a core); then the median of k loads of a
// search for one site and of the forecast page.
func fleetPageTimes(b *testing.B, data *HubStore, h http.Handler, k, sites int) (median, p95, cpu time.Duration, others []pageTime) {
	b.Helper()
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw-for-bench"), bcrypt.MinCost)
	if err := data.PutUser("ops", string(hash)); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewTLSServer(h)
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	hc := srv.Client()
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	load := func(path string) string {
		resp, err := hc.Get(srv.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			b.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(body)
	}
	m := csrfField.FindStringSubmatch(load("/login"))
	if m == nil {
		b.Fatal("no CSRF token on the login page")
	}
	resp, err := hc.PostForm(srv.URL+"/login", url.Values{"csrf": {m[1]}, "username": {"ops"}, "password": {"pw-for-bench"}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("login: %d", resp.StatusCode)
	}
	times := make([]time.Duration, k)
	// The first load stores the finished days' fleet averages and folds
	// the pending totals of every site the ingest above changed.
	first := time.Now()
	load("/sites")
	fmt.Fprintf(os.Stderr, "first fleet page after the ingest (folds its pending totals): %v\n", time.Since(first))
	cpuStart := cpuTime()
	for i := range times {
		start := time.Now()
		page := load("/sites")
		times[i] = time.Since(start)
		if i == 0 && (!strings.Contains(page, "Site 0") || !strings.Contains(page, fmt.Sprintf(">%d sites", sites))) {
			b.Fatalf("the fleet page does not list the sites or does not count %d", sites)
		}
	}
	cpu = (cpuTime() - cpuStart) / time.Duration(k)
	slices.Sort(times)
	median, p95 = times[k/2], times[(k*95+99)/100-1]
	others = []pageTime{{path: "/sites?q=Site+00042", metric: "search-median-ms"}, {path: "/forecast", metric: "forecast-median-ms"}}
	for i, o := range others {
		load(o.path) // a store from before the search's and forecast's records builds them
		for j := range times {
			start := time.Now()
			page := load(o.path)
			times[j] = time.Since(start)
			if j == 0 && o.metric == "search-median-ms" && !strings.Contains(page, "Site 00042") {
				b.Fatalf("the search does not find Site 00042")
			}
		}
		slices.Sort(times)
		others[i].median = times[k/2]
	}
	return median, p95, cpu, others
}

// writeHeapProfile writes the live heap (after a collection) to file: what
// the store holds once the fleet is in it (TEND_BENCH_HEAPPROFILE=file;
// go tool pprof -sample_index=inuse_space reads it).
func writeHeapProfile(b *testing.B, file string) {
	runtime.GC()
	f, err := os.OpenFile(file, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(os.Stderr, "heap profile in %s: live heap %.1f MiB, heap held by the runtime %.1f MiB, released %.1f MiB\n",
		file, float64(ms.HeapAlloc)/(1<<20), float64(ms.HeapSys-ms.HeapReleased)/(1<<20), float64(ms.HeapReleased)/(1<<20))
}

// memStatus is the process's resident set and its peak, in bytes.
func memStatus() (rss, hwm int64) {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = v << 10
		case "VmHWM:":
			hwm = v << 10
		}
	}
	return rss, hwm
}

// TestSiteHeads: the list records (the fleet page's read) have every site
// with the same figures as the full records and its actions counted; a
// broken record is still listed, flagged; a store from before list records
// gets them on the first read; deleting a site deletes its record; a
// finished day's fleet average is stored once and the sites' figures of
// that day dropped. On both stores.
func TestSiteHeads(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		s := boxSummary(t, "acme", t0, testSite(t, 40, t0))
		body, err := upstream.EncodeBody(s)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := upstream.ParseSiteKey(th.key)
		idem := upstream.IdempotencyKey(s.Box, s.Seq)
		if _, err := th.data.Ingest("acme", idem, upstream.Sign(raw, "acme", idem, body), body); err != nil {
			t.Fatal(err)
		}
		if _, err := th.data.AddSite("dental"); err != nil {
			t.Fatal(err)
		}
		th.data.SiteHeads() // a new store's first read notes that every site has its list record
		th.data.db.update(func(tx kvTx) error { return tx.Set("list:dental", `{"name":"dental","health":}`) })
		check := func(when string) {
			t.Helper()
			full, _ := th.data.Sites()
			heads, err := th.data.SiteHeads()
			if err != nil || len(heads) != len(full) || len(full) != 2 {
				t.Fatalf("%s: heads %d, full %d: %v", when, len(heads), len(full), err)
			}
			for i, hd := range heads {
				f := full[i]
				if f.Name == "acme" && (len(f.Actions) == 0 || len(f.Problems) == 0 || hd.Broken != "") {
					t.Fatalf("%s: the test site has no actions or problems, or is flagged: %+v", when, hd)
				}
				if hd.Name != f.Name || hd.Actions != nil || hd.Problems != nil || hd.OpenActions != len(f.Actions) || f.OpenActions != len(f.Actions) ||
					hd.Devices != f.Devices || hd.Health.Score != f.Health.Score || hd.Critical != f.Critical || !hd.LastSeen.Equal(f.LastSeen) ||
					hd.Forecast.EOL != f.Forecast.EOL || hd.Label() != f.Label() || (f.Name == "dental" && hd.Broken == "") {
					t.Errorf("%s: head %+v\nfull %+v", when, hd, f)
				}
			}
		}
		check("after ingest")
		// A store from before list records.
		th.data.db.update(func(tx kvTx) error {
			for _, k := range []string{"list:acme", "list:dental", "meta:list", fdayPrefix(t0.Format(time.DateOnly)) + "acme"} {
				tx.Delete(k)
			}
			return nil
		})
		th.data.db.update(func(tx kvTx) error { return tx.Set("site:dental", `{"name":"dental","health":}`) }) // broken
		check("after the migration")
		// The fleet trend: today live, a finished day stored once.
		th.clk.Add(48 * time.Hour)
		now := th.clk.Now()
		heads, _ := th.data.SiteHeads()
		pts, err := th.data.FleetHistory(heads, now.Add(-5*24*time.Hour), now)
		if err != nil || len(pts) != 1 || pts[0].Devices != 40 || pts[0].Health != s.Health.Score {
			t.Fatalf("fleet history: %+v %v", pts, err)
		}
		var left int
		th.data.db.view(func(tx kvTx) error {
			return tx.Ascend("fday:", func(string, string) bool { left++; return true })
		})
		again, err := th.data.FleetHistory(heads, now.Add(-5*24*time.Hour), now)
		if left != 0 || err != nil || len(again) != 1 || !again[0].Time.Equal(pts[0].Time) || again[0].Health != pts[0].Health || again[0].Devices != 40 {
			t.Errorf("after the day was stored: %d day figures left, %+v %v", left, again, err)
		}
		if err := th.data.DeleteSite("acme"); err != nil {
			t.Fatal(err)
		}
		if heads, _ := th.data.SiteHeads(); len(heads) != 1 || heads[0].Name != "dental" {
			t.Errorf("after deleting acme: %+v", heads)
		}
	})
}
