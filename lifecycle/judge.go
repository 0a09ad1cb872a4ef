package lifecycle

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"tend/inventory"
)

// Confidence levels, so that a verdict says how far to trust it.
const (
	confExact      = 0.9  // a version in the vendor's grammar matched a reviewed catalog cycle
	confUnreviewed = 0.6  // the cycle comes from an endoflife.date draft nobody reviewed
	confBase       = 0.7  // judged by the OS under an appliance (FreeBSD under pfSense)
	confKernel     = 0.5  // only the Linux kernel is known; vendors backport fixes
	confCommunity  = 0.7  // Synology per-model data is community-compiled
	confOlder      = 0.8  // older than any tracked cycle
	confNoLatest   = 0.75 // supported, but the catalog does not track the latest version
)

// productFor maps a family to the catalog product that judges it.
func productFor(f Family) string {
	switch f {
	case FamilyPfSense:
		return "" // not tracked; judged by its FreeBSD base
	case FamilySonicOS, FamilyArubaOSCX, FamilyJunos:
		return "" // no cycle data in the catalog
	}
	return string(f)
}

// Judge returns the lifecycle verdict on a device's firmware as of now,
// with the catalog entries it rests on as evidence. A device whose
// hardware has passed its end of support is eol whatever it runs, and EOL
// is the earliest known end of security support, software or hardware.
func (c *Catalog) Judge(id Facts, now time.Time) inventory.Lifecycle {
	v := c.judgeSoftware(id, now)
	if hw, ok := c.JudgeHardware(id, now); ok {
		v.Hardware = hw.Hardware
		v.Evidence = append(v.Evidence, hw.Evidence...)
		if hw.EOL != nil && (v.EOL == nil || hw.EOL.Before(*v.EOL)) {
			v.EOL = hw.EOL
		}
		if hw.Status == inventory.StatusEOL && v.Status != inventory.StatusEOL {
			v.Status = inventory.StatusEOL
			v.Confidence = hw.Confidence
			if v.Product == "" {
				v.Product, v.Cycle = hw.Product, hw.Cycle
			}
		}
	}
	v.CatalogDate = c.date.Format(time.DateOnly)
	v.Evidence = append(v.Evidence, inventory.Evidence{Source: "catalog", Detail: "catalog dated " + v.CatalogDate})
	return v
}

func (c *Catalog) judgeSoftware(id Facts, now time.Time) inventory.Lifecycle {
	unknown := inventory.Lifecycle{Status: inventory.StatusUnknown}
	d, ok := detect(id)
	if !ok {
		unknown.Evidence = []inventory.Evidence{{Source: "grammar", Detail: "no version grammar recognises this device"}}
		return unknown
	}
	rel := d.rel
	ev := []inventory.Evidence{{Source: d.field.name, Detail: fmt.Sprintf("%s %s read from %q", rel.Family, rel.Version, clip(d.field.value))}}
	if rel.Family == FamilyDSM {
		return c.judgeDSM(id, rel, ev)
	}
	conf := confExact
	if rel.Family == FamilyLinux {
		conf = confKernel
		ev = append(ev, inventory.Evidence{Source: "grammar", Detail: "only the Linux kernel is known; the vendor may backport fixes"})
	}
	pid := productFor(rel.Family)
	p := c.product(pid)
	if p == nil && rel.Base != nil {
		ev = append(ev, inventory.Evidence{Source: "grammar", Detail: fmt.Sprintf("%s %s is built on %s %s", rel.Family, rel.Version, rel.Base.Family, rel.Base.Version)})
		rel, p, conf = *rel.Base, c.product(string(rel.Base.Family)), confBase
	}
	if p == nil {
		unknown.Product, unknown.Cycle = string(rel.Family), rel.Cycle
		unknown.Evidence = append(ev, inventory.Evidence{Source: "catalog", Detail: fmt.Sprintf("no release cycles tracked for %s", rel.Family)})
		return unknown
	}
	if p.Unreviewed {
		conf = min(conf, confUnreviewed)
		ev = append(ev, inventory.Evidence{Source: "catalog", Detail: p.ID + " comes from an unreviewed endoflife.date draft"})
	}
	cy, ok := c.findCycle(p, rel)
	if !ok {
		v := inventory.Lifecycle{Product: p.ID, Cycle: rel.Cycle, Status: inventory.StatusUnknown, Evidence: ev}
		if oldest, older := olderThanTracked(p, rel.Cycle); older {
			v.Status, v.Confidence = inventory.StatusEOL, min(conf, confOlder)
			v.Evidence = append(v.Evidence, inventory.Evidence{Source: "catalog",
				Detail: fmt.Sprintf("%s %s is older than any tracked cycle (oldest %s, released %s)", p.ID, rel.Cycle, oldest.Cycle.Cycle, oldest.released)})
		} else {
			v.Evidence = append(v.Evidence, inventory.Evidence{Source: "catalog", Detail: fmt.Sprintf("%s has no cycle %q", p.ID, rel.Cycle)})
		}
		return v
	}
	v := inventory.Lifecycle{Product: p.ID, Cycle: cy.Cycle.Cycle, Latest: cy.Latest, Confidence: conf, Evidence: ev}
	v.Evidence = append(v.Evidence, inventory.Evidence{Source: "catalog", Detail: fmt.Sprintf("%s %s released %s, active support until %s, security support until %s%s",
		p.ID, cy.Cycle.Cycle, cy.released, cy.support, cy.eol, meaning(p))})
	if !cy.eol.t.IsZero() {
		t := cy.eol.t
		v.EOL = &t
	}
	switch {
	case cy.eol.passed(now):
		v.Status = inventory.StatusEOL
	case cy.support.passed(now):
		v.Status = inventory.StatusSecurityOnly
	case cy.Latest == "" || rel.Family == FamilyWindows || rel.Family == FamilyWindowsSrv || rel.Family == FamilyESXi:
		// Windows' latest is a build, not a patch level; ESXi's is an
		// update name: neither compares with what SNMP shows.
		v.Status, v.Confidence = inventory.StatusCurrent, min(conf, confNoLatest)
		v.Evidence = append(v.Evidence, inventory.Evidence{Source: "catalog", Detail: "supported; the catalog cannot tell whether this is the latest patch"})
	case CompareVersions(rel.Version, cy.Latest) < 0:
		v.Status = inventory.StatusBehind
		v.Behind = behind(p, cy.Cycle.Cycle, rel.Version, cy.Latest)
		v.Evidence = append(v.Evidence, inventory.Evidence{Source: "catalog", Detail: fmt.Sprintf("latest %s is %s, %d release(s) newer", cy.Cycle.Cycle, cy.Latest, v.Behind)})
	default:
		v.Status = inventory.StatusCurrent
	}
	return v
}

func meaning(p *product) string {
	var parts []string
	if p.EOLMeaning != "" && p.EOLMeaning != "default" {
		parts = append(parts, "eol means "+p.EOLMeaning)
	}
	if p.SupportMeaning != "" && p.SupportMeaning != "default" {
		parts = append(parts, "support means "+p.SupportMeaning)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// findCycle finds the release's cycle: by name, or for Windows by build.
func (c *Catalog) findCycle(p *product, rel Release) (*cycle, bool) {
	if rel.Family == FamilyWindows || rel.Family == FamilyWindowsSrv {
		// Several cycles share a build (1809 W, E, E-LTSC; Server 2019 and
		// its SAC twin). Prefer the LTSC one for servers and the consumer
		// (W) edition, the shortest-lived, for workstations.
		var best *cycle
		for i := range p.cycles {
			cy := &p.cycles[i]
			if cy.Latest == "" || CompareVersions(cy.Latest, rel.Version) != 0 {
				continue
			}
			switch {
			case best == nil,
				rel.Family == FamilyWindowsSrv && cy.LTS && !best.LTS,
				rel.Family == FamilyWindows && strings.HasSuffix(cy.Cycle.Cycle, "-w"):
				best = cy
			}
		}
		return best, best != nil
	}
	for i := range p.cycles {
		if p.cycles[i].Cycle.Cycle == rel.Cycle {
			return &p.cycles[i], true
		}
	}
	return nil, false
}

// olderThanTracked reports whether cycle sorts before every tracked cycle
// of p, so "older than any tracked cycle" can count as end of life.
func olderThanTracked(p *product, cyc string) (*cycle, bool) {
	if cyc == "" || len(p.cycles) == 0 || !isDigit(cyc[0]) {
		return nil, false
	}
	var oldest *cycle
	for i := range p.cycles {
		cy := &p.cycles[i]
		if cy.Cycle.Cycle == "" || !isDigit(cy.Cycle.Cycle[0]) {
			return nil, false // names that do not order as versions
		}
		if oldest == nil || CompareVersions(cy.Cycle.Cycle, oldest.Cycle.Cycle) < 0 {
			oldest = cy
		}
	}
	return oldest, CompareVersions(cyc, oldest.Cycle.Cycle) < 0
}

// behind counts the catalog's versions of a cycle newer than running, or
// 1 when the catalog does not list them.
func behind(p *product, cyc, running, latest string) int {
	n := 0
	for v := range p.Versions {
		if (v == cyc || strings.HasPrefix(v, cyc+".")) && CompareVersions(v, running) > 0 && CompareVersions(v, latest) <= 0 {
			n++
		}
	}
	return max(n, 1)
}

func (c *Catalog) judgeDSM(id Facts, rel Release, ev []inventory.Evidence) inventory.Lifecycle {
	v := inventory.Lifecycle{Product: string(FamilyDSM), Cycle: rel.Cycle, Status: inventory.StatusUnknown, Evidence: ev}
	m, ok := c.synology[normModel(id.Model)]
	if !ok {
		v.Evidence = append(v.Evidence, inventory.Evidence{Source: "catalog", Detail: fmt.Sprintf("Synology model %q not in the per-model DSM list", id.Model)})
		return v
	}
	v.Latest, v.Confidence = m.Latest, confCommunity
	v.Evidence = append(v.Evidence, inventory.Evidence{Source: "catalog", Detail: fmt.Sprintf("Synology %s: DSM %s to %s (community data)", m.Model, m.First, m.Latest)})
	switch {
	case m.EOL:
		v.Status = inventory.StatusEOL
		v.Evidence = append(v.Evidence, inventory.Evidence{Source: "catalog", Detail: fmt.Sprintf("Synology %s no longer receives DSM updates", m.Model)})
	case rel.Build != "" && CompareVersions(rel.Build, strconv.Itoa(m.LatestBuild)) < 0:
		// DSM builds rise across versions ("6.2-25426" < "6.2.4-25556"),
		// so the build orders releases where the dotted version may not.
		v.Status, v.Behind = inventory.StatusBehind, 1
	case rel.Version != "":
		v.Status = inventory.StatusCurrent
	}
	if m.LatestBuild < c.newestDSMBuild {
		v.Evidence = append(v.Evidence, inventory.Evidence{Source: "catalog", Detail: fmt.Sprintf("Synology %s is capped at DSM %s, below the current DSM %s", m.Model, m.Latest, c.newestDSM)})
		if v.Status == inventory.StatusCurrent {
			v.Status = inventory.StatusSecurityOnly
		}
	}
	return v
}

// JudgeHardware returns the end-of-sale and end-of-support verdict on the
// device's hardware, from Cisco bulletins by part number, Synology's
// per-model DSM list and the catalog's hardware products (FortiGate, Dell
// PowerEdge models); false when the catalog knows nothing of the model.
// The verdict's Hardware field carries the dates.
func (c *Catalog) JudgeHardware(id Facts, now time.Time) (inventory.Lifecycle, bool) {
	if b, pid, ok := c.ciscoBulletin(id); ok {
		v := inventory.Lifecycle{Product: "cisco-hardware", Cycle: pid, Status: inventory.StatusCurrent, Confidence: confExact}
		v.Evidence = []inventory.Evidence{{Source: "catalog", Detail: fmt.Sprintf("Cisco %s (%s) bulletin %s: end of sale %s, end of security fixes %s, last day of support %s",
			pid, b.Series, b.ID, orNone(b.EndOfSale), orNone(b.EndOfSecurity), orNone(b.LastSupport))}}
		end := b.LastSupport
		if b.EndOfSecurity != "" {
			end = b.EndOfSecurity
		}
		if t, err := time.Parse(time.DateOnly, end); err == nil {
			v.EOL = &t
			if !now.Before(t) {
				v.Status = inventory.StatusEOL
			}
		}
		if v.Status != inventory.StatusEOL {
			if t, err := time.Parse(time.DateOnly, b.EndOfSWMaint); err == nil && !now.Before(t) {
				v.Status = inventory.StatusSecurityOnly
			}
		}
		v.Hardware = &inventory.HardwareLifecycle{Product: v.Product, Model: pid, Status: v.Status, EOL: v.EOL, EndOfSale: dateOrNil(b.EndOfSale)}
		return v, true
	}
	if m, ok := c.synology[normModel(id.Model)]; ok && m.EOL {
		return inventory.Lifecycle{Product: "synology-hardware", Cycle: m.Model, Status: inventory.StatusEOL, Latest: m.Latest, Confidence: confCommunity,
			Hardware: &inventory.HardwareLifecycle{Product: "synology-hardware", Model: m.Model, Status: inventory.StatusEOL},
			Evidence: []inventory.Evidence{{Source: "catalog", Detail: fmt.Sprintf("Synology %s: last DSM %s, marked end of life (community data)", m.Model, m.Latest)}}}, true
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
		i := slices.IndexFunc(p.cycles, func(cy cycle) bool { return strings.EqualFold(cy.Cycle.Cycle, key) })
		if i < 0 {
			continue
		}
		cy := p.cycles[i]
		if !cy.eol.known() && !cy.discontinued.known() {
			continue // only a release date: that dates the hardware, it does not judge it
		}
		v := inventory.Lifecycle{Product: p.ID, Cycle: cy.Cycle.Cycle, Status: inventory.StatusCurrent, Confidence: confExact}
		if p.Unreviewed {
			v.Confidence = confUnreviewed
		}
		if !cy.eol.t.IsZero() {
			t := cy.eol.t
			v.EOL = &t
		}
		if cy.eol.passed(now) {
			v.Status = inventory.StatusEOL
		}
		hw := &inventory.HardwareLifecycle{Product: p.ID, Model: cy.Cycle.Cycle, Status: v.Status, EOL: v.EOL}
		if !cy.discontinued.t.IsZero() {
			t := cy.discontinued.t
			hw.EndOfSale = &t
		}
		v.Hardware = hw
		v.Evidence = []inventory.Evidence{{Source: "catalog", Detail: fmt.Sprintf("%s %s released %s, end of sale %s, end of support %s",
			p.ID, cy.Cycle.Cycle, cy.released, cy.discontinued, cy.eol)}}
		return v, true
	}
	return inventory.Lifecycle{}, false
}

func dateOrNil(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil
	}
	return &t
}

// ciscoBulletin finds the bulletin for a Cisco part number in the model
// field, trying the part as given and without a trailing revision word.
func (c *Catalog) ciscoBulletin(id Facts) (b catalogBulletin, pid string, ok bool) {
	for _, cand := range strings.Fields(strings.ToUpper(id.Model)) {
		for _, p := range []string{cand, strings.TrimSuffix(cand, "="), cand + "="} {
			if b, found := c.cisco.find(p); found {
				return b, p, true
			}
		}
	}
	return catalogBulletin{}, "", false
}

func orNone(s string) string {
	if s == "" {
		return "none announced"
	}
	return s
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
