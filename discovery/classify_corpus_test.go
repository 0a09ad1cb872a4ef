package discovery

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tend/inventory"
)

var writeTypesTable = flag.String("types-table", "", "write TestClassifyCaptures' per-device type table to this file")

// TestClassifyCaptures classifies every device the corpus captures show
// (outside pcap/train, whose hosts are attack tools and their targets) from
// what they say on the wire alone, and lists each with its type, confidence
// and evidence. Devices that said nothing about themselves (only ARP or
// traffic) are counted apart: no signal can type them.
func TestClassifyCaptures(t *testing.T) {
	dir := corpusPcap(t)
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
		devs, _ := replay(t, f)
		macs := make([]string, 0, len(devs))
		for m := range devs {
			macs = append(macs, m)
		}
		slices.Sort(macs)
		for _, m := range macs {
			d := devs[m]
			ClassifyWith(d, ClassifyHints{})
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
