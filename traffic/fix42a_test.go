package traffic

import (
	"net/netip"
	"testing"

	"tend/inventory"
)

// The option 43 of dnsmasq's proxyDHCP offer in review 42 b_pxe_lab2:
// sub 6 discovery control 3, sub 8 one boot server (type 0x8000) at
// 10.42.1.51, sub 9 the menu "Network boot", end.
var dnsmasqPXEOpt43 = []byte{6, 1, 3, 10, 4, 0, 80, 88, 69, 8, 7, 128, 0, 1, 10, 42, 1, 51, 9, 15, 128, 0, 12,
	'N', 'e', 't', 'w', 'o', 'r', 'k', ' ', 'b', 'o', 'o', 't', 255}

func TestPXEBootServers(t *testing.T) {
	got := pxeBootServers(dnsmasqPXEOpt43)
	if got[0] != netip.MustParseAddr("10.42.1.51") || got[1].IsValid() {
		t.Fatalf("boot servers %v, want [10.42.1.51]", got)
	}
	two := []byte{0, 8, 13, 0, 0, 2, 10, 0, 0, 5, 10, 0, 0, 6, 0, 1, 0, 255}
	if got := pxeBootServers(two); got[0] != netip.MustParseAddr("10.0.0.5") || got[1] != netip.MustParseAddr("10.0.0.6") || got[2].IsValid() {
		t.Fatalf("boot servers %v, want 10.0.0.5 and 10.0.0.6", got)
	}
	if got := pxeBootServers([]byte{8, 9, 128, 0, 1, 10}); got[0].IsValid() {
		t.Fatalf("a sub-option longer than the option read: %v", got)
	}
}

func FuzzPXEBootServers(f *testing.F) {
	f.Add(dnsmasqPXEOpt43)
	f.Add([]byte{8, 3, 0, 0, 9})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, a := range pxeBootServers(b) {
			if a.IsValid() && !a.Is4() {
				t.Fatalf("not IPv4: %v", a)
			}
		}
	})
}

// staged42a replays a fix42a fixture (review 42's lab, gateway 10.42.1.1).
func staged42a(t *testing.T, name string) []inventory.Event {
	return replayFile(t, "testdata/staged/"+name, Config{Gateway: netip.MustParseAddr("10.42.1.1")})
}

// A dnsmasq proxyDHCP (review 42 P2) is no rogue DHCP server, and the
// boot server its option 43 names serves TFTP reads at Low.
func TestPXEProxyDHCPNotRogue(t *testing.T) {
	evs := staged42a(t, "benign-pxe-proxydhcp-dnsmasq.pcap")
	tftp := 0
	for _, ev := range evs {
		switch {
		case ev.Type == inventory.EventInsecureProtocol && ev.Severity == inventory.SeverityLow && ev.IP == netip.MustParseAddr("10.42.1.51"):
			tftp++
		default:
			t.Errorf("unexpected %s %s: %s", ev.Type, ev.Severity, ev.Summary)
		}
	}
	if tftp != 1 {
		t.Fatalf("%d TFTP Low events on the PXE boot server, want 1", tftp)
	}
	for _, ev := range staged42a(t, "rogue-dhcp-pxe-boot-own-router-dnsmasq.pcap") {
		if ev.Type == inventory.EventRogueDHCP && ev.Severity == inventory.SeverityHigh {
			return
		}
	}
	t.Fatal("a PXE server handing out addresses and itself as router is no longer rogue_dhcp High")
}

// A keepalived master stopped seconds after start resigns after two
// adverts: its heir's gratuitous ARPs are a handover (review 42 P4).
func TestVRRPYoungMasterResign(t *testing.T) {
	for _, ev := range staged42a(t, "benign-vrrp-young-master-resign-keepalived.pcap") {
		t.Errorf("unexpected %s %s: %s", ev.Type, ev.Severity, ev.Summary)
	}
}
