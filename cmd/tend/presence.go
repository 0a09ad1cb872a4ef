package main

import (
	"context"
	"log/slog"
	"time"

	"tend/inventory"
	"tend/storage"
)

// presence marks stored devices offline once they have been silent for
// longer than grace, checking every tick: a device heard by a sweep or
// passively inside the window stays online.
type presence struct {
	store *storage.Store
	grace time.Duration
	tick  time.Duration
	now   func() time.Time
	log   *slog.Logger
	// judge, when set, runs after each check, so devices heard only
	// passively get verdicts within a tick rather than after the next sweep.
	judge func()
}

// Run checks until ctx ends; cancellation is not an error.
func (p *presence) Run(ctx context.Context) error {
	t := time.NewTicker(p.tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			p.check()
		}
	}
}

// passiveTTL is how long a device only ever heard passively (never answering
// a sweep or a poll) stays in the inventory after its last sighting: a day,
// so forged MACs from a flood are gone by the next morning.
const passiveTTL = 24 * time.Hour

func (p *presence) check() {
	now := p.now()
	if n, err := p.store.ExpirePassive(now.Add(-passiveTTL)); err != nil {
		p.log.Error("expire passive devices", "err", err)
	} else if n > 0 {
		p.log.Info("passive-only devices expired", "count", n, "silent_for_more_than", passiveTTL)
	}
	var gone []string
	n, err := p.store.UpdateDevices(func(d *inventory.Device) bool {
		if inventory.Offline(d, now, p.grace) {
			gone = append(gone, d.MAC.String())
			return true
		}
		return false
	})
	if err != nil {
		p.log.Error("presence check", "err", err)
		return
	}
	if n > 0 {
		p.log.Info("devices went offline", "count", n, "macs", gone, "silent_for_more_than", p.grace)
	}
	if p.judge != nil {
		p.judge()
	}
}
