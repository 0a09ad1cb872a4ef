package identity

import (
	"slices"
	"sync"
	"time"

	"tend/inventory"
)

// DefaultGrace is the presence window: a device heard (ARP reply, any
// passive sighting) within it is online. Three default sweep periods, so a
// device that misses one sweep, or a phone that naps through one, is not
// reported gone.
const DefaultGrace = 15 * time.Minute

// TrackerConfig tunes a Tracker; the zero value is the default.
type TrackerConfig struct {
	// Grace is the presence window; 0 means DefaultGrace.
	Grace time.Duration
}

// Tracker is an in-memory inventory: it fuses observations into devices
// (Fuser), merges them, keeps presence and address history and classifies
// each device. `tend replay` and `tend scan` keep their devices in one; the
// appliance does the same against storage, calling the same pieces. It is
// safe for concurrent use.
type Tracker struct {
	grace time.Duration
	fuser *Fuser

	mu      sync.Mutex
	devices map[string]*inventory.Device
}

// NewTracker returns an empty Tracker.
func NewTracker(cfg TrackerConfig) *Tracker {
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultGrace
	}
	return &Tracker{grace: cfg.Grace, fuser: NewFuser(), devices: map[string]*inventory.Device{}}
}

// Transition is a presence change.
type Transition struct {
	Device inventory.Device
	Online bool
	At     time.Time
}

// Observe folds o into its device and reports the device afterwards and
// whether anything a person would care about changed.
func (t *Tracker) Observe(o inventory.Observation) (inventory.Device, bool) {
	if o.MAC.IsZero() {
		return inventory.Device{}, false
	}
	o, fu := t.fuser.Resolve(o)
	t.mu.Lock()
	defer t.mu.Unlock()
	key := o.MAC.String()
	d := t.devices[key]
	changed := false
	if d == nil {
		d = &inventory.Device{}
		t.devices[key] = d
		changed = true
	}
	for _, m := range fu.Absorb {
		if old := t.devices[m.String()]; old != nil && m.String() != key {
			inventory.Absorb(d, *old)
			delete(t.devices, m.String())
			changed = true
		}
	}
	if inventory.Merge(d, o) {
		changed = true
	}
	if inventory.Track(d, o) {
		changed = true
	}
	if Classify(d) {
		changed = true
	}
	return cloneDevice(d), changed
}

// Expire marks offline every device silent for longer than the grace window
// at now and returns those transitions.
func (t *Tracker) Expire(now time.Time) []Transition {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Transition
	for _, d := range t.devices {
		if inventory.Offline(d, now, t.grace) {
			out = append(out, Transition{Device: cloneDevice(d), Online: false, At: now})
		}
	}
	return out
}

// Devices returns a copy of every device, ordered by address then MAC.
func (t *Tracker) Devices() []inventory.Device {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]inventory.Device, 0, len(t.devices))
	for _, d := range t.devices {
		out = append(out, cloneDevice(d))
	}
	slices.SortFunc(out, func(a, b inventory.Device) int {
		if c := a.IP.Compare(b.IP); c != 0 {
			return c
		}
		return slices.Compare(a.MAC, b.MAC)
	})
	return out
}

// Device returns the device a MAC belongs to (following fused MACs).
func (t *Tracker) Device(mac inventory.MAC) (inventory.Device, bool) {
	t.fuser.mu.Lock()
	c := t.fuser.canonical(mac.String())
	t.fuser.mu.Unlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	d, ok := t.devices[c]
	if !ok {
		return inventory.Device{}, false
	}
	return cloneDevice(d), true
}

// cloneDevice copies the slices a caller might modify; Merge never shares
// memory with observations, so the rest is safe to share.
func cloneDevice(d *inventory.Device) inventory.Device {
	c := *d
	c.IPs = slices.Clone(d.IPs)
	c.Sources = slices.Clone(d.Sources)
	c.Names = slices.Clone(d.Names)
	c.Services = slices.Clone(d.Services)
	c.OtherMACs = slices.Clone(d.OtherMACs)
	c.IPHistory = slices.Clone(d.IPHistory)
	c.ClientIDs = slices.Clone(d.ClientIDs)
	c.MergeSuggestions = slices.Clone(d.MergeSuggestions)
	c.TypeEvidence = slices.Clone(d.TypeEvidence)
	c.Evidence = slices.Clone(d.Evidence)
	return c
}
