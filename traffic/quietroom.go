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
// reports whether it did: none when typ holds the most. The keys per type
// are counted in one pass a tick (quietN, kept up by reserve and here
// until the tick forgets it; closing review 43, 2: two types holding
// about as many keys cost a pass over the table per event).
func (e *Engine) makeQuietRoom(typ inventory.EventType) bool {
	n := e.quietN
	if n == nil {
		n = map[inventory.EventType]int{}
		for k := range e.quiet {
			n[k.typ]++
		}
		e.quietN, e.quietPasses = n, e.quietPasses+1
	}
	var top inventory.EventType
	for t, c := range n {
		if c > n[top] {
			top = t
		}
	}
	if top == typ || n[top] <= n[typ]+1 {
		return false
	}
	batch, freed := min(max(e.cfg.MaxTrackers/quietEvictShare, 1), (n[top]-n[typ])/2), 0
	for k := range e.quiet {
		if k.typ == top {
			delete(e.quiet, k)
			e.counters.EventsEvicted++
			if freed++; freed == batch {
				break
			}
		}
	}
	if n[top] -= freed; freed < batch {
		n[top] = 0 // fewer than counted: keys added or dropped since the pass
	}
	return freed > 0
}
