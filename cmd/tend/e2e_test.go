package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"tend/inventory"
	"tend/lab"
)

// ouiOwners is the IEEE registry's organisation for every prefix the
// built-in LANs use, copied from ../shared/corpus/macvendor by hand so that
// the test does not check the registry against itself.
var ouiOwners = map[string]string{
	"00:00:0c": "Cisco Systems, Inc", "00:00:f0": "Samsung Electronics Co.,Ltd", "00:03:93": "Apple, Inc.",
	"00:05:85": "Juniper Networks", "00:06:1b": "Notebook Development Lab. Lenovo Japan Ltd.", "00:08:74": "Dell Inc.",
	"00:08:a2": "ADI Engineering, Inc.", "00:09:0f": "Fortinet, Inc.", "00:0a:eb": "TP-LINK TECHNOLOGIES CO.,LTD.",
	"00:0b:82": "Grandstream Networks, Inc.", "00:0b:86": "Hewlett Packard Enterprise", "00:0c:c1": "Eaton Corporation",
	"00:11:32": "Synology Incorporated", "00:13:49": "Zyxel Communications Corporation", "00:13:92": "Ruckus Wireless",
	"00:14:38": "Hewlett Packard Enterprise", "00:14:6c": "NETGEAR", "00:17:c5": "SonicWALL",
	"00:1a:1e": "Hewlett Packard Enterprise", "00:1b:54": "Cisco Systems, Inc", "00:1d:aa": "DrayTek Corp.",
	"00:1e:8f": "CANON INC.", "00:22:94": "KYOCERA CORPORATION", "00:25:90": "Super Micro Computer, Inc.",
	"00:26:73": "RICOH COMPANY,LTD.", "00:27:22": "Ubiquiti Inc", "00:30:48": "Super Micro Computer, Inc.",
	"00:8a:96": "Cisco Systems, Inc", "00:90:7f": "WatchGuard Technologies, Inc.", "00:ad:24": "D-Link International",
	"00:c0:b7": "AMERICAN POWER CONVERSION CORP", "08:55:31": "Routerboard.com", "0c:c4:7a": "Super Micro Computer, Inc.",
	"18:fb:7b": "Dell Inc.", "24:5e:be": "QNAP Systems, Inc.", "3c:2a:f4": "Brother Industries, LTD.",
	"3c:ef:8c": "Zhejiang Dahua Technology Co., Ltd.", "4c:5e:0c": "Routerboard.com", "5c:8a:38": "Hewlett Packard",
	"64:16:7f": "Polycom", "70:4c:a5": "Fortinet, Inc.", "74:83:c2": "Ubiquiti Inc", "94:b8:6d": "Intel Corporate",
	"ac:cc:8e": "Axis Communications AB", "fc:3f:db": "Hewlett Packard",
}

// tendBinary is the binary under test: $TEND_BIN (make test builds it
// static), or one built here.
func tendBinary(t *testing.T) string {
	t.Helper()
	if b := os.Getenv("TEND_BIN"); b != "" {
		return b
	}
	out := filepath.Join(t.TempDir(), "tend")
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build tend: %v\n%s", err, b)
	}
	return out
}

func needLabTools(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("lab test skipped in -short mode")
	}
	if os.Geteuid() != 0 {
		t.Skip("lab test needs root to make network namespaces (sudo make test)")
	}
	for _, tool := range []string{"ip", "snmpsimd", "snmpd"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("lab test needs %s (make deps)", tool)
		}
	}
}

// tendLimit is how long runTend lets one tend command run: lab up of the
// office lab waits its turn (holdLabUp) before the clock starts, and
// took over 2 minutes on two cores loaded by the rest of the suite.
const tendLimit = 3 * time.Minute

// runTend runs tend (in network namespace netns unless "") and returns
// what it printed. At tendLimit tend gets SIGQUIT, on which the Go
// runtime prints every goroutine's stack to stderr and exits: a test that
// fails so shows where tend was stuck (a SIGKILL left stderr empty).
func runTend(t *testing.T, bin string, netns string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runTendFor(t, tendLimit, bin, netns, args...)
}

// runTendFor is runTend with limit instead of tendLimit.
func runTendFor(t *testing.T, limit time.Duration, bin string, netns string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	if netns != "" {
		args = append([]string{"netns", "exec", netns, bin}, args...) // ip execs tend: the signal reaches it
		bin = "ip"
	}
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var o, e bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &o, &e
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGQUIT) }
	cmd.WaitDelay = 10 * time.Second // then SIGKILL, and no more waiting on pipes its children hold
	err = cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("stopped by SIGQUIT after %v (its goroutines are on stderr): %w", limit, err)
	}
	return o.String(), e.String(), err
}

// hangEnv makes TestHelperHangs hang.
const hangEnv = "TEND_TEST_HANG"

// TestHelperHangs is the command TestRunTendStacksAtLimit runs through
// runTend: it waits. It does nothing in a normal run.
func TestHelperHangs(t *testing.T) {
	if os.Getenv(hangEnv) == "" {
		t.Skip("helper of TestRunTendStacksAtLimit")
	}
	time.Sleep(time.Minute)
}

// TestRunTendStacksAtLimit: a command runTend stops at its limit leaves
// its goroutines' stacks on stderr (SIGQUIT), so a lab test that fails so
// says where tend was stuck, and the error says it was stopped.
//
// A child still starting at the limit (a -race binary on a loaded box
// took over 3 s) dies of SIGQUIT before its runtime can print anything:
// the limit doubles until the child got as far as printing (up to 48 s,
// inside the helper's minute).
func TestRunTendStacksAtLimit(t *testing.T) {
	t.Setenv(hangEnv, "1")
	start := time.Now()
	var stderr string
	var err error
	for limit := 3 * time.Second; limit <= 48*time.Second; limit *= 2 {
		if _, stderr, err = runTendFor(t, limit, os.Args[0], "", "-test.run=^TestHelperHangs$"); stderr != "" {
			break
		}
		t.Logf("the child printed nothing before its %v limit: still starting", limit)
	}
	if err == nil || !strings.Contains(err.Error(), "SIGQUIT") || !strings.Contains(stderr, "SIGQUIT") || !strings.Contains(stderr, "TestHelperHangs") {
		t.Errorf("after %v: %v; stderr:\n%s", time.Since(start), err, stderr)
	}
}

// recordedSystem reads sysDescr and sysObjectID from an snmprec file.
func recordedSystem(t *testing.T, path string) (descr, objectID string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		oid, rest, _ := strings.Cut(sc.Text(), "|")
		tag, value, _ := strings.Cut(rest, "|")
		if tag == "4x" {
			b, _ := hex.DecodeString(value)
			value = string(b)
		}
		switch oid {
		case "1.3.6.1.2.1.1.1.0":
			descr = value
		case "1.3.6.1.2.1.1.2.0":
			objectID = value
		}
	}
	return descr, objectID
}

// TestLabScan is the first end-to-end path: a lab of 30 or more devices,
// `tend scan` from the box's namespace, every device found with its MAC
// vendor and SNMP identity, and nothing left behind.
func TestLabScan(t *testing.T) {
	needLabTools(t)
	t.Parallel() // see labParallel
	bin := tendBinary(t)
	corpus := lab.FindCorpus("../../../shared/corpus/snmp")
	lanName := "office"
	if corpus == "" {
		t.Log("reference corpus absent: using the small LAN of the repository's own recordings")
		lanName = "small"
	}
	start := time.Now()
	st, down := upLab(t, bin, "e", "--lan", lanName, "--corpus", corpus)
	upTime := time.Since(start)
	if len(st.Devices) < 30 {
		t.Fatalf("lab has %d devices, want at least 30", len(st.Devices))
	}

	start = time.Now()
	args := []string{"scan", "--interface", st.BoxIface, "--json"}
	if lanName == "office" {
		args = append(args, "--as-of", labAsOf) // for TestLabOfficeAsOf's checks below
	}
	out, stderr, err := runTend(t, bin, st.BoxNetns, args...)
	if err != nil {
		t.Fatalf("scan: %v: %s", err, stderr)
	}
	scanTime := time.Since(start)
	var found []inventory.Device
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		t.Fatalf("scan --json: %v: %s", err, out)
	}
	byMAC := map[string]inventory.Device{}
	for _, d := range found {
		byMAC[d.MAC.String()] = d
	}
	snmpDevices := 0
	for _, want := range st.Devices {
		got, ok := byMAC[want.MACText]
		if !ok {
			t.Errorf("%s (%s %s) not found", want.Name, want.IP, want.MACText)
			continue
		}
		if got.IP != want.IP {
			t.Errorf("%s: ip %s, want %s", want.Name, got.IP, want.IP)
		}
		if owner := ouiOwners[want.MACText[:8]]; got.Vendor != owner {
			t.Errorf("%s: vendor %q, want %q (IEEE registry)", want.Name, got.Vendor, owner)
		}
		switch {
		case want.Agent == "snmpd":
			snmpDevices++
			if got.SNMP == nil || got.SNMP.SysName != want.Name || !strings.HasPrefix(got.SNMP.SysObjectID, "1.3.6.1.4.1.8072.") {
				t.Errorf("%s: snmp %+v, want net-snmp with sysName %s", want.Name, got.SNMP, want.Name)
			}
		case want.Recording() != "":
			snmpDevices++
			path := filepath.Join(labStateDir(st), want.Name, "data", "public.snmprec")
			descr, oid := recordedSystem(t, path)
			if got.SNMP == nil {
				t.Errorf("%s: no SNMP identity, want %q", want.Name, descr)
				continue
			}
			if oid = strings.TrimPrefix(oid, "."); got.SNMP.SysObjectID != oid {
				t.Errorf("%s: sysObjectID %q, want %q", want.Name, got.SNMP.SysObjectID, oid)
			}
			if clean := strings.TrimSpace(strings.ReplaceAll(strings.Trim(descr, `"`), "\r\n", "\n")); strings.TrimSpace(got.SNMP.SysDescr) != clean {
				t.Errorf("%s: sysDescr %q, want %q", want.Name, got.SNMP.SysDescr, clean)
			}
			if !strings.Contains(strings.Join(sourceNames(got.Sources), ","), "snmp") {
				t.Errorf("%s: sources %v lack snmp", want.Name, got.Sources)
			}
			// Identified, not only reached: every office recording names its model.
			if got.Model == "" {
				t.Errorf("%s: no model from its SNMP identity %q", want.Name, descr)
			}
		}
	}
	// Routers' ARP tables add devices of other subnets (the recordings'
	// own networks); the lab's subnet must hold exactly the lab.
	inLab := 0
	for _, d := range found {
		if st.CIDR.Contains(d.IP) {
			inLab++
		} else if len(d.Evidence) == 0 || d.Evidence[0].Source != "ARP table" {
			t.Errorf("%s %s outside the lab without ARP-table evidence: %+v", d.IP, d.MAC, d.Evidence)
		}
	}
	if inLab != len(st.Devices) {
		t.Errorf("scan found %d devices in %s, the lab has %d", inLab, st.CIDR, len(st.Devices))
	}
	// A type for every device (issue 13): at most 10 % of the lab unknown,
	// with the evidence for each type in the JSON.
	var unknown []string
	for _, d := range found {
		if st.CIDR.Contains(d.IP) && (d.Type == "" || d.Type == inventory.TypeUnknown) {
			unknown = append(unknown, fmt.Sprintf("%s %s (%s)", d.IP, d.MAC, d.Vendor))
		}
	}
	t.Logf("%d of %d lab devices of unknown type: %v", len(unknown), inLab, unknown)
	if *writeOfficeTypes != "" {
		writeLabTypes(t, *writeOfficeTypes, lanName, st.CIDR, found, len(unknown), inLab)
	}
	if len(unknown)*10 > inLab {
		t.Errorf("%d of %d lab devices of unknown type (at most 10 %%): %v", len(unknown), inLab, unknown)
	}
	t.Logf("%s lab: %d devices (%d with SNMP) up in %s; scan found %d in %s", lanName, len(st.Devices), snmpDevices, upTime.Round(time.Millisecond), len(found), scanTime.Round(time.Millisecond))
	if lanName == "office" {
		checkOfficeAsOf(t, st, found, out, stderr)
	}

	start = time.Now()
	down()
	t.Logf("lab down in %s", time.Since(start).Round(time.Millisecond))
	if left := lab.Leftovers(st.Name); len(left) > 0 {
		t.Errorf("lab down left %v", left)
	}
	for _, d := range st.Devices {
		if d.PID != 0 {
			if b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(d.PID), "stat")); err == nil && !strings.Contains(string(b), ") Z ") {
				t.Errorf("agent of %s (pid %d) still runs after lab down", d.Name, d.PID)
			}
		}
	}
}

// labStates remembers each test lab's state directory by lab name.
var labStates sync.Map

func labStateDir(st lab.State) string {
	dir, _ := labStates.Load(st.Name)
	return filepath.Join(dir.(string), st.Name)
}

// labUpGate lets one lab come up at a time. Bringing a lab up is the CPU
// burst of a lab test (namespaces, a Python snmpsimd per agent, each
// answering before up returns); the waiting that follows is what
// parallel lab tests overlap (labParallel). Four office labs coming up at
// once on two loaded cores missed lab up's own 30 s per agent.
var labUpGate = make(chan struct{}, 1)

// holdLabUp waits for the lab-up turn; the caller releases it when its
// lab is up (or failed).
func holdLabUp() (release func()) {
	labUpGate <- struct{}{}
	return func() { <-labUpGate }
}

// upLab brings up a lab with a name unique to the test (prefix + random
// hex) and `tend lab up` flags, and returns its state and a down function;
// the lab is also taken down in t.Cleanup, which checks nothing is left.
func upLab(t *testing.T, bin, prefix string, flags ...string) (lab.State, func()) {
	t.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	name := prefix + hex.EncodeToString(b)
	state := t.TempDir()
	for _, d := range []string{state, filepath.Dir(state)} {
		os.Chmod(d, 0o755) // the agents run as nobody
	}
	labStates.Store(name, state)
	down := func() {
		if _, stderr, err := runTend(t, bin, "", "lab", "down", "--name", name, "--state", state); err != nil {
			t.Errorf("lab down: %v: %s", err, stderr)
		}
	}
	t.Cleanup(func() {
		down()
		if left := lab.Leftovers(name); len(left) > 0 {
			t.Errorf("left behind after the test: %v", left)
		}
	})
	release := holdLabUp()
	start := time.Now()
	out, stderr, err := runTend(t, bin, "", append([]string{"lab", "up", "--name", name, "--state", state, "--json", "--owner", strconv.Itoa(os.Getpid())}, flags...)...)
	release()
	if err != nil {
		t.Fatalf("lab up: %v: %s", err, stderr)
	}
	t.Logf("lab %s up %v in %v (runTend's limit %v)", name, flags, time.Since(start).Round(100*time.Millisecond), tendLimit)
	var st lab.State
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("lab up --json: %v: %s", err, out)
	}
	return st, down
}

func sourceNames(s []inventory.Source) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return out
}

// TestRefusesPublicRanges proves the product's safety rule: scan and serve
// will not sweep outside RFC 1918 / RFC 6598 without --allow-public, and
// say why before they open any socket.
func TestRefusesPublicRanges(t *testing.T) {
	for _, args := range [][]string{
		{"scan", "--interface", "lo", "--cidr", "8.8.8.0/24"},
		{"scan", "--interface", "lo", "--cidr", "10.1.0.0/24", "--cidr", "192.0.2.0/24"},
		{"serve", "--interface", "lo", "--cidr", "203.0.113.0/24", "--data", t.TempDir(), "--listen", "127.0.0.1:0"},
		{"scan", "--interface", "lo", "--cidr", "10.0.0.0/8"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
			if err == nil {
				t.Fatal("a sweep outside the private ranges (or larger than /16) was accepted")
			}
			if !strings.Contains(err.Error(), "/") {
				t.Errorf("the refusal %q does not name the prefix", err)
			}
		})
	}
}
