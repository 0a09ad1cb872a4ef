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
