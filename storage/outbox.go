package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tidwall/buntdb"
)

// minOutboxLimit is the smallest bound Enqueue accepts: the head (possibly
// in flight) plus two items to merge.
const minOutboxLimit = 3

// UpstreamState is the push client's bookkeeping, kept with the outbox so a
// summary and the state it was made from are committed together.
type UpstreamState struct {
	BoxID   string            `json:"box_id"`   // random id of this box at the hub
	LastSeq uint64            `json:"last_seq"` // sequence number of the newest summary made
	LastAt  time.Time         `json:"last_at"`  // when it was made
	Digests map[string]string `json:"digests"`  // device MAC → digest of the device as last summarised
}

// OutboxItem is one summary waiting for the hub. Body is opaque to storage
// (upstream keeps the gzipped JSON it will send, byte for byte).
type OutboxItem struct {
	Seq  uint64 `json:"seq"`
	Body []byte `json:"body"` // base64 in the stored JSON
}

func outboxKey(seq uint64) string { return fmt.Sprintf("%s%020d", prefixOutbox, seq) }

// UpstreamState returns the push client's state; the zero value when no
// summary has been made yet.
func (s *Store) UpstreamState() (UpstreamState, error) {
	var st UpstreamState
	err := s.db.View(func(tx *buntdb.Tx) error {
		var err error
		st, err = readUpstreamState(tx)
		return err
	})
	if err != nil {
		return UpstreamState{}, fmt.Errorf("storage: read upstream state: %w", err)
	}
	return st, nil
}

func readUpstreamState(tx *buntdb.Tx) (UpstreamState, error) {
	var st UpstreamState
	val, err := tx.Get(keyUpstreamState)
	if errors.Is(err, buntdb.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal([]byte(val), &st); err != nil {
		return st, fmt.Errorf("decode %s: %w", keyUpstreamState, err)
	}
	return st, nil
}

// ErrSequence is returned by Enqueue when the state it is given does not
// follow the stored one (two writers, or a stale read).
var ErrSequence = errors.New("storage: upstream sequence out of step")

// Enqueue appends a summary to the outbox as item st.LastSeq and stores st,
// in one transaction: st.LastSeq must be one above the stored LastSeq (and
// the box id unchanged once set), or Enqueue returns ErrSequence.
//
// The outbox holds at most limit items (at least 3). Past the bound, the
// second and third oldest items are replaced by merge(second, third), stored
// under the third's sequence number, until the bound holds again; the
// oldest item is never touched, because the push client may be sending it.
// merged reports how many merges happened.
func (s *Store) Enqueue(st UpstreamState, body []byte, limit int, merge func(older, newer []byte) ([]byte, error)) (merged int, err error) {
	if limit < minOutboxLimit {
		limit = minOutboxLimit
	}
	stateJSON, err := json.Marshal(st)
	if err != nil {
		return 0, fmt.Errorf("storage: encode upstream state: %w", err)
	}
	item, err := json.Marshal(OutboxItem{Seq: st.LastSeq, Body: body})
	if err != nil {
		return 0, fmt.Errorf("storage: encode outbox item %d: %w", st.LastSeq, err)
	}
	err = s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		merged = 0
		old, err := readUpstreamState(tx)
		if err != nil {
			return 0, err
		}
		if st.LastSeq != old.LastSeq+1 || (old.BoxID != "" && old.BoxID != st.BoxID) {
			return 0, fmt.Errorf("%w: stored seq %d box %q, new seq %d box %q", ErrSequence, old.LastSeq, old.BoxID, st.LastSeq, st.BoxID)
		}
		if _, _, err := tx.Set(keyUpstreamState, string(stateJSON), nil); err != nil {
			return 0, err
		}
		if _, _, err := tx.Set(outboxKey(st.LastSeq), string(item), nil); err != nil {
			return 0, err
		}
		writes := 2
		for {
			var items []OutboxItem
			var decodeErr error
			n := 0
			err := tx.AscendKeys(prefixOutbox+"*", func(key, val string) bool {
				n++
				if n == 2 || n == 3 {
					var it OutboxItem
					if decodeErr = json.Unmarshal([]byte(val), &it); decodeErr != nil {
						decodeErr = fmt.Errorf("decode %s: %w", key, decodeErr)
						return false
					}
					items = append(items, it)
				}
				return true
			})
			if err == nil {
				err = decodeErr
			}
			if err != nil {
				return 0, err
			}
			if n <= limit {
				return writes, nil
			}
			body, err := merge(items[0].Body, items[1].Body)
			if err != nil {
				return 0, fmt.Errorf("merge outbox items %d and %d: %w", items[0].Seq, items[1].Seq, err)
			}
			b, err := json.Marshal(OutboxItem{Seq: items[1].Seq, Body: body})
			if err != nil {
				return 0, err
			}
			if _, err := tx.Delete(outboxKey(items[0].Seq)); err != nil {
				return 0, err
			}
			if _, _, err := tx.Set(outboxKey(items[1].Seq), string(b), nil); err != nil {
				return 0, err
			}
			writes += 2
			merged++
		}
	})
	if err != nil {
		return 0, fmt.Errorf("storage: enqueue summary %d: %w", st.LastSeq, err)
	}
	return merged, nil
}

// OutboxHead returns the oldest undelivered summary, or ErrNotFound when the
// outbox is empty.
func (s *Store) OutboxHead() (OutboxItem, error) {
	var it OutboxItem
	found := false
	var decodeErr error
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixOutbox+"*", func(key, val string) bool {
			found = true
			if err := json.Unmarshal([]byte(val), &it); err != nil {
				decodeErr = fmt.Errorf("decode %s: %w", key, err)
			}
			return false
		})
	})
	if err == nil {
		err = decodeErr
	}
	if err != nil {
		return OutboxItem{}, fmt.Errorf("storage: read outbox head: %w", err)
	}
	if !found {
		return OutboxItem{}, fmt.Errorf("storage: outbox is empty: %w", ErrNotFound)
	}
	return it, nil
}

// Outbox returns every undelivered summary, oldest first.
func (s *Store) Outbox() ([]OutboxItem, error) {
	var out []OutboxItem
	var decodeErr error
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixOutbox+"*", func(key, val string) bool {
			var it OutboxItem
			if decodeErr = json.Unmarshal([]byte(val), &it); decodeErr != nil {
				decodeErr = fmt.Errorf("decode %s: %w", key, decodeErr)
				return false
			}
			out = append(out, it)
			return true
		})
	})
	if err == nil {
		err = decodeErr
	}
	if err != nil {
		return nil, fmt.Errorf("storage: list outbox: %w", err)
	}
	return out, nil
}

// OutboxLen returns how many summaries wait for delivery, without decoding
// them.
func (s *Store) OutboxLen() (int, error) {
	n := 0
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixOutbox+"*", func(string, string) bool { n++; return true })
	})
	if err != nil {
		return 0, fmt.Errorf("storage: count outbox: %w", err)
	}
	return n, nil
}

// OutboxDelete removes a delivered summary; ErrNotFound if it is not there.
func (s *Store) OutboxDelete(seq uint64) error {
	err := s.update(func(tx *buntdb.Tx) (int, error) {
		_, err := tx.Delete(outboxKey(seq))
		return 1, err
	})
	if errors.Is(err, buntdb.ErrNotFound) {
		return fmt.Errorf("storage: delete outbox item %d: %w", seq, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("storage: delete outbox item %d: %w", seq, err)
	}
	return nil
}
