// Command hygienegen generates traffic/hygiene.json.gz, the embedded table of
// host-name patterns of endpoint-protection, update, backup and
// remote-access services, from the reference corpus's hygiene/domains.json.
//
// The output keeps only what matching and the evidence need, sorted, in a
// gzip stream without name or time, so the same input gives the same bytes.
//
//	go run ./internal/hygienegen -in ../../shared/corpus/hygiene/domains.json -out hygiene.json.gz
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"tend/internal/genfile"
)

// entry is one product (or one function of one) in the corpus file.
type entry struct {
	Category      string   `json:"category"`
	Product       string   `json:"product"`
	Vendor        string   `json:"vendor"`
	Patterns      []string `json:"patterns"`
	Purpose       string   `json:"purpose"`
	Source        string   `json:"source"`
	Ambiguous     bool     `json:"ambiguous"`
	Specificity   string   `json:"specificity"`
	Confidence    string   `json:"confidence"`
	SyncNotBackup bool     `json:"sync_not_backup,omitempty"`
	Transport     string   `json:"transport,omitempty"`
	Checked       string   `json:"checked,omitempty"`
}

// table is the generated file: the newest "checked" date is its date.
type table struct {
	Date    string  `json:"date"`
	Source  string  `json:"source"`
	Entries []entry `json:"entries"`
}

var categories = map[string]bool{"endpoint_protection": true, "os_update": true, "backup": true, "remote_access": true}

func main() {
	in := flag.String("in", "", "the corpus's hygiene/domains.json")
	out := flag.String("out", "hygiene.json.gz", "the table to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "hygienegen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	if in == "" {
		return errors.New("-in is required")
	}
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	b, err := generate(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return genfile.WriteAtomic(out, b)
}

// generate checks and compacts the corpus file into the gzip'd table.
func generate(raw []byte) ([]byte, error) {
	var es []entry
	if err := json.Unmarshal(raw, &es); err != nil {
		return nil, err
	}
	t := table{Source: "shared/corpus/hygiene/domains.json (each entry names its own source)"}
	for i, e := range es {
		if !categories[e.Category] {
			return nil, fmt.Errorf("entry %d (%s): unknown category %q", i, e.Product, e.Category)
		}
		if e.Product == "" || len(e.Patterns) == 0 {
			return nil, fmt.Errorf("entry %d: no product or no patterns", i)
		}
		for j, p := range e.Patterns {
			p = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(p)), ".")
			if err := checkPattern(p); err != nil {
				return nil, fmt.Errorf("entry %d (%s): pattern %q: %w", i, e.Product, p, err)
			}
			e.Patterns[j] = p
		}
		slices.Sort(e.Patterns)
		e.Patterns = slices.Compact(e.Patterns)
		if e.Checked > t.Date {
			t.Date = e.Checked
		}
		t.Entries = append(t.Entries, e)
	}
	slices.SortStableFunc(t.Entries, func(a, b entry) int {
		return strings.Compare(a.Category+"\x00"+a.Product+"\x00"+a.Purpose, b.Category+"\x00"+b.Product+"\x00"+b.Purpose)
	})
	js, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	return genfile.Gzip(js) // no name, no mtime: reproducible
}

// checkPattern enforces the corpus README's syntax: labels of [a-z0-9-_*],
// and no wildcard in the last two labels (the index key).
func checkPattern(p string) error {
	labels := strings.Split(p, ".")
	if len(labels) < 2 {
		return errors.New("fewer than two labels")
	}
	for i, l := range labels {
		if l == "" {
			return errors.New("empty label")
		}
		for _, c := range l {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '*') {
				return fmt.Errorf("character %q", c)
			}
		}
		if i >= len(labels)-2 && strings.Contains(l, "*") {
			return errors.New("wildcard in the registrable domain")
		}
	}
	return nil
}
