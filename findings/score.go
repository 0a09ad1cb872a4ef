package findings

import (
	"time"

	"tend/inventory"
)

// Component is one part of the site health score.
type Component struct {
	Category Category `json:"category"`
	Score    int      `json:"score"`    // 0..100
	Weight   int      `json:"weight"`   // share of the total, in percent
	Findings int      `json:"findings"` // active findings counted against it
}

// Health is the site health score: 100 means nothing to do.
type Health struct {
	Score      int         `json:"score"`
	Components []Component `json:"components"`
}

// weights of the components: security and availability hurt a client
// first, lifecycle is budgeting, inventory is housekeeping.
var weights = []struct {
	c Category
	w int
}{
	{CategorySecurity, 30},
	{CategoryAvailability, 25},
	{CategoryHealth, 20},
	{CategoryLifecycle, 15},
	{CategoryInventory, 10},
}

// penalty is what one active finding costs its component: a critical one
// alone nearly empties it, a handful of low ones dent it.
func penalty(s inventory.Severity) int {
	switch s {
	case inventory.SeverityCritical:
		return 60
	case inventory.SeverityHigh:
		return 25
	case inventory.SeverityMedium:
		return 10
	case inventory.SeverityLow:
		return 4
	}
	return 1
}

// Score computes the site health score from the active findings (see
// Active) at now: each component starts at 100 and loses each finding's
// penalty down to 0; the total is the weighted mean of the components.
func Score(fs []inventory.Finding, now time.Time) Health {
	lost := map[Category]int{}
	count := map[Category]int{}
	for i := range fs {
		f := &fs[i]
		if !Active(f, now) {
			continue
		}
		c := CategoryOf(f.Rule)
		if c == "" {
			continue
		}
		lost[c] += penalty(f.Severity)
		count[c]++
	}
	h := Health{}
	total := 0
	for _, w := range weights {
		s := max(0, 100-lost[w.c])
		h.Components = append(h.Components, Component{Category: w.c, Score: s, Weight: w.w, Findings: count[w.c]})
		total += s * w.w
	}
	h.Score = (total + 50) / 100
	return h
}
