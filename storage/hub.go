package storage

import (
	"errors"
	"fmt"
	"strings"

	"github.com/tidwall/buntdb"
)

// HubTx is a transaction over the hub's part of the database: every key it
// takes is relative to the "hub:" prefix, so the hub's records cannot clash
// with (or reach) the box's devices, users and sessions.
type HubTx struct {
	tx     *buntdb.Tx
	writes int
}

// Get returns the value under key, or ErrNotFound.
func (h *HubTx) Get(key string) (string, error) {
	v, err := h.tx.Get(prefixHub + key)
	if errors.Is(err, buntdb.ErrNotFound) {
		return "", fmt.Errorf("storage: hub key %q: %w", key, ErrNotFound)
	}
	return v, err
}

// Set stores val under key.
func (h *HubTx) Set(key, val string) error {
	if _, _, err := h.tx.Set(prefixHub+key, val, nil); err != nil {
		return err
	}
	h.writes++
	return nil
}

// Delete removes key; a missing key is not an error.
func (h *HubTx) Delete(key string) error {
	_, err := h.tx.Delete(prefixHub + key)
	if errors.Is(err, buntdb.ErrNotFound) {
		return nil
	}
	if err == nil {
		h.writes++
	}
	return err
}

// Ascend calls fn for every key starting with prefix, in key order, with
// the key relative to "hub:", until fn returns false.
func (h *HubTx) Ascend(prefix string, fn func(key, val string) bool) error {
	return h.tx.AscendKeys(prefixHub+escapePattern(prefix)+"*", func(k, v string) bool {
		return fn(strings.TrimPrefix(k, prefixHub), v)
	})
}

// Descend is Ascend in reverse key order.
func (h *HubTx) Descend(prefix string, fn func(key, val string) bool) error {
	return h.tx.DescendKeys(prefixHub+escapePattern(prefix)+"*", func(k, v string) bool {
		return fn(strings.TrimPrefix(k, prefixHub), v)
	})
}

// escapePattern escapes buntdb's glob characters so a prefix matches itself.
func escapePattern(s string) string {
	if !strings.ContainsAny(s, `*?\`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '*' || r == '?' || r == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// HubUpdate runs fn in one write transaction over the hub's records: all of
// fn's writes commit together, or none if fn returns an error.
func (s *Store) HubUpdate(fn func(tx *HubTx) error) error {
	return s.update(func(tx *buntdb.Tx) (int, error) {
		h := &HubTx{tx: tx}
		err := fn(h)
		return h.writes, err
	})
}

// HubView runs fn in a read-only transaction over the hub's records.
func (s *Store) HubView(fn func(tx *HubTx) error) error {
	return s.db.View(func(tx *buntdb.Tx) error { return fn(&HubTx{tx: tx}) })
}

// HubUpdateSynced is HubUpdate fsynced before it returns: the hub's
// notification queues and PSA ticket ids must not be lost to a power cut.
func (s *Store) HubUpdateSynced(fn func(tx *HubTx) error) error {
	return s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		h := &HubTx{tx: tx}
		err := fn(h)
		return h.writes, err
	})
}
