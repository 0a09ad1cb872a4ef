package vulncatalog

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	"tend/lifecycle/internal/vulnfile"
)

// Chunked writes a catalog in vulnfile's chunked form: a header (the file
// without its records, the counts, each family's chunk size), then each
// family's records, one JSON line each with that family's matches only,
// deflated at flate's best level (10 kB of 269 kB fewer in the binary than
// the default level, for twice the generator's time: seconds under the race
// detector), and the header deflated too (11.8 kB of JSON, 1.9 kB deflated).
// It returns the bytes and the size of the records' JSON before deflate.
func Chunked(f File, st vulnfile.Stats) ([]byte, int, error) {
	records := map[string][]byte{}
	for _, c := range f.CVEs {
		for _, key := range recordFamilies(c) {
			line, err := json.Marshal(familyRecord(c, key))
			if err != nil {
				return nil, 0, fmt.Errorf("encode %s: %w", c.ID, err)
			}
			records[key] = append(append(records[key], line...), '\n')
		}
	}
	h := vulnfile.Header{File: f, Stats: st}
	h.CVEs = nil
	var body bytes.Buffer
	raw := 0
	zw, err := flate.NewWriter(&body, flate.BestCompression)
	if err != nil {
		return nil, 0, err
	}
	for _, fam := range f.Families {
		start := body.Len()
		zw.Reset(&body)
		if _, err := zw.Write(records[fam.Key]); err != nil {
			return nil, 0, err
		}
		if err := zw.Close(); err != nil {
			return nil, 0, err
		}
		raw += len(records[fam.Key])
		h.Chunks = append(h.Chunks, vulnfile.Chunk{Key: fam.Key, Size: body.Len() - start})
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return nil, 0, fmt.Errorf("encode header: %w", err)
	}
	var hz bytes.Buffer
	zw.Reset(&hz)
	if _, err := zw.Write(hj); err != nil {
		return nil, 0, err
	}
	if err := zw.Close(); err != nil {
		return nil, 0, err
	}
	hb := hz.Bytes()
	out := append([]byte(vulnfile.ChunkedMagic), binary.BigEndian.AppendUint32(nil, uint32(len(hb)))...)
	return append(append(out, hb...), body.Bytes()...), raw, nil
}

// recordFamilies lists the families whose chunk holds a record: those its
// matches name or, for a KEV entry without version data, its KEVProducts.
func recordFamilies(c CVE) []string {
	var keys []string
	for _, m := range c.Matches {
		keys = append(keys, m.Product)
	}
	if len(c.Matches) == 0 && c.KEV != nil {
		keys = append(keys, c.KEVProducts...)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}

// familyRecord is a record as a family's chunk holds it: with that
// family's matches only (a verdict reads no others).
func familyRecord(c CVE, key string) CVE {
	if len(c.Matches) == 0 {
		return c
	}
	var ms []Match
	for _, m := range c.Matches {
		if m.Product == key {
			ms = append(ms, m)
		}
	}
	c.Matches = ms
	return c
}
