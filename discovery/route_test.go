package discovery

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultGateway(t *testing.T) {
	table := "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n" +
		"eth1\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n" +
		"eth0\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n" +
		"eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
	p := filepath.Join(t.TempDir(), "route")
	if err := os.WriteFile(p, []byte(table), 0o600); err != nil {
		t.Fatal(err)
	}
	for iface, want := range map[string]string{"eth0": "10.0.0.1", "eth1": "192.168.1.1"} {
		got, err := DefaultGateway(p, iface)
		if err != nil || got != netip.MustParseAddr(want) {
			t.Errorf("%s: %v, %v; want %s", iface, got, err, want)
		}
	}
	if _, err := DefaultGateway(p, "wlan0"); err == nil {
		t.Error("a gateway for an interface without a default route")
	}
}

// TestLookupLAN: a missing interface is an error naming it; loopback has
// no MAC and no default route.
func TestLookupLAN(t *testing.T) {
	if _, err := LookupLAN("tl-no-such-if"); err == nil || !strings.Contains(err.Error(), "tl-no-such-if") {
		t.Errorf("missing interface: %v", err)
	}
	lan, err := LookupLAN("lo")
	if err != nil {
		t.Skipf("no loopback here: %v", err)
	}
	if len(lan.MAC) != 0 || lan.Gateway.IsValid() {
		t.Errorf("loopback: %+v", lan)
	}
}
