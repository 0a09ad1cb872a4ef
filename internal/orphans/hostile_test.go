package orphans_test

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"tend/internal/orphans"
	"tend/internal/testwatch"
)

// victim starts a process the hostile state names, and returns its pid
// and a marker line with a dead owner that names it rightly.
func victim(t *testing.T) (pid int, marker string) {
	t.Helper()
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	start, _ := orphans.Start(cmd.Process.Pid)
	return cmd.Process.Pid, fmt.Sprintf("999999999 1 %d %d\n", cmd.Process.Pid, start)
}

// survived is whether pid still runs 300 ms on (a SIGKILL takes a moment
// on a loaded machine).
func survived(pid int) bool {
	for deadline := time.Now().Add(300 * time.Millisecond); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if !alive(pid) {
			return false
		}
	}
	return true
}

// nobody is user nobody's uid; the test is skipped unless it runs as root.
func nobody(t *testing.T) int {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to another user")
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skip("no user nobody")
	}
	uid, _ := strconv.Atoi(u.Uid)
	return uid
}

func write(t *testing.T, path, text string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
}

// TestReapIgnoresOthersMarksDir: another user makes this user's marker
// directory first, in a /tmp anyone writes (mkdir -m777
// /tmp/tend-test-owned-0), and plants a marker naming a victim with a dead
// owner: the reap must not kill it (root does not mark in /tmp at all, a
// user refuses the directory).
func TestReapIgnoresOthersMarksDir(t *testing.T) {
	tmp := t.TempDir()
	testwatch.Isolate(t)
	pid, marker := victim(t)
	dir := filepath.Join(tmp, fmt.Sprintf("tend-test-owned-%d", os.Geteuid()))
	os.Mkdir(dir, 0o777)
	os.Chmod(dir, 0o777)
	write(t, filepath.Join(dir, "x"), marker, 0o666)
	if os.Geteuid() == 0 {
		uid := nobody(t)
		os.Chown(dir, uid, uid)
		os.Chown(filepath.Join(dir, "x"), uid, uid)
	}
	stopped, err := orphans.Reap(tmp, nil)
	if !survived(pid) || len(stopped) != 0 {
		t.Errorf("Reap = %v, %v: it trusted a marker directory another user made", stopped, err)
	}
}

// TestMarksDirMustBeOwn: a marker directory that is not this user's alone
// (open to all, a symlink, another user's) is refused by MarkProcess and
// not trusted by Reap.
func TestMarksDirMustBeOwn(t *testing.T) {
	cases := map[string]func(t *testing.T, dir string){
		"mode 0777": func(t *testing.T, dir string) { os.Mkdir(dir, 0o700); os.Chmod(dir, 0o777) },
		"symlink": func(t *testing.T, dir string) {
			real := filepath.Join(t.TempDir(), "real")
			os.Mkdir(real, 0o700)
			os.Symlink(real, dir)
		},
		"nobody's": func(t *testing.T, dir string) {
			uid := nobody(t)
			os.Mkdir(dir, 0o700)
			os.Chown(dir, uid, uid)
		},
	}
	for name, hostile := range cases {
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			testwatch.Isolate(t)
			pid, marker := victim(t)
			dir := orphans.MarksDir(tmp)
			hostile(t, dir)
			write(t, filepath.Join(dir, "x"), marker, 0o600)
			if unmark, err := orphans.MarkProcess(tmp, pid); err == nil {
				unmark()
				t.Error("MarkProcess used a marker directory that is not this user's alone")
			}
			if stopped, err := orphans.Reap(tmp, nil); !survived(pid) || err == nil {
				t.Errorf("Reap = %v, %v: it trusted the directory (victim alive %v)", stopped, err, alive(pid))
			}
		})
	}
}

// TestMarkerNoFollow: a symlink planted at the marker's predictable name
// (BINPID-PID) makes MarkProcess fail, not write through it; on the reap
// a marker that is a symlink, or another user's file, is not trusted.
func TestMarkerNoFollow(t *testing.T) {
	tmp := t.TempDir()
	testwatch.Isolate(t)
	pid, marker := victim(t)
	dir := orphans.MarksDir(tmp)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(t.TempDir(), "secret")
	write(t, secret, "secret\n", 0o600)
	os.Symlink(secret, filepath.Join(dir, fmt.Sprintf("%d-%d", os.Getpid(), pid)))
	if unmark, err := orphans.MarkProcess(tmp, pid); err == nil {
		unmark()
		t.Error("MarkProcess wrote its marker through a symlink")
	}
	if b, _ := os.ReadFile(secret); string(b) != "secret\n" {
		t.Fatalf("the symlink's target was overwritten: %q", b)
	}
	os.Remove(filepath.Join(dir, fmt.Sprintf("%d-%d", os.Getpid(), pid)))
	planted := filepath.Join(t.TempDir(), "planted")
	write(t, planted, marker, 0o644)
	os.Symlink(planted, filepath.Join(dir, "link"))
	if os.Geteuid() == 0 {
		uid := nobody(t)
		write(t, filepath.Join(dir, "theirs"), marker, 0o644)
		os.Chown(filepath.Join(dir, "theirs"), uid, uid)
	}
	if stopped, err := orphans.Reap(tmp, nil); !survived(pid) {
		t.Errorf("Reap = %v, %v: it trusted a symlinked or another user's marker", stopped, err)
	}
}

// TestReapDirsOwnership: a marked directory is removed only when it is
// this user's (or, for root, nobody's: a root run's clusters) and its
// owner marker a regular file of this user's: one nobody rewrote, one
// that is a symlink, another user's directory are left alone, silently.
func TestReapDirsOwnership(t *testing.T) {
	uid := nobody(t)
	tmp := t.TempDir()
	testwatch.Isolate(t)
	mk := func(name string, dirUID, ownerUID int) string {
		dir := filepath.Join(tmp, orphans.DirPrefix+name)
		os.Mkdir(dir, 0o755)
		write(t, filepath.Join(dir, orphans.OwnerFile), "999999999 1\n", 0o644)
		os.Chown(filepath.Join(dir, orphans.OwnerFile), ownerUID, ownerUID)
		os.Chown(dir, dirUID, dirUID)
		return dir
	}
	cluster := mk("cluster", uid, 0)       // as internal/pgtest leaves it
	rewritten := mk("rewritten", uid, uid) // nobody replaced the marker
	other := mk("other", 54321, 0)         // another user's directory
	link := mk("link", 0, 0)
	os.Remove(filepath.Join(link, orphans.OwnerFile))
	os.Symlink(filepath.Join(cluster, orphans.OwnerFile), filepath.Join(link, orphans.OwnerFile))
	stopped, err := orphans.Reap(tmp, nil)
	if err != nil || len(stopped) != 1 || stopped[0] != "dir "+cluster {
		t.Errorf("Reap = %v, %v; want only %s removed, no error", stopped, err, cluster)
	}
	for _, dir := range []string{rewritten, other, link} {
		if _, err := os.Lstat(dir); err != nil {
			t.Errorf("the reap removed %s: %v", dir, err)
		}
	}
}

// TestMarksDirOldMode: the marker directory an earlier version made 0755
// (this user's, writable by no one else) is made 0700 and used, not
// refused for good; one that others could write into stays refused.
func TestMarksDirOldMode(t *testing.T) {
	tmp := t.TempDir()
	testwatch.Isolate(t)
	dir := orphans.MarksDir(tmp)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	pid, _ := victim(t)
	unmark, err := orphans.MarkProcess(tmp, pid)
	if err != nil {
		t.Fatalf("MarkProcess refused this user's 0755 directory: %v", err)
	}
	unmark()
	if fi, err := os.Lstat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the directory's mode is %v (%v), want 0700", fi.Mode().Perm(), err)
	}
}

// TestReapPidFileNotRegular: a cluster's postmaster.pid that is a FIFO
// (the cluster's user, nobody in a root run, can make it one) neither
// hangs the reap nor stops anything; the directory is still removed.
func TestReapPidFileNotRegular(t *testing.T) {
	tmp := t.TempDir()
	testwatch.Isolate(t)
	dir := filepath.Join(tmp, orphans.DirPrefix+"fifo")
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	write(t, filepath.Join(dir, orphans.OwnerFile), "999999999 1\ndata/postmaster.pid\n", 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "data", "postmaster.pid"), 0o644); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	go func() { _, err := orphans.Reap(tmp, nil); done <- err }()
	select {
	case err := <-done:
		if _, serr := os.Lstat(dir); serr == nil {
			t.Errorf("the reap left %s (err %v)", dir, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the reap hangs on a FIFO postmaster.pid")
	}
}
