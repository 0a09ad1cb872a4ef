package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"tend/lifecycle"
)

// runCatalog is `tend catalog judge`: the lifecycle and vulnerability
// verdicts for one product and version, for scripts (lifecycle.JudgeCommand).
func runCatalog(_ context.Context, e env) error {
	if len(e.args) == 0 || e.args[0] != "judge" {
		fmt.Fprintln(e.stderr, "Usage: tend catalog judge --product KEY --version STRING [--model M] [--as-of YYYY-MM-DD] [--json]")
		return errors.New("catalog: want the judge subcommand")
	}
	fset := newFlagSet("catalog judge", "", e)
	var r lifecycle.JudgeRequest
	fset.StringVar(&r.Product, "product", "", "product key of the vulnerability catalog (fortios, cisco-ios-xe, pan-os, routeros, …)")
	fset.StringVar(&r.Version, "version", "", "the version string as the device reports it (v7.2.6,build1575)")
	fset.StringVar(&r.Model, "model", "", "the model, for hardware end of life and per-model CVEs")
	fset.StringVar(&r.AsOf, "as-of", "", "judge as of this date (default today)")
	fset.StringVar(&r.VulnPath, "vulns", "", "a vulnerability catalog file to use when it is newer than the built-in one")
	fset.StringVar(&r.CatalogPath, "catalog", "", "an end-of-life catalog file to use when it is newer than the built-in one")
	jsonOut := fset.Bool("json", false, "print JSON")
	if err := fset.Parse(e.args[1:]); err != nil {
		return err
	}
	if r.Product == "" || r.Version == "" {
		fset.Usage()
		return errors.New("catalog judge: --product and --version are required")
	}
	return lifecycle.JudgeCommand(r, *jsonOut, e.stdout, e.logger(slog.LevelWarn, false))
}
