package storage

import (
	"fmt"
	"os"

	"github.com/tidwall/buntdb"
)

// Writes that must not be lost. The database syncs once a second (see
// open): a power cut may lose the last second of sightings, which the
// sensors re-learn. A created user, a revoked token, an acknowledged action
// or a queued alert cannot be re-learned, so those commits are fsynced
// before the call returns: updateSynced.

// updateSynced is update followed by an fsync of the database file, so the
// change is on the disk when the caller acknowledges it. buntdb keeps no
// user-space buffer after a commit (it writes the transaction to the file
// before Update returns), and fsync flushes every dirty page of the file
// whichever descriptor wrote it; opening the path anew also follows a
// compaction that replaced the file.
func (s *Store) updateSynced(fn func(tx *buntdb.Tx) (writes int, err error)) error {
	if err := s.update(fn); err != nil {
		return err
	}
	return s.syncFile()
}

// syncFile fsyncs the database file; nothing to do in memory.
func (s *Store) syncFile() error {
	if s.path == "" || s.path == ":memory:" {
		return nil
	}
	f, err := os.Open(s.path)
	if err != nil {
		return fmt.Errorf("storage: sync %s: %w", s.path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("storage: sync %s: %w", s.path, err)
	}
	return nil
}
