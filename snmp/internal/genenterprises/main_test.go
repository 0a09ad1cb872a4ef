package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/enterprises.tsv.gz from testdata/enterprises.tsv")

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() || zr.Comment != "" {
		t.Errorf("gzip header carries name %q, mtime %v, comment %q; want none", zr.Name, zr.ModTime, zr.Comment)
	}
	return string(raw)
}

// The fixture holds the shapes the real registry has: comments after a
// tab, '#' inside names, trailing blanks, Reserved, a missing name, a
// space instead of a tab, UTF-8, numbers out of order.
func TestGenerateFixture(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "enterprises.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	got, st, err := generate(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := generate(bytes.NewReader(in))
	if err != nil || !bytes.Equal(got, again) {
		t.Fatalf("two runs differ (err %v)", err)
	}
	want := "# IANA Private Enterprise Numbers, https://www.iana.org/assignments/enterprise-numbers (last updated 2024-08-23), via Wireshark's enterprises.tsv; written by snmp/internal/genenterprises.\n" +
		"2\tIBM (https://w3.ibm.com/standards )\n" +
		"9\tciscoSystems\n" +
		"11\tHewlett-Packard\n" +
		"78\tLogMatrix Inc\n" +
		"1240\tSilex Technology America, Inc.\n" +
		"3592\tDrägerwerk AG & Co. KGaA\n" +
		"8606\tVancouver School District # 37\n" +
		"9230\t#B4mad Research Lab Organization\n" +
		"25457\tSchweizerische Bibliothek f&#252;r Blinde und Sehbehinderte\n" +
		"41112\tUbiquiti Networks, Inc.\n" +
		"4294967295\tLargest Number\n"
	if text := gunzip(t, got); text != want {
		t.Errorf("table:\n%s\nwant:\n%s", text, want)
	}
	if st.Entries != 11 || st.Reserved != 2 || st.Unnamed != 1 || st.Updated != "2024-08-23" {
		t.Errorf("stats %+v", st)
	}
	golden := filepath.Join("testdata", "enterprises.tsv.gz")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantGz, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, wantGz) {
		t.Errorf("output differs from %s byte for byte (%d vs %d bytes); go test -update rewrites it", golden, len(got), len(wantGz))
	}
}

func TestGenerateRejects(t *testing.T) {
	for _, in := range []string{
		"",                            // no entries
		"# only a comment\n",          // no entries
		"9\tCisco\n9\tciscoSystems\n", // listed twice
		"9x\tCisco\n",                 // not a number
		"4294967296\tToo Big\n",       // beyond 32 bits
		"\tNo Number\n",               // no number
		"9\tbad \xff UTF-8\n",
	} {
		if _, _, err := generate(strings.NewReader(in)); err == nil {
			t.Errorf("generate(%q) succeeded", in)
		}
	}
}

// The committed table is what the go:generate line makes from Debian's
// libwireshark-data, byte for byte.
func TestCommittedTableReproducible(t *testing.T) {
	f, err := os.Open(DefaultInput)
	if err != nil {
		t.Skipf("skipping: %v (apt-get install libwireshark-data to check the committed table)", err)
	}
	defer f.Close()
	got, st, err := generate(f)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", "..", "enterprises.tsv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`last updated (\d{4}-\d{2}-\d{2})`).FindStringSubmatch(gunzip(t, committed))
	if m == nil || m[1] != st.Updated {
		t.Skipf("skipping: %s is the registry of %s, the committed table was made from that of %v; go generate ./snmp/... to update it", DefaultInput, st.Updated, m)
	}
	if !bytes.Equal(got, committed) {
		t.Errorf("regenerating from %s gives %d bytes that differ from the committed snmp/enterprises.tsv.gz (%d bytes); run go generate ./snmp/...", DefaultInput, len(got), len(committed))
	}
}
