package traffic

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tend/inventory"
)

// hygieneTableFile writes the embedded table to path with its date moved
// by days and edit applied to its entries.
func hygieneTableFile(t *testing.T, path string, days int, edit func([]HygieneEntry) []HygieneEntry) {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(hygieneGz))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	var tbl struct {
		Date    string         `json:"date"`
		Source  string         `json:"source"`
		Entries []HygieneEntry `json:"entries"`
	}
	if err := json.Unmarshal(raw, &tbl); err != nil {
		t.Fatal(err)
	}
	d, _ := time.Parse(time.DateOnly, tbl.Date)
	tbl.Date = d.AddDate(0, 0, days).Format(time.DateOnly)
	tbl.Entries = edit(tbl.Entries)
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if err := json.NewEncoder(zw).Encode(tbl); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	// A distinct modification time each write: Refresh compares size and time.
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	mt := time.Now().Add(time.Duration(days) * time.Second)
	os.Chtimes(path, mt, mt)
}

// TestHygieneTableRefresh: a newer table file in the data directory
// applies without a restart and keeps what endpoints were seen with; an
// older or damaged file never replaces a good table; removing the file
// goes back to the embedded table.
func TestHygieneTableRefresh(t *testing.T) {
	c, err := OpenHygieneCatalog()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), HygieneFileName)
	tr := NewHygieneTracker(c, 0)
	tr.FollowFile(path, nil)
	if tr.Refresh() {
		t.Fatal("Refresh changed the table with no file")
	}
	pc, _ := inventory.ParseMAC("00:11:22:33:44:60")
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	if !tr.ObservePayload(pc, true, lanDNS, 53, dnsMessage(t, "eu.wdcp.microsoft.com", false), at) {
		t.Fatal("a Defender lookup did not match")
	}
	newAV := dnsMessage(t, "beacon.newav.example", false)
	if tr.ObservePayload(pc, true, lanDNS, 53, newAV, at) {
		t.Fatal("a name from no table matched")
	}
	added := HygieneEntry{Category: HygieneProtection, Product: "NewAV - heartbeat", Vendor: "NewAV", Patterns: []string{"beacon.newav.example"},
		Purpose: "heartbeat", Specificity: "service", Confidence: "high", Source: "test"}

	// Older than the embedded table: ignored.
	hygieneTableFile(t, path, -1, func(es []HygieneEntry) []HygieneEntry { return append(es, added) })
	if tr.Refresh() || tr.ObservePayload(pc, true, lanDNS, 53, newAV, at) {
		t.Fatal("an older table file replaced the embedded one")
	}
	// Newer: applies, and Defender's record carries over.
	hygieneTableFile(t, path, 1, func(es []HygieneEntry) []HygieneEntry { return append(es, added) })
	if !tr.Refresh() {
		t.Fatal("a newer table file did not apply")
	}
	if tr.Refresh() {
		t.Fatal("an unchanged file applied twice")
	}
	if !tr.ObservePayload(pc, true, lanDNS, 53, newAV, at.Add(time.Hour)) {
		t.Fatal("the newer table's product did not match")
	}
	tr.ObservePayload(pc, true, lanDNS, 53, dnsMessage(t, "eu.wdcp.microsoft.com", false), at.Add(24*time.Hour))
	h := tr.Device(pc)
	var names []string
	for _, p := range h.EndpointProtection {
		names = append(names, p.Product)
		if p.Product == "Microsoft Defender Antivirus" && (p.DaysSeen != 2 || !p.FirstSeen.Equal(at)) {
			t.Errorf("Defender after the swap: %+v", p)
		}
	}
	if len(names) != 2 || names[1] != "NewAV" {
		t.Fatalf("protection after the swap: %v", names)
	}
	// Damaged: ignored, the newer table stays.
	if err := os.WriteFile(path, []byte("\x1f\x8bnot a table"), 0o644); err != nil {
		t.Fatal(err)
	}
	if tr.Refresh() || tr.Catalog() == c {
		t.Fatal("a damaged file replaced the table in force")
	}
	// Removed: back to the embedded table; NewAV is no longer tracked.
	os.Remove(path)
	if !tr.Refresh() || tr.Catalog() != c {
		t.Fatal("removing the file did not restore the embedded table")
	}
	if h := tr.Device(pc); len(h.EndpointProtection) != 1 || h.EndpointProtection[0].DaysSeen != 2 {
		t.Errorf("after going back: %+v", h.EndpointProtection)
	}
}
