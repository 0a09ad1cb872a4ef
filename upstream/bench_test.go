package upstream

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tend/storage"
)

// BenchmarkHubIngest is the hub's throughput target: summaries of a
// 250-device site through the whole HTTP handler (signature check, gzip
// and JSON decode, validation, one buntdb transaction on disk). Run it on
// one core: go test -run X -bench HubIngest -cpu 1 ./upstream
//
//   - full: every device in the summary (a box's first summary, or one
//     after a long outage), the worst case;
//   - steady: the usual summary, with a few devices changed.
func BenchmarkHubIngest(b *testing.B) {
	for _, mode := range []string{"full", "steady"} {
		b.Run(mode, func(b *testing.B) {
			st, err := storage.Open(filepath.Join(b.TempDir(), "hub.db"), storage.Config{Now: func() time.Time { return t0 }})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			data := NewHubStore(st, func() time.Time { return t0 }, 0)
			printable, _ := data.AddSite("acme")
			key, _ := ParseSiteKey(printable)
			hub, err := NewHub(HubConfig{Now: func() time.Time { return t0 }}, st, data)
			if err != nil {
				b.Fatal(err)
			}
			h := hub.Handler()
			in := testSite(b, 250, t0)
			base, dg := buildSummary(stateView{box: "b"}, in, summaryMeta{site: "acme", now: t0, interval: time.Minute})
			if mode == "steady" {
				in.Snapshot.Devices[3].Firmware = "2.0"
				in.Snapshot.Devices[9].IP = in.Snapshot.Devices[10].IP
				base, _ = buildSummary(stateView{box: "b", lastSeq: 1, lastAt: t0, digests: dg}, in, summaryMeta{site: "acme", now: t0.Add(time.Minute), interval: time.Minute})
			}
			type signed struct {
				idem, sig string
				body      []byte
			}
			const batch = 256
			var bodies []signed
			size := 0
			prepare := func(box int) {
				bodies = bodies[:0]
				for seq := 1; seq <= batch; seq++ {
					s := *base
					s.Box, s.Seq, s.FirstSeq = fmt.Sprintf("box%d", box), uint64(seq), uint64(seq)
					body, err := EncodeBody(&s)
					if err != nil {
						b.Fatal(err)
					}
					idem := IdempotencyKey(s.Box, s.Seq)
					bodies = append(bodies, signed{idem, Sign(key, "acme", idem, body), body})
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
				x := bodies[i%batch]
				req := httptest.NewRequest(http.MethodPost, SummaryPath, bytes.NewReader(x.body))
				req.Header.Set("Content-Encoding", "gzip")
				req.Header.Set(HeaderSite, "acme")
				req.Header.Set(HeaderIdempotency, x.idem)
				req.Header.Set(HeaderSignature, x.sig)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("ingest: %d %s", rec.Code, rec.Body)
				}
			}
			b.StopTimer()
			cpu += cpuTime() - cpuStart
			// Wall-clock rate, and the rate per second of CPU the process
			// got: on a shared machine the second is the honest figure.
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "summaries/s")
			b.ReportMetric(float64(b.N)/cpu.Seconds(), "summaries/cpu-s")
			b.ReportMetric(float64(size), "gzip-bytes/summary")
		})
	}
}

// cpuTime is the CPU time (user + system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
