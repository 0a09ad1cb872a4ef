package lifecycle

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"testing"
	"time"

	"tend/inventory"
)

const manifestPath = "../../shared/corpus/snmp/setA/manifest.jsonl"

// asOf is the date the acceptance verdicts are stated for.
var asOf = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

type manifestDevice struct {
	File string
	ID   Facts
}

// loadManifest builds identities from the setA ground truth: the truth
// version stands in for the firmware field SNMP pollers fill from vendor
// MIBs, and the recording's own sysDescr and sysObjectID are kept.
func loadManifest(t *testing.T) []manifestDevice {
	t.Helper()
	f, err := os.Open(manifestPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("corpus manifest %s not present; skipping", manifestPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []manifestDevice
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		s := func(k string) string { v, _ := m[k].(string); return v }
		descr := s("json_sysDescr")
		if descr == "" {
			descr = s("sysDescr")
		}
		oid := s("json_sysObjectID")
		if oid == "" {
			oid = s("sysObjectID")
		}
		out = append(out, manifestDevice{File: s("file"), ID: Facts{
			Make: s("vendor"), Model: s("hardware"), OS: s("os"), Firmware: s("version"),
			Serial: s("serial"), SysDescr: descr, SysObjectID: oid,
		}})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sharedCatalog decodes the embedded catalog once for all tests (about a
// second under the race detector); a Catalog is immutable.
var sharedCatalog = sync.OnceValues(OpenCatalog)

func openCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := sharedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestManifestVerdicts judges the 40 setA devices as of 2026-11-24 and
// checks the verdicts the issue names.
func TestManifestVerdicts(t *testing.T) {
	c := openCatalog(t)
	want := map[string]inventory.LifecycleStatus{
		"fortigate_60f.snmprec":         inventory.StatusEOL,
		"routeros_rb5009upr+s+.snmprec": inventory.StatusEOL,
		"vmware-esxi.snmprec":           inventory.StatusEOL,
		"iosxe_c9300.snmprec":           inventory.StatusEOL,
		"windows_svr_2019_1809.snmprec": inventory.StatusSecurityOnly,
	}
	var judged, aged int
	devs := loadManifest(t)
	for _, d := range devs {
		v := c.Judge(d.ID, asOf)
		a := c.EstimateAge(d.ID, asOf)
		if v.Status != inventory.StatusUnknown {
			judged++
		}
		age := "-"
		if a != nil && len(a.Evidence) > 0 {
			aged++
			age = fmt.Sprintf("%.1f-%.1f y", a.MinYears, a.MaxYears)
			if a.MinYears > a.MaxYears || a.MinYears < 0 {
				t.Errorf("%s: bad age band %+v", d.File, a)
			}
		}
		t.Logf("%-34s %-14s %-16s %-8s %s", d.File, v.Status, v.Product, v.Cycle, age)
		if w, ok := want[d.File]; ok {
			if v.Status != w {
				t.Errorf("%s: status %s, want %s; evidence %+v", d.File, v.Status, w, v.Evidence)
			}
			delete(want, d.File)
		}
		if v.Status != inventory.StatusUnknown && len(v.Evidence) == 0 {
			t.Errorf("%s: verdict without evidence", d.File)
		}
	}
	for f := range want {
		t.Errorf("%s missing from the manifest", f)
	}
	t.Logf("%d of %d devices judged, %d with an age estimate", judged, len(devs), aged)
	// Without a first sighting, only evidence about the equipment itself
	// dates it here; the corpus carries such evidence (build stamps,
	// serial date codes, catalog dates, CPUs) for a bit over half of the
	// devices. On a live network first_seen dates every device.
	if aged*100 < 50*len(devs) {
		t.Errorf("only %d of %d devices have an age estimate", aged, len(devs))
	}
}

// TestManifestSystemGroupOnly judges the setA devices from sysDescr and
// sysObjectID alone, as tend does when an agent answers nothing more: the
// verdicts whose version is in sysDescr must not depend on SNMP identity.
func TestManifestSystemGroupOnly(t *testing.T) {
	c := openCatalog(t)
	want := map[string]inventory.LifecycleStatus{
		"vmware-esxi.snmprec":           inventory.StatusEOL,
		"iosxe_c9300.snmprec":           inventory.StatusEOL,
		"windows_svr_2019_1809.snmprec": inventory.StatusSecurityOnly,
		"ios_c3560.snmprec":             inventory.StatusEOL,
		"pfsense.snmprec":               inventory.StatusEOL,
	}
	dated := 0
	devs := loadManifest(t)
	for _, d := range devs {
		id := Facts{SysDescr: d.ID.SysDescr, SysObjectID: d.ID.SysObjectID}
		v := c.Judge(id, asOf)
		if w, ok := want[d.File]; ok && v.Status != w {
			t.Errorf("%s: %s, want %s; evidence %+v", d.File, v.Status, w, v.Evidence)
		}
		if a := c.EstimateAge(id, asOf); a != nil {
			dated++
			if a.MinYears < 0 || a.MinYears > a.MaxYears || a.MaxYears > 40 {
				t.Errorf("%s: bad age band %+v", d.File, a)
			}
		}
	}
	t.Logf("%d of %d devices dated from the system group alone", dated, len(devs))
	if dated < 15 {
		t.Errorf("only %d devices dated from sysDescr; 15 carry a date there", dated)
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
