package hub

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"testing"
	"time"

	"tend/inventory"
	"tend/storage"
	"tend/upstream"
)

// corpusManifest is the SNMP recordings' manifest of ../shared/corpus.
const corpusManifest = "../../shared/corpus/snmp/setA/manifest.jsonl"

// t0 is the tests' fixed date.
var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// recorded is one recorded device of the corpus manifest.
type recorded struct {
	Category, Vendor, OS, Hardware, Version, Serial, SysDescr string
}

// loadRecorded reads the corpus manifest; nil when the corpus is absent.
func loadRecorded(t testing.TB) []recorded {
	f, err := os.Open(corpusManifest)
	if err != nil {
		t.Logf("corpus absent (%v): the test site's network gear is described by the test itself", err)
		return nil
	}
	defer f.Close()
	var out []recorded
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m struct {
			Category string `json:"category"`
			Vendor   string `json:"vendor"`
			OS       string `json:"os"`
			Hardware string `json:"hardware"`
			Version  string `json:"version"`
			Serial   string `json:"serial"`
			SysDescr string `json:"json_sysDescr"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("corpus manifest: %v", err)
		}
		out = append(out, recorded{m.Category, m.Vendor, m.OS, m.Hardware, m.Version, m.Serial, m.SysDescr})
	}
	return out
}

// testSite builds the inputs of an n-device site shaped like a small
// office: a quarter network gear, printers and servers identified over SNMP
// (from the corpus recordings when present), the rest workstations, phones
// and IoT known by MAC vendor and host name only; with open findings,
// forecast and recent events. It is a test fixture, not a real site.
func testSite(t testing.TB, n int, now time.Time) upstream.Inputs {
	rec := loadRecorded(t)
	if len(rec) == 0 {
		rec = []recorded{{"switch", "Cisco", "ios", "WS-C3560-48TS-S", "12.2(55)SE12", "CAT0912N0CU",
			"Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M), Version 12.2(55)SE12, RELEASE SOFTWARE (fc2)"}}
	}
	types := []inventory.DeviceType{inventory.TypeWorkstation, inventory.TypeWorkstation, inventory.TypePhone, inventory.TypeIoT, inventory.TypeCamera, inventory.TypeUnknown}
	vendors := []string{"Dell Inc.", "Hewlett Packard", "Apple, Inc.", "Polycom", "Axis Communications AB", "Intel Corporate"}
	in := upstream.Inputs{Snapshot: inventory.Snapshot{Time: now}}
	eol := now.AddDate(0, 5, 0)
	for i := range n {
		mac, _ := inventory.ParseMAC(fmt.Sprintf("02:00:5e:%02x:%02x:%02x", i>>16&0xff, i>>8&0xff, i&0xff))
		d := inventory.Device{
			MAC: mac, IP: netip.AddrFrom4([4]byte{10, 20, byte(i / 250), byte(1 + i%250)}),
			FirstSeen: now.Add(-time.Duration(i) * time.Hour), LastSeen: now,
			Sources: []inventory.Source{"arp"},
		}
		if i%4 == 0 {
			r := rec[(i/4)%len(rec)]
			d.Type = inventory.DeviceType(r.Category)
			d.Vendor, d.Make, d.Model, d.OS, d.Firmware, d.Serial = r.Vendor, r.Vendor, r.Hardware, r.OS, r.Version, r.Serial
			d.Hostname = fmt.Sprintf("%s-%03d", r.Category, i)
			d.Sources = append(d.Sources, "snmp")
			d.SNMP = &inventory.SNMPSystem{Version: "2c", SysDescr: r.SysDescr, SysName: d.Hostname,
				SysContact: "it@client.example", SysLocation: "Server room, rack 2"}
			status := []inventory.LifecycleStatus{inventory.StatusCurrent, inventory.StatusBehind, inventory.StatusEOL, inventory.StatusSecurityOnly}[i/4%4]
			d.Lifecycle = &inventory.Lifecycle{Product: r.OS, Status: status, EOL: &eol}
			in.Forecast.Due = append(in.Forecast.Due, upstream.Due{MAC: mac.String(), Name: d.Hostname, Product: r.OS, EOL: eol, Within: 6})
			in.Findings = append(in.Findings, inventory.Finding{
				ID: fmt.Sprintf("firmware-eol:%s", mac), Rule: "firmware_eol", Severity: inventory.SeverityHigh, Device: mac.String(),
				Title:    fmt.Sprintf("%s runs %s %s, out of security support", d.Hostname, r.OS, r.Version),
				Evidence: []inventory.Evidence{{Source: "sysDescr", Detail: "Version " + r.Version}, {Source: "catalog", Detail: r.OS + " eol " + eol.Format(time.DateOnly)}},
				Action:   "Upgrade the firmware or plan a replacement", FirstSeen: now.Add(-48 * time.Hour), State: inventory.FindingOpen,
			})
		} else {
			d.Type = types[i%len(types)]
			d.Vendor = vendors[i%len(vendors)]
			d.Hostname = fmt.Sprintf("pc-%03d.office.lan", i)
		}
		in.Snapshot.Devices = append(in.Snapshot.Devices, d)
		if i%25 == 0 {
			in.Snapshot.Events = append(in.Snapshot.Events, inventory.Event{Time: now.Add(-time.Minute), Type: inventory.EventNewDevice,
				Severity: inventory.SeverityInfo, MAC: mac, IP: d.IP, Summary: "new device " + d.Hostname,
				Evidence: []inventory.Evidence{{Source: "arp", Detail: "reply from " + d.IP.String()}}})
		}
	}
	in.Forecast.EOL, in.Forecast.EOL12Months, in.Forecast.Current = n/16, len(in.Forecast.Due), n/16
	in.Health = upstream.Health{Score: 71, Components: []upstream.HealthComponent{
		{Name: "actions", Score: 60, Weight: 50, Detail: "open actions"},
		{Name: "lifecycle", Score: 75, Weight: 30, Detail: "firmware support"},
		{Name: "identification", Score: 90, Weight: 20, Detail: "known device types"},
	}}
	return in
}

// boxSummary is what a box on site would send after taking each of ins in
// turn: the last summary its outbox holds, decoded.
func boxSummary(tb testing.TB, site string, now time.Time, ins ...upstream.Inputs) *upstream.Summary {
	tb.Helper()
	st, err := storage.Open(":memory:", storage.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	var cur upstream.Inputs
	c, err := upstream.NewClient(upstream.ClientConfig{URL: "https://hub.invalid", Site: site, Key: make([]byte, 32),
		Interval: time.Minute, Now: func() time.Time { return now },
		Inputs: func(context.Context) (upstream.Inputs, error) { return cur, nil }}, st)
	if err != nil {
		tb.Fatal(err)
	}
	for _, in := range ins {
		cur = in
		if _, err := c.Enqueue(context.Background()); err != nil {
			tb.Fatal(err)
		}
		now = now.Add(time.Minute)
	}
	items, err := st.Outbox()
	if err != nil || len(items) == 0 {
		tb.Fatalf("outbox: %d items, %v", len(items), err)
	}
	s, err := upstream.DecodeBody(items[len(items)-1].Body)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
