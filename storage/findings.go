package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tidwall/buntdb"

	"tend/internal/lazyre"
	"tend/inventory"
)

// validFindingID matches findings.ID's output, so junk from a URL never
// reaches a key.
var validFindingID = &lazyre.Regexp{Expr: `^[a-z0-9_]{1,64}-[0-9a-f]{12}$`}

func findingKey(id string) string { return prefixFinding + id }

// findingLastSeenResolution is how far a finding's last_seen may lag
// before ReplaceFindings writes it anyway: findings are re-evaluated every
// minute, and a quarter of an hour is fine enough for "still seen" while
// keeping hundreds of unchanged findings from costing flash writes each
// minute.
const findingLastSeenResolution = 15 * time.Minute

// Findings returns every stored finding, in key order (the caller sorts).
func (s *Store) Findings() ([]inventory.Finding, error) {
	var out []inventory.Finding
	err := s.db.View(func(tx *buntdb.Tx) error {
		var err error
		out, err = readFindings(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("storage: list findings: %w", err)
	}
	return out, nil
}

func readFindings(tx *buntdb.Tx) ([]inventory.Finding, error) {
	var out []inventory.Finding
	var decodeErr error
	err := tx.AscendKeys(prefixFinding+"*", func(key, val string) bool {
		var f inventory.Finding
		if err := json.Unmarshal([]byte(val), &f); err != nil {
			decodeErr = fmt.Errorf("decode %s: %w", key, err)
			return false
		}
		out = append(out, f)
		return true
	})
	if err == nil {
		err = decodeErr
	}
	return out, err
}

// Finding returns the finding with this ID, or ErrNotFound.
func (s *Store) Finding(id string) (inventory.Finding, error) {
	var f inventory.Finding
	if !validFindingID.MatchString(id) {
		return f, fmt.Errorf("storage: finding %q: %w", id, ErrNotFound)
	}
	err := s.db.View(func(tx *buntdb.Tx) error {
		val, err := tx.Get(findingKey(id))
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(val), &f)
	})
	if errors.Is(err, buntdb.ErrNotFound) {
		return inventory.Finding{}, fmt.Errorf("storage: finding %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return inventory.Finding{}, fmt.Errorf("storage: read finding %s: %w", id, err)
	}
	return f, nil
}

// ReplaceFindings reads every stored finding, hands them to fn and stores
// what fn returns in their place, in one transaction, so a person's
// acknowledgement cannot be lost to a concurrent re-evaluation. Findings
// fn drops are deleted. Only records whose JSON changed are written, and
// last_seen alone does not count unless it advanced by more than 15
// minutes (flash wear, as for devices).
func (s *Store) ReplaceFindings(fn func(stored []inventory.Finding) []inventory.Finding) error {
	err := s.update(func(tx *buntdb.Tx) (int, error) {
		stored, err := readFindings(tx)
		if err != nil {
			return 0, err
		}
		old := make(map[string]inventory.Finding, len(stored))
		for _, f := range stored {
			old[f.ID] = f
		}
		writes := 0
		keep := map[string]bool{}
		for _, f := range fn(stored) {
			if !validFindingID.MatchString(f.ID) {
				return writes, fmt.Errorf("finding id %q is not a findings.ID", f.ID)
			}
			keep[f.ID] = true
			if p, ok := old[f.ID]; ok && sameFinding(p, f, max(s.cfg.LastSeenResolution, findingLastSeenResolution)) {
				continue
			}
			b, err := json.Marshal(&f)
			if err != nil {
				return writes, fmt.Errorf("encode finding %s: %w", f.ID, err)
			}
			if _, _, err := tx.Set(findingKey(f.ID), string(b), nil); err != nil {
				return writes, err
			}
			writes++
		}
		for id := range old {
			if keep[id] {
				continue
			}
			if _, err := tx.Delete(findingKey(id)); err != nil {
				return writes, err
			}
			writes++
		}
		return writes, nil
	})
	if err != nil {
		return fmt.Errorf("storage: replace findings: %w", err)
	}
	return nil
}

// sameFinding reports whether writing b over a would be wasted.
func sameFinding(a, b inventory.Finding, res time.Duration) bool {
	if b.LastSeen.Sub(a.LastSeen) > res {
		return false
	}
	a.LastSeen, b.LastSeen = time.Time{}, time.Time{}
	ja, err1 := json.Marshal(&a)
	jb, err2 := json.Marshal(&b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// UpdateFinding changes one finding in one transaction: fn gets the stored
// finding and may change it or refuse with an error, which UpdateFinding
// returns unchanged (wrapped). ErrNotFound when there is no such finding.
func (s *Store) UpdateFinding(id string, fn func(f *inventory.Finding) error) (inventory.Finding, error) {
	var f inventory.Finding
	if !validFindingID.MatchString(id) {
		return f, fmt.Errorf("storage: finding %q: %w", id, ErrNotFound)
	}
	err := s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		val, err := tx.Get(findingKey(id))
		if errors.Is(err, buntdb.ErrNotFound) {
			return 0, ErrNotFound
		}
		if err != nil {
			return 0, err
		}
		if err := json.Unmarshal([]byte(val), &f); err != nil {
			return 0, fmt.Errorf("decode finding %s: %w", id, err)
		}
		if err := fn(&f); err != nil {
			return 0, err
		}
		if f.ID != id {
			return 0, fmt.Errorf("finding %s: the update changed its id", id)
		}
		b, err := json.Marshal(&f)
		if err != nil {
			return 0, fmt.Errorf("encode finding %s: %w", id, err)
		}
		_, _, err = tx.Set(findingKey(id), string(b), nil)
		return 1, err
	})
	if err != nil {
		return inventory.Finding{}, fmt.Errorf("storage: update finding %s: %w", id, err)
	}
	return f, nil
}

// DeviceNotes are the fields of a device that a person sets in the UI.
type DeviceNotes struct {
	Label        string
	Role         string
	PurchaseDate *time.Time
}

// maxNoteLen bounds a label or role: they appear in every list.
const maxNoteLen = 200

// SetDeviceNotes sets a device's label, role and purchase date in one
// transaction (sensors never touch these fields, so nothing else races).
// ErrNotFound when the device has not been seen.
func (s *Store) SetDeviceNotes(mac inventory.MAC, n DeviceNotes) (inventory.Device, error) {
	var d inventory.Device
	if len(n.Label) > maxNoteLen || len(n.Role) > maxNoteLen {
		return d, fmt.Errorf("storage: device %s: label and role are at most %d bytes", mac, maxNoteLen)
	}
	if mac.IsZero() {
		return d, fmt.Errorf("storage: device with empty mac: %w", ErrNotFound)
	}
	key := deviceKey(mac)
	err := s.update(func(tx *buntdb.Tx) (int, error) {
		val, err := tx.Get(key)
		if errors.Is(err, buntdb.ErrNotFound) {
			return 0, ErrNotFound
		}
		if err != nil {
			return 0, err
		}
		if err := json.Unmarshal([]byte(val), &d); err != nil {
			return 0, fmt.Errorf("decode %s: %w", key, err)
		}
		d.Label, d.Role, d.PurchaseDate = n.Label, n.Role, n.PurchaseDate
		b, err := json.Marshal(&d)
		if err != nil {
			return 0, fmt.Errorf("encode %s: %w", key, err)
		}
		_, _, err = tx.Set(key, string(b), nil)
		return 1, err
	})
	if err != nil {
		return inventory.Device{}, fmt.Errorf("storage: set notes of %s: %w", mac, err)
	}
	return d, nil
}
