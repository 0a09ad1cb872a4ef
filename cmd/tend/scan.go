package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"

	"tend/inventory"
)

func runScan(ctx context.Context, e env) error {
	fs := newFlagSet("scan", "", e)
	var f discoveryFlags
	f.register(fs)
	jsonOut := fs.Bool("json", false, "print the devices as a JSON array (the design's device fields)")
	verbose := fs.Bool("v", false, "log each step")
	if err := fs.Parse(e.args); err != nil {
		return err
	}
	log := e.logger(slog.LevelWarn, *verbose)
	p, err := newPipeline(f, log)
	if err != nil {
		return err
	}
	var (
		mu      sync.Mutex
		devices = map[string]*inventory.Device{}
	)
	res, err := p.run(ctx, func(o inventory.Observation) {
		mu.Lock()
		defer mu.Unlock()
		d := devices[o.MAC.String()]
		if d == nil {
			d = &inventory.Device{}
			devices[o.MAC.String()] = d
		}
		inventory.Merge(d, o)
	})
	if err != nil {
		return err
	}
	list := make([]inventory.Device, 0, len(devices))
	for _, d := range devices {
		list = append(list, *d)
	}
	slices.SortFunc(list, func(a, b inventory.Device) int { return a.IP.Compare(b.IP) })
	fmt.Fprintf(e.stderr, "tend scan: %d devices (%d answered SNMP, identified after %.2fs) on %s via %s in %.2fs; %d ARP requests sent\n",
		len(list), res.SNMP, res.Identified.Seconds(), joinPrefixes(res.Prefixes), res.Interface, res.Duration.Seconds(), res.Sweep.Sent)
	if *jsonOut {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "IP\tMAC\tVENDOR\tNAME\tSNMP")
	for _, d := range list {
		vendor := d.Vendor
		if d.RandomMAC {
			vendor = "(randomised MAC)"
		}
		descr := ""
		if d.SNMP != nil {
			descr = oneLine(d.SNMP.SysDescr, 60)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.IP, d.MAC, oneLine(vendor, 32), oneLine(d.Hostname, 24), descr)
	}
	return tw.Flush()
}

func joinPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

// oneLine flattens and shortens free text (sysDescr spans lines) for a table cell.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
