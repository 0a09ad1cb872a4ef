// Package packfs is a read-only file system kept in one compressed string:
// the shipped binary's copy of the web UIs' templates and static files and
// of the lab's built-in LANs and recordings.
//
// An embed directive stores files as they are, and the three UIs' templates,
// the stylesheet and the script are 93 kB of text that compress to 22 kB
// (the lab's files: 37 kB, 9 kB). So
// `make build` (scripts/template-overlay.sh) swaps each package's embed.go,
// which holds only its go:embed variable, for a generated file whose
// variable is an *FS opened from the same files packed by ./pack; go test
// and go run keep the plain go:embed. Both offer the same calls (ReadFile,
// ReadDir, Open, and so fs.Glob, fs.Sub and template.ParseFS), which
// TestSameAsEmbedded checks on the repository's own files.
//
// The packed form is gzip of, for each file in path order: its name's
// length (uvarint), the name, its length (uvarint), its bytes.
package packfs

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
)

// FS is a read-only file system of packed files. It is safe for
// concurrent use.
type FS struct {
	// packed, for an FS from MustOpen, is unpacked on first use (once).
	packed string
	once   sync.Once

	files map[string]string
	dirs  map[string][]fs.DirEntry // every directory holding a file, "." included
}

// MustOpen is Open for the generated files, whose packed text the build
// just made: a failure there is a broken build, not bad input, and panics.
// It unpacks on first use, not when the package is initialised: every
// command pays for package initialisation and most never read a template
// (replay and scan; 2 ms of each).
func MustOpen(packed string) *FS { return &FS{packed: packed} }

// load unpacks a MustOpen file system the first time it is used.
func (f *FS) load() {
	f.once.Do(func() {
		if f.files != nil {
			return // from Open
		}
		g, err := Open(f.packed)
		if err != nil {
			panic(err)
		}
		f.files, f.dirs, f.packed = g.files, g.dirs, ""
	})
}

// Open unpacks a file system.
func Open(packed string) (*FS, error) {
	zr, err := gzip.NewReader(strings.NewReader(packed))
	if err != nil {
		return nil, fmt.Errorf("packfs: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("packfs: %w", err)
	}
	f := &FS{files: map[string]string{}, dirs: map[string][]fs.DirEntry{}}
	for r := bytes.NewReader(raw); r.Len() > 0; {
		name, err := field(r)
		if err != nil {
			return nil, err
		}
		body, err := field(r)
		if err != nil {
			return nil, err
		}
		if _, dup := f.files[name]; !fs.ValidPath(name) || name == "." || dup {
			return nil, fmt.Errorf("packfs: bad or repeated name %q", name)
		}
		f.files[name] = body
		for child, dir := name, path.Dir(name); ; child, dir = dir, path.Dir(dir) {
			isDir := child != name
			if slices.ContainsFunc(f.dirs[dir], func(e fs.DirEntry) bool { return e.Name() == path.Base(child) }) {
				break
			}
			f.dirs[dir] = append(f.dirs[dir], fs.FileInfoToDirEntry(info{name: path.Base(child), size: int64(len(body)), dir: isDir}))
			if dir == "." {
				break
			}
		}
	}
	for d, es := range f.dirs {
		if _, ok := f.files[d]; ok {
			return nil, fmt.Errorf("packfs: %q is both a file and a directory", d)
		}
		slices.SortFunc(es, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	}
	return f, nil
}

// field reads one length-prefixed string.
func field(r *bytes.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil || n > uint64(r.Len()) {
		return "", errors.New("packfs: truncated")
	}
	b := make([]byte, n)
	_, _ = io.ReadFull(r, b)
	return string(b), nil
}

// ReadFile returns a copy of a file's bytes.
func (f *FS) ReadFile(name string) ([]byte, error) {
	f.load()
	body, ok := f.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return []byte(body), nil
}

// ReadDir lists a directory, sorted by name.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	f.load()
	es, ok := f.dirs[name]
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	return slices.Clone(es), nil
}

// Open opens a file or a directory.
func (f *FS) Open(name string) (fs.File, error) {
	f.load()
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if body, ok := f.files[name]; ok {
		return &file{Reader: strings.NewReader(body), info: info{name: path.Base(name), size: int64(len(body))}}, nil
	}
	if es, ok := f.dirs[name]; ok {
		return &dir{info: info{name: path.Base(name), dir: true}, entries: es}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// info describes a packed file or directory: read-only, no time.
type info struct {
	name string
	size int64
	dir  bool
}

func (i info) Name() string { return i.name }
func (i info) Size() int64 {
	if i.dir {
		return 0
	}
	return i.size
}
func (i info) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return i.dir }
func (i info) Sys() any           { return nil }

type file struct {
	*strings.Reader
	info info
}

func (f *file) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *file) Close() error               { return nil }

type dir struct {
	info    info
	entries []fs.DirEntry
	off     int
}

func (d *dir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *dir) Close() error               { return nil }
func (d *dir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.name, Err: errors.New("is a directory")}
}

// ReadDir follows fs.ReadDirFile: n <= 0 reads the rest, else at most n
// entries and io.EOF at the end.
func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return slices.Clone(rest), nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.off += n
	return slices.Clone(rest[:n]), nil
}
