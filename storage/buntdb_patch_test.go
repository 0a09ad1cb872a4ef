package storage

import (
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/tidwall/buntdb"
)

// TestBuntdbLetsGoOfLargeWriteBuffer checks third_party/buntdb's change: a
// commit that wrote megabytes (a 1,000-device fold) does not leave its write
// buffer behind for the life of the process. Upstream keeps it, so after the
// records are deleted again the heap stays about 4 MB above where it began.
func TestBuntdbLetsGoOfLargeWriteBuffer(t *testing.T) {
	db, err := buntdb.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	heap := func() int64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	before := heap()
	val := strings.Repeat("x", 4<<10)
	const n = 1000 // 4 MB in one commit
	if err := db.Update(func(tx *buntdb.Tx) error {
		for i := range n {
			if _, _, err := tx.Set("k"+strconv.Itoa(i), val, nil); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *buntdb.Tx) error {
		for i := range n {
			if _, err := tx.Delete("k" + strconv.Itoa(i)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if grew := heap() - before; grew > 1<<20 {
		t.Errorf("heap grew %d bytes after writing and deleting 4 MB: the write buffer was kept", grew)
	}
	runtime.KeepAlive(val)
}
