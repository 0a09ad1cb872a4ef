package snmp

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLLDPNeighboursNotOwnIdentity: an LLDP neighbour's description and
// inventory (lldpRemTable, lldpXMedRemInventoryTable) describe the device
// at the other end of a port, never the agent's own. Real recordings with
// neighbours are identified as recorded and again with every neighbour's
// sysDescr, name and LLDP-MED inventory replaced by another maker's
// switch: make, model, firmware and serial stay, also when the agent's
// own sysDescr is empty (when the fallbacks look further).
func TestLLDPNeighboursNotOwnIdentity(t *testing.T) {
	const (
		remSysName  = "1.0.8802.1.1.2.1.4.1.1.9."
		remSysDesc  = "1.0.8802.1.1.2.1.4.1.1.10."
		remInvEntry = "1.0.8802.1.1.2.1.5.4795.1.3.3.1."
		foreign     = "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E2, RELEASE SOFTWARE (fc3)"
	)
	dir := setDir(t, "setC")
	for _, name := range []string{"aos6.snmprec", "arubaos-cx.snmprec", "arista_eos.snmprec"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, blank := range []bool{false, true} {
			var own, swapped strings.Builder
			neighbours := 0
			for line := range strings.SplitSeq(string(b), "\n") {
				oid, _, _ := strings.Cut(line, "|")
				if blank && oid == "1.3.6.1.2.1.1.1.0" {
					line = oid + "|4|"
				}
				own.WriteString(line + "\n")
				switch {
				case strings.HasPrefix(oid, remSysDesc):
					neighbours++
					idx := strings.TrimPrefix(oid, remSysDesc)
					swapped.WriteString(oid + "|4|" + foreign + "\n")
					for col, v := range map[string]string{"2": "15.2(7)E2", "4": "FOC1234X0AB", "5": "Cisco Systems", "6": "WS-C2960X-48FPD-L"} {
						swapped.WriteString(remInvEntry + col + "." + idx + "|4|" + v + "\n")
					}
				case strings.HasPrefix(oid, remSysName):
					swapped.WriteString(oid + "|4|core-c2960x\n")
				default:
					swapped.WriteString(line + "\n")
				}
			}
			if neighbours == 0 {
				t.Fatalf("%s: no LLDP neighbour in the recording", name)
			}
			a, b := identityOfText(t, own.String()), identityOfText(t, swapped.String())
			if a != b {
				t.Errorf("%s (own sysDescr blanked: %v): identity %q with its neighbours as recorded, %q with a Cisco neighbour", name, blank, a, b)
			}
			if strings.Contains(b, "2960") || strings.Contains(b, "FOC1234") {
				t.Errorf("%s: the neighbour's identity read as the agent's: %q", name, b)
			}
		}
	}
}

// identityOfText identifies the agent an snmprec text records and returns
// make, model, firmware and serial joined.
func identityOfText(t *testing.T, text string) string {
	t.Helper()
	rec := recordingOf(t, text)
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join([]string{o.Make, o.Model, o.Firmware, o.Serial}, " | ")
}
