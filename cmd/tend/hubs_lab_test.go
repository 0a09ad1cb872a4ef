package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tendhub "tend/hub"
	"tend/internal/pgtest"
	"tend/lab"
)

// TestHubsOutageLosesNothing is issue 16's "done when": a real box
// (tend serve on a lab) pushes to real hub processes, and a 30 s outage of
// the hub it pushes to loses nothing.
//
//   - postgres: two hubs (own data directories, one copied master key) on
//     one private PostgreSQL; the box pushes to hub A; the site shows on
//     both; A stops for 30 s while B keeps serving what is stored; when A
//     returns the box's outbox delivers every summary, and B (reading the
//     same database) holds 1..n without gap or repeat.
//   - embedded: one hub on its own store, restarted after 30 s.
func TestHubsOutageLosesNothing(t *testing.T) {
	needLabTools(t)
	t.Parallel() // see labParallel
	bin := tendBinary(t)
	// One lab for both: they run side by side (the outages overlap), each
	// with its own hubs, box and ports in the lab's box namespace.
	st, _ := upLab(t, bin, "ho", "--lan", "small")
	for i, kind := range []string{"postgres", "embedded"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			var dbURL string
			if kind == "postgres" {
				c, skip, err := pgtest.Launch()
				if skip != "" {
					t.Skip(skip)
				}
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(c.Stop)
				dbURL = c.SocketURL // the hubs run in the lab's box namespace: the socket reaches the cluster from there
			}
			hubOutage(t, bin, st, 9451+10*i, dbURL)
		})
	}
}

func hubOutage(t *testing.T, bin string, st lab.State, port int, dbURL string) {
	dirA, dirB, boxData := t.TempDir(), t.TempDir(), t.TempDir()
	admin := func(args ...string) string {
		t.Helper()
		args = append(args, "--data", dirA)
		if dbURL != "" {
			args = append(args, "--db", dbURL)
		}
		out, stderr, err := runTend(t, bin, "", append([]string{"hub"}, args...)...)
		if err != nil {
			t.Fatalf("hub %v: %v: %s", args, err, stderr)
		}
		return strings.TrimSpace(out)
	}
	keyFile := filepath.Join(t.TempDir(), "site.key")
	if err := os.WriteFile(keyFile, []byte(admin("site", "add", "--name", "Acme Dental")), 0o600); err != nil {
		t.Fatal(err)
	}
	token := admin("token", "create", "--name", "test")

	hubArgs := func(dir, addr string) []string {
		a := []string{"hub", "--data", dir, "--listen", addr, "--stale-after", "5m", "-v"}
		if dbURL != "" {
			a = append(a, "--db", dbURL)
		}
		return a
	}
	addrA, addrB := fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("127.0.0.1:%d", port+1)
	hubA := startTend(t, st.BoxNetns, "hubA.log", bin, hubArgs(dirA, addrA)...)
	working := labPIDs(st.Devices, hubA.cmd.Process.Pid) // the processes waitFor follows
	addrs := []string{addrA}
	if dbURL != "" {
		// The second hub needs the first one's master key to open the
		// site keys; without it, it refuses to start.
		mk, err := os.ReadFile(filepath.Join(dirA, tendhub.MasterKeyFile))
		if err != nil {
			t.Fatal(err)
		}
		if _, stderr, err := runTend(t, bin, st.BoxNetns, hubArgs(dirB, addrB)...); err == nil || !strings.Contains(stderr, tendhub.MasterKeyFile) {
			t.Errorf("a hub without the master key started on the shared database: %v: %s", err, stderr)
		}
		os.Remove(filepath.Join(dirB, tendhub.MasterKeyFile))
		if err := os.WriteFile(filepath.Join(dirB, tendhub.MasterKeyFile), mk, 0o600); err != nil {
			t.Fatal(err)
		}
		hubB := startTend(t, st.BoxNetns, "hubB.log", bin, hubArgs(dirB, addrB)...)
		working = append(working, hubB.cmd.Process.Pid)
		addrs = append(addrs, addrB)
	}

	client := &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the hubs' self-signed certificates
			DialContext: func(ctx context.Context, network, addr string) (conn net.Conn, err error) {
				err = lab.InNetns(st.BoxNetns, func() error {
					conn, err = (&net.Dialer{}).DialContext(ctx, network, addr)
					return err
				})
				return conn, err
			},
		},
	}
	api := func(addr, path string, v any) error {
		req, _ := http.NewRequest("GET", "https://"+addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("GET %s: %s", path, resp.Status)
		}
		return json.NewDecoder(resp.Body).Decode(v)
	}
	site := func(addr string) hubSite {
		var sites []hubSite
		if err := api(addr, "/api/sites", &sites); err != nil {
			return hubSite{}
		}
		for _, s := range sites {
			if s.Name == "acme-dental" {
				return s
			}
		}
		return hubSite{}
	}
	waitFor := func(what string, limit time.Duration, ok func() bool) {
		t.Helper()
		if took, held := waitWorking(limit, 250*time.Millisecond, working, ok); !held {
			t.Fatalf("%s: not within %s (limit %s, longer while the hubs, box or agents work)", what, took.Round(time.Second), limit)
		}
	}
	for _, a := range addrs {
		waitFor("hub "+a+" answers", 20*time.Second, func() bool { return site(a).Name != "" })
	}

	const interval = 2 * time.Second
	start := time.Now()
	serve := startTend(t, st.BoxNetns, "serve.log", bin, "serve", "--interface", st.BoxIface, "--data", boxData,
		"--listen", fmt.Sprintf("127.0.0.1:%d", port+2), "--scan-interval", "10s", "--site", "acme-dental",
		"--upstream", "https://"+addrA, "--site-key-file", keyFile, "--upstream-interval", interval.String(),
		"--upstream-fingerprint", certFingerprint(t, dirA))

	working = append(working, serve.cmd.Process.Pid)
	// The site and its devices show on every hub.
	for _, a := range addrs {
		waitFor("the lab's devices at hub "+a, time.Minute, func() bool { return site(a).Devices >= len(st.Devices) })
	}
	t.Logf("%d devices on %d hub(s) %s after the box started", len(st.Devices), len(addrs), time.Since(start).Round(100*time.Millisecond))

	// Hub A goes away for 30 s; the box keeps making summaries.
	before := site(addrA)
	hubA.stop(t)
	const outage = 30 * time.Second
	time.Sleep(outage / 2)
	if dbURL != "" {
		if s := site(addrB); s.Summaries < before.Summaries || s.Devices < len(st.Devices) {
			t.Errorf("hub B during A's outage: %+v, want the site with %d summaries and %d devices", s, before.Summaries, len(st.Devices))
		}
	}
	time.Sleep(outage / 2)
	working = append(working, startTend(t, st.BoxNetns, "hubA2.log", bin, hubArgs(dirA, addrA)...).cmd.Process.Pid)
	want := before.Seq + uint64(outage/interval) + 1
	check := addrs[len(addrs)-1] // B on PostgreSQL: it never saw the box
	waitFor(fmt.Sprintf("summaries up to %d at hub %s", want, check), time.Minute, func() bool { return site(check).Seq >= want })

	var recs []tendhub.SummaryRecord
	if err := api(check, "/api/sites/acme-dental/summaries?limit=1000", &recs); err != nil {
		t.Fatal(err)
	}
	next, n := uint64(1), 0
	for i := len(recs) - 1; i >= 0; i-- { // oldest first
		r := recs[i]
		n++
		if r.N != n || r.FirstSeq != next || r.Seq < r.FirstSeq {
			t.Errorf("summary #%d (receive %d) covers %d..%d; want it to start at %d", n, r.N, r.FirstSeq, r.Seq, next)
		}
		next = r.Seq + 1
	}
	if next-1 < want {
		t.Errorf("hub %s holds summaries up to %d, want at least %d", check, next-1, want)
	}
	after := site(check)
	t.Logf("hub A down %s: the box made %d summaries meanwhile and since; hub %s holds %d records covering 1..%d without gap or repeat",
		outage, after.Seq-before.Seq, check, len(recs), next-1)
}
