package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"tend/storage"
)

// openHubStore opens the hub's database: commits are fsynced before the hub
// answers a box (which then forgets the summary), and every file the hub
// creates is owner-only (umask 077: buntdb's compaction recreates the
// database with the process umask).
func openHubStore(dir string) (*storage.Store, string, error) {
	syscall.Umask(0o077)
	if dir == "" {
		return nil, "", errors.New("--data is required: the hub's data directory")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", fmt.Errorf("make data dir: %w", err)
	}
	path := filepath.Join(dir, "tend.db")
	st, err := storage.Open(path, storage.Config{SyncEveryCommit: true})
	if errors.Is(err, storage.ErrInUse) {
		return nil, "", fmt.Errorf("%s is in use by a running tend hub: %w", dir, err)
	}
	return st, path, err
}
