package lab

import (
	"bufio"
	"bytes"
	"context"
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
	"tend/internal/testwatch"
)

// ownerChildEnv makes the test binary the owner that TestReapAfterKill
// kills or TestTimeoutRemovesLab lets time out: "NAME,STATEDIR,OWNERSDIR".
const ownerChildEnv = "TEND_LAB_OWNER_CHILD"

// agentlessLAN is a two-host LAN without SNMP agents: built in a second.
func agentlessLAN(t *testing.T, third byte) *LAN {
	t.Helper()
	lan, err := ParseLAN(strings.NewReader(fmt.Sprintf("cidr 10.79.%d.0/24\nbox 10.79.%[1]d.250 02:00:00:00:00:fa\n"+
		"gw router 00:1b:54:00:00:01 10.79.%[1]d.1 -\npc workstation 00:1b:54:00:00:02 10.79.%[1]d.2 -\n", third)))
	if err != nil {
		t.Fatal(err)
	}
	return lan
}

// TestReapHelperProcess is the owner TestReapAfterKill kills. It does
// nothing in a normal run.
func TestReapHelperProcess(t *testing.T) {
	ownLabAndWait(t, 1)
}

// TestTimeoutHelperProcess is the owner TestTimeoutRemovesLab runs with a
// short -timeout: it registers the removal of its labs with testwatch, as
// this package's TestMain does for the default owners directory, and
// waits past its deadline. It does nothing in a normal run.
func TestTimeoutHelperProcess(t *testing.T) {
	if os.Getenv(ownerChildEnv) != "" {
		_, _, owners := ownerChildArgs()
		testwatch.OnTimeout(func(ctx context.Context) { RemoveOwnedBy(ctx, owners, os.Getpid(), nil) })
	}
	ownLabAndWait(t, 3)
}

func ownerChildArgs() (name, state, owners string) {
	name, dirs, _ := strings.Cut(os.Getenv(ownerChildEnv), ",")
	state, owners, _ = strings.Cut(dirs, ",")
	return name, state, owners
}

// ownLabAndWait, in a child the test started, builds a lab owned by this
// process, starts a long-lived process in it (as a test's dnsmasq would
// be), says so ("up PID") and waits to be killed or to time out.
func ownLabAndWait(t *testing.T, third byte) {
	if os.Getenv(ownerChildEnv) == "" {
		t.Skip("helper of TestReapAfterKill and TestTimeoutRemovesLab")
	}
	name, state, owners := ownerChildArgs()
	st, err := Up(context.Background(), Config{Name: name, StateDir: state, OwnersDir: owners, Owner: os.Getpid()}, agentlessLAN(t, third))
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	cmd := exec.Command("ip", "netns", "exec", st.Devices[0].Netns, "sleep", "600")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // outlives this process, as a daemon would
	if err := cmd.Start(); err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	// "up" only once ip has joined the namespace and exec'd sleep: until
	// then a reap could miss it (it is not yet in the namespace) and it
	// would join a namespace already deleted.
	comm := "/proc/" + strconv.Itoa(cmd.Process.Pid) + "/comm"
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if b, _ := os.ReadFile(comm); string(b) == "sleep\n" {
			break
		}
		if time.Now().After(deadline) {
			fmt.Println("error: ip netns exec did not start sleep")
			os.Exit(1)
		}
	}
	fmt.Println("up", cmd.Process.Pid)
	time.Sleep(10 * time.Minute)
}

// ownerChild is a child test binary running helper (with extra flags)
// as the owner of lab child, once its lab is up and its process in it
// runs; sleeper is that process, stderr the child's.
type ownerChild struct {
	cmd     *exec.Cmd
	out     *bufio.Scanner
	stderr  bytes.Buffer
	sleeper int
}

func startOwnerChild(t *testing.T, helper string, child Config, flags ...string) *ownerChild {
	t.Helper()
	c := &ownerChild{cmd: exec.Command(os.Args[0], append([]string{"-test.run=^" + helper + "$", "-test.v"}, flags...)...)}
	c.cmd.Env = append(os.Environ(), ownerChildEnv+"="+child.Name+","+child.StateDir+","+child.OwnersDir)
	c.cmd.Stderr = &c.stderr
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for c.out = bufio.NewScanner(out); c.out.Scan(); {
		if pid, ok := strings.CutPrefix(c.out.Text(), "up "); ok {
			c.sleeper, _ = strconv.Atoi(pid)
			break
		}
		if strings.HasPrefix(c.out.Text(), "error:") {
			c.cmd.Process.Kill()
			c.cmd.Wait()
			t.Fatal(c.out.Text())
		}
	}
	if c.sleeper == 0 {
		c.cmd.Process.Kill()
		c.cmd.Wait()
		t.Fatalf("the helper did not bring its lab up: %s", c.stderr.String())
	}
	t.Cleanup(func() { syscall.Kill(c.sleeper, syscall.SIGKILL) })
	if len(Leftovers(child.Name)) == 0 || !alive(c.sleeper) {
		t.Fatal("the owner's lab is not up")
	}
	return c
}

// checkRemoved fails t unless lab child, its process sleeper, its state
// and its owner record are all gone.
func checkRemoved(t *testing.T, child Config, sleeper int) {
	t.Helper()
	if left := Leftovers(child.Name); len(left) > 0 {
		t.Errorf("the dead owner's lab is still there: %v", left)
	}
	for deadline := time.Now().Add(3 * time.Second); alive(sleeper) && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(sleeper) + "/stat"); err == nil && !strings.Contains(string(b), ") Z ") {
		t.Errorf("the process in the dead owner's lab (%d) still runs", sleeper)
	}
	for _, p := range []string{filepath.Join(child.StateDir, child.Name), recordPath(child.OwnersDir, child.Name)} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s survived", p)
		}
	}
}

// TestTimeoutRemovesLab: a test binary that hits go test's -timeout
// (which panics past every t.Cleanup) still removes its lab and the
// process in it first, through testwatch, and dies of the timeout.
func TestTimeoutRemovesLab(t *testing.T) {
	needRoot(t, "ip", "sleep")
	child := Config{Name: uniqueName(t), StateDir: agentReadableDir(t), OwnersDir: t.TempDir()}
	t.Cleanup(func() { Down(context.Background(), child) })
	// -test.timeout=60s: testwatch.Margin gives the child's lab up 40 s
	// and its removal 20 s on a loaded box (20 s for the lab's up was too
	// little once in CI, beside the hub's and PostgreSQL's tests).
	begin := time.Now()
	c := startOwnerChild(t, "TestTimeoutHelperProcess", child, "-test.timeout=60s")
	start := time.Now()
	for c.out.Scan() { // until the child exits
	}
	err := c.cmd.Wait()
	t.Logf("the child's lab was up after %v; it ended %v later: %v", start.Sub(begin).Round(time.Millisecond), time.Since(start).Round(time.Millisecond), err)
	if err == nil || !strings.Contains(c.stderr.String(), "panic: test timed out") || !strings.Contains(c.stderr.String(), "testwatch: ") {
		t.Errorf("the child did not time out through testwatch: %v\n%s", err, c.stderr.String())
	}
	checkRemoved(t, child, c.sleeper)
}

// TestReapAfterKill: a lab whose owner dies without Down (SIGKILL here, a
// crash; a -timeout panic is TestTimeoutRemovesLab's) is removed by the
// next Up on the machine: namespaces, the processes in them, its state
// and its owner record. A lab whose owner lives is left alone.
func TestReapAfterKill(t *testing.T) {
	needRoot(t, "ip", "sleep")
	owners := t.TempDir()
	child := Config{Name: uniqueName(t), StateDir: agentReadableDir(t), OwnersDir: owners}
	t.Cleanup(func() { Down(context.Background(), child) })
	c := startOwnerChild(t, "TestReapHelperProcess", child)
	c.cmd.Process.Kill()
	c.cmd.Wait()
	if len(Leftovers(child.Name)) == 0 || !alive(c.sleeper) {
		t.Fatal("the killed owner's lab is already gone: nothing to reap")
	}

	// A live owner's lab (this test's) is not reaped; the dead one's is.
	mine := Config{Name: uniqueName(t), StateDir: agentReadableDir(t), OwnersDir: owners, Owner: os.Getpid()}
	t.Cleanup(func() { Down(context.Background(), mine) })
	if _, err := Up(context.Background(), mine, agentlessLAN(t, 2)); err != nil {
		t.Fatal(err)
	}
	checkRemoved(t, child, c.sleeper)
	if reaped, err := Reap(context.Background(), owners, nil); err != nil || len(reaped) != 0 {
		t.Errorf("a second reap: %v, %v; want nothing to do", reaped, err)
	}
	if len(Leftovers(mine.Name)) == 0 {
		t.Error("the live owner's lab was reaped")
	}
	if err := Down(context.Background(), mine); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(recordPath(owners, mine.Name)); err == nil {
		t.Error("Down left the owner record")
	}
}

// TestReapCommand: `tend lab reap` removes the record and state of a lab
// whose owner is gone (here one that never had namespaces) and leaves a
// live owner's record and anything not written by Up.
func TestReapCommand(t *testing.T) {
	owners, state := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(state, "tgone"), 0o755)
	start, _ := orphans.Start(os.Getpid())
	for name, line := range map[string]string{
		"tgone":    fmt.Sprintf("999999999 1 %s\n", state), // above any pid_max: never running
		"tlive":    fmt.Sprintf("%d %d %s\n", os.Getpid(), start, state),
		"Not-Ours": fmt.Sprintf("999999999 1 %s\n", state),
	} {
		if err := os.WriteFile(filepath.Join(owners, name), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// and, in the temporary directory, a dead test binary's marked
	// directory (internal/orphans), beside a live one's and an unmarked one
	tmp := t.TempDir()
	for dir, marker := range map[string]string{"tend-gone": "999999999 1\n", "tend-live": fmt.Sprintf("%d %d\n", os.Getpid(), start), "tend-unmarked": ""} {
		os.Mkdir(filepath.Join(tmp, dir), 0o755)
		if marker != "" {
			os.WriteFile(filepath.Join(tmp, dir, orphans.OwnerFile), []byte(marker), 0o644)
		}
	}
	var out strings.Builder
	if err := Command(context.Background(), "reap", Config{OwnersDir: owners, TempDir: tmp}, UpRequest{}, false, &out); err != nil {
		t.Fatal(err)
	}
	want := "lab reap: removed 1 labs whose owner is gone [tgone]\n" +
		"lab reap: stopped 1 test processes and directories whose owner is gone [dir " + filepath.Join(tmp, "tend-gone") + "]\n"
	if out.String() != want {
		t.Errorf("reap said %q, want %q", out.String(), want)
	}
	for dir, want := range map[string]bool{"tend-gone": false, "tend-live": true, "tend-unmarked": true} {
		if _, err := os.Stat(filepath.Join(tmp, dir)); (err == nil) != want {
			t.Errorf("directory %s kept: %v, want %v", dir, err == nil, want)
		}
	}
	for name, want := range map[string]bool{"tgone": false, "tlive": true, "Not-Ours": true} {
		if _, err := os.Stat(filepath.Join(owners, name)); (err == nil) != want {
			t.Errorf("record %s kept: %v, want %v", name, err == nil, want)
		}
	}
	if _, err := os.Stat(filepath.Join(state, "tgone")); err == nil {
		t.Error("the dead owner's state survived")
	}
}

// TestStillOwned: Up gives up a lab whose record went (the owner's
// cleanup ran while it built) or whose owner is not the one recorded.
func TestStillOwned(t *testing.T) {
	cfg := Config{Name: "town", OwnersDir: t.TempDir(), StateDir: t.TempDir(), Owner: os.Getpid()}
	if stillOwned(cfg) {
		t.Error("owned without a record")
	}
	if err := recordOwner(cfg); err != nil {
		t.Fatal(err)
	}
	if !stillOwned(cfg) {
		t.Error("not owned with the owner's record")
	}
	if other := (Config{Name: cfg.Name, OwnersDir: cfg.OwnersDir, Owner: os.Getppid()}); stillOwned(other) {
		t.Error("owned by a process the record does not name")
	}
	if !stillOwned(Config{Name: "nobodys", OwnersDir: cfg.OwnersDir}) {
		t.Error("a lab without owner is not owned")
	}
}
