package upstream

import (
	"time"

	"tend/findings"
	"tend/inventory"
)

// HubActorSuffix marks a finding state that came from the hub: StateBy is
// the hub user's name followed by it ("alice at the hub"), so the box's
// pages say who decided and where.
const HubActorSuffix = " at the hub"

// applyDecisions takes the hub's decisions into the box's findings as a
// person's decision on the box would be taken (findings.Apply's fields),
// and returns the findings to store and how many changed.
//
// Rule: the newer decision wins. A decision is matched to every finding
// of its problem (findings.ProblemKey) or to the finding with its id; its
// time is moved to the box's clock (skew: hub clock minus box clock, as
// the client measured it on this answer) and never later than now. It
// applies when it is newer than the finding's own state change, so a
// decision taken on the box after the hub's (or tend reopening a finding
// whose condition came back) stands. Resolved findings are left alone (a
// hub decision never revives a finding the box saw cleared), and so is a
// snooze that has ended on the box's clock.
func applyDecisions(stored []inventory.Finding, devs []inventory.Device, ds []HubDecision, skew time.Duration, now time.Time) ([]inventory.Finding, int) {
	if len(ds) == 0 {
		return stored, 0
	}
	byKey := make(map[string]*HubDecision, len(ds))
	for i := range ds {
		byKey[ds[i].Key] = &ds[i]
	}
	byMAC := make(map[string]*inventory.Device, len(devs))
	for i := range devs {
		byMAC[devs[i].MAC.String()] = &devs[i]
	}
	changed := 0
	for i := range stored {
		f := &stored[i]
		if f.State == inventory.FindingResolved {
			continue
		}
		d := byKey[findings.ProblemKey(f, byMAC[f.Device])]
		if d == nil {
			d = byKey[f.ID]
		}
		if d == nil {
			continue
		}
		by, state := d.By+HubActorSuffix, inventory.FindingState(d.State)
		if f.State == state && f.StateBy == by && f.StateNote == d.Note && f.Until.Equal(d.Until) {
			continue // taken already (the same decision in every answer)
		}
		at := d.At.Add(-skew)
		if at.After(now) {
			at = now
		}
		if !at.After(f.StateAt) || (state == inventory.FindingSnoozed && !now.Before(d.Until)) {
			continue
		}
		f.State, f.StateBy, f.StateAt, f.StateNote, f.Until = state, by, at, d.Note, d.Until
		changed++
	}
	return stored, changed
}
