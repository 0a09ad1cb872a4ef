package snmp

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSnmpsimCiscoVLANContexts serves ios_c3560 with its 14 per-VLAN
// context recordings through snmpsimd (community public@<vlan>, as the lab
// does) and checks Poll finds the forwarding table only there and maps each
// MAC through the context's bridge-port table to the interface name.
//
// The corpus recordings carry each VLAN's dot1dBasePortIfIndex but no
// dot1dTpFdbTable rows (LibreNMS stripped the MACs), so the test appends
// forwarding entries, marked below, to two context files: VLAN 10 learns
// 00:1b:54:aa:00:01 on bridge port 35 (ifIndex 10031, Fa0/31 in the main
// recording) and VLAN 20 learns 00:1b:54:aa:00:02 on bridge port 21
// (ifIndex 10019, Fa0/19).
func TestSnmpsimCiscoVLANContexts(t *testing.T) {
	dir := corpusDir(t)
	files := map[string][]byte{}
	main, err := os.ReadFile(filepath.Join(dir, "ios_c3560.snmprec"))
	if err != nil {
		t.Fatal(err)
	}
	files["public"] = main
	ctxs, _ := filepath.Glob(filepath.Join(dir, "ios_c3560@*.snmprec"))
	if len(ctxs) != 14 {
		t.Fatalf("%d context recordings, want 14", len(ctxs))
	}
	added := map[string]string{ // vlan → fdb lines appended (test data, not recorded)
		"10": "1.3.6.1.2.1.17.4.3.1.1.0.27.84.170.0.1|4x|001b54aa0001\n1.3.6.1.2.1.17.4.3.1.2.0.27.84.170.0.1|2|35\n1.3.6.1.2.1.17.4.3.1.3.0.27.84.170.0.1|2|3\n",
		"20": "1.3.6.1.2.1.17.4.3.1.1.0.27.84.170.0.2|4x|001b54aa0002\n1.3.6.1.2.1.17.4.3.1.2.0.27.84.170.0.2|2|21\n1.3.6.1.2.1.17.4.3.1.3.0.27.84.170.0.2|2|3\n",
	}
	for _, f := range ctxs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		vlan := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "ios_c3560@"), ".snmprec")
		files["public@"+vlan] = append(b, added[vlan]...)
	}
	port := startSnmpsimFiles(t, files)
	p := NewPoller(Config{Port: port, Timeout: 2 * time.Second}, nil)
	res, err := p.Poll(t.Context(), loopback)
	if err != nil {
		t.Fatal(err)
	}
	if res.Device.Model != "WS-C3560-48TS-S" {
		t.Errorf("model %q", res.Device.Model)
	}
	got := map[string]string{}
	for _, e := range res.Ports {
		got[e.MAC.String()] = e.Port.Port + " vlan " + strconv.Itoa(e.Port.VLAN)
		if e.PortMACs != 1 || e.Port.SwitchName == "" {
			t.Errorf("entry %+v", e)
		}
	}
	want := map[string]string{"00:1b:54:aa:00:01": "Fa0/31 vlan 10", "00:1b:54:aa:00:02": "Fa0/19 vlan 20"}
	if len(got) != len(want) {
		t.Errorf("forwarding entries %v, want %v", got, want)
	}
	for mac, w := range want {
		if got[mac] != w {
			t.Errorf("%s on %q, want %q", mac, got[mac], w)
		}
	}
}

// TestSnmpsimV1Poll identifies and walks a recording over SNMPv1 through
// snmpsimd: GETNEXT instead of GETBULK, noSuchName at the end of the MIB.
func TestSnmpsimV1Poll(t *testing.T) {
	rec, err := os.ReadFile(filepath.Join(corpusDir(t), "procurve_e2910.snmprec"))
	if err != nil {
		t.Fatal(err)
	}
	port := startSnmpsim(t, rec)
	p := NewPoller(Config{Port: port, Versions: []Version{V1}, Timeout: 2 * time.Second}, nil)
	res, err := p.Poll(t.Context(), loopback)
	if err != nil {
		t.Fatal(err)
	}
	d := res.Device
	if d.SNMP.Version != "1" || d.Model != "J9146A E2910al-24G-PoE" || d.Firmware != "W.15.08.0012" || d.Serial != "AB123CD45E" {
		t.Errorf("v1 identity: version %s model %q firmware %q serial %q", d.SNMP.Version, d.Model, d.Firmware, d.Serial)
	}
	if d.Health == nil || len(d.Health.Interfaces) < 24 || len(d.Neighbors) == 0 {
		t.Errorf("v1 details: health %v, neighbours %v", d.Health != nil, d.Neighbors)
	}
}
