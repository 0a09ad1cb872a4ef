package identity

import "time"

// fuserIndex is what keeps a Fuser's work per observation bounded by what
// the observation changes rather than by everything the Fuser remembers.
// A flood of forged source MACs that reuse a few names (yersinia's CDP
// flood: a random MAC per frame, a name from a short list) links every
// new randomised MAC into the earlier device of its name; link then
// rewrote the whole alias, name and client identifier maps and apart
// scanned every MAC's last sighting, each frame: 40,634 frames cost 24 s
// of CPU (~600 us a frame, growing with the flood).
//
//   - aliasOf, clientIDsOf and namesOf are the reverse of alias, clientID
//     and names: for a MAC, the keys whose value was set to it (entries
//     rewritten since are skipped when read, so a key may be listed twice
//     or under an old value; every key whose value is that MAC is there).
//   - recent holds, per canonical MAC, its device's two latest-heard MACs,
//     which answer apart and quietFor (the latest sighting of the device's
//     MACs other than one) without a scan. recentStale marks it to be
//     rebuilt from lastSeen: after prune forgets sightings and after Learn
//     sets aliases.
type fuserIndex struct {
	aliasOf     map[string][]string
	clientIDsOf map[string][]string
	namesOf     map[string][]string
	recent      map[string]latest
	recentStale bool
	work        int // keys rewritten and sightings scanned; tests bound it
}

func newFuserIndex() fuserIndex {
	return fuserIndex{aliasOf: map[string][]string{}, clientIDsOf: map[string][]string{},
		namesOf: map[string][]string{}, recent: map[string]latest{}}
}

// latest is a device's two latest-heard MACs, the latest first ("" for
// none).
type latest struct {
	_   [0]func() // not comparable: no equality function linked
	mac [2]string
	at  [2]time.Time
}

// bump records that mac was last heard at t (never moving it back).
func (l *latest) bump(mac string, t time.Time) {
	switch {
	case l.mac[0] == mac:
		if t.After(l.at[0]) {
			l.at[0] = t
		}
	case l.mac[1] == mac:
		if t.After(l.at[1]) {
			l.at[1] = t
		}
		if l.at[1].After(l.at[0]) {
			l.mac[0], l.mac[1], l.at[0], l.at[1] = l.mac[1], l.mac[0], l.at[1], l.at[0]
		}
	case l.mac[0] == "" || t.After(l.at[0]):
		l.mac[1], l.at[1] = l.mac[0], l.at[0]
		l.mac[0], l.at[0] = mac, t
	case l.mac[1] == "" || t.After(l.at[1]):
		l.mac[1], l.at[1] = mac, t
	}
}

// other is the latest sighting of a MAC other than mac, if any.
func (l latest) other(mac string) (time.Time, bool) {
	for i := range l.mac {
		if l.mac[i] != "" && l.mac[i] != mac {
			return l.at[i], true
		}
	}
	return time.Time{}, false
}

// full reports whether m, one of the Fuser's maps, holds maxKeys keys and
// k is not one of them: a new key is let go (counted in dropped) rather
// than grow the map past its cap (a long forged-MAC flood, each MAC with
// a name or a DHCP client identifier of its own).
func (f *Fuser) full(m map[string]string, k string) bool {
	if len(m) < f.maxKeys {
		return false
	}
	if _, ok := m[k]; ok {
		return false
	}
	f.dropped++
	return true
}

// setAlias makes c the canonical MAC of m, unless the alias map is full
// (false).
func (f *Fuser) setAlias(m, c string) bool {
	if f.full(f.alias, m) {
		return false
	}
	f.alias[m] = c
	f.aliasOf[c] = append(f.aliasOf[c], m)
	return true
}

func (f *Fuser) setClientID(id, c string) {
	if f.full(f.clientID, id) {
		return
	}
	f.clientID[id] = c
	f.clientIDsOf[c] = append(f.clientIDsOf[c], id)
}

func (f *Fuser) setName(k, c string) {
	if f.full(f.names, k) {
		return
	}
	f.names[k] = c
	f.namesOf[c] = append(f.namesOf[c], k)
}

// markRandom notes that device c has used a randomised MAC, unless the
// map is full.
func (f *Fuser) markRandom(c string) {
	if f.random[c] {
		return
	}
	if len(f.random) >= f.maxKeys {
		f.dropped++
		return
	}
	f.random[c] = true
}

// relink points every alias, client identifier and name whose value is
// from at to instead (link's rewrite, over from's keys only).
func (f *Fuser) relink(from, to string) {
	relinkKeys(f.alias, f.aliasOf, from, to, &f.work)
	relinkKeys(f.clientID, f.clientIDsOf, from, to, &f.work)
	relinkKeys(f.names, f.namesOf, from, to, &f.work)
}

func relinkKeys(m map[string]string, of map[string][]string, from, to string, work *int) {
	keys := of[from]
	delete(of, from)
	for _, k := range keys {
		*work++
		if m[k] == from {
			m[k] = to
			of[to] = append(of[to], k)
		}
	}
}

// moveRecent is recent's part of from's device joining to's (from was a
// canonical MAC and is now aliased to to).
func (f *Fuser) moveRecent(from, to string) {
	if f.recentStale || from == to {
		return
	}
	l, ok := f.recent[from]
	if !ok {
		return
	}
	delete(f.recent, from)
	t := f.recent[to]
	for i := range l.mac {
		if l.mac[i] != "" {
			t.bump(l.mac[i], l.at[i])
		}
	}
	f.recent[to] = t
}

// heard is seen's part of recent: mac was last heard at t.
func (f *Fuser) heard(mac string, t time.Time) {
	if f.recentStale {
		return
	}
	c := f.canonical(mac)
	l := f.recent[c]
	l.bump(mac, t)
	f.recent[c] = l
}

// latestOther is the latest sighting of device canon's MACs other than mac.
func (f *Fuser) latestOther(canon, mac string) (time.Time, bool) {
	if f.recentStale {
		clear(f.recent)
		for m, t := range f.lastSeen {
			f.work++
			c := f.canonical(m)
			l := f.recent[c]
			l.bump(m, t)
			f.recent[c] = l
		}
		f.recentStale = false
	}
	return f.recent[canon].other(mac)
}
