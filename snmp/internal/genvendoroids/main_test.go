package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReproducible regenerates vendor_oids.tsv from the corpus and holds
// it to the committed file, byte for byte.
func TestReproducible(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "..", "shared", "corpus", "snmp", "setC")
	if d := os.Getenv("TEND_CORPUS"); d != "" {
		corpus = filepath.Join(d, "setC")
	}
	if _, err := os.Stat(filepath.Join(corpus, "manifest.jsonl")); err != nil {
		t.Skipf("skipping: corpus not found at %s (set TEND_CORPUS): %v", corpus, err)
	}
	out := filepath.Join(t.TempDir(), "vendor_oids.tsv")
	if err := run(corpus, out, false); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "vendor_oids.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("snmp/vendor_oids.tsv is not what the generator writes from the corpus: run make catalog")
	}
}

func TestTokensAndEnterprise(t *testing.T) {
	if got := tokens("CBS350-24P-4X V01"); len(got) != 4 || got[0] != "cbs350" {
		t.Errorf("tokens = %q", got)
	}
	for oid, want := range map[string]int{"1.3.6.1.4.1.9.1.1": 9, ".1.3.6.1.4.1.8072.3.2.10": 8072, "1.3.6.1.2.1.1": 0, "": 0} {
		if got := enterprise(oid); got != want {
			t.Errorf("enterprise(%q) = %d, want %d", oid, got, want)
		}
	}
}
