package traffic

import (
	"slices"
	"strings"
	"sync"
	"time"

	"tend/inventory"
)

// HygieneTracker keeps, per endpoint, the hygiene-table products its DNS
// questions and TLS server names matched. Privacy by design: a name that
// matches nothing is dropped where it was decoded; only (product, first,
// last, days) survive. It is bounded: past MaxHosts endpoints new ones are
// counted in Dropped and not tracked.
type HygieneTracker struct {
	cat      *HygieneCatalog
	maxHosts int

	mu      sync.Mutex
	hosts   map[hygieneKey]map[int]*hygieneSeen
	dropped uint64
	name    []byte // decode buffer; guarded by mu
}

type hygieneSeen struct {
	first, last time.Time
	days        int
	lastDay     int64 // Unix day of the last counted day
	heartbeat   bool
}

// DefaultHygieneHosts bounds the tracker: a box's LAN, not the internet.
const DefaultHygieneHosts = 4096

// NewHygieneTracker tracks matches against cat; maxHosts ≤ 0 means
// DefaultHygieneHosts.
func NewHygieneTracker(cat *HygieneCatalog, maxHosts int) *HygieneTracker {
	if maxHosts <= 0 {
		maxHosts = DefaultHygieneHosts
	}
	return &HygieneTracker{cat: cat, maxHosts: maxHosts, hosts: map[hygieneKey]map[int]*hygieneSeen{}, name: make([]byte, 0, MaxNameLen)}
}

// ObservePayload reads a client's packet toward dstPort: a DNS question
// (UDP or TCP port 53; answers are ignored, a question names what the
// client wants) or a TLS ClientHello on any TCP port. It reports whether a
// product matched. It allocates nothing for a name that matches nothing.
func (t *HygieneTracker) ObservePayload(client inventory.MAC, udp bool, dstPort uint16, payload []byte, at time.Time) bool {
	if len(payload) == 0 {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var name []byte
	switch {
	case dstPort == 53 && udp:
		n, response, ok := DNSQuestion(payload, t.name)
		if !ok || response {
			return false
		}
		name = n
	case dstPort == 53:
		msg, ok := DNSOverTCP(payload)
		if !ok {
			return false
		}
		n, response, ok := DNSQuestion(msg, t.name)
		if !ok || response {
			return false
		}
		name = n
	case !udp && payload[0] == 22:
		n, ok := ClientHelloSNI(payload, t.name)
		if !ok {
			return false
		}
		name = n
	default:
		return false
	}
	idx, ok := t.cat.matchIndex(name)
	if !ok {
		return false
	}
	t.record(client, idx, at)
	return true
}

// record notes one match; t.mu is held.
func (t *HygieneTracker) record(client inventory.MAC, idx int, at time.Time) {
	e := &t.cat.Entries[idx]
	seen := t.hosts[hygieneKeyOf(client)]
	if seen == nil {
		if len(t.hosts) >= t.maxHosts {
			t.dropped++
			return
		}
		seen = map[int]*hygieneSeen{}
		t.hosts[hygieneKeyOf(client)] = seen
	}
	s := seen[idx]
	if s == nil {
		s = &hygieneSeen{first: at, lastDay: -1}
		seen[idx] = s
	}
	if at.After(s.last) {
		s.last = at
	}
	if at.Before(s.first) {
		s.first = at
	}
	if day := at.UTC().Unix() / 86400; day != s.lastDay {
		s.days++
		s.lastDay = day
	}
	s.heartbeat = s.heartbeat || e.Heartbeat()
}

// Dropped is how many matches were not tracked because the table was full.
func (t *HygieneTracker) Dropped() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dropped
}

// Device is what was seen from one endpoint, products merged across an
// entry's functions (heartbeat, update, console), sorted by product.
func (t *HygieneTracker) Device(mac inventory.MAC) inventory.Hygiene {
	t.mu.Lock()
	defer t.mu.Unlock()
	var h inventory.Hygiene
	type key struct{ category, product string }
	merged := map[key]*inventory.HygieneProduct{}
	for idx, s := range t.hosts[hygieneKeyOf(mac)] {
		e := &t.cat.Entries[idx]
		k := key{e.Category, productName(e.Product)}
		p := merged[k]
		if p == nil {
			p = &inventory.HygieneProduct{Product: k.product, Vendor: e.Vendor, FirstSeen: s.first, LastSeen: s.last, Weak: true}
			merged[k] = p
		}
		p.FirstSeen = minTime(p.FirstSeen, s.first)
		if s.last.After(p.LastSeen) {
			p.LastSeen = s.last
		}
		p.DaysSeen = max(p.DaysSeen, s.days)
		p.Heartbeat = p.Heartbeat || s.heartbeat
		p.Weak = p.Weak && !e.Evidence()
	}
	for k, p := range merged {
		switch k.category {
		case HygieneProtection:
			h.EndpointProtection = append(h.EndpointProtection, *p)
		case HygieneUpdate:
			h.OSUpdate = append(h.OSUpdate, *p)
		case HygieneBackup:
			h.Backup = append(h.Backup, *p)
		case HygieneRemote:
			h.RemoteAccess = append(h.RemoteAccess, *p)
		}
	}
	for _, l := range []*[]inventory.HygieneProduct{&h.EndpointProtection, &h.OSUpdate, &h.Backup, &h.RemoteAccess} {
		slices.SortFunc(*l, func(a, b inventory.HygieneProduct) int { return strings.Compare(a.Product, b.Product) })
	}
	return h
}

// productName folds an entry's function into its product: "Microsoft
// Defender Antivirus - cloud-delivered protection (MAPS)" is "Microsoft
// Defender Antivirus".
func productName(p string) string {
	if i := strings.Index(p, " - "); i > 0 {
		return p[:i]
	}
	return p
}

// hygieneKey is a MAC as a map key (EUI-48; longer addresses are cut).
type hygieneKey [6]byte

func hygieneKeyOf(m inventory.MAC) (k hygieneKey) {
	copy(k[:], m)
	return k
}

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}
