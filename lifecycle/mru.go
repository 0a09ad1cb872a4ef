package lifecycle

import "sync"

// decodedCacheSize bounds the decoded products each catalog keeps: a pass
// over the devices (Current.JudgeStored) decodes each product they run
// about once, then releases them all; a miss costs one product's decode.
const decodedCacheSize = 16

// mru keeps the decodedCacheSize most recently used values, by key, for
// the catalogs that stay compressed and decode a product on demand. It is
// safe for concurrent use.
type mru[T any] struct {
	mu   sync.Mutex
	ents []mruEntry[T] // most recently used first
}

type mruEntry[T any] struct {
	key string
	v   *T
}

// get returns key's value, decoding it on a miss; a nil decode result
// (no such product) is returned and not kept.
func (m *mru[T]) get(key string, decode func() *T) *T {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, e := range m.ents {
		if e.key == key {
			copy(m.ents[1:i+1], m.ents[:i])
			m.ents[0] = e
			return e.v
		}
	}
	v := decode()
	if v == nil {
		return nil
	}
	if len(m.ents) < decodedCacheSize {
		m.ents = append(m.ents, mruEntry[T]{})
	}
	copy(m.ents[1:], m.ents[:len(m.ents)-1])
	m.ents[0] = mruEntry[T]{key, v}
	return v
}

// clear drops every kept value.
func (m *mru[T]) clear() {
	m.mu.Lock()
	m.ents = nil
	m.mu.Unlock()
}

// size is how many values are kept.
func (m *mru[T]) size() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.ents)
}
