package inventory

import "time"

// FindingState is where a finding stands in the engineer's workflow.
type FindingState string

// Finding states: resolved is set automatically when the condition clears,
// or by a person.
const (
	FindingOpen         FindingState = "open"
	FindingAcknowledged FindingState = "acknowledged"
	FindingSnoozed      FindingState = "snoozed"
	FindingResolved     FindingState = "resolved"
)

// Finding is one proactive action: what is wrong, why tend thinks so, and
// what to do. ID is stable across runs for the same rule and device, so
// state (acknowledged, snoozed) survives re-evaluation.
type Finding struct {
	ID        string       `json:"id"`
	Rule      string       `json:"rule"`
	Severity  Severity     `json:"severity"`
	Device    string       `json:"device"` // the device's MAC, empty for site-wide findings
	Title     string       `json:"title"`
	Evidence  []Evidence   `json:"evidence"`
	Action    string       `json:"action"`
	FirstSeen time.Time    `json:"first_seen"`
	LastSeen  time.Time    `json:"last_seen"`
	State     FindingState `json:"state"`
	// Who changed the state, when and why; Until is when a snooze ends.
	StateBy   string    `json:"state_by,omitempty"`
	StateAt   time.Time `json:"state_at,omitzero"`
	StateNote string    `json:"state_note,omitempty"`
	Until     time.Time `json:"until,omitzero"`
}

// Snapshot is a consistent view of a site at one moment: what the findings
// rules, the UI and the upstream summary are computed from.
type Snapshot struct {
	Time    time.Time `json:"time"`
	Devices []Device  `json:"devices"`
	Events  []Event   `json:"events"`
}
