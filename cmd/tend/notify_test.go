package main

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tend/internal/testclock"
	"tend/inventory"
	"tend/notify"
	"tend/storage"
)

// TestServeRefusesMalformedNotifyURL: serve stops before doing anything
// when a --notify URL is bad, naming the parameter and not the secret.
func TestServeRefusesMalformedNotifyURL(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"smtp://relay.example/?to=desk@msp.example", `parameter "from"`},
		{"webhook+https://h.example/x", `parameter "secret_file"`},
		{"smtp://u:hunter2@relay.example/?from=a@b.example&to=c@d.example", `parameter "password"`},
		{"carrier-pigeon://loft", `parameter "scheme"`},
	} {
		var out, errOut strings.Builder
		err := run(t.Context(), []string{"serve", "--data", t.TempDir(), "--notify", tc.url}, strings.NewReader(""), &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "--notify") {
			t.Errorf("%s: %v, want an error naming %s", tc.url, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

// TestHubRefusesMalformedNotifyURL: the hub too stops before it opens its
// data when a --notify URL is bad, naming the parameter.
func TestHubRefusesMalformedNotifyURL(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"webhook+https://h.example/x", `parameter "secret_file"`},
		{"slack+file:///nonexistent/slack.url", `parameter "url_file"`},
		{"connectwise+https://cw.example?company_id=msp", `parameter "public_key"`},
		{"syslog+udp://log.example?sites=", ""},
	} {
		data := t.TempDir()
		var out, errOut strings.Builder
		args := []string{"hub", "--data", data, "--notify", tc.url, "--listen", "256.0.0.1:0"}
		err := run(t.Context(), args, strings.NewReader(""), &out, &errOut)
		if tc.want == "" {
			if err == nil || strings.Contains(err.Error(), "--notify") {
				t.Errorf("%s: %v, want it accepted (and the bad --listen refused)", tc.url, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "--notify") {
			t.Errorf("%s: %v, want an error naming %s", tc.url, err, tc.want)
		}
		if entries, _ := os.ReadDir(data); len(entries) != 0 {
			t.Errorf("%s: the hub wrote %d files before refusing", tc.url, len(entries))
		}
	}
}

// webhookSink is a webhook receiver that verifies signatures and can be
// switched down (500) or rate limiting (429).
type webhookSink struct {
	secret string
	mode   atomic.Value // "", "down", "limited"
	mu     sync.Mutex
	got    []notify.Message
	tries  atomic.Int64
}

func (s *webhookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.tries.Add(1)
	b, _ := io.ReadAll(r.Body)
	if !hmac.Equal([]byte(r.Header.Get(notify.SignatureHeader)), []byte(notify.Sign(inventory.Secret(s.secret), b))) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	switch s.mode.Load() {
	case "down":
		http.Error(w, "maintenance", http.StatusInternalServerError)
		return
	case "limited":
		w.Header().Set("Retry-After", "1")
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	var m notify.Message
	if err := json.Unmarshal(b, &m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.got = append(s.got, m)
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (s *webhookSink) received() []notify.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]notify.Message(nil), s.got...)
}

// TestNotifyNothingLost: through storage's durable queue, a problem that
// triggers and clears while the outlet is down arrives as both, in order,
// once each, after the outlet returns, across a restart of tend; the last
// error shows in the status while it is down.
func TestNotifyNothingLost(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("webhook-secret\n"), 0o600)
	sink := &webhookSink{secret: "webhook-secret"}
	sink.mode.Store("down")
	srv := httptest.NewServer(sink)
	defer srv.Close()

	clock := testclock.Now()
	now := func() time.Time { return clock }
	log := slog.New(slog.DiscardHandler)
	nf := notifyFlags{urls: []string{"webhook+" + srv.URL + "/hook?secret_file=" + secret}, minBackoff: 20 * time.Millisecond, maxBackoff: 100 * time.Millisecond}
	eps, err := nf.parse()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tend.db")
	st, err := storage.Open(path, storage.Config{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	rogue := notify.Problem{Key: "rogue_dhcp-00000000abcd", Rule: "rogue_dhcp", Severity: inventory.SeverityCritical, Title: "Rogue DHCP server: 10.0.0.66",
		Action: "Unplug it.", Devices: []notify.Device{{Key: "02:00:00:00:00:66", IP: "10.0.0.66"}}}
	d := notify.New(notify.Config{Site: "lab", Now: now, MinBackoff: nf.minBackoff, MaxBackoff: nf.maxBackoff}, storage.NotifyQueue{St: st}, eps, log)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	if err := d.Update([]notify.Problem{rogue}); err != nil {
		t.Fatal(err)
	}
	if err := d.Update(nil); err != nil { // cleared while the outlet is down
		t.Fatal(err)
	}
	waitFor(t, func() bool { return sink.tries.Load() >= 3 })
	s := d.Status()[0]
	if s.Queued != 2 || !strings.Contains(s.LastError, "500") || strings.Contains(s.Name, "webhook-secret") {
		t.Errorf("status while down: %+v", s)
	}
	cancel()
	<-done
	st.Close()

	// tend restarts; the outlet comes back rate limiting first, then well.
	st, err = storage.Open(path, storage.Config{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sink.mode.Store("limited")
	d = notify.New(notify.Config{Site: "lab", Now: now, MinBackoff: nf.minBackoff, MaxBackoff: nf.maxBackoff}, storage.NotifyQueue{St: st}, eps, log)
	go d.Run(t.Context())
	if err := d.Update(nil); err != nil { // the same (empty) list: nothing new
		t.Fatal(err)
	}
	tries := sink.tries.Load()
	waitFor(t, func() bool { return sink.tries.Load() > tries })
	sink.mode.Store("")
	waitFor(t, func() bool { return len(sink.received()) >= 2 })
	time.Sleep(200 * time.Millisecond) // nothing more may come
	got := sink.received()
	if len(got) != 2 || got[0].Status != notify.StatusTriggered || got[1].Status != notify.StatusCleared ||
		got[0].Key != rogue.Key || got[1].Key != rogue.Key || got[0].Schema != notify.SchemaVersion {
		t.Fatalf("received %+v, want triggered then cleared once each", got)
	}
	if s := d.Status()[0]; s.Queued != 0 || s.LastError != "" || s.Delivered != 2 {
		t.Errorf("status after delivery: %+v", s)
	}
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestNotifyPolicy: an outlet gets only the severities and rules it asks
// for, and at most one update per problem within its minimum interval;
// triggered and cleared always go. Nothing is sent here: the queue shows
// what would be.
func TestNotifyPolicy(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("k"), 0o600)
	nf := notifyFlags{urls: []string{
		"webhook+http://127.0.0.1:9/a?secret_file=" + secret + "&min_severity=high&min_interval=1h",
		"webhook+http://127.0.0.1:9/b?secret_file=" + secret + "&rules=ups_on_battery",
	}}
	eps, err := nf.parse()
	if err != nil {
		t.Fatal(err)
	}
	clock := testclock.Now()
	st, err := storage.Open(":memory:", storage.Config{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	d := notify.New(notify.Config{Now: func() time.Time { return clock }}, storage.NotifyQueue{St: st}, eps, slog.New(slog.DiscardHandler))
	high := notify.Problem{Key: "rogue_dhcp-00000000abcd", Rule: "rogue_dhcp", Severity: inventory.SeverityCritical, Title: "Rogue DHCP server"}
	low := notify.Problem{Key: "long_uptime-00000000abcd", Rule: "long_uptime", Severity: inventory.SeverityLow, Title: "Long uptime"}
	queued := func() (a, b int) {
		s := d.Status()
		return s[0].Queued, s[1].Queued
	}
	steps := []struct {
		name   string
		ps     []notify.Problem
		after  time.Duration
		wa, wb int
	}{
		{"both appear", []notify.Problem{high, low}, 0, 1, 0},
		{"updated at once: held back", []notify.Problem{withTitle(high, "Rogue DHCP server (2)"), low}, time.Minute, 1, 0},
		{"updated after the interval", []notify.Problem{withTitle(high, "Rogue DHCP server (3)"), low}, 2 * time.Hour, 2, 0},
		{"cleared: always", []notify.Problem{low}, time.Minute, 3, 0},
	}
	for _, s := range steps {
		clock = clock.Add(s.after)
		if err := d.Update(s.ps); err != nil {
			t.Fatal(err)
		}
		if a, b := queued(); a != s.wa || b != s.wb {
			t.Errorf("%s: queued %d and %d, want %d and %d", s.name, a, b, s.wa, s.wb)
		}
	}
}

func withTitle(p notify.Problem, title string) notify.Problem {
	p.Title = title
	return p
}
