package main

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"tend/internal/schedstat"
	"tend/lab"
)

// labGrace bounds how long waitWorking waits past its limit, in multiples
// of the limit.
const labGrace = 5

// waitWorking polls cond every poll until it holds and says how long that
// took and whether it held. Past limit it keeps polling while any of pids
// (the processes doing the work: a serve, a hub, a lab's agents) ran on a
// CPU or waited in a run queue during the last two seconds, up to labGrace
// times limit: on two cores other lab tests and packages hold, a working
// box is late, not wrong; with every process gone or asleep it fails at
// limit. This is what lets a lab test whose box must sweep and learn
// within a time (labParallel) run beside other labs.
func waitWorking(limit, poll time.Duration, pids []int, cond func() bool) (time.Duration, bool) {
	cpu := make([]*schedstat.Progress, len(pids))
	for i, pid := range pids {
		cpu[i] = schedstat.Follow(pid)
	}
	working := func() bool {
		moved := false
		for _, p := range cpu {
			moved = p.Working() || moved // read every one: each call starts its next window
		}
		return moved
	}
	start := time.Now()
	soft := start.Add(limit)
	for {
		if cond() {
			return time.Since(start), true
		}
		if now := time.Now(); now.After(soft) {
			if !working() || now.Sub(start) >= labGrace*limit {
				return now.Sub(start), false
			}
			soft = now.Add(2 * time.Second) // still working: look again in two seconds
		}
		time.Sleep(poll)
	}
}

// labPIDs are the lab's agents' process ids (for waitWorking) with extra.
func labPIDs(devs []lab.DeviceState, extra ...int) []int {
	pids := append([]int(nil), extra...)
	for _, d := range devs {
		if d.PID != 0 {
			pids = append(pids, d.PID)
		}
	}
	return pids
}

// TestWaitWorking: past its limit waitWorking waits on while a followed
// process works and up to labGrace times the limit, stops at the limit
// when none does, and returns as soon as the condition holds.
func TestWaitWorking(t *testing.T) {
	if _, err := os.Stat("/proc/self/task"); err != nil {
		t.Skip("no /proc/PID/task/*/schedstat here")
	}
	spin := exec.Command("sh", "-c", "while :; do :; done")
	if err := spin.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { spin.Process.Kill(); spin.Wait() })
	const limit = 300 * time.Millisecond
	if took, ok := waitWorking(limit, 10*time.Millisecond, nil, func() bool { return false }); ok || took > limit+time.Second {
		t.Errorf("nothing working: waited %v (held %v), want to stop at %v", took, ok, limit)
	}
	if took, ok := waitWorking(limit, 10*time.Millisecond, []int{spin.Process.Pid}, func() bool { return false }); ok || took < labGrace*limit {
		t.Errorf("a working process: gave up after %v (held %v), want %v", took, ok, labGrace*limit)
	}
	n := 0
	if took, ok := waitWorking(time.Minute, time.Millisecond, nil, func() bool { n++; return n == 3 }); !ok || took > 10*time.Second {
		t.Errorf("a condition that holds: %v after %v", ok, took)
	}
}
