package traffic

import (
	"fmt"
	"log/slog"
	"time"

	"tend/internal/follow"
)

// HygieneFileName is the file tend serve looks for in its data directory:
// a hygiene table in the generated format (traffic/internal/hygienegen)
// dated after the embedded one replaces it without a restart, as the
// lifecycle catalogs do.
const HygieneFileName = "hygiene.json.gz"

// maxHygieneFile bounds a table file (the embedded one is a few KiB).
const maxHygieneFile = 4 << 20

// LoadHygieneCatalog reads a table file.
func LoadHygieneCatalog(path string) (*HygieneCatalog, error) {
	b, err := follow.ReadFile(path, maxHygieneFile)
	if err != nil {
		return nil, fmt.Errorf("hygiene table: %w", err)
	}
	c, err := ParseHygieneCatalog(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// FollowFile makes Refresh switch the tracker to the table in path when
// that file appears or changes and is dated after the tracker's current
// (embedded) table, and back when it is removed. A damaged or older file
// is logged and ignored: it never replaces a good table.
func (t *HygieneTracker) FollowFile(path string, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.file = follow.New(follow.Config{What: "hygiene table", Path: path, Builtin: t.cat, Log: log.With("component", "hygiene"),
		Load: func(p string) (any, error) { return LoadHygieneCatalog(p) }, Date: func(c any) time.Time { return c.(*HygieneCatalog).Date }})
}

// Refresh re-reads the followed table file when its size or modification
// time changed (a stat otherwise) and reports whether the table in force
// changed. What endpoints were seen with carries over by category and
// product name; products the new table lacks are dropped from the tracker
// (stored records keep them until they are next written).
func (t *HygieneTracker) Refresh() bool {
	t.mu.Lock()
	f := t.file
	t.mu.Unlock()
	if f == nil {
		return false
	}
	next := f.Get().(*HygieneCatalog) // the file is read outside t.mu
	t.mu.Lock()
	defer t.mu.Unlock()
	if next == t.cat {
		return false
	}
	t.swap(next)
	return true
}

// Catalog returns the table in force.
func (t *HygieneTracker) Catalog() *HygieneCatalog {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cat
}

// swap moves every endpoint's records to next's product numbering; t.mu
// is held.
func (t *HygieneTracker) swap(next *HygieneCatalog) {
	remap := make([]int, len(t.cat.products))
	for i, p := range t.cat.products {
		remap[i] = next.productIndex(p.category, p.name)
	}
	for _, h := range t.hosts {
		seen := make(map[int]*hygieneSeen, len(h.seen))
		for prod, s := range h.seen {
			if n := remap[prod]; n >= 0 {
				seen[n] = s
			}
		}
		h.seen = seen
	}
	t.cat = next
}
