package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"tend/lifecycle"
	"testing"
	"time"

	"tend/inventory"
)

// TestCatalogJudge runs `tend catalog judge` as a script would, as of a
// fixed date.
func TestCatalogJudge(t *testing.T) {
	judgeOne := func(args ...string) (inventory.Vulnerabilities, inventory.Lifecycle, error) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), append([]string{"catalog", "judge", "--as-of", "2026-08-01", "--json"}, args...), nil, &out, &errOut)
		var got struct {
			Lifecycle       inventory.Lifecycle       `json:"lifecycle"`
			Vulnerabilities inventory.Vulnerabilities `json:"vulnerabilities"`
			Notice          string                    `json:"notice"`
		}
		if err == nil {
			if jerr := json.Unmarshal(out.Bytes(), &got); jerr != nil {
				t.Fatalf("output is not JSON: %v\n%s", jerr, out.String())
			}
			if !strings.Contains(got.Notice, "NVD") {
				t.Errorf("no NVD notice: %q", got.Notice)
			}
		}
		return got.Vulnerabilities, got.Lifecycle, err
	}
	v, lc, err := judgeOne("--product", "fortios", "--version", "v7.2.6,build1575")
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != inventory.VulnAffected || !slices.Contains(v.KEV, "CVE-2024-21762") || v.KEVFixedIn != "7.2.7" || lc.Product != "fortios" || lc.Cycle != "7.2" {
		t.Errorf("fortios 7.2.6: %s kev %v kev fixed %q; lifecycle %s %s", v.Status, v.KEV, v.KEVFixedIn, lc.Product, lc.Cycle)
	}
	v, _, err = judgeOne("--product", "pan-os", "--version", "10.2.9-h1")
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(v.KEV, "CVE-2024-3400") {
		t.Error("PAN-OS 10.2.9-h1 reported with CVE-2024-3400, fixed in that hotfix")
	}
	v, _, err = judgeOne("--product", "fortios", "--version", "not a version")
	if err != nil || v.Status != inventory.VulnUnknown || !strings.Contains(v.Reason, "not a version") {
		t.Errorf("bad version: err %v status %s reason %q", err, v.Status, v.Reason)
	}
	if _, _, err := judgeOne("--version", "1.0"); err == nil {
		t.Error("no --product accepted")
	}
}

// TestVulnCatalogFileRules: a damaged or older vulnerability catalog file
// in the data directory never replaces the embedded one.
func TestVulnCatalogFileRules(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, lifecycle.VulnsFileName)
	vj, err := lifecycle.NewCurrent(lifecycle.CurrentConfig{VulnPath: path, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	emb := vj.Vulns()
	if err := os.WriteFile(path, []byte("\x1f\x8bdamaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	if vj.Vulns() != emb {
		t.Error("a damaged file replaced the embedded catalog")
	}
	old := `{"format":1,"date":"2001-01-01","families":[{"key":"fortios","coverage":"deep"}],"cves":[{"id":"CVE-2001-0001"}]}`
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, time.Unix(1e9, 0), time.Unix(1e9, 0)); err != nil {
		t.Fatal(err)
	}
	if vj.Vulns() != emb {
		t.Error("an older file replaced the embedded catalog")
	}
	newer := strings.Replace(old, "2001-01-01", "2099-01-01", 1)
	if err := os.WriteFile(path, []byte(newer), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, time.Unix(2e9, 0), time.Unix(2e9, 0)); err != nil {
		t.Fatal(err)
	}
	if c := vj.Vulns(); c == emb || c.Date().Year() != 2099 {
		t.Error("a newer file did not replace the embedded catalog")
	}
}
