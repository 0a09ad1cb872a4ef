// Package schedstat tells a process that is still starting up on a busy
// machine from one that is stuck, by the time its threads spent running or
// waiting to run (/proc/PID/task/*/schedstat), the I/O it did
// (/proc/PID/io) and whether a thread is waiting on the disk. Waits for a
// helper process to answer (an SNMP agent, a database) use it to give a
// working process more time and fail a stuck one on time.
package schedstat

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// Progress follows one process's scheduler time and I/O between calls to
// Working.
type Progress struct {
	pid      int
	last, io uint64
}

// Follow starts following process pid: the next call to Working says
// whether it ran, waited to run or did I/O since now.
func Follow(pid int) *Progress {
	p := &Progress{pid: pid}
	p.last, p.io = p.total(), p.ioTotal()
	return p
}

// Working says whether the process ran on a CPU, sat in a run queue or
// did I/O since the last call (or Follow), or has a thread waiting on the
// disk now: a process starting up on a box whose cores and disk other
// work holds is working (CI's ci-107 failed an snmpsimd that spent two
// seconds blocked writing its index), one blocked in select(2) or stopped
// is not, and neither is one that is gone or cannot be read.
func (p *Progress) Working() bool {
	now, io := p.total(), p.ioTotal()
	moved := now != 0 && now != p.last || io != 0 && io != p.io
	p.last, p.io = now, io
	return moved || p.onDisk()
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

// ioTotal is the process's count of read and write system calls and bytes
// (/proc/PID/io: rchar, wchar, syscr, syscw), or 0 when it cannot be read
// (another user's process without privilege).
func (p *Progress) ioTotal() uint64 {
	if p.pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", p.pid))
	if err != nil {
		return 0
	}
	var sum uint64
	for line := range bytes.Lines(b) {
		name, val, ok := bytes.Cut(line, []byte(": "))
		switch string(name) {
		case "rchar", "wchar", "syscr", "syscw":
		default:
			continue
		}
		var n uint64
		if _, err := fmt.Sscan(string(bytes.TrimSpace(val)), &n); ok && err == nil {
			sum += n
		}
	}
	return sum
}

// onDisk says whether a thread of the process is in uninterruptible sleep
// (state D: waiting on the disk or a page fault), which neither runs nor
// waits in a run queue.
func (p *Progress) onDisk() bool {
	if p.pid <= 0 {
		return false
	}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", p.pid))
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		// The state follows the command name, which is in parentheses
		// and may itself hold ") ".
		if i := bytes.LastIndexByte(b, ')'); i >= 0 && len(b) > i+2 && b[i+2] == 'D' {
			return true
		}
	}
	return false
}
