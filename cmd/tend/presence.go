package main

import (
	"context"
	"log/slog"
	"time"

	"tend/identity"
	"tend/inventory"
	"tend/storage"
)

// useIdentity makes the store fold every observation the way the scan's
// tracker does: identity fusion first (a rotated MAC, an LLDP chassis, a
// DHCP client identifier lead to the device it belongs to), then Merge,
// presence and address history (Track) and classification. The fuser
// learns the stored devices first, so fusion survives restarts.
func useIdentity(st *storage.Store) error {
	devs, err := st.Devices()
	if err != nil {
		return err
	}
	fu := identity.NewFuser()
	for _, d := range devs {
		fu.Learn(d)
	}
	st.UseIdentity(storage.Identity{
		Resolve: func(o inventory.Observation) (inventory.Observation, []inventory.MAC) {
			o, f := fu.Resolve(o)
			return o, f.Absorb
		},
		Fold: foldObservation,
	})
	return nil
}

// foldObservation is Merge + Track + Classify, reporting any change.
func foldObservation(d *inventory.Device, o inventory.Observation) bool {
	changed := inventory.Merge(d, o)
	if inventory.Track(d, o) {
		changed = true
	}
	if identity.Classify(d) {
		changed = true
	}
	return changed
}

// presence marks stored devices offline once they have been silent for
// longer than grace, checking every tick: a device heard by a sweep or
// passively inside the window stays online.
type presence struct {
	store *storage.Store
	grace time.Duration
	tick  time.Duration
	now   func() time.Time
	log   *slog.Logger
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

func (p *presence) check() {
	now := p.now()
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
}
