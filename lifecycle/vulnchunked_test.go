package lifecycle

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"tend/lifecycle/internal/vulnfile"
)

// chunkedFile reassembles a chunked catalog's File: its header and the
// records of every chunk, one record per CVE with the matches of all its
// families, in order of CVE id.
func chunkedFile(b []byte) (vulnfile.File, error) {
	var f vulnfile.File
	c, err := decodeChunked(b, false)
	if err != nil {
		return f, err
	}
	hb, _, err := chunkedHeader(b)
	if err != nil {
		return f, err
	}
	var h vulnfile.Header
	if err := json.Unmarshal(hb, &h); err != nil {
		return f, err
	}
	f, f.CVEs = h.File, nil
	byID := map[string]*vulnfile.CVE{}
	for _, fam := range f.Families {
		dec := json.NewDecoder(flate.NewReader(bytes.NewReader(c.chunks[fam.Key].z)))
		for {
			var r vulnfile.CVE
			if err := dec.Decode(&r); err == io.EOF {
				break
			} else if err != nil {
				return f, err
			}
			if prev := byID[r.ID]; prev != nil {
				prev.Matches = append(prev.Matches, r.Matches...)
				continue
			}
			byID[r.ID] = &r
		}
	}
	for _, id := range slices.Sorted(mapKeysOf(byID)) {
		f.CVEs = append(f.CVEs, *byID[id])
	}
	return f, nil
}

func mapKeysOf[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestEmbeddedVulnChunks checks what OpenVulnCatalog trusts of the
// header: its counts are those of the records (TestVulnCatalogOverItsBytes
// decodes every family's records).
func TestEmbeddedVulnChunks(t *testing.T) {
	emb, err := decodeChunked(vulnTable, false)
	if err != nil {
		t.Fatal(err)
	}
	f, err := embeddedFile()
	if err != nil {
		t.Fatal(err)
	}
	want := VulnStats{CVEs: len(f.CVEs), Families: len(f.Families)}
	for _, r := range f.CVEs {
		want.Matches += len(r.Matches)
		if r.KEV != nil {
			want.KEV++
			if len(r.Matches) == 0 {
				want.KEVOnly++
			}
		}
	}
	if got := emb.Stats(); got != want {
		t.Errorf("header says %+v, the records %+v", got, want)
	}
}

// TestEmbeddedVulnsSliced checks that opening the embedded catalog keeps
// its chunks where the binary holds them: no inflating and deflating again.
func TestEmbeddedVulnsSliced(t *testing.T) {
	c := openVulns(t)
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(vulnTable)))
	hi := lo + uintptr(len(vulnTable))
	for key, ch := range c.chunks {
		if p := uintptr(unsafe.Pointer(unsafe.SliceData(ch.z))); len(ch.z) > 0 && (p < lo || p >= hi) {
			t.Fatalf("%s: chunk copied, not sliced from the embedded catalog", key)
		}
	}
}

// TestChunkedOverride checks a chunked file loads as an override and that
// a damaged one is refused: its records are checked, unlike the embedded
// catalog's.
func TestChunkedOverride(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	c, err := LoadVulnCatalog(write("vulns.json.gz", vulnTable))
	if err != nil {
		t.Fatal(err)
	}
	if emb := openVulns(t); c.Stats() != emb.Stats() || !c.Date().Equal(emb.Date()) {
		t.Errorf("loaded %+v, embedded %+v", c.Stats(), emb.Stats())
	}
	damaged := bytes.Clone(vulnTable)
	damaged[len(damaged)-100] ^= 0xff // inside the last family's chunk
	for name, b := range map[string][]byte{"damaged": damaged, "truncated": vulnTable[:len(vulnTable)-1],
		"header": vulnTable[:20]} {
		if _, err := LoadVulnCatalog(write(name, b)); err == nil {
			t.Errorf("a %s chunked catalog loaded", name)
		}
	}
}

// TestChunkedOverrideCounts checks an override whose header counts differ
// from its records is refused, not shown with the header's figures.
func TestChunkedOverrideCounts(t *testing.T) {
	for _, field := range []string{`"cves":`, `"kev":`, `"matches":`} {
		b := plainChunked(t, vulnTable)
		st := bytes.Index(b, []byte(`"stats":{`))
		i := bytes.Index(b[max(st, 0):], []byte(field)) + st
		if st < 0 || i < st {
			t.Fatalf("no %s in the embedded catalog's header", field)
		}
		d := i + len(field) // the count's first digit: one more or less, same length
		if b[d] == '9' {
			b[d] = '8'
		} else {
			b[d]++
		}
		p := filepath.Join(t.TempDir(), "vulns.chunked")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := LoadVulnCatalog(p)
		if err == nil || !strings.Contains(err.Error(), "the header says") {
			t.Errorf("header %s changed: err %v, want the counts refused", field, err)
		}
	}
}

// plainChunked is a catalog in the chunked form rewritten in
// ChunkedMagicV1's, its header plain JSON.
func plainChunked(t *testing.T, b []byte) []byte {
	t.Helper()
	hb, body, err := chunkedHeader(b)
	if err != nil {
		t.Fatal(err)
	}
	out := binary.BigEndian.AppendUint32([]byte(vulnfile.ChunkedMagicV1), uint32(len(hb)))
	return append(append(out, hb...), body...)
}

// TestChunkedV1 checks a catalog whose header is plain JSON (the chunked
// form before it was deflated) opens as the same catalog.
func TestChunkedV1(t *testing.T) {
	v1, err := decodeVulnCatalog(plainChunked(t, vulnTable))
	if err != nil {
		t.Fatal(err)
	}
	if emb := openVulns(t); v1.Stats() != emb.Stats() || !v1.Date().Equal(emb.Date()) {
		t.Errorf("v1 %+v, embedded %+v", v1.Stats(), emb.Stats())
	}
}
