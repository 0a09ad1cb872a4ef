package pgtest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tend/internal/orphans"
	"tend/internal/testwatch"
)

const childEnv = "TEND_PGTEST_CHILD"

func TestMain(m *testing.M) { os.Exit(testwatch.Main(m)) }

// TestHelperTimesOut is the child TestTimeoutStopsCluster runs with a
// short -timeout: it launches a cluster, says where ("up DIR") and waits
// past its deadline (should it return first, the binary would exit in the
// middle of testwatch's cleanups). It does nothing in a normal run.
func TestHelperTimesOut(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("helper of TestTimeoutStopsCluster")
	}
	c, skip, err := Launch()
	if c == nil {
		t.Fatal(skip, err)
	}
	os.Stdout.WriteString("up " + c.dir + "\n")
	time.Sleep(10 * time.Minute)
}

// TestTimeoutStopsCluster: a test binary that hits go test's -timeout
// with a cluster running stops it and removes its files first.
func TestTimeoutStopsCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and waits for a child's timeout")
	}
	if bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(bins) == 0 {
		t.Skip("PostgreSQL binaries absent (make deps)")
	}
	// -test.timeout=4m: testwatch (Margin) then has a minute to stop the
	// cluster and remove it, and the child 3 minutes to launch it (at a
	// load of 20 on two cores, a launch took over 60 s and a stop and
	// removal over 18 s; at 28 to 49, beside a disk image's build, an
	// initdb alone took 76 s and a stop and removal over 27 s).
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperTimesOut$", "-test.timeout=4m")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	var stderr strings.Builder // testwatch says there what it ran and whether it ran out of time
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var dir string
	var postmaster int
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "up "); ok {
			dir = d
			postmaster = postmasterOf(filepath.Join(dir, "data"))
			break
		}
	}
	for sc.Scan() { // until the child exits
	}
	err = cmd.Wait()
	if err == nil || postmaster == 0 {
		t.Fatalf("the child: %v, postmaster %d; want a timeout with a cluster up\n%s", err, postmaster, stderr.String())
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("the cluster's directory %s survived", dir)
	}
	if !testwatch.Gone(postmaster, 3*time.Second) {
		t.Errorf("the cluster's postmaster (%d) still runs", postmaster)
		syscall.Kill(postmaster, syscall.SIGQUIT)
	}
	if strings.Contains(stderr.String(), "DATA RACE") { // the cleanup runs on testwatch's goroutine
		t.Error("the race detector reported a race in the child's timeout")
	}
	if t.Failed() {
		t.Logf("the child (%v) said on stderr:\n%s", err, stderr.String())
	}
}

// keepEnv hands TestHelperKeptKilled the directory to keep its cluster in.
const keepEnv = "TEND_PGTEST_KEEP"

// TestHelperKeptKilled is the child TestKeptClusterAfterKill SIGKILLs: it
// launches a kept cluster, says so ("ready") and waits. It does nothing in
// a normal run.
func TestHelperKeptKilled(t *testing.T) {
	dir := os.Getenv(keepEnv)
	if dir == "" {
		t.Skip("helper of TestKeptClusterAfterKill")
	}
	if c, skip, err := LaunchIn(dir); c == nil {
		t.Fatal(skip, err)
	}
	os.Stdout.WriteString("ready\n")
	time.Sleep(10 * time.Minute)
}

// TestKeptClusterAfterKill: a binary killed outright with a kept cluster
// (make bench-hub PGDIR=…) up leaves its postmaster running; the reap
// shuts it down and removes none of its files, and the next LaunchIn of
// the directory starts the same data again.
func TestKeptClusterAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL in a child test binary")
	}
	if bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(bins) == 0 {
		t.Skip("PostgreSQL binaries absent (make deps)")
	}
	base := testwatch.Isolate(t)
	// The child's $TMPDIR, the one reaped: the kept directory in it, even
	// named as a marked one is, stays.
	keep := filepath.Join(base, orphans.DirPrefix+"kept")
	testwatch.KillChild(t, "TestHelperKeptKilled", keepEnv+"="+keep, "TMPDIR="+base)
	pm := postmasterOf(filepath.Join(keep, "data"))
	t.Cleanup(func() { syscall.Kill(pm, syscall.SIGQUIT) }) // should the reap not
	if _, ok := orphans.Start(pm); pm == 0 || !ok {
		t.Fatalf("the killed child's kept postmaster %d does not run", pm)
	}
	stopped, err := orphans.Reap(base, nil)
	t.Logf("reaped %v (err %v)", stopped, err)
	if !testwatch.Gone(pm, 15*time.Second) {
		t.Errorf("the reap left the kept postmaster %d running", pm)
	}
	if _, err := os.Stat(filepath.Join(keep, "data", "PG_VERSION")); err != nil {
		t.Fatalf("the reap removed the kept cluster's files: %v", err)
	}
	c, _, err := LaunchIn(keep)
	if err != nil {
		t.Fatalf("the kept cluster does not start again: %v", err)
	}
	c.Stop()
}

// TestKeptClusterLiveRunAfterKill: a binary killed outright with a kept
// cluster up leaves its postmaster and its daemon marker; the user stops
// that postmaster by hand and a new, live run launches the same kept
// directory. The reap that follows leaves the live run's postmaster alone.
func TestKeptClusterLiveRunAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL in a child test binary")
	}
	if bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb"); len(bins) == 0 {
		t.Skip("PostgreSQL binaries absent (make deps)")
	}
	base := testwatch.Isolate(t)
	keep := filepath.Join(base, "kept")
	testwatch.KillChild(t, "TestHelperKeptKilled", keepEnv+"="+keep, "TMPDIR="+base)
	pm := postmasterOf(filepath.Join(keep, "data"))
	syscall.Kill(pm, syscall.SIGINT) // by hand: pg_ctl stop -m fast
	if pm == 0 || !testwatch.Gone(pm, 15*time.Second) {
		t.Fatalf("the killed child's kept postmaster %d did not stop", pm)
	}
	c, _, err := LaunchIn(keep)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	live := postmasterOf(filepath.Join(keep, "data"))
	stopped, err := orphans.Reap(base, nil)
	t.Logf("reaped %v (err %v)", stopped, err)
	if testwatch.Gone(live, time.Second) {
		t.Errorf("the reap stopped the live run's kept postmaster %d", live)
	}
}

// postmasterOf is the pid a data directory's postmaster.pid names.
func postmasterOf(data string) int {
	b, _ := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	pid, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	return pid
}
