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

// Empty reports whether nothing was seen.
func (h Hygiene) Empty() bool {
	return len(h.EndpointProtection)+len(h.OSUpdate)+len(h.Backup)+len(h.RemoteAccess) == 0
}
