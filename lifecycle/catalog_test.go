package lifecycle

import (
	"bytes"
	"compress/bzip2"
	"encoding/json"
	"io"
	"testing"

	"tend/lifecycle/internal/catalogfile"
)

// TestCatalogOverItsBytes checks the compact catalog against the file it
// was opened from: every product decodes on demand to its record, the
// cache stays bounded, and every Cisco part finds its bulletin.
func TestCatalogOverItsBytes(t *testing.T) {
	c, err := OpenCatalog()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(bzip2.NewReader(bytes.NewReader(catalogTable)))
	if err != nil {
		t.Fatal(err)
	}
	var f catalogfile.File
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second round is served partly from the cache
		for _, want := range f.Products {
			p := c.product(want.ID)
			if p == nil || p.ID != want.ID || len(p.cycles) != len(want.Cycles) || len(p.Versions) != len(want.Versions) {
				t.Fatalf("product %s: decoded %+v", want.ID, p)
			}
			for i, cy := range p.cycles {
				if cy.Cycle.Cycle != want.Cycles[i].Cycle || cy.eol.String() != milestoneText(want.Cycles[i].EOL) {
					t.Errorf("%s cycle %d: %s eol %s, want %s eol %q", want.ID, i, cy.Cycle.Cycle, cy.eol, want.Cycles[i].Cycle, want.Cycles[i].EOL)
				}
			}
			if c.cache.size() > decodedCacheSize {
				t.Fatalf("cache holds %d products, want at most %d", c.cache.size(), decodedCacheSize)
			}
		}
	}
	if c.product("no-such-product") != nil {
		t.Error("an unknown product decoded")
	}
	for pid, i := range f.Cisco.Parts {
		b, ok := c.cisco.find(pid)
		if !ok || b != f.Cisco.Bulletins[i] {
			t.Fatalf("cisco part %s: %v %v, want bulletin %s", pid, b.ID, ok, f.Cisco.Bulletins[i].ID)
		}
	}
	for _, pid := range []string{"", "A", "ZZZZZZ-NOT-A-PART"} {
		if _, ok := c.cisco.find(pid); ok {
			t.Errorf("cisco part %q found", pid)
		}
	}
	if c.Stats().Products != len(f.Products) || c.Stats().CiscoParts != len(f.Cisco.Parts) {
		t.Errorf("stats %+v", c.Stats())
	}
}

func milestoneText(s string) string {
	m, err := parseMilestone(s)
	if err != nil {
		return "bad"
	}
	return m.String()
}

// TestVulnCatalogOverItsBytes decodes every product of the vulnerability
// catalog from its deflated records: together they hold every match the
// catalog counted when opened, the cache stays bounded, and release
// empties it. It is also the check OpenVulnCatalog leaves to the tests:
// every embedded record decodes.
func TestVulnCatalogOverItsBytes(t *testing.T) {
	c, err := decodeChunked(vulnTable, false) // its own: the shared one's cache is other tests' too
	if err != nil {
		t.Fatal(err)
	}
	if c.products != nil {
		t.Error("the decoded products outlive opening")
	}
	matches := 0
	for key := range c.families {
		p := c.product(key)
		if p == nil || p.key != key {
			t.Fatalf("product %s: %+v", key, p)
		}
		matches += len(p.matches)
		if c.product(key) != p {
			t.Errorf("product %s decoded again although just cached", key)
		}
		if c.cache.size() > decodedCacheSize {
			t.Fatalf("cache holds %d products, want at most %d", c.cache.size(), decodedCacheSize)
		}
	}
	if matches != c.Stats().Matches {
		t.Errorf("products hold %d matches, the catalog counted %d", matches, c.Stats().Matches)
	}
	if c.product("no-such-family") != nil {
		t.Error("an unknown family decoded")
	}
	c.release()
	if len(c.cache.ents) != 0 {
		t.Error("release kept products")
	}
}
