package settings

import (
	"flag"
	"math"
	"runtime/debug"
	"testing"
)

func TestMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	t.Setenv("GOMEMLIMIT", "")
	for _, c := range []struct {
		in   string
		want int64
		err  bool
	}{{"24MiB", 24 << 20, false}, {"1GiB", 1 << 30, false}, {"8388608B", 8 << 20, false}, {"off", -1, false},
		{"4096KiB", 4 << 20, false}, {"3MiB", 0, true}, {"24MB", 0, true}, {"", 0, true}, {"-5MiB", 0, true},
		{"99999999999GiB", 0, true}, {"MiB", 0, true}} {
		var m MemoryLimit
		err := m.Set(c.in)
		if (err != nil) != c.err || (err == nil && m.bytes != c.want) {
			t.Errorf("Set(%q) = %d, %v; want %d, error %v", c.in, m.bytes, err, c.want, c.err)
		}
	}
	var m MemoryLimit
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	debug.SetMemoryLimit(math.MaxInt64)
	m.Register(fs)
	if got := debug.SetMemoryLimit(-1); got != DefaultMemoryLimit || m.InForce() != "22.0MiB (default)" {
		t.Errorf("registered: limit %d, %q", got, m.InForce())
	}
	if err := fs.Parse([]string{"--memory-limit", "48MiB"}); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != 48<<20 || m.InForce() != "48.0MiB (--memory-limit)" {
		t.Errorf("flag: limit %d, %q", got, m.InForce())
	}
	if err := fs.Parse([]string{"--memory-limit", "off"}); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 || m.InForce() != "off (--memory-limit)" {
		t.Errorf("off: limit %d, %q", got, m.InForce())
	}
	t.Setenv("GOMEMLIMIT", "40MiB")
	debug.SetMemoryLimit(40 << 20) // as the runtime does at start
	if err := m.Set("24MiB"); err != nil {
		t.Fatal(err)
	}
	if got := debug.SetMemoryLimit(-1); got != 40<<20 || m.InForce() != "40.0MiB (GOMEMLIMIT)" {
		t.Errorf("environment: limit %d, %q", got, m.InForce())
	}
}
