package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"tend/inventory"
	"tend/lab"
)

// TestServeOnLab is the appliance path end to end: tend serve on a lab box
// sweeps and polls, stores in buntdb, and the web UI lists every device to
// a signed-in user over HTTPS, and to nobody else.
func TestServeOnLab(t *testing.T) {
	needLabTools(t)
	bin := tendBinary(t)
	st, _ := upLab(t, bin, "s", "--lan", "small")

	data := t.TempDir()
	const password = "correct horse battery staple"
	add := exec.Command(bin, "user", "add", "--data", data, "--name", "admin", "--password-stdin")
	add.Stdin = strings.NewReader(password + "\n")
	if b, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v: %s", err, b)
	}

	serve := exec.Command("ip", "netns", "exec", st.BoxNetns, bin, "serve", "--interface", st.BoxIface,
		"--data", data, "--listen", "127.0.0.1:8443", "--scan-interval", "10s")
	logFile, _ := os.Create(filepath.Join(t.TempDir(), "serve.log"))
	serve.Stdout, serve.Stderr = logFile, logFile
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- serve.Wait() }()
	t.Cleanup(func() {
		serve.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("serve did not stop cleanly on SIGTERM: %v", err)
			}
		case <-time.After(10 * time.Second):
			serve.Process.Kill()
			t.Error("serve ignored SIGTERM for 10s")
		}
		if t.Failed() {
			b, _ := os.ReadFile(logFile.Name())
			t.Logf("serve log:\n%s", b)
		}
	})

	// The UI listens on the box namespace's loopback: dial it from there.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{
		Jar:     jar,
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, // the box's self-signed certificate
			DialContext: func(ctx context.Context, network, addr string) (conn net.Conn, err error) {
				err = lab.InNetns(st.BoxNetns, func() error {
					conn, err = (&net.Dialer{}).DialContext(ctx, network, addr)
					return err
				})
				return conn, err
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	base := "https://127.0.0.1:8443"
	get := func(path string, jsonWanted bool) *http.Response {
		req, _ := http.NewRequest("GET", base+path, nil)
		if jsonWanted {
			req.Header.Set("Accept", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		return resp
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-exited:
			b, _ := os.ReadFile(logFile.Name())
			t.Fatalf("serve exited: %v\n%s", err, b)
		default:
		}
		req, _ := http.NewRequest("GET", base+"/healthz", nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the UI did not answer within 30s")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Nobody gets in without signing in.
	if resp := get("/devices", true); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /devices (JSON) without a session: %d, want 401", resp.StatusCode)
	}
	if resp := get("/devices", false); resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(resp.Header.Get("Location"), "/login") {
		t.Errorf("GET /devices without a session: %d to %q, want 303 to /login", resp.StatusCode, resp.Header.Get("Location"))
	}

	resp := get("/login", true)
	var form struct{ CSRF string }
	json.NewDecoder(resp.Body).Decode(&form)
	resp.Body.Close()
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(url.Values{
		"username": {"admin"}, "password": {password}, "csrf": {form.CSRF}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %s, want 303 to the devices page", resp.Status)
	}

	var page struct {
		Count   int
		Devices []inventory.Device
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		resp := get("/devices", true)
		page.Devices = nil
		json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		// The passive watch lists devices as soon as it hears them; the
		// sweep's SNMP answers follow: wait for both.
		withSNMP := 0
		for _, d := range page.Devices {
			if d.SNMP != nil {
				withSNMP++
			}
		}
		agents := 0
		for _, d := range st.Devices {
			if d.Agent != "-" {
				agents++
			}
		}
		if (len(page.Devices) >= len(st.Devices) && withSNMP >= agents) || time.Now().After(deadline) {
			break
		}
	}
	seen := map[string]inventory.Device{}
	for _, d := range page.Devices {
		seen[d.MAC.String()] = d
	}
	for _, want := range st.Devices {
		got, ok := seen[want.MACText]
		if !ok {
			t.Errorf("the UI does not list %s (%s)", want.Name, want.IP)
			continue
		}
		if want.Agent != "-" && got.SNMP == nil {
			t.Errorf("%s: listed without its SNMP identity", want.Name)
		}
	}
	// serve judges what it stored: every device carries a verdict with
	// its catalog's date, every SNMP device an age estimate.
	judged := func() (missing []string) {
		resp := get("/devices", true)
		page.Devices = nil
		json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		for _, d := range page.Devices {
			if d.Lifecycle == nil || d.Lifecycle.CatalogDate == "" || (d.SNMP != nil && (d.Age == nil || len(d.Age.Evidence) == 0)) {
				missing = append(missing, d.IP.String())
			}
		}
		return missing
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		missing := judged()
		if len(missing) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("devices without a lifecycle verdict or age estimate: %v", missing)
			break
		}
	}
	html := get("/devices", false)
	defer html.Body.Close()
	if html.StatusCode != http.StatusOK || !strings.Contains(html.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Errorf("devices page: %d, CSP %q", html.StatusCode, html.Header.Get("Content-Security-Policy"))
	}
	t.Logf("the UI lists %d of the lab's %d devices", len(page.Devices), len(st.Devices))
}
