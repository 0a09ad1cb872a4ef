package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"net/netip"
	"strings"
	"time"

	"github.com/tidwall/buntdb"
	"github.com/tidwall/gjson"

	"tend/identity"
	"tend/inventory"
)

// deviceKey is the one place a MAC becomes a storage key.
func deviceKey(mac inventory.MAC) string {
	// prefixDevice + mac.String() in one allocation rather than three: Apply
	// makes a key for every observation (TestDeviceKey).
	const hexDigit = "0123456789abcdef"
	var b strings.Builder
	b.Grow(len(prefixDevice) + 3*len(mac))
	b.WriteString(prefixDevice)
	for i, x := range mac {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteByte(hexDigit[x>>4])
		b.WriteByte(hexDigit[x&0x0f])
	}
	return b.String()
}

// lessDeviceIP orders device records by their current address, numerically.
// It runs inside buntdb's B-tree on every insert, so it reads the one field it
// needs with gjson instead of decoding the whole device.
func lessDeviceIP(a, b string) bool {
	return deviceIP(a).Less(deviceIP(b))
}

func deviceIP(v string) netip.Addr {
	s, ok := recordIP(v)
	if !ok {
		s = gjson.Get(v, "ip").String()
	}
	if s == "" {
		// No address: the zero Addr, without ParseAddr's error (an
		// allocation on every comparison of a record without one).
		return netip.Addr{}
	}
	ip, _ := netip.ParseAddr(s) // bad: the zero Addr sorts first
	return ip
}

// recordIP returns the "ip" of a device record as json.Marshal writes an
// inventory.Device: `{"mac":"…","ip":"…"`, neither value escaped. The
// index compares two records' addresses at every insert, and reading them
// thus instead of with gjson was 2 % of a replay. ok is false for any other
// shape, which gjson then reads.
func recordIP(v string) (ip string, ok bool) {
	const mac, sep = `{"mac":"`, `","ip":"`
	rest, found := strings.CutPrefix(v, mac)
	if !found {
		return "", false
	}
	i := strings.IndexAny(rest, `"\`)
	if i < 0 || rest[i] != '"' {
		return "", false
	}
	if rest, found = strings.CutPrefix(rest[i:], sep); !found {
		return "", false
	}
	if i = strings.IndexAny(rest, `"\`); i < 0 || rest[i] != '"' {
		return "", false
	}
	return rest[:i], true
}

// Apply folds a batch of observations into the stored devices in one
// transaction, so a sweep's results land together or not at all. It is the
// one place an observation becomes part of a device: for each observation,
// the MAC registry fills its vendor, the store's identity.Fuser resolves it
// to its device's canonical MAC, device records that turned out to be the
// same thing are absorbed (inventory.Absorb) and deleted, and identity.Fold
// merges, tracks presence and address history and classifies.
// Observations without a MAC are ignored: the MAC is the device's identity.
//
// A device is written only when inventory.Merge reports a change, or when its
// last_seen has advanced more than Config.LastSeenResolution beyond the stored
// value; repeat sightings in between cost no flash writes. changed counts the
// devices whose record changed in a way a person would care about (new
// devices included), not the last_seen refreshes.
func (s *Store) Apply(obs ...inventory.Observation) (changed int, err error) {
	s.observations.Add(uint64(len(obs)))
	var writes, coalesced, created, deleted, refused int
	reg, hp := s.registry(), s.hints.Load()
	hints := identity.ClassifyHints{}
	if hp != nil {
		hints = *hp
	}
	hints.Rules = s.rules
	err = s.db.Update(func(tx *buntdb.Tx) error {
		changed, writes, coalesced, created, deleted, refused = 0, 0, 0, 0, 0, 0
		if hp != s.classifiedFor {
			if err := s.writeDeferred(tx); err != nil { // classified under the old hints
				return err
			}
			clear(s.classified) // written under other hints
			s.classifiedFor = hp
		}
		a := s.scratch.begin(tx, s)
		defer s.scratch.end(&a)
		for i := range obs {
			if obs[i].MAC.IsZero() {
				continue
			}
			o := obs[i] // the one copy: applyOne rewrites it (vendor, canonical MAC), and the caller's stays
			if err := s.applyOne(&a, &o, reg, hints); err != nil {
				return err
			}
		}
		refused = a.refused
		var err error
		changed, writes, coalesced, created, deleted, err = s.writeFolded(tx, a.batch, a.order)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("storage: apply %d observations: %w", len(obs), err)
	}
	s.writes.Add(uint64(writes))
	s.coalesced.Add(uint64(coalesced))
	s.refused.Add(uint64(refused))
	s.devices.Add(int64(created - deleted))
	return changed, nil
}

// applyTx is one Apply transaction's working set: the device records read
// or created so far, in the order they were first touched.
type applyTx struct {
	tx         *buntdb.Tx
	s          *Store
	batch      map[string]*pending
	order      []string // deterministic write order
	newInBatch int      // new records so far, for the cap
	refused    int      // new devices the admission limits turned away
}

// applyScratch is the memory Apply's transactions work in, kept from one
// to the next: the batch map, the write order and the pending records,
// handed out from chunks of pendingChunk. A replay applies a batch of
// observations every 1,024 frames, and each fresh pending (two devices,
// ~1.6 kB) and map was new memory, zeroed and faulted in page by page
// (applyTx.load's allocations were 2.5 % of a replay of the office mix,
// two thirds of it page faults). Used under buntdb's write lock only.
type applyScratch struct {
	batch  map[string]*pending
	order  []string
	chunks [][]pending
	used   int // pendings handed out in this transaction
	keys   [1 << deviceKeyBits]macKey
}

// deviceKeyBits sizes applyScratch.keys: the keys of the last 128 MACs
// applied, 3 kB. Apply makes a key for every observation, most of them
// a few devices' again, and deviceKey allocated a new string each time.
const deviceKeyBits = 7

// macKey is one of applyScratch.keys: a 6-byte MAC and its deviceKey.
type macKey struct {
	mac [6]byte
	key string
}

// key is deviceKey(mac), made again only when mac is not the MAC last
// keyed in its slot of sc.keys.
func (sc *applyScratch) key(mac inventory.MAC) string {
	if len(mac) != 6 {
		return deviceKey(mac)
	}
	m := [6]byte(mac)
	h := (uint64(m[0])<<40 | uint64(m[1])<<32 | uint64(m[2])<<24 | uint64(m[3])<<16 | uint64(m[4])<<8 | uint64(m[5])) * 0x9e3779b97f4a7c15
	e := &sc.keys[h>>(64-deviceKeyBits)]
	if e.key == "" || e.mac != m {
		e.mac, e.key = m, deviceKey(mac)
	}
	return e.key
}

// pendingChunk is how many pendings applyScratch allocates at once.
const pendingChunk = 32

// maxScratchPending bounds the pendings applyScratch keeps between
// transactions; a larger batch's extra chunks are let go at its end.
const maxScratchPending = 1024

// begin returns a transaction's working set on the scratch memory.
func (sc *applyScratch) begin(tx *buntdb.Tx, s *Store) applyTx {
	if sc.batch == nil {
		sc.batch = make(map[string]*pending)
	}
	return applyTx{tx: tx, batch: sc.batch, order: sc.order[:0], s: s}
}

// next hands out a zero pending that stays put until end.
func (sc *applyScratch) next() *pending {
	i, j := sc.used/pendingChunk, sc.used%pendingChunk
	if i == len(sc.chunks) {
		sc.chunks = append(sc.chunks, make([]pending, pendingChunk))
	}
	sc.used++
	return &sc.chunks[i][j]
}

// end zeroes what the transaction a used, letting go of the devices' and
// keys' memory, and keeps it for the next one.
func (sc *applyScratch) end(a *applyTx) {
	for i := 0; i*pendingChunk < sc.used; i++ {
		clear(sc.chunks[i][:min(pendingChunk, sc.used-i*pendingChunk)])
	}
	sc.used = 0
	if keep := maxScratchPending / pendingChunk; len(sc.chunks) > keep {
		clear(sc.chunks[keep:])
		sc.chunks = sc.chunks[:keep]
	}
	clear(a.order)
	if len(a.batch) > maxScratchPending { // a map keeps its size when cleared
		sc.batch, sc.order = nil, nil
		return
	}
	clear(a.batch)
	sc.order = a.order[:0]
}

// load returns the pending record under key, reading it from the
// transaction the first time it is asked for.
func (a *applyTx) load(key string) (*pending, error) {
	if p := a.batch[key]; p != nil {
		return p, nil
	}
	p := a.s.scratch.next()
	if d, ok := a.s.deferred[key]; ok {
		// The record as Apply left it, classified with these hints
		// (Apply writes the deferred ones before the hints change); the
		// fold gets a copy, so that the record stays as it is unless the
		// batch writes it.
		p.dev = cloneDevice(&d)
		p.stored, p.classified = p.dev, true
		a.batch[key] = p
		a.order = append(a.order, key)
		return p, nil
	}
	val, err := a.tx.Get(key)
	switch {
	case errors.Is(err, buntdb.ErrNotFound):
	case err != nil:
		return nil, fmt.Errorf("get %s: %w", key, err)
	default:
		if f, ok := a.s.folded[key]; ok {
			// Taken, not shared: the fold changes it. A record written
			// since by another path (or not at all) is decoded as usual.
			delete(a.s.folded, key)
			if f.raw == val { // the very string Apply wrote: equal pointers, no byte compare
				p.dev = f.dev
			}
		}
		if p.dev.MAC.IsZero() {
			if err := json.Unmarshal([]byte(val), &p.dev); err != nil {
				return nil, fmt.Errorf("decode %s: %w", key, err)
			}
		}
		p.stored = p.dev
		if h, ok := a.s.classified[key]; ok && h == a.s.recordHash(val) {
			p.classified = true // as an earlier Apply wrote it, classified with these hints
		}
	}
	a.batch[key] = p
	a.order = append(a.order, key)
	return p, nil
}

// applyOne folds one observation with a MAC into a's records: it fills the
// vendor, resolves the canonical MAC, admits a new device (or counts it
// refused), absorbs the records the fuser found to be the same device and
// folds the observation in.
// o is rewritten in place, passed on by pointer rather than copied (half a
// kilobyte) into every call.
func (s *Store) applyOne(a *applyTx, o *inventory.Observation, reg *identity.Registry, hints identity.ClassifyHints) error {
	identity.FillVendor(reg, o)
	fu := s.fuser.ResolveIn(o)
	key := s.scratch.key(o.MAC)
	p, err := a.load(key)
	if err != nil {
		return err
	}
	if p.dev.MAC.IsZero() { // a new device: within the limits?
		if !s.admit.Admit(*o, int(s.devices.Load())+a.newInBatch) {
			a.refused++
			return nil
		}
		a.newInBatch++
	}
	for _, m := range fu.Absorb {
		old := deviceKey(m)
		if old == key {
			continue
		}
		q, err := a.load(old)
		if err != nil {
			return err
		}
		if q.dev.MAC.IsZero() || q.absorbed {
			continue // no record to fold in
		}
		inventory.Absorb(&p.dev, q.dev)
		q.absorbed, p.modified, p.classified = true, true, false
	}
	// Called directly, not through a func value: that would make o escape
	// (Apply's copy of every observation to the heap).
	if p.classified && identity.FoldClassifiedFrom(&p.dev, o, hints) || !p.classified && identity.FoldWithFrom(&p.dev, o, hints) {
		p.modified = true
	}
	p.classified = true
	return nil
}

// maxClassified bounds Store.classified: past it the memory starts again.
// Above identity.DefaultMaxDevices (10,000), so that only devices deleted by
// other paths (expiry, absorption elsewhere) fill it; ~1 MB at most.
const maxClassified = 1 << 14

// recordHash hashes a stored device record for Store.classified.
func (s *Store) recordHash(v string) uint64 { return maphash.String(s.recordSeed, v) }

func (s *Store) recordHashBytes(b []byte) uint64 { return maphash.Bytes(s.recordSeed, b) }

// foldedDevice is a device Apply wrote and the record it wrote
// (Config.KeepFolded).
type foldedDevice struct {
	raw string
	dev inventory.Device
}

// keepFolded keeps dev, just written to key as val, for the next Apply
// (Config.KeepFolded), when taking it is the same as decoding val: when no
// string lost invalid UTF-8 to JSON's U+FFFD (the encoder writes it escaped
// only then) and none of the fields the fold compares with reflect.DeepEqual
// (where an empty slice and a decoded nil one differ) is set, nor SNMP
// (compared field by field). Others are decoded again.
func (s *Store) keepFolded(key, val string, dev *inventory.Device) {
	if s.folded == nil {
		return
	}
	if strings.Contains(val, `\ufffd`) || dev.SNMP != nil || dev.Health != nil || dev.Port != nil || dev.Neighbors != nil ||
		dev.Lifecycle != nil || dev.Vulnerabilities != nil || dev.Age != nil {
		delete(s.folded, key)
		return
	}
	if len(s.folded) >= maxClassified {
		clear(s.folded) // devices deleted by other paths stay behind: start again
	}
	s.folded[key] = foldedDevice{raw: val, dev: *dev}
}

// foldedRecord returns a copy of the device Apply kept decoded
// (Config.KeepFolded) when val is the very record it wrote under key, and
// the device holds no pointer a copy would share (deferrable): what
// decoding val gives, without decoding it (a replay's listing decoded
// every device it had just encoded). Callers hold a transaction.
func (s *Store) foldedRecord(key, val string) (inventory.Device, bool) {
	f, ok := s.folded[key]
	if !ok || f.raw != val || !deferrable(&f.dev) {
		return inventory.Device{}, false
	}
	return cloneDevice(&f.dev), true
}

// pending is one device record during Apply.
type pending struct {
	dev      inventory.Device
	stored   inventory.Device // as read, to measure last_seen's advance
	modified bool             // the fold reported a change
	absorbed bool             // folded into another device: delete
	// classified: FoldWith classified dev and nothing changed it since but
	// folds (identity.FoldClassified).
	classified bool
}

// writeFolded writes Apply's folded records in order: absorbed ones are
// deleted, changed ones set, and sightings that only moved last_seen by less
// than Config.LastSeenResolution coalesced (not written).
func (s *Store) writeFolded(tx *buntdb.Tx, batch map[string]*pending, order []string) (changed, writes, coalesced, created, deleted int, err error) {
	for _, key := range order {
		p := batch[key]
		if p.absorbed {
			delete(s.classified, key)
			if !p.stored.MAC.IsZero() {
				_, wasDeferred := s.deferred[key]
				delete(s.deferred, key)
				if _, err := tx.Delete(key); err != nil && !(wasDeferred && errors.Is(err, buntdb.ErrNotFound)) {
					return 0, 0, 0, 0, 0, fmt.Errorf("delete absorbed %s: %w", key, err)
				}
				writes++
				deleted++
				changed++
			}
			continue
		}
		if p.dev.MAC.IsZero() {
			continue // only looked up as an absorb candidate
		}
		if !p.modified && p.dev.LastSeen.Sub(p.stored.LastSeen) <= s.cfg.LastSeenResolution {
			coalesced++
			continue
		}
		if s.deferred != nil && deferrable(&p.dev) {
			s.deferred[key] = p.dev // written by WriteDeferred
			delete(s.folded, key)
		} else {
			delete(s.deferred, key)
			if err := s.setDevice(tx, key, &p.dev); err != nil {
				return 0, 0, 0, 0, 0, err
			}
		}
		writes++
		if p.stored.MAC.IsZero() {
			created++
		}
		if p.modified {
			changed++
		}
	}
	return changed, writes, coalesced, created, deleted, nil
}

// DeviceOf returns the device mac belongs to, following MACs fused into
// another device (a rotated randomised MAC, an LLDP port MAC), or
// ErrNotFound.
func (s *Store) DeviceOf(mac inventory.MAC) (inventory.Device, error) {
	return s.Device(s.fuser.Canonical(mac))
}

// Device returns the device with this MAC, or ErrNotFound.
func (s *Store) Device(mac inventory.MAC) (inventory.Device, error) {
	var d inventory.Device
	if mac.IsZero() {
		return d, fmt.Errorf("storage: device with empty mac: %w", ErrNotFound)
	}
	key := deviceKey(mac)
	err := s.db.View(func(tx *buntdb.Tx) error {
		val, err := tx.Get(key)
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(val), &d)
	})
	if errors.Is(err, buntdb.ErrNotFound) {
		return inventory.Device{}, fmt.Errorf("storage: device %s: %w", mac, ErrNotFound)
	}
	if err != nil {
		return inventory.Device{}, fmt.Errorf("storage: read %s: %w", key, err)
	}
	return d, nil
}

// Devices returns every device ordered by IP address (numerically; devices
// without an address first), which is how engineers read a subnet.
func (s *Store) Devices() ([]inventory.Device, error) { return s.devicesBut(nil) }

// devicesBut is Devices without the records whose keys are in skip.
func (s *Store) devicesBut(skip map[string]inventory.Device) ([]inventory.Device, error) {
	var out []inventory.Device
	var decodeErr error
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.Ascend(indexDevicesByIP, func(key, val string) bool {
			if _, ok := skip[key]; ok {
				return true
			}
			if d, ok := s.foldedRecord(key, val); ok {
				out = append(out, d)
				return true
			}
			var d inventory.Device
			if err := json.Unmarshal([]byte(val), &d); err != nil {
				decodeErr = fmt.Errorf("decode %s: %w", key, err)
				return false
			}
			out = append(out, d)
			return true
		})
	})
	if err == nil {
		err = decodeErr
	}
	if err != nil {
		return nil, fmt.Errorf("storage: list devices: %w", err)
	}
	return out, nil
}

// DeviceCount returns how many devices are stored, without decoding them.
func (s *Store) DeviceCount() (int, error) {
	n := 0
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.Ascend(indexDevicesByIP, func(string, string) bool {
			n++
			return true
		})
	})
	if err != nil {
		return 0, fmt.Errorf("storage: count devices: %w", err)
	}
	return n, nil
}

// UpdateDevices calls fn on every stored device in one transaction and
// writes back those fn reports changed (a presence sweep marking silent
// devices offline, say). It returns how many were written.
func (s *Store) UpdateDevices(fn func(d *inventory.Device) bool) (int, error) {
	n := 0
	err := s.db.Update(func(tx *buntdb.Tx) error {
		n = 0
		type rec struct{ key, val string }
		var recs []rec
		err := tx.AscendKeys(prefixDevice+"*", func(key, val string) bool {
			recs = append(recs, rec{key, val})
			return true
		})
		if err != nil {
			return err
		}
		for _, r := range recs {
			var d inventory.Device
			if err := json.Unmarshal([]byte(r.val), &d); err != nil {
				return fmt.Errorf("decode %s: %w", r.key, err)
			}
			if !fn(&d) {
				continue
			}
			b, err := json.Marshal(&d)
			if err != nil {
				return fmt.Errorf("encode %s: %w", r.key, err)
			}
			if _, _, err := tx.Set(r.key, string(b), nil); err != nil {
				return fmt.Errorf("set %s: %w", r.key, err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("storage: update devices: %w", err)
	}
	s.writes.Add(uint64(n))
	return n, nil
}

// ExpirePassive deletes the devices only ever heard passively (no sweep
// reply, no SNMP answer) and silent since before: a forged MAC heard once
// must not stay in the inventory for ever. It returns how many it deleted.
func (s *Store) ExpirePassive(before time.Time) (int, error) {
	n := 0
	err := s.db.Update(func(tx *buntdb.Tx) error {
		n = 0
		var keys []string
		var decodeErr error
		err := tx.AscendKeys(prefixDevice+"*", func(key, val string) bool {
			var d inventory.Device
			if err := json.Unmarshal([]byte(val), &d); err != nil {
				decodeErr = fmt.Errorf("decode %s: %w", key, err)
				return false
			}
			if identity.PassiveOnly(&d) && d.LastSeen.Before(before) {
				keys = append(keys, key)
			}
			return true
		})
		if err = errors.Join(err, decodeErr); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := tx.Delete(k); err != nil {
				return fmt.Errorf("delete %s: %w", k, err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("storage: expire passive devices: %w", err)
	}
	s.writes.Add(uint64(n))
	s.expired.Add(uint64(n))
	s.devices.Add(int64(-n))
	return n, nil
}
