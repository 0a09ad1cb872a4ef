package traffic

import (
	"net/netip"
	"path/filepath"
	"testing"

	"tend/inventory"
)

// rogueDHCPSeverities replays a staged capture with its gateway and returns
// the rogue_dhcp events' severities by the culprit's MAC.
func rogueDHCPSeverities(t *testing.T, name, gw string) map[string]inventory.Severity {
	t.Helper()
	evs := replayFile(t, filepath.Join("testdata", "staged", name), Config{Gateway: netip.MustParseAddr(gw)})
	out := map[string]inventory.Severity{}
	for _, ev := range evs {
		if ev.Type == inventory.EventRogueDHCP {
			out[ev.MAC.String()] = ev.Severity
		}
	}
	return out
}

// TestSecondDHCPNeedsKnownDNS: a DHCP server heard in the first minute that
// hands out the real gateway but a DNS server at a third address no known
// server hands out is a rogue (High); one handing out the known server's
// DNS server, or a split-scope pair agreeing with each other, is a second
// service (Medium).
func TestSecondDHCPNeedsKnownDNS(t *testing.T) {
	for _, c := range []struct {
		file, gw, culprit string
		want              inventory.Severity
	}{
		{"rogue-dhcp-same-router-third-dns-dnsmasq.pcap", "10.88.8.1", "b8:27:eb:00:00:66", inventory.SeverityHigh},
		{"dhcp-second-service-gateway-dns-dnsmasq.pcap", "10.88.8.1", "00:50:56:00:01:7d", inventory.SeverityMedium},
		{"dhcp-split-scope-pair-beside-gateway-dnsmasq.pcap", "10.88.8.1", "00:50:56:00:01:80", inventory.SeverityMedium},
	} {
		got := rogueDHCPSeverities(t, c.file, c.gw)
		if len(got) != 1 || got[c.culprit] != c.want {
			t.Errorf("%s: rogue_dhcp %v, want only %s at %s", c.file, got, c.culprit, c.want)
		}
	}
}
