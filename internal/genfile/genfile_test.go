package genfile

import (
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestGzipReproducibleAndWriteAtomic: the same input gives the same bytes,
// which decompress to the input; WriteAtomic leaves exactly the file, 0644.
func TestGzipReproducibleAndWriteAtomic(t *testing.T) {
	raw := bytes.Repeat([]byte("00:00:0c\tCisco Systems, Inc\n"), 100)
	a, err := Gzip(raw)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Gzip(raw)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs differ")
	}
	zr, err := gzip.NewReader(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, raw) || !zr.ModTime.IsZero() || zr.Name != "" {
		t.Fatalf("round trip: %d bytes, header %+v", len(got), zr.Header)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "t.gz")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteAtomic(path, a); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	fi, _ := os.Stat(path)
	entries, _ := os.ReadDir(dir)
	if err != nil || !bytes.Equal(got, a) || fi.Mode().Perm() != 0o644 || len(entries) != 1 {
		t.Errorf("after WriteAtomic: %v, %d bytes, mode %v, %d entries", err, len(got), fi.Mode().Perm(), len(entries))
	}
	if err := WriteAtomic(filepath.Join(dir, "missing", "t.gz"), a); err == nil {
		t.Error("a write into a missing directory succeeded")
	}
}

// TestBzip2Reproducible: the same input gives the same bytes, which the
// standard library's reader decompresses to the input.
func TestBzip2Reproducible(t *testing.T) {
	raw := bytes.Repeat([]byte("15.2(4)E10\t15.2(7)E3\n"), 5000)
	a, err := Bzip2(raw)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Bzip2(raw)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs differ")
	}
	if got, err := io.ReadAll(bzip2.NewReader(bytes.NewReader(a))); err != nil || !bytes.Equal(got, raw) {
		t.Fatalf("round trip: %d bytes, %v", len(got), err)
	}
}
