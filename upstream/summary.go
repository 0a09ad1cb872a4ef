package upstream

import (
	"fmt"
	"slices"
	"time"

	"tend/findings"
	"tend/inventory"
)

// SchemaVersion is the wire format's version, "major.minor". The hub accepts
// any minor version of the majors it knows; see COMPATIBILITY.md.
const SchemaVersion = "1.1"

// schemaMajor is the major version this code reads and writes.
const schemaMajor = "1"

// Summary is what a box sends upstream: the site's state at one moment plus
// what changed since the previous summary. It holds no secrets: no SNMP
// communities or keys, no user data, only what the fleet view shows.
type Summary struct {
	Schema      string    `json:"schema"`       // SchemaVersion of the writer
	Site        string    `json:"site"`         // the site's name at the hub
	Box         string    `json:"box"`          // random id of the box, fixed for its database's life
	BoxVersion  string    `json:"box_version"`  // tend version on the box
	GeneratedAt time.Time `json:"generated_at"` // the box's clock; the hub records its own receive time too
	Seq         uint64    `json:"seq"`          // 1, 2, 3… per box
	FirstSeq    uint64    `json:"first_seq"`    // the oldest sequence number this summary covers (< Seq after coalescing)
	Coalesced   int       `json:"coalesced"`    // how many summaries were merged into this one (1 = none)
	Interval    int       `json:"interval_seconds"`

	Health   Health         `json:"health"`
	Devices  int            `json:"devices"`         // devices known on the box
	ByType   map[string]int `json:"devices_by_type"` // device type → count
	Forecast Forecast       `json:"forecast"`
	Actions  []Action       `json:"actions"` // open actions, most severe first
	// Problems are the open actions grouped one per problem (schema 1.1;
	// absent from older boxes): a remedy that covers many devices is one
	// entry with its device list, under a key stable across summaries.
	Problems []Problem `json:"problems,omitempty"`
	// Vulns is the known-vulnerability exposure (absent from older boxes).
	Vulns *VulnSummary `json:"vulnerabilities,omitempty"`
	// Hygiene is the endpoints' protection, patches, backups and remote
	// access as the wire shows them: counts only, no names (absent from
	// older boxes, and from boxes that see no hygiene traffic at all).
	Hygiene *Hygiene `json:"hygiene,omitempty"`

	Changed        []Device `json:"changed"`         // devices added or changed since the previous summary
	Removed        []string `json:"removed"`         // MACs of devices the box no longer holds
	Events         []Event  `json:"events"`          // notable events since the previous summary, oldest first
	EventsOmitted  int      `json:"events_omitted"`  // events beyond MaxEvents, counted instead of sent
	ChangedOmitted int      `json:"changed_omitted"` // changes beyond MaxChanged, counted instead of sent
}

// Health is a 0-100 score for the site (100 = nothing needs doing) with the
// components it is made of, so the hub can say why a site scores low. The
// box's findings computes it; upstream only carries it.
type Health struct {
	Score      int               `json:"score"`
	Components []HealthComponent `json:"components"`
}

// HealthComponent is one part of the health score.
type HealthComponent struct {
	Name   string `json:"name"`   // e.g. "actions", "identification", "freshness"
	Score  int    `json:"score"`  // 0-100
	Weight int    `json:"weight"` // relative weight in Health.Score
	Detail string `json:"detail"` // one sentence for people
}

// Forecast is the site's equipment lifecycle outlook: devices by firmware
// or OS support status now, and those whose security support ends within
// the next 3, 6 or 12 months, so the provider can budget replacements.
type Forecast struct {
	EOL          int   `json:"eol"`           // no more security fixes now
	EOL12Months  int   `json:"eol_12_months"` // security fixes end within 12 months
	SecurityOnly int   `json:"security_only"`
	Behind       int   `json:"behind"`
	Current      int   `json:"current"`
	Unknown      int   `json:"unknown"`
	Due          []Due `json:"due"` // devices whose support ends within 12 months, soonest first
}

// Due is one device whose security support ends soon.
type Due struct {
	MAC     string    `json:"mac"`
	Name    string    `json:"name"`    // what people call it: hostname, model or MAC
	Product string    `json:"product"` // catalog product and cycle, e.g. "fortios 7.0"
	EOL     time.Time `json:"eol"`
	Within  int       `json:"within_months"` // 3, 6 or 12
}

// Severity is inventory's severity: info, low, medium, high, critical.
type Severity = inventory.Severity

// Action is an open proactive action (a finding) with its evidence.
type Action struct {
	ID        string               `json:"id"`
	Rule      string               `json:"rule"`
	Severity  Severity             `json:"severity"`
	Device    string               `json:"device"` // MAC, or "" for site-wide actions
	Title     string               `json:"title"`
	Action    string               `json:"action"`
	Evidence  []inventory.Evidence `json:"evidence"`
	FirstSeen time.Time            `json:"first_seen"`
}

// Problem is one entry of the site's actions list: the open findings of one
// remedy (findings.Problem), with the devices it covers named, since the
// summary's device records travel only when they change.
type Problem struct {
	Key       string               `json:"key"`
	Rule      string               `json:"rule"`
	Severity  Severity             `json:"severity"`
	Title     string               `json:"title"`
	Action    string               `json:"action"`
	Evidence  []inventory.Evidence `json:"evidence"`
	Devices   []ProblemDevice      `json:"devices"`
	Count     int                  `json:"count"` // len(Devices)
	FirstSeen time.Time            `json:"first_seen"`
}

// ProblemDevice is one device a problem covers.
type ProblemDevice struct {
	Key  string `json:"key"` // MAC, or "ip:" address
	Name string `json:"name,omitempty"`
	IP   string `json:"ip,omitempty"`
}

// Event is a notable event on the LAN (design.md's event contract).
type Event struct {
	Time     time.Time            `json:"time"`
	Type     string               `json:"type"` // snake_case, e.g. new_device
	Severity Severity             `json:"severity"`
	MAC      string               `json:"mac"`
	IP       string               `json:"ip"`
	Summary  string               `json:"summary"`
	Evidence []inventory.Evidence `json:"evidence"`
}

// Device is the part of a box's device record that leaves the box: identity
// and what the fleet view shows. It is an allow-list: SNMP contact and
// location strings, the SNMP version and credentials, neighbours, ports and
// evidence stay on the box.
type Device struct {
	MAC       string    `json:"mac"`
	IP        string    `json:"ip"`
	Vendor    string    `json:"vendor"`
	Hostname  string    `json:"hostname"`
	Type      string    `json:"type"`
	Make      string    `json:"make"`
	Model     string    `json:"model"`
	OS        string    `json:"os"`
	Firmware  string    `json:"firmware"`
	Serial    string    `json:"serial"`
	SysDescr  string    `json:"sys_descr,omitempty"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Sources   []string  `json:"sources"`
	Label     string    `json:"label,omitempty"`
	Lifecycle string    `json:"lifecycle,omitempty"` // firmware/OS status: current, behind, security_only, eol, unknown
	EOL       time.Time `json:"eol,omitzero"`        // end of security support, when known
}

// DeviceFrom copies the fields of d that may leave the box.
func DeviceFrom(d inventory.Device) Device {
	w := Device{
		MAC: d.MAC.String(), Vendor: d.Vendor, Hostname: d.Hostname, Type: string(d.Type),
		Make: d.Make, Model: d.Model, OS: d.OS, Firmware: d.Firmware, Serial: d.Serial,
		FirstSeen: d.FirstSeen.UTC(), LastSeen: d.LastSeen.UTC(), Sources: make([]string, 0, len(d.Sources)),
	}
	if d.IP.IsValid() {
		w.IP = d.IP.String()
	}
	if d.SNMP != nil {
		w.SysDescr = d.SNMP.SysDescr
		if w.Hostname == "" {
			w.Hostname = d.SNMP.SysName
		}
	}
	for _, s := range d.Sources {
		w.Sources = append(w.Sources, string(s))
	}
	w.Label = d.Label
	if d.Lifecycle != nil {
		w.Lifecycle = string(d.Lifecycle.Status)
		if d.Lifecycle.EOL != nil {
			w.EOL = d.Lifecycle.EOL.UTC()
		}
	}
	return w
}

// Hygiene is the site's hygiene shares (findings.HygieneSite, counted).
type Hygiene struct {
	Endpoints24h          int `json:"endpoints_24h"`
	Protected24h          int `json:"protection_heartbeat_24h"`
	Endpoints14d          int `json:"endpoints_14d"`
	Updated14d            int `json:"update_traffic_14d"`
	EncryptedDNS          int `json:"encrypted_dns"`
	BackupTargets         int `json:"backup_targets"`
	RemoteAccessEndpoints int `json:"remote_access_endpoints"`
}

// Shares is "protection 24 h / updates 14 d" in whole percent, for a
// fleet table.
func (h *Hygiene) Shares() string {
	pct := func(a, b int) string {
		if p := inventory.Percent(a, b); p >= 0 {
			return fmt.Sprintf("%d %%", p)
		}
		return "–"
	}
	return pct(h.Protected24h, h.Endpoints24h) + " / " + pct(h.Updated14d, h.Endpoints14d)
}

// hygieneSummary counts the site's hygiene, or nil when no device has any
// (the box sees no such traffic: no mirror port, or capture off).
func hygieneSummary(devs []inventory.Device, now time.Time) *Hygiene {
	if !slices.ContainsFunc(devs, func(d inventory.Device) bool { return d.Hygiene != nil }) {
		return nil
	}
	s := findings.HygieneSite(devs, now)
	return &Hygiene{Endpoints24h: s.Endpoints24h, Protected24h: s.Protected24h, Endpoints14d: s.Endpoints14d, Updated14d: s.Updated14d,
		EncryptedDNS: s.EncryptedDNS, BackupTargets: len(s.BackupTargets), RemoteAccessEndpoints: len(s.RemoteAccess)}
}
