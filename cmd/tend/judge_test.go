package main

import (
	"io"
	"log/slog"
	"net/netip"
	"os"
	"testing"
	"time"

	"tend/inventory"
	"tend/lifecycle"
	"tend/storage"
)

var judgeDay = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func testJudge(t *testing.T, path string) *lifecycle.Current {
	t.Helper()
	j, err := lifecycle.NewCurrent(lifecycle.CurrentConfig{Path: path, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return judgeDay }})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// writeCatalog writes a catalog file and gives it its own modification
// time, so the judge sees a change even within the clock's resolution.
func writeCatalog(t *testing.T, path, content string, mod time.Time) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
}

// TestJudgeCatalogOverride follows a data directory's catalog file through
// its life: absent, pushed (newer), replaced by an older one, corrupted,
// removed. Verdicts follow without a restart.
func TestJudgeCatalogOverride(t *testing.T) {
	path := lifecycle.DataDirConfig(t.TempDir()).Path
	j := testJudge(t, path)
	embedded := j.Catalog()
	router := inventory.Device{Firmware: "7.20.6", OS: "routeros", FirstSeen: judgeDay}
	status := func() (inventory.LifecycleStatus, string) {
		d := router
		j.Assess(&d)
		return d.Lifecycle.Status, d.Lifecycle.CatalogDate
	}
	if s, date := status(); s != inventory.StatusEOL || date != embedded.Date().Format(time.DateOnly) {
		t.Fatalf("embedded: %s from %s, want eol from %s", s, date, embedded.Date().Format(time.DateOnly))
	}

	const newer = `{"format":1,"date":"2027-01-31","products":[{"id":"routeros","label":"RouterOS","cycles":[{"cycle":"7.20","released":"2025-09-30","latest":"7.20.9"}]}]}`
	writeCatalog(t, path, newer, judgeDay.Add(-3*time.Hour))
	if s, date := status(); s != inventory.StatusBehind || date != "2027-01-31" {
		t.Errorf("after a newer file: %s from %s, want behind from 2027-01-31", s, date)
	}

	older := `{"format":1,"date":"2020-01-01","products":[{"id":"routeros","label":"RouterOS","cycles":[{"cycle":"7.20","released":"2025-09-30","latest":"7.20.6"}]}]}`
	writeCatalog(t, path, older, judgeDay.Add(-2*time.Hour))
	if got := j.Catalog(); got != embedded {
		t.Errorf("an older file replaced the embedded catalog (dated %s)", got.Date().Format(time.DateOnly))
	}

	writeCatalog(t, path, newer, judgeDay.Add(-time.Hour))
	if _, date := status(); date != "2027-01-31" {
		t.Errorf("the newer file again: verdicts from %s", date)
	}
	writeCatalog(t, path, "{not json", judgeDay)
	if _, date := status(); date != "2027-01-31" {
		t.Errorf("a corrupt file replaced the catalog in use: now %s", date)
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if got := j.Catalog(); got != embedded {
		t.Error("the embedded catalog did not come back when the file was removed")
	}
}

// TestJudgeStoredDevices judges devices in a real buntdb store the way
// serve does after a sweep: changed verdicts are written, unchanged ones
// cost nothing, and a person's purchase date wins over the estimate.
func TestJudgeStoredDevices(t *testing.T) {
	st, err := storage.Open(":memory:", storage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	mac, _ := inventory.ParseMAC("00:14:38:10:00:4a")
	esxi := inventory.Observation{Time: judgeDay, Source: inventory.SourceSNMP, MAC: mac, IP: netip.MustParseAddr("10.77.0.74"),
		SNMP: &inventory.SNMPSystem{Version: "2c", SysDescr: "VMware ESXi 7.0.0 build-15843807 VMware, Inc. x86_64", SysObjectID: "1.3.6.1.4.1.6876.4.1"}}
	if _, err := st.Apply(esxi); err != nil {
		t.Fatal(err)
	}
	j := testJudge(t, "")
	if changed, err := st.UpdateDevices(j.Rejudge); err != nil || changed != 1 {
		t.Fatalf("judge the stored devices: %d changed, %v", changed, err)
	}
	d, _ := st.Device(mac)
	if d.Lifecycle == nil || d.Lifecycle.Status != inventory.StatusEOL || d.Age == nil || len(d.Age.Evidence) == 0 {
		t.Fatalf("stored verdict %+v age %+v", d.Lifecycle, d.Age)
	}
	if v := d.Vulnerabilities; v == nil || v.Product != "vmware-esxi" || v.CatalogDate == "" || v.Status == inventory.VulnNone {
		t.Fatalf("stored vulnerability verdict %+v", v)
	}
	if changed, err := st.UpdateDevices(j.Rejudge); err != nil || changed != 0 {
		t.Errorf("unchanged verdicts: %d devices written, %v", changed, err)
	}

	// A purchase date (as the UI would store it) overrides the estimate.
	bought := time.Date(2020, 5, 1, 0, 0, 0, 0, time.UTC)
	if _, err := st.UpdateDevices(func(d *inventory.Device) bool { d.PurchaseDate = &bought; return true }); err != nil {
		t.Fatal(err)
	}
	if changed, err := st.UpdateDevices(j.Rejudge); err != nil || changed != 1 {
		t.Fatalf("judge after a purchase date: %d changed, %v", changed, err)
	}
	d, _ = st.Device(mac)
	if d.Age == nil || d.Age.Evidence[0].Source != "purchase_date" || d.Age.MinYears != 6.6 {
		t.Errorf("purchase date not used: %+v", d.Age)
	}
}

func TestForecastLine(t *testing.T) {
	j := testJudge(t, "")
	day := func(months int) *time.Time { x := judgeDay.AddDate(0, months, -1); return &x }
	var devs []inventory.Device
	for i, m := range []int{2, 5, 11, 11, 20} {
		mac, _ := inventory.ParseMAC("02:00:00:00:00:0" + string(rune('1'+i)))
		devs = append(devs, inventory.Device{MAC: mac, Lifecycle: &inventory.Lifecycle{Status: inventory.StatusCurrent, EOL: day(m)}})
	}
	const want = "end of support within 3 months: 1 devices, 3-6 months: 1, 6-12 months: 2"
	if got := lifecycle.ForecastSummary(j.Forecast(devs)); got != want {
		t.Errorf("forecastLine = %q, want %q", got, want)
	}
}
