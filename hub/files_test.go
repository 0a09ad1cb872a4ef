package hub

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tend/storage"
)

// TestFileModesAfterCompaction: under a 022 umask buntdb's compaction
// recreated the database (site keys, password hashes) as 0644. Under the
// hub's 077 umask it stays 0600, and SecureFiles (which Run calls every
// minute) puts a loosened file back to 0600.
func TestFileModesAfterCompaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tend.db")
	st, err := storage.Open(path, storage.Config{Now: func() time.Time { return t0 }, SyncEveryCommit: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	data := NewHubStore(st, func() time.Time { return t0 }, 0)
	if _, err := data.AddSite("acme"); err != nil {
		t.Fatal(err)
	}
	mode := func() os.FileMode {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	if err := st.Compact(); err != nil {
		t.Fatal(err)
	}
	if mode() == 0o600 {
		t.Log("buntdb kept the mode under umask 022 (the attack no longer reproduces here)")
	}
	if fixed, err := SecureFiles(path, filepath.Join(t.TempDir(), "absent")); err != nil || mode() != 0o600 {
		t.Errorf("after SecureFiles: %v, %v, mode %o", fixed, err, mode())
	}
	syscall.Umask(0o077)
	if err := st.Compact(); err != nil {
		t.Fatal(err)
	}
	if mode() != 0o600 {
		t.Errorf("compaction under umask 077 left mode %o", mode())
	}
}
