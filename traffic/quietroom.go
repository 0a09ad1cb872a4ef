package traffic

import "tend/inventory"

// A full incident table (Config.MaxTrackers quiet keys) refused every new
// event: one detector's storm of keys (review 43 P1: 8,192 nd_spoof, one
// per forged MAC) blinded every other detector until its keys expired,
// Cooldown later. So the type holding the most keys gives way: an event
// of another type takes one of its slots (a 128th of the table is freed
// at once, the first of its keys the table yields, so that a storm of
// other events costs one pass over the table per batch, not per event),
// and a new event of that type itself is dropped (EventsDropped). The
// freed incidents may be raised again (EventsEvicted counts them).
const quietEvictShare = 128

// makeQuietRoom frees slots of the full quiet table for a key of typ and
// reports whether it did: none when typ holds the most.
func (e *Engine) makeQuietRoom(typ inventory.EventType) bool {
	if typ == e.quietTop {
		return false // known to hold the most since the last pass or expiry
	}
	var top inventory.EventType
	n := map[inventory.EventType]int{}
	for k := range e.quiet {
		if n[k.typ]++; n[k.typ] > n[top] {
			top = k.typ
		}
	}
	e.quietTop = top
	if top == typ || n[top] <= n[typ]+1 {
		return false
	}
	batch := min(max(e.cfg.MaxTrackers/quietEvictShare, 1), (n[top]-n[typ])/2)
	for k := range e.quiet {
		if k.typ == top {
			delete(e.quiet, k)
			e.counters.EventsEvicted++
			if batch--; batch <= 0 {
				break
			}
		}
	}
	return true
}
