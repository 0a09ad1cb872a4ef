package settings

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// DefaultMemoryLimit is serve's soft memory limit: the Go runtime collects
// harder as the heap nears it, so RSS stays near it on a small box. The
// runtime's own memory beside the live heap (collector metadata, stacks,
// fragmentation, pages not yet returned) is several MB, and serve's live
// heap with 1,000 devices is 9-14 MB after GC (session 7: rule patterns,
// page templates and the MAC registry's names out of the heap), so 22 MiB
// leaves the collector a few MB to work in. On the 1,000-host lab it holds
// anonymous RSS at 18 MB (28.7-28.9 MB RSS with the binary's pages) at
// about 2.8 collections a second, 1.3 % of one core more than 28 MiB; at
// 28 MiB anonymous RSS was 23.7 MB (docs/performance.md, memory).
const DefaultMemoryLimit = 22 << 20

// MemoryLimit is a --memory-limit flag: a soft limit on the Go runtime's
// memory in bytes, written with a unit as GOMEMLIMIT is ("22MiB", "1GiB")
// or "off" (no limit). A GOMEMLIMIT in the environment wins over both the
// flag and the default.
type MemoryLimit struct {
	bytes int64  // 0: the default; <0: off
	from  string // where the limit in force comes from, once applied
}

// Register adds the flag to fs and applies the default limit at once, so
// it holds from the start (a command's catalogs are decoded before its
// flags are all acted on); a value given on the command line or in the
// settings file is applied as it is parsed.
func (m *MemoryLimit) Register(fs *flag.FlagSet) {
	m.apply()
	fs.Var(m, "memory-limit", "soft limit on the Go runtime's memory, as GOMEMLIMIT writes it (22MiB, off); GOMEMLIMIT in the environment wins")
}

// String returns the limit as the flag shows it.
func (m *MemoryLimit) String() string {
	switch {
	case m == nil || m.bytes == 0:
		return fmt.Sprintf("%dMiB", DefaultMemoryLimit>>20)
	case m.bytes < 0:
		return "off"
	}
	return strconv.FormatInt(m.bytes, 10) + "B"
}

// Set parses a limit, a number with B, KiB, MiB or GiB (as GOMEMLIMIT) or
// "off", and applies it. Below 4 MiB is refused: the runtime would collect
// without pause.
func (m *MemoryLimit) Set(s string) error {
	if s == "off" {
		m.bytes = -1
		m.apply()
		return nil
	}
	n, err := parseBytes(s)
	if err != nil {
		return err
	}
	if n < 4<<20 {
		return fmt.Errorf("%q is below 4MiB", s)
	}
	m.bytes = n
	m.apply()
	return nil
}

func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mul    int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseInt(num, 10, 64)
			if err != nil || n <= 0 || n > math.MaxInt64/u.mul {
				break
			}
			return n * u.mul, nil
		}
	}
	return 0, fmt.Errorf("%q: want a size such as 32MiB, or off", s)
}

// InForce says, for the log, what the limit in force is and where it
// comes from: the GOMEMLIMIT environment variable, the flag, or the
// default.
func (m *MemoryLimit) InForce() string {
	limit := debug.SetMemoryLimit(-1)
	if limit == math.MaxInt64 {
		return "off (" + m.from + ")"
	}
	return fmt.Sprintf("%.1fMiB (%s)", float64(limit)/(1<<20), m.from)
}

// apply sets the limit and returns it (math.MaxInt64 for none) and its
// source. GOMEMLIMIT has been applied by the runtime already.
func (m *MemoryLimit) apply() (limit int64, from string) {
	switch {
	case os.Getenv("GOMEMLIMIT") != "":
		limit, m.from = debug.SetMemoryLimit(-1), "GOMEMLIMIT"
	case m.bytes < 0:
		limit, m.from = math.MaxInt64, "--memory-limit"
		debug.SetMemoryLimit(limit)
	case m.bytes > 0:
		limit, m.from = m.bytes, "--memory-limit"
		debug.SetMemoryLimit(limit)
	default:
		limit, m.from = DefaultMemoryLimit, "default"
		debug.SetMemoryLimit(limit)
	}
	return limit, m.from
}
