package orphans_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tend/internal/orphans"
	"tend/internal/testwatch"
)

// isolatingEnv tells TestHelperIsolating to run.
const isolatingEnv = "TEND_ORPHANS_ISOLATING"

// TestHelperIsolating is the child TestReapAfterGroupKill kills with its
// own child: as TestReapAfterKill does, it isolates itself and runs
// TestHelperKilled with $TMPDIR its Isolate directory, repeats what that
// says and says "ready" once it is, then waits. It does nothing in a
// normal run.
func TestHelperIsolating(t *testing.T) {
	if os.Getenv(isolatingEnv) == "" {
		t.Skip("helper of TestReapAfterGroupKill")
	}
	tmp := testwatch.Isolate(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperKilled$", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), childEnv+"=1", "TMPDIR="+tmp)
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("grandchild %d\n", cmd.Process.Pid)
	for sc := bufio.NewScanner(out); sc.Scan(); {
		fmt.Println(sc.Text())
		if sc.Text() == "ready" {
			break
		}
	}
	time.Sleep(10 * time.Minute)
}

// TestReapAfterGroupKill: go test killed as a group in the middle of a
// kill test (CI's job timeout) kills the test binary and the child it
// ran at once, neither running a cleanup. The reap of the binary's
// $TMPDIR finds the child's leftovers inside the test's Isolate
// directory and stops them: its process group, namespace and cluster.
func TestReapAfterGroupKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a test binary that starts another")
	}
	tmp := testwatch.Isolate(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperIsolating$", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), isolatingEnv+"=1", "TMPDIR="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var leader, sleep, pm, grandchild int
	var netns string
	for sc := bufio.NewScanner(out); sc.Scan() && sc.Text() != "ready"; {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 2 && f[0] == "grandchild":
			fmt.Sscan(f[1], &grandchild)
		case len(f) == 3 && f[0] == "process":
			fmt.Sscan(f[1]+" "+f[2], &leader, &sleep)
		case len(f) == 2 && f[0] == "netns":
			netns = f[1]
			t.Cleanup(func() { exec.Command("ip", "netns", "del", netns).Run() }) // should the reap not
		case len(f) == 2 && f[0] == "cluster" && f[1] != "none":
			pm = postmaster(f[1])
			t.Cleanup(func() { syscall.Kill(pm, syscall.SIGQUIT) }) // should the reap not
		}
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	if leader == 0 || !alive(sleep) {
		t.Fatalf("the grandchild's process group %d/%d does not run", leader, sleep)
	}
	t.Cleanup(func() { syscall.Kill(-leader, syscall.SIGKILL) }) // should the reap not
	// The group's SIGKILL ends the grandchild test binary when it next
	// runs: on a loaded machine that can be after the reap, which then
	// leaves its directory for a later reap (TestReapLeavesDirInUse).
	if !testwatch.Gone(grandchild, time.Minute) {
		t.Fatalf("the grandchild test binary %d outlived its group's SIGKILL by a minute", grandchild)
	}
	stopped, err := orphans.Reap(tmp, nil)
	t.Logf("reaped %v (err %v)", stopped, err)
	if !testwatch.Gone(leader, 5*time.Second) || !testwatch.Gone(sleep, 5*time.Second) {
		t.Errorf("the grandchild's process group survived: leader %v sleep %v", alive(leader), alive(sleep))
	}
	if _, err := os.Lstat("/run/netns/" + netns); netns != "" && err == nil {
		t.Errorf("the grandchild's namespace %s survived", netns)
	}
	if pm != 0 && !testwatch.Gone(pm, 5*time.Second) {
		t.Errorf("the grandchild's postmaster %d survived", pm)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, orphans.DirPrefix+"isolate-*")); len(left) != 0 {
		t.Errorf("the reap left %v", left)
	}
}
