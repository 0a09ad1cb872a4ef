package lifecycle

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkOpenVulnCatalog reports what opening the embedded catalog (as
// OpenVulnCatalog does) allocates (B/op) and, as heap-B, the heap it keeps
// in use once open; heap-judged-B is that after judging one version of
// every product family the office lab has (each family's bounds are
// prepared on first use).
func BenchmarkOpenVulnCatalog(b *testing.B) {
	for b.Loop() {
		if _, err := decodeChunked(vulnTable, false); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	c, err := decodeChunked(vulnTable, false)
	if err != nil {
		b.Fatal(err)
	}
	opened := heap()
	asOf := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	for _, q := range benchQueries {
		c.JudgeVulns(q, asOf)
	}
	judged := heap()
	runtime.KeepAlive(c)
	b.ReportMetric(float64(opened-before), "heap-B")
	b.ReportMetric(float64(judged-before), "heap-judged-B")
}

// BenchmarkLoadVulnCatalog is opening a chunked override file, every
// record checked (LoadVulnCatalog less the read).
func BenchmarkLoadVulnCatalog(b *testing.B) {
	for b.Loop() {
		if _, err := decodeVulnCatalog(vulnTable); err != nil {
			b.Fatal(err)
		}
	}
}

var benchQueries = []VulnQuery{
	{Product: "fortios", Raw: "v7.2.6,build1575,231219"},
	{Product: "cisco-ios-xe", Raw: "16.6.7"},
	{Product: "cisco-ios", Raw: "12.2(55)SE12"},
	{Product: "pan-os", Raw: "10.2.9"},
	{Product: "junos", Raw: "15.1X53-D59.4"},
	{Product: "arubaos", Raw: "8.4.0.0"},
	{Product: "routeros", Raw: "7.20.6"},
	{Product: "dlink", Raw: "1.10.010", Model: "DGS-1510-28X/ME"},
}

// BenchmarkJudgeVulns judges one device, its family already prepared;
// the target is 1 ms.
func BenchmarkJudgeVulns(b *testing.B) {
	c, err := OpenVulnCatalog()
	if err != nil {
		b.Fatal(err)
	}
	asOf := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	for _, q := range benchQueries[:5] {
		c.JudgeVulns(q, asOf) // prepares the family, once per process
		b.Run(q.Product, func(b *testing.B) {
			for b.Loop() {
				c.JudgeVulns(q, asOf)
			}
		})
	}
}
