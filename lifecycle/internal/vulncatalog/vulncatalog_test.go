package vulncatalog

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"testing"
)

const corpusDir = "../../../../shared/corpus/vuln"

// TestGenerateReproducible regenerates the catalog from the corpus and
// checks it matches the committed lifecycle/vulns.chunked, another run's
// output, byte for byte. (One run, not two: deflating every family is
// seconds under the race detector.)
func TestGenerateReproducible(t *testing.T) {
	if _, err := os.Stat(corpusDir); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("vuln corpus %s not present; skipping", corpusDir)
	}
	a, st, err := Generate(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("../../vulns.chunked")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, committed) {
		t.Errorf("lifecycle/vulns.chunked is not what the generator writes; run make catalog")
	}
	if st.Bytes > 2<<20 {
		t.Errorf("catalog is %d bytes, over the 2 MB budget", st.Bytes)
	}
	if st.KEV == 0 || st.CVEs < 3000 || st.Families < 40 {
		t.Errorf("stats %+v", st)
	}
}

func TestSplitCPE(t *testing.T) {
	got := splitCPE(`cpe:2.3:o:cisco:ios:15.2\(4\)e:*:*:*:*:*:*:*`)
	if len(got) != 13 || got[5] != "15.2(4)e" {
		t.Errorf("%q", got)
	}
	if u := unescape(`5.0\(3\)u1\(2\)`); u != "5.0(3)u1(2)" {
		t.Errorf("unescape: %q", u)
	}
}
