package inventory

import "time"

// Hygiene is what the wire shows of an endpoint's protection, patching,
// backups and remote access: per category, the products whose service
// names the endpoint looked up or connected to. Only matches against the
// hygiene table are kept; no other name an endpoint looks up is stored.
type Hygiene struct {
	EndpointProtection []HygieneProduct `json:"endpoint_protection"`
	OSUpdate           []HygieneProduct `json:"os_update"`
	Backup             []HygieneProduct `json:"backup"`
	RemoteAccess       []HygieneProduct `json:"remote_access"`
	// EncryptedDNS is when the endpoint last sent DNS to an encrypted
	// resolver (DNS over TLS or HTTPS): its lookups are hidden from the
	// wire, so only TLS server names can show its products.
	EncryptedDNS time.Time `json:"encrypted_dns,omitzero"`
	// ActiveDays are the UTC days (YYYY-MM-DD, the last 30, oldest first)
	// the endpoint sent traffic on the LAN: a gap in a product's traffic
	// only counts while the endpoint was there.
	ActiveDays []string `json:"active_days,omitempty"`
}

// HygieneProduct is one product seen from one endpoint.
type HygieneProduct struct {
	Product   string    `json:"product"`
	Vendor    string    `json:"vendor"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	// DaysSeen counts the distinct UTC days with at least one match.
	DaysSeen int `json:"days_seen"`
	// Heartbeat is true when a match was an agent's check-in (not an
	// update download or a browser on the vendor's site).
	Heartbeat bool `json:"heartbeat,omitempty"`
	// Weak is true when every match was shared infrastructure or the
	// vendor's whole domain: never evidence on its own.
	Weak bool `json:"weak,omitempty"`
}

// MaxActiveDays bounds Hygiene.ActiveDays.
const MaxActiveDays = 30

// Empty reports whether nothing was seen.
func (h Hygiene) Empty() bool {
	return len(h.EndpointProtection)+len(h.OSUpdate)+len(h.Backup)+len(h.RemoteAccess) == 0 && h.EncryptedDNS.IsZero()
}

// Categories lists the four categories with their JSON names, in order.
func (h *Hygiene) Categories() []HygieneCategory {
	return []HygieneCategory{
		{"endpoint_protection", "Endpoint protection", &h.EndpointProtection},
		{"os_update", "OS updates", &h.OSUpdate},
		{"backup", "Backup", &h.Backup},
		{"remote_access", "Remote access", &h.RemoteAccess},
	}
}

// HygieneCategory is one category of a Hygiene and its products.
type HygieneCategory struct {
	Name, Title string
	Products    *[]HygieneProduct
}

// ActiveSince counts the days in ActiveDays after t's UTC day.
func (h *Hygiene) ActiveSince(t time.Time) int {
	day := t.UTC().Format(time.DateOnly)
	n := 0
	for _, d := range h.ActiveDays {
		if d > day {
			n++
		}
	}
	return n
}

// HygieneSite is the site's view: how many active endpoints showed a
// protection heartbeat in the last 24 hours and update traffic in the last
// 14 days, where backups go, and which endpoints run remote-access tools.
// Endpoints are workstations, servers and unidentified devices, and any
// device with hygiene traffic of its own.
type HygieneSite struct {
	// Seen counts endpoints with any hygiene traffic at all; 0 means the
	// box sees none (capture off, no mirror port) and the shares say nothing.
	Seen         int `json:"endpoints_seen"`
	Endpoints24h int `json:"endpoints_24h"`            // endpoints active in the last 24 h
	Protected24h int `json:"protection_heartbeat_24h"` // … of them with a protection heartbeat in that time
	Endpoints14d int `json:"endpoints_14d"`            // endpoints active in the last 14 days
	Updated14d   int `json:"update_traffic_14d"`       // … of them with OS update traffic in that time
	// EncryptedDNS counts endpoints whose DNS went to an encrypted resolver
	// in the last 14 days: their lookups are hidden from the wire.
	EncryptedDNS  int                       `json:"encrypted_dns"`
	BackupTargets []HygieneBackupTarget     `json:"backup_targets"`
	RemoteAccess  []HygieneRemoteAccessHost `json:"remote_access"`
}

// HygieneBackupTarget is one backup service endpoints send to.
type HygieneBackupTarget struct {
	Product   string    `json:"product"`
	Vendor    string    `json:"vendor"`
	Endpoints int       `json:"endpoints"`
	LastSent  time.Time `json:"last_sent"`
	// Weak: shared object storage or the vendor's site: shows something
	// talks to that cloud, not that it is a backup.
	Weak bool `json:"weak,omitempty"`
}

// HygieneRemoteAccessHost is one endpoint and the remote-access tools seen
// from it.
type HygieneRemoteAccessHost struct {
	MAC   string   `json:"mac"`
	Name  string   `json:"name"`
	Tools []string `json:"tools"`
}

// Percent is part of whole in whole percent, or -1 when whole is 0.
func Percent(part, whole int) int {
	if whole == 0 {
		return -1
	}
	return (part*100 + whole/2) / whole
}
