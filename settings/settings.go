package settings

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Parse parses args into fs after adding --config: a settings
// file for serve and hub, one flag per line as "name = value" (the flag's
// name without dashes; a repeatable flag on several lines; # starts a
// comment line). A flag given on the command line overrides the file (for a
// repeatable flag, all of the file's lines for it). A file naming a secret
// (an SNMP community or v3 user, a site key) must be readable by its owner
// only, or tend refuses to start.
func Parse(fs *flag.FlagSet, args []string) error {
	path := fs.String("config", "", "a settings file, one flag per line as name = value (see README); flags on the command line override it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *path == "" {
		return nil
	}
	onCommandLine := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { onCommandLine[f.Name] = true })
	lines, err := readConfig(*path)
	if err != nil {
		return err
	}
	secret := false
	for _, l := range lines {
		if fs.Lookup(l.name) == nil || l.name == "config" {
			return fmt.Errorf("%s:%d: unknown setting %q (settings are %s's flag names)", *path, l.line, l.name, fs.Name())
		}
		secret = secret || Secret[l.name]
		if onCommandLine[l.name] {
			continue
		}
		if err := fs.Set(l.name, l.value); err != nil {
			return fmt.Errorf("%s:%d: %s: %w", *path, l.line, l.name, err)
		}
	}
	if secret {
		return OwnerOnly(*path)
	}
	return nil
}

// Secret names the settings whose values are secrets: a file setting
// any of them must be owner-only.
var Secret = map[string]bool{"community": true, "snmp-v3": true, "site-key": true}

type configLine struct {
	line        int
	name, value string
}

func readConfig(path string) ([]configLine, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	return parseLines(f, path)
}

// parseLines reads a settings file's "name = value" lines; path names it
// in errors.
func parseLines(r io.Reader, path string) ([]configLine, error) {
	var out []configLine
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, value, ok := strings.Cut(text, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: want name = value", path, n)
		}
		out = append(out, configLine{line: n, name: strings.TrimSpace(name), value: unquote(strings.TrimSpace(value))})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return out, nil
}

// unquote drops one pair of surrounding double or single quotes, so a value
// may keep leading or trailing spaces or a '#'.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// OwnerOnly refuses a file holding secrets that others may read.
func OwnerOnly(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%s holds secrets but is mode %04o: make it readable by its owner only (chmod 600 %s)", path, perm, path)
	}
	return nil
}

// readSecretLines reads a credential file (--community-file,
// --snmp-v3-file): one value per line, blank lines and # comments skipped.
// The file must be readable by its owner only.
func readSecretLines(path string) ([]string, error) {
	if err := OwnerOnly(path); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var out []string
	for l := range strings.Lines(string(b)) {
		l = strings.TrimRight(l, "\r\n")
		if t := strings.TrimSpace(l); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no credentials", path)
	}
	return out, nil
}

// CredentialFile is a --community-file or --snmp-v3-file flag: each line
// of the file is added to the list the matching repeatable flag fills.
type CredentialFile struct {
	Into flag.Value // the repeatable flag each line is given to
}

func (c CredentialFile) String() string { return "" }

func (c CredentialFile) Set(path string) error {
	lines, err := readSecretLines(path)
	if err != nil {
		return err
	}
	for i, l := range lines {
		if err := c.Into.Set(l); err != nil {
			return fmt.Errorf("%s: credential %d: %w", path, i+1, err)
		}
	}
	return nil
}

// SecretValue is a secret given either directly (flag, which shows in ps)
// or in an owner-only file (fileFlag, preferred), not both; the file's
// content is returned as it is. name and fileName are the flags' names, for
// the messages; "" is returned when neither is set.
func SecretValue(value, file, name, fileName string) (string, error) {
	if file == "" {
		return value, nil
	}
	if value != "" {
		return "", fmt.Errorf("use --%s or --%s, not both", name, fileName)
	}
	if err := OwnerOnly(file); err != nil {
		return "", fmt.Errorf("--%s: %w", fileName, err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("--%s: %w", fileName, err)
	}
	return string(b), nil
}
