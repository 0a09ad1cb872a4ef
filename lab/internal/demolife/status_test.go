package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The status reader talks only to the demo's own loopback UI, over HTTPS,
// with the token from a file.
func TestStatusClientLoopbackOnly(t *testing.T) {
	tok := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tok, []byte("tend_abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ui := range []string{"https://192.0.2.1:8443", "http://127.0.0.1:8443", "https://localhost:8443", "https://127.0.0.1"} {
		if _, err := newStatusClient(ui, tok); err == nil {
			t.Errorf("%s accepted", ui)
		}
	}
	c, err := newStatusClient("https://127.0.0.1:18443/", tok)
	if err != nil || c.token != "tend_abc" || c.base != "https://127.0.0.1:18443" {
		t.Fatalf("loopback UI: %v %+v", err, c)
	}
	if _, err := newStatusClient("https://[::1]:8443", filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing token file accepted")
	}
}

func TestDemoStatusString(t *testing.T) {
	st := demoStatus{Devices: 89, OnLAN: 49, Unknown: 5, Remote: 40, Traffic: 6, Events: map[string]int{"port_scan": 3, "new_device": 1},
		Actions: 116, Rules: map[string]int{"a": 1, "b": 2}, Boxes: 28, Links: 7}
	got := st.String()
	for _, want := range []string{"89 devices: 49 on the LAN, 5 unknown (10 %); 40 in other subnets", "events: new_device 1, port_scan 3",
		"116 open of 2 kinds", "6 points", "28 boxes, 7 links"} {
		if !strings.Contains(got, want) {
			t.Errorf("status lacks %q:\n%s", want, got)
		}
	}
	if got := (demoStatus{}).String(); !strings.Contains(got, "0 unknown (0 %)") || !strings.Contains(got, "events: none") {
		t.Errorf("empty status: %s", got)
	}
}
