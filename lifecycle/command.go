package lifecycle

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"tend/inventory"
)

// NewCurrentAsOf opens the catalogs in force for `tend scan`: catalogPath
// ("" for none) when it is newer than the built-in one, with the
// vulnerability catalog beside it, judging as of a fixed date (YYYY-MM-DD,
// midnight UTC: --as-of) or, for "", the wall clock.
func NewCurrentAsOf(catalogPath, date string, log *slog.Logger) (*Current, error) {
	cfg := CurrentConfig{Log: log}
	if catalogPath != "" {
		cfg = DataDirConfig(filepath.Dir(catalogPath))
		cfg.Path, cfg.Log = catalogPath, log
	}
	if date != "" {
		t, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return nil, fmt.Errorf("--as-of %q: want a date such as 2027-06-01", date)
		}
		cfg.Now = func() time.Time { return t }
	}
	return NewCurrent(cfg)
}

// JudgeRequest is one `tend catalog judge`: a product key of the
// vulnerability catalog, the version as the device reports it, the model
// (for hardware end of life and per-model CVEs), the date to judge as of
// (YYYY-MM-DD, "" for today) and newer catalog files to prefer ("" for none).
type JudgeRequest struct {
	Product, Version, Model, AsOf string
	CatalogPath, VulnPath         string
}

// JudgeCommand prints the lifecycle and vulnerability verdicts for one
// product and version on w, as indented JSON when jsonOut is set.
func JudgeCommand(r JudgeRequest, jsonOut bool, w io.Writer, log *slog.Logger) error {
	now := time.Now()
	if r.AsOf != "" {
		t, err := time.Parse(time.DateOnly, r.AsOf)
		if err != nil {
			return fmt.Errorf("catalog judge: --as-of: %w", err)
		}
		now = t
	}
	j, err := NewCurrent(CurrentConfig{Path: r.CatalogPath, VulnPath: r.VulnPath, Log: log})
	if err != nil {
		return err
	}
	out := j.JudgeProduct(r.Product, r.Version, r.Model, now)
	if jsonOut {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	out.WriteText(w)
	return nil
}

// DeviceStore is the stored devices JudgeStored re-judges (storage.Store).
type DeviceStore interface {
	UpdateDevices(fn func(*inventory.Device) bool) (int, error)
	Devices() ([]inventory.Device, error)
}

// JudgeStored re-judges every stored device in one transaction, writes
// those whose verdicts changed (they move with the date and the catalogs,
// not only with what the sensors see) and, when report is set, logs the
// forecast. It logs what fails: it runs after each sweep and presence tick.
func (j *Current) JudgeStored(st DeviceStore, log *slog.Logger, report bool) {
	changed, err := st.UpdateDevices(j.Rejudge)
	j.Catalog().release() // the pass is over: the catalogs' decoded products go
	j.Vulns().release()
	if err != nil {
		log.Error("judge devices", "err", err)
		return
	}
	if devs, err := st.Devices(); err == nil && report {
		log.Info("devices judged", "changed", changed, "catalog_date", j.Catalog().Date().Format(time.DateOnly), "forecast", ForecastSummary(j.Forecast(devs)))
	}
}
