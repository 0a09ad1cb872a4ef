package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tend db check finds a damaged file; repair moves it aside and keeps the
// valid prefix; check then finds it sound. Two users are enough: the cut
// damages the second's record, the first's is the prefix kept (each user
// add is a full-cost bcrypt, seconds under -race).
func TestDBCheckRepair(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	for _, name := range []string{"tech1", "tech2"} {
		if err := run(t.Context(), []string{"user", "add", "--data", dir, "--name", name, "--password-stdin"}, strings.NewReader("correct horse battery\n"), &out, &errb); err != nil {
			t.Fatalf("user add: %v: %s", err, errb.String())
		}
	}
	path := filepath.Join(dir, "tend.db")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b[:len(b)-5], 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(t.Context(), []string{"db", "check", "--data", dir}, strings.NewReader(""), &out, &errb); err == nil || !strings.Contains(out.String(), "DAMAGED") {
		t.Fatalf("check of a truncated file: %v: %s", err, out.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"db", "repair", "--data", dir}, strings.NewReader(""), &out, &errb); err != nil || !strings.Contains(out.String(), "repaired:") {
		t.Fatalf("repair: %v: %s", err, out.String())
	}
	if m, _ := filepath.Glob(path + ".damaged-*"); len(m) != 1 {
		t.Errorf("damaged file not kept: %v", m)
	}
	out.Reset()
	if err := run(t.Context(), []string{"db", "check", "--data", dir}, strings.NewReader(""), &out, &errb); err != nil || !strings.Contains(out.String(), "sound") {
		t.Fatalf("check after repair: %v: %s", err, out.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"user", "list", "--data", dir}, strings.NewReader(""), &out, &errb); err != nil || !strings.Contains(out.String(), "tech1") {
		t.Errorf("users after repair: %v: %s", err, out.String())
	}
}
