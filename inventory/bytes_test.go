package inventory

import "testing"

func TestFormatBytes(t *testing.T) {
	for b, want := range map[uint64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 9_000_000: "9.0 MB", 1_500_000_000: "1.5 GB", 1<<64 - 1: "18.4 EB"} {
		if got := FormatBytes(b); got != want {
			t.Errorf("FormatBytes(%d) = %q, want %q", b, got, want)
		}
	}
}
