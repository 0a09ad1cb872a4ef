// Package genfile holds the steps tend's table generators share (the
// end-of-life and vulnerability catalogs, the MAC registry, the SNMP
// enterprise and sysDescr tables, the hygiene table): reproducible gzip
// and bzip2, and an atomic write. Generators run
// at go generate time; nothing in the binary imports this package.
package genfile

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
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

// Bzip2 compresses raw with bzip2 -9 (the bzip2 command, 1.0.8 in Debian
// since 2019: the format's reference implementation, deterministic, no
// header fields). Go's standard library reads bzip2 but does not write
// it; the tables whose repeats lie further apart than deflate's 32 KiB
// window (the vulnerability catalog's version lists, the enterprise
// registry) come out 30-50 % smaller than gzip's best, which the binary's
// size budget needs.
func Bzip2(raw []byte) ([]byte, error) {
	cmd := exec.Command("bzip2", "-9", "-c")
	cmd.Stdin = bytes.NewReader(raw)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("bzip2 (apt install bzip2): %v %s", err, bytes.TrimSpace(errb.Bytes()))
	}
	return out.Bytes(), nil
}
