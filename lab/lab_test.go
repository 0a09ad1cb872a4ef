package lab

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/netip"
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

func TestParseBuiltinLANs(t *testing.T) {
	for _, name := range []string{"office", "small"} {
		lan, err := BuiltinLAN(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name == "office" && len(lan.Devices) < 40 {
			t.Errorf("office has %d devices, want at least 40", len(lan.Devices))
		}
		roles := map[string]bool{}
		for _, d := range lan.Devices {
			roles[d.Role] = true
			if d.MAC[0]&0x03 != 0 {
				t.Errorf("%s/%s: MAC %s is multicast or locally administered; want a real vendor prefix", name, d.Name, d.MAC)
			}
		}
		for _, want := range []string{"router", "switch", "printer", "nas", "ups", "server", "workstation"} {
			if !roles[want] {
				t.Errorf("%s lacks a %s", name, want)
			}
		}
	}
	if _, err := BuiltinLAN("nope"); err == nil {
		t.Error("an unknown built-in lan was accepted")
	}
}

func TestParseLANErrors(t *testing.T) {
	head := "cidr 10.9.0.0/24\nbox 10.9.0.250 02:00:00:00:00:fa\n"
	for _, tc := range []struct{ name, text, want string }{
		{"public cidr", "cidr 8.8.8.0/24\n", "private"},
		{"bad mac", head + "a switch zz 10.9.0.2 -\n", "line 3: mac"},
		{"outside", head + "a switch 00:1b:54:00:00:01 10.8.0.2 -\n", "outside"},
		{"dup ip", head + "a switch 00:1b:54:00:00:01 10.9.0.2 -\nb switch 00:1b:54:00:00:02 10.9.0.2 -\n", "repeats"},
		{"bad agent", head + "a switch 00:1b:54:00:00:01 10.9.0.2 ssh\n", "agent"},
		{"no box", "cidr 10.9.0.0/24\n", "box line"},
		{"garbage", head + "what is this\n", "cannot read"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLAN(strings.NewReader(tc.text))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParseLAN error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// uniqueName gives each test run its own lab name, so parallel test
// binaries never share a namespace.
func uniqueName(t *testing.T) string {
	b := make([]byte, 4)
	rand.Read(b)
	return "t" + hex.EncodeToString(b)
}

func needRoot(t *testing.T, tools ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("lab test skipped in -short mode")
	}
	if os.Geteuid() != 0 {
		t.Skip("lab test needs root to make network namespaces (sudo make test)")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("lab test needs %s (make deps)", tool)
		}
	}
}

func TestUpIdempotentDown(t *testing.T) {
	needRoot(t, "ip", "snmpsimd", "snmpd")
	cfg := Config{Name: uniqueName(t), StateDir: agentReadableDir(t), Mirror: true, Owner: os.Getpid()}
	t.Cleanup(func() {
		Down(context.Background(), cfg)
		if left := Leftovers(cfg.Name); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
	})
	lan, err := BuiltinLAN("small")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	start := time.Now()
	st, err := Up(ctx, cfg, lan)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("small lab (%d devices) up in %s", len(st.Devices), time.Since(start))
	for name, ok := range st.Alive() {
		if !ok {
			t.Errorf("agent of %s is not running", name)
		}
	}
	var pids []int
	for _, d := range st.Devices {
		if d.PID != 0 {
			pids = append(pids, d.PID)
		}
	}
	again, err := Up(ctx, cfg, lan)
	if err != nil {
		t.Fatal(err)
	}
	if !again.StartedAt.Equal(st.StartedAt) {
		t.Error("a second Up of the same healthy lab rebuilt it; want a no-op")
	}
	if err := Down(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if left := Leftovers(cfg.Name); len(left) > 0 {
		t.Errorf("Down left %v", left)
	}
	for _, pid := range pids {
		if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); err == nil && !strings.Contains(string(b), ") Z ") {
			t.Errorf("agent process %d still runs after Down", pid)
		}
	}
	if _, err := Load(cfg); err == nil {
		t.Error("state survived Down")
	}
}

// agentReadableDir is a temporary state dir that the agents, which drop to
// user nobody, can read (t.TempDir is private to root).
func agentReadableDir(t *testing.T) string {
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// FuzzParseLAN feeds arbitrary text to the .lan parser: it must return a
// LAN or an error, never panic, and a LAN it accepts must be consistent.
func FuzzParseLAN(f *testing.F) {
	// Small seeds: the engine mutates and minimises them far faster than
	// whole .lan files, and they cover every line kind.
	f.Add("cidr 10.0.0.0/30\nbox 10.0.0.1 02:00:00:00:00:01\nx router 00:1b:54:00:00:01 10.0.0.2 -\n")
	f.Add("# c\ncidr 10.77.0.0/24\nbox  10.77.0.250 02:7e:4e:d0:00:fa\nsw switch 00:1a:1e:10:00:14 10.77.0.10 snmpsim:builtin/switch # x\nsrv server 0c:c4:7a:10:00:48 10.77.0.72 snmpd\n")
	f.Fuzz(func(t *testing.T, text string) {
		lan, err := ParseLAN(strings.NewReader(text))
		if err != nil {
			return
		}
		for _, d := range lan.Devices {
			if !lan.CIDR.Contains(d.IP) || d.IP == lan.BoxIP || len(d.MAC) != 6 {
				t.Errorf("accepted an inconsistent device %+v in %s", d, lan.CIDR)
			}
		}
	})
}

// TestInNetnsLeavesNoThreadBehind: after InNetns, no thread of this process
// is left in the namespace (else Down would kill the caller).
func TestInNetnsLeavesNoThreadBehind(t *testing.T) {
	needRoot(t, "ip")
	ns := "tl-" + uniqueName(t) + "-x"
	t.Cleanup(testwatch.AdoptNetns(ns)) // marked first: a kill between add and del leaves nothing for long
	if err := run(context.Background(), "ip", "netns", "add", ns); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { run(context.Background(), "ip", "netns", "del", ns) })
	for range 50 {
		if err := InNetns(ns, func() error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	var want syscall.Stat_t
	if err := syscall.Stat(filepath.Join("/run/netns", ns), &want); err != nil {
		t.Fatal(err)
	}
	tasks, _ := os.ReadDir("/proc/self/task")
	for _, task := range tasks {
		var st syscall.Stat_t
		if syscall.Stat(filepath.Join("/proc/self/task", task.Name(), "ns/net"), &st) == nil && st.Ino == want.Ino {
			t.Errorf("thread %s is still in %s", task.Name(), ns)
		}
	}
}

func TestGenerateLAN(t *testing.T) {
	lan, err := BuiltinLAN("huge")
	if err != nil {
		t.Fatal(err)
	}
	if len(lan.Devices) != HugeHosts || lan.CIDR.String() != "10.78.0.0/22" {
		t.Fatalf("huge lan: %d devices on %s", len(lan.Devices), lan.CIDR)
	}
	names, ips, macs := map[string]bool{}, map[netip.Addr]bool{}, map[string]bool{}
	for _, d := range lan.Devices {
		if !nameRE.MatchString(d.Name) || !lan.CIDR.Contains(d.IP) || d.IP == lan.BoxIP || d.IP == lan.CIDR.Addr() {
			t.Fatalf("bad device %+v (box %s)", d, lan.BoxIP)
		}
		if names[d.Name] || ips[d.IP] || macs[d.MAC.String()] {
			t.Fatalf("duplicate in %+v", d)
		}
		names[d.Name], ips[d.IP], macs[d.MAC.String()] = true, true, true
	}
	if lan.BoxIP.String() != "10.78.3.254" || lan.Devices[0].Role != "router" || lan.Devices[999].IP.String() != "10.78.3.232" {
		t.Errorf("box %s, first %+v, last %s", lan.BoxIP, lan.Devices[0], lan.Devices[999].IP)
	}
	if _, err := GenerateLAN(netip.MustParsePrefix("10.1.2.0/24"), 254); err == nil {
		t.Error("254 hosts and a box fit no /24, yet GenerateLAN made them")
	}
	if _, err := GenerateLAN(netip.MustParsePrefix("8.8.8.0/24"), 10); err == nil {
		t.Error("GenerateLAN accepted a public prefix")
	}
}
