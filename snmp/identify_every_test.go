package snmp

import (
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// everyDevice is one corpus recording the identification benchmark times.
type everyDevice struct {
	name          string // set/file
	p             *Poller
	times         []time.Duration // per call, one per round
	allocs, bytes uint64          // per call
}

// everyRounds is how many times each device is timed; its figure is the
// median of the rounds. Rounds go over every device in turn, so a burst
// of load on a shared machine costs one round of a few devices, not a
// device's every round.
const everyRounds = 7

// everyBatch is the least time one round of one device runs for: enough
// calls that the clock's resolution and the loop's cost stay small.
const everyBatch = 500 * time.Microsecond

// BenchmarkIdentifyEvery times Identify on every setA and setC recording
// in-process, the path BenchmarkIdentifyRecording times for four devices
// (the process's one-time decodes before the clock starts): each device's
// time per call is the median of everyRounds rounds. It logs the
// distribution over devices (median, p90, p99, max) and the slowest 20
// with their allocations per call, and reports the distribution as
// metrics. Issue 13's target is ≤ 1 ms for every device; make
// bench-identify runs it on one core.
func BenchmarkIdentifyEvery(b *testing.B) {
	devs := loadEveryDevice(b)
	for b.Loop() {
		for round := range everyRounds {
			for _, d := range devs {
				d.times[round] = timeIdentify(b, d.p)
			}
		}
	}
	for _, d := range devs {
		d.allocs, d.bytes = identifyAllocs(b, d.p)
	}
	medians := make([]time.Duration, len(devs))
	for i, d := range devs {
		medians[i] = d.median()
	}
	slices.Sort(medians)
	q := func(f float64) time.Duration { return medians[int(f*float64(len(medians)-1))] }
	b.ReportMetric(0, "ns/op")
	for _, m := range []struct {
		unit string
		v    time.Duration
	}{{"ms-median", q(0.5)}, {"ms-p90", q(0.9)}, {"ms-p99", q(0.99)}, {"ms-max", q(1)}} {
		b.ReportMetric(m.v.Seconds()*1e3, m.unit)
	}
	fmt.Print(everyReport(devs, q)) // whole: a benchmark's log keeps 10 lines without -v
}

// loadEveryDevice reads every recording of setA's and setC's manifests
// and identifies each once: the process's one-time decodes (the IANA
// registry, Recog's fingerprints, the tables) are start-up, not a
// device's cost.
func loadEveryDevice(b *testing.B) []*everyDevice {
	var devs []*everyDevice
	for _, set := range []string{"setA", "setC"} {
		dir := setDir(b, set)
		for _, m := range readManifest(b, dir) {
			rec := loadRecording(b, filepath.Join(dir, m.File))
			d := &everyDevice{name: set + "/" + m.File, p: newPoller(Config{}, nil, rec.session), times: make([]time.Duration, everyRounds)}
			if _, err := d.p.Identify(context.Background(), everyIP); err != nil {
				b.Fatalf("%s: %v", d.name, err)
			}
			devs = append(devs, d)
		}
	}
	return devs
}

var everyIP = netip.MustParseAddr("192.0.2.1")

// timeIdentify is one round of one device: Identify called until
// everyBatch has passed, the time per call.
func timeIdentify(b *testing.B, p *Poller) time.Duration {
	start, n := time.Now(), 0
	for n == 0 || time.Since(start) < everyBatch {
		if _, err := p.Identify(context.Background(), everyIP); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return time.Since(start) / time.Duration(n)
}

// identifyAllocs is the allocations and bytes one Identify call of p
// makes, averaged over a few calls.
func identifyAllocs(b *testing.B, p *Poller) (allocs, bytes uint64) {
	const n = 5
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range n {
		if _, err := p.Identify(context.Background(), everyIP); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	return (after.Mallocs - before.Mallocs) / n, (after.TotalAlloc - before.TotalAlloc) / n
}

func (d *everyDevice) median() time.Duration {
	t := slices.Clone(d.times)
	slices.Sort(t)
	return t[len(t)/2]
}

// everyReport is the distribution and the slowest 20 devices, as text.
func everyReport(devs []*everyDevice, q func(float64) time.Duration) string {
	var s strings.Builder
	ms := func(t time.Duration) string { return fmt.Sprintf("%.3f ms", t.Seconds()*1e3) }
	fmt.Fprintf(&s, "%d devices, median of %d rounds each, GOMAXPROCS %d: median %s, p90 %s, p99 %s, max %s\n",
		len(devs), everyRounds, runtime.GOMAXPROCS(0), ms(q(0.5)), ms(q(0.9)), ms(q(0.99)), ms(q(1)))
	slow := slices.Clone(devs)
	slices.SortFunc(slow, func(a, b *everyDevice) int { return int(b.median() - a.median()) })
	fmt.Fprintln(&s, "slowest 20: time per call (median, fastest-slowest round), allocations, bytes")
	for _, d := range slow[:min(20, len(slow))] {
		fmt.Fprintf(&s, "  %-50s %s (%s-%s) %6d allocs %8d B\n", d.name, ms(d.median()), ms(slices.Min(d.times)), ms(slices.Max(d.times)), d.allocs, d.bytes)
	}
	return s.String()
}
