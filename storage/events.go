package storage

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tidwall/buntdb"

	"tend/inventory"
)

// Event keys: event:<unix nanoseconds, 20 digits>:<sequence, 6 digits>.
// Fixed-width numbers make buntdb's lexical key order the time order, so
// Events reads newest first with a descending scan and retention deletes
// the oldest with an ascending one. The sequence keeps simultaneous events
// apart.
const (
	prefixEvent = "event:"

	// DefaultEventRetention keeps 90 days of events.
	DefaultEventRetention = 90 * 24 * time.Hour
	// DefaultMaxEvents caps the event log whatever its age, so a flood of
	// events cannot fill the flash.
	DefaultMaxEvents = 20000
)

func eventKey(t time.Time, seq uint64) string {
	return fmt.Sprintf("%s%020d:%06d", prefixEvent, max(t.UnixNano(), 0), seq%1000000)
}

// AddEvents stores events in one transaction.
func (s *Store) AddEvents(evs ...inventory.Event) error {
	if len(evs) == 0 {
		return nil
	}
	return s.update(func(tx *buntdb.Tx) (int, error) {
		for _, ev := range evs {
			b, err := json.Marshal(ev)
			if err != nil {
				return 0, fmt.Errorf("storage: encode event: %w", err)
			}
			if _, _, err := tx.Set(eventKey(ev.Time, s.eventSeq.Add(1)), string(b), nil); err != nil {
				return 0, fmt.Errorf("storage: add event: %w", err)
			}
		}
		return len(evs), nil
	})
}

// EventQuery selects events; the zero value is the newest 100 of any type.
type EventQuery struct {
	Since, Until time.Time // inclusive bounds; zero means unbounded
	Types        []inventory.EventType
	MAC          inventory.MAC // culprit or target
	Limit        int           // zero means 100
}

// Events returns the events matching q, newest first.
func (s *Store) Events(q EventQuery) ([]inventory.Event, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	mac := q.MAC.String()
	out := []inventory.Event{}
	var derr error
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.DescendKeys(prefixEvent+"*", func(k, v string) bool {
			var ev inventory.Event
			if err := json.Unmarshal([]byte(v), &ev); err != nil {
				derr = fmt.Errorf("storage: decode %s: %w", k, err)
				return false
			}
			if !q.Since.IsZero() && ev.Time.Before(q.Since) {
				return false // older from here on
			}
			if !q.Until.IsZero() && ev.Time.After(q.Until) {
				return true
			}
			if len(q.Types) > 0 && !containsType(q.Types, ev.Type) {
				return true
			}
			if mac != "" && ev.MAC.String() != mac && ev.TargetMAC.String() != mac {
				return true
			}
			out = append(out, ev)
			return len(out) < q.Limit
		})
	})
	if err == nil {
		err = derr
	}
	if err != nil {
		return nil, fmt.Errorf("storage: events: %w", err)
	}
	return out, nil
}

func containsType(ts []inventory.EventType, t inventory.EventType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// PruneEvents deletes events older than now-retention and, beyond that,
// the oldest ones over maxEvents; zero arguments mean the defaults. It
// returns how many it deleted.
func (s *Store) PruneEvents(now time.Time, retention time.Duration, maxEvents int) (int, error) {
	if retention <= 0 {
		retention = DefaultEventRetention
	}
	if maxEvents <= 0 {
		maxEvents = DefaultMaxEvents
	}
	cut := eventKey(now.Add(-retention), 0)
	var deleted int
	err := s.update(func(tx *buntdb.Tx) (int, error) {
		total := 0
		if err := tx.AscendKeys(prefixEvent+"*", func(k, _ string) bool { total++; return true }); err != nil {
			return 0, err
		}
		var doomed []string
		err := tx.AscendKeys(prefixEvent+"*", func(k, _ string) bool {
			if strings.Compare(k, cut) < 0 || total-len(doomed) > maxEvents {
				doomed = append(doomed, k)
				return true
			}
			return false
		})
		if err != nil {
			return 0, err
		}
		for _, k := range doomed {
			if _, err := tx.Delete(k); err != nil {
				return 0, err
			}
		}
		deleted = len(doomed)
		return deleted, nil
	})
	if err != nil {
		return 0, fmt.Errorf("storage: prune events: %w", err)
	}
	return deleted, nil
}
