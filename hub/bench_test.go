package hub

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tend/storage"
	"tend/upstream"
)

// BenchmarkHubIngest is the hub's throughput target: summaries of a
// 250-device site through the whole HTTP handler (signature check, gzip
// and JSON decode, validation, one transaction), on each store: embedded
// (buntdb on disk) and PostgreSQL. Run it on one core:
// go test -run X -bench HubIngest -cpu 1 ./hub
//
//   - full: every device in the summary (a box's first summary, or one
//     after a long outage), the worst case;
//   - steady: the usual summary, with a few devices changed.
func BenchmarkHubIngest(b *testing.B) {
	for _, kind := range []string{"embedded", "postgres"} {
		for _, mode := range []string{"full", "steady"} {
			b.Run(kind+"/"+mode, func(b *testing.B) { benchIngest(b, kind, mode) })
		}
	}
}

// benchIngest is one of BenchmarkHubIngest's runs: summaries of mode
// through a hub whose site data is in the store of kind (PostgreSQL: a
// new database in the test binary's private cluster; its own CPU is not
// counted, the hub's is).
func benchIngest(b *testing.B, kind, mode string) {
	st, err := storage.Open(filepath.Join(b.TempDir(), "hub.db"), storage.Config{Now: func() time.Time { return t0 }})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	data := NewHubStore(st, func() time.Time { return t0 }, 0)
	if kind == "postgres" {
		data = openPostgresStore(b, startPostgres(b), func() time.Time { return t0 })
	}
	printable, _ := data.AddSite("acme")
	key, _ := upstream.ParseSiteKey(printable)
	hub, err := NewHub(HubConfig{Now: func() time.Time { return t0 }}, st, data)
	if err != nil {
		b.Fatal(err)
	}
	h := hub.Handler()
	in := testSite(b, 250, t0)
	base := boxSummary(b, "acme", t0, in)
	if mode == "steady" {
		next := testSite(b, 250, t0)
		next.Snapshot.Devices[3].Firmware = "2.0"
		next.Snapshot.Devices[9].IP = next.Snapshot.Devices[10].IP
		base = boxSummary(b, "acme", t0, in, next)
	}
	const batch = 256
	var bodies []signedBody
	size := 0
	// One gzip writer for every body: upstream.EncodeBody's bytes without
	// its ~1 MB compressor per body, whose garbage the runtime collected
	// and returned to the system inside the timed loop (about a tenth of
	// the CPU counted, in a profile of postgres/steady).
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	prepare := func(box int) {
		bodies = bodies[:0]
		for seq := 1; seq <= batch; seq++ {
			s := *base
			s.Box, s.Seq, s.FirstSeq = fmt.Sprintf("box%d", box), uint64(seq), uint64(seq)
			var buf bytes.Buffer
			zw.Reset(&buf)
			if err := errors.Join(json.NewEncoder(zw).Encode(&s), zw.Close()); err != nil {
				b.Fatal(err)
			}
			body := buf.Bytes()
			if seq == 1 && box == 0 {
				if want, err := upstream.EncodeBody(&s); err != nil || !bytes.Equal(body, want) {
					b.Fatalf("the benchmark's bodies are not EncodeBody's (%v)", err)
				}
			}
			idem := upstream.IdempotencyKey(s.Box, s.Seq)
			bodies = append(bodies, signedBody{"acme", idem, upstream.Sign(key, "acme", idem, body), body})
			size = len(body)
		}
	}
	b.ReportAllocs()
	cpu := time.Duration(0)
	b.ResetTimer()
	cpuStart := cpuTime()
	for i := 0; i < b.N; i++ {
		if i%batch == 0 {
			b.StopTimer()
			cpu += cpuTime() - cpuStart
			prepare(i / batch)
			cpuStart = cpuTime()
			b.StartTimer()
		}
		postSigned(b, h, bodies[i%batch])
	}
	b.StopTimer()
	cpu += cpuTime() - cpuStart
	// Wall-clock rate, and the rate per second of CPU the process
	// got: on a shared machine the second is the honest figure.
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "summaries/s")
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "summaries/cpu-s")
	b.ReportMetric(float64(size), "gzip-bytes/summary")
}

// signedBody is a summary ready to post: site, idempotency key,
// signature, gzipped body.
type signedBody struct {
	site, idem, sig string
	body            []byte
}

// postSigned posts x through the hub's handler h and fails b unless it is
// accepted.
func postSigned(b *testing.B, h http.Handler, x signedBody) {
	req := httptest.NewRequest(http.MethodPost, upstream.SummaryPath, bytes.NewReader(x.body))
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set(upstream.HeaderSite, x.site)
	req.Header.Set(upstream.HeaderIdempotency, x.idem)
	req.Header.Set(upstream.HeaderSignature, x.sig)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("ingest: %d %s", rec.Code, rec.Body)
	}
}

// cpuTime is the CPU time (user + system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
