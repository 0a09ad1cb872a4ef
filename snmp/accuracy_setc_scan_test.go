package snmp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tend/inventory"
)

// setCScanDevices reads the batches scripts/accuracy-setc.sh left in dir
// (lab-K.json, the lab's state, and scan-K.json, `tend scan --json` of
// it) and returns each recording's scanned device by file name; a
// recording whose device did not answer SNMP is absent.
func setCScanDevices(t *testing.T, dir string) map[string]inventory.Device {
	t.Helper()
	labs, _ := filepath.Glob(filepath.Join(dir, "lab-*.json"))
	if len(labs) == 0 {
		t.Fatalf("no lab-*.json in %s", dir)
	}
	out := map[string]inventory.Device{}
	for _, labPath := range labs {
		var lab struct {
			Devices []struct {
				IP    netip.Addr `json:"ip"`
				Agent string     `json:"agent"`
			} `json:"devices"`
		}
		var devices []inventory.Device
		scanPath := strings.Replace(labPath, "lab-", "scan-", 1)
		for path, v := range map[string]any{labPath: &lab, scanPath: &devices} {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, v); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
		}
		byIP := map[netip.Addr]inventory.Device{}
		for _, d := range devices {
			if d.SNMP != nil {
				byIP[d.IP] = d
			}
		}
		for _, d := range lab.Devices {
			rec, ok := strings.CutPrefix(d.Agent, "snmpsim:setC/")
			if got, answered := byIP[d.IP]; ok && answered {
				out[rec+".snmprec"] = got
			}
		}
	}
	return out
}

// TestAccuracyScanSetC grades the real path over setC, as `make accuracy
// SET=setC` runs it (scripts/accuracy-setc.sh): every recording served by
// snmpsimd on a lab LAN and identified by `tend scan --json` from the box.
// It scores with TestIdentifySetC's grader and table, counts a device
// that did not answer as missing every field (and lists it), and compares
// each device with the in-process identification of the same recording,
// listing every field that differs. It skips without its input.
func TestAccuracyScanSetC(t *testing.T) {
	scanDir := os.Getenv("TEND_ACCURACY_SETC_DIR")
	if scanDir == "" {
		t.Skip("skipping: run by make accuracy SET=setC (TEND_ACCURACY_SETC_DIR unset)")
	}
	dir := setDir(t, "setC")
	scanned := setCScanDevices(t, scanDir)
	res := &setCResult{families: map[string]*tally{}, rowFamilies: map[vendorRow][]string{},
		title: "snmpsimd lab and `tend scan --json`",
		about: "Written by `make accuracy SET=setC` (scripts/accuracy-setc.sh, TestAccuracyScanSetC): each recording served by snmpsimd\n" +
			"at its own address and MAC on a lab LAN, in batches, and identified by the real `tend scan --json` from the box.\n" +
			"A device that did not answer SNMP counts as missing each field it has a truth for. The held-out families are not\n" +
			"scored blind on this path (TestIdentifySetC does that in-process).\n"}
	var silent, differ []string
	ip := netip.MustParseAddr("192.0.2.1")
	for _, m := range readManifest(t, dir) {
		rec := loadRecording(t, filepath.Join(dir, m.File))
		local, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), ip)
		if err != nil {
			t.Errorf("%s in-process: %v", m.File, err)
		}
		for _, row := range rec.heldRows(local.SNMP.SysObjectID, vendorOIDs()) {
			res.rowFamilies[row] = append(res.rowFamilies[row], m.OS)
		}
		d, ok := scanned[m.File]
		if !ok {
			silent = append(silent, strings.TrimSuffix(m.File, ".snmprec"))
		}
		o := inventory.Observation{Make: d.Make, Model: d.Model, Firmware: d.Firmware, Serial: d.Serial, Type: d.Type}
		res.add(m, o)
		got, want := [3]string{o.Model, o.Firmware, o.Serial}, [3]string{local.Model, local.Firmware, local.Serial}
		for i := range 3 {
			if ok && got[i] != want[i] {
				differ = append(differ, fmt.Sprintf("| %s | %s | %s | %s |", strings.TrimSuffix(m.File, ".snmprec"), fieldNames[i], mdCell(got[i]), mdCell(want[i])))
			}
		}
	}
	res.extra = setCScanSections(silent, differ)
	table := res.table()
	if *writeAccuracySetC != "" {
		if err := os.WriteFile(*writeAccuracySetC, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("setC through tend scan: all %s; development %s; held out %s; %d did not answer; %d fields differ from in-process",
		res.all.cells(), res.dev.cells(), res.held.cells(), len(silent), len(differ))
	for _, d := range differ {
		t.Logf("differs: %s", d)
	}
}

// setCScanSections are the real path's own sections: the devices that
// did not answer, and the fields the scan found otherwise than the
// in-process identification of the same recording.
func setCScanSections(silent, differ []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Did not answer SNMP in the scan (%d devices)\n\n", len(silent))
	if len(silent) > 0 {
		b.WriteString(strings.Join(silent, ", ") + "\n")
	}
	fmt.Fprintf(&b, "\n## Fields that differ from the in-process identification (%d)\n\n", len(differ))
	b.WriteString("| device | field | tend scan | in-process |\n|---|---|---|---|\n")
	for _, d := range differ {
		b.WriteString(d + "\n")
	}
	return b.String()
}
