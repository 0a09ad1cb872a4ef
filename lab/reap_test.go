package lab

import (
	"bufio"
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
)

// reapChildEnv makes the test binary the killed owner of TestReapAfterKill.
const reapChildEnv = "TEND_LAB_REAP_CHILD"

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

// TestReapHelperProcess is the owner TestReapAfterKill kills: it builds a
// lab, starts a long-lived process in it (as a test's dnsmasq would be),
// says so and waits to be killed. It does nothing in a normal run.
func TestReapHelperProcess(t *testing.T) {
	arg := os.Getenv(reapChildEnv)
	if arg == "" {
		t.Skip("helper of TestReapAfterKill")
	}
	name, dirs, _ := strings.Cut(arg, ",")
	state, owners, _ := strings.Cut(dirs, ",")
	st, err := Up(context.Background(), Config{Name: name, StateDir: state, OwnersDir: owners, Owner: os.Getpid()}, agentlessLAN(t, 1))
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

// TestReapAfterKill: a lab whose owner dies without Down (SIGKILL here, a
// -timeout panic in go test) is removed by the next Up on the machine:
// namespaces, the processes in them, its state and its owner record. A
// lab whose owner lives is left alone.
func TestReapAfterKill(t *testing.T) {
	needRoot(t, "ip", "sleep")
	owners := t.TempDir()
	child := Config{Name: uniqueName(t), StateDir: agentReadableDir(t), OwnersDir: owners}
	t.Cleanup(func() { Down(context.Background(), child) })
	cmd := exec.Command(os.Args[0], "-test.run=^TestReapHelperProcess$", "-test.v")
	cmd.Env = append(os.Environ(), reapChildEnv+"="+child.Name+","+child.StateDir+","+owners)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var sleeper int
	for sc := bufio.NewScanner(out); sc.Scan(); {
		if pid, ok := strings.CutPrefix(sc.Text(), "up "); ok {
			sleeper, _ = strconv.Atoi(pid)
			break
		}
		if strings.HasPrefix(sc.Text(), "error:") {
			t.Fatal(sc.Text())
		}
	}
	if sleeper == 0 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the helper did not bring its lab up")
	}
	t.Cleanup(func() { syscall.Kill(sleeper, syscall.SIGKILL) })
	cmd.Process.Kill()
	cmd.Wait()
	if len(Leftovers(child.Name)) == 0 || !alive(sleeper) {
		t.Fatal("the killed owner's lab is already gone: nothing to reap")
	}

	// A live owner's lab (this test's) is not reaped; the dead one's is.
	mine := Config{Name: uniqueName(t), StateDir: agentReadableDir(t), OwnersDir: owners, Owner: os.Getpid()}
	t.Cleanup(func() { Down(context.Background(), mine) })
	if _, err := Up(context.Background(), mine, agentlessLAN(t, 2)); err != nil {
		t.Fatal(err)
	}
	if left := Leftovers(child.Name); len(left) > 0 {
		t.Errorf("the next Up left the dead owner's lab: %v", left)
	}
	for deadline := time.Now().Add(3 * time.Second); alive(sleeper) && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(sleeper) + "/stat"); err == nil && !strings.Contains(string(b), ") Z ") {
		t.Errorf("the process in the dead owner's lab (%d) still runs", sleeper)
	}
	for _, p := range []string{filepath.Join(child.StateDir, child.Name), recordPath(owners, child.Name)} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s survived the reap", p)
		}
	}
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

func TestProcessStart(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	a, ok := processStart(os.Getpid())
	if b, ok2 := processStart(os.Getpid()); !ok || !ok2 || a != b || a == 0 {
		t.Errorf("own start time %d %v", a, ok)
	}
	if _, ok := processStart(0); ok {
		t.Error("pid 0 is running")
	}
}
