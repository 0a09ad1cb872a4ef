// Package testwatch runs a test binary's emergency cleanups before go
// test's -timeout ends it. The timeout panics in a goroutine of its own:
// t.Cleanup, deferred calls and TestMain's code after m.Run never run, so
// a lab test that hits it leaves its namespaces, the processes in them and
// its private PostgreSQL cluster behind. Main arms a timer a little before
// the deadline (Margin); when it fires it runs every cleanup registered
// with OnTimeout and panics as the timeout would have, with every
// goroutine's stack. Adopt adds a daemon a test starts on the host to
// those cleanups and marks it (internal/orphans), so that `tend lab reap`
// kills it should the binary be killed outright; AdoptNetns does the same
// for a network namespace, and TempDir makes a directory the reap removes
// (t.TempDir's stay after a kill). Isolate gives a test that kills a
// child binary and reaps after it marks of its own. Test helper only
// (standard library and internal/orphans; no product code imports it).
package testwatch

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sync"
	"syscall"
	"testing"
	"time"

	"tend/internal/orphans"
)

// cleanups is the binary's one registry: a test binary has one deadline.
var cleanups struct {
	mu   sync.Mutex
	next int
	fns  map[int]func(context.Context)
}

// OnTimeout registers f to run when the binary nears its -timeout (only
// in a binary whose TestMain runs Main); f must respect ctx, which ends
// before the real deadline. The returned function unregisters f: call it
// once what f removes is gone.
func OnTimeout(f func(ctx context.Context)) (cancel func()) {
	cleanups.mu.Lock()
	defer cleanups.mu.Unlock()
	if cleanups.fns == nil {
		cleanups.fns = map[int]func(context.Context){}
	}
	id := cleanups.next
	cleanups.next++
	cleanups.fns[id] = f
	return func() {
		cleanups.mu.Lock()
		delete(cleanups.fns, id)
		cleanups.mu.Unlock()
	}
}

// Adopt makes process p (a daemon a test started on the host, not in a
// lab's namespace) this binary's: killed with the other cleanups before
// the -timeout, and marked in os.TempDir() (orphans.MarkProcess) so that
// `tend lab reap` kills it once this binary is gone, however it ended.
// Its process group goes too when it leads one (SysProcAttr.Setpgid).
// Call release once the test has stopped the process.
func Adopt(p *os.Process) (release func()) {
	start, _ := orphans.Start(p.Pid)
	unwatch := OnTimeout(func(context.Context) { orphans.Kill(p.Pid, start) })
	unmark, err := orphans.MarkProcess(os.TempDir(), p.Pid)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testwatch: %v: a kill of this binary would leave process %d\n", err, p.Pid)
		unmark = func() {}
	}
	return func() { unwatch(); unmark() }
}

// AdoptNetns makes network namespace name (one a test made with ip netns
// add) this binary's, as Adopt makes a process: deleted with the other
// cleanups before the -timeout, and marked (orphans.MarkNetns) so that
// `tend lab reap` deletes it once this binary is gone, however it ended.
// Call release once the test has deleted it.
func AdoptNetns(name string) (release func()) {
	unwatch := OnTimeout(func(ctx context.Context) { exec.CommandContext(ctx, "ip", "netns", "del", name).Run() })
	unmark, err := orphans.MarkNetns(os.TempDir(), name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testwatch: %v: a kill of this binary would leave namespace %s\n", err, name)
		unmark = func() {}
	}
	return func() { unwatch(); unmark() }
}

// TempDir makes a directory named PREFIX-… for the test in os.TempDir()
// (mode 0700), marked as this binary's (orphans.MarkDir) so that `tend lab
// reap` removes it should the binary be killed outright, which leaves
// t.TempDir's behind; it is removed when the test ends.
func TempDir(t testing.TB, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", orphans.DirPrefix+prefix+"-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := orphans.MarkDir(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// MarksEnv hands the test binaries a test runs its root marker directory
// (Isolate): Main makes it theirs.
const MarksEnv = "TEND_TEST_OWNED_DIR"

// Isolate gives the test, and the test binaries it runs (whose TestMain
// runs Main), a marker directory of their own for a run as root, instead
// of the machine's /run/tend-test-owned, which every test binary on the
// machine shares: a test that kills a child and reaps after it reaps
// only its own children's leftovers. It returns the directory to give
// the children as $TMPDIR (mode 0755: a cluster runs as nobody under
// root): a TempDir (tend-isolate-…) that holds the marker directory
// (orphans.MarksIn), so that should the test binary be killed with its
// children, `tend lab reap` finds what they left inside it. Not for
// parallel tests (t.Setenv).
func Isolate(t *testing.T) string {
	t.Helper()
	dir := TempDir(t, "isolate")
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	marks := orphans.MarksIn(dir)
	t.Setenv(MarksEnv, marks)
	t.Cleanup(orphans.UseRootMarks(marks))
	return dir
}

// marksFromEnv is the marker directory MarksEnv names, when it is one
// Isolate made: its parent a directory (no symlink) of this user's that
// no one else may write to, where no one else can put or swap a marker
// directory. Any other is ignored, with a line on stderr: "" then.
func marksFromEnv() string {
	dir := os.Getenv(MarksEnv)
	if dir == "" {
		return ""
	}
	if fi, err := os.Lstat(filepath.Dir(dir)); err == nil && fi.IsDir() && fi.Mode().Perm()&0o022 == 0 {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) == os.Geteuid() {
			return dir
		}
	}
	fmt.Fprintf(os.Stderr, "testwatch: %s=%s ignored: its parent is not a directory of uid %d's that only it may write to\n", MarksEnv, dir, os.Geteuid())
	return ""
}

// minMargin is the least time the cleanups get before a -timeout: what
// they do (stop a cluster and remove its files, delete a lab's
// namespaces) takes about as long whatever the -timeout, and several
// times its idle figure on a loaded box (a cluster's stop and removal ran
// past 9 s at nice 10 in CI).
const minMargin = 20 * time.Second

// maxMargin is the most time the cleanups get: a 48-namespace lab goes
// down in a few seconds, but a PostgreSQL cluster's stop and removal
// (about 1,000 files) took over 27 s at a load of 28 on two cores beside
// a disk image's build (pgtest's TestTimeoutStopsCluster failed so, twice
// in a row, with a 30 s cap).
const maxMargin = time.Minute

// Margin is how long before a -timeout of d the cleanups start: a quarter
// of it, but at least minMargin as long as that leaves the tests half of
// d (a child test binary run with a short -timeout to time out on
// purpose), and at most maxMargin.
func Margin(d time.Duration) time.Duration {
	return min(max(d/4, min(minMargin, d/2)), maxMargin)
}

// Main runs m (TestMain: os.Exit(testwatch.Main(m))), with the marker
// directory its parent test gave it (Isolate) when it has one. With a -timeout
// set, Margin before it the registered cleanups run and the binary panics
// ("test timed out"), as it would have a moment later without them.
func Main(m *testing.M) int {
	if dir := marksFromEnv(); dir != "" {
		orphans.UseRootMarks(dir)
	}
	flag.Parse()
	if f := flag.Lookup("test.timeout"); f != nil {
		if d, _ := f.Value.(flag.Getter).Get().(time.Duration); d > 0 {
			timer := time.AfterFunc(d-Margin(d), func() { fire(d) })
			defer timer.Stop()
		}
	}
	return m.Run()
}

// fire runs every registered cleanup at once, waits for them (or for the
// margin to run out) and panics.
func fire(d time.Duration) {
	cleanups.mu.Lock()
	fns := make([]func(context.Context), 0, len(cleanups.fns))
	for _, f := range cleanups.fns {
		fns = append(fns, f)
	}
	cleanups.mu.Unlock()
	margin := Margin(d)
	fmt.Fprintf(os.Stderr, "testwatch: %v before -test.timeout %v: running %d cleanups\n", margin, d, len(fns))
	ctx, cancel := context.WithTimeout(context.Background(), margin*9/10)
	defer cancel()
	var wg sync.WaitGroup
	for _, f := range fns {
		wg.Add(1)
		go func() { defer wg.Done(); f(ctx) }()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		fmt.Fprintln(os.Stderr, "testwatch: cleanups still running at the margin's end")
	}
	debug.SetTraceback("all")
	panic(fmt.Sprintf("test timed out after %v (testwatch: %v early, after its cleanups)", d-margin, margin))
}

// KillChild runs this test binary's helper test name (one that does
// nothing unless env says it is the child) with env added and a 5 min
// -timeout, reads what it prints until a line "ready" (or its end),
// SIGKILLs it as CI's job timeout or the OOM killer would, and returns
// the lines it printed before "ready".
func KillChild(t testing.TB, name string, env ...string) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var said []string
	for sc := bufio.NewScanner(out); sc.Scan() && sc.Text() != "ready"; {
		said = append(said, sc.Text())
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	return said
}

// Gone waits up to d for process pid to end and says whether it has (a
// killed process stays a zombie until its new parent reaps it: that
// counts as ended).
func Gone(pid int, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, ok := orphans.Start(pid); !ok {
			return true
		}
	}
	_, ok := orphans.Start(pid)
	return !ok
}
