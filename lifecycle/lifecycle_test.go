package lifecycle

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tend/inventory"
	"tend/lifecycle/internal/eolcatalog"
)

func TestParse(t *testing.T) {
	type res struct{ Version, Cycle string }
	tests := []struct {
		f    Family
		in   string
		want res
	}{
		{FamilyFortiOS, "v7.2.6,build1575,230926 (GA.F)", res{"7.2.6", "7.2"}},
		{FamilyFortiOS, "v7.4.3,build2573,240201 (GA.M)", res{"7.4.3", "7.4"}},
		{FamilyIOSXE, "CAT9K_IOSXE 17.09.04a", res{"17.9.4a", "17.9"}},
		{FamilyIOSXE, "Cisco IOS XE Software, Version 17.12.03", res{"17.12.3", "17.12"}},
		{FamilyIOS, "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E9, RELEASE SOFTWARE (fc1)", res{"15.2(7)E9", "15.2"}},
		{FamilyIOS, "Cisco Internetwork Operating System Software IOS (tm) C2600 Software (C2600-IK9O3S3-M), Version 12.3(26), RELEASE SOFTWARE (fc2)", res{"12.3(26)", "12.3"}},
		{FamilyRouterOS, "7.20.6 (stable)", res{"7.20.6", "7.20"}},
		{FamilyRouterOS, "7.21beta2", res{"7.21beta2", "7.21"}},
		{FamilyDSM, "DSM 7.2.2-72806 Update 3", res{"7.2.2-72806 Update 3", "7.2"}},
		{FamilyESXi, "VMware ESXi 8.0.3 build-24022510 VMware, Inc. x86_64", res{"8.0.3", "8.0"}},
		{FamilyWindowsSrv, "Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 20348 Multiprocessor Free)", res{"10.0.20348", ""}},
		{FamilyWindowsSrv, "Hardware: Intel64 Family 6 Model 45 Stepping 7 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 9600 Multiprocessor Free)", res{"6.3.9600", ""}},
		{FamilyPANOS, "Palo Alto Networks PA-3220 series firewall, PAN-OS 10.2.9-h1", res{"10.2.9-h1", "10.2"}},
		{FamilyJunos, "15.1X53-D59.4", res{"15.1X53-D59.4", "15.1X53"}},
		{FamilyJunos, "Juniper Networks, Inc. srx300 internet router, kernel JUNOS 20.4R3-S1.3, Build date: 2021-10-27 03:57:25 UTC", res{"20.4R3-S1.3", "20.4"}},
		{FamilyLinux, "Linux Nas 3.2.40 #25426 Wed Jul 8 03:15:48 CST 2020 armv7l", res{"3.2.40", "3.2"}},
		{FamilyLinux, "Linux GXW4200 2.6.28.8 #187 Tue Sep 13 10:11:35 CST 2022 mips", res{"2.6.28", "2.6"}},
		{FamilyFreeBSD, "TrueNAS-11.2-U7 (b088e78e8d). Hardware: amd64 Intel(R) Xeon(R) CPU E5-2620 v2 @ 2.10GHz running at 2100. Software: FreeBSD 11.2-STABLE (revision 199506)", res{"11.2-STABLE", "11.2"}},
		{FamilyPfSense, "pfSense 2.7.2-RELEASE FreeBSD 14.0-CURRENT amd64", res{"2.7.2", "2.7"}},
		{FamilyOPNsense, "OPNsense 24.7.12_4 FreeBSD 14.1-RELEASE-p6", res{"24.7.12_4", "24.7"}},
		{FamilyProxmoxVE, "pve-manager/8.2.4/faa83925c9641325 (running kernel: 6.8.8-2-pve)", res{"8.2.4", "8"}},
		{FamilyFortiOS, "FortiGate-60F v6.4.12,build2060,230321 (GA.M)", res{"6.4.12", "6.4"}},
		{FamilyIOSXE, "Cisco IOS Software [Everest], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 16.6.7, RELEASE SOFTWARE (fc2)", res{"16.6.7", "16.6"}},
		{FamilyIOSXE, "17.09.04a", res{"17.9.4a", "17.9"}},
		{FamilyIOSXE, "CAT9K_IOSXE 16.6.7", res{"16.6.7", "16.6"}},
		{FamilyIOSXE, "Cisco IOS Software, IOS-XE Software, Catalyst 4500 L3 Switch Software (cat4500e-UNIVERSALK9-M), Version 03.06.06.E RELEASE SOFTWARE (fc1)", res{"3.6.6", "3.6"}},
		{FamilyIOS, "Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M), Version 12.2(55)SE12, RELEASE SOFTWARE (fc2)", res{"12.2(55)SE12", "12.2"}},
		{FamilyIOS, "15.2(7)E3", res{"15.2(7)E3", "15.2"}},
		{FamilyNXOS, "Cisco NX-OS(tm) n9000, Software (n9000-dk9), Version 9.3(5), RELEASE SOFTWARE", res{"9.3(5)", "9.3-nxos"}},
		{FamilyRouterOS, "7.20.6", res{"7.20.6", "7.20"}},
		{FamilyRouterOS, "6.49.10", res{"6.49.10", "6.49"}},
		{FamilyDSM, "6.2-25426", res{"6.2-25426", "6.2"}},
		{FamilyDSM, "DSM 7.1.1-42962 Update 6", res{"7.1.1-42962 Update 6", "7.1"}},
		{FamilyESXi, "VMware ESXi 7.0.0 build-15843807 VMware, Inc. x86_64", res{"7.0.0", "7.0"}},
		{FamilyESXi, "VMware ESXi 6.7.0 build-8169922", res{"6.7.0", "6.7"}},
		{FamilyWindowsSrv, "Hardware: Intel64 Family 6 Model 63 Stepping 2 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)", res{"10.0.17763", ""}},
		{FamilyWindows, "Hardware: x86 Family 6 Model 42 - Software: Windows Version 6.1 (Build 7601 Multiprocessor Free)", res{"6.1.7601", ""}},
		{FamilyPANOS, "10.1.14-h20", res{"10.1.14-h20", "10.1"}},
		{FamilyPANOS, "11.1.2", res{"11.1.2", "11.1"}},
		{FamilyJunos, "Juniper Networks, Inc. ex3400-48t Ethernet Switch, kernel JUNOS 15.1X53-D59.4, Build date: 2018-09-14", res{"15.1X53-D59.4", "15.1X53"}},
		{FamilyJunos, "21.4R3-S5.4", res{"21.4R3-S5.4", "21.4"}},
		{FamilyLinux, "Linux some.host.name 4.9.0 #1 SMP Mon Dec 12 14:44:53 CST 2016 x86_64", res{"4.9.0", "4.9"}},
		{FamilyLinux, "Linux SPA112 2.6.26.5 #1 PREEMPT Wed Aug 2 14:04:45 CST 2017 armv5tejl", res{"2.6.26", "2.6"}},
		{FamilyLinux, "EdgeSwitch 24-Port 250W, 1.8.0.5106045, Linux 3.6.5-1b505fb7, 0.0.0.0000000", res{"3.6.5", "3.6"}},
		{FamilyFreeBSD, "pfSense 2.3.2-RELEASE pfSense FreeBSD 10.3-RELEASE-p5 amd64", res{"10.3-RELEASE-p5", "10.3"}},
		{FamilyPfSense, "pfSense 2.3.2-RELEASE pfSense FreeBSD 10.3-RELEASE-p5 amd64", res{"2.3.2", "2.3"}},
		{FamilyOPNsense, "OPNsense 23.1.5_4", res{"23.1.5_4", "23.1"}},
		{FamilyTrueNAS, "TrueNAS-11.2-U7 (b088e78e8d). Hardware: amd64", res{"11.2-U7", "11.2"}},
		{FamilyTrueNAS, "TrueNAS-SCALE-24.10.2", res{"24.10.2", "24.10"}},
		{FamilyOpenWrt, "OpenWrt 23.05.3 r23809-234f1a2efa", res{"23.05.3", "23.05"}},
		{FamilySophos, "SFOS 19.5.3 MR-3-Build652", res{"19.5.3 MR3", "19.5"}},
		{FamilySonicOS, "SonicWALL TZ 570 (SonicOS 7.0.1-R1456)", res{"7.0.1", "7.0"}},
		{FamilyArubaOSCX, "PL.10.10.0002", res{"PL.10.10.0002", "10.10"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.f)+"/"+tt.in, func(t *testing.T) {
			r, ok := Parse(tt.f, tt.in)
			if !ok {
				t.Fatalf("Parse(%s, %q) failed", tt.f, tt.in)
			}
			if diff := cmp.Diff(tt.want, res{r.Version, r.Cycle}); diff != "" {
				t.Errorf("Parse(%s, %q) (-want +got):\n%s", tt.f, tt.in, diff)
			}
		})
	}
	for _, bad := range []struct {
		f  Family
		in string
	}{{FamilyIOS, "16.6.7"}, {FamilyRouterOS, "RouterOS RB5009UPr+S+"}, {FamilyFortiOS, "FortiGate"}, {FamilyLinux, "QNAP"}} {
		if r, ok := Parse(bad.f, bad.in); ok {
			t.Errorf("Parse(%s, %q) = %+v, want failure", bad.f, bad.in, r)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"17.9.4a", "17.9.4", 1},
		{"10.1.14-h20", "10.1.14-h3", 1},
		{"10.1.14", "10.1.14-h1", -1},
		{"12.2(55)SE12", "12.2(55)SE9", 1},
		{"7.20", "7.20.1", -1},
		{"7.20.6", "7.20.6", 0},
		{"6.49.10", "7.1", -1},
		{"17.09.04", "17.9.4", 0},
		{"99999999999999999999999", "1", 1},
		{"7.2.10", "7.2.9", 1},
		{"16.12.1", "16.6.7", 1},
		{"15.1X53-D60", "15.1X53-D59.4", 1},
		{"21.4R3-S5.4", "21.4R3-S5", 1},
		{"7.21beta2", "7.21", -1},
		{"7.21rc1", "7.21beta2", 1},
		{"10.0.20348", "10.0.17763", 1},
		{"6.3.9600", "10.0.10240", -1},
	}
	for _, tt := range tests {
		if got := CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := CompareVersions(tt.b, tt.a); got != -tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestJudgeStatuses(t *testing.T) {
	c := openCatalog(t)
	tests := []struct {
		name string
		id   Facts
		want inventory.LifecycleStatus
	}{
		{"routeros behind", Facts{OS: "routeros", Firmware: "7.21.2", SysDescr: "RouterOS RB5009UPr+S+"}, inventory.StatusBehind},
		{"routeros current", Facts{OS: "routeros", Firmware: "7.21.5"}, inventory.StatusCurrent},
		{"ios 12.2 older than tracked", Facts{SysDescr: "Cisco IOS Software, C3560 Software (C3560-IPSERVICESK9-M), Version 12.2(55)SE12, RELEASE SOFTWARE (fc2)"}, inventory.StatusEOL},
		{"fortios 7.4", Facts{Firmware: "v7.4.3,build2573,240201 (GA.M)", SysObjectID: ".1.3.6.1.4.1.12356.101.1.644"}, inventory.StatusCurrent},
		{"nothing known", Facts{SysDescr: "M400"}, inventory.StatusUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := c.Judge(tt.id, asOf)
			if v.Status != tt.want {
				t.Errorf("status %s, want %s; evidence %+v", v.Status, tt.want, v.Evidence)
			}
		})
	}
	v := c.Judge(Facts{OS: "routeros", Firmware: "7.21.2"}, asOf)
	if v.Latest != "7.21.5" || v.Behind != 3 {
		t.Errorf("routeros 7.21.2: latest %q behind %d, want 7.21.5 and 3", v.Latest, v.Behind)
	}
}

func TestEstimateAgePurchaseOverrides(t *testing.T) {
	c := openCatalog(t)
	id := Facts{Make: "Cisco", Serial: "FCW2204L050", PurchaseDate: time.Date(2020, 11, 24, 0, 0, 0, 0, time.UTC)}
	a := c.EstimateAge(id, asOf)
	if a == nil || a.MinYears != 6 || a.MaxYears != 6 || a.Evidence[0].Source != "purchase_date" {
		t.Errorf("EstimateAge = %+v, want 6-6 years from the purchase date", a)
	}
	if a := c.EstimateAge(Facts{SysDescr: "M400"}, asOf); a != nil {
		t.Errorf("EstimateAge with no evidence = %+v, want nil", a)
	}
}

func TestForecast(t *testing.T) {
	at := func(months int) *time.Time { x := asOf.AddDate(0, months, -1); return &x }
	got := Forecast(map[string]inventory.Lifecycle{
		"a": {EOL: at(2)}, "b": {EOL: at(5)}, "c": {EOL: at(11)}, "d": {EOL: at(13)}, "e": {EOL: at(-1)}, "f": {},
	}, asOf)
	var keys []string
	var within []int
	for _, d := range got {
		keys, within = append(keys, d.Key), append(within, d.Within)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{3, 6, 12}, within); diff != "" {
		t.Errorf("horizons (-want +got):\n%s", diff)
	}
}

func TestCatalog(t *testing.T) {
	c := openCatalog(t)
	st := c.Stats()
	t.Logf("catalog dated %s: %+v, %d bytes embedded", c.Date().Format(time.DateOnly), st, len(catalogTable))
	if st.Products < 100 || st.CiscoParts < 9000 || st.SynologyModels < 250 {
		t.Errorf("catalog too small: %+v", st)
	}
	if c.Date().Before(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("catalog date %s", c.Date())
	}
}

func TestLoadCatalogOverride(t *testing.T) {
	dir := t.TempDir()
	embedded := openCatalog(t)
	newer := &eolcatalog.File{Format: eolcatalog.Format, Date: "2027-01-31", Products: []eolcatalog.Product{{
		ID: "routeros", Label: "RouterOS", Cycles: []eolcatalog.Cycle{{Cycle: "7.20", Released: "2025-09-30", Latest: "7.20.9"}}}}}
	raw, err := jsonMarshal(newer)
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "catalog.json")
	if err := os.WriteFile(good, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadCatalog(good)
	if err != nil {
		t.Fatal(err)
	}
	if got := Newer(embedded, c); got != c {
		t.Error("Newer kept the embedded catalog over a newer file")
	}
	if got := Newer(c, embedded); got != c {
		t.Error("Newer chose an older override")
	}
	v := c.Judge(Facts{OS: "routeros", Firmware: "7.20.6"}, asOf)
	if v.Status != inventory.StatusBehind || v.Latest != "7.20.9" {
		t.Errorf("override verdict %+v, want behind 7.20.9", v)
	}
	for name, content := range map[string][]byte{
		"garbage.json":  []byte("not json"),
		"format.json":   []byte(`{"format":99,"date":"2027-01-01"}`),
		"baddate.json":  []byte(`{"format":1,"date":"2027-13-01","products":[{"id":"x","cycles":[{"cycle":"1"}]}]}`),
		"badcycle.json": []byte(`{"format":1,"date":"2027-01-01","products":[{"id":"x","cycles":[{"cycle":"1","eol":"soon"}]}]}`),
		"empty.json":    []byte(`{"format":1,"date":"2027-01-01"}`),
		"truncated.gz":  catalogTable[:len(catalogTable)/2],
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadCatalog(p); err == nil {
			t.Errorf("LoadCatalog(%s) succeeded, want error", name)
		}
	}
	if _, err := LoadCatalog(filepath.Join(dir, "absent")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadCatalog(absent) = %v, want ErrNotExist", err)
	}
}

// TestCatalogReproducible regenerates the catalog and requires the
// committed catalog.json.bz2 to match byte for byte.
func TestCatalogReproducible(t *testing.T) {
	const dir = "../../shared/corpus/lifecycle"
	if _, err := os.Stat(filepath.Join(dir, eolcatalog.ProductsFile)); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("lifecycle corpus %s not present; skipping", dir)
	}
	gz, _, err := eolcatalog.Generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("catalog.json.bz2")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gz, committed) {
		t.Fatalf("regenerated catalog (%d bytes) differs from catalog.json.bz2 (%d bytes); run make catalog", len(gz), len(committed))
	}
	if !bytes.Equal(committed, catalogTable) {
		t.Error("embedded catalog differs from catalog.json.bz2 on disk")
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"v7.2.6,build1575,230926 (GA.F)", "17.09.04a", "12.2(55)SE12", "7.20.6", "6.2-25426",
		"VMware ESXi 7.0.0 build-15843807", "Windows Version 6.3 (Build 17763 Multiprocessor Free)", "10.1.14-h20",
		"15.1X53-D59.4", "Linux a 4.9.0 #1", "pfSense 2.3.2-RELEASE pfSense FreeBSD 10.3-RELEASE-p5", "TrueNAS-11.2-U7"} {
		f.Add(s)
	}
	families := []Family{FamilyFortiOS, FamilyIOSXE, FamilyIOS, FamilyNXOS, FamilyRouterOS, FamilyDSM, FamilyESXi, FamilyWindows,
		FamilyPANOS, FamilyJunos, FamilyLinux, FamilyFreeBSD, FamilyPfSense, FamilyOPNsense, FamilyTrueNAS, FamilyOpenWrt,
		FamilySophos, FamilyProxmoxVE, FamilySonicOS, FamilyArubaOSCX}
	f.Fuzz(func(t *testing.T, s string) {
		for _, fam := range families {
			r, ok := Parse(fam, s)
			if ok && r.Version == "" {
				t.Errorf("Parse(%s, %q) ok with empty version", fam, s)
			}
			if ok && CompareVersions(r.Version, r.Version) != 0 {
				t.Errorf("%q does not equal itself", r.Version)
			}
		}
		Detect(Facts{Firmware: s, SysDescr: s})
	})
}

func FuzzCompareVersions(f *testing.F) {
	f.Add("17.9.4a", "17.9.4", "17.9.4b")
	f.Add("10.1.14-h20", "10.1.14", "10.1.14-h3")
	f.Add("7.21beta2", "7.21", "7.21a")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		ab, bc, ac := CompareVersions(a, b), CompareVersions(b, c), CompareVersions(a, c)
		if ab != -CompareVersions(b, a) {
			t.Errorf("CompareVersions(%q, %q) not antisymmetric", a, b)
		}
		if ab <= 0 && bc <= 0 && ac > 0 {
			t.Errorf("not transitive: %q <= %q <= %q but %q > %q", a, b, c, a, c)
		}
	})
}

func FuzzJudge(f *testing.F) {
	f.Add("Cisco IOS Software, Version 16.6.7", "C9300-48P", "FCW2204L050")
	c, err := OpenCatalog()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, descr, model, serial string) {
		id := Facts{SysDescr: descr, Model: model, Serial: serial, Firmware: descr}
		c.Judge(id, asOf)
		if a := c.EstimateAge(id, asOf); a != nil && (a.MinYears > a.MaxYears || a.MinYears < 0 || a.MaxYears > 100) {
			t.Errorf("bad band %+v", a)
		}
	})
}

// FuzzDecodeCatalog feeds hostile catalog files (the hub pushes them into
// the data directory) to the decoder and judges devices with whatever it
// accepts: errors are fine, panics and nonsense bands are not.
func FuzzDecodeCatalog(f *testing.F) {
	f.Add([]byte(`{"format":1,"date":"2027-01-31","products":[{"id":"routeros","cycles":[{"cycle":"7.20","released":"2025-09-30","eol":"true","latest":"7.20.9"}],"versions":{"7.20.6":"2025-12-05"}}]}`))
	f.Add([]byte(`{"format":1,"date":"2027-01-31","products":[{"id":"fortios","cycles":[{"cycle":"7.2","eol":"2026-09-30"}]}],"cisco":{"bulletins":[{"id":"E","series":"S","last_support":"2020-01-01"}],"parts":{"C9300-48P":0}},"synology":[{"model":"DS214se","latest":"7.1.1-42962","latest_build":42962,"eol":true}]}`))
	f.Add(catalogTable[:512])
	ids := []Facts{
		{OS: "routeros", Firmware: "7.20.6", FirstSeen: asOf},
		{Model: "C9300-48P", Serial: "FCW2204L050", SysDescr: "Cisco IOS Software [Everest], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 16.6.7, RELEASE SOFTWARE (fc2)"},
		{Model: "DS214se", SysDescr: "Linux Nas 3.2.40 #25426 Wed Jul 8 03:15:48 CST 2020 armv7l"},
		{Firmware: "v7.2.6,build1575,230926 (GA.F)", Model: "FortiGate-60E"},
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeCatalog(b)
		if err != nil {
			return
		}
		for _, id := range ids {
			c.Judge(id, asOf)
			if a := c.EstimateAge(id, asOf); a != nil && (a.MinYears < 0 || a.MinYears > a.MaxYears) {
				t.Errorf("bad band %+v", a)
			}
		}
	})
}
