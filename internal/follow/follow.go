// Package follow keeps a run-time table (the hygiene table, the lifecycle
// catalogs) in force from a file in the data directory: a file dated after
// the built-in table replaces it, a damaged, oversized or older one is
// logged and ignored, and removing the file returns to the built-in table.
// It is the one follower both traffic and lifecycle use; stdlib only.
package follow

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

// Config describes one followed file. Tables are pointers of one type,
// held as any (one copy of the follower in the binary, not one per type).
type Config struct {
	What    string                    // names the table in the log: "hygiene table", "catalog"
	Path    string                    // the file; "" follows nothing
	Builtin any                       // the table in force without a (newer) file
	Load    func(string) (any, error) // reads and checks the file
	Date    func(any) time.Time       // the table's date: a file must be newer than Builtin
	Log     *slog.Logger              // nil discards
}

// File is the table in force for one followed file. It is safe for
// concurrent use.
type File struct {
	cfg Config

	mu      sync.Mutex
	current any
	mod     time.Time // of the file when last read
	size    int64
}

// New follows cfg.Path; the first Get reads it.
func New(cfg Config) *File {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &File{cfg: cfg, current: cfg.Builtin}
}

// Builtin returns the built-in table.
func (f *File) Builtin() any { return f.cfg.Builtin }

// Get returns the table in force, re-reading the file when its size or
// modification time changed (a stat otherwise).
func (f *File) Get() any {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := &f.cfg
	if c.Path == "" {
		return f.current
	}
	fi, err := os.Stat(c.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if f.current != c.Builtin {
			c.Log.Info(c.What+" file removed; using the built-in one", "path", c.Path, "date", day(c.Date(c.Builtin)))
		}
		f.current, f.mod, f.size = c.Builtin, time.Time{}, 0
		return f.current
	case err != nil:
		c.Log.Warn(c.What+" file unreadable; keeping the current one", "path", c.Path, "err", err)
		return f.current
	}
	if fi.ModTime().Equal(f.mod) && fi.Size() == f.size {
		return f.current
	}
	f.mod, f.size = fi.ModTime(), fi.Size()
	t, err := c.Load(c.Path)
	if err == nil && t == nil {
		err = errors.New("no table")
	}
	if err != nil {
		c.Log.Warn(c.What+" file rejected; keeping the current one", "path", c.Path, "err", err)
		return f.current
	}
	if !c.Date(t).After(c.Date(c.Builtin)) {
		// An old file left in the data directory cannot roll the facts
		// back after an upgrade.
		c.Log.Info(c.What+" file is not newer than the built-in one; ignoring it", "path", c.Path,
			"file_date", day(c.Date(t)), "builtin_date", day(c.Date(c.Builtin)))
		f.current = c.Builtin
		return f.current
	}
	c.Log.Info("using "+c.What+" file", "path", c.Path, "date", day(c.Date(t)))
	f.current = t
	return f.current
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// ReadFile reads at most limit bytes of path: a longer file is an error,
// so a damaged or hostile file cannot fill memory.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return b, nil
}
