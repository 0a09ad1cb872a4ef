package lifecycle

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"tend/lifecycle/internal/vulnfile"
)

// decodeChunked opens a catalog in vulnfile's chunked form, the embedded
// one's: its chunks are the deflated records a VulnCatalog keeps, so they
// are sliced from b, not copied; b must not change afterwards. check
// decodes every family's records once, as decodeVulnCatalog does for a
// File, rejecting anything malformed; the embedded catalog skips that (its
// test, TestVulnCatalogOverItsBytes, decodes them all).
func decodeChunked(b []byte, check bool) (*VulnCatalog, error) {
	hb, body, err := chunkedHeader(b)
	if err != nil {
		return nil, err
	}
	var h vulnfile.Header
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, fmt.Errorf("chunked catalog header: %w", err)
	}
	c, err := chunkedCatalog(&h)
	if err != nil {
		return nil, err
	}
	for _, ch := range h.Chunks {
		if _, ok := c.families[ch.Key]; !ok || ch.Size < 0 || ch.Size > len(body) {
			return nil, fmt.Errorf("chunked catalog: bad chunk %q of %d bytes", ch.Key, ch.Size)
		}
		c.chunks[ch.Key] = vulnChunk{z: body[:ch.Size:ch.Size]}
		body = body[ch.Size:]
	}
	if len(body) != 0 || len(c.chunks) != len(c.families) {
		return nil, errors.New("chunked catalog: chunks do not match the families")
	}
	if check {
		if err := c.checkRecords(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// chunkedHeader splits a catalog in the chunked form into its header's
// JSON (inflated, unless the file is in ChunkedMagicV1's form) and the
// chunks after it.
func chunkedHeader(b []byte) (header, body []byte, err error) {
	b, ok := bytes.CutPrefix(b, []byte(vulnfile.ChunkedMagic))
	plain := false
	if !ok {
		b, ok = bytes.CutPrefix(b, []byte(vulnfile.ChunkedMagicV1))
		plain = true
	}
	if !ok || len(b) < 4 {
		return nil, nil, errors.New("not a chunked catalog")
	}
	n := binary.BigEndian.Uint32(b)
	if uint64(n) > uint64(len(b)-4) {
		return nil, nil, errors.New("chunked catalog: header past the end")
	}
	header, body = b[4:4+n], b[4+n:]
	if !plain {
		if header, err = io.ReadAll(&limitedReader{r: flate.NewReader(bytes.NewReader(header)), n: maxCatalog}); err != nil {
			return nil, nil, fmt.Errorf("chunked catalog header: %w", err)
		}
	}
	return header, body, nil
}

// checkRecords decodes every family's records once, rejecting anything
// malformed, and compares what they hold with the header's counts, which
// the catalog reports as its own: a CVE is counted once however many
// families' chunks hold it; matches are each in their family's chunk only.
func (c *VulnCatalog) checkRecords() error {
	var got vulnfile.Stats
	cves, kevOnly := map[string]bool{}, map[string]bool{}
	for key := range c.families {
		p, err := c.decodeProduct(key)
		if err != nil {
			return err
		}
		if p == nil {
			continue
		}
		got.Matches += len(p.matches)
		for _, m := range p.matches {
			cves[m.cve.id] = m.cve.kev != nil
		}
		for _, cv := range p.kevOnly {
			kevOnly[cv.id] = true
		}
	}
	for id := range kevOnly {
		if _, ok := cves[id]; !ok {
			cves[id] = true
			got.KEVOnly++
		}
	}
	got.CVEs = len(cves)
	for _, kev := range cves {
		if kev {
			got.KEV++
		}
	}
	want := vulnfile.Stats{CVEs: c.stats.CVEs, KEV: c.stats.KEV, KEVOnly: c.stats.KEVOnly, Matches: c.stats.Matches}
	if got != want {
		return fmt.Errorf("chunked catalog: the records hold %d CVEs (%d in KEV, %d of them without versions) and %d matches; the header says %d (%d, %d) and %d",
			got.CVEs, got.KEV, got.KEVOnly, got.Matches, want.CVEs, want.KEV, want.KEVOnly, want.Matches)
	}
	return nil
}

// chunkedCatalog is the catalog a chunked header describes, its chunks
// still to be filled.
func chunkedCatalog(h *vulnfile.Header) (*VulnCatalog, error) {
	if h.Format != vulnfile.Format {
		return nil, fmt.Errorf("format %d, want %d", h.Format, vulnfile.Format)
	}
	date, err := time.Parse(time.DateOnly, h.Date)
	if err != nil {
		return nil, fmt.Errorf("catalog date: %w", err)
	}
	if h.Stats.CVEs <= 0 {
		return nil, errors.New("no CVE records")
	}
	c := &VulnCatalog{date: date, families: map[string]vulnfile.Family{}, chunks: map[string]vulnChunk{},
		stats: VulnStats{CVEs: h.Stats.CVEs, KEV: h.Stats.KEV, KEVOnly: h.Stats.KEVOnly, Matches: h.Stats.Matches}}
	for _, fam := range h.Families {
		if fam.Key == "" {
			return nil, errors.New("family with an empty key")
		}
		c.families[fam.Key] = fam
	}
	c.stats.Families = len(c.families)
	return c, nil
}
