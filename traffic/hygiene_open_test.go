package traffic

import "testing"

// TestOpenHygieneCatalogAllocs: opening the built-in table, which every
// serve and replay does at start, makes one slice of every pattern's
// labels, one of the patterns and the index, not a slice per pattern, a
// string per key and a growing slice per key (1,300 allocations, 100 kB of
// fresh heap whose pages cost a page fault each at start).
func TestOpenHygieneCatalogAllocs(t *testing.T) {
	allocs := testing.AllocsPerRun(5, func() {
		if _, err := OpenHygieneCatalog(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 50 {
		t.Errorf("OpenHygieneCatalog made %.0f allocations, want at most 50", allocs)
	}
}

func BenchmarkOpenHygieneCatalog(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OpenHygieneCatalog(); err != nil {
			b.Fatal(err)
		}
	}
}
