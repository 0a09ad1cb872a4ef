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

	"tend/internal/testwatch"
)

const childEnv = "TEND_PGTEST_CHILD"

func TestMain(m *testing.M) { os.Exit(testwatch.Main(m)) }

// TestHelperTimesOut is the child TestTimeoutStopsCluster runs with a
// short -timeout: it launches a cluster, says where ("up DIR") and waits
// past its deadline. It does nothing in a normal run.
func TestHelperTimesOut(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("helper of TestTimeoutStopsCluster")
	}
	c, skip, err := Launch()
	if c == nil {
		t.Fatal(skip, err)
	}
	os.Stdout.WriteString("up " + c.dir + "\n")
	time.Sleep(time.Minute)
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
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperTimesOut$", "-test.timeout=40s")
	cmd.Env = append(os.Environ(), childEnv+"=1")
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
			b, _ := os.ReadFile(filepath.Join(dir, "data", "postmaster.pid"))
			postmaster, _ = strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
			break
		}
	}
	for sc.Scan() { // until the child exits
	}
	if err := cmd.Wait(); err == nil || postmaster == 0 {
		t.Fatalf("the child: %v, postmaster %d; want a timeout with a cluster up", err, postmaster)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("the cluster's directory %s survived", dir)
	}
	// Stopped, it may stay a zombie a moment until init reaps it.
	running := func() bool {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(postmaster) + "/stat")
		return err == nil && !strings.Contains(string(b), ") Z ")
	}
	for deadline := time.Now().Add(3 * time.Second); running() && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if running() {
		t.Errorf("the cluster's postmaster (%d) still runs", postmaster)
		syscall.Kill(postmaster, syscall.SIGQUIT)
	}
}
