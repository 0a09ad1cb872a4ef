package snmp

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"tend/inventory"
)

// manifestEntry is one line of setA/manifest.jsonl: a recording and what
// LibreNMS's own discovery says the device is.
type manifestEntry struct {
	File     string `json:"file"`
	Vendor   string `json:"vendor"`
	Category string `json:"category"`
	Hardware string `json:"hardware"`
	Version  string `json:"version"`
	Serial   string `json:"serial"`
	OS       string `json:"os"`
	SysDescr string `json:"sysDescr"`
	Type     string `json:"type"` // LibreNMS's coarse type (network, power, wireless, …)
}

func readManifest(t testing.TB, dir string) []manifestEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "manifest.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []manifestEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m manifestEntry
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("manifest: %v", err)
		}
		out = append(out, m)
	}
	return out
}

// tokens lowers s and splits it into runs of letters and digits: the
// comparison ignores case and punctuation ("CBS350-24P-4X" = "cbs350 24p 4x").
// A version's "v" is dropped ("V1.55.126" = "1.55.126").
func tokens(s string) []string {
	t := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range t {
		if len(w) > 1 && w[0] == 'v' && strings.Trim(w[1:], "0123456789") == "" {
			t[i] = w[1:]
		}
	}
	return t
}

// grade compares what tend found with the truth: "exact" when equal but
// for case and punctuation, "match" when one's tokens are a contiguous run
// of the other's (LibreNMS decorates: "CAT9K_IOSXE 16.6.7" for 16.6.7,
// "CBS350-24P-4X V01" for CBS350-24P-4X), "wrong" or "missing" otherwise,
// "" when the truth is unknown.
func grade(got, truth string) string {
	tt, gt := tokens(truth), tokens(got)
	switch {
	case len(tt) == 0:
		return ""
	case len(gt) == 0:
		return "missing"
	case strings.Join(tt, "") == strings.Join(gt, ""):
		return "exact"
	case containsRun(tt, gt) || containsRun(gt, tt):
		return "match"
	}
	return "wrong"
}

// gradeField is grade for one of fieldNames: a firmware's numbers are
// compared without their leading zeros, as tend's own version order does
// (lifecycle.CompareVersions compares digit runs as numbers): AIX's
// "06.01.0009.0300" is IBM's 6.1.9.300, IOS XE's entPhysicalSoftwareRev
// "17.03.01" Cisco's 17.3.1. tend's output keeps the agent's spelling:
// Eaton, Enterasys, Hirschmann and HPE write their releases zero-padded
// ("05.01.0002", "06.03.08.0012"), and LibreNMS's truth keeps it too.
// A firmware's match must not start inside a dotted number: "V1.0" is no
// run of "TDCM V1.1.1 - EDFA V1.1.0" (a module's hardware revision, not
// its software's release), while "1.8.0" is one of "1.8.0.4853089".
//
// Two MAC-shaped serials compare as the six octets they write: LibreNMS
// prints Axis's serial, the camera's MAC, without the octets' leading
// zeros ("b8:a4:4f:2:fe:1"), the number tend gives as B8A44F02FE01.
func gradeField(field int, got, truth string) string {
	if a, ok := macOctets(got); ok && fieldNames[field] == "serial" {
		if b, ok := macOctets(truth); ok && a == b {
			return "exact"
		}
	}
	if fieldNames[field] != "firmware" {
		return grade(got, truth)
	}
	g := grade(unpadded(got), unpadded(truth))
	if g == "match" && !alignedRun(truth, got) && !alignedRun(got, truth) {
		return "wrong"
	}
	return g
}

// macOctets reads a MAC-shaped value: six groups of one or two hex digits
// between colons or hyphens, or twelve hex digits alone.
func macOctets(s string) ([6]byte, bool) {
	var out [6]byte
	groups := strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == '-' })
	if len(groups) == 1 && len(s) == 12 {
		groups = []string{s[0:2], s[2:4], s[4:6], s[6:8], s[8:10], s[10:12]}
	}
	if len(groups) != 6 {
		return out, false
	}
	for i, g := range groups {
		n, err := strconv.ParseUint(g, 16, 8)
		if err != nil || len(g) > 2 {
			return out, false
		}
		out[i] = byte(n)
	}
	return out, true
}

// alignedRun reports short's tokens a contiguous run of long's (both
// unpadded) that starts at a version's start: not at a number that
// continues the dotted number before it ("1.1.0"'s second "1").
func alignedRun(long, short string) bool {
	lt, st := strings.Fields(unpadded(long)), strings.Fields(unpadded(short))
	lower := strings.ToLower(long)
	starts := wordRe.FindAllStringIndex(lower, -1)
	for i := 0; i+len(st) <= len(lt) && len(st) > 0; i++ {
		a, b := starts[i][0], starts[i][1]
		inside := a >= 2 && lower[a-1] == '.' && lower[a-2] >= '0' && lower[a-2] <= '9' && strings.Trim(lower[a:b], "0123456789") == ""
		if !inside && strings.Join(lt[i:i+len(st)], " ") == strings.Join(st, " ") {
			return true
		}
	}
	return false
}

// wordRe is what tokens splits s into, a run of letters and digits.
var wordRe = regexp.MustCompile(`[\p{L}\p{Nd}]+`)

// unpadded is s's tokens with the leading zeros of the all-digit ones
// dropped ("05.03.0008.0000" → "5 3 8 0").
func unpadded(s string) string {
	t := tokens(s)
	for i, w := range t {
		if strings.Trim(w, "0123456789") == "" {
			t[i] = cmp.Or(strings.TrimLeft(w, "0"), "0")
		}
	}
	return strings.Join(t, " ")
}

func containsRun(long, short []string) bool {
	for i := 0; i+len(short) <= len(long); i++ {
		if strings.Join(long[i:i+len(short)], " ") == strings.Join(short, " ") {
			return true
		}
	}
	return false
}

// score is the accuracy over a set of devices.
type score struct {
	rows                   []string
	known, right, exact    [3]int
	makeKnown, makeMatches int
	types                  typeResult
}

var fieldNames = [3]string{"model", "firmware", "serial"}

func (s *score) add(m manifestEntry, o inventory.Observation) {
	truth := [3]string{m.Hardware, m.Version, m.Serial}
	got := [3]string{o.Model, o.Firmware, o.Serial}
	cells := []string{strings.TrimSuffix(m.File, ".snmprec")}
	mk := "wrong"
	s.makeKnown++
	for alt := range strings.SplitSeq(m.Vendor, "/") {
		if g := grade(o.Make, alt); g == "exact" || g == "match" {
			mk = "ok"
			s.makeMatches++
			break
		}
	}
	cells = append(cells, fmt.Sprintf("%s (%s)", mdCell(o.Make), mk))
	s.types.add(m.Type, o.Type)
	cells = append(cells, fmt.Sprintf("%s | %s", o.Type, mdCell(m.Type)))
	for i := range 3 {
		g := gradeField(i, got[i], truth[i])
		if g != "" {
			s.known[i]++
		}
		if g == "exact" || g == "match" {
			s.right[i]++
		}
		if g == "exact" {
			s.exact[i]++
		}
		if g == "" {
			g = "no truth"
		}
		cells = append(cells, fmt.Sprintf("%s | %s | %s", mdCell(got[i]), mdCell(truth[i]), g))
	}
	s.rows = append(s.rows, "| "+strings.Join(cells, " | ")+" |")
}

func mdCell(s string) string {
	if s == "" {
		return "—"
	}
	s = strings.Join(strings.Fields(s), " ") // a newline would end the table row
	return "`" + strings.ReplaceAll(strings.ReplaceAll(s, "|", "/"), "`", "'") + "`"
}

func (s *score) pct(i int) float64 {
	if s.known[i] == 0 {
		return 100
	}
	return 100 * float64(s.right[i]) / float64(s.known[i])
}

// table renders the per-device table and the per-field totals.
func (s *score) table(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", title)
	b.WriteString("Graded against `manifest.jsonl` (LibreNMS's discovery): exact = equal ignoring case and punctuation;\n")
	b.WriteString("match = one value's words are a contiguous run of the other's (LibreNMS decorates versions and models).\n\n")
	b.WriteString("| field | right | of known | exact | accuracy |\n|---|---|---|---|---|\n")
	for i, f := range fieldNames {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.1f %% |\n", f, s.right[i], s.known[i], s.exact[i], s.pct(i))
	}
	fmt.Fprintf(&b, "| make | %d | %d | | %.1f %% |\n", s.makeMatches, s.makeKnown, 100*float64(s.makeMatches)/float64(max(1, s.makeKnown)))
	b.WriteString(s.types.section())
	b.WriteString("\n| device | make | type (tend) | type (LibreNMS) | model (tend) | model (truth) | grade | firmware (tend) | firmware (truth) | grade | serial (tend) | serial (truth) | grade |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range s.rows {
		b.WriteString(r + "\n")
	}
	return b.String()
}

var writeAccuracy = flag.String("accuracy-table", "", "write the per-device accuracy table of TestIdentifyCorpus to this file")

// TestIdentifyCorpus runs Identify, the real poller code, against every
// setA recording served in-process, and holds model, firmware and serial
// to 95 % of the devices whose truth is known.
// maxIdentifyRequests bounds the requests System plus identity send one
// device: the system GET, the identity GET and GETBULK, the vendor
// subtree probe, its one continuation and, for a model still unknown, the
// sibling probe (siblings.go).
const maxIdentifyRequests = 6

func TestIdentifyCorpus(t *testing.T) {
	dir := corpusDir(t)
	var s score
	requests, devices := 0, 0
	for _, m := range readManifest(t, dir) {
		devices++
		rec := loadRecording(t, filepath.Join(dir, m.File))
		p := newPoller(accuracyConfig(), nil, rec.session)
		o, err := p.Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
		if err != nil {
			t.Errorf("%s: %v", m.File, err)
			continue
		}
		if rec.calls > maxIdentifyRequests {
			t.Errorf("%s: identification took %d requests, want at most %d", m.File, rec.calls, maxIdentifyRequests)
		}
		requests += rec.calls
		s.add(m, scanType(o))
	}
	t.Logf("%d requests for %d devices", requests, devices)
	table := s.table("Identity accuracy on setA (in-process recordings)")
	t.Log("\n" + table)
	if *writeAccuracy != "" {
		if err := os.WriteFile(*writeAccuracy, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i, f := range fieldNames {
		if s.pct(i) < 95 {
			t.Errorf("%s right for %.1f %% of %d devices, want ≥ 95 %%", f, s.pct(i), s.known[i])
		}
	}
}

// TestAccuracyScan grades a real `tend scan --json` of the office lab, as
// make accuracy runs it (scripts/accuracy.sh); it skips without its inputs.
func TestAccuracyScan(t *testing.T) {
	scanPath, labPath := os.Getenv("TEND_ACCURACY_SCAN"), os.Getenv("TEND_ACCURACY_LAB")
	if scanPath == "" || labPath == "" {
		t.Skip("skipping: run by make accuracy (TEND_ACCURACY_SCAN and TEND_ACCURACY_LAB unset)")
	}
	dir := corpusDir(t)
	var devices []inventory.Device
	var lab struct {
		Devices []struct {
			IP    netip.Addr `json:"ip"`
			Agent string     `json:"agent"`
		} `json:"devices"`
	}
	for path, v := range map[string]any{scanPath: &devices, labPath: &lab} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	byFile := map[string]netip.Addr{}
	for _, d := range lab.Devices {
		if rec, ok := strings.CutPrefix(d.Agent, "snmpsim:setA/"); ok {
			byFile[rec+".snmprec"] = d.IP
		}
	}
	byIP := map[netip.Addr]inventory.Device{}
	for _, d := range devices {
		byIP[d.IP] = d
	}
	var s score
	for _, m := range readManifest(t, dir) {
		ip, ok := byFile[m.File]
		if !ok {
			t.Errorf("%s is not in the lab", m.File)
			continue
		}
		d := byIP[ip]
		s.add(m, inventory.Observation{Make: d.Make, Model: d.Model, Firmware: d.Firmware, Serial: d.Serial, Type: d.Type})
	}
	table := s.table("Identity accuracy on setA (make accuracy: snmpsimd lab, tend scan --json)")
	if *writeAccuracy != "" {
		if err := os.WriteFile(*writeAccuracy, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Log("\n" + table)
	for i, f := range fieldNames {
		if s.pct(i) < 95 {
			t.Errorf("%s right for %.1f %% of %d devices, want ≥ 95 %%", f, s.pct(i), s.known[i])
		}
	}
}
