package main

import (
	"context"
	"log/slog"
	"time"

	"tend/findings"
	"tend/inventory"
	"tend/storage"
	"tend/webui"
)

// findingsRunner re-evaluates the findings rules over storage on an
// interval, or soon after the UI asks, and keeps the first-run setup code
// fresh while no user exists.
type findingsRunner struct {
	store    *storage.Store
	dataDir  string
	log      *slog.Logger
	interval time.Duration
	trigger  chan struct{}

	// events returns recent events for the snapshot; nil: none. bulkBytes
	// feeds the backup-target rule; nil: no traffic statistics.
	events    func(since time.Time) ([]inventory.Event, error)
	bulkBytes func(mac inventory.MAC, since, until time.Time) (uint64, bool)
	// cfg tunes the rules' thresholds; the zero value is the default.
	cfg findings.Config

	history findings.History // the latest distinct health readings, for rates
}

func newFindingsRunner(st *storage.Store, dataDir string, log *slog.Logger) *findingsRunner {
	return &findingsRunner{store: st, dataDir: dataDir, log: log.With("component", "findings"), interval: time.Minute, trigger: make(chan struct{}, 1)}
}

// Refresh asks for an evaluation soon; requests while one is queued merge.
func (r *findingsRunner) Refresh() {
	select {
	case r.trigger <- struct{}{}:
	default:
	}
}

// Run evaluates until ctx ends; cancellation is not an error.
func (r *findingsRunner) Run(ctx context.Context) error {
	for {
		if err := webui.EnsureSetupCode(r.store, r.dataDir, r.log); err != nil {
			r.log.Error("first-run setup code", "err", err)
		}
		if err := r.Evaluate(time.Now()); err != nil {
			r.log.Error("evaluate findings", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.trigger:
		case <-time.After(r.interval):
		}
	}
}

// Evaluate runs the rules once over storage at now and stores the
// reconciled findings.
func (r *findingsRunner) Evaluate(now time.Time) error {
	devs, err := r.store.Devices()
	if err != nil {
		return err
	}
	snap := inventory.Snapshot{Time: now, Devices: devs}
	if r.events != nil {
		if snap.Events, err = r.events(now.Add(-7 * 24 * time.Hour)); err != nil {
			return err
		}
	}
	cur := findings.Evaluate(findings.Input{
		Snapshot:  snap,
		Previous:  r.history.Previous(devs, now),
		BulkBytes: r.bulkBytes,
		Config:    r.cfg,
	})
	if err := r.store.ReplaceFindings(func(stored []inventory.Finding) []inventory.Finding {
		return findings.Reconcile(stored, cur, now)
	}); err != nil {
		return err
	}
	r.log.Debug("findings evaluated", "devices", len(devs), "active", len(cur))
	return nil
}

// boxSettings reports serve's configuration to the UI's settings page;
// credentials only as counts.
func boxSettings(f discoveryFlags, p *pipeline, interval time.Duration, fingerprint string) func() webui.BoxSettings {
	subnets := make([]string, len(p.prefixes))
	for i, pf := range p.prefixes {
		subnets[i] = pf.String()
	}
	communities := max(len(f.communities), 1) // none given: "public"
	return func() webui.BoxSettings {
		return webui.BoxSettings{Interface: f.iface, Subnets: subnets, ScanInterval: interval, SNMPCommunities: communities, CertSHA256: fingerprint}
	}
}
