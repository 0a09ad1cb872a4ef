package storage

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// statFiles keeps host rollups out of buntdb, whose every key stays in
// memory: append-only files per UTC day (DAY/BB.jsonl, one HostStat per
// line), read on demand, dropped a whole day at a time. A host's records go
// to one of 64 bucket files by its MAC's last byte: a rollup appends to at
// most 64 files (not one per host: fewer blocks rewritten on flash), and a
// host's day is read from one file of about 1/64 of the day's records.
type statFiles interface {
	appendTo(day, name string, b []byte) error
	each(day, name string, fn func(line []byte)) error // nothing when absent
	days() ([]string, error)                           // sorted
	drop(day string) (files int, err error)
	names(day string) ([]string, error) // the day's files, the hourly marker left out
	replace(day, name string, b []byte) error
}

// hourlyMarker marks a day whose records were summed per host per hour.
const hourlyMarker = "hourly"

const statDayLayout = "2006-01-02"

func statDay(t time.Time) string { return t.UTC().Format(statDayLayout) }

// dirStats is statFiles in a directory beside the database (0700, files 0600).
type dirStats struct{ dir string }

func (d dirStats) appendTo(day, name string, b []byte) error {
	dd := filepath.Join(d.dir, day)
	if err := os.MkdirAll(dd, 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(dd, name), os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	// A line torn by power loss is ended first, so it costs only itself.
	var last [1]byte
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		if _, err := f.ReadAt(last[:], fi.Size()-1); err == nil && last[0] != '\n' {
			b = append([]byte{'\n'}, b...)
		}
	}
	_, err = f.Write(b)
	return errors.Join(err, f.Close())
}

// each streams the file's lines, so a day of records is never in memory
// at once.
func (d dirStats) each(day, name string, fn func(line []byte)) error {
	f, err := os.Open(filepath.Join(d.dir, day, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 16<<10), 1<<20)
	for sc.Scan() {
		fn(sc.Bytes())
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s/%s: %w", day, name, err)
	}
	return nil
}

func (d dirStats) days() ([]string, error) {
	es, err := os.ReadDir(d.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range es {
		if _, err := time.Parse(statDayLayout, e.Name()); err == nil && e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out, nil // ReadDir sorts by name, which is date order
}

func (d dirStats) drop(day string) (int, error) {
	es, _ := os.ReadDir(filepath.Join(d.dir, day))
	return len(es), os.RemoveAll(filepath.Join(d.dir, day))
}

func (d dirStats) names(day string) ([]string, error) {
	es, err := os.ReadDir(filepath.Join(d.dir, day))
	var out []string
	for _, e := range es {
		if e.Name() != hourlyMarker && !strings.HasSuffix(e.Name(), ".tmp") {
			out = append(out, e.Name())
		}
	}
	return out, err
}

// replace writes b as the file's whole content, atomically (a temporary
// file renamed over it), so a crash leaves the old records or the new.
func (d dirStats) replace(day, name string, b []byte) error {
	dd := filepath.Join(d.dir, day)
	if err := os.MkdirAll(dd, 0o700); err != nil {
		return err
	}
	tmp := filepath.Join(dd, name+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dd, name))
}

// memStats is statFiles for the in-memory store (scan, replay, tests).
type memStats struct {
	mu sync.Mutex
	m  map[string]map[string][]byte // day → name → lines
}

// day returns day's files, made on first use; m.mu is held.
func (m *memStats) day(day string) map[string][]byte {
	if m.m == nil {
		m.m = map[string]map[string][]byte{}
	}
	if m.m[day] == nil {
		m.m[day] = map[string][]byte{}
	}
	return m.m[day]
}

func (m *memStats) appendTo(day, name string, b []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	files := m.day(day)
	files[name] = append(files[name], b...)
	return nil
}

func (m *memStats) each(day, name string, fn func(line []byte)) error {
	m.mu.Lock()
	b := bytes.Clone(m.m[day][name])
	m.mu.Unlock()
	for line := range bytes.Lines(b) {
		fn(bytes.TrimSuffix(line, []byte{'\n'}))
	}
	return nil
}

func (m *memStats) days() ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.m))
	for d := range m.m {
		out = append(out, d)
	}
	slices.Sort(out)
	return out, nil
}

func (m *memStats) drop(day string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.m[day])
	delete(m.m, day)
	return n, nil
}

func (m *memStats) names(day string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for n := range m.m[day] {
		if n != hourlyMarker {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (m *memStats) replace(day, name string, b []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.day(day)[name] = bytes.Clone(b)
	return nil
}

// statFileName is the bucket file of a host within a day, from its MAC in
// canonical form ("00:1b:54:aa:bb:cc"): the last byte's low 6 bits, so
// bucket 3c for ...:bb:fc.
func statFileName(mac string) string {
	var last uint64
	if i := strings.LastIndexByte(mac, ':'); i >= 0 {
		last, _ = strconv.ParseUint(mac[i+1:], 16, 8)
	}
	return fmt.Sprintf("%02x.jsonl", last&0x3f)
}

func newStatFiles(path string) statFiles {
	if path == ":memory:" {
		return &memStats{}
	}
	return dirStats{dir: path + ".hoststats"}
}

func statErr(op string, err error) error { return fmt.Errorf("storage: %s host stats: %w", op, err) }
