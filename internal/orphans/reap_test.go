package orphans_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"tend/internal/orphans"
	"tend/internal/testwatch"
)

// daemonIn starts `sleep 60` with its working directory dir and writes
// its pid to dir/p.pid, as a postmaster runs from its data directory and
// names itself in postmaster.pid; it returns the pid and the pid file.
func daemonIn(t *testing.T, dir string) (int, string) {
	t.Helper()
	cmd := exec.Command("sleep", "60")
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	pidFile := filepath.Join(dir, "p.pid")
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid, pidFile
}

// TestReapDaemonMarkedByLiveRun: a killed run's daemon marker stays when
// its daemon was stopped by hand; a later, live run starts the daemon of
// the same pid file again (a kept cluster's postmaster) and marks it. The
// reap removes the dead marker and leaves the live run's daemon running;
// once no live marker names it, the dead marker does stop it.
func TestReapDaemonMarkedByLiveRun(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	testwatch.Isolate(t)
	tmp := t.TempDir()
	dir, err := filepath.EvalSymlinks(t.TempDir()) // as /proc shows the daemon's cwd
	if err != nil {
		t.Fatal(err)
	}
	pid, pidFile := daemonIn(t, dir)
	unmark, err := orphans.MarkDaemon(tmp, pidFile) // the live run's
	if err != nil {
		t.Fatal(err)
	}
	dead := filepath.Join(orphans.MarksDir(tmp), "dead-daemon")
	write(t, dead, "999999999 1 daemon "+pidFile+"\n", 0o600)
	stopped, err := orphans.Reap(tmp, nil)
	if len(stopped) != 0 || err != nil || !alive(pid) {
		t.Fatalf("Reap = %v, %v, daemon alive %v; want the live run's daemon left alone", stopped, err, alive(pid))
	}
	if _, err := os.Lstat(dead); err == nil {
		t.Error("the dead owner's marker of a live run's daemon stayed")
	}
	unmark()
	write(t, dead, "999999999 1 daemon "+pidFile+"\n", 0o600)
	if stopped, err := orphans.Reap(tmp, nil); len(stopped) != 1 || err != nil || !testwatch.Gone(pid, 5*time.Second) {
		t.Errorf("Reap = %v, %v; want the dead owner's daemon stopped", stopped, err)
	}
}

// TestReapDirsSymlinkedTmp: with $TMPDIR a symlink, a dead owner's
// directory's daemon runs from the resolved path (as /proc shows its cwd):
// the reap stops it as well as removing the directory, rather than
// removing the directory under a daemon that runs on.
func TestReapDirsSymlinkedTmp(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	testwatch.Isolate(t)
	real := t.TempDir()
	tmp := filepath.Join(t.TempDir(), "tmp")
	if err := os.Symlink(real, tmp); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, orphans.DirPrefix+"d")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	resolved, _ := filepath.EvalSymlinks(dir)
	pid, _ := daemonIn(t, resolved)
	write(t, filepath.Join(dir, orphans.OwnerFile), "999999999 1\np.pid\n", 0o644)
	stopped, err := orphans.Reap(tmp, nil)
	if _, serr := os.Lstat(dir); len(stopped) != 1 || err != nil || serr == nil {
		t.Errorf("Reap = %v, %v; want the directory removed", stopped, err)
	}
	if !testwatch.Gone(pid, 5*time.Second) {
		t.Error("the reap left the removed directory's daemon running")
	}
}

// TestReapInsideDeadDir: a test binary killed with the children it ran
// (go test killed as a group) leaves its marked directory
// (testwatch.Isolate's) holding the children's marker directory and
// marked directories. The reap stops what those name before it removes
// the directory, and leaves alone what a live owner's directory holds.
func TestReapInsideDeadDir(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	testwatch.Isolate(t)
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, owner := range []string{"999999999 1", ""} { // dead, then this binary
		dir := filepath.Join(tmp, fmt.Sprintf("%s%d", orphans.DirPrefix, len(pids)))
		inner := filepath.Join(dir, orphans.DirPrefix+"inner")
		if err := os.MkdirAll(inner, 0o700); err != nil {
			t.Fatal(err)
		}
		if owner == "" {
			if err := orphans.MarkDir(dir); err != nil {
				t.Fatal(err)
			}
		} else {
			write(t, filepath.Join(dir, orphans.OwnerFile), owner+"\n", 0o644)
		}
		pid, _ := daemonIn(t, inner)
		write(t, filepath.Join(inner, orphans.OwnerFile), "999999999 1\np.pid\n", 0o644)
		marked, _ := daemonIn(t, t.TempDir())
		start, _ := orphans.Start(marked)
		if err := os.Mkdir(orphans.MarksIn(dir), 0o700); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(orphans.MarksIn(dir), "m"), fmt.Sprintf("999999999 1 %d %d\n", marked, start), 0o600)
		pids = append(pids, pid, marked)
	}
	stopped, err := orphans.Reap(tmp, nil)
	t.Logf("reaped %v (err %v)", stopped, err)
	if !testwatch.Gone(pids[0], 5*time.Second) || !testwatch.Gone(pids[1], 5*time.Second) {
		t.Errorf("the dead owner's directory's children's daemon (%v) or marked process (%v) survived", alive(pids[0]), alive(pids[1]))
	}
	if _, err := os.Lstat(filepath.Join(tmp, orphans.DirPrefix+"0")); err == nil {
		t.Error("the dead owner's directory stayed")
	}
	if !alive(pids[2]) || !alive(pids[3]) {
		t.Error("the reap stopped what a live owner's directory holds")
	}
}

// TestReapLeavesDirInUse: a dead owner's directory whose marker directory
// holds the marker of a test binary that still runs (go test killed as a
// group, the grandchild's SIGKILL not yet taken on a loaded machine) is
// left, marker and all: removed with it, the grandchild's process group,
// namespace and cluster would never be stopped. The next reap, once that
// binary has ended, removes it.
func TestReapLeavesDirInUse(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	testwatch.Isolate(t)
	tmp := t.TempDir()
	dir := filepath.Join(tmp, orphans.DirPrefix+"isolate-inuse")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, orphans.OwnerFile), "999999999 1\n", 0o644) // gone
	binary := exec.Command("sleep", "60")                                   // the grandchild test binary
	if err := binary.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { binary.Process.Kill(); binary.Wait() })
	start, _ := orphans.Start(binary.Process.Pid)
	if err := os.Mkdir(orphans.MarksIn(dir), 0o700); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(orphans.MarksIn(dir), "grandchild-netns")
	write(t, marker, fmt.Sprintf("%d %d netns tdorph-inuse-%d\n", binary.Process.Pid, start, os.Getpid()), 0o600)
	if stopped, err := orphans.Reap(tmp, nil); len(stopped) != 0 || err != nil {
		t.Errorf("Reap while the grandchild runs = %v, %v; want nothing", stopped, err)
	}
	if _, err := os.Lstat(marker); err != nil {
		t.Fatalf("the running grandchild's marker went with its directory: %v", err)
	}
	binary.Process.Kill()
	binary.Wait()
	if stopped, err := orphans.Reap(tmp, nil); len(stopped) != 1 || err != nil {
		t.Errorf("Reap once the grandchild ended = %v, %v; want the directory removed", stopped, err)
	}
	if _, err := os.Lstat(dir); err == nil {
		t.Error("the directory stayed after its grandchild ended")
	}
}
