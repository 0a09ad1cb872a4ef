package main

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"tend/internal/testclock"
	"testing"
	"time"

	"tend/findings"
	"tend/inventory"
	"tend/storage"
	"tend/webui"
)

func TestSetupCodeLifecycle(t *testing.T) {
	dir := t.TempDir()
	st, err := openStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { st.Close() }()
	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&logged, nil))
	if err := webui.EnsureSetupCode(st, dir, log); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, webui.SetupCodeFile)
	// The log says where the code is, never the code (logs leave the box).
	if b, _ := os.ReadFile(path); len(b) < 8 || strings.Contains(logged.String(), strings.TrimSpace(string(b))) || !strings.Contains(logged.String(), path) {
		t.Errorf("setup code in the log, or its file not named: %s", logged.String())
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("setup-code file: %v, mode %v", err, fi)
	}
	code, _ := os.ReadFile(path)
	live, err := st.SetupCode()
	if err != nil || live.Hash != webui.SetupCodeHash(strings.TrimSpace(string(code))) {
		t.Fatalf("stored hash does not match the file's code: %v", err)
	}
	if strings.Contains(live.Hash, strings.TrimSpace(string(code))) {
		t.Error("clear code stored")
	}
	// A restart keeps the code on the console valid.
	if err := webui.EnsureSetupCode(st, dir, log); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); string(again) != string(code) {
		t.Errorf("restart changed the code %q to %q", code, again)
	}
	// A lost file means a new code.
	os.Remove(path)
	if err := webui.EnsureSetupCode(st, dir, log); err != nil {
		t.Fatal(err)
	}
	if fresh, _ := os.ReadFile(path); len(fresh) == 0 || string(fresh) == string(code) {
		t.Errorf("no fresh code after the file was lost: %q", fresh)
	}
	// `tend user add` ends first-run setup: code and file go.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	if err := run(t.Context(), []string{"user", "add", "--data", dir, "--name", "admin", "--password-stdin"}, strings.NewReader("correct horse battery\n"), &out, &errb); err != nil {
		t.Fatalf("user add: %v: %s", err, errb.String())
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("setup-code file survives user add: %v", err)
	}
	st, err = openStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetupCode(); err == nil {
		t.Error("setup code survives user add")
	}
	if err := webui.EnsureSetupCode(st, dir, log); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("setup code made although a user exists: %v", err)
	}
}

func TestFindingsRunner(t *testing.T) {
	dir := t.TempDir()
	st, err := storage.Open(filepath.Join(dir, "tend.db"), storage.Config{Now: testclock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := testclock.Now().UTC()
	mac, _ := inventory.ParseMAC("00:c0:b7:00:00:01")
	if _, err := st.Apply(inventory.Observation{Time: now, Source: inventory.SourceSNMP, MAC: mac, Type: inventory.TypeUPS,
		Health: &inventory.Health{Battery: &inventory.Battery{Status: "normal", OnBattery: true, ChargePercent: 90}}}); err != nil {
		t.Fatal(err)
	}
	r := newFindingsRunner(st, dir, slog.New(slog.DiscardHandler))
	if err := r.Evaluate(now); err != nil {
		t.Fatal(err)
	}
	fs, err := st.Findings()
	if err != nil || len(fs) != 1 || fs[0].Rule != findings.RuleUPSOnBattery || fs[0].State != inventory.FindingOpen {
		t.Fatalf("findings: %v %+v", err, fs)
	}
	// Power back: the finding resolves itself.
	if _, err := st.Apply(inventory.Observation{Time: now.Add(time.Minute), Source: inventory.SourceSNMP, MAC: mac,
		Health: &inventory.Health{Battery: &inventory.Battery{Status: "normal", ChargePercent: 90}}}); err != nil {
		t.Fatal(err)
	}
	if err := r.Evaluate(now.Add(2 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	fs, _ = st.Findings()
	if len(fs) != 1 || fs[0].State != inventory.FindingResolved || fs[0].StateBy != findings.SystemActor {
		t.Fatalf("after power came back: %+v", fs)
	}
}

// TestFindingsRunnerRates: rates come from the device's two latest distinct
// readings, so a finding about rising errors holds between polls.
func TestFindingsRunnerRates(t *testing.T) {
	st, err := storage.Open(":memory:", storage.Config{Now: testclock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := testclock.Now().UTC()
	mac, _ := inventory.ParseMAC("00:1b:54:00:00:01")
	poll := func(at time.Time, errs uint64) {
		t.Helper()
		if _, err := st.Apply(inventory.Observation{Time: at, Source: inventory.SourceSNMP, MAC: mac, Type: inventory.TypeSwitch,
			Health: &inventory.Health{Interfaces: []inventory.Interface{{Index: 7, Name: "Gi0/7", OperUp: true, InErrors: errs}}}}); err != nil {
			t.Fatal(err)
		}
	}
	r := newFindingsRunner(st, t.TempDir(), slog.New(slog.DiscardHandler))
	open := func(at time.Time) bool {
		t.Helper()
		if err := r.Evaluate(at); err != nil {
			t.Fatal(err)
		}
		f, err := st.Finding(findings.ID(findings.RuleInterfaceErrors, mac.String()))
		return err == nil && findings.Active(&f, at)
	}
	poll(now, 10)
	if open(now) {
		t.Fatal("errors rising after one reading")
	}
	poll(now.Add(5*time.Minute), 900)
	if !open(now.Add(5 * time.Minute)) {
		t.Fatal("890 new errors in 5 minutes not raised")
	}
	if !open(now.Add(6 * time.Minute)) {
		t.Error("finding cleared between polls")
	}
	poll(now.Add(10*time.Minute), 905)
	if open(now.Add(10 * time.Minute)) {
		t.Error("finding still open after errors stopped rising")
	}
}

func TestTokenCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errb strings.Builder
	if err := run(t.Context(), []string{"token", "create", "--data", dir, "--name", "rmm"}, strings.NewReader(""), &out, &errb); err != nil {
		t.Fatalf("token create: %v %s", err, errb.String())
	}
	tok := strings.TrimSpace(out.String())
	if !strings.HasPrefix(tok, "tend_") || len(tok) != 48 {
		t.Fatalf("token %q", tok)
	}
	if err := run(t.Context(), []string{"token", "create", "--data", dir, "--name", "rmm"}, strings.NewReader(""), &out, &errb); err == nil {
		t.Error("second token with the same name accepted")
	}
	st, err := openStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := st.Token(webuiHash(tok)); err != nil || got.Name != "rmm" {
		t.Errorf("stored token: %v %+v", err, got)
	}
	st.Close()
	out.Reset()
	if err := run(t.Context(), []string{"token", "delete", "--data", dir, "--name", "rmm"}, strings.NewReader(""), &out, &errb); err != nil || !strings.Contains(out.String(), "deleted") {
		t.Errorf("token delete: %v %q", err, out.String())
	}
}

func webuiHash(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// TestFindingsRunnerSteadyStateWritesNothing: re-evaluating an unchanged
// site every minute must not wear the flash.
func TestFindingsRunnerSteadyStateWritesNothing(t *testing.T) {
	st, err := storage.Open(":memory:", storage.Config{Now: testclock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := testclock.Now().UTC()
	var obs []inventory.Observation
	for i := range 20 {
		mac, _ := inventory.ParseMAC("00:1b:54:00:01:" + strconv.Itoa(10+i))
		obs = append(obs, inventory.Observation{Time: now.Add(-2 * time.Hour), Source: inventory.SourceSNMP, MAC: mac, Type: inventory.TypeSwitch,
			SNMP: &inventory.SNMPSystem{Version: "2c", DefaultCommunity: true, Uptime: 400 * 24 * time.Hour}})
	}
	if _, err := st.Apply(obs...); err != nil {
		t.Fatal(err)
	}
	r := newFindingsRunner(st, t.TempDir(), slog.New(slog.DiscardHandler))
	if err := r.Evaluate(now); err != nil {
		t.Fatal(err)
	}
	if fs, _ := st.Findings(); len(fs) < 60 { // quiet, v2c, default community, long uptime per switch
		t.Fatalf("%d findings", len(fs))
	}
	before := st.Stats().Writes
	for m := 1; m <= 10; m++ {
		if err := r.Evaluate(now.Add(time.Duration(m) * time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if w := st.Stats().Writes - before; w != 0 {
		t.Errorf("10 evaluations of an unchanged site wrote %d records", w)
	}
}

// newFindingsRunner is serve's findings runner with the default thresholds.
func newFindingsRunner(st *storage.Store, dataDir string, log *slog.Logger) *findings.Runner {
	return findings.NewRunner(findings.RunnerConfig{Store: st, Log: log, Before: webui.SetupCodeKeeper(st, dataDir, log)})
}
