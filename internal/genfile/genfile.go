// Package genfile holds the steps tend's table generators share (the
// end-of-life and vulnerability catalogs, the MAC registry, the SNMP
// enterprise table): reproducible gzip and an atomic write. Generators run
// at go generate time; nothing in the binary imports this package.
package genfile

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
)

// Gzip compresses raw at the best level with a zero header (no name, no
// modification time), so the output depends on nothing but raw (and the
// Go release's compress/flate).
func Gzip(raw []byte) ([]byte, error) {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, fmt.Errorf("start gzip: %w", err)
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("finish gzip: %w", err)
	}
	return out.Bytes(), nil
}

// WriteAtomic replaces path with data (mode 0644: the tables are embedded
// in the source tree) through a temporary file in the same directory, so
// an interrupted run never leaves a truncated table behind.
func WriteAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
