// Package schedstat tells a process that is still starting up on a busy
// machine from one that is stuck, by the time its threads spent running or
// waiting to run (/proc/PID/task/*/schedstat). Waits for a helper process
// to answer (an SNMP agent, a database) use it to give a working process
// more time and fail a stuck one on time.
package schedstat

import (
	"fmt"
	"os"
	"path/filepath"
)

// Progress follows one process's scheduler time between calls to Working.
type Progress struct {
	pid  int
	last uint64
}

// Follow starts following process pid: the next call to Working says
// whether it ran or waited to run since now.
func Follow(pid int) *Progress {
	p := &Progress{pid: pid}
	p.last = p.total()
	return p
}

// Working says whether the process ran on a CPU or sat in a run queue
// since the last call (or Follow): a process starting up on a box whose
// cores other work holds is working, one blocked in select(2) or stopped
// is not, and neither is one that is gone or cannot be read.
func (p *Progress) Working() bool {
	now := p.total()
	moved := now != 0 && now != p.last
	p.last = now
	return moved
}

// total is the sum over the process's threads of the nanoseconds spent on a
// CPU and in a run queue, or 0 when it cannot be read.
func (p *Progress) total() uint64 {
	if p.pid <= 0 {
		return 0
	}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", p.pid))
	var sum uint64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		var run, wait uint64
		if _, err := fmt.Sscan(string(b), &run, &wait); err == nil {
			sum += run + wait
		}
	}
	return sum
}
