package schedstat

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestWorking: a process that spins is working, one asleep in a system
// call is not, and neither is one that does not exist.
func TestWorking(t *testing.T) {
	if _, err := os.Stat("/proc/self/task"); err != nil {
		t.Skip("no /proc/PID/task/*/schedstat here")
	}
	start := func(script string) int {
		cmd := exec.Command("sh", "-c", script)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		return cmd.Process.Pid
	}
	busy, idle := start("while :; do :; done"), start("exec sleep 60")
	// On a loaded machine sh may take long to become sleep: wait until the
	// idle one is sleep and asleep (a fixed pause failed in CI).
	asleep := func() bool {
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", idle))
		stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", idle))
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		return strings.TrimSpace(string(comm)) == "sleep" && len(f) > 0 && f[0] == "S"
	}
	for deadline := time.Now().Add(30 * time.Second); !asleep(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("sleep did not start within 30 s")
		}
	}
	time.Sleep(50 * time.Millisecond)
	b, i := Follow(busy), Follow(idle)
	time.Sleep(300 * time.Millisecond)
	if !b.Working() {
		t.Error("a spinning process reads as not working")
	}
	if i.Working() {
		t.Error("a sleeping process reads as working")
	}
	if Follow(0).Working() || Follow(1<<30).Working() {
		t.Error("no process reads as working")
	}
}

// TestIOCounts: a process's read and write calls count as progress (a
// process blocked on a busy disk runs little but does I/O), and the
// counters of a process that does not exist read as none.
func TestIOCounts(t *testing.T) {
	if _, err := os.Stat("/proc/self/io"); err != nil {
		t.Skip("no /proc/PID/io here")
	}
	p := &Progress{pid: os.Getpid()}
	before := p.ioTotal()
	if before == 0 {
		t.Fatal("this process's I/O counters read as 0")
	}
	f, err := os.CreateTemp(t.TempDir(), "io")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Write([]byte("progress"))
	if after := p.ioTotal(); after <= before {
		t.Errorf("I/O counters did not move after a write: %d then %d", before, after)
	}
	if (&Progress{pid: 1 << 30}).ioTotal() != 0 || (&Progress{pid: 1 << 30}).onDisk() {
		t.Error("a process that does not exist reads as doing I/O")
	}
}
