package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"tend/inventory"
	"tend/lifecycle"
)

// vulnsFileName is the vulnerability catalog file tend looks for beside
// the end-of-life catalog file (in serve's data directory); the hub pushes
// updates there.
const vulnsFileName = "vulns.json.gz"

// vulnsPathBeside names the vulnerability catalog file in the directory of
// the end-of-life catalog file, "" when there is none.
func vulnsPathBeside(catalogPath string) string {
	if catalogPath == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(catalogPath), vulnsFileName)
}

// runCatalog is `tend catalog judge`: the lifecycle and vulnerability
// verdicts for one product and version, for scripts.
func runCatalog(_ context.Context, e env) error {
	if len(e.args) == 0 || e.args[0] != "judge" {
		fmt.Fprintln(e.stderr, "Usage: tend catalog judge --product KEY --version STRING [--model M] [--as-of YYYY-MM-DD] [--json]")
		return errors.New("catalog: want the judge subcommand")
	}
	fset := newFlagSet("catalog judge", "", e)
	product := fset.String("product", "", "product key of the vulnerability catalog (fortios, cisco-ios-xe, pan-os, routeros, …)")
	ver := fset.String("version", "", "the version string as the device reports it (v7.2.6,build1575)")
	model := fset.String("model", "", "the model, for hardware end of life and per-model CVEs")
	asOf := fset.String("as-of", "", "judge as of this date (default today)")
	vulnsFile := fset.String("vulns", "", "a vulnerability catalog file to use when it is newer than the built-in one")
	catalogFile := fset.String("catalog", "", "an end-of-life catalog file to use when it is newer than the built-in one")
	jsonOut := fset.Bool("json", false, "print JSON")
	if err := fset.Parse(e.args[1:]); err != nil {
		return err
	}
	if *product == "" || *ver == "" {
		fset.Usage()
		return errors.New("catalog judge: --product and --version are required")
	}
	now := time.Now()
	if *asOf != "" {
		t, err := time.Parse(time.DateOnly, *asOf)
		if err != nil {
			return fmt.Errorf("catalog judge: --as-of: %w", err)
		}
		now = t
	}
	log := e.logger(slog.LevelWarn, false)
	j, err := lifecycle.NewCurrent(lifecycle.CurrentConfig{Path: *catalogFile, VulnPath: *vulnsFile, Log: log})
	if err != nil {
		return err
	}
	id := lifecycle.Identity{Make: productMake(*product), Model: *model, OS: *product, Firmware: *ver}
	lc := j.Catalog().Judge(id, now)
	vv := j.Vulns().JudgeVulns(lifecycle.VulnQuery{Product: *product, Raw: *ver, Model: *model, Field: "version"}, now)
	out := struct {
		Product         string                    `json:"product"`
		Version         string                    `json:"version"`
		Model           string                    `json:"model,omitempty"`
		AsOf            string                    `json:"as_of"`
		Lifecycle       inventory.Lifecycle       `json:"lifecycle"`
		Vulnerabilities inventory.Vulnerabilities `json:"vulnerabilities"`
		Notice          string                    `json:"notice"`
	}{*product, *ver, *model, now.Format(time.DateOnly), lc, vv, lifecycle.VulnNotice}
	if *jsonOut {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintf(e.stdout, "%s %s as of %s\n", *product, *ver, out.AsOf)
	fmt.Fprintf(e.stdout, "lifecycle: %s %s %s (catalog %s)\n", lc.Status, lc.Product, lc.Cycle, lc.CatalogDate)
	fmt.Fprintf(e.stdout, "vulnerabilities: %s — %s (catalog %s)\n", vv.Status, vv.Reason, vv.CatalogDate)
	if len(vv.KEV) > 0 {
		fmt.Fprintf(e.stdout, "  known exploited: %s\n", strings.Join(vv.KEV, ", "))
	}
	if vv.Status == inventory.VulnAffected {
		fix := vv.FixedIn
		if fix == "" {
			fix = "no fixed release in this train"
		}
		fmt.Fprintf(e.stdout, "  %d CVEs, highest CVSS %.1f, fixed in: %s\n", len(vv.CVEs), vv.MaxCVSS, fix)
	}
	fmt.Fprintln(e.stdout, lifecycle.VulnNotice)
	return nil
}

// productMake names the vendor of a catalog product key, so the lifecycle
// grammars recognise the product from the make alone.
func productMake(product string) string {
	switch {
	case strings.HasPrefix(product, "cisco-ios-xe"):
		return "Cisco IOS XE"
	case strings.HasPrefix(product, "cisco-ios"):
		return "Cisco IOS"
	case strings.HasPrefix(product, "cisco-nx-os"):
		return "Cisco NX-OS"
	case product == "fortios":
		return "FortiOS"
	case product == "pan-os":
		return "PAN-OS"
	case product == "routeros":
		return "RouterOS"
	case product == "synology-dsm":
		return "Synology DSM"
	case product == "vmware-esxi":
		return "VMware ESXi"
	case strings.HasPrefix(product, "junos"):
		return "Junos"
	}
	return product
}

// vulnLine summarises the devices' vulnerability verdicts for a status line.
func vulnLine(c *lifecycle.VulnCatalog, devs []inventory.Device) string {
	var kev, affected, maybe int
	for _, d := range devs {
		v := d.Vulnerabilities
		switch {
		case v == nil:
		case v.Status == inventory.VulnAffected && len(v.KEV) > 0:
			kev++
			affected++
		case v.Status == inventory.VulnAffected:
			affected++
		case v.Status == inventory.VulnPotentiallyAffected:
			maybe++
		}
	}
	return fmt.Sprintf("vulnerability catalog dated %s: %d devices with known-exploited CVEs, %d with known CVEs, %d possibly affected",
		c.Date().Format(time.DateOnly), kev, affected, maybe)
}
