package main

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"tend/inventory"
	"tend/lifecycle"
	"tend/storage"
)

// catalogFileName is the end-of-life catalog file tend serve looks for in
// its data directory; the hub pushes updates there.
const catalogFileName = "catalog.json.gz"

// judge is the end-of-life catalog in force (lifecycle.Current): the
// embedded one or a newer file, re-read when it changes.
type judge = lifecycle.Current

// newJudge opens the catalog in force, with overridePath ("" for none) as
// the newer file to prefer.
func newJudge(overridePath string, log *slog.Logger) (*judge, error) {
	return lifecycle.NewCurrent(lifecycle.CurrentConfig{Path: overridePath, VulnPath: vulnsPathBeside(overridePath), Log: log})
}

// newJudgeAsOf is newJudge judging as of a fixed date (YYYY-MM-DD, midnight
// UTC; scan's --as-of) instead of the wall clock; "" keeps the wall clock.
func newJudgeAsOf(overridePath, date string, log *slog.Logger) (*judge, error) {
	if date == "" {
		return newJudge(overridePath, log)
	}
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return nil, fmt.Errorf("--as-of %q: want a date such as 2027-06-01", date)
	}
	return lifecycle.NewCurrent(lifecycle.CurrentConfig{Path: overridePath, VulnPath: vulnsPathBeside(overridePath), Log: log, Now: func() time.Time { return t }})
}

// judgeStore re-judges every stored device in one transaction and writes
// those whose verdict or age estimate changed (a verdict moves with the date
// and the catalog, not only with what the sensors see). Verdicts are derived
// from the device and the catalog: they bypass the observation fold, and a
// device gets one as soon as it has an identity, passive ones included.
func judgeStore(j *judge, st *storage.Store) (int, error) {
	return st.UpdateDevices(j.Rejudge)
}

// dataCatalogPath is where serve looks for a pushed catalog.
func dataCatalogPath(dataDir string) string { return filepath.Join(dataDir, catalogFileName) }

// verdictCell is a verdict in a table cell: "eol fortios 7.2".
func verdictCell(v *inventory.Lifecycle) string {
	if v == nil || v.Status == inventory.StatusUnknown {
		return "-"
	}
	return oneLine(string(v.Status)+" "+v.Product+" "+v.Cycle, 32)
}

// forecastLine summarises a forecast for a log or status line.
func forecastLine(due []lifecycle.DeviceDue) string {
	var n3, n6, n12 int
	for _, d := range due {
		switch d.Within {
		case 3:
			n3++
		case 6:
			n6++
		default:
			n12++
		}
	}
	return fmt.Sprintf("end of support within 3 months: %d devices, 3-6 months: %d, 6-12 months: %d", n3, n6, n12)
}
