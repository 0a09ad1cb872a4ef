package findings

import (
	"context"
	"log/slog"
	"time"

	"tend/inventory"
)

// Store is what a Runner reads devices from and writes findings to
// (storage.Store).
type Store interface {
	Devices() ([]inventory.Device, error)
	ReplaceFindings(update func(stored []inventory.Finding) []inventory.Finding) error
}

// RunnerConfig is a Runner's inputs; only Store and Log are required.
type RunnerConfig struct {
	Store    Store
	Log      *slog.Logger
	Interval time.Duration // between evaluations; 0: a minute
	// Events returns recent events for the snapshot; nil: none.
	Events func(since time.Time) ([]inventory.Event, error)
	// BulkBytes feeds the backup-target rule; nil: no traffic statistics.
	BulkBytes func(mac inventory.MAC, since, until time.Time) (uint64, bool)
	// Rules tunes the rules' thresholds; the zero value is the default.
	Rules Config
	// Before, when set, runs before each evaluation (serve keeps the
	// first-run setup code fresh there while no user exists).
	Before func()
}

// Runner re-evaluates the rules over the store on an interval, or soon
// after Refresh, keeping the latest distinct health readings for rates.
type Runner struct {
	cfg     RunnerConfig
	trigger chan struct{}
	history History
}

// NewRunner returns a Runner; Run starts it.
func NewRunner(cfg RunnerConfig) *Runner {
	if cfg.Interval <= 0 {
		cfg.Interval = time.Minute
	}
	cfg.Log = cfg.Log.With("component", "findings")
	return &Runner{cfg: cfg, trigger: make(chan struct{}, 1)}
}

// Refresh asks for an evaluation soon; requests while one is queued merge.
func (r *Runner) Refresh() {
	select {
	case r.trigger <- struct{}{}:
	default:
	}
}

// Run evaluates until ctx ends; cancellation is not an error.
func (r *Runner) Run(ctx context.Context) error {
	for {
		if r.cfg.Before != nil {
			r.cfg.Before()
		}
		if err := r.Evaluate(time.Now()); err != nil {
			r.cfg.Log.Error("evaluate findings", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.trigger:
		case <-time.After(r.cfg.Interval):
		}
	}
}

// Evaluate runs the rules once over the store at now and stores the
// reconciled findings.
func (r *Runner) Evaluate(now time.Time) error {
	devs, err := r.cfg.Store.Devices()
	if err != nil {
		return err
	}
	snap := inventory.Snapshot{Time: now, Devices: devs}
	if r.cfg.Events != nil {
		if snap.Events, err = r.cfg.Events(now.Add(-7 * 24 * time.Hour)); err != nil {
			return err
		}
	}
	cur := Evaluate(Input{
		Snapshot:  snap,
		Previous:  r.history.Previous(devs, now),
		BulkBytes: r.cfg.BulkBytes,
		Config:    r.cfg.Rules,
	})
	if err := r.cfg.Store.ReplaceFindings(func(stored []inventory.Finding) []inventory.Finding {
		return Reconcile(stored, cur, now)
	}); err != nil {
		return err
	}
	r.cfg.Log.Debug("findings evaluated", "devices", len(devs), "active", len(cur))
	return nil
}
