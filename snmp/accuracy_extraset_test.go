package snmp

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// extraEntry is one line of an extra set's manifest.jsonl: setC's format,
// plus the fields whose truth the set's author found wrong (field name →
// reason), which are listed and left out of the score as setC's
// disagreements are.
type extraEntry struct {
	manifestEntry
	Disagree map[string]string `json:"disagree"`
}

// extraResult is an extra set graded: the tally, one row per device
// (file, make, type and per field tend's value, the truth and the grade),
// every wrong or missing field, and every field left out as a
// disagreement.
type extraResult struct {
	all                   tally
	rows, misses, skipped []string
}

// gradeExtraSet runs Identify, the real poller code, on every recording
// dir's manifest.jsonl lists and grades model, firmware and serial the way
// TestIdentifySetC does. A set with no device, a listed file missing or
// empty, or no truth known for any field is an error: a score over it
// would say nothing.
func gradeExtraSet(t testing.TB, dir string) (extraResult, error) {
	t.Helper()
	var res extraResult
	f, err := os.Open(filepath.Join(dir, "manifest.jsonl"))
	if err != nil {
		return res, err
	}
	defer f.Close()
	var entries []extraEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var e extraEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return res, fmt.Errorf("manifest: %v", err)
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return res, err
	}
	if len(entries) == 0 {
		return res, fmt.Errorf("%s: manifest lists no device", dir)
	}
	ip := netip.MustParseAddr("192.0.2.1")
	for _, e := range entries {
		path := filepath.Join(dir, e.File)
		if _, err := os.Stat(path); err != nil {
			return res, err
		}
		rec := loadRecording(t, path)
		if len(rec.sorted) == 0 {
			return res, fmt.Errorf("%s: no object read", e.File)
		}
		o, err := newPoller(accuracyConfig(), nil, rec.session).Identify(context.Background(), ip)
		if err != nil {
			return res, fmt.Errorf("%s: %v", e.File, err)
		}
		truth := knownTruths(e.manifestEntry)
		got := [3]string{o.Model, o.Firmware, o.Serial}
		res.all.devices++
		cells := []string{strings.TrimSuffix(e.File, ".snmprec"), mdCell(o.Make), string(scanType(o).Type)}
		for i := range 3 {
			g := gradeField(i, got[i], truth[i])
			if why := e.Disagree[fieldNames[i]]; why != "" && g != "" {
				res.skipped = append(res.skipped, fmt.Sprintf("%s %s: truth %q, tend %q: %s", e.File, fieldNames[i], truth[i], got[i], why))
				g = "disagreement"
			}
			switch g {
			case "exact", "match":
				res.all.known[i]++
				res.all.right[i]++
			case "wrong", "missing":
				res.all.known[i]++
				res.misses = append(res.misses, fmt.Sprintf("%s %s: tend %q, truth %q", e.File, fieldNames[i], got[i], truth[i]))
			case "":
				g = "no truth"
			}
			cells = append(cells, fmt.Sprintf("%s | %s | %s", mdCell(got[i]), mdCell(truth[i]), g))
		}
		res.rows = append(res.rows, "| "+strings.Join(cells, " | ")+" |")
	}
	if res.all.known == [3]int{} {
		return res, fmt.Errorf("%s: no device has a known model, firmware or serial", dir)
	}
	return res, nil
}

// TestIdentifyExtraSet grades Identify on recordings outside setA and
// setC: the folder $TEND_EXTRA_SET names (manifest.jsonl in setC's format
// and the .snmprec files), for a score on gear the rules were not written
// from. It logs a row per device, every miss and the totals; it skips when
// the variable is unset and fails when the folder gives nothing to grade.
func TestIdentifyExtraSet(t *testing.T) {
	dir := os.Getenv("TEND_EXTRA_SET")
	if dir == "" {
		t.Skip("skipping: TEND_EXTRA_SET names no folder of extra recordings")
	}
	res, err := gradeExtraSet(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("| device | make | type | model (tend) | model (truth) | grade | firmware (tend) | firmware (truth) | grade | serial (tend) | serial (truth) | grade |")
	for _, r := range res.rows {
		t.Log(r)
	}
	for _, m := range res.misses {
		t.Log("miss: " + m)
	}
	for _, s := range res.skipped {
		t.Log("disagreement: " + s)
	}
	t.Logf("extra set, %d devices: model | firmware | serial right/known: %s", res.all.devices, res.all.cells())
}

// TestGradeExtraSet checks the extra-set grader on a set written here: a
// device whose truth tend reads is right, the same recording under a
// wrong model is a miss, a field marked as a disagreement leaves the
// score, and an empty manifest or a missing file is an error.
func TestGradeExtraSet(t *testing.T) {
	dir := t.TempDir()
	rec := strings.Join([]string{
		"1.3.6.1.2.1.1.1.0|4|Example switch",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1",
		"1.3.6.1.2.1.47.1.1.1.1.2.1|4|Chassis",
		"1.3.6.1.2.1.47.1.1.1.1.4.1|2|0",
		"1.3.6.1.2.1.47.1.1.1.1.5.1|2|3",
		"1.3.6.1.2.1.47.1.1.1.1.10.1|4|4.2.1",
		"1.3.6.1.2.1.47.1.1.1.1.11.1|4|SN12345678",
		"1.3.6.1.2.1.47.1.1.1.1.13.1|4|XS-2400",
	}, "\n") + "\n"
	for _, name := range []string{"a.snmprec", "b.snmprec"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(rec), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	manifest := `{"file": "a.snmprec", "hardware": "XS-2400", "version": "4.2.1", "serial": "SN12345678"}
{"file": "b.snmprec", "hardware": "ZZ-9000", "version": "9.9.9", "serial": "SN12345678", "disagree": {"firmware": "the test marks it"}}
`
	if err := os.WriteFile(filepath.Join(dir, "manifest.jsonl"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := gradeExtraSet(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := tally{devices: 2, known: [3]int{2, 1, 2}, right: [3]int{1, 1, 2}}
	if res.all != want {
		t.Errorf("tally %+v, want %+v (rows %q, misses %q)", res.all, want, res.rows, res.misses)
	}
	if len(res.misses) != 1 || !strings.Contains(res.misses[0], "b.snmprec model") {
		t.Errorf("misses %q, want b.snmprec's model alone", res.misses)
	}
	if len(res.skipped) != 1 || !strings.Contains(res.skipped[0], "b.snmprec firmware") {
		t.Errorf("disagreements %q, want b.snmprec's firmware alone", res.skipped)
	}

	if err := os.WriteFile(filepath.Join(dir, "manifest.jsonl"), []byte("\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := gradeExtraSet(t, dir); err == nil {
		t.Error("an empty manifest graded without an error")
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.jsonl"), []byte(`{"file": "gone.snmprec", "hardware": "X"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := gradeExtraSet(t, dir); err == nil {
		t.Error("a missing recording graded without an error")
	}
}
