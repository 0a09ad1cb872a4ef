package lifecycle

import (
	"bytes"
	"compress/gzip"
	_ "embed" // for the vulnerability catalog
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"tend/inventory"
	"tend/lifecycle/internal/vulnfile"
)

// vulnTable is the vulnerability catalog, written by internal/vulncatalog/generate from
// the corpus; the format is package vulncatalog's File.
//
//go:embed vulns.json.gz
var vulnTable []byte

// VulnNotice is the attribution NVD asks for, shown wherever the catalog's
// verdicts are.
const VulnNotice = vulnfile.Notice

// VulnCatalog holds known vulnerabilities (CVE version ranges per tend
// product, CISA KEV flags) and the coverage of each product family. It is
// immutable once opened and safe for concurrent use.
type VulnCatalog struct {
	date     time.Time
	families map[string]vulnfile.Family
	// byProduct holds each product's matches, prepared for comparison.
	byProduct map[string][]vulnMatch
	// kevOnly holds, per product, the KEV CVEs that come without version
	// data: the product may or may not be affected.
	kevOnly map[string][]*vulnfile.CVE
	// universe holds, per product and train, every version the catalog
	// names, sorted: the candidates for "fixed in".
	universe map[string]map[string][]VulnVersion
	stats    VulnStats
}

// VulnStats says what a vulnerability catalog holds.
type VulnStats struct {
	CVEs, KEV, KEVOnly, Matches, Families int
}

type vulnMatch struct {
	cve        *vulnfile.CVE
	m          *vulnfile.Match
	exact      string          // normalised exact version ("" for none)
	set        map[string]bool // normalised listed versions
	wild       []string        // listed train wildcards ("8.0" for "8.0.*")
	earlier    []boundVersion  // "X and earlier versions" list entries
	si, se     *boundVersion   // nil when absent
	ei, ee     *boundVersion
	model      string // per-model families: the folded model the CPE names
	hasBounds  bool
	listed     bool // the match is a list of versions (possibly none usable: "11.2 none")
	namesNoVer bool // version "-": names no version, matches nothing
}

// OpenVulnCatalog decodes the vulnerability catalog embedded in the binary.
func OpenVulnCatalog() (*VulnCatalog, error) {
	c, err := decodeVulnCatalog(vulnTable)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: open embedded vulnerability catalog: %w", err)
	}
	return c, nil
}

// LoadVulnCatalog reads a vulnerability catalog file (gzip or plain JSON
// in the embedded format), so a newer one in the data directory can
// replace the built-in one; see NewerVulns.
func LoadVulnCatalog(path string) (*VulnCatalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: load vulnerability catalog: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxCatalog+1))
	if err != nil {
		return nil, fmt.Errorf("lifecycle: load vulnerability catalog %s: %w", path, err)
	}
	c, err := decodeVulnCatalog(b)
	if err != nil {
		return nil, fmt.Errorf("lifecycle: load vulnerability catalog %s: %w", path, err)
	}
	return c, nil
}

// NewerVulns returns the override when it is dated after the embedded
// catalog and the embedded one otherwise, as Newer does for end of life.
func NewerVulns(embedded, override *VulnCatalog) *VulnCatalog {
	if override != nil && (embedded == nil || override.Date().After(embedded.Date())) {
		return override
	}
	return embedded
}

// Date returns the catalog's data date.
func (c *VulnCatalog) Date() time.Time { return c.date }

// Stats returns what the catalog holds.
func (c *VulnCatalog) Stats() VulnStats { return c.stats }

// Coverage returns the catalog's coverage of a product family ("deep",
// "partial", "thin", "none") and what it means; false for a product the
// catalog does not know.
func (c *VulnCatalog) Coverage(product string) (level, note string, ok bool) {
	f, ok := c.families[product]
	return f.Coverage, f.Note, ok
}

func decodeVulnCatalog(b []byte) (*VulnCatalog, error) {
	b, err := decodeVulnCatalogRaw(b)
	if err != nil {
		return nil, err
	}
	var f vulnfile.File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if f.Format != vulnfile.Format {
		return nil, fmt.Errorf("format %d, want %d", f.Format, vulnfile.Format)
	}
	return newVulnCatalog(&f)
}

// decodeVulnCatalogRaw gunzips a catalog file when it is compressed,
// within maxCatalog.
func decodeVulnCatalogRaw(b []byte) ([]byte, error) {
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		raw, err := io.ReadAll(io.LimitReader(zr, maxCatalog+1))
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		b = raw
	}
	if len(b) > maxCatalog {
		return nil, fmt.Errorf("larger than %d bytes", maxCatalog)
	}
	return b, nil
}

func newVulnCatalog(f *vulnfile.File) (*VulnCatalog, error) {
	date, err := time.Parse(time.DateOnly, f.Date)
	if err != nil {
		return nil, fmt.Errorf("catalog date: %w", err)
	}
	c := &VulnCatalog{date: date, families: map[string]vulnfile.Family{}, byProduct: map[string][]vulnMatch{},
		kevOnly: map[string][]*vulnfile.CVE{}, universe: map[string]map[string][]VulnVersion{}}
	names := map[string]map[string]bool{} // product → catalog versions, for the universe
	for _, fam := range f.Families {
		if fam.Key == "" {
			return nil, errors.New("family with an empty key")
		}
		c.families[fam.Key] = fam
	}
	for i := range f.CVEs {
		cv := &f.CVEs[i]
		if !strings.HasPrefix(cv.ID, "CVE-") {
			return nil, fmt.Errorf("record %d: bad id %q", i, cv.ID)
		}
		for _, d := range []string{cv.Published, kevField(cv, 0), kevField(cv, 1)} {
			if d == "" {
				continue
			}
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return nil, fmt.Errorf("%s: bad date %q", cv.ID, d)
			}
		}
		c.stats.CVEs++
		if cv.KEV != nil {
			c.stats.KEV++
		}
		if len(cv.Matches) == 0 && cv.KEV != nil {
			c.stats.KEVOnly++
			for _, p := range cv.KEVProducts {
				c.kevOnly[p] = append(c.kevOnly[p], cv)
			}
		}
		for j := range cv.Matches {
			m := &cv.Matches[j]
			if _, ok := c.families[m.Product]; !ok {
				return nil, fmt.Errorf("%s: product %q not among the families", cv.ID, m.Product)
			}
			if names[m.Product] == nil {
				names[m.Product] = map[string]bool{}
			}
			c.byProduct[m.Product] = append(c.byProduct[m.Product], c.prepMatch(cv, m, names[m.Product]))
			c.stats.Matches++
		}
	}
	for p, vs := range names {
		c.addUniverse(p, vs)
	}
	c.stats.Families = len(c.families)
	if c.stats.CVEs == 0 {
		return nil, errors.New("no CVE records")
	}
	return c, nil
}

func kevField(cv *vulnfile.CVE, i int) string {
	if cv.KEV == nil {
		return ""
	}
	if i == 0 {
		return cv.KEV.Added
	}
	return cv.KEV.Due
}

func (c *VulnCatalog) prepMatch(cv *vulnfile.CVE, m *vulnfile.Match, names map[string]bool) vulnMatch {
	vm := vulnMatch{cve: cv, m: m}
	p := m.Product
	_, prod, _ := strings.Cut(m.CPE, ":")
	_, prod, _ = strings.Cut(prod, ":")
	switch {
	case c.families[p].PerModel:
		vm.model = foldModel(strings.TrimSuffix(prod, "_firmware"))
	case p == "ubiquiti-unifi" && strings.HasSuffix(prod, "_firmware"):
		// unifi_switch_firmware, u6-lr_firmware: one device line each.
		vm.model = foldModel(strings.TrimSuffix(prod, "_firmware"))
	case p == "fortiap" && prod != "fortiap":
		// FortiAP-C, -S, -U, -W2 are model lines of their own.
		vm.model = foldModel(prod)
	}
	switch m.Version {
	case "":
	case "-":
		vm.namesNoVer = true
	default:
		vm.exact = normCatalogVersion(m.Version)
		names[m.Version] = true
	}
	vm.listed = len(m.Versions) > 0
	for _, s := range m.Versions {
		if strings.HasSuffix(s, ".*") || strings.HasSuffix(s, ".x") {
			vm.wild = append(vm.wild, strings.ToLower(s[:len(s)-2]))
			continue
		}
		if strings.Contains(s, " ") {
			if e := reEarlier.FindStringSubmatch(s); e != nil {
				vm.earlier = append(vm.earlier, prepBound(p, e[1]))
			}
			continue
		}
		if vm.set == nil {
			vm.set = map[string]bool{}
		}
		vm.set[normCatalogVersion(s)] = true
		names[s] = true
	}
	for _, b := range []struct {
		dst **boundVersion
		s   string
	}{{&vm.si, m.SI}, {&vm.se, m.SE}, {&vm.ei, m.EI}, {&vm.ee, m.EE}} {
		if b.s != "" {
			bv := prepBound(p, b.s)
			*b.dst = &bv
			vm.hasBounds = true
		}
	}
	if m.EE != "" {
		names[m.EE] = true
	}
	for _, s := range m.Fixed {
		names[s] = true
	}
	return vm
}

// addUniverse files the versions the catalog names under their trains,
// sorted, as the candidates for "fixed in".
func (c *VulnCatalog) addUniverse(product string, names map[string]bool) {
	tr := map[string][]VulnVersion{}
	for s := range names {
		v, ok := ParseVulnVersion(product, universeForm(product, s))
		if !ok || v.Train == "" {
			continue
		}
		tr[v.Train] = append(tr[v.Train], v)
	}
	for t, vs := range tr {
		slices.SortFunc(vs, func(a, b VulnVersion) int {
			if c := compareTokens(a.key, b.key); c != 0 {
				return c
			}
			return strings.Compare(a.Version, b.Version)
		})
		tr[t] = slices.CompactFunc(vs, func(a, b VulnVersion) bool { return a.Version == b.Version })
	}
	c.universe[product] = tr
}

// universeForm makes a catalog version readable by the device grammar
// (IOS trains are upper case on devices).
func universeForm(product, s string) string {
	if product == string(FamilyIOS) {
		if i := strings.LastIndexByte(s, ')'); i >= 0 {
			return s[:i+1] + strings.ToUpper(s[i+1:])
		}
	}
	return s
}

// modelMatches reports whether a device's folded model is the model a
// CPE names, allowing a revision or edition after it ("DGS-1510-28X/ME
// Rev. A1" is dgs-1510-28x/me_firmware).
func modelMatches(device, cpe string) bool {
	return device == cpe || (len(cpe) >= 4 && strings.HasPrefix(device, cpe))
}

func foldModel(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matchResult is how one catalog match relates to a version.
type matchResult int

const (
	noMatch matchResult = iota
	matchUnknown
	matchAffected
)

// eval tells whether v falls in the match, and describes the range.
func (vm *vulnMatch) eval(v VulnVersion, model string) (matchResult, string) {
	if vm.namesNoVer {
		return noMatch, ""
	}
	if vm.model != "" {
		if model != "" && !modelMatches(foldModel(model), vm.model) {
			return noMatch, ""
		}
		res, desc := vm.evalVersion(v)
		if model == "" && res == matchAffected {
			return matchUnknown, desc + " (model not known: the CPE names " + vm.m.CPE + ")"
		}
		return res, desc
	}
	return vm.evalVersion(v)
}

func (vm *vulnMatch) evalVersion(v VulnVersion) (res matchResult, desc string) {
	switch {
	case vm.exact != "" && vm.m.Update == "-" && v.Product == string(FamilyESXi):
		if v.Train == vm.exact {
			return matchUnknown, "exact: " + vm.m.Version + " without an update (mapping the device's build to an update level needs VMware's build table)"
		}
		return noMatch, ""
	case vm.exact != "":
		switch {
		case (vm.m.Update == "" || vm.m.Update == "-") && v.Version == vm.exact:
			res, desc = matchAffected, "exact: "+vm.m.Version
		case vm.m.Update != "" && v.Version == vm.exact+normCatalogVersion(vm.m.Update):
			res, desc = matchAffected, "exact: "+vm.m.Version+" "+vm.m.Update
		case vm.m.Update != "" && v.Version == vm.exact,
			v.Product == string(FamilyESXi) && v.Train == vm.exact && vm.m.Update != "":
			res, desc = matchUnknown, "exact: "+vm.m.Version+" "+vm.m.Update+" (the update level is not known from the device's version)"
		case v.Product == string(FamilyESXi) && v.Train == vm.exact:
			res, desc = matchAffected, "exact: "+vm.m.Version+" (every update)"
		}
		return res, desc
	case vm.listed:
		key := v.Version
		if v.Product == string(FamilyESXi) {
			key = v.Train
		}
		if vm.set[key] {
			return matchAffected, "listed: " + key
		}
		for _, w := range vm.wild {
			if v.Train == w || strings.HasPrefix(v.Version, w+".") {
				return matchAffected, "listed: " + w + ".*"
			}
		}
		for _, b := range vm.earlier {
			if !sameTrainFamily(v, b) || b.ownTrain != v.Train {
				continue
			}
			if c, ok := cmpBound(v, b); ok && c <= 0 {
				return matchAffected, "listed: " + b.raw + " and earlier"
			}
		}
		return noMatch, ""
	case vm.hasBounds:
		return vm.evalRange(v)
	}
	// "cpe:…:*" with no bound: every version in NVD's configurations; a
	// vendor or CNA record that names the product without versions does
	// not say which are affected.
	if vm.m.Source == "nvd" || vm.m.Source == "anchore" {
		return matchAffected, "every version"
	}
	return matchUnknown, "the " + vm.m.Source + " record names the product without versions"
}

func (vm *vulnMatch) evalRange(v VulnVersion) (matchResult, string) {
	uncertain := false
	for _, b := range [...]struct {
		b  *boundVersion
		ok func(int) bool
	}{{vm.si, geZero}, {vm.se, gtZero}, {vm.ei, leZero}, {vm.ee, ltZero}} {
		if b.b == nil {
			continue
		}
		if !sameTrainFamily(v, *b.b) {
			return noMatch, ""
		}
		c, comparable := cmpBound(v, *b.b)
		if !comparable {
			uncertain = true
			continue
		}
		if !b.ok(c) {
			return noMatch, ""
		}
	}
	var parts []string
	for _, b := range [...]struct {
		b  *boundVersion
		op string
	}{{vm.si, ">="}, {vm.se, ">"}, {vm.ei, "<="}, {vm.ee, "<"}} {
		if b.b != nil {
			parts = append(parts, "v "+b.op+" "+b.b.raw)
		}
	}
	desc := strings.Join(parts, ", ")
	if uncertain {
		return matchUnknown, desc + " (the device reported no build to compare)"
	}
	return matchAffected, desc
}

func geZero(c int) bool { return c >= 0 }
func gtZero(c int) bool { return c > 0 }
func leZero(c int) bool { return c <= 0 }
func ltZero(c int) bool { return c < 0 }

// VulnQuery is what a vulnerability verdict is judged from: the catalog
// product key, the version string the device reported and, for families
// whose CPEs name models, the model.
type VulnQuery struct {
	Product string
	Raw     string
	Model   string
	// Field names where Raw was read ("firmware", "sysDescr"), for evidence.
	Field string
}

// JudgeVulns gives the known-vulnerability verdict on one product and
// version as of asOf: CVEs published and KEV entries added after asOf are
// left out, so a verdict for a date is reproducible. It is a pure
// function of the query, the catalog and the date.
func (c *VulnCatalog) JudgeVulns(q VulnQuery, asOf time.Time) inventory.Vulnerabilities {
	out := inventory.Vulnerabilities{CatalogDate: c.date.Format(time.DateOnly), Status: inventory.VulnUnknown,
		Product: q.Product, Raw: clip(q.Raw), KEV: []string{}, CVEs: []inventory.VulnCVE{}}
	field := q.Field
	if field == "" {
		field = "version"
	}
	ev := func(src, format string, a ...any) {
		out.Evidence = append(out.Evidence, inventory.Evidence{Source: src, Detail: fmt.Sprintf(format, a...)})
	}
	fam, known := c.families[q.Product]
	if !known || fam.Coverage == vulnfile.CoverageNone {
		out.Coverage = vulnfile.CoverageNone
		out.Reason = "no data for this family: the vulnerability catalog has no records for " + orUnknown(q.Product)
		ev("catalog", "vulnerability catalog dated %s; %s", out.CatalogDate, out.Reason)
		return out
	}
	out.Coverage = fam.Coverage + ": " + fam.Note
	v, ok := ParseVulnVersion(q.Product, q.Raw)
	if !ok {
		out.Reason = fmt.Sprintf("no %s version could be read from %q", q.Product, clip(q.Raw))
		ev(field, "%s", out.Reason)
		return out
	}
	out.Version, out.Train = v.Version, v.Train
	ev(field, "%s %s (train %s) read from %q", q.Product, v.Version, orUnknown(v.Train), clip(q.Raw))
	if v.Build != "" {
		ev(field, "build %s", v.Build)
	}
	ev("catalog", "vulnerability catalog dated %s, coverage of %s: %s (sources through %s)", out.CatalogDate, q.Product, out.Coverage, orUnknown(fam.Through))

	day := ""
	if !asOf.IsZero() {
		day = asOf.Format(time.DateOnly)
	}
	affected, unknown := 0, 0
	var clearing []*vulnHit
	matches := c.byProduct[q.Product]
	// Matches are stored grouped by CVE: each run is one CVE.
	for i := 0; i < len(matches); {
		j := i + 1
		for j < len(matches) && matches[j].cve == matches[i].cve {
			j++
		}
		group := matches[i:j]
		i = j
		if !visible(group[0].cve, day) {
			continue
		}
		h := &vulnHit{cve: group[0].cve, matches: group}
		for k := range group {
			if res, rng := group[k].eval(v, q.Model); res > h.res {
				h.res, h.rng, h.m = res, rng, group[k].m
			}
		}
		if h.res == noMatch {
			continue
		}
		cv := inventory.VulnCVE{ID: h.cve.ID, CVSS: h.cve.CVSS, Range: h.rng, CPE: h.m.CPE, Source: h.m.Source, Unknown: h.res == matchUnknown}
		c.kevInto(&cv, h.cve, day)
		if h.res == matchAffected {
			affected++
			clearing = append(clearing, h)
		} else {
			unknown++
		}
		out.CVEs = append(out.CVEs, cv)
	}
	for _, cve := range c.kevOnly[q.Product] {
		if !visible(cve, day) || (day != "" && cve.KEV.Added > day) {
			continue
		}
		cv := inventory.VulnCVE{ID: cve.ID, CVSS: cve.CVSS, Source: "kev", Unknown: true,
			Range: "known exploited; no version data for " + q.Product}
		c.kevInto(&cv, cve, day)
		out.CVEs = append(out.CVEs, cv)
		unknown++
	}
	slices.SortStableFunc(out.CVEs, func(a, b inventory.VulnCVE) int {
		switch {
		case a.KEV != b.KEV:
			if a.KEV {
				return -1
			}
			return 1
		case a.Unknown != b.Unknown:
			if !a.Unknown {
				return -1
			}
			return 1
		case a.CVSS != b.CVSS:
			if a.CVSS > b.CVSS {
				return -1
			}
			return 1
		}
		return strings.Compare(b.ID, a.ID)
	})
	for _, cv := range out.CVEs {
		switch {
		case cv.KEV && !cv.Unknown:
			out.KEV = append(out.KEV, cv.ID)
		case cv.KEV:
			out.KEVUnknown = append(out.KEVUnknown, cv.ID)
		}
		if !cv.Unknown {
			out.MaxCVSS = max(out.MaxCVSS, cv.CVSS)
		}
	}
	switch {
	case affected > 0:
		out.Status = inventory.VulnAffected
		out.Reason = fmt.Sprintf("%d CVE(s) affect %s %s", affected, q.Product, v.Version)
		if len(out.KEV) > 0 {
			out.Reason += fmt.Sprintf(", %d of them known exploited (CISA KEV)", len(out.KEV))
		}
	case unknown > 0:
		out.Status = inventory.VulnPotentiallyAffected
		out.Reason = fmt.Sprintf("%d CVE(s) may affect %s %s; the catalog cannot tell for this version", unknown, q.Product, v.Version)
		if len(out.KEVUnknown) > 0 {
			out.Reason = fmt.Sprintf("a known-exploited CVE exists for %s; whether %s is affected is unknown", q.Product, v.Version)
		}
	case fam.PerModel && q.Model == "" && len(matches) > 0:
		out.Status = inventory.VulnPotentiallyAffected
		out.Reason = fmt.Sprintf("%s CVEs name models; the device's model is not known", q.Product)
	default:
		out.Status = inventory.VulnNone
		out.Reason = fmt.Sprintf("no CVE in the catalog matches %s %s (coverage %s)", q.Product, v.Version, fam.Coverage)
	}
	if fam.PerModel && q.Model == "" && out.Status != inventory.VulnNone {
		out.Reason += "; the device's model is not known and this family's CVEs name models"
	}
	if affected > 0 {
		var kev []*vulnHit
		for _, h := range clearing {
			if h.cve.KEV != nil && (day == "" || h.cve.KEV.Added <= day) {
				kev = append(kev, h)
			}
		}
		if len(kev) > 0 {
			out.KEVFixedIn = c.fixedIn(v, q.Model, kev)
		}
		out.FixedIn = c.fixedIn(v, q.Model, clearing)
		if out.FixedIn == "" {
			ev("catalog", "no fixed release in train %s is known to the catalog", orUnknown(v.Train))
		} else {
			ev("catalog", "%s is the lowest release in train %s the catalog names that no matched CVE affects", out.FixedIn, v.Train)
		}
	}
	return out
}

// visible reports whether a CVE was known as of asOf.
func visible(cv *vulnfile.CVE, asOf string) bool {
	d := cv.Published
	if d == "" && cv.KEV != nil {
		d = cv.KEV.Added
	}
	return d == "" || asOf == "" || d <= asOf
}

func (c *VulnCatalog) kevInto(cv *inventory.VulnCVE, cve *vulnfile.CVE, asOf string) {
	if cve.KEV == nil || (asOf != "" && cve.KEV.Added > asOf) {
		return
	}
	cv.KEV, cv.KEVDateAdded, cv.KEVDue, cv.Ransomware = true, cve.KEV.Added, cve.KEV.Due, cve.KEV.Ransomware
}

// vulnHit is one CVE's matches against a version.
type vulnHit struct {
	cve     *vulnfile.CVE
	m       *vulnfile.Match // the match that decided res
	res     matchResult
	rng     string
	matches []vulnMatch // the CVE's matches for the product
}

// fixedIn finds the lowest version in v's train, among those the catalog
// names (listed versions, range ends, vendor fixed releases), that is newer
// than v and that none of the matched CVEs affects. Vendors that list every
// affected release (Cisco, Palo Alto, Fortinet) make that the first release
// that clears them all; elsewhere it is the best the catalog can say.
func (c *VulnCatalog) fixedIn(v VulnVersion, model string, hits []*vulnHit) string {
	if v.Train == "" {
		return ""
	}
	for _, w := range c.universe[v.Product][v.Train] {
		if compareTokens(w.key, v.key) <= 0 {
			continue
		}
		if v.Product == string(FamilyESXi) || v.Product == string(FamilyDSM) {
			return "" // releases ordered by build: the catalog's versions do not name them
		}
		clears := true
		for i, h := range hits {
			for k := range h.matches {
				if res, _ := h.matches[k].eval(w, model); res != noMatch {
					clears = false
					break
				}
			}
			if !clears {
				// The CVE that blocks one candidate usually blocks the next:
				// test it first.
				copy(hits[1:i+1], hits[:i])
				hits[0] = h
				break
			}
		}
		if clears {
			return w.Version
		}
	}
	return ""
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// JudgeFactsVulns finds the device's family and version with the
// lifecycle grammars (Detect) and judges them; false when no grammar
// recognises the device, so there is nothing to judge.
func (c *VulnCatalog) JudgeFactsVulns(id Facts, asOf time.Time) (inventory.Vulnerabilities, bool) {
	d, ok := detect(id)
	if !ok || d.rel.Family == FamilyLinux {
		// A vendor the grammars do not read, or an appliance whose
		// sysDescr names only its Linux kernel (QNAP, printers).
		if p, found := vulnProductOf(id); found {
			raw, field := id.Firmware, "firmware"
			if raw == "" {
				raw, field = id.OS, "os"
			}
			return c.JudgeVulns(VulnQuery{Product: p, Raw: raw, Field: field, Model: id.Model}, asOf), true
		}
	}
	if !ok {
		return inventory.Vulnerabilities{}, false
	}
	q := VulnQuery{Product: vulnProductFor(d.rel.Family), Raw: d.field.value, Field: d.field.name, Model: id.Model}
	if q.Product == "" {
		q.Product = string(d.rel.Family)
	}
	return c.JudgeVulns(q, asOf), true
}

// AssessVulns sets the device's vulnerability verdict as of asOf, or
// clears it when no grammar recognises the device.
func (c *VulnCatalog) AssessVulns(d *inventory.Device, asOf time.Time) {
	v, ok := c.JudgeFactsVulns(FactsOf(*d), asOf)
	if !ok {
		d.Vulnerabilities = nil
		return
	}
	d.Vulnerabilities = &v
}
