package settings

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseLines(t *testing.T) {
	lines, err := parseLines(strings.NewReader("# comment\n\ninterface = eth1\ncommunity = \" spaced # \"\ncidr=10.0.0.0/24\n"), "x.conf")
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 3 || lines[0].name != "interface" || lines[0].value != "eth1" || lines[0].line != 3 ||
		lines[1].value != " spaced # " || lines[2].name != "cidr" {
		t.Errorf("lines %+v", lines)
	}
	if _, err := parseLines(strings.NewReader("ok = 1\nno equals sign\n"), "x.conf"); err == nil || !strings.Contains(err.Error(), "x.conf:2") {
		t.Errorf("a line without '=': %v", err)
	}
}

func TestParseOverridesAndSecrets(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tend.conf")
	if err := os.WriteFile(path, []byte("listen = :8443\ncommunity = s3cret\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	newFS := func() (*flag.FlagSet, *string) {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		listen := fs.String("listen", ":443", "")
		fs.String("community", "", "")
		return fs, listen
	}
	fs, _ := newFS()
	if err := Parse(fs, []string{"--config", path}); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a world-readable file with a community: %v", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	fs, listen := newFS()
	if err := Parse(fs, []string{"--config", path, "--listen", ":9000"}); err != nil || *listen != ":9000" {
		t.Errorf("the command line did not override the file: %q %v", *listen, err)
	}
	if err := os.WriteFile(path, []byte("nonsense = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fs, _ = newFS()
	if err := Parse(fs, []string{"--config", path}); err == nil || !strings.Contains(err.Error(), "unknown setting") {
		t.Errorf("an unknown setting: %v", err)
	}
}

// FuzzParseLines: any bytes give lines or an error, never a panic, and every
// line has a name without surrounding space.
func FuzzParseLines(f *testing.F) {
	f.Add("interface = eth1\n# c\ncommunity = 'x'\n")
	f.Add("=\n\"\n' = '\n")
	f.Fuzz(func(t *testing.T, in string) {
		lines, err := parseLines(strings.NewReader(in), "f")
		if err != nil {
			return
		}
		for _, l := range lines {
			if l.name != strings.TrimSpace(l.name) || l.line < 1 {
				t.Fatalf("line %+v", l)
			}
		}
	})
}

func TestSecretValue(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "key")
	if err := os.WriteFile(file, []byte("k3y\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := SecretValue("", file, "site-key", "site-key-file"); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a world-readable key file: %v", err)
	}
	os.Chmod(file, 0o600)
	if v, err := SecretValue("", file, "site-key", "site-key-file"); err != nil || v != "k3y\n" {
		t.Errorf("from the file: %q %v", v, err)
	}
	if _, err := SecretValue("x", file, "site-key", "site-key-file"); err == nil {
		t.Error("both a value and a file accepted")
	}
	if v, err := SecretValue("direct", "", "site-key", "site-key-file"); err != nil || v != "direct" {
		t.Errorf("direct: %q %v", v, err)
	}
}
