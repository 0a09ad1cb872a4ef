package lifecycle

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"tend/inventory"

	"tend/internal/lazyre"
	"tend/lifecycle/internal/catalogfile"
)

type catalogBulletin = catalogfile.CiscoBulletin

// firmwareLag is how long after its build a firmware image is still being
// installed on new equipment; a device running firmware built on day D was
// most likely made before D plus this.
const firmwareLag = 365 * 24 * time.Hour

// openEnded is the band width assumed above the lower bound when no
// evidence bounds the age from above: five years, a common service life
// for network equipment, so the band stays honest about what is unknown.
const openEnded = 5.0

// bound narrows the manufacturing date to [lo, hi].
type bound struct {
	_      [0]func() // not comparable: no equality function linked
	lo, hi time.Time // zero = open
	ev     inventory.Evidence
	decade bool // a date code that names only the year's last digit
}

// EstimateAge returns an age band for the equipment, in years as of now,
// from every dated fact the identity and the catalog offer, each listed as
// evidence. A purchase date entered by a person overrides the estimate. It
// returns nil when nothing is known.
func (c *Catalog) EstimateAge(id Facts, now time.Time) *inventory.Age {
	if !id.PurchaseDate.IsZero() {
		y := years(now.Sub(id.PurchaseDate))
		return &inventory.Age{MinYears: y, MaxYears: y, Evidence: []inventory.Evidence{
			{Source: "purchase_date", Detail: "entered by a person: " + id.PurchaseDate.Format(time.DateOnly)}}}
	}
	var bs []bound // strongest first
	if !id.MfgDate.IsZero() {
		bs = append(bs, bound{lo: id.MfgDate, hi: id.MfgDate, ev: inventory.Evidence{Source: "mfg_date", Detail: "reported manufacturing date " + id.MfgDate.Format(time.DateOnly)}})
	}
	var weak []bound
	weak = append(weak, c.modelBounds(id)...)
	det, detected := detect(id) // the running release, read once
	built, hasBuilt := buildDate(id, det, detected, now)
	if hasBuilt {
		weak = append(weak, built)
	}
	if b, ok := c.versionDate(det, detected); ok {
		weak = append(weak, b)
	} else if b, ok := c.cycleEnd(det, detected, now); ok && !hasBuilt {
		weak = append(weak, b)
	}
	if b, ok := c.cpuBound(id); ok {
		weak = append(weak, b)
	}
	for _, b := range serialDates(id, now) {
		// A date code with an ambiguous decade takes the latest reading
		// the other evidence allows.
		if consistent(b, weak) {
			bs = append(bs, b)
			break
		}
	}
	if b, ok := mgmtCardDate(id.SysDescr); ok {
		bs = append(bs, b)
	}
	bs = append(bs, weak...)
	if !id.RunningSince.IsZero() && (id.FirstSeen.IsZero() || id.RunningSince.Before(id.FirstSeen.AddDate(0, 0, -1))) {
		bs = append(bs, bound{hi: id.RunningSince, ev: inventory.Evidence{Source: "uptime", Detail: "in service since " + id.RunningSince.Format(time.DateOnly) + " at the latest (sysUpTime when polled)"}})
	}
	if !id.FirstSeen.IsZero() {
		bs = append(bs, bound{hi: id.FirstSeen, ev: inventory.Evidence{Source: "first_seen", Detail: "seen on the network since " + id.FirstSeen.Format(time.DateOnly)}})
	}
	if len(bs) == 0 {
		return nil
	}
	// Intersect, strongest first; a bound that contradicts the stronger
	// ones is listed but does not narrow the band.
	var lo, hi time.Time
	var ev []inventory.Evidence
	for _, b := range bs {
		nlo, nhi := lo, hi
		if !b.lo.IsZero() && (nlo.IsZero() || b.lo.After(nlo)) {
			nlo = b.lo
		}
		if !b.hi.IsZero() && (nhi.IsZero() || b.hi.Before(nhi)) {
			nhi = b.hi
		}
		if !nlo.IsZero() && !nhi.IsZero() && nlo.After(nhi) {
			b.ev.Detail += " (contradicts stronger evidence; ignored)"
			ev = append(ev, b.ev)
			continue
		}
		lo, hi = nlo, nhi
		ev = append(ev, b.ev)
	}
	if hi.IsZero() || hi.After(now) {
		hi = now // the equipment exists today
	}
	age := &inventory.Age{Evidence: ev}
	age.MinYears = max(0, years(now.Sub(hi)))
	if lo.IsZero() {
		age.MaxYears = age.MinYears + openEnded
		age.Evidence = append(age.Evidence, inventory.Evidence{Source: "assumption",
			Detail: fmt.Sprintf("nothing bounds the age from above; band assumes at most %.0f years more", openEnded)})
	} else {
		age.MaxYears = max(age.MinYears, years(now.Sub(lo)))
	}
	return age
}

func years(d time.Duration) float64 {
	return math.Round(d.Hours()/24/365.25*10) / 10
}

var (
	reCiscoSerial = &lazyre.Regexp{Expr: `^[A-Z]{3}(\d{2})(\d{2})[A-Z0-9]{4}$`}
	reHPSerial    = &lazyre.Regexp{Expr: `^[A-Z0-9]{3}(\d)(\d{2})[A-Z0-9]{4}$`}
	reAPCSerial   = &lazyre.Regexp{Expr: `^[A-Z]{2}(\d{2})(\d{2})\d{6}$`}
	reQNAPSerial  = &lazyre.Regexp{Expr: `^Q(\d{2})([1-9ABC])[A-Z0-9]{5,8}$`}
	reAPCMfg      = &lazyre.Regexp{Expr: `\bMD:(\d{2})/(\d{2})/(\d{4})`}
)

// consistent reports whether b overlaps every bound in others.
func consistent(b bound, others []bound) bool {
	for _, o := range others {
		if (!o.hi.IsZero() && b.lo.After(o.hi)) || (!o.lo.IsZero() && b.hi.Before(o.lo)) {
			return false
		}
	}
	return true
}

// serialDates returns the readings of a serial number's date code, latest
// first (several when the code gives only the last digit of the year).
func serialDates(id Facts, now time.Time) []bound {
	var out []bound
	for back := 0; back < 30; back += 10 {
		b, ok := serialDate(id, now, back)
		if !ok {
			break
		}
		out = append(out, b)
		if !b.decade {
			break
		}
	}
	return out
}

// serialDate decodes the date code some vendors put in serial numbers,
// back years earlier for codes whose decade is ambiguous.
func serialDate(id Facts, now time.Time, back int) (bound, bool) {
	s := strings.ToUpper(strings.TrimSpace(id.Serial))
	hay := id.haystack()
	week := func(year, wk int, how string) (bound, bool) {
		if wk < 1 || wk > 53 || year > now.Year() {
			return bound{}, false
		}
		start := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*(wk-1))
		if start.After(now) {
			return bound{}, false
		}
		return bound{lo: start, hi: start.AddDate(0, 0, 7), ev: inventory.Evidence{Source: "serial",
			Detail: fmt.Sprintf("%s date code in %s: %d week %d", how, s, year, wk)}}, true
	}
	switch {
	case (strings.Contains(hay, "cisco") || strings.HasPrefix(id.oid(), oidCisco)) && reCiscoSerial.MatchString(s):
		// Cisco serials are LLLYYWWSSSS: year since 1996, then the week
		// (Cisco TAC, "Serial number format").
		m := reCiscoSerial.FindStringSubmatch(s)
		y, _ := strconv.Atoi(m[1])
		w, _ := strconv.Atoi(m[2])
		return week(1996+y, w, "Cisco")
	case (strings.Contains(hay, "hp") || strings.Contains(hay, "proliant") || strings.Contains(hay, "hewlett")) && reHPSerial.MatchString(s) && !strings.Contains(hay, "aruba"):
		// HP/HPE ten-character serials: site (3), last digit of the year,
		// week (2). The decade is the latest that is not in the future.
		m := reHPSerial.FindStringSubmatch(s)
		d, _ := strconv.Atoi(m[1])
		w, _ := strconv.Atoi(m[2])
		y := now.Year() - (now.Year()-d)%10 - back
		b, ok := week(y, w, "HP")
		b.decade = true
		return b, ok
	case (strings.Contains(hay, "apc") || strings.Contains(hay, "schneider")) && reAPCSerial.MatchString(s):
		// APC serials: plant (2), year (2), week (2).
		m := reAPCSerial.FindStringSubmatch(s)
		y, _ := strconv.Atoi(m[1])
		w, _ := strconv.Atoi(m[2])
		return week(2000+y, w, "APC")
	case strings.Contains(hay, "qnap") && reQNAPSerial.MatchString(s):
		// QNAP serials: Q, year (2), month (1-9, A-C).
		m := reQNAPSerial.FindStringSubmatch(s)
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.ParseInt(m[2], 16, 0)
		start := time.Date(2000+y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
		if start.After(now) {
			return bound{}, false
		}
		return bound{lo: start, hi: start.AddDate(0, 1, 0), ev: inventory.Evidence{Source: "serial",
			Detail: fmt.Sprintf("QNAP date code in %s: %d-%02d", s, 2000+y, mo)}}, true
	}
	return bound{}, false
}

// mgmtCardDate reads an APC network management card's manufacturing date
// ("MD:04/10/2018", month first) from sysDescr.
func mgmtCardDate(descr string) (bound, bool) {
	m := reAPCMfg.FindStringSubmatch(descr)
	if m == nil {
		return bound{}, false
	}
	t, err := time.Parse("01/02/2006", m[1]+"/"+m[2]+"/"+m[3])
	if err != nil {
		return bound{}, false
	}
	return bound{lo: t, hi: t, ev: inventory.Evidence{Source: "sysDescr", Detail: "management card manufactured " + t.Format(time.DateOnly) + " (" + m[0] + ")"}}, true
}

var buildDateREs = []struct {
	re     *lazyre.Regexp
	layout func(m []string) string
	format string
}{
	// Cisco IOS: "Compiled Thu 28-Sep-17 02:04".
	{&lazyre.Regexp{Expr: `Compiled \w{3} (\d{1,2})-(\w{3})-(\d{2})`}, func(m []string) string { return m[1] + "-" + m[2] + "-" + m[3] }, "2-Jan-06"},
	// Junos "Build date: 2018-09-14"; ISO dates in general.
	{&lazyre.Regexp{Expr: `\b(20\d{2}|19\d{2})-(\d{2})-(\d{2})\b`}, func(m []string) string { return m[1] + "-" + m[2] + "-" + m[3] }, "2006-01-02"},
	// Kernel build stamp: "#1 SMP Mon Dec 12 14:44:53 CST 2016".
	{&lazyre.Regexp{Expr: `\w{3} (\w{3}) +(\d{1,2}) \d{2}:\d{2}:\d{2} (?:[A-Z]{2,5} )?(\d{4})`}, func(m []string) string { return m[1] + " " + m[2] + " " + m[3] }, "Jan 2 2006"},
	// "May 23 2018", "Build Date/Time:Sep 28 2023 12:10:20".
	{&lazyre.Regexp{Expr: `\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}),? (\d{4})\b`}, func(m []string) string { return m[1] + " " + m[2] + " " + m[3] }, "Jan 2 2006"},
	// Brother print servers: "Firmware Ver.1.14  (14.11.06)", year first.
	{&lazyre.Regexp{Expr: `Ver\.\s*\d+\.\d+\s+\((\d{2})\.(\d{2})\.(\d{2})\)`}, func(m []string) string { return m[1] + "." + m[2] + "." + m[3] }, "06.01.02"},
	// "Build 20200805", or a firmware version that is a date: "20201023".
	{&lazyre.Regexp{Expr: `(?i)(?:build\s*|^)(20\d{2})(\d{2})(\d{2})\b`}, func(m []string) string { return m[1] + m[2] + m[3] }, "20060102"},
}

// buildDate finds a firmware build date in the firmware or sysDescr.
func buildDate(id Facts, d detection, detected bool, now time.Time) (bound, bool) {
	if detected && !d.rel.Built.IsZero() {
		return fwBound(d.rel.Built, "firmware", "build date in "+clip(d.field.value)), true
	}
	for _, f := range []field{{"firmware", strings.TrimSpace(id.Firmware)}, {"sysDescr", id.SysDescr}} {
		var best time.Time
		var text string
		for _, r := range buildDateREs {
			for _, m := range r.re.FindAllStringSubmatch(f.value, 4) {
				t, err := time.Parse(r.format, r.layout(m))
				if err != nil || t.After(now) || t.Year() < 1990 {
					continue
				}
				if t.After(best) {
					best, text = t, m[0]
				}
			}
		}
		if !best.IsZero() {
			return fwBound(best, f.name, fmt.Sprintf("firmware built %s (%q)", best.Format(time.DateOnly), strings.TrimSpace(text))), true
		}
	}
	return bound{}, false
}

func fwBound(t time.Time, src, detail string) bound {
	return bound{hi: t.Add(firmwareLag), ev: inventory.Evidence{Source: src,
		Detail: detail + "; equipment is rarely made more than a year after the firmware it runs"}}
}

// versionDate uses the catalog's release date of the running version.
func (c *Catalog) versionDate(d detection, detected bool) (bound, bool) {
	if !detected {
		return bound{}, false
	}
	p := c.product(productFor(d.rel.Family))
	if p == nil {
		return bound{}, false
	}
	if d.rel.Family == FamilyLinux {
		return bound{}, false // appliances ship kernels years older than themselves
	}
	if s, ok := p.Versions[d.rel.Version]; ok {
		t, _ := time.Parse(time.DateOnly, s)
		return fwBound(t, "catalog", fmt.Sprintf("%s %s released %s", p.ID, d.rel.Version, s)), true
	}
	// The first release of a cycle ("7.0.0") dates from the cycle's release.
	if cy, ok := c.findCycle(p, d.rel); ok && !cy.released.t.IsZero() && d.rel.Cycle != "" &&
		(d.rel.Version == d.rel.Cycle || d.rel.Version == d.rel.Cycle+".0" || d.rel.Version == d.rel.Cycle+".0.0") {
		return fwBound(cy.released.t, "catalog", fmt.Sprintf("%s %s is the cycle's first release, released %s", p.ID, d.rel.Version, cy.released)), true
	}
	return bound{}, false
}

// modelBounds dates the model: a Cisco series' release and last ship date,
// a hardware model's release and end of order in the catalog.
func (c *Catalog) modelBounds(id Facts) []bound {
	var bs []bound
	if b, pid, ok := c.ciscoBulletin(id); ok {
		var x bound
		if t, err := time.Parse(time.DateOnly, b.SeriesReleased); err == nil {
			x.lo = t
		}
		if t, err := time.Parse(time.DateOnly, b.LastShip); err == nil {
			x.hi = t
		}
		if !x.lo.IsZero() || !x.hi.IsZero() {
			x.ev = inventory.Evidence{Source: "catalog", Detail: fmt.Sprintf("Cisco %s: series %s released %s, last ship %s (bulletin %s)", pid, b.Series, orNone(b.SeriesReleased), orNone(b.LastShip), b.ID)}
			bs = append(bs, x)
		}
	}
	for _, hp := range hardwareProducts {
		key := hp.key(id)
		if key == "" {
			continue
		}
		p := c.product(hp.product)
		if p == nil {
			continue
		}
		i := slices.IndexFunc(p.cycles, func(cy cycle) bool { return cy.Cycle.Cycle == key })
		if i < 0 {
			continue
		}
		cy := p.cycles[i]
		x := bound{lo: cy.released.t, hi: cy.discontinued.t}
		if x.lo.IsZero() && x.hi.IsZero() {
			continue
		}
		x.ev = inventory.Evidence{Source: "catalog", Detail: fmt.Sprintf("%s %s released %s, end of sale %s", p.ID, key, cy.released, cy.discontinued)}
		bs = append(bs, x)
	}
	return bs
}

var (
	reFortiGateModel = &lazyre.Regexp{Expr: `(?i)^forti(gate|wifi)[ -]?(\d+[a-z]{0,2})$`}
	rePowerEdge      = &lazyre.Regexp{Expr: `(?i)poweredge\s+([a-z]{1,2}\d{3,4}[a-z]{0,2})\b`}
)

// hardwareProducts are catalog products whose cycles are models.
var hardwareProducts = []struct {
	product string
	key     func(Facts) string
}{
	{"fortigate", func(id Facts) string {
		m := reFortiGateModel.FindStringSubmatch(strings.TrimSpace(id.Model))
		if m == nil {
			return ""
		}
		prefix := "fg-"
		if strings.EqualFold(m[1], "wifi") {
			prefix = "fwf-"
		}
		return prefix + strings.ToLower(m[2])
	}},
	{"dell-poweredge", func(id Facts) string {
		if m := rePowerEdge.FindStringSubmatch(id.Model + " " + id.SysDescr); m != nil {
			return strings.ToLower(m[1])
		}
		return ""
	}},
}

// cycleEnd bounds the manufacturing date by the end of support of the
// running release's cycle, when that end has passed and neither the exact
// version's date nor a build date is known: a
// vendor's firmware image is rarely installed on new equipment after its
// cycle stopped getting fixes. Not for Linux kernels (appliances ship old
// ones) or Windows (a licence, not a firmware, chooses the release).
func (c *Catalog) cycleEnd(d detection, detected bool, now time.Time) (bound, bool) {
	if !detected {
		return bound{}, false
	}
	rel := d.rel
	p := c.product(productFor(rel.Family))
	var cy *cycle
	if p != nil {
		cy, _ = c.findCycle(p, rel)
	}
	if cy == nil && rel.Base != nil {
		rel = *rel.Base
		if p = c.product(string(rel.Family)); p != nil {
			cy, _ = c.findCycle(p, rel)
		}
	}
	switch {
	case cy == nil, cy.eol.t.IsZero(), !cy.eol.t.Before(now), rel.Family == FamilyLinux, rel.Family == FamilyWindows, rel.Family == FamilyWindowsSrv:
		return bound{}, false
	}
	return fwBound(cy.eol.t, "catalog", fmt.Sprintf("%s %s runs %s %s, whose support ended %s", p.ID, rel.Version, p.ID, cy.Cycle.Cycle, cy.eol)), true
}

// cpuGenerations maps Intel family 6 CPUID model numbers (Intel SDM vol. 4,
// table 2-1, as Windows' SNMP agent prints them in sysDescr: "Intel64
// Family 6 Model 63") to the catalog's intel-processors cycle. Where one
// model number spans generations the earliest is named: it bounds the age
// only from above.
var cpuGenerations = map[int]string{
	58: "ivy-bridge", 62: "ivy-bridge-xeon",
	60: "haswell", 69: "haswell", 70: "haswell", 63: "haswell-xeon",
	61: "broadwell", 71: "broadwell", 79: "broadwell-xeon", 86: "broadwell-de",
	78: "skylake", 94: "skylake", 142: "kaby-lake", 158: "kaby-lake",
	92: "apollo-lake", 122: "gemini-lake", 55: "bay-trail", 77: "avoton",
	102: "cannon-lake", 125: "ice-lake", 126: "ice-lake", 165: "comet-lake",
	140: "tiger-lake", 141: "tiger-lake", 167: "rocket-lake", 150: "elkhart-lake", 156: "jasper-lake",
	151: "alder-lake", 154: "alder-lake", 183: "raptor-lake", 186: "raptor-lake", 191: "raptor-lake",
	170: "meteor-lake", 189: "lunar-lake", 197: "arrow-lake", 198: "arrow-lake",
}

var (
	reCPUID   = &lazyre.Regexp{Expr: `Intel64 Family 6 Model (\d{1,3}) Stepping`}
	reXeonE   = &lazyre.Regexp{Expr: `Xeon\(R\) CPU E[357]-\d{4}[A-Z]? v([2-4])\b`}
	reCoreGen = &lazyre.Regexp{Expr: `Core\(TM\) i[3579]-(\d{4,5})[A-Z]{0,2}\b`}
)

// cpuBound bounds the manufacturing date from below by the release of the
// processor generation sysDescr names: a machine is no older than its CPU.
func (c *Catalog) cpuBound(id Facts) (bound, bool) {
	p := c.product("intel-processors")
	if p == nil {
		return bound{}, false
	}
	var gen, text string
	if m := reCPUID.FindStringSubmatch(id.SysDescr); m != nil {
		n, _ := strconv.Atoi(m[1])
		gen, text = cpuGenerations[n], m[0]
	} else if m := reXeonE.FindStringSubmatch(id.SysDescr); m != nil {
		gen, text = map[string]string{"2": "ivy-bridge-xeon", "3": "haswell-xeon", "4": "broadwell-xeon"}[m[1]], m[0]
	} else if m := reCoreGen.FindStringSubmatch(id.SysDescr); m != nil {
		// The model number's leading digits are the generation: i7-4770
		// is 4th (Haswell), i5-10400 10th (Comet Lake).
		g := m[1][:1]
		if len(m[1]) == 5 {
			g = m[1][:2]
		}
		gen = map[string]string{"3": "ivy-bridge", "4": "haswell", "5": "broadwell", "6": "skylake", "7": "kaby-lake",
			"8": "coffee-lake", "9": "coffee-lake", "10": "comet-lake", "11": "tiger-lake", "12": "alder-lake",
			"13": "raptor-lake", "14": "raptor-lake"}[g]
		text = m[0]
	}
	if gen == "" {
		return bound{}, false
	}
	i := slices.IndexFunc(p.cycles, func(cy cycle) bool { return cy.Cycle.Cycle == gen })
	if i < 0 || p.cycles[i].released.t.IsZero() {
		return bound{}, false
	}
	cy := p.cycles[i]
	label := cy.Label
	if label == "" {
		label = cy.Cycle.Cycle
	}
	return bound{lo: cy.released.t, ev: inventory.Evidence{Source: "sysDescr",
		Detail: fmt.Sprintf("CPU %q is Intel %s, released %s: the machine is no older", text, label, cy.released)}}, true
}
