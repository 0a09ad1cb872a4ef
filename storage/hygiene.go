package storage

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tidwall/buntdb"

	"tend/inventory"
)

// HygieneRecord is one endpoint's hygiene as the traffic engine's tracker
// holds it.
type HygieneRecord struct {
	MAC     inventory.MAC
	Hygiene inventory.Hygiene
}

// PutHygiene stores each endpoint's hygiene in its device record (field
// hygiene), replacing what was there, in one transaction. Only hygiene-table
// matches ever reach it, so it holds no other name an endpoint looked up.
// An endpoint with no device record yet is skipped and counted in missing
// (it is returned in missing, to try again once a sensor has made the
// device); a MAC fused into
// another device writes to that device. Unchanged records are not written.
func (s *Store) PutHygiene(recs ...HygieneRecord) (written int, missing []inventory.MAC, err error) {
	var set []string // deferred devices whose records were set
	err = s.update(func(tx *buntdb.Tx) (int, error) {
		written, missing, set = 0, nil, nil
		for _, r := range recs {
			if r.MAC.IsZero() {
				continue
			}
			key := deviceKey(s.fuser.Canonical(r.MAC))
			if d, ok := s.deferred[key]; ok {
				w, err := putDeferredHygiene(tx, key, d, r.Hygiene)
				if w > 0 {
					set = append(set, key)
				}
				written += w
				if err != nil {
					return written, err
				}
				continue
			}
			val, err := tx.Get(key)
			if errors.Is(err, buntdb.ErrNotFound) {
				missing = append(missing, r.MAC)
				continue
			}
			if err != nil {
				return written, fmt.Errorf("get %s: %w", key, err)
			}
			var d inventory.Device
			if err := json.Unmarshal([]byte(val), &d); err != nil {
				return written, fmt.Errorf("decode %s: %w", key, err)
			}
			setHygiene(&d, r.Hygiene)
			b, err := json.Marshal(&d)
			if err != nil {
				return written, fmt.Errorf("encode %s: %w", key, err)
			}
			if string(b) == val {
				continue
			}
			if _, _, err := tx.Set(key, string(b), nil); err != nil {
				return written, fmt.Errorf("set %s: %w", key, err)
			}
			written++
		}
		return written, nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("storage: put hygiene: %w", err)
	}
	for _, key := range set {
		delete(s.deferred, key) // the record stands for it now
	}
	return written, missing, nil
}

// setHygiene sets d's hygiene to h, its last MaxActiveDays days; none if h
// is empty.
func setHygiene(d *inventory.Device, h inventory.Hygiene) {
	if len(h.ActiveDays) > inventory.MaxActiveDays {
		h.ActiveDays = h.ActiveDays[len(h.ActiveDays)-inventory.MaxActiveDays:]
	}
	d.Hygiene = &h
	if h.Empty() {
		d.Hygiene = nil
	}
}

// putDeferredHygiene is PutHygiene for a device Apply deferred
// (Config.DeferWrites): one that gains a hygiene record is no longer
// deferrable, so its record is set now, hygiene and all (and the caller
// forgets the deferred device once the transaction commits); one that gains
// none stays deferred, unchanged.
func putDeferredHygiene(tx *buntdb.Tx, key string, d inventory.Device, h inventory.Hygiene) (written int, err error) {
	if setHygiene(&d, h); d.Hygiene == nil {
		return 0, nil
	}
	b, err := json.Marshal(&d)
	if err != nil {
		return 0, fmt.Errorf("encode %s: %w", key, err)
	}
	if _, _, err := tx.Set(key, string(b), nil); err != nil {
		return 0, fmt.Errorf("set %s: %w", key, err)
	}
	return 1, nil
}

// PutHygieneOf is PutHygiene for the records record returns for macs (the
// traffic watch's tracker), in that order.
func (s *Store) PutHygieneOf(macs []inventory.MAC, record func(inventory.MAC) inventory.Hygiene) (missing []inventory.MAC, err error) {
	recs := make([]HygieneRecord, len(macs))
	for i, m := range macs {
		recs[i] = HygieneRecord{MAC: m, Hygiene: record(m)}
	}
	_, missing, err = s.PutHygiene(recs...)
	return missing, err
}
