package main

import (
	"bytes"
	"compress/bzip2"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/enterprises.tsv.bz2 from testdata/enterprises.tsv")

func bunzip(t *testing.T, b []byte) string {
	t.Helper()
	raw, err := io.ReadAll(bzip2.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatal(err)
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
		"2\tIBM (https://w3.ibm.com/standards )\n" + // 2
		"\tCarnegie Mellon\n" + // 3: a gap of 1 is left empty
		"6\tciscoSystems\n" + // 9
		"2\tHewlett-Packard\n" + // 11
		"67\tLogMatrix Inc\n" + // 78
		"1162\tSilex Technology America, Inc.\n" + // 1240
		"2352\tDrägerwerk AG & Co. KGaA\n" + // 3592
		"5014\tVancouver School District # 37\n" + // 8606
		"624\t#B4mad Research Lab Organization\n" + // 9230
		"16227\tSchweizerische Bibliothek f&#252;r Blinde und Sehbehinderte\n" + // 25457
		"15655\tUbiquiti Networks, Inc.\n" + // 41112
		"4294926183\tLargest Number\n" // 4294967295
	if text := bunzip(t, got); text != want {
		t.Errorf("table:\n%s\nwant:\n%s", text, want)
	}
	if st.Entries != 12 || st.Reserved != 2 || st.Unnamed != 1 || st.Updated != "2024-08-23" {
		t.Errorf("stats %+v", st)
	}
	golden := filepath.Join("testdata", "enterprises.tsv.bz2")
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
	committed, err := os.ReadFile(filepath.Join("..", "..", "enterprises.tsv.bz2"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`last updated (\d{4}-\d{2}-\d{2})`).FindStringSubmatch(bunzip(t, committed))
	if m == nil || m[1] != st.Updated {
		t.Skipf("skipping: %s is the registry of %s, the committed table was made from that of %v; go generate ./snmp/... to update it", DefaultInput, st.Updated, m)
	}
	if !bytes.Equal(got, committed) {
		t.Errorf("regenerating from %s gives %d bytes that differ from the committed snmp/enterprises.tsv.bz2 (%d bytes); run go generate ./snmp/...", DefaultInput, len(got), len(committed))
	}
}
