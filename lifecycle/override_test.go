package lifecycle

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCurrentOverrides runs the one override loader on both catalogs: a
// newer vulnerability file wins, is re-read when it changes, a damaged or
// older one is logged and never replaces the embedded catalog, and a
// removed one falls back to the embedded one.
func TestCurrentOverrides(t *testing.T) {
	var logs bytes.Buffer
	dir := t.TempDir()
	vpath, epath := filepath.Join(dir, "vulns.json.gz"), filepath.Join(dir, "catalog.json.gz")
	j, err := NewCurrent(CurrentConfig{Path: epath, VulnPath: vpath, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	emb, embEOL := j.Vulns(), j.Catalog()
	n := 0
	put := func(src string) {
		t.Helper()
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(vpath, b, 0o644); err != nil {
			t.Fatal(err)
		}
		// A different modification time, as a push a second later would give.
		n++
		mt := time.Now().Add(time.Duration(n) * time.Second)
		if err := os.Chtimes(vpath, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	put(writeCatalog(t, "2030-01-01", false))
	if got := j.Vulns(); got == emb || got.Date().Year() != 2030 {
		t.Fatalf("newer file not used: %v", got.Date())
	}
	put(writeCatalog(t, "2031-01-01", false))
	if got := j.Vulns(); got.Date().Year() != 2031 {
		t.Errorf("changed file not re-read: %v", got.Date())
	}
	put(writeCatalog(t, "2032-01-01", true))
	if got := j.Vulns(); got.Date().Year() != 2031 {
		t.Errorf("a damaged file replaced the catalog in force: %v", got.Date())
	}
	if !strings.Contains(logs.String(), "vulnerability catalog file rejected") {
		t.Errorf("damaged file not logged:\n%s", logs.String())
	}
	put(writeCatalog(t, "2020-01-01", false))
	if got := j.Vulns(); got != emb {
		t.Errorf("an older file replaced the embedded catalog: %v", got.Date())
	}
	if err := os.Remove(vpath); err != nil {
		t.Fatal(err)
	}
	if got := j.Vulns(); got != emb {
		t.Error("removed file did not fall back to the embedded catalog")
	}
	// The end-of-life catalog goes through the same loader.
	if err := os.WriteFile(epath, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if j.Catalog() != embEOL || !strings.Contains(logs.String(), "catalog file rejected") {
		t.Errorf("damaged end-of-life catalog file not ignored and logged:\n%s", logs.String())
	}
}

// TestDecodeVulnCatalogRejects: malformed catalogs give an error that says
// what is wrong, never a catalog.
func TestDecodeVulnCatalogRejects(t *testing.T) {
	fam := `"families":[{"key":"x","coverage":"deep"}]`
	for _, tc := range []struct{ in, want string }{
		{`{"format":2,"date":"2026-01-01"}`, "format 2"},
		{`{"format":1,"date":"2026-01-01",` + fam + `,"cves":[]}`, "no CVE records"},
		{`{"format":1,"date":"2026-01-01","cves":[{"id":"CVE-1-1"}],` + fam + `}`, "before the format and families"},
		{`{"format":1,"date":"2026-01-01",` + fam + `,"cves":[{"id":"X-1"}]}`, "bad id"},
		{`{"format":1,"date":"2026-01-01",` + fam + `,"cves":[{"id":"CVE-1-1","m":[{"p":"y","cpe":"o:a:b"}]}]}`, "not among the families"},
		{`{"format":1,"date":"2026-01-01",` + fam + `,"cves":[{"id":"CVE-1-1","m":[{"p":"x","cpe":"o:a:b","vs":"1.0"}]}]}`, "not a list"},
		{`{"format":1,"date":"2026-01-01",` + fam + `,"cves":[{"id":"CVE-1-1","m":[{"p":"x","cpe":"o:a:b","vs":[1]}]}]}`, "other than strings"},
		{`{"format":1,"date":"2026-01-01",` + fam + `,"cves":[{"id":"CVE-1-1","pub":"yesterday"}]}`, "bad date"},
		{`{"format":1,"date":"2026-01-01",` + fam + `,"cves":[{"id":"CVE-1-1"}]} {}`, "after the catalog"},
		{`{"format":1,"date":"someday",` + fam + `,"cves":[{"id":"CVE-1-1"}]}`, "catalog date"},
	} {
		c, err := decodeVulnCatalog([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, %v; want an error with %q", tc.in, c, err, tc.want)
		}
	}
	// Escapes in a version list are read, not refused.
	c, err := decodeVulnCatalog([]byte(`{"format":1,"date":"2026-01-01",` + fam + `,"cves":[{"id":"CVE-1-1","m":[{"p":"x","cpe":"o:a:b","vs":["1.0","1.\u0031"],"src":"nvd"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.JudgeVulns(VulnQuery{Product: "x", Raw: "1.1"}, time.Time{}); len(got.CVEs) != 1 || got.CVEs[0].Range != "listed: 1.1" {
		t.Errorf("escaped listed version not matched: %+v", got)
	}
}
