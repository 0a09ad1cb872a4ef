package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"tend/inventory"
	"tend/lab"
)

// weakAgeSources are age evidence that only says the device exists now;
// the rest dates the equipment itself.
var weakAgeSources = map[string]bool{"first_seen": true, "assumption": true, "uptime": true}

// labAsOf is the date the lab's lifecycle verdicts are judged on: a fixed
// date, so that a support date passing does not change the test's meaning.
const labAsOf = "2026-11-24"

// TestLabOfficeAsOf brings the office lab up once and scans it once, as of
// labAsOf, for the two acceptances that read the same scan: lifecycle
// (issue 5) and vulnerabilities (issue 17). When TestLabScan runs in the
// same go test, they read its scan of its office lab instead
// (TestLabScan/Lifecycle, TestLabScan/Vulnerabilities) and this test
// skips: each office lab is 48 namespaces and 41 SNMP agents to start,
// one at a time (holdLabUp), 50 to 80 s on two loaded cores.
func TestLabOfficeAsOf(t *testing.T) {
	needLabTools(t)
	if labScanRuns() {
		t.Skip("checked on TestLabScan's scan of its office lab (TestLabScan/Lifecycle, TestLabScan/Vulnerabilities)")
	}
	t.Parallel() // see labParallel
	corpus := lab.FindCorpus("../../../shared/corpus/snmp")
	if corpus == "" {
		t.Skip("reference corpus ../shared/corpus/snmp absent: the setA lab cannot be built")
	}
	bin := tendBinary(t)
	st, _ := upLab(t, bin, "l", "--lan", "office", "--corpus", corpus)
	out, stderr, err := runTend(t, bin, st.BoxNetns, "scan", "--interface", st.BoxIface, "--json", "--as-of", labAsOf)
	if err != nil {
		t.Fatalf("scan: %v: %s", err, stderr)
	}
	t.Logf("scan: %s", strings.TrimSpace(stderr))
	var found []inventory.Device
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		t.Fatalf("scan --json: %v", err)
	}
	checkOfficeAsOf(t, st, found, out, stderr)
}

// checkOfficeAsOf runs TestLabOfficeAsOf's acceptances as subtests of t
// on a scan of the office lab as of labAsOf.
func checkOfficeAsOf(t *testing.T, st lab.State, found []inventory.Device, out, stderr string) {
	t.Run("Lifecycle", func(t *testing.T) { checkLabLifecycle(t, st, found, out, stderr) })
	t.Run("Vulnerabilities", func(t *testing.T) { checkLabVulnerabilities(t, st, found, out) })
}

// labScanRuns says whether this go test runs TestLabScan (-test.run and
// -test.skip at the top level, as go test matches them) with the
// reference corpus, so that its scan of the office lab serves
// TestLabOfficeAsOf's checks too.
func labScanRuns() bool {
	if lab.FindCorpus("../../../shared/corpus/snmp") == "" {
		return false
	}
	matches := func(name, def string) bool {
		f := flag.Lookup(name)
		if f == nil || f.Value.String() == "" {
			return def == "match"
		}
		top, _, _ := strings.Cut(f.Value.String(), "/")
		ok, err := regexp.MatchString(top, "TestLabScan")
		return err == nil && ok
	}
	return matches("test.run", "match") && !matches("test.skip", "")
}

// checkLabLifecycle is issue 5's acceptance on TestLabOfficeAsOf's scan of
// the office lab, which serves the setA recordings: judged as of labAsOf,
// FortiGate 60F on FortiOS 7.2.6, the RouterOS 7.20.6 router, ESXi 7.0.0 and
// the IOS XE 16.6.7 Catalyst 9300 are end of life and Windows Server 2019
// security-only, and at least 80 % of the SNMP devices have an age
// estimate with evidence.
func checkLabLifecycle(t *testing.T, st lab.State, found []inventory.Device, out, stderr string) {
	if !strings.Contains(stderr, "catalog dated ") {
		t.Errorf("scan does not show the catalog's date: %s", stderr)
	}
	// The JSON contract: lifecycle and age under those names.
	if !strings.Contains(out, `"lifecycle": {`) || !strings.Contains(out, `"age": {`) || !strings.Contains(out, `"catalog_date": "`) {
		t.Error("scan --json lacks lifecycle, age or catalog_date objects")
	}
	byMAC := map[string]inventory.Device{}
	for _, d := range found {
		byMAC[d.MAC.String()] = d
	}

	want := map[string]inventory.LifecycleStatus{
		"fw-fortigate":  inventory.StatusEOL,          // FortiOS 7.2.6: security support ended 2026-09-30
		"gw-mikrotik":   inventory.StatusEOL,          // RouterOS 7.20.6: 7.20 superseded
		"esxi-01":       inventory.StatusEOL,          // ESXi 7.0: ended 2025-10-02
		"sw-core-c9300": inventory.StatusEOL,          // IOS XE 16.6.7: older than any tracked cycle
		"srv-windows":   inventory.StatusSecurityOnly, // Server 2019: mainstream ended 2024-01-09
	}
	var (
		snmpDevices, aged, dated int
		lines, noFirmware        []string
	)
	for _, ld := range st.Devices {
		d, ok := byMAC[ld.MACText]
		if !ok {
			t.Errorf("%s (%s) not found by the scan", ld.Name, ld.MACText)
			continue
		}
		if d.Lifecycle == nil {
			t.Errorf("%s: no lifecycle verdict", ld.Name)
			continue
		}
		if w, ok := want[ld.Name]; ok {
			switch {
			case d.Lifecycle.Status == w:
			case d.Lifecycle.Status == inventory.StatusUnknown && d.Firmware == "" && (d.SNMP == nil || !hasDigitDot(d.SNMP.SysDescr)):
				// The agent's system group carries no version (FortiGate's
				// sysDescr is empty, RouterOS's names only the model): the
				// version comes from the vendor MIB once SNMP identity
				// reads it.
				noFirmware = append(noFirmware, ld.Name)
			default:
				t.Errorf("%s: %s (%s %s), want %s; firmware %q; evidence %+v", ld.Name, d.Lifecycle.Status,
					d.Lifecycle.Product, d.Lifecycle.Cycle, w, d.Firmware, d.Lifecycle.Evidence)
			}
			if d.Lifecycle.Status != inventory.StatusUnknown && len(d.Lifecycle.Evidence) < 2 {
				t.Errorf("%s: verdict with too little evidence: %+v", ld.Name, d.Lifecycle.Evidence)
			}
		}
		if d.SNMP == nil {
			continue
		}
		snmpDevices++
		age, sources := "-", ""
		if a := d.Age; a != nil && len(a.Evidence) > 0 {
			aged++
			var src []string
			strong := false
			for _, e := range a.Evidence {
				src = append(src, e.Source)
				strong = strong || !weakAgeSources[e.Source]
			}
			if strong {
				dated++
			}
			if a.MinYears < 0 || a.MinYears > a.MaxYears {
				t.Errorf("%s: bad age band %+v", ld.Name, a)
			}
			age, sources = fmt.Sprintf("%.1f-%.1f y", a.MinYears, a.MaxYears), strings.Join(src, ",")
		}
		lines = append(lines, fmt.Sprintf("%-15s %-14s %-15s %-7s %-11s %s", ld.Name, d.Lifecycle.Status, d.Lifecycle.Product, d.Lifecycle.Cycle, age, sources))
	}
	sort.Strings(lines)
	t.Logf("as of %s:\n%s", labAsOf, strings.Join(lines, "\n"))
	t.Logf("%d SNMP devices: %d with an age estimate and evidence, %d dated by more than first sight and uptime", snmpDevices, aged, dated)
	if snmpDevices < 40 {
		t.Errorf("only %d devices answered SNMP, the office lab has 41", snmpDevices)
	}
	if aged*100 < 80*snmpDevices {
		t.Errorf("%d of %d SNMP devices have an age estimate with evidence, want at least 80 %%", aged, snmpDevices)
	}
	// The recordings' own dates (build stamps, serial date codes, catalog
	// release dates) must keep dating a good share of the devices.
	if dated*100 < 25*snmpDevices {
		t.Errorf("only %d of %d SNMP devices are dated by evidence about the equipment itself", dated, snmpDevices)
	}
	if len(noFirmware) > 0 {
		t.Skipf("verdicts asserted except for %s: SNMP reported no firmware version for them (the system group has none; SNMP identity must read the vendor MIB)", strings.Join(noFirmware, ", "))
	}
}

// hasDigitDot reports whether s holds something like a version number.
func hasDigitDot(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' && s[i+1] == '.' {
			return true
		}
	}
	return false
}
