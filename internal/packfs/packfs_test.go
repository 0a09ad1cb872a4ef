package packfs

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
)

// packed packs patterns of dir and gzips them, as ./pack does.
func packed(t *testing.T, fsys fs.FS, patterns ...string) string {
	t.Helper()
	raw, err := Pack(fsys, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(raw)
	zw.Close()
	return b.String()
}

// TestSameAsEmbedded packs the three UIs' and the lab's files as `make build` does and
// checks the result file by file against the folders go:embed reads, and
// against testing/fstest's conformance checks (Open, ReadDir, Glob, Stat,
// reads in pieces).
func TestSameAsEmbedded(t *testing.T) {
	for _, c := range []struct {
		dir      string
		patterns []string
	}{
		{"webkit", []string{"templates/*.html", "static/*"}},
		{"webui", []string{"templates/*.html"}},
		{"hub", []string{"web/templates/*.html"}},
		{"lab", []string{"lans/*.lan", "recordings/*.snmprec"}},
	} {
		t.Run(c.dir, func(t *testing.T) {
			src := os.DirFS(filepath.Join("..", "..", c.dir))
			f, err := Open(packed(t, src, c.patterns...))
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, p := range c.patterns {
				m, _ := fs.Glob(src, p)
				want = append(want, m...)
			}
			if len(want) == 0 {
				t.Fatal("no files")
			}
			for _, name := range want {
				a, _ := fs.ReadFile(src, name)
				b, err := f.ReadFile(name)
				if err != nil || !bytes.Equal(a, b) {
					t.Errorf("%s: %d bytes packed (%v), %d on disk", name, len(b), err, len(a))
				}
			}
			for _, p := range c.patterns {
				a, _ := fs.Glob(src, p)
				b, err := fs.Glob(f, p)
				if err != nil || !slices.Equal(a, b) {
					t.Errorf("glob %s: %v (%v), want %v", p, b, err, a)
				}
			}
			if err := fstest.TestFS(f, want...); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestOpenRefuses: damaged or odd packed text is an error, never a panic.
func TestOpenRefuses(t *testing.T) {
	good := packed(t, fstest.MapFS{"a/b.txt": {Data: []byte("x")}}, "a/*")
	if _, err := Open(good); err != nil {
		t.Fatal(err)
	}
	gz := func(raw []byte) string {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(raw)
		zw.Close()
		return b.String()
	}
	for name, in := range map[string]string{
		"not gzip":        "hello",
		"cut short":       good[:len(good)-6],
		"truncated field": gz([]byte{5, 'a'}),
		"bad name":        gz([]byte{3, '.', '.', '/', 0}),
		"repeated":        gz([]byte{1, 'a', 0, 1, 'a', 0}),
		"file and dir":    gz([]byte{1, 'a', 0, 3, 'a', '/', 'b', 0}),
	} {
		if _, err := Open(in); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
}

func FuzzOpen(f *testing.F) {
	f.Add([]byte{1, 'a', 1, 'x'})
	f.Fuzz(func(t *testing.T, raw []byte) {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(raw)
		zw.Close()
		if fsys, err := Open(b.String()); err == nil {
			fs.WalkDir(fsys, ".", func(string, fs.DirEntry, error) error { return nil })
		}
	})
}

// TestMustOpenLazy: MustOpen unpacks nothing until the first call, which
// then sees the files; a broken pack panics there, not before.
func TestMustOpenLazy(t *testing.T) {
	src := os.DirFS(filepath.Join("..", "..", "webui"))
	f := MustOpen(packed(t, src, "templates/*.html"))
	if f.files != nil {
		t.Fatal("MustOpen unpacked at once")
	}
	want, err := fs.ReadFile(src, "templates/nav.html")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := fs.ReadFile(f, "templates/nav.html"); err != nil || !bytes.Equal(got, want) {
		t.Errorf("ReadFile = %d bytes, %v; want %d bytes", len(got), err, len(want))
	}
	bad := MustOpen("not gzip")
	defer func() {
		if recover() == nil {
			t.Error("a broken pack did not panic at first use")
		}
	}()
	_, _ = bad.ReadDir(".")
}
