package lifecycle

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tend/inventory"
	"tend/lifecycle/internal/eolcatalog"
	"tend/lifecycle/internal/vulncatalog"
	"tend/lifecycle/internal/vulnfile"
)

// testAsOf is the date the tests judge at: fixed, never today, so verdicts do
// not move as the calendar does.
var testAsOf = time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)

func openVulns(t testing.TB) *VulnCatalog {
	t.Helper()
	c, err := OpenVulnCatalog() // decoded once per process
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestParseVulnVersion(t *testing.T) {
	for _, tc := range []struct {
		product, raw          string
		version, train, build string
	}{
		{"fortios", "v7.2.6,build1575,231219", "7.2.6", "7.2", ""},
		{"fortios", "FortiGate-60F v7.4.3,build2573,240201 (GA.F)", "7.4.3", "7.4", ""},
		{"cisco-ios-xe", "17.09.04a", "17.9.4a", "17.9", ""},
		{"cisco-ios-xe", "16.6.7", "16.6.7", "16.6", ""},
		{"cisco-ios-xe", "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a, RELEASE SOFTWARE (fc3)", "17.9.4a", "17.9", ""},
		{"cisco-ios", "12.2(55)SE12", "12.2(55)se12", "12.2se", ""},
		{"cisco-ios", "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(4)E10, RELEASE SOFTWARE (fc2)", "15.2(4)e10", "15.2e", ""},
		{"cisco-nx-os", "9.3(5)", "9.3(5)", "9.3", ""},
		{"routeros", "6.49.10", "6.49.10", "6", ""},
		{"routeros", "7.15.3 (stable)", "7.15.3", "7", ""},
		{"synology-dsm", "DSM 7.2-69057 Update 3", "7.2-69057", "7.2", "69057-3"},
		{"synology-dsm", "7.1.1-42962", "7.1.1-42962", "7.1", "42962"},
		{"pan-os", "10.1.14-h20", "10.1.14-h20", "10.1", ""},
		{"pan-os", "11.1.2-h3", "11.1.2-h3", "11.1", ""},
		{"junos", "21.2R3-S7", "21.2r3-s7", "21.2", ""},
		{"junos", "JUNOS 15.1X49-D170.4", "15.1x49-d170.4", "15.1x49", ""},
		{"vmware-esxi", "VMware ESXi 7.0.3 build-21930508", "7.0.3", "7.0", "21930508"},
		{"vmware-esxi", "7.0.0 build-15843807", "7.0.0", "7.0", "15843807"},
		{"cisco-asa", "9.8.4.20", "9.8.4.20", "9.8", ""},
		{"qnap-qts", "QTS 5.1.0.2444 build 20230629", "5.1.0.2444", "5.1", ""},
	} {
		t.Run(tc.product+" "+tc.raw, func(t *testing.T) {
			v, ok := ParseVulnVersion(tc.product, tc.raw)
			if !ok {
				t.Fatalf("not parsed")
			}
			got := [3]string{v.Version, v.Train, v.Build}
			if diff := cmp.Diff([3]string{tc.version, tc.train, tc.build}, got); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
	for _, bad := range []struct{ product, raw string }{{"fortios", "garbage"}, {"pan-os", ""}, {"cisco-ios", "no version here"}, {"qnap-qts", "none"}} {
		if v, ok := ParseVulnVersion(bad.product, bad.raw); ok {
			t.Errorf("%s %q parsed as %+v", bad.product, bad.raw, v)
		}
	}
}

// TestVersionOrderInTrain checks the order the matcher sees: a device
// version against a catalog bound, per vendor grammar.
func TestVersionOrderInTrain(t *testing.T) {
	for _, tc := range []struct {
		product, device, bound string
		want                   int
	}{
		{"pan-os", "10.2.9", "10.2.9-h1", -1},  // -hN is a hotfix after the base release
		{"pan-os", "10.2.9-h1", "10.2.10", -1}, // … and before the next maintenance release
		{"pan-os", "10.1.14-h20", "10.1.14-h9", 1},
		{"junos", "21.2R3", "21.2R3-S7", -1},
		{"junos", "21.2R3-S7", "21.2R3-S8", -1},
		{"junos", "21.2R3-S8", "21.4R1", -1},
		{"cisco-ios-xe", "17.09.04", "17.9.4a", -1},
		{"cisco-ios-xe", "17.09.04a", "17.9.5", -1},
		{"cisco-ios", "12.2(55)SE12", "12.2(55)se9", 1},
		{"cisco-ios", "12.2(55)SE12", "12.2(58)se2", -1},
		{"fortios", "v7.2.6,build1575", "7.2.6", 0},
		{"fortios", "v7.2.6,build1575", "7.2.10", -1},
		{"routeros", "6.42", "6.42.1", -1},
		{"routeros", "7.9", "7.10", -1},
		{"synology-dsm", "7.2-69057 Update 3", "7.2.1-69057-2", 1}, // by build, then update
		{"synology-dsm", "6.2.4-25556", "5.2-5565", 1},
		{"vmware-esxi", "8.0.2 build-22380479", "ESXi80U3-24022510", -1},
		{"vmware-esxi", "8.0.3 build-24022510", "ESXi80U3-24022510", 0},
		{"vmware-esxi", "7.0.3 build-21930508", "esxi80u1d-23299997", -1}, // an older train
	} {
		v, ok := ParseVulnVersion(tc.product, tc.device)
		if !ok {
			t.Fatalf("%s %q not parsed", tc.product, tc.device)
		}
		got, ok := cmpBound(v, prepBound(tc.product, tc.bound))
		if !ok || got != tc.want {
			t.Errorf("%s: %q vs %q = %d (comparable %v), want %d", tc.product, tc.device, tc.bound, got, ok, tc.want)
		}
	}
	// An ESXi bound given as a build cannot be compared without one.
	v, _ := ParseVulnVersion("vmware-esxi", "ESXi 8.0.2")
	if _, ok := cmpBound(v, prepBound("vmware-esxi", "ESXi80U3-24022510")); ok {
		t.Error("an ESXi build bound compared with a version that has no build")
	}
}

func cveByID(v inventory.Vulnerabilities, id string) (inventory.VulnCVE, bool) {
	i := slices.IndexFunc(v.CVEs, func(c inventory.VulnCVE) bool { return c.ID == id })
	if i < 0 {
		return inventory.VulnCVE{}, false
	}
	return v.CVEs[i], true
}

// TestJudgeVulnsKnownCases checks verdicts against CVEs whose affected
// versions the vendors' advisories state (quoted in each case).
func TestJudgeVulnsKnownCases(t *testing.T) {
	c := openVulns(t)
	type want struct {
		status   inventory.VulnStatus
		kev      string // a KEV CVE that must be listed as affecting
		notCVE   string // a CVE that must not be listed
		fixed    string // KEVFixedIn, when set
		ransom   bool
		rangeHas string
	}
	for _, tc := range []struct {
		name string
		q    VulnQuery
		want want
	}{
		// FG-IR-24-015 (CVE-2024-21762, SSL VPN out-of-bounds write): 7.2.0-7.2.6 affected, fixed in 7.2.7.
		{"fortios 7.2.6 sslvpn", VulnQuery{Product: "fortios", Raw: "v7.2.6,build1575,231219"},
			want{status: inventory.VulnAffected, kev: "CVE-2024-21762", fixed: "7.2.7", ransom: true, rangeHas: "7.2.6"}},
		{"fortios 7.2.7 fixed", VulnQuery{Product: "fortios", Raw: "v7.2.7,build1577"},
			want{status: inventory.VulnAffected, notCVE: "CVE-2024-21762"}},
		// cisco-sa-iosxe-webui-privesc-j22SaA4z (CVE-2023-20198): every IOS XE with the web UI; Cisco lists 16.6.7.
		{"ios-xe 16.6.7 webui", VulnQuery{Product: "cisco-ios-xe", Raw: "16.6.7"},
			want{status: inventory.VulnAffected, kev: "CVE-2023-20198", rangeHas: "16.6.7"}},
		// PAN-SA-2024-0007 (CVE-2024-3400, GlobalProtect): 10.2 < 10.2.9-h1 affected.
		{"pan-os 10.2.9 globalprotect", VulnQuery{Product: "pan-os", Raw: "10.2.9"},
			want{status: inventory.VulnAffected, kev: "CVE-2024-3400", ransom: true}},
		{"pan-os 10.2.9-h1 hotfix", VulnQuery{Product: "pan-os", Raw: "10.2.9-h1"},
			want{status: inventory.VulnAffected, notCVE: "CVE-2024-3400"}},
		// MikroTik Winbox (CVE-2018-14847): up to 6.42 affected; 6.42.1 fixed it.
		{"routeros 6.40.5 winbox", VulnQuery{Product: "routeros", Raw: "6.40.5"},
			want{status: inventory.VulnAffected, kev: "CVE-2018-14847"}},
		{"routeros 6.42.1", VulnQuery{Product: "routeros", Raw: "6.42.1"},
			want{notCVE: "CVE-2018-14847"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := c.JudgeVulns(tc.q, testAsOf)
			if tc.want.status != "" && v.Status != tc.want.status {
				t.Errorf("status %s, want %s (%s)", v.Status, tc.want.status, v.Reason)
			}
			if v.CatalogDate != c.Date().Format(time.DateOnly) {
				t.Errorf("catalog date %q", v.CatalogDate)
			}
			if tc.want.kev != "" {
				cv, ok := cveByID(v, tc.want.kev)
				switch {
				case !ok || !slices.Contains(v.KEV, tc.want.kev):
					t.Fatalf("%s not listed as a KEV CVE: %v", tc.want.kev, v.KEV)
				case !cv.KEV || cv.Unknown || cv.KEVDateAdded == "" || cv.KEVDue == "" || cv.CPE == "" || cv.Range == "":
					t.Errorf("%s evidence incomplete: %+v", tc.want.kev, cv)
				case cv.Ransomware != tc.want.ransom:
					t.Errorf("%s ransomware %v, want %v", tc.want.kev, cv.Ransomware, tc.want.ransom)
				case tc.want.rangeHas != "" && !strings.Contains(cv.Range, tc.want.rangeHas):
					t.Errorf("%s range %q does not show %s", tc.want.kev, cv.Range, tc.want.rangeHas)
				}
				if v.MaxCVSS < cv.CVSS {
					t.Errorf("max CVSS %.1f below %s's %.1f", v.MaxCVSS, cv.ID, cv.CVSS)
				}
			}
			if tc.want.notCVE != "" {
				if cv, ok := cveByID(v, tc.want.notCVE); ok {
					t.Errorf("%s listed: %+v", tc.want.notCVE, cv)
				}
			}
			if tc.want.fixed != "" && v.KEVFixedIn != tc.want.fixed {
				t.Errorf("KEV fixed in %q, want %q", v.KEVFixedIn, tc.want.fixed)
			}
			if v.Raw != tc.q.Raw || v.Version == "" || len(v.Evidence) < 2 {
				t.Errorf("evidence chain incomplete: raw %q version %q evidence %v", v.Raw, v.Version, v.Evidence)
			}
		})
	}
}

// TestJudgeVulnsAndEarlierEntries: a vendor list entry "X and earlier
// versions" (SonicWall's CNA records write them) matches the device's
// versions up to X in X's train, also where the family's grammar reads only
// the device's banner, and a two-digit fourth number is read (6.5.4.12).
func TestJudgeVulnsAndEarlierEntries(t *testing.T) {
	c := openVulns(t)
	// CVE-2023-39276 (SNWLID-2023-0012): "6.5.4.12-101n and earlier versions",
	// "7.0.1-5129 and earlier versions".
	for _, tc := range []struct {
		raw      string
		affected bool
	}{
		{"SonicOS Enhanced 6.5.4.12-101n", true},
		{"SonicOS Enhanced 6.5.4.4-44n", true},
		{"SonicOS Enhanced 6.5.4.13-105n", false},
		{"SonicOS 7.0.1-5129", true},
		{"SonicOS 7.0.1-5145", false},
	} {
		v := c.JudgeVulns(VulnQuery{Product: "sonicos", Raw: tc.raw}, testAsOf)
		cv, ok := cveByID(v, "CVE-2023-39276")
		if ok != tc.affected {
			t.Errorf("%s: CVE-2023-39276 listed %v, want %v (%s; %+v)", tc.raw, ok, tc.affected, v.Reason, cv)
		}
		if ok && !strings.Contains(cv.Range, "and earlier") {
			t.Errorf("%s: range %q does not name the list entry", tc.raw, cv.Range)
		}
	}
}

// TestJudgeVulnsNeverSilent checks that missing data is never "none".
func TestJudgeVulnsNeverSilent(t *testing.T) {
	c := openVulns(t)
	for _, tc := range []struct {
		name   string
		q      VulnQuery
		status inventory.VulnStatus
		reason string
	}{
		{"no data for truenas", VulnQuery{Product: "truenas", Raw: "TrueNAS-13.0-U6"}, inventory.VulnUnknown, "no data for this family"},
		{"product unknown to the catalog", VulnQuery{Product: "windows", Raw: "10.0.19045"}, inventory.VulnUnknown, "no data for this family"},
		{"unparseable version", VulnQuery{Product: "fortios", Raw: "garbage"}, inventory.VulnUnknown, `"garbage"`},
		// Sophos has only KEV entries without version data.
		{"KEV without versions", VulnQuery{Product: "sophos-sfos", Raw: "SFOS 19.0.1 MR-1"}, inventory.VulnPotentiallyAffected, "known-exploited"},
		// D-Link CVEs name models; without the model nothing can be ruled out.
		{"per-model family without a model", VulnQuery{Product: "dlink", Raw: "1.00"}, inventory.VulnPotentiallyAffected, "model"},
		// ESXi 8.0 bounds are builds; a device without a build is uncertain.
		{"esxi without build", VulnQuery{Product: "vmware-esxi", Raw: "ESXi 8.0.2"}, inventory.VulnAffected, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := c.JudgeVulns(tc.q, testAsOf)
			if v.Status != tc.status || !strings.Contains(v.Reason, tc.reason) {
				t.Errorf("status %s reason %q; want %s with %q", v.Status, v.Reason, tc.status, tc.reason)
			}
			if v.Status == inventory.VulnPotentiallyAffected && !slices.ContainsFunc(v.CVEs, func(c inventory.VulnCVE) bool { return c.Unknown }) && tc.q.Model != "" {
				t.Errorf("potentially affected without an uncertain CVE: %+v", v.CVEs)
			}
		})
	}
	v := c.JudgeVulns(VulnQuery{Product: "vmware-esxi", Raw: "ESXi 8.0.2"}, testAsOf)
	if !slices.ContainsFunc(v.CVEs, func(c inventory.VulnCVE) bool { return c.Unknown && strings.Contains(c.Range, "no build") }) {
		t.Errorf("ESXi without a build: no CVE marked uncertain for the missing build: %+v", v.CVEs)
	}
}

// TestJudgeVulnsAsOf: a verdict for a date ignores what was published and
// listed in KEV after it.
func TestJudgeVulnsAsOf(t *testing.T) {
	c := openVulns(t)
	q := VulnQuery{Product: "fortios", Raw: "v7.2.6,build1575"}
	before := c.JudgeVulns(q, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC))
	if _, ok := cveByID(before, "CVE-2024-21762"); ok {
		t.Error("CVE-2024-21762 (published 2024-02-09) listed as of 2024-02-01")
	}
	after := c.JudgeVulns(q, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	if !slices.Contains(after.KEV, "CVE-2024-21762") {
		t.Errorf("CVE-2024-21762 not in KEV as of 2024-03-01: %v", after.KEV)
	}
	if len(before.CVEs) >= len(after.CVEs) {
		t.Errorf("as of 2024-02-01 %d CVEs, as of 2024-03-01 %d", len(before.CVEs), len(after.CVEs))
	}
}

func TestJudgeIdentityVulns(t *testing.T) {
	c := openVulns(t)
	id := Facts{SysObjectID: "1.3.6.1.4.1.12356.101.1.1000", Firmware: "v7.2.6,build1575,231219", Model: "FGT60F"}
	v, ok := c.JudgeFactsVulns(id, testAsOf)
	if !ok || v.Product != "fortios" || v.Status != inventory.VulnAffected || !strings.Contains(v.Evidence[0].Source, "firmware") {
		t.Errorf("FortiGate: ok %v %+v", ok, v)
	}
	if _, ok := c.JudgeFactsVulns(Facts{Vendor: "Apple, Inc."}, testAsOf); ok {
		t.Error("a device with no grammar was judged")
	}
	d := inventory.Device{Firmware: "v7.2.6,build1575", Make: "Fortinet", OS: "FortiOS"}
	c.AssessVulns(&d, testAsOf)
	if d.Vulnerabilities == nil || d.Vulnerabilities.Status != inventory.VulnAffected {
		t.Errorf("AssessVulns: %+v", d.Vulnerabilities)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"vulnerabilities":{"catalog_date":`, `"status":"affected"`, `"kev":[`, `"cves":[`, `"max_cvss":`, `"fixed_in":`,
		`"kev_date_added":`, `"kev_due":`, `"ransomware":`, `"range":`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("device JSON lacks %s", key)
		}
	}
}

// embeddedFile is the embedded catalog decoded once for writeCatalog.
var embeddedFile = sync.OnceValues(func() (vulncatalog.File, error) {
	return chunkedFile(vulnTable)
})

// writeCatalog writes the embedded catalog re-dated, or damaged: its
// families and first 64 CVE records, which is all an override test reads
// (the whole catalog took 20 s a call to re-encode and bzip2, minutes
// under -race).
func writeCatalog(t *testing.T, date string, damage bool) string {
	t.Helper()
	f, err := embeddedFile()
	if err != nil {
		t.Fatal(err)
	}
	f.CVEs = f.CVEs[:min(len(f.CVEs), 64)]
	f.Date = date
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if b, err = eolcatalog.Compress(b); err != nil {
		t.Fatal(err)
	}
	if damage {
		b = b[:len(b)/2]
	}
	p := filepath.Join(t.TempDir(), "vulns.json.gz")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVulnCatalogOverride(t *testing.T) {
	emb := openVulns(t)
	newer, err := LoadVulnCatalog(writeCatalog(t, "2030-01-01", false))
	if err != nil {
		t.Fatal(err)
	}
	if NewerVulns(emb, newer) != newer {
		t.Error("a newer catalog file did not win")
	}
	older, err := LoadVulnCatalog(writeCatalog(t, "2020-01-01", false))
	if err != nil {
		t.Fatal(err)
	}
	if NewerVulns(emb, older) != emb {
		t.Error("an older catalog file replaced the embedded one")
	}
	if _, err := LoadVulnCatalog(writeCatalog(t, "2030-01-01", true)); err == nil {
		t.Error("a truncated catalog file loaded")
	}
	if NewerVulns(emb, nil) != emb {
		t.Error("no override did not keep the embedded catalog")
	}
}

func FuzzParseVulnVersion(f *testing.F) {
	for _, s := range []string{"v7.2.6,build1575,231219", "17.09.04a", "12.2(55)SE12", "10.1.14-h20", "21.2R3-S7", "7.2-69057 Update 3", "7.0.0 build-15843807", "6.49.10", ""} {
		f.Add("fortios", s)
		f.Add("cisco-ios", s)
		f.Add("cisco-asa", s)
	}
	c := openVulns(f)
	f.Fuzz(func(t *testing.T, product, raw string) {
		v, ok := ParseVulnVersion(product, raw)
		if ok && v.Version == "" {
			t.Errorf("parsed %q as an empty version", raw)
		}
		got := c.JudgeVulns(VulnQuery{Product: product, Raw: raw}, testAsOf)
		if got.Status == inventory.VulnNone && !ok {
			t.Errorf("%s %q: none without a parsed version", product, raw)
		}
	})
}

func FuzzDecodeVulnCatalog(f *testing.F) {
	ef, err := embeddedFile()
	if err != nil {
		f.Fatal(err)
	}
	raw, err := json.Marshal(ef)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw[:4096])
	f.Add(vulnTable[:4096])
	f.Add([]byte(`{"format":1,"date":"2026-01-01","families":[{"key":"x"}],"cves":[{"id":"CVE-1-1","m":[{"p":"x","cpe":"o:a:b","vs":["1.0"],"si":"1"}]}]}`))
	f.Add([]byte{0x1f, 0x8b, 0, 0})
	small := vulnfile.File{Format: vulnfile.Format, Date: "2026-01-01", Families: []vulnfile.Family{{Key: "x"}},
		CVEs: []vulnfile.CVE{{ID: "CVE-1-1", Matches: []vulnfile.Match{{Product: "x", CPE: "o:a:b", Versions: []string{"1.0"}, Source: "1"}}}}}
	chunked, _, err := vulncatalog.Chunked(small, vulnfile.Stats{CVEs: 1, Matches: 1})
	if err != nil {
		f.Fatal(err)
	}
	if _, err := decodeVulnCatalog(chunked); err != nil {
		f.Fatalf("the small chunked seed does not open: %v", err)
	}
	f.Add(chunked) // a whole chunked catalog, so the fuzzer reaches its chunks
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeVulnCatalog(b)
		if err != nil {
			return
		}
		c.JudgeVulns(VulnQuery{Product: "x", Raw: "1.0"}, testAsOf)
	})
}
