package lifecycle

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"
)

// datedCatalog is a catalog an override file can replace: the end-of-life
// catalog and the vulnerability catalog.
type datedCatalog interface {
	comparable
	Date() time.Time
}

// newer returns the override when it is dated after the embedded catalog
// and the embedded one otherwise, so an old file left in the data directory
// cannot roll the facts back after an upgrade.
func newer[T datedCatalog](embedded, override T) T {
	var none T
	if override != none && (embedded == none || override.Date().After(embedded.Date())) {
		return override
	}
	return embedded
}

// loadFile reads a catalog file, within maxCatalog, and decodes it; what
// names the catalog in errors.
func loadFile[T any](path, what string, decode func([]byte) (T, error)) (T, error) {
	var none T
	f, err := os.Open(path)
	if err != nil {
		return none, fmt.Errorf("lifecycle: load %s: %w", what, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxCatalog+1))
	if err != nil {
		return none, fmt.Errorf("lifecycle: load %s %s: %w", what, path, err)
	}
	c, err := decode(b)
	if err != nil {
		return none, fmt.Errorf("lifecycle: load %s %s: %w", what, path, err)
	}
	return c, nil
}

// overridable is a catalog in force: the embedded one, or a newer file
// named by path, re-read whenever its size or modification time changes.
// A damaged or older file is logged and ignored: it never replaces the
// embedded catalog. It is safe for concurrent use.
type overridable[T datedCatalog] struct {
	what     string // "catalog", "vulnerability catalog": for the log
	embedded T
	path     string // "" for none
	load     func(path string) (T, error)
	log      *slog.Logger

	mu      sync.Mutex
	current T
	stamp   fileStamp // of the override file when last read
}

func newOverridable[T datedCatalog](what string, embedded T, path string, load func(string) (T, error), log *slog.Logger) *overridable[T] {
	return &overridable[T]{what: what, embedded: embedded, current: embedded, path: path, load: load, log: log}
}

// get returns the catalog to judge with, re-reading the override file when
// it changed.
func (o *overridable[T]) get() T {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.path == "" {
		return o.current
	}
	fi, err := os.Stat(o.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if o.current != o.embedded {
			o.log.Info(o.what+" file removed; using the embedded one", "path", o.path, "catalog_date", o.embedded.Date().Format(time.DateOnly))
		}
		o.current, o.stamp = o.embedded, fileStamp{}
		return o.current
	case err != nil:
		o.log.Warn(o.what+" file unreadable; keeping the current one", "path", o.path, "err", err)
		return o.current
	}
	st := fileStamp{mod: fi.ModTime(), size: fi.Size()}
	if st == o.stamp {
		return o.current
	}
	o.stamp = st
	c, err := o.load(o.path)
	if err != nil {
		o.log.Warn(o.what+" file rejected; keeping the current one", "path", o.path, "err", err)
		return o.current
	}
	if newer(o.embedded, c) != c {
		o.log.Info(o.what+" file is not newer than the embedded one; ignoring it", "path", o.path,
			"file_date", c.Date().Format(time.DateOnly), "embedded_date", o.embedded.Date().Format(time.DateOnly))
		o.current = o.embedded
		return o.current
	}
	o.log.Info("using "+o.what+" file", "path", o.path, "catalog_date", c.Date().Format(time.DateOnly))
	o.current = c
	return o.current
}
