package lifecycle

import (
	"testing"
	"time"
)

func BenchmarkOpenVulnCatalog(b *testing.B) {
	for b.Loop() {
		if _, err := OpenVulnCatalog(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJudgeVulns judges one device; the target is 1 ms.
func BenchmarkJudgeVulns(b *testing.B) {
	c, err := OpenVulnCatalog()
	if err != nil {
		b.Fatal(err)
	}
	asOf := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	for _, q := range []VulnQuery{
		{Product: "fortios", Raw: "v7.2.6,build1575,231219"},
		{Product: "cisco-ios-xe", Raw: "16.6.7"},
		{Product: "cisco-ios", Raw: "12.2(55)SE12"},
		{Product: "pan-os", Raw: "10.2.9"},
	} {
		b.Run(q.Product, func(b *testing.B) {
			for b.Loop() {
				c.JudgeVulns(q, asOf)
			}
		})
	}
}
