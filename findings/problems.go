package findings

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"tend/inventory"
)

// Problem is one action on the list: a finding, or the findings of one rule
// that share one remedy across devices (a default SNMP community on 40
// devices is one change of community, one ticket, not 40). Device pages keep
// showing each device's own finding; the actions list, reports, summaries
// and outlets carry problems.
type Problem struct {
	// Key is the problem's stable identity: the same problem keeps its key
	// while devices join or leave it, across runs and restarts, so a ticket
	// or an alert follows it until it clears. For a problem of one device
	// the key is that finding's ID.
	Key       string               `json:"key"`
	Rule      string               `json:"rule"`
	Severity  inventory.Severity   `json:"severity"` // the most severe member's
	Title     string               `json:"title"`
	Action    string               `json:"action"`
	Evidence  []inventory.Evidence `json:"evidence"`
	Devices   []string             `json:"devices"`  // device keys (MAC, or "ip:" address), sorted
	Count     int                  `json:"count"`    // len(Devices)
	Findings  []string             `json:"findings"` // member finding IDs
	FirstSeen time.Time            `json:"first_seen"`
	LastSeen  time.Time            `json:"last_seen"`
	// Active reports whether any member still needs doing (see Active).
	Active bool `json:"active"`
}

// fleetTitles are the rules whose remedy is one and the same on every
// device it covers: one problem per site, titled for the whole set.
var fleetTitles = map[string]string{
	RuleSNMPDefaultCommunity: "SNMP answers a default community",
	RuleSNMPNoV3:             "SNMPv1/v2c only (no SNMPv3)",
	RuleSMBv1:                "SMBv1 in use",
	RuleNetBIOSBrowse:        "NetBIOS browser announcements",
	RuleInsecureManagement:   "Management over telnet or plain HTTP",
	RuleCleartextLogins:      "Clear-text logins",
	RuleUnknownDevice:        "Unknown devices awaiting triage",
	RuleLongUptime:           "Devices running more than a year without a reboot",
}

// groupOf returns the discriminator that puts finding f (on device d, nil
// when tend holds no such device) in a problem with others, and that
// problem's title for n devices; ok is false for findings that stand alone
// (a UPS on battery, a rogue DHCP server: each is its own incident).
func groupOf(f *inventory.Finding, d *inventory.Device) (disc string, title func(n int) string, ok bool) {
	if t, fleet := fleetTitles[f.Rule]; fleet {
		return "", func(n int) string { return fmt.Sprintf("%s on %d devices", t, n) }, true
	}
	if d == nil {
		return "", nil, false
	}
	l := d.Lifecycle
	switch f.Rule {
	case RuleFirmwareBehind:
		if l == nil || l.Product == "" {
			return "", nil, false
		}
		return l.Product + "\x00" + l.Latest, func(n int) string {
			return fmt.Sprintf("Firmware update to %s available on %d %s devices", cmp.Or(l.Latest, "the latest release"), n, l.Product)
		}, true
	case RuleFirmwareEOL, RuleFirmwareSecurityOnly:
		if l == nil || l.Product == "" {
			return "", nil, false
		}
		what := "out of security support"
		if f.Rule == RuleFirmwareSecurityOnly {
			what = "in security-only support"
		}
		return l.Product + "\x00" + l.Cycle, func(n int) string {
			return fmt.Sprintf("%s %s %s on %d devices", l.Product, l.Cycle, what, n)
		}, true
	case RuleHardwareEOL:
		if l == nil || l.Hardware == nil || l.Hardware.Model == "" {
			return "", nil, false
		}
		hw := l.Hardware
		return hw.Product + "\x00" + hw.Model, func(n int) string {
			return fmt.Sprintf("%d × %s %s out of vendor support", n, hw.Product, hw.Model)
		}, true
	case RuleReplacementAge:
		t := cmp.Or(d.Type, inventory.TypeUnknown)
		return string(t), func(n int) string { return fmt.Sprintf("%d %s devices past their replacement age", n, t) }, true
	}
	return "", nil, false
}

// ProblemKey returns the key of the problem finding f belongs to; d is its
// device (nil if unknown).
func ProblemKey(f *inventory.Finding, d *inventory.Device) string {
	disc, _, ok := groupOf(f, d)
	if !ok {
		return cmp.Or(f.ID, ID(f.Rule, f.Device))
	}
	return ID(f.Rule, "problem\x00"+disc)
}

// maxProblemEvidence bounds the per-device lines a grouped problem quotes;
// the device list has them all.
const maxProblemEvidence = 20

// Problems groups findings into problems, most severe first, then by rule
// and key. devices resolves finding device keys to devices (for the
// grouping by product or model and for names); now decides Active.
func Problems(fs []inventory.Finding, devices []inventory.Device, now time.Time) []Problem {
	byMAC := make(map[string]*inventory.Device, len(devices))
	for i := range devices {
		byMAC[devices[i].MAC.String()] = &devices[i]
	}
	type acc struct {
		p       Problem
		title   func(int) string
		members []*inventory.Finding
	}
	groups := map[string]*acc{}
	var order []string
	for i := range fs {
		f := &fs[i]
		d := byMAC[f.Device]
		disc, title, ok := groupOf(f, d)
		key := cmp.Or(f.ID, ID(f.Rule, f.Device))
		if ok {
			key = ID(f.Rule, "problem\x00"+disc)
		}
		a := groups[key]
		if a == nil {
			a = &acc{p: Problem{Key: key, Rule: f.Rule, Action: f.Action, FirstSeen: f.FirstSeen, LastSeen: f.LastSeen}, title: title}
			groups[key] = a
			order = append(order, key)
		}
		a.members = append(a.members, f)
	}
	out := make([]Problem, 0, len(order))
	for _, key := range order {
		a := groups[key]
		p := a.p
		slices.SortFunc(a.members, func(x, y *inventory.Finding) int { return cmp.Compare(x.Device, y.Device) })
		for _, f := range a.members {
			p.Severity = worse(cmp.Or(p.Severity, f.Severity), f.Severity)
			if f.Device != "" && !slices.Contains(p.Devices, f.Device) {
				p.Devices = append(p.Devices, f.Device)
			}
			p.Findings = append(p.Findings, f.ID)
			if f.FirstSeen.Before(p.FirstSeen) {
				p.FirstSeen = f.FirstSeen
			}
			if f.LastSeen.After(p.LastSeen) {
				p.LastSeen = f.LastSeen
			}
			p.Active = p.Active || Active(f, now)
		}
		p.Count = len(p.Devices)
		if p.Devices == nil {
			p.Devices = []string{}
		}
		if a.title == nil || len(a.members) == 1 {
			p.Title, p.Evidence = a.members[0].Title, slices.Clone(a.members[0].Evidence)
		} else {
			p.Title = a.title(p.Count)
			for _, f := range a.members[:min(len(a.members), maxProblemEvidence)] {
				p.Evidence = append(p.Evidence, inventory.Evidence{Source: "device", Detail: f.Title})
			}
			if n := len(a.members) - maxProblemEvidence; n > 0 {
				p.Evidence = append(p.Evidence, inventory.Evidence{Source: "device", Detail: fmt.Sprintf("and %d more", n)})
			}
			p.Evidence = append(p.Evidence, a.members[0].Evidence...)
		}
		if p.Evidence == nil {
			p.Evidence = []inventory.Evidence{}
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Problem) int {
		if c := cmp.Compare(b.Severity.Rank(), a.Severity.Rank()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}

// ProblemsOf returns the problems that device key dev is part of, for its
// device page.
func ProblemsOf(ps []Problem, dev string) []Problem {
	var out []Problem
	for _, p := range ps {
		if slices.Contains(p.Devices, dev) {
			out = append(out, p)
		}
	}
	return out
}

// ActiveProblems keeps the problems that still need doing.
func ActiveProblems(ps []Problem) []Problem {
	return slices.DeleteFunc(slices.Clone(ps), func(p Problem) bool { return !p.Active })
}
