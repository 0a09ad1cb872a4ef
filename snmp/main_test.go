package snmp

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tend/internal/orphans"
	"tend/internal/testwatch"
)

// TestMain stops the agents the tests start (snmpsimd, snmpd: adopted,
// testwatch.Adopt) shortly before go test's -timeout, whose panic skips
// every t.Cleanup; `tend lab reap` stops those of a binary killed outright.
func TestMain(m *testing.M) { os.Exit(testwatch.Main(m)) }

// killChildEnv makes TestHelperKilled run.
const killChildEnv = "TEND_SNMP_KILL_CHILD"

// TestHelperKilled is the child TestReapAfterKill SIGKILLs: it starts
// snmpsimd and snmpd as the lab tests do, says their pids ("agent PID")
// and waits. It does nothing in a normal run.
func TestHelperKilled(t *testing.T) {
	if os.Getenv(killChildEnv) == "" {
		t.Skip("helper of TestReapAfterKill")
	}
	startSnmpsim(t, readRecording(t, "printer.snmprec"))
	startSnmpd(t, "rocommunity public 127.0.0.1\n", Config{Versions: []Version{V2c}})
	for _, pid := range childrenOf(os.Getpid()) {
		fmt.Printf("agent %d\n", pid)
	}
	fmt.Println("ready")
	time.Sleep(10 * time.Minute)
}

// childrenOf lists the processes whose parent is pid (from /proc).
func childrenOf(pid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var kids []int
	for _, path := range stats {
		b, _ := os.ReadFile(path)
		// "pid (comm) state ppid …": comm may hold spaces and parentheses.
		if i := strings.LastIndexByte(string(b), ')'); i >= 0 {
			if f := strings.Fields(string(b[i+1:])); len(f) > 1 && f[1] == strconv.Itoa(pid) {
				kid, _ := strconv.Atoi(filepath.Base(filepath.Dir(path)))
				kids = append(kids, kid)
			}
		}
	}
	return kids
}

// TestReapAfterKill: `go test ./snmp` killed outright (CI's job timeout,
// the OOM killer) runs no cleanup: its agents run on and their
// directories stay. The reap (tend lab reap) stops the agents and removes
// their directories: nothing is left in the binary's $TMPDIR.
func TestReapAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts snmpsimd and snmpd in a child test binary")
	}
	tmp := testwatch.Isolate(t) // mode 0755: snmpsimd reads its recordings as nobody
	var agents []int
	said := testwatch.KillChild(t, "TestHelperKilled", killChildEnv+"=1", "TMPDIR="+tmp)
	for _, line := range said {
		if pid, ok := strings.CutPrefix(line, "agent "); ok {
			n, _ := strconv.Atoi(pid)
			agents = append(agents, n)
			t.Cleanup(func() { syscall.Kill(-n, syscall.SIGKILL) }) // should the reap not: this test's own
		}
	}
	if len(agents) != 2 {
		t.Skipf("the child did not start both agents (%v): root, snmpsimd and snmpd needed\n%s", agents, strings.Join(said, "\n"))
	}
	stopped, err := orphans.Reap(tmp, nil)
	t.Logf("reaped %v (err %v)", stopped, err)
	for _, pid := range agents {
		if !testwatch.Gone(pid, 5*time.Second) {
			t.Errorf("the killed binary's agent %d survived the reap", pid)
		}
	}
	left, _ := filepath.Glob(filepath.Join(tmp, "*"))
	if len(left) != 2 || !slices.Contains(left, filepath.Join(tmp, orphans.OwnerFile)) || !slices.Contains(left, orphans.MarksIn(tmp)) {
		t.Errorf("the killed binary left %v in its $TMPDIR (Isolate's: only its marker and marker directory are this test's)", left)
	}
}
