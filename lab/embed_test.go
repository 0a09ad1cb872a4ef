package lab

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuiltinRecordings: every recording of the folder is served, byte for
// byte, as "builtin/<name>" (also through `make build`'s packed copy of
// embed.go: go test -overlay), and a name the folder lacks is an error.
func TestBuiltinRecordings(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("recordings", "*.snmprec"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no recordings: %v", err)
	}
	for _, p := range paths {
		want, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(p), ".snmprec")
		src, err := findRecording("", "builtin/"+name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := src["public"]()
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes (%v), %d on disk", name, len(got), err, len(want))
		}
	}
	if _, err := findRecording("", "builtin/absent"); err == nil {
		t.Error("builtin/absent: no error")
	}
}
