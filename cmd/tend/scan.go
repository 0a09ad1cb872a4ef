package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"text/tabwriter"
	"time"

	"tend/discovery"
	"tend/inventory"
)

func runScan(ctx context.Context, e env) error {
	fs := newFlagSet("scan", "", e)
	var f discoveryFlags
	f.register(fs)
	jsonOut := fs.Bool("json", false, "print the devices as a JSON array (the design's device fields)")
	catalog := fs.String("catalog", "", "an end-of-life catalog file to judge with when it is newer than the built-in one")
	verbose := fs.Bool("v", false, "log each step")
	every := fs.Duration("every", 0, "sweep again after this long (±10% jitter) until --rounds are done; devices are fused across rounds")
	rounds := fs.Int("rounds", 1, "how many sweeps to run (with --every)")
	if err := fs.Parse(e.args); err != nil {
		return err
	}
	log := e.logger(slog.LevelWarn, *verbose)
	p, err := newPipeline(f, log)
	if err != nil {
		return err
	}
	j, err := newJudge(*catalog, log)
	if err != nil {
		return err
	}
	if *rounds < 1 || (*rounds > 1 && *every <= 0) {
		return fmt.Errorf("--rounds %d: want at least 1, and --every for more than one", *rounds)
	}
	// One tracker for all rounds: identity fusion and classification.
	tracker := discovery.NewTracker(discovery.TrackerConfig{})
	var res runResult
	for round := 1; round <= *rounds; round++ {
		start := time.Now()
		if res, err = p.run(ctx, func(o inventory.Observation) { tracker.Observe(o) }); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "tend scan: %d devices (%d answered SNMP, identified after %.2fs) on %s via %s in %.2fs; %d ARP requests sent\n",
			len(tracker.Devices()), res.SNMP, res.Identified.Seconds(), joinPrefixes(res.Prefixes), res.Interface, res.Duration.Seconds(), res.Sweep.Sent)
		if round == *rounds || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(max(discovery.Periodic{Every: *every}.Next()-time.Since(start), 0)):
		}
	}
	list := tracker.Devices()
	for i := range list {
		j.assess(&list[i])
	}
	fmt.Fprintf(e.stderr, "tend scan: verdicts from the end-of-life catalog dated %s; %s\n",
		j.catalog().Date().Format(time.DateOnly), forecastLine(j.forecast(list)))
	fmt.Fprintf(e.stderr, "tend scan: %s\n", vulnLine(j.vulns.catalog(), list))
	if *jsonOut {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "IP\tMAC\tVENDOR\tNAME\tTYPE\tLIFECYCLE\tSNMP")
	for _, d := range list {
		vendor := d.Vendor
		if d.RandomMAC {
			vendor = "(randomised MAC)"
		}
		descr := ""
		if d.SNMP != nil {
			descr = oneLine(d.SNMP.SysDescr, 60)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.IP, d.MAC, oneLine(vendor, 32), oneLine(d.Hostname, 24), d.Type, verdictCell(d.Lifecycle), descr)
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
