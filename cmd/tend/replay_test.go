package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tend/inventory"
)

func pcapCorpus(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "corpus", "pcap", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("pcap corpus absent: %v", err)
	}
	return p
}

// TestReplayJSON: several captures in one run, with the lab's gateway given
// as the box would know it; the JSON carries events naming culprits and the
// devices learned from the traffic tables.
func TestReplayJSON(t *testing.T) {
	files := []string{
		pcapCorpus(t, "synthetic/lab_arpspoof_dsniff.pcap"),
		pcapCorpus(t, "synthetic/lab_rogue_dhcp_scapy.pcap"),
		pcapCorpus(t, "arp/arp-leak.pcap"), // malformed ARP: counted, not fatal
	}
	var out, errOut strings.Builder
	args := append([]string{"replay", "--json", "--gateway", "10.213.0.1"}, files...)
	if err := run(t.Context(), args, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("tend replay: %v\n%s", err, errOut.String())
	}
	var res struct {
		Files   []replayFile       `json:"files"`
		Events  []inventory.Event  `json:"events"`
		Devices []inventory.Device `json:"devices"`
		Hosts   []map[string]any   `json:"hosts"`
	}
	if err := json.Unmarshal([]byte(out.String()), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if len(res.Files) != 3 || res.Files[0].Packets != 85 || res.Files[1].Packets != 6 {
		t.Errorf("files %+v", res.Files)
	}
	got := map[inventory.EventType]string{}
	for _, ev := range res.Events {
		got[ev.Type] = ev.MAC.String()
	}
	for typ, mac := range map[inventory.EventType]string{
		inventory.EventARPSpoof:       "b8:27:eb:00:00:66",
		inventory.EventGatewayChanged: "b8:27:eb:00:00:66",
		inventory.EventRogueDHCP:      "00:0c:29:00:00:99",
	} {
		if got[typ] != mac {
			t.Errorf("%s names %q, want %s", typ, got[typ], mac)
		}
	}
	// The client pinged from .10 in the first capture, then took .200 from
	// the rogue server's ACK in the second: both are in its IP history,
	// the later one current.
	devs := map[string][]string{}
	for _, d := range res.Devices {
		for _, ip := range d.IPs {
			devs[d.MAC.String()] = append(devs[d.MAC.String()], ip.String())
		}
	}
	if got := devs["00:1a:a1:00:00:01"]; len(got) == 0 || got[0] != "10.213.0.1" {
		t.Errorf("gateway's addresses %v, want 10.213.0.1 first", got)
	}
	if got := devs["3c:52:82:00:00:10"]; !slices.Equal(got, []string{"10.213.0.200", "10.213.0.10"}) {
		t.Errorf("client's addresses %v, want [10.213.0.200 10.213.0.10]", got)
	}
	if len(res.Hosts) == 0 {
		t.Error("no host statistics")
	}
}

func TestReplayTableAndErrors(t *testing.T) {
	var out, errOut strings.Builder
	if err := run(t.Context(), []string{"replay", pcapCorpus(t, "cleartext/telnet.pcap")}, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "insecure_protocol") || !strings.Contains(out.String(), "DEVICES") {
		t.Errorf("table output:\n%s", out.String())
	}
	junk := filepath.Join(t.TempDir(), "junk.pcap")
	os.WriteFile(junk, []byte("not a capture"), 0o600)
	for _, args := range [][]string{{"replay"}, {"replay", junk}, {"replay", "/nonexistent.pcap"}, {"replay", "--gateway", "x", junk}} {
		if err := run(t.Context(), args, strings.NewReader(""), &out, &errOut); err == nil {
			t.Errorf("tend %v succeeded", args)
		}
	}
}
