package lab

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOfficeWiring serves every wired device of the office LAN its
// recording (the clone's own copies in testdata) with the wiring in place:
// each fits its ports, the rows stay in walk order, the recording's own
// neighbours are gone, and the access switch reports what the .lan says.
func TestOfficeWiring(t *testing.T) {
	lan, err := BuiltinLAN("office")
	if err != nil {
		t.Fatal(err)
	}
	if !lan.wired() {
		t.Fatal("the office LAN has no uplinks")
	}
	out := map[string]string{}
	for _, d := range lan.Devices {
		ref := d.Recording()
		if ref == "" {
			continue
		}
		set, name, _ := strings.Cut(ref, "/")
		rec, err := os.ReadFile(filepath.Join("testdata", "snmp", set, name+".snmprec"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := withWiring(rec, lan, d)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		var oids []string
		for _, l := range strings.Split(strings.TrimSpace(string(got)), "\n") {
			oid, _, _ := strings.Cut(l, "|")
			oids = append(oids, oid)
		}
		if !slices.IsSortedFunc(oids, compareOIDs) {
			t.Errorf("%s: rows out of walk order", d.Name)
		}
		out[d.Name] = string(got)
	}
	c3560 := out["sw-c3560"]
	// ws-dell-01 (00:08:74:10:00:64) and ws-dell-02 (18:fb:7b:10:00:65)
	// share port 5; the core switch is its LLDP neighbour on its uplink.
	p1 := rowValue(c3560, "1.3.6.1.2.1.17.4.3.1.2.0.8.116.16.0.100")
	p2 := rowValue(c3560, "1.3.6.1.2.1.17.4.3.1.2.24.251.123.16.0.101")
	if p1 == "" || p1 != p2 {
		t.Errorf("sw-c3560: the two workstations on ports %q and %q, want one port", p1, p2)
	}
	if got := rowValue(c3560, "1.3.6.1.2.1.17.1.1.0"); got != "4x|001b54100011" {
		t.Errorf("sw-c3560: bridge address %q, want its lab MAC", got)
	}
	if !strings.Contains(c3560, "|4|sw-core-c9300\n") {
		t.Error("sw-c3560: no LLDP neighbour sw-core-c9300")
	}
	// The core switch sees the access switch over LLDP and the hosts behind it.
	core := out["sw-core-c9300"]
	for _, want := range []string{"|4|sw-c3560\n", "|4|gw-mikrotik\n", "|4|sw-procurve\n"} {
		if !strings.Contains(core, want) {
			t.Errorf("sw-core-c9300: no LLDP neighbour %s", strings.Trim(want, "|4\n"))
		}
	}
	// A firewall reports its neighbour over LLDP but no bridge table.
	if fw := out["fw-fortigate"]; !strings.Contains(fw, "|4|sw-core-c9300\n") || strings.Contains(fw, "1.3.6.1.2.1.17.4.3.1.2.") {
		t.Error("fw-fortigate: want an LLDP neighbour and no forwarding table")
	}
	// A device the wiring does not touch, or a host, is served as recorded.
	rec := "1.3.6.1.2.1.1.1.0|4|x\n1.3.6.1.2.1.17.4.3.1.2.0.1.2.3.4.5|2|1\n"
	for _, d := range []Device{{Name: "alone", Role: "switch"}, lan.Devices[slices.IndexFunc(lan.Devices, func(d Device) bool { return d.Name == "ups-apc" })]} {
		if got, _ := withWiring([]byte(rec), lan, d); string(got) != rec {
			t.Errorf("%s changed: %q", d.Name, got)
		}
	}
}

// rowValue is the value of the row with exactly this OID.
func rowValue(rec, oid string) string {
	for _, l := range strings.Split(rec, "\n") {
		if rest, ok := strings.CutPrefix(l, oid+"|"); ok {
			return rest
		}
	}
	return ""
}

func TestParseLANUplinks(t *testing.T) {
	base := "cidr 10.77.0.0/24\nbox 10.77.0.250 02:00:00:00:00:fa\n"
	for _, tc := range []struct{ text, want string }{
		{"a switch 02:00:00:00:00:01 10.77.0.1 - b/1\nb switch 02:00:00:00:00:02 10.77.0.2 - a/1\n", "loop"},
		{"a switch 02:00:00:00:00:01 10.77.0.1 - zz/1\n", "no device"},
		{"a switch 02:00:00:00:00:01 10.77.0.1 - b/0\n", "uplink"},
		{"a switch 02:00:00:00:00:01 10.77.0.1 - b\n", "uplink"},
	} {
		if _, err := ParseLAN(strings.NewReader(base + tc.text)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one containing %q", tc.text, err, tc.want)
		}
	}
	lan, err := ParseLAN(strings.NewReader(base + "a switch 02:00:00:00:00:01 10.77.0.1 -\nb printer 02:00:00:00:00:02 10.77.0.2 - a/3\n"))
	if err != nil || lan.Devices[1].Uplink != "a" || lan.Devices[1].UplinkPort != 3 {
		t.Fatalf("ParseLAN: %v %+v", err, lan)
	}
}

func TestCompareOIDs(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"1.3.6.1.2", "1.3.6.1.10", -1},
		{"1.3.6", "1.3.6.1", -1},
		{"1.3.6.1", "1.3.6.1", 0},
		{"1.3.10", "1.3.9.9", 1},
	} {
		if got := compareOIDs(tc.a, tc.b); got != tc.want {
			t.Errorf("compareOIDs(%s, %s) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
