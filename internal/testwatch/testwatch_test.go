package testwatch

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tend/internal/orphans"
)

// childEnv names the file TestHelperTimesOut's cleanup writes.
const childEnv = "TEND_TESTWATCH_CHILD"

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// TestHelperTimesOut is the child TestTimeoutRunsCleanups runs with a
// short -timeout: one cleanup writes a file, one is cancelled before the
// deadline and must not run, and an adopted process ("adopted PID" on
// stdout) is killed. It does nothing in a normal run.
func TestHelperTimesOut(t *testing.T) {
	path := os.Getenv(childEnv)
	if path == "" {
		t.Skip("helper of TestTimeoutRunsCleanups")
	}
	OnTimeout(func(ctx context.Context) { os.WriteFile(path, []byte("cleaned"), 0o600) })
	OnTimeout(func(ctx context.Context) { os.WriteFile(path+".cancelled", nil, 0o600) })()
	sleep := exec.Command("sleep", "600")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	Adopt(sleep.Process)
	fmt.Printf("adopted %d\n", sleep.Process.Pid)
	time.Sleep(time.Minute)
}

func TestTimeoutRunsCleanups(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for a child's 4 s timeout")
	}
	path := filepath.Join(t.TempDir(), "cleaned")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperTimesOut$", "-test.timeout=4s")
	cmd.Env = append(os.Environ(), childEnv+"="+path, "TMPDIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "panic: test timed out") || !strings.Contains(string(out), "testwatch: 2s before -test.timeout 4s: running 2 cleanups") {
		t.Errorf("the child did not time out through testwatch: %v\n%s", err, out)
	}
	var adopted int
	if _, after, ok := strings.Cut(string(out), "adopted "); ok {
		fmt.Sscan(after, &adopted)
	}
	if adopted == 0 || !Gone(adopted, 3*time.Second) {
		t.Errorf("the adopted process %d survived the timeout", adopted)
		syscall.Kill(adopted, syscall.SIGKILL)
	}
	if b, err := os.ReadFile(path); string(b) != "cleaned" {
		t.Errorf("the cleanup did not run: %q %v", b, err)
	}
	if _, err := os.Stat(path + ".cancelled"); err == nil {
		t.Error("a cancelled cleanup ran")
	}
}

func TestMargin(t *testing.T) {
	for d, want := range map[time.Duration]time.Duration{
		2 * time.Second: time.Second, 30 * time.Second: 15 * time.Second, 40 * time.Second: 20 * time.Second,
		80 * time.Second: 20 * time.Second, 100 * time.Second: 25 * time.Second,
		2 * time.Minute: 30 * time.Second, 4 * time.Minute: time.Minute, 18 * time.Minute: time.Minute,
	} {
		if got := Margin(d); got != want {
			t.Errorf("Margin(%v) = %v, want %v", d, got, want)
		}
	}
}

// marksChildEnv tells TestHelperMarks to run.
const marksChildEnv = "TEND_TESTWATCH_MARKS_CHILD"

// TestHelperMarks is the child TestMarksEnvTrusted runs: it marks itself
// (orphans.MarkProcess), says how many markers MarksEnv's directory then
// holds ("marks N") and removes its marker. It does nothing in a normal run.
func TestHelperMarks(t *testing.T) {
	if os.Getenv(marksChildEnv) == "" {
		t.Skip("helper of TestMarksEnvTrusted")
	}
	unmark, err := orphans.MarkProcess(os.TempDir(), os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	defer unmark()
	ents, _ := os.ReadDir(os.Getenv(MarksEnv))
	fmt.Printf("marks %d\n", len(ents))
}

// TestMarksEnvTrusted: a test binary run as root takes MarksEnv's marker
// directory only where Isolate puts it, in a directory of root's that no
// one else may write to; one in a directory anyone may write to (where
// another user could swap it) is ignored, with a line on stderr.
func TestMarksEnvTrusted(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("MarksEnv is a root run's")
	}
	for mode, want := range map[os.FileMode]string{0o755: "marks 1", 0o777: "marks 0"} {
		parent := t.TempDir()
		if err := os.Chmod(parent, mode); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperMarks$", "-test.v")
		cmd.Env = append(os.Environ(), marksChildEnv+"=1", MarksEnv+"="+filepath.Join(parent, "marks"))
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("parent mode %v: %v, want %q\n%s", mode, err, want, out)
		}
	}
}
