package hub

import "tend/storage"

// kvTx is one transaction over the hub's records: string keys (documented
// in store.go) and JSON values. Both stores implement it with the same
// semantics: Get answers storage.ErrNotFound for a missing key, Delete of
// a missing key is not an error, Ascend and Descend visit the keys with a
// prefix in byte order until fn returns false.
type kvTx interface {
	Get(key string) (string, error)
	Set(key, val string) error
	Delete(key string) error
	Ascend(prefix string, fn func(key, val string) bool) error
	Descend(prefix string, fn func(key, val string) bool) error
	// DeleteRange deletes the keys with prefix that sort before end.
	DeleteRange(prefix, end string) error
}

// kv is a store of the hub's records: update runs fn in one transaction
// that commits all its writes or none; view runs a read-only one.
type kv interface {
	update(fn func(tx kvTx) error) error
	view(fn func(tx kvTx) error) error
	// updateSite is update for a transaction that touches one site's
	// records only and writes its count: record (an ingest).
	updateSite(fn func(tx kvTx) error) error
	// cacheKeys says whether site keys may be cached in process memory:
	// only when this process is the store's one writer.
	cacheKeys() bool
}

// embedded is the hub's records in storage's buntdb (under "hub:"), the
// default for a provider on one machine.
type embedded struct{ st *storage.Store }

func (e embedded) update(fn func(tx kvTx) error) error {
	return e.st.HubUpdate(func(tx *storage.HubTx) error { return fn(embeddedTx{tx}) })
}

func (e embedded) updateSite(fn func(tx kvTx) error) error { return e.update(fn) }

func (e embedded) view(fn func(tx kvTx) error) error {
	return e.st.HubView(func(tx *storage.HubTx) error { return fn(embeddedTx{tx}) })
}

type embeddedTx struct{ *storage.HubTx }

func (t embeddedTx) DeleteRange(prefix, end string) error {
	var old []string
	if err := t.Ascend(prefix, func(k, _ string) bool {
		if k >= end {
			return false
		}
		old = append(old, k)
		return true
	}); err != nil {
		return err
	}
	for _, k := range old {
		if err := t.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func (embedded) cacheKeys() bool { return true }
