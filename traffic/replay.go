package traffic

import (
	"context"
	"errors"
	"time"

	"tend/capture"
	"tend/inventory"
)

// ReplayResult is what `tend replay --json` prints; the caller fills
// Devices from the store the observations were folded into.
type ReplayResult struct {
	Files    []ReplayFile       `json:"files"`
	Events   []inventory.Event  `json:"events"`
	Devices  []inventory.Device `json:"devices"`
	Hosts    []HostStats        `json:"hosts"`
	Counters Counters           `json:"counters"`
}

// ReplayFile is one replayed capture file.
type ReplayFile struct {
	Path    string    `json:"path"`
	Packets uint64    `json:"packets"`
	First   time.Time `json:"first,omitzero"`
	Last    time.Time `json:"last,omitzero"`
}

// replayBatch is how many observations Replay hands to apply at once.
const replayBatch = 512

// Replay runs the passive pipeline over capture files in order, with the
// packets' timestamps as the clock: each packet goes to the engine and to
// observe (nil: none), whose observations go to apply in batches.
func Replay(ctx context.Context, files []string, cfg Config, observe func(*capture.Packet) []inventory.Observation,
	apply func(...inventory.Observation) error) (*ReplayResult, error) {
	res := &ReplayResult{Events: []inventory.Event{}, Devices: []inventory.Device{}}
	eng := New(cfg, func(ev inventory.Event) { res.Events = append(res.Events, ev) })
	var pending []inventory.Observation
	var applyErr error
	flush := func() {
		if len(pending) > 0 && applyErr == nil {
			applyErr = apply(pending...)
		}
		pending = pending[:0]
	}
	for _, path := range files {
		src, err := capture.OpenFile(path)
		if err != nil {
			return nil, err
		}
		rf := ReplayFile{Path: path}
		err = capture.Run(ctx, src, func(p *capture.Packet) {
			if rf.First.IsZero() {
				rf.First = p.Time
			}
			rf.Last = p.Time
			eng.Packet(p)
			if observe == nil {
				return
			}
			if pending = append(pending, observe(p)...); len(pending) >= replayBatch {
				flush()
			}
		})
		rf.Packets = src.Stats().Received
		src.Close()
		if err != nil {
			return nil, err
		}
		res.Files = append(res.Files, rf)
	}
	flush()
	if err := errors.Join(ctx.Err(), applyErr); err != nil {
		return nil, err
	}
	res.Hosts = eng.Hosts()
	res.Counters = eng.Counters()
	return res, nil
}
