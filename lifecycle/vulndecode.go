package lifecycle

import (
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"tend/lifecycle/internal/vulnfile"
)

// The vulnerability catalog is read as a stream, one CVE record at a time,
// into the compact form of VulnCatalog: the 3.5 MB of JSON and its 200,000
// listed versions are never held whole.

// wireCVE and wireMatch are vulnfile.CVE and vulnfile.Match as decoded:
// version lists stay raw bytes (rawList), so each listed version is
// interned rather than allocated.
type wireCVE struct {
	ID          string        `json:"id"`
	Published   string        `json:"pub"`
	CVSS        float64       `json:"cvss"`
	KEV         *vulnfile.KEV `json:"kev"`
	KEVProducts []string      `json:"kevp"`
	Matches     []wireMatch   `json:"m"`
}

type wireMatch struct {
	Product  string  `json:"p"`
	CPE      string  `json:"cpe"`
	Version  string  `json:"v"`
	Update   string  `json:"u"`
	Versions rawList `json:"vs"`
	SI       string  `json:"si"`
	SE       string  `json:"se"`
	EI       string  `json:"ei"`
	EE       string  `json:"ee"`
	Fixed    rawList `json:"fix"`
	Source   string  `json:"src"`
}

// rawList is a JSON array of strings kept as its text.
type rawList []byte

func (r *rawList) UnmarshalJSON(b []byte) error {
	*r = append((*r)[:0], b...)
	return nil
}

// each calls fn with every string of the list; the bytes are only valid
// during the call. A list with escapes is decoded the slow way.
func (r rawList) each(fn func([]byte)) error {
	b := bytes.TrimSpace(r)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	if bytes.IndexByte(b, '\\') >= 0 {
		var ss []string
		if err := json.Unmarshal(b, &ss); err != nil {
			return err
		}
		for _, s := range ss {
			fn([]byte(s))
		}
		return nil
	}
	if b[0] != '[' {
		return errors.New("a version list is not a list")
	}
	b = b[1:]
	for {
		b = bytes.TrimLeft(b, " \t\r\n,")
		switch {
		case len(b) == 0:
			return errors.New("unterminated version list")
		case b[0] == ']':
			return nil
		case b[0] != '"':
			return errors.New("a version list holds something other than strings")
		}
		end := bytes.IndexByte(b[1:], '"')
		if end < 0 {
			return errors.New("unterminated string in a version list")
		}
		fn(b[1 : 1+end])
		b = b[2+end:]
	}
}

// vulnDecoder carries the interning tables while a catalog is decoded.
type vulnDecoder struct {
	c       *VulnCatalog
	strs    map[string]string // CPEs, sources, update levels: shared
	names   map[*vulnProduct]map[string]bool
	raw2idx map[*vulnProduct]map[string]uint32 // listed version as written → index into norm
	// records collects, when opening a catalog, each product's CVE records
	// as their JSON text, one a line.
	records map[string][]byte
	// only, when decoding one product's records, is that product's key:
	// matches of other products are skipped.
	only string
}

func newVulnDecoder() *vulnDecoder {
	return &vulnDecoder{c: &VulnCatalog{families: map[string]vulnfile.Family{}, products: map[string]*vulnProduct{}},
		strs: map[string]string{}, names: map[*vulnProduct]map[string]bool{}, raw2idx: map[*vulnProduct]map[string]uint32{}}
}

func (d *vulnDecoder) intern(s string) string {
	if t, ok := d.strs[s]; ok {
		return t
	}
	d.strs[s] = s
	return s
}

// decodeVulnCatalog reads a catalog (vulnfile's chunked form, or its File
// as bzip2, gzip or plain JSON), rejecting anything malformed, and keeps
// each product's records compressed (see VulnCatalog).
func decodeVulnCatalog(b []byte) (*VulnCatalog, error) {
	if bytes.HasPrefix(b, []byte(vulnfile.ChunkedMagic)) || bytes.HasPrefix(b, []byte(vulnfile.ChunkedMagicV1)) {
		return decodeChunked(bytes.Clone(b), true)
	}
	r, err := vulnReader(b)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	d := newVulnDecoder()
	d.records = map[string][]byte{}
	c := d.c
	format, date, sawFamilies, sawCVEs := 0, "", false, false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("decode: %w", err)
		}
		key, _ := t.(string)
		switch key {
		case "format":
			err = dec.Decode(&format)
			if err == nil && format != vulnfile.Format {
				return nil, fmt.Errorf("format %d, want %d", format, vulnfile.Format)
			}
		case "date":
			err = dec.Decode(&date)
		case "families":
			if sawCVEs {
				return nil, errors.New("families after the CVE records")
			}
			var fams []vulnfile.Family
			if err = dec.Decode(&fams); err == nil {
				err = d.addFamilies(fams)
			}
			sawFamilies = true
		case "cves":
			if !sawFamilies || format != vulnfile.Format {
				return nil, errors.New("CVE records before the format and families")
			}
			sawCVEs = true
			err = d.decodeCVEs(dec)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return nil, fmt.Errorf("decode %s: %w", key, err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("decode: data after the catalog")
	}
	if format != vulnfile.Format {
		return nil, fmt.Errorf("format %d, want %d", format, vulnfile.Format)
	}
	if c.date, err = time.Parse(time.DateOnly, date); err != nil {
		return nil, fmt.Errorf("catalog date: %w", err)
	}
	if c.stats.CVEs == 0 {
		return nil, errors.New("no CVE records")
	}
	c.stats.Families = len(c.families)
	c.products = nil // checked; from here on decoded per product, on demand
	if err := c.compress(d.records); err != nil {
		return nil, err
	}
	return c, nil
}

// compress keeps each product's records deflated, every family having
// an entry (possibly empty).
func (c *VulnCatalog) compress(records map[string][]byte) error {
	var buf bytes.Buffer
	zw, err := flate.NewWriter(&buf, flate.BestSpeed)
	if err != nil {
		return err
	}
	c.chunks = make(map[string]vulnChunk, len(c.families))
	for key := range c.families {
		buf.Reset()
		zw.Reset(&buf)
		if _, err := zw.Write(records[key]); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		c.chunks[key] = vulnChunk{z: bytes.Clone(buf.Bytes())}
		delete(records, key)
	}
	return nil
}

// decodeProduct decodes one product's records, kept by compress, into
// the compact form a verdict reads; nil when the catalog has no such
// product.
func (c *VulnCatalog) decodeProduct(key string) (*vulnProduct, error) {
	chunk, ok := c.chunks[key]
	if !ok {
		return nil, nil
	}
	d := newVulnDecoder()
	d.only = key
	if err := d.addFamilies([]vulnfile.Family{c.families[key]}); err != nil {
		return nil, err
	}
	// A chunk of a chunked override file is bounded as a JSON file is.
	dec := json.NewDecoder(&limitedReader{r: flate.NewReader(bytes.NewReader(chunk.z)), n: maxCatalog})
	for i := 0; ; i++ {
		var w wireCVE
		if err := dec.Decode(&w); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("%s record %d: %w", key, i, err)
		}
		if err := d.addCVE(i, &w); err != nil {
			return nil, err
		}
	}
	d.finish()
	return d.c.products[key], nil
}

// finish trims what decoding left behind and lists each product's names.
func (d *vulnDecoder) finish() {
	c := d.c
	for _, p := range c.products {
		// Exact-size copies: the slack append left behind is freed.
		p.matches, p.kevOnly = slices.Clone(p.matches), slices.Clone(p.kevOnly)
	}
	for p, names := range d.names {
		p.names = make([]string, 0, len(names))
		for s := range names {
			p.names = append(p.names, s)
		}
		slices.Sort(p.names)
	}
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	if t != want {
		return fmt.Errorf("decode: %v where %v belongs", t, want)
	}
	return nil
}

// vulnReader decompresses a catalog file when it is gzip or bzip2 (the
// end-of-life generator's output, and JSON vulnerability catalogs; by its
// first bytes, whatever the file's name), and refuses more than
// maxCatalog bytes of JSON.
func vulnReader(b []byte) (io.Reader, error) {
	var r io.Reader = bytes.NewReader(b)
	if bytes.HasPrefix(b, []byte("BZh")) {
		r = bzip2.NewReader(r)
	} else if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		r = zr
	}
	return &limitedReader{r: r, n: maxCatalog}, nil
}

// limitedReader fails, rather than ending, past its limit.
type limitedReader struct {
	_ [0]func() // not comparable: no equality function linked
	r io.Reader
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, fmt.Errorf("larger than %d bytes", maxCatalog)
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

func (d *vulnDecoder) addFamilies(fams []vulnfile.Family) error {
	for _, fam := range fams {
		if fam.Key == "" {
			return errors.New("family with an empty key")
		}
		d.c.families[fam.Key] = fam
		if d.c.products[fam.Key] == nil {
			p := &vulnProduct{key: fam.Key, perModel: fam.PerModel, norm: map[string]uint32{}}
			d.c.products[fam.Key] = p
			d.names[p], d.raw2idx[p] = map[string]bool{}, map[string]uint32{}
		}
	}
	return nil
}

func (d *vulnDecoder) decodeCVEs(dec *json.Decoder) error {
	if err := expectDelim(dec, '['); err != nil {
		return err
	}
	var raw json.RawMessage
	for i := 0; dec.More(); i++ {
		var w wireCVE
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
		if err := json.Unmarshal(raw, &w); err != nil {
			return fmt.Errorf("record %d: %w", i, err)
		}
		if err := d.addCVE(i, &w); err != nil {
			return err
		}
		d.keep(raw, &w)
	}
	return expectDelim(dec, ']')
}

// keep files a checked record's text under each product it names.
func (d *vulnDecoder) keep(raw []byte, w *wireCVE) {
	if d.records == nil {
		return
	}
	var keys []string
	for _, m := range w.Matches {
		keys = append(keys, m.Product)
	}
	if len(w.Matches) == 0 && w.KEV != nil {
		keys = append(keys, w.KEVProducts...)
	}
	slices.Sort(keys)
	for _, key := range slices.Compact(keys) {
		if _, ok := d.c.families[key]; ok {
			d.records[key] = append(append(d.records[key], raw...), '\n')
		}
	}
}

func (d *vulnDecoder) addCVE(i int, w *wireCVE) error {
	c := d.c
	if !strings.HasPrefix(w.ID, "CVE-") {
		return fmt.Errorf("record %d: bad id %q", i, w.ID)
	}
	cv := &vulnCVE{id: w.ID, published: w.Published, cvss: w.CVSS, kev: w.KEV}
	for _, s := range []string{w.Published, kevDate(w.KEV, false), kevDate(w.KEV, true)} {
		if s == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return fmt.Errorf("%s: bad date %q", w.ID, s)
		}
	}
	c.stats.CVEs++
	if w.KEV != nil {
		c.stats.KEV++
	}
	if len(w.Matches) == 0 && w.KEV != nil {
		c.stats.KEVOnly++
		for _, key := range w.KEVProducts {
			if p := c.products[key]; p != nil {
				p.kevOnly = append(p.kevOnly, cv)
			}
		}
	}
	for j := range w.Matches {
		m := &w.Matches[j]
		if d.only != "" && m.Product != d.only {
			continue
		}
		p := c.products[m.Product]
		if p == nil {
			return fmt.Errorf("%s: product %q not among the families", w.ID, m.Product)
		}
		vm, err := d.match(p, cv, m)
		if err != nil {
			return fmt.Errorf("%s: %w", w.ID, err)
		}
		p.matches = append(p.matches, vm)
		c.stats.Matches++
	}
	return nil
}

func kevDate(k *vulnfile.KEV, due bool) string {
	switch {
	case k == nil:
		return ""
	case due:
		return k.Due
	}
	return k.Added
}

// match turns one decoded match into its compact form; its bounds are
// tokenised later, by the product's prepare.
func (d *vulnDecoder) match(p *vulnProduct, cv *vulnCVE, m *wireMatch) (vulnMatch, error) {
	x := &matchExtra{siRaw: m.SI, seRaw: m.SE, eiRaw: m.EI, eeRaw: m.EE}
	vm := vulnMatch{matchExtra: x, cve: cv, cpe: d.intern(m.CPE), version: d.intern(m.Version), update: d.intern(m.Update),
		source: d.intern(m.Source)}
	names := d.names[p]
	_, prod, _ := strings.Cut(m.CPE, ":")
	_, prod, _ = strings.Cut(prod, ":")
	switch {
	case p.perModel:
		vm.model = foldModel(strings.TrimSuffix(prod, "_firmware"))
	case p.key == "ubiquiti-unifi" && strings.HasSuffix(prod, "_firmware"):
		// unifi_switch_firmware, u6-lr_firmware: one device line each.
		vm.model = foldModel(strings.TrimSuffix(prod, "_firmware"))
	case p.key == "fortiap" && prod != "fortiap":
		// FortiAP-C, -S, -U, -W2 are model lines of their own.
		vm.model = foldModel(prod)
	}
	switch m.Version {
	case "":
	case "-":
		vm.namesNoVer = true
	default:
		vm.exact = normCatalogVersion(m.Version)
		names[vm.version] = true
	}
	idx := d.raw2idx[p]
	err := m.Versions.each(func(s []byte) {
		vm.listed = true
		if bytes.HasSuffix(s, []byte(".*")) || bytes.HasSuffix(s, []byte(".x")) {
			vm.wild = append(vm.wild, strings.ToLower(string(s[:len(s)-2])))
			return
		}
		if bytes.IndexByte(s, ' ') >= 0 {
			if e := reEarlier.FindSubmatch(s); e != nil {
				vm.earlierRaw = append(vm.earlierRaw, string(e[1]))
			}
			return
		}
		id, ok := idx[string(s)]
		if !ok {
			raw := string(s)
			n := normCatalogVersion(raw)
			if id, ok = p.norm[n]; !ok {
				id = uint32(len(p.norm))
				p.norm[n] = id
			}
			idx[raw] = id
			names[raw] = true
		}
		vm.set = append(vm.set, id)
	})
	if err != nil {
		return vm, err
	}
	if len(vm.set) > 0 {
		slices.Sort(vm.set)
		vm.set = slices.Clone(slices.Compact(vm.set)) // exact size: the slack is freed
	}
	vm.hasBounds = m.SI != "" || m.SE != "" || m.EI != "" || m.EE != ""
	if m.EE != "" {
		names[m.EE] = true
	}
	err = m.Fixed.each(func(s []byte) { names[string(s)] = true })
	if !vm.hasBounds && len(x.wild) == 0 && len(x.earlierRaw) == 0 {
		vm.matchExtra = noExtra
	}
	if vm.model != "" {
		vm.model = d.intern(vm.model)
	}
	return vm, err
}
