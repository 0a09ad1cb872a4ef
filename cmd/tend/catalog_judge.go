package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"tend/lifecycle"
)

// judge is the catalogs in force (lifecycle.Current): the embedded ones or
// newer files, re-read when they change.
type judge = lifecycle.Current

// newJudgeAsOf opens the catalogs in force, preferring catalogPath ("" for
// none) and the vulnerability catalog beside it when newer, judging as of
// a fixed date (YYYY-MM-DD, midnight UTC; scan's --as-of) or, for "", the
// wall clock.
func newJudgeAsOf(catalogPath, date string, log *slog.Logger) (*judge, error) {
	cfg := lifecycle.CurrentConfig{Log: log}
	if catalogPath != "" {
		cfg = lifecycle.DataDirConfig(filepath.Dir(catalogPath))
		cfg.Path, cfg.Log = catalogPath, log
	}
	if date != "" {
		t, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return nil, fmt.Errorf("--as-of %q: want a date such as 2027-06-01", date)
		}
		cfg.Now = func() time.Time { return t }
	}
	return lifecycle.NewCurrent(cfg)
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
	j, err := lifecycle.NewCurrent(lifecycle.CurrentConfig{Path: *catalogFile, VulnPath: *vulnsFile, Log: e.logger(slog.LevelWarn, false)})
	if err != nil {
		return err
	}
	out := j.JudgeProduct(*product, *ver, *model, now)
	if *jsonOut {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	out.WriteText(e.stdout)
	return nil
}
