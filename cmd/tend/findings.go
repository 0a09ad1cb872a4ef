package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"time"

	"tend/findings"
	"tend/inventory"
	"tend/storage"
	"tend/webui"
)

// setupCodeFile is the first-run code's file in the data directory. The
// appliance image prints it on the console: keep the name.
const setupCodeFile = "setup-code"

// ensureSetupCode makes sure a box without users has a live one-time setup
// code whose clear text is in DATA/setup-code (0600), never in the log, and
// that a box with users has no such file. Storage keeps only the hash.
func ensureSetupCode(st *storage.Store, dataDir string, log *slog.Logger) error {
	path := filepath.Join(dataDir, setupCodeFile)
	has, err := st.HasUsers()
	if err != nil {
		return err
	}
	if has {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove stale setup code %s: %w", path, err)
		}
		return nil
	}
	// A live code matching the file stays: restarts must not invalidate
	// what is on the console.
	if b, err := os.ReadFile(path); err == nil {
		if live, err := st.SetupCode(); err == nil && live.Hash == webui.SetupCodeHash(strings.TrimSpace(string(b))) {
			return nil
		}
	}
	code, hash := webui.NewSetupCode()
	now := time.Now().UTC()
	if err := st.PutSetupCode(storage.SetupCode{Hash: hash, Created: now, Expires: now.Add(webui.SetupCodeLifetime)}); err != nil {
		return err
	}
	if err := writePrivate(path, code+"\n"); err != nil {
		return err
	}
	// The code itself is never logged (logs leave the box): the console
	// and the 0600 file are enough.
	log.Warn("no users yet: open the web ui and create the first administrator with the one-time setup code shown on the console and in the setup code file",
		"file", path, "expires", now.Add(webui.SetupCodeLifetime).Format(time.RFC3339))
	return nil
}

// writePrivate writes a 0600 file atomically (temporary file, rename).
func writePrivate(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

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

	mu      sync.Mutex
	samples map[string]*samples // by MAC: the two latest distinct health readings, for rates
}

// samples are a device's two most recent distinct health readings: rates
// (errors rising, link load, reboots) come from these two, whatever the
// evaluation interval, so a 5-minute poll read every minute is still a
// 5-minute rate, and the finding holds steady between polls.
type samples struct {
	before, last *inventory.Device
}

// sameSample reports whether b is the reading a already holds.
func sameSample(a, b *inventory.Device) bool {
	ua, ub := time.Duration(0), time.Duration(0)
	if a.SNMP != nil {
		ua = a.SNMP.Uptime
	}
	if b.SNMP != nil {
		ub = b.SNMP.Uptime
	}
	return ua == ub && reflect.DeepEqual(a.Health, b.Health)
}

// previous updates the samples with devs and returns the snapshot of each
// device's reading before its latest, for findings.Input.Previous.
func (r *findingsRunner) previous(devs []inventory.Device, now time.Time) *inventory.Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.samples == nil {
		r.samples = map[string]*samples{}
	}
	prev := &inventory.Snapshot{Time: now}
	seen := make(map[string]bool, len(devs))
	for i := range devs {
		d := devs[i]
		key := d.MAC.String()
		seen[key] = true
		s := r.samples[key]
		switch {
		case s == nil:
			r.samples[key] = &samples{last: &d}
			continue
		case !sameSample(s.last, &d):
			s.before, s.last = s.last, &d
		}
		if s.before != nil {
			prev.Devices = append(prev.Devices, *s.before)
			if s.before.LastSeen.Before(prev.Time) {
				prev.Time = s.before.LastSeen
			}
		}
	}
	for key := range r.samples {
		if !seen[key] {
			delete(r.samples, key)
		}
	}
	if len(prev.Devices) == 0 {
		return nil
	}
	return prev
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
		if err := ensureSetupCode(r.store, r.dataDir, r.log); err != nil {
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
		Previous:  r.previous(devs, now),
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
