package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"tend/inventory"
	"tend/lifecycle"
)

// catalogFileName is the end-of-life catalog file tend serve looks for in
// its data directory; the hub pushes updates there.
const catalogFileName = "catalog.json.gz"

// judge fills in devices' lifecycle verdicts and age estimates from the
// embedded end-of-life catalog, or from a newer catalog file (in the data
// directory for serve, --catalog for scan), which it re-reads whenever the
// file changes so a pushed update applies without a restart.
type judge struct {
	embedded *lifecycle.Catalog
	path     string // the override file; "" for none
	log      *slog.Logger
	now      func() time.Time
	vulns    *vulnJudge // the vulnerability catalog (catalog_judge.go)

	mu      sync.Mutex
	current *lifecycle.Catalog
	stamp   fileStamp // of the override file when last read
}

// fileStamp tells whether a file changed since it was last read.
type fileStamp struct {
	mod  time.Time
	size int64
}

// newJudge opens the embedded catalog and, when overridePath names an
// existing file, the override (used only when it is dated after the
// embedded one). A broken override file is logged and ignored: verdicts
// from the embedded catalog beat none.
func newJudge(overridePath string, log *slog.Logger) (*judge, error) {
	c, err := lifecycle.OpenCatalog()
	if err != nil {
		return nil, err
	}
	j := &judge{embedded: c, current: c, path: overridePath, log: log.With("component", "lifecycle"), now: time.Now}
	if j.vulns, err = newVulnJudge(vulnsPathBeside(overridePath), log); err != nil {
		return nil, err
	}
	j.catalog()
	return j, nil
}

// catalog returns the catalog to judge with, re-reading the override file
// when its size or modification time changed.
func (j *judge) catalog() *lifecycle.Catalog {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.path == "" {
		return j.current
	}
	fi, err := os.Stat(j.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if j.current != j.embedded {
			j.log.Info("catalog file removed; using the embedded catalog", "path", j.path, "catalog_date", j.embedded.Date().Format(time.DateOnly))
		}
		j.current, j.stamp = j.embedded, fileStamp{}
		return j.current
	case err != nil:
		j.log.Warn("catalog file unreadable; keeping the current catalog", "path", j.path, "err", err)
		return j.current
	}
	st := fileStamp{mod: fi.ModTime(), size: fi.Size()}
	if st == j.stamp {
		return j.current
	}
	j.stamp = st
	o, err := lifecycle.LoadCatalog(j.path)
	if err != nil {
		j.log.Warn("catalog file rejected; keeping the current catalog", "path", j.path, "err", err)
		return j.current
	}
	if lifecycle.Newer(j.embedded, o) != o {
		j.log.Info("catalog file is not newer than the embedded catalog; ignoring it", "path", j.path,
			"file_date", o.Date().Format(time.DateOnly), "embedded_date", j.embedded.Date().Format(time.DateOnly))
		j.current = j.embedded
		return j.current
	}
	j.log.Info("using catalog file", "path", j.path, "catalog_date", o.Date().Format(time.DateOnly))
	j.current = o
	return j.current
}

// assess sets d's lifecycle verdict and age estimate as of now.
func (j *judge) assess(d *inventory.Device) {
	j.catalog().Assess(d, j.now())
	j.vulns.catalog().AssessVulns(d, j.now())
}

// verdicts judges every device and returns an observation for each whose
// verdict or age estimate differs from what it carries, for storage to
// apply (a verdict moves with the date and the catalog, not only with what
// the sensors see).
func (j *judge) verdicts(devs []inventory.Device) []inventory.Observation {
	c, vc, now := j.catalog(), j.vulns.catalog(), j.now()
	var out []inventory.Observation
	for _, d := range devs {
		judged := d
		c.Assess(&judged, now)
		vc.AssessVulns(&judged, now)
		o := inventory.Observation{MAC: d.MAC, Lifecycle: judged.Lifecycle, Age: judged.Age, Vulnerabilities: judged.Vulnerabilities}
		if probe := d; inventory.Merge(&probe, o) {
			out = append(out, o)
		}
	}
	return out
}

// forecast lists the devices whose support ends within 12 months.
func (j *judge) forecast(devs []inventory.Device) []lifecycle.DeviceDue {
	return lifecycle.ForecastDevices(devs, j.now())
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
