package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"tend/discovery"
	"tend/inventory"
	"tend/traffic"
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
		Files   []traffic.ReplayFile `json:"files"`
		Events  []inventory.Event    `json:"events"`
		Devices []inventory.Device   `json:"devices"`
		Hosts   []map[string]any     `json:"hosts"`
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

// TestClassifyCorpus classifies the devices the corpus captures describe,
// through replay's passive decoders and the store's fold.
func TestClassifyCorpus(t *testing.T) {
	var files []string
	for _, f := range []string{"l2disc/3560_CDP.pcap", "l2disc/cdp-v1.pcap", "l2disc/lldp.pcap", "synthetic/lab_discovery_announcements_scapy.pcap",
		"discovery/ubntac2.pcap", "dhcp/dhcp.pcap", "synthetic/lab_rogue_dhcp_scapy.pcap"} {
		files = append(files, pcapCorpus(t, f))
	}
	res, err := replay(t.Context(), files, traffic.Config{}, discovery.NewPassive(discovery.PassiveConfig{}).AppendPacket)
	if err != nil {
		t.Fatal(err)
	}
	byMAC := map[string]inventory.Device{}
	for _, d := range res.Devices {
		byMAC[d.MAC.String()] = d
		for _, m := range d.OtherMACs {
			byMAC[m.String()] = d
		}
	}
	want := map[string]inventory.DeviceType{
		"00:19:06:ea:b8:85": inventory.TypeSwitch,  // WS-C3560G via CDP
		"00:e0:1e:d5:d5:15": inventory.TypeRouter,  // cisco 1601
		"00:22:2d:81:db:10": inventory.TypeSwitch,  // SMC via LLDP
		"00:1a:a1:00:00:01": inventory.TypeSwitch,  // WS-C2960X via CDP+LLDP
		"00:80:77:00:00:20": inventory.TypePrinter, // Brother via mDNS
		"00:11:32:00:00:30": inventory.TypeNAS,     // Synology via SSDP
		"80:2a:a8:8d:69:2c": inventory.TypeRouter,  // UniFi Security Gateway
		"3c:52:82:00:00:10": inventory.TypeWorkstation,
	}
	for mac, wt := range want {
		d, ok := byMAC[mac]
		if !ok {
			t.Errorf("no device %s", mac)
			continue
		}
		if d.Type != wt || d.TypeConfidence <= 0 || len(d.TypeEvidence) == 0 {
			t.Errorf("%s (%s %s): type %s confidence %.2f evidence %+v, want %s", mac, d.Make, d.Model, d.Type, d.TypeConfidence, d.TypeEvidence, wt)
		}
	}
	for _, d := range res.Devices {
		t.Logf("%s %s %.2f %v", d.MAC, d.Type, d.TypeConfidence, d.TypeEvidence)
	}
}

// TestReplayJSONStream: writeReplayJSON writes what json.Marshal and
// json.Indent write for the whole result, byte for byte, on a replay with
// events, devices and hosts and on results with nil and empty slices; and
// it writes every field ReplayResult has, in order.
func TestReplayJSONStream(t *testing.T) {
	var names []string
	rt := reflect.TypeFor[traffic.ReplayResult]()
	for i := range rt.NumField() {
		names = append(names, strings.Split(rt.Field(i).Tag.Get("json"), ",")[0])
	}
	if want := []string{"files", "events", "devices", "hosts", "counters"}; !slices.Equal(names, want) {
		t.Fatalf("ReplayResult's fields are %v; writeReplayJSON writes %v: update it", names, want)
	}
	files := []string{
		pcapCorpus(t, "synthetic/lab_arpspoof_dsniff.pcap"),
		pcapCorpus(t, "synthetic/lab_rogue_dhcp_scapy.pcap"),
		pcapCorpus(t, "arp/arp-leak.pcap"),
	}
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	var tf traffic.Flags
	tf.Register(fs, 10*time.Minute)
	cfg, err := tf.Config("", nil)
	if err != nil {
		t.Fatal(err)
	}
	observe, release := discovery.NewPassive(discovery.PassiveConfig{}).Hold()
	defer release()
	res, err := replay(t.Context(), files, cfg, observe)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Events) == 0 || len(res.Devices) == 0 || len(res.Hosts) == 0 {
		t.Fatalf("the replay gave %d events, %d devices, %d hosts: want some of each", len(res.Events), len(res.Devices), len(res.Hosts))
	}
	for name, r := range map[string]*traffic.ReplayResult{
		"replay": res,
		"nil":    {Counters: res.Counters},
		"empty":  {Files: []traffic.ReplayFile{}, Events: []inventory.Event{}, Devices: []inventory.Device{}, Hosts: []traffic.HostStats{}},
		"one":    {Files: res.Files[:1], Events: res.Events[:1], Devices: res.Devices[:1], Hosts: res.Hosts[:1]},
	} {
		compact, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact, "", "  "); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		var got bytes.Buffer
		if err := writeReplayJSON(&got, r); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: writeReplayJSON differs from json.Marshal + json.Indent:\n%s", name, cmp.Diff(want.String(), got.String()))
		}
	}
}
