// The classifier over the corpus captures: discovery's passive decoder
// feeds identity's classifier, which only the wiring may join.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/pcapgo"

	"tend/discovery"
	"tend/identity"
	"tend/inventory"
)

var writeTypesTable = flag.String("types-table", "", "write TestClassifyCaptures' per-device type table to this file")

// TestClassifyCaptures classifies every device the corpus captures show
// (outside pcap/train, whose hosts are attack tools and their targets) from
// what they say on the wire alone, and lists each with its type, confidence
// and evidence. Devices that said nothing about themselves (only ARP or
// traffic) are counted apart: no signal can type them.
func TestClassifyCaptures(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "pcap")
	if d := os.Getenv("TEND_CORPUS"); d != "" {
		dir = filepath.Join(filepath.Dir(d), "pcap")
	}
	if _, err := os.Stat(filepath.Join(dir, "manifest.jsonl")); err != nil {
		t.Skipf("corpus captures not found at %s: %v", dir, err)
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() && e.Name() == "train" {
			return filepath.SkipDir
		}
		if !e.IsDir() && (strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".pcapng")) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	type row struct{ file, mac, name, typ, conf, ev string }
	var rows []row
	var devices, unknown, silent int
	for _, f := range files {
		devs := replayDevices(t, f)
		macs := make([]string, 0, len(devs))
		for m := range devs {
			macs = append(macs, m)
		}
		slices.Sort(macs)
		for _, m := range macs {
			d := devs[m]
			identity.ClassifyWith(d, identity.ClassifyHints{})
			if !saidAnything(d) {
				silent++
				continue
			}
			devices++
			if d.Type == inventory.TypeUnknown || d.Type == "" {
				unknown++
			}
			var ev []string
			for _, e := range d.TypeEvidence {
				ev = append(ev, e.Source+": "+e.Detail)
			}
			rel, _ := filepath.Rel(dir, f)
			rows = append(rows, row{rel, m, d.Name(), string(d.Type), fmt.Sprintf("%.2f", d.TypeConfidence), strings.Join(ev, "; ")})
		}
	}
	var b strings.Builder
	b.WriteString("# Device types from the corpus captures (passive signals only)\n\n")
	b.WriteString("Written by `go test ./discovery -run TestClassifyCaptures -args -types-table=…`. Every device that said\n")
	b.WriteString("something about itself (a name, a service, capabilities, a DHCP request, a make or model) in the captures\n")
	b.WriteString("outside pcap/train; devices heard only through ARP or traffic are counted apart.\n\n")
	fmt.Fprintf(&b, "| devices | unknown | share unknown | silent (not graded) |\n|---|---|---|---|\n| %d | %d | %.1f %% | %d |\n\n",
		devices, unknown, 100*float64(unknown)/float64(max(1, devices)), silent)
	b.WriteString("| capture | MAC | name | type | confidence | evidence |\n|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", r.file, r.mac, cellText(r.name), r.typ, r.conf, cellText(r.ev))
	}
	if *writeTypesTable != "" {
		if err := os.WriteFile(*writeTypesTable, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	share := 100 * float64(unknown) / float64(max(1, devices))
	t.Logf("%d devices, %d unknown (%.1f %%), %d silent", devices, unknown, share, silent)
	if share > 10 {
		t.Errorf("%.1f %% of %d devices unknown, want at most 10 %%", share, devices)
	}
}

// saidAnything reports whether d announced anything a classifier can read.
func saidAnything(d *inventory.Device) bool {
	return d.Hostname != "" || len(d.Names) > 0 || len(d.Services) > 0 || len(d.Capabilities) > 0 ||
		d.DHCPVendor != "" || d.DHCPParams != "" || d.Make != "" || d.Model != "" || d.OS != "" || d.SNMP != nil
}

func cellText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", "/")
}

// replayDevices runs one capture through the passive decoder and merges
// the observations into devices keyed by MAC, as the wiring does.
func replayDevices(t *testing.T, path string) map[string]*inventory.Device {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	magic, err := br.Peek(4)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var read func() ([]byte, time.Time, error)
	if string(magic) == "\x0a\x0d\x0d\x0a" {
		r, err := pcapgo.NewNgReader(br, pcapgo.DefaultNgReaderOptions)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		read = func() ([]byte, time.Time, error) { d, ci, err := r.ReadPacketData(); return d, ci.Timestamp, err }
	} else {
		r, err := pcapgo.NewReader(br)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		read = func() ([]byte, time.Time, error) { d, ci, err := r.ReadPacketData(); return d, ci.Timestamp, err }
	}
	p := discovery.NewPassive(discovery.PassiveConfig{})
	devs := map[string]*inventory.Device{}
	for {
		data, ts, err := read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, o := range p.Frame(ts, data) {
			d := devs[o.MAC.String()]
			if d == nil {
				d = &inventory.Device{}
				devs[o.MAC.String()] = d
			}
			inventory.Merge(d, o)
			inventory.Track(d, o)
		}
	}
	return devs
}
