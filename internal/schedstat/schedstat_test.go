package schedstat

import (
	"os"
	"os/exec"
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
	time.Sleep(300 * time.Millisecond) // both started: sh has become sleep
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
