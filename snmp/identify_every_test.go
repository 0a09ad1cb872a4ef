package snmp

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// everyDevice is one corpus recording the identification benchmark times.
type everyDevice struct {
	name          string // set/file
	p             *Poller
	times         []time.Duration // CPU time per call, one per round
	walls         []time.Duration // wall time per call, one per round
	allocs, bytes uint64          // per call
}

// everyRounds is how many times each device is timed; its figure is the
// median of the rounds. Rounds go over every device in turn, so a burst
// of load on a shared machine costs one round of a few devices, not a
// device's every round.
const everyRounds = 7

// everyBatch is the least CPU time one round of one device runs for:
// enough calls that the clock's resolution and the loop's cost stay
// small.
const everyBatch = time.Millisecond

// BenchmarkIdentifyEvery times Identify on every setA and setC recording
// in-process, the path BenchmarkIdentifyRecording times for four devices
// (the process's one-time decodes before the clock starts): each device's
// time per call is the median of everyRounds rounds. It prints the
// distribution over devices (median, p90, p99, max) and the slowest 20
// with their allocations per call, and reports the distribution as
// metrics. Issue 13's target is ≤ 1 ms for every device; make
// bench-identify runs it on one core (GOMAXPROCS 1). The time is the
// process's CPU time (getrusage), which is the wall time of an idle
// machine and, unlike it, does not grow with the load of a shared one;
// the wall time's distribution is printed beside it.
func BenchmarkIdentifyEvery(b *testing.B) {
	devs := loadEveryDevice(b)
	for b.Loop() {
		for round := range everyRounds {
			for _, d := range devs {
				d.times[round], d.walls[round] = timeIdentify(b, d.p)
			}
		}
	}
	for _, d := range devs {
		d.allocs, d.bytes = identifyAllocs(b, d.p)
	}
	cpu := quantiles(devs, func(d *everyDevice) []time.Duration { return d.times })
	wall := quantiles(devs, func(d *everyDevice) []time.Duration { return d.walls })
	b.ReportMetric(0, "ns/op")
	for _, m := range []struct {
		unit string
		v    time.Duration
	}{{"ms-median", cpu(0.5)}, {"ms-p90", cpu(0.9)}, {"ms-p99", cpu(0.99)}, {"ms-max", cpu(1)}} {
		b.ReportMetric(m.v.Seconds()*1e3, m.unit)
	}
	fmt.Print(everyReport(devs, cpu, wall)) // whole: a benchmark's log keeps 10 lines without -v
}

// quantiles is the distribution over devices of their median times
// (times gives a device's rounds): q(0.5) the median device, q(1) the
// slowest.
func quantiles(devs []*everyDevice, times func(*everyDevice) []time.Duration) func(float64) time.Duration {
	medians := make([]time.Duration, len(devs))
	for i, d := range devs {
		medians[i] = median(times(d))
	}
	slices.Sort(medians)
	return func(f float64) time.Duration { return medians[int(f*float64(len(medians)-1))] }
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
			d := &everyDevice{name: set + "/" + m.File, p: newPoller(Config{}, nil, rec.session), times: make([]time.Duration, everyRounds), walls: make([]time.Duration, everyRounds)}
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
// everyBatch of CPU time has passed, the CPU and the wall time per call.
func timeIdentify(b *testing.B, p *Poller) (cpu, wall time.Duration) {
	start, startCPU, n := time.Now(), cpuTime(b), 0
	for n == 0 || cpuTime(b)-startCPU < everyBatch {
		if _, err := p.Identify(context.Background(), everyIP); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return (cpuTime(b) - startCPU) / time.Duration(n), time.Since(start) / time.Duration(n)
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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

func median(times []time.Duration) time.Duration {
	t := slices.Clone(times)
	slices.Sort(t)
	return t[len(t)/2]
}

// everyReport is the distribution and the slowest 20 devices, as text.
func everyReport(devs []*everyDevice, cpu, wall func(float64) time.Duration) string {
	// each device's fastest round, the least disturbed by other processes
	fastest := quantiles(devs, func(d *everyDevice) []time.Duration { return []time.Duration{slices.Min(d.times)} })
	var s strings.Builder
	ms := func(t time.Duration) string { return fmt.Sprintf("%.3f ms", t.Seconds()*1e3) }
	fmt.Fprintf(&s, "%d devices, median of %d rounds each, GOMAXPROCS %d, load %s\n", len(devs), everyRounds, runtime.GOMAXPROCS(0), loadAverage())
	for _, q := range []struct {
		name string
		q    func(float64) time.Duration
	}{{"CPU time, median round", cpu}, {"wall time, median round", wall}, {"CPU time, fastest round", fastest}} {
		fmt.Fprintf(&s, "%-23s per call: median %s, p90 %s, p99 %s, max %s\n", q.name, ms(q.q(0.5)), ms(q.q(0.9)), ms(q.q(0.99)), ms(q.q(1)))
	}
	slow := slices.Clone(devs)
	slices.SortFunc(slow, func(a, b *everyDevice) int { return cmp.Compare(median(b.times), median(a.times)) })
	fmt.Fprintln(&s, "slowest 20: CPU time per call (median, fastest-slowest round), wall time (median), allocations, bytes")
	for _, d := range slow[:min(20, len(slow))] {
		fmt.Fprintf(&s, "  %-50s %s (%s-%s) wall %s %6d allocs %8d B\n", d.name, ms(median(d.times)),
			ms(slices.Min(d.times)), ms(slices.Max(d.times)), ms(median(d.walls)), d.allocs, d.bytes)
	}
	return s.String()
}

// loadAverage is /proc/loadavg's first three figures, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "unknown"
}
