package follow

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type table struct{ date time.Time }

func load(path string) (any, error) {
	b, err := ReadFile(path, 16)
	if err != nil {
		return nil, err
	}
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(string(b)))
	if err != nil {
		return nil, errors.New("damaged")
	}
	return &table{date: d}, nil
}

// TestFile: a newer file wins and is re-read when it changes; a damaged,
// oversized or older file is logged and never replaces the table; removing
// the file returns to the built-in table.
func TestFile(t *testing.T) {
	var logs bytes.Buffer
	path := filepath.Join(t.TempDir(), "t")
	builtin := &table{date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	f := New(Config{What: "test table", Path: path, Builtin: builtin, Load: load,
		Date: func(t any) time.Time { return t.(*table).date }, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if f.Get() != builtin {
		t.Fatal("no file: not the built-in table")
	}
	n := 0
	put := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		n++ // a push a second later: another modification time
		mt := time.Now().Add(time.Duration(n) * time.Second)
		if err := os.Chtimes(path, mt, mt); err != nil {
			t.Fatal(err)
		}
	}
	put("2027-01-01")
	first := f.Get().(*table)
	if first.date.Year() != 2027 {
		t.Fatalf("newer file not used: %v", first.date)
	}
	if f.Get() != first {
		t.Error("an unchanged file was read again")
	}
	put("2028-01-01")
	if got := f.Get().(*table); got.date.Year() != 2028 {
		t.Errorf("changed file not re-read: %v", got.date)
	}
	for _, bad := range []string{"garbage", "2029-01-01 and far too long"} {
		put(bad)
		if got := f.Get().(*table); got.date.Year() != 2028 {
			t.Errorf("%q replaced the table in force: %v", bad, got.date)
		}
	}
	if !strings.Contains(logs.String(), "test table file rejected") || !strings.Contains(logs.String(), "larger than 16 bytes") {
		t.Errorf("rejections not logged:\n%s", logs.String())
	}
	put("2020-01-01")
	if f.Get() != builtin || !strings.Contains(logs.String(), "not newer than the built-in one") {
		t.Errorf("an older file replaced the built-in table:\n%s", logs.String())
	}
	put("2030-01-01")
	if f.Get() == builtin {
		t.Fatal("newer file not used")
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if f.Get() != builtin || !strings.Contains(logs.String(), "file removed") {
		t.Errorf("removed file did not return to the built-in table:\n%s", logs.String())
	}
}

func TestNoPath(t *testing.T) {
	builtin := &table{}
	f := New(Config{Builtin: builtin, Load: func(string) (any, error) { panic("read") }})
	if f.Get() != builtin || f.Builtin() != builtin {
		t.Error("no path: not the built-in table")
	}
}
