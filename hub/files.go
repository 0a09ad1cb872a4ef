package hub

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// fileCheckEvery is how often Run rechecks the data files' modes.
const fileCheckEvery = time.Minute

// SecureFiles makes each of paths owner-only (0600) if it is more open:
// the hub's database holds site keys and password hashes, and buntdb's
// compaction recreates the file with the process umask. It returns the
// paths it had to fix; a missing file is not an error.
func SecureFiles(paths ...string) (fixed []string, err error) {
	for _, p := range paths {
		fi, serr := os.Stat(p)
		if errors.Is(serr, fs.ErrNotExist) {
			continue
		}
		if serr != nil {
			err = errors.Join(err, fmt.Errorf("hub: check mode of %s: %w", p, serr))
			continue
		}
		if fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		if cerr := os.Chmod(p, 0o600); cerr != nil {
			err = errors.Join(err, fmt.Errorf("hub: make %s owner-only: %w", p, cerr))
			continue
		}
		fixed = append(fixed, p)
	}
	return fixed, err
}

// Run keeps the hub's data files (HubConfig.Files) owner-only, checking
// now and every minute, until ctx ends.
func (h *Hub) Run(ctx context.Context) error {
	t := time.NewTicker(fileCheckEvery)
	defer t.Stop()
	for {
		fixed, err := SecureFiles(h.cfg.Files...)
		if err != nil {
			h.log.Error("check data file modes", "err", err)
		}
		for _, p := range fixed {
			h.log.Warn("data file was readable by others; made it owner-only again", "path", p)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
