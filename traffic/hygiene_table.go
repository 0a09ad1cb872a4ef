package traffic

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"
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
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxHygieneFile+1))
	if err != nil {
		return nil, fmt.Errorf("hygiene table %s: %w", path, err)
	}
	if len(b) > maxHygieneFile {
		return nil, fmt.Errorf("hygiene table %s: larger than %d bytes", path, maxHygieneFile)
	}
	c, err := ParseHygieneCatalog(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// hygieneFile is the table file a tracker follows (FollowFile).
type hygieneFile struct {
	path     string
	embedded *HygieneCatalog
	log      *slog.Logger
	mod      time.Time // of the file when last read
	size     int64
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
	t.file = &hygieneFile{path: path, embedded: t.cat, log: log.With("component", "hygiene")}
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
	next := f.current(t.Catalog())
	t.mu.Lock()
	defer t.mu.Unlock()
	if next == t.cat {
		return false
	}
	t.swap(next)
	return true
}

// current returns the table to use given the one in force: reads happen
// on Refresh's goroutine only, so f needs no lock.
func (f *hygieneFile) current(inForce *HygieneCatalog) *HygieneCatalog {
	fi, err := os.Stat(f.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if inForce != f.embedded {
			f.log.Info("hygiene table file removed; using the embedded one", "path", f.path, "table_date", f.embedded.Date.Format(time.DateOnly))
		}
		f.mod, f.size = time.Time{}, 0
		return f.embedded
	case err != nil:
		f.log.Warn("hygiene table file unreadable; keeping the current one", "path", f.path, "err", err)
		return inForce
	}
	if fi.ModTime().Equal(f.mod) && fi.Size() == f.size {
		return inForce
	}
	f.mod, f.size = fi.ModTime(), fi.Size()
	c, err := LoadHygieneCatalog(f.path)
	if err != nil {
		f.log.Warn("hygiene table file rejected; keeping the current one", "err", err)
		return inForce
	}
	if !c.Date.After(f.embedded.Date) {
		f.log.Info("hygiene table file is not newer than the embedded one; ignoring it", "path", f.path,
			"file_date", c.Date.Format(time.DateOnly), "embedded_date", f.embedded.Date.Format(time.DateOnly))
		return f.embedded
	}
	f.log.Info("using hygiene table file", "path", f.path, "table_date", c.Date.Format(time.DateOnly), "entries", len(c.Entries))
	return c
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
