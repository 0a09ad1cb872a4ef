package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tend/lab"
)

// TestSweepHugeLAN is issue 19's large LAN: 1,000 live hosts on a /22 behind
// one 1,000-port software bridge (tend lab up --lan huge, which raises the
// kernel's input backlog and neighbour table limits for it). tend scan must
// find at least 99 % of them without aborting, and at least as many as
// arp-scan with its defaults in the same run. Heavy (a thousand network
// namespaces, about a minute): it runs as root when TEND_HUGE=1 is set
// (make test-huge), outside the 20-minute make test.
func TestSweepHugeLAN(t *testing.T) {
	needLabTools(t)
	if os.Getenv("TEND_HUGE") == "" {
		t.Skip("the 1,000-host lab runs with TEND_HUGE=1 (make test-huge)")
	}
	if _, err := exec.LookPath("arp-scan"); err != nil {
		t.Skip("needs arp-scan (make deps)")
	}
	bin := tendBinary(t)
	b := make([]byte, 4)
	rand.Read(b)
	name := "z" + hex.EncodeToString(b)
	state := t.TempDir()
	for _, d := range []string{state, filepath.Dir(state)} {
		os.Chmod(d, 0o755)
	}
	run := func(limit time.Duration, args ...string) (string, string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), limit)
		defer cancel()
		var o, e strings.Builder
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		return o.String(), e.String(), err
	}
	t.Cleanup(func() {
		if _, e, err := run(10*time.Minute, bin, "lab", "down", "--name", name, "--state", state); err != nil {
			t.Errorf("lab down: %v: %s", err, e)
		}
		if left := lab.Leftovers(name); len(left) > 0 {
			t.Errorf("left behind after the test: %d namespaces and links, e.g. %v", len(left), left[0])
		}
	})
	start := time.Now()
	out, stderr, err := run(15*time.Minute, bin, "lab", "up", "--name", name, "--state", state, "--lan", "huge", "--json", "--owner", strconv.Itoa(os.Getpid()))
	if err != nil {
		t.Fatalf("lab up: %v: %s", err, stderr)
	}
	var st lab.State
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("lab up --json: %v", err)
	}
	t.Logf("lab of %d hosts up in %v", len(st.Devices), time.Since(start).Round(time.Second))
	live := make(map[netip.Addr]bool, len(st.Devices))
	for _, d := range st.Devices {
		live[d.IP] = true
	}

	start = time.Now()
	out, stderr, err = run(10*time.Minute, "ip", "netns", "exec", st.BoxNetns, bin, "scan", "--interface", st.BoxIface,
		"--json", "--snmp-timeout", "200ms")
	if err != nil {
		t.Fatalf("tend scan aborted: %v\n%s", err, tail(stderr, 2000))
	}
	var devs []struct {
		IP string `json:"ip"`
	}
	if err := json.Unmarshal([]byte(out), &devs); err != nil {
		t.Fatalf("tend scan --json: %v", err)
	}
	tendFound := map[netip.Addr]bool{}
	for _, d := range devs {
		if ip, err := netip.ParseAddr(d.IP); err == nil && live[ip] {
			tendFound[ip] = true
		}
	}
	t.Logf("tend scan: %d of %d in %v", len(tendFound), len(live), time.Since(start).Round(time.Millisecond))

	start = time.Now()
	out, _, err = run(10*time.Minute, "ip", "netns", "exec", st.BoxNetns, "arp-scan", "--interface", st.BoxIface, "--localnet")
	if err != nil {
		t.Fatalf("arp-scan: %v", err)
	}
	arpFound := map[netip.Addr]bool{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 {
			if ip, err := netip.ParseAddr(f[0]); err == nil && live[ip] {
				arpFound[ip] = true
			}
		}
	}
	t.Logf("arp-scan: %d of %d in %v", len(arpFound), len(live), time.Since(start).Round(time.Millisecond))

	if len(tendFound)*100 < len(live)*99 {
		t.Errorf("tend scan found %d of %d hosts, below 99 %%", len(tendFound), len(live))
	}
	if len(tendFound) < len(arpFound) {
		t.Errorf("tend scan found %d hosts, arp-scan %d in the same run", len(tendFound), len(arpFound))
	}
}
