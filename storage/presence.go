package storage

import (
	"context"
	"log/slog"
	"time"

	"tend/inventory"
)

// PassiveTTL is how long a device only ever heard passively (never
// answering a sweep or a poll) stays in the inventory after its last
// sighting: a day, so forged MACs from a flood are gone by the next morning.
const PassiveTTL = 24 * time.Hour

// Presence marks stored devices offline once they have been silent for
// longer than Grace and expires passive-only devices after PassiveTTL,
// checking every Tick: a device heard by a sweep or passively inside the
// window stays online.
type Presence struct {
	Store *Store
	Grace time.Duration
	Tick  time.Duration
	Now   func() time.Time
	Log   *slog.Logger
	// After, when set, runs after each check (serve judges there, so
	// devices heard only passively get verdicts within a tick rather than
	// after the next sweep).
	After func()
}

// Run checks until ctx ends; cancellation is not an error.
func (p *Presence) Run(ctx context.Context) error {
	t := time.NewTicker(p.Tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			p.Check()
		}
	}
}

// Check expires passive-only devices and marks silent ones offline once.
func (p *Presence) Check() {
	now := p.Now()
	if n, err := p.Store.ExpirePassive(now.Add(-PassiveTTL)); err != nil {
		p.Log.Error("expire passive devices", "err", err)
	} else if n > 0 {
		p.Log.Info("passive-only devices expired", "count", n, "silent_for_more_than", PassiveTTL)
	}
	var gone []string
	n, err := p.Store.UpdateDevices(func(d *inventory.Device) bool {
		if inventory.Offline(d, now, p.Grace) {
			gone = append(gone, d.MAC.String())
			return true
		}
		return false
	})
	if err != nil {
		p.Log.Error("presence check", "err", err)
		return
	}
	if n > 0 {
		p.Log.Info("devices went offline", "count", n, "macs", gone, "silent_for_more_than", p.Grace)
	}
	if p.After != nil {
		p.After()
	}
}
