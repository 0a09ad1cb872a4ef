package lifecycle

import "testing"

// TestGrammarTable walks the table of family grammars: every family has
// one; the vulnerability catalog's product keys lead back to their
// family; and per family an older and a newer release read, order and, for
// the matcher, fall in the expected train and compare as catalog bounds.
func TestGrammarTable(t *testing.T) {
	all := []Family{FamilyFortiOS, FamilyIOSXE, FamilyIOS, FamilyNXOS, FamilyRouterOS, FamilyDSM, FamilyESXi, FamilyWindows,
		FamilyPANOS, FamilyJunos, FamilyLinux, FamilyFreeBSD, FamilyPfSense, FamilyOPNsense, FamilyTrueNAS, FamilyOpenWrt,
		FamilySophos, FamilyProxmoxVE, FamilySonicOS, FamilyArubaOSCX, FamilyWindowsSrv}
	if len(grammars) != len(all) {
		t.Errorf("%d grammars for %d families", len(grammars), len(all))
	}
	for _, tc := range []struct {
		f            Family
		older, newer string
		train        string // the matcher's train of newer; "" when the catalog leaves the family out
		bound        string // newer as the catalog writes it, when not its canonical version
	}{
		{FamilyFortiOS, "FortiGate-60F v6.4.12,build2060,230321 (GA.M)", "v7.2.6,build1575,230926 (GA.F)", "7.2", ""},
		{FamilyIOSXE, "CAT9K_IOSXE 16.6.7", "CAT9K_IOSXE 17.09.04a", "17.9", ""},
		{FamilyIOS, "Version 12.2(55)SE9, RELEASE", "Version 12.2(55)SE12, RELEASE", "12.2se", ""},
		{FamilyNXOS, "NX-OS Version 9.3(5)", "NX-OS Version 10.2(3)", "10.2", ""},
		{FamilyRouterOS, "6.49.10", "7.20.6 (stable)", "7", ""},
		{FamilyDSM, "DSM 7.1.1-42962 Update 6", "DSM 7.2.2-72806 Update 3", "7.2", "7.2.2-72806-3"},
		{FamilyESXi, "VMware ESXi 7.0.0 build-15843807", "VMware ESXi 8.0.3 build-24022510", "8.0", "ESXi80U3-24022510"},
		{FamilyWindows, "Windows Version 6.1 (Build 7601 Multiprocessor Free)", "Windows Version 6.3 (Build 9600 Multiprocessor Free)", "", ""},
		{FamilyWindowsSrv, "Windows Version 6.3 (Build 17763 Multiprocessor Free)", "Windows Version 6.3 (Build 20348 Multiprocessor Free)", "", ""},
		{FamilyPANOS, "10.1.14-h20", "PAN-OS 10.2.9-h1", "10.2", ""},
		{FamilyJunos, "21.4R3-S5.4", "kernel JUNOS 22.2R1, Build date", "22.2", ""},
		{FamilyLinux, "Linux nas 4.9.0 #1 SMP", "Linux nas 6.1.0 #1 SMP", "", ""},
		{FamilyFreeBSD, "FreeBSD 13.2-RELEASE-p4", "FreeBSD 14.1-RELEASE", "", ""},
		{FamilyPfSense, "pfSense 2.6.0-RELEASE", "pfSense 2.7.2-RELEASE FreeBSD 14.0-CURRENT amd64", "2.7", ""},
		{FamilyOPNsense, "OPNsense 23.1.5_4", "OPNsense 24.7.12_4 FreeBSD 14.1-RELEASE-p6", "24.7", ""},
		{FamilyTrueNAS, "TrueNAS-12.0-U8.1", "TrueNAS-13.0-U6", "13.0", ""},
		{FamilyOpenWrt, "OpenWrt 22.03.5 r20134", "OpenWrt 23.05.3 r23809-234f1a2efa", "23.05", ""},
		{FamilySophos, "SFOS 19.0.1 MR-1", "SFOS 19.5.3 MR-3-Build652", "19.5", ""},
		{FamilyProxmoxVE, "pve-manager/7.4.3/9002ab8a", "pve-manager/8.2.4/faa83925c9641325", "8", ""},
		{FamilySonicOS, "SonicOS Enhanced 6.5.4.4-44n", "SonicWALL TZ 570 (SonicOS 7.0.1-R1456)", "7.0", ""},
		{FamilyArubaOSCX, "PL.10.08.1010", "PL.10.10.0002", "10.10", ""},
	} {
		old, ok1 := Parse(tc.f, tc.older)
		cur, ok2 := Parse(tc.f, tc.newer)
		if !ok1 || !ok2 || old.Family != tc.f {
			t.Errorf("%s: %q %v, %q %v not read", tc.f, tc.older, ok1, tc.newer, ok2)
			continue
		}
		if CompareVersions(old.Version, cur.Version) >= 0 {
			t.Errorf("%s: %s is not before %s", tc.f, old.Version, cur.Version)
		}
		product := vulnProductFor(tc.f)
		if (product == "") != (tc.train == "") {
			t.Errorf("%s: product key %q, want one exactly when the catalog covers it", tc.f, product)
		}
		if product == "" {
			continue
		}
		if back, ok := byProduct[product]; !ok || back != tc.f {
			t.Errorf("%s: product %q leads to %q", tc.f, product, back)
		}
		vo, ok1 := ParseVulnVersion(product, tc.older)
		vn, ok2 := ParseVulnVersion(product, tc.newer)
		if !ok1 || !ok2 || vn.Train != tc.train {
			t.Errorf("%s: vuln versions %+v %v, %+v %v; want train %q", tc.f, vo, ok1, vn, ok2, tc.train)
			continue
		}
		bound := tc.bound
		if bound == "" {
			bound = vn.Version
		}
		b := prepBound(product, bound)
		if !sameTrainFamily(vn, b) {
			t.Errorf("%s: the bound %q is not of the train of %s", tc.f, bound, vn.Version)
		}
		if c, ok := cmpBound(vo, b); !ok || c >= 0 {
			t.Errorf("%s: %s against the bound %s = %d (comparable %v), want -1", tc.f, vo.Version, b.raw, c, ok)
		}
		if c, ok := cmpBound(vn, b); !ok || c != 0 {
			t.Errorf("%s: %s against itself as a bound = %d (comparable %v), want 0", tc.f, vn.Version, c, ok)
		}
	}
}
