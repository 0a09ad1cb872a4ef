package upstream

import (
	"fmt"
	"slices"
	"strings"
)

// Coalesce merges two consecutive gzipped summaries of one box into one, for
// an outbox past its bound. The result is the newer summary (the site's
// state is a snapshot, so the newer one is the truth) that also covers the
// older one's sequence numbers, carries the union of both device changes
// (the newer record wins for a device in both; a device the newer one
// removes is removed, one it brings back is changed) and both event lists (the
// newest MaxEvents kept, the rest counted in EventsOmitted). Nothing is lost
// without being counted.
func Coalesce(older, newer []byte) ([]byte, error) {
	a, err := DecodeBody(older)
	if err != nil {
		return nil, fmt.Errorf("upstream: coalesce: older: %w", err)
	}
	b, err := DecodeBody(newer)
	if err != nil {
		return nil, fmt.Errorf("upstream: coalesce: newer: %w", err)
	}
	if a.Box != b.Box || a.Seq >= b.FirstSeq {
		return nil, fmt.Errorf("upstream: coalesce: %s#%d does not precede %s#%d", a.Box, a.Seq, b.Box, b.FirstSeq)
	}
	m := mergeSummaries(a, b)
	return EncodeBody(m)
}

func mergeSummaries(a, b *Summary) *Summary {
	m := *b
	m.FirstSeq = a.FirstSeq
	m.Coalesced = a.Coalesced + b.Coalesced

	byMAC := make(map[string]Device, len(a.Changed)+len(b.Changed))
	for _, d := range a.Changed {
		byMAC[d.MAC] = d
	}
	for _, d := range b.Changed {
		byMAC[d.MAC] = d
	}
	back := make(map[string]bool, len(b.Changed))
	for _, d := range b.Changed {
		back[d.MAC] = true
	}
	removed := make(map[string]bool, len(a.Removed)+len(b.Removed))
	for _, mac := range a.Removed {
		if !back[mac] {
			removed[mac] = true
		}
	}
	for _, mac := range b.Removed {
		removed[mac] = true
		delete(byMAC, mac)
	}
	m.Removed = make([]string, 0, len(removed))
	for mac := range removed {
		m.Removed = append(m.Removed, mac)
	}
	slices.Sort(m.Removed)
	m.Changed = make([]Device, 0, len(byMAC))
	for _, d := range byMAC {
		m.Changed = append(m.Changed, d)
	}
	slices.SortFunc(m.Changed, func(x, y Device) int { return strings.Compare(x.MAC, y.MAC) })
	m.ChangedOmitted = a.ChangedOmitted + b.ChangedOmitted
	if n := len(m.Changed) - MaxChanged; n > 0 {
		m.Changed = m.Changed[:MaxChanged]
		m.ChangedOmitted += n
	}

	m.Events = append(slices.Clip(a.Events), b.Events...)
	m.EventsOmitted = a.EventsOmitted + b.EventsOmitted
	if n := len(m.Events) - MaxEvents; n > 0 {
		m.Events = m.Events[n:]
		m.EventsOmitted += n
	}
	return &m
}
