package identity

import (
	"sync"
	"time"

	"tend/inventory"
)

// Limits bound how many device records sightings can create, so that a host
// forging source MACs (20,000 ARP frames, each from a new MAC) cannot grow
// the inventory, the database and the summaries sent upstream without end.
// The zero value is the default.
type Limits struct {
	// MaxDevices caps the device records; past it new devices are refused
	// (and counted). Zero means DefaultMaxDevices.
	MaxDevices int
	// PassivePerMinute is how many devices passive sightings alone may
	// create per minute of observation time once Burst is spent. Active
	// sightings (replies to tend's own ARP sweep, SNMP answers) are not
	// limited by it: they answer requests tend chose to send. Zero means
	// DefaultPassivePerMinute.
	PassivePerMinute int
	// Burst is how many passive devices may appear at once (a box plugged
	// into a busy LAN hears most of it in the first minute). Zero means
	// DefaultBurst.
	Burst int
}

// Defaults for Limits: a small office has tens to a few hundred devices; a
// large site a few thousand.
const (
	DefaultMaxDevices       = 10000
	DefaultPassivePerMinute = 60
	DefaultBurst            = 1000
)

// Admitter decides whether an observation of an unknown MAC may create a
// device record: a token bucket over observation time (so replays of
// captures behave as the live box did) for passive sightings, and a cap on
// the total. It is safe for concurrent use.
type Admitter struct {
	lim Limits

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

// NewAdmitter returns an Admitter with a full bucket.
func NewAdmitter(lim Limits) *Admitter {
	if lim.MaxDevices <= 0 {
		lim.MaxDevices = DefaultMaxDevices
	}
	if lim.PassivePerMinute <= 0 {
		lim.PassivePerMinute = DefaultPassivePerMinute
	}
	if lim.Burst <= 0 {
		lim.Burst = DefaultBurst
	}
	return &Admitter{lim: lim, tokens: float64(lim.Burst)}
}

// Admit reports whether o may create a new device while devices records
// exist; each admitted passive sighting spends a token.
func (a *Admitter) Admit(o inventory.Observation, devices int) bool {
	if devices >= a.lim.MaxDevices {
		return false
	}
	if Active(o.Source) {
		return true
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.last.IsZero() && o.Time.After(a.last) {
		a.tokens += o.Time.Sub(a.last).Minutes() * float64(a.lim.PassivePerMinute)
		a.tokens = min(a.tokens, float64(a.lim.Burst))
	}
	if o.Time.After(a.last) {
		a.last = o.Time
	}
	if a.tokens < 1 {
		return false
	}
	a.tokens--
	return true
}

// Active reports whether a sighting of this source answered a request tend
// sent (its ARP sweep, its SNMP poll) rather than being heard on the wire.
func Active(s inventory.Source) bool {
	return s == inventory.SourceARP || s == inventory.SourceSNMP
}

// PassiveOnly reports whether every sighting of d was passive: a device no
// sweep or poll ever confirmed, which may have been forged and may expire.
func PassiveOnly(d *inventory.Device) bool {
	for _, s := range d.Sources {
		if Active(s) {
			return false
		}
	}
	return true
}
