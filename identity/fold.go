package identity

import (
	"tend/inventory"
)

// Fold folds observation o, already resolved to its device's canonical MAC
// by a Fuser, into d: inventory.Merge, then presence and address history
// (inventory.Track), then the device type (Classify). It reports whether
// anything a person would care about changed. This is the one place an
// observation becomes part of a device; storage calls it for every
// observation inside one transaction.
func Fold(d *inventory.Device, o inventory.Observation) bool { return FoldWith(d, o, ClassifyHints{}) }

// FoldWith is Fold with what the wiring knows of the LAN (its default
// gateway) for the classification.
func FoldWith(d *inventory.Device, o inventory.Observation, h ClassifyHints) bool {
	return FoldWithFrom(d, &o, h)
}

// FoldWithFrom is FoldWith reading o in place (inventory.MergeFrom), which
// it leaves as it is.
func FoldWithFrom(d *inventory.Device, o *inventory.Observation, h ClassifyHints) bool {
	changed := inventory.MergeFrom(d, o)
	if inventory.TrackFrom(d, o) {
		changed = true
	}
	if ClassifyWith(d, h) {
		changed = true
	}
	return changed
}

// FoldClassified is FoldWith for a device that FoldWith has classified with
// the same hints since anything of it last changed (storage's batch folds
// many sightings of one device in a row). Classification reads only fields
// whose change Merge and Track report, and it is idempotent, so when they
// report none the device type is not worked out again: the regular
// expressions cost ~50 µs a device, a sighting's merge well under one.
func FoldClassified(d *inventory.Device, o inventory.Observation, h ClassifyHints) bool {
	return FoldClassifiedFrom(d, &o, h)
}

// FoldClassifiedFrom is FoldClassified reading o in place
// (inventory.MergeFrom), which it leaves as it is.
func FoldClassifiedFrom(d *inventory.Device, o *inventory.Observation, h ClassifyHints) bool {
	changed := inventory.MergeFrom(d, o)
	if inventory.TrackFrom(d, o) {
		changed = true
	}
	if changed {
		ClassifyWith(d, h)
	}
	return changed
}

// WithVendor returns o with its Vendor filled from reg when the sensor gave
// none: the organisation the IEEE assigned o's MAC block. A nil reg leaves
// o as it is.
func WithVendor(reg *Registry, o inventory.Observation) inventory.Observation {
	FillVendor(reg, &o)
	return o
}

// FillVendor is WithVendor filling o in place; an LLDP or CDP identity
// contradicting the vendor is kept as evidence only (distrustL2Claim).
func FillVendor(reg *Registry, o *inventory.Observation) {
	if reg != nil && o.Vendor == "" && !o.MAC.IsZero() {
		o.Vendor, _ = reg.Lookup(o.MAC)
	}
	distrustL2Claim(o) // l2claim.go
}

// Canonical returns the MAC of the device mac belongs to (itself unless it
// was fused into another device).
func (f *Fuser) Canonical(mac inventory.MAC) inventory.MAC {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.canonical(mac.String())
	if c == mac.String() {
		return mac
	}
	m, err := inventory.ParseMAC(c)
	if err != nil {
		return mac
	}
	return m
}
