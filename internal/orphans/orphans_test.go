package orphans_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tend/internal/orphans"
	"tend/internal/pgtest"
	"tend/internal/testwatch"
)

const childEnv = "TEND_ORPHANS_CHILD"

func TestMain(m *testing.M) { os.Exit(testwatch.Main(m)) }

// group starts `sh -c 'sleep 600 & …; wait'` in a process group of its
// own, adopted (marked) when adopt is set, and returns it with its
// sleep's pid: a daemon with a child, as chromium or snmpsimd are.
func group(t *testing.T, adopt bool) (*exec.Cmd, int) {
	t.Helper()
	cmd := exec.Command("sh", "-c", "sleep 600 & echo $!; wait")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	sleep, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil {
		t.Fatalf("the group's sleep: %q %v", line, err)
	}
	if adopt {
		t.Cleanup(testwatch.Adopt(cmd.Process))
	}
	t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); cmd.Wait() })
	return cmd, sleep
}

// TestHelperKilled is the child TestReapAfterKill SIGKILLs: it adopts a
// process group, launches a cluster when PostgreSQL is there, says so
// ("process PID SLEEPPID", "cluster DIR|none") and, as root, a namespace
// ("netns NAME") and waits. It does nothing
// in a normal run.
func TestHelperKilled(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("helper of TestReapAfterKill")
	}
	cmd, sleep := group(t, true)
	fmt.Printf("process %d %d\n", cmd.Process.Pid, sleep)
	ns := fmt.Sprintf("tdorph-%d", os.Getpid())
	t.Cleanup(testwatch.AdoptNetns(ns)) // marked first: no kill between the two
	if exec.Command("ip", "netns", "add", ns).Run() == nil {
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
		fmt.Printf("netns %s\n", ns)
	}
	c, skip, err := pgtest.Launch()
	switch {
	case err != nil:
		t.Fatal(err)
	case c == nil:
		fmt.Printf("cluster none %s\n", skip)
	default:
		fmt.Printf("cluster %s\n", clusterDir(t)) // $TMPDIR is this child's alone
	}
	fmt.Println("ready")
	time.Sleep(10 * time.Minute)
}

// clusterDir is the one marked cluster directory in $TMPDIR.
func clusterDir(t *testing.T) string {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), orphans.DirPrefix+"hub-pg-*"))
	if len(dirs) != 1 {
		t.Fatalf("cluster directories %v, want one", dirs)
	}
	return dirs[0]
}

// alive is whether pid runs (a zombie does not).
func alive(pid int) bool { _, ok := orphans.Start(pid); return ok }

// postmaster is the pid a cluster directory's postmaster.pid names.
func postmaster(dir string) int {
	b, _ := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
	pid, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	return pid
}

// killedChild runs TestHelperKilled with $TMPDIR at tmp, SIGKILLs it once
// it is ready and returns what it said: its process group's leader and
// sleep, its cluster directory ("" without PostgreSQL) and namespace (""
// unless root).
func killedChild(t *testing.T, tmp string) (leader, sleep int, cluster, netns string) {
	t.Helper()
	for _, line := range testwatch.KillChild(t, "TestHelperKilled", childEnv+"=1", "TMPDIR="+tmp) {
		f := strings.Fields(line)
		switch {
		case len(f) == 3 && f[0] == "process":
			leader, _ = strconv.Atoi(f[1])
			sleep, _ = strconv.Atoi(f[2])
		case len(f) >= 2 && f[0] == "cluster" && f[1] != "none":
			cluster = f[1]
		case len(f) >= 2 && f[0] == "cluster":
			t.Log("the child has no cluster:", line)
		case len(f) == 2 && f[0] == "netns":
			netns = f[1]
		}
	}
	if leader == 0 || sleep == 0 {
		t.Fatal("the child never said what it started")
	}
	return leader, sleep, cluster, netns
}

// TestReapAfterKill: a test binary SIGKILLed (CI's job timeout, the OOM
// killer) runs no cleanup; Reap then stops its cluster, kills its
// adopted process group and deletes its adopted namespace, and leaves alone a live binary's (this one's)
// cluster and adopted process, and a process nobody marked.
func TestReapAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL clusters and a child test binary")
	}
	tmp := testwatch.Isolate(t) // the child's $TMPDIR, and this test's
	t.Setenv("TMPDIR", tmp)
	leader, sleep, cluster, netns := killedChild(t, tmp)
	if netns != "" {
		t.Cleanup(func() { exec.Command("ip", "netns", "del", netns).Run() }) // should the reap fail
		if _, err := os.Lstat("/run/netns/" + netns); err != nil {
			t.Fatalf("before the reap: the child's namespace: %v", err)
		}
	}
	pm := 0
	if cluster != "" {
		pm = postmaster(cluster)
	}
	if !alive(leader) || !alive(sleep) || cluster != "" && !alive(pm) {
		t.Fatalf("before the reap: group %v/%v, postmaster %d %v; want all running", alive(leader), alive(sleep), pm, alive(pm))
	}
	_, mySleep := group(t, true)
	stray, _ := group(t, false)
	if cluster != "" {
		c, _, err := pgtest.Launch()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Stop)
	}
	stopped, err := orphans.Reap(tmp, nil)
	t.Logf("reaped %v (err %v)", stopped, err)
	if !testwatch.Gone(leader, 5*time.Second) || !testwatch.Gone(sleep, 5*time.Second) {
		t.Errorf("the killed binary's process group survived: leader %v sleep %v", alive(leader), alive(sleep))
	}
	if _, err := os.Lstat("/run/netns/" + netns); netns != "" && err == nil {
		t.Errorf("the killed binary's namespace %s survived", netns)
	}
	if !alive(mySleep) || !alive(stray.Process.Pid) {
		t.Errorf("the reap killed a live binary's process (%v) or an unmarked one (%v)", alive(mySleep), alive(stray.Process.Pid))
	}
	if cluster == "" {
		t.Skip("PostgreSQL absent (Debian package postgresql; make deps): processes checked, clusters not")
	}
	if _, err := os.Stat(cluster); err == nil || !testwatch.Gone(pm, 5*time.Second) {
		t.Errorf("the killed binary's cluster survived: postmaster %d running %v, directory %s: %v", pm, alive(pm), cluster, err)
	}
	if dirs, _ := filepath.Glob(filepath.Join(tmp, orphans.DirPrefix+"hub-pg-*")); len(dirs) != 1 || !alive(postmaster(dirs[0])) {
		t.Errorf("the reap stopped this live binary's cluster %v", dirs)
	}
}

// TestReapChecksIdentity: a dead owner's marker is not enough. A marked
// process whose start time differs (the pid reused) is not killed; a
// marked directory's pid file naming a process that does not run from
// inside it does not get that process stopped, nor does a marked
// daemon's; a marked namespace whose name is a path is not deleted; a
// directory without the prefix is refused a marker.
func TestReapChecksIdentity(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	tmp := t.TempDir()
	testwatch.Isolate(t)
	sleep := exec.Command("sleep", "60")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleep.Process.Kill(); sleep.Wait() })
	if _, err := orphans.MarkProcess(tmp, sleep.Process.Pid); err != nil {
		t.Fatal(err)
	}
	marks, _ := filepath.Glob(filepath.Join(orphans.MarksDir(tmp), "*"))
	start, _ := orphans.Start(sleep.Process.Pid)
	// the owner dead, the start time another process's
	if len(marks) != 1 || os.WriteFile(marks[0], []byte(fmt.Sprintf("999999999 1 %d %d\n", sleep.Process.Pid, start+1)), 0o644) != nil {
		t.Fatalf("markers %v", marks)
	}
	dir := filepath.Join(tmp, orphans.DirPrefix+"d")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, orphans.OwnerFile), []byte("999999999 1\np.pid\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "p.pid"), []byte(strconv.Itoa(sleep.Process.Pid)+"\n"), 0o644)
	// a daemon marker whose pid file names a process that runs elsewhere;
	// a namespace marker whose name is a path
	elsewhere := filepath.Join(t.TempDir(), "p.pid")
	os.WriteFile(elsewhere, []byte(strconv.Itoa(sleep.Process.Pid)+"\n"), 0o644)
	os.WriteFile(filepath.Join(orphans.MarksDir(tmp), "daemon"), []byte("999999999 1 daemon "+elsewhere+"\n"), 0o600)
	os.WriteFile(filepath.Join(orphans.MarksDir(tmp), "netns"), []byte("999999999 1 netns ../../tmp\n"), 0o600)
	stopped, err := orphans.Reap(tmp, nil)
	if err != nil || len(stopped) != 1 || stopped[0] != "dir "+dir {
		t.Errorf("Reap = %v, %v; want only the directory removed", stopped, err)
	}
	if !alive(sleep.Process.Pid) {
		t.Error("the reap killed a process that was not the marked one")
	}
	if err := orphans.MarkDir(t.TempDir()); err == nil {
		t.Error("MarkDir marked a directory without the prefix")
	}
	if killed, err := orphans.Kill(sleep.Process.Pid, start); !killed || err != nil || !testwatch.Gone(sleep.Process.Pid, 5*time.Second) {
		t.Errorf("Kill of the right process and start time: %v %v", killed, err)
	}
}

func TestStart(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	a, ok := orphans.Start(os.Getpid())
	if b, ok2 := orphans.Start(os.Getpid()); !ok || !ok2 || a != b || a == 0 {
		t.Errorf("own start time %d %v", a, ok)
	}
	if _, ok := orphans.Start(0); ok {
		t.Error("pid 0 is running")
	}
}
