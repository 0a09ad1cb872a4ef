package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReproducible regenerates recog_sysdescr.tsv.gz from the corpus's
// Recog copy and holds it to the committed file, byte for byte.
func TestReproducible(t *testing.T) {
	in := filepath.Join("..", "..", "..", "..", "shared", "corpus", "recog", "snmp_sysdescr.xml")
	if d := os.Getenv("TEND_CORPUS"); d != "" {
		in = filepath.Join(d, "..", "recog", "snmp_sysdescr.xml")
	}
	if _, err := os.Stat(in); err != nil {
		t.Skipf("skipping: Recog not found at %s (set TEND_CORPUS): %v", in, err)
	}
	out := filepath.Join(t.TempDir(), "recog_sysdescr.tsv.gz")
	st, _, err := run(in, out)
	if err != nil {
		t.Fatal(err)
	}
	if st.kept < 300 || st.kept > st.total {
		t.Errorf("kept %d of %d fingerprints", st.kept, st.total)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "recog_sysdescr.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("snmp/recog_sysdescr.tsv.gz is not what the generator writes from Recog: run make catalog")
	}
}

// TestConvert covers what is kept and what is dropped, and why.
func TestConvert(t *testing.T) {
	const xml = `<fingerprints>
  <fingerprint pattern="^Acme (\S+) Switch, Version (\S+) SN:(\w+)$">
    <example hw.product="Acme X9" os.version="1.2">Acme X9 Switch, Version 1.2 SN:AB12</example>
    <param pos="0" name="hw.vendor" value="Acme"/>
    <param pos="0" name="hw.model_prefix" value="Acme"/>
    <param pos="1" name="hw.model"/>
    <param pos="0" name="hw.product" value="{hw.model_prefix} {hw.model}"/>
    <param pos="2" name="os.version"/>
    <param pos="3" name="hw.serial_number"/>
  </fingerprint>
  <fingerprint pattern="^Foo (?=bar)(\S+)$">
    <param pos="1" name="os.version"/>
  </fingerprint>
  <fingerprint pattern="^Linux (\S+) (\S+)">
    <example os.version="5.4">Linux box 5.4</example>
    <param pos="0" name="os.family" value="Linux"/>
    <param pos="2" name="os.version"/>
  </fingerprint>
  <fingerprint pattern="^Bar v(\S+)$">
    <example os.version="2.0">Bar v3.0</example>
    <param pos="1" name="os.version"/>
  </fingerprint>
  <fingerprint pattern="^Baz (\S+)$">
    <example os.version="4.1">Baz 4.1</example>
    <param pos="0" name="os.vendor" value="Baz"/>
    <param pos="1" name="os.version"/>
  </fingerprint>
</fingerprints>`
	rows, st, err := convert([]byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"^Acme (\\S+) Switch, Version (\\S+) SN:(\\w+)$\tAcme ${1}\t${2}\t${3}",
		"^Baz (\\S+)$\t\t${1}\t",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if st != (stats{total: 5, kept: 2, notRE2: 1, unused: 1, badExample: 1}) {
		t.Errorf("stats = %+v", st)
	}
}
