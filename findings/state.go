package findings

import (
	"errors"
	"fmt"
	"time"

	"tend/inventory"
)

// Retention is how long a resolved finding is kept (for the quarterly
// client report: "what we fixed") before Reconcile drops it.
const Retention = 180 * 24 * time.Hour

// SystemActor is who resolves a finding automatically.
const SystemActor = "tend"

// Reconcile merges a fresh evaluation (current) with the stored findings
// (stored) at now and returns what to store: every finding of either list,
// once, sorted.
//
//   - A finding still raised keeps its first sighting and its person-given
//     state; a snooze that has ended, or a resolution whose condition came
//     back, reopens it.
//   - A stored finding no longer raised is resolved automatically (by
//     SystemActor), unless it already was resolved; resolved findings
//     older than Retention are dropped.
func Reconcile(stored, current []inventory.Finding, now time.Time) []inventory.Finding {
	old := make(map[string]inventory.Finding, len(stored))
	for _, f := range stored {
		old[f.ID] = f
	}
	out := make([]inventory.Finding, 0, len(stored)+len(current))
	seen := make(map[string]bool, len(current))
	for _, f := range current {
		seen[f.ID] = true
		p, ok := old[f.ID]
		if !ok {
			out = append(out, f)
			continue
		}
		f.FirstSeen = p.FirstSeen
		f.State, f.StateBy, f.StateAt, f.StateNote, f.Until = p.State, p.StateBy, p.StateAt, p.StateNote, p.Until
		switch {
		case f.State == inventory.FindingSnoozed && !now.Before(f.Until):
			reopenF(&f, now, "snooze ended")
		case f.State == inventory.FindingResolved:
			reopenF(&f, now, "condition seen again")
		}
		out = append(out, f)
	}
	for _, p := range stored {
		if seen[p.ID] {
			continue
		}
		if p.State == inventory.FindingResolved && now.Sub(p.StateAt) > Retention {
			continue // history long enough for a quarterly review
		}
		if p.State != inventory.FindingResolved {
			p.State, p.StateBy, p.StateAt, p.StateNote, p.Until = inventory.FindingResolved, SystemActor, now, "condition cleared", time.Time{}
		}
		out = append(out, p)
	}
	Sort(out)
	return out
}

// reopenF puts f back to open, saying why.
func reopenF(f *inventory.Finding, now time.Time, why string) {
	f.State, f.StateBy, f.StateAt, f.StateNote, f.Until = inventory.FindingOpen, SystemActor, now, why, time.Time{}
}

// Change is a person's decision on a finding.
type Change struct {
	State inventory.FindingState // acknowledged, snoozed, resolved or open
	By    string                 // the user name
	Note  string
	Until time.Time // for snoozed: when the finding comes back
}

// ErrBadChange means the change cannot apply (unknown state, a snooze
// without a future date, no user).
var ErrBadChange = errors.New("findings: bad state change")

// maxNote bounds a note, which is shown on every page listing the finding.
const maxNote = 1000

// Apply sets f's state as c says, at now.
func Apply(f *inventory.Finding, c Change, now time.Time) error {
	if c.By == "" {
		return fmt.Errorf("%w: no user", ErrBadChange)
	}
	if len(c.Note) > maxNote {
		return fmt.Errorf("%w: note longer than %d bytes", ErrBadChange, maxNote)
	}
	switch c.State {
	case inventory.FindingAcknowledged, inventory.FindingResolved, inventory.FindingOpen:
		c.Until = time.Time{}
	case inventory.FindingSnoozed:
		if !c.Until.After(now) {
			return fmt.Errorf("%w: snooze needs a date in the future", ErrBadChange)
		}
	default:
		return fmt.Errorf("%w: unknown state %q", ErrBadChange, c.State)
	}
	f.State, f.StateBy, f.StateAt, f.StateNote, f.Until = c.State, c.By, now, c.Note, c.Until
	return nil
}

// Active reports whether f still needs doing: open, acknowledged (someone
// is on it, but it is not fixed) or snoozed past its date.
func Active(f *inventory.Finding, now time.Time) bool {
	switch f.State {
	case inventory.FindingResolved:
		return false
	case inventory.FindingSnoozed:
		return !now.Before(f.Until)
	}
	return true
}
