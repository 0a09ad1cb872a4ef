package traffic

import (
	"bytes"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"tend/internal/follow"
	"tend/inventory"
)

// HygieneTracker keeps, per endpoint, the hygiene-table products its DNS
// questions and TLS server names matched. Privacy by design: a name that
// matches nothing is dropped where it was decoded; only (product, first,
// last, days) survive, plus when the endpoint last used an encrypted DNS
// resolver and on which days it was active. It is bounded: past MaxHosts
// endpoints new ones are counted in Dropped and not tracked.
type HygieneTracker struct {
	cat      *HygieneCatalog
	maxHosts int

	mu      sync.Mutex
	hosts   map[hygieneKey]*hygieneHost
	dropped uint64
	stats   HygieneStats
	name    []byte       // decode buffer; guarded by mu
	quic    *QUICScratch // QUIC decode buffers, made when the first Initial comes; guarded by mu
	file    *follow.File // FollowFile's (of *HygieneCatalog); nil for none
}

type hygieneHost struct {
	seen      map[int]*hygieneSeen // by product index
	encrypted time.Time
	active    []int64 // Unix days, ascending, at most inventory.MaxActiveDays
	changed   bool    // since the last Changed
}

type hygieneSeen struct {
	_           [0]func() // not comparable: no equality function linked
	first, last time.Time
	days        int
	lastDay     int64 // Unix day of the last counted day
	heartbeat   bool
	weak        bool // every match so far was shared infrastructure or vendor-wide
}

// DefaultHygieneHosts bounds the tracker: a box's LAN, not the internet.
const DefaultHygieneHosts = 4096

// NewHygieneTracker tracks matches against cat; maxHosts ≤ 0 means
// DefaultHygieneHosts.
func NewHygieneTracker(cat *HygieneCatalog, maxHosts int) *HygieneTracker {
	if maxHosts <= 0 {
		maxHosts = DefaultHygieneHosts
	}
	return &HygieneTracker{cat: cat, maxHosts: maxHosts, hosts: map[hygieneKey]*hygieneHost{}, name: make([]byte, 0, MaxNameLen)}
}

// Encrypted DNS: DNS over TLS is TCP port 853; DNS over HTTPS is a TLS
// session to a public resolver, recognised by its server name or address.
// Neither the name nor the address is kept, only when it happened.
const dotPort = 853

// dohNames are the public DNS-over-HTTPS services browsers and operating
// systems offer (Firefox, Chrome and Windows 11's built-in lists, curl's
// DoH provider list).
var dohNames = []string{
	"dns.google", "dns.google.com", "dns64.dns.google",
	"cloudflare-dns.com", "mozilla.cloudflare-dns.com", "chrome.cloudflare-dns.com", "one.one.one.one",
	"1dot1dot1dot1.cloudflare-dns.com", "security.cloudflare-dns.com", "family.cloudflare-dns.com",
	"dns.quad9.net", "dns9.quad9.net", "dns10.quad9.net", "dns11.quad9.net",
	"doh.opendns.com", "doh.familyshield.opendns.com", "dns.nextdns.io", "firefox.dns.nextdns.io",
	"doh.cleanbrowsing.org", "dns.adguard.com", "dns.adguard-dns.com", "doh.dns.sb", "dns.controld.com",
	"freedns.controld.com", "doh.mullvad.net", "dns.mullvad.net", "doh.xfinity.com", "dns.alidns.com", "doh.pub",
}

// dohAddrs are those resolvers' anycast addresses, for DoH clients
// (Windows) that connect by address.
var dohAddrs = []netip.Addr{
	netip.MustParseAddr("1.1.1.1"), netip.MustParseAddr("1.0.0.1"),
	netip.MustParseAddr("8.8.8.8"), netip.MustParseAddr("8.8.4.4"),
	netip.MustParseAddr("9.9.9.9"), netip.MustParseAddr("149.112.112.112"),
	netip.MustParseAddr("208.67.222.222"), netip.MustParseAddr("208.67.220.220"),
	netip.MustParseAddr("94.140.14.14"), netip.MustParseAddr("94.140.15.15"),
	netip.MustParseAddr("2606:4700:4700::1111"), netip.MustParseAddr("2606:4700:4700::1001"),
	netip.MustParseAddr("2001:4860:4860::8888"), netip.MustParseAddr("2001:4860:4860::8844"),
	netip.MustParseAddr("2620:fe::fe"), netip.MustParseAddr("2620:fe::9"),
}

func isDoHName(name []byte) bool {
	for _, n := range dohNames {
		if string(name) == n {
			return true
		}
	}
	return false
}

// ObservePayload reads a client's packet toward dst:dstPort: a DNS
// question (UDP or TCP port 53; answers are ignored, a question names what
// the client wants), a TLS ClientHello on any TCP port or in a QUIC
// Initial packet to UDP 443, or any TCP
// payload to a local update cache's port on a LAN host. It reports
// whether a product matched. It allocates nothing for a name that matches
// nothing.
func (t *HygieneTracker) ObservePayload(client inventory.MAC, udp bool, dst netip.Addr, dstPort uint16, payload []byte, at time.Time) bool {
	if len(payload) == 0 {
		return false
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !udp {
		if idx := t.cat.localCache(dst, dstPort); idx >= 0 {
			t.stats.Matches++
			t.record(client, idx, at)
			return true
		}
	}
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
	case udp && (dstPort == 443 || dstPort == dotPort):
		if !IsQUICInitial(payload) {
			return false
		}
		if dstPort == dotPort { // DNS over QUIC
			t.stats.Encrypted++
			t.encrypted(client, at)
			return false
		}
		if t.quic == nil {
			t.quic = new(QUICScratch)
		}
		n, ok := QUICInitialSNI(payload, t.name, t.quic)
		if ok && isDoHName(n) || slices.Contains(dohAddrs, dst) { // DNS over HTTP/3
			t.stats.Encrypted++
			t.encrypted(client, at)
			return false
		}
		if !ok {
			return false
		}
		name = n
	case !udp && payload[0] == 22:
		n, ok := ClientHelloSNI(payload, t.name)
		if dstPort == dotPort || dstPort == 443 && (ok && isDoHName(n) || slices.Contains(dohAddrs, dst)) {
			if bytes.HasPrefix(payload, []byte{22, 3}) && len(payload) > 5 && payload[5] == 1 { // a ClientHello, with or without a name
				t.stats.Encrypted++
				t.encrypted(client, at)
			}
			return false
		}
		if !ok {
			return false
		}
		name = n
	default:
		return false
	}
	t.stats.Names++
	idx, ok := t.cat.matchIndex(name)
	if !ok {
		return false
	}
	t.stats.Matches++
	t.record(client, idx, at)
	return true
}

// HygieneStats counts what the tracker read: Names is DNS questions and
// TLS server names decoded (none of them is kept), Matches those in the
// table, Encrypted sessions to encrypted DNS resolvers. Names = 0 on a busy
// LAN means the box sees no client traffic beyond broadcasts (no mirror
// port), so the absence of hygiene traffic says nothing.
type HygieneStats struct {
	Names     uint64 `json:"names"`
	Matches   uint64 `json:"matches"`
	Encrypted uint64 `json:"encrypted_dns"`
	Endpoints int    `json:"endpoints"`
	Dropped   uint64 `json:"dropped"`
}

// Stats returns the counters.
func (t *HygieneTracker) Stats() HygieneStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.stats
	s.Endpoints, s.Dropped = len(t.hosts), t.dropped
	return s
}

// host returns client's record, making it if there is room; t.mu is held.
func (t *HygieneTracker) host(client inventory.MAC) *hygieneHost {
	k := hygieneKeyOf(client)
	h := t.hosts[k]
	if h == nil {
		if len(t.hosts) >= t.maxHosts {
			t.dropped++
			return nil
		}
		h = &hygieneHost{seen: map[int]*hygieneSeen{}}
		t.hosts[k] = h
	}
	return h
}

// encrypted notes a session to an encrypted DNS resolver; t.mu is held.
func (t *HygieneTracker) encrypted(client inventory.MAC, at time.Time) {
	h := t.host(client)
	if h == nil {
		return
	}
	if at.After(h.encrypted) {
		if h.encrypted.IsZero() || at.Sub(h.encrypted) > time.Hour {
			h.changed = true
		}
		h.encrypted = at
	}
}

// record notes one match; t.mu is held.
func (t *HygieneTracker) record(client inventory.MAC, idx int, at time.Time) {
	e := &t.cat.Entries[idx]
	h := t.host(client)
	if h == nil {
		return
	}
	prod := t.cat.product[idx]
	s := h.seen[prod]
	if s == nil {
		s = &hygieneSeen{first: at, lastDay: -1, weak: true}
		h.seen[prod] = s
		h.changed = true
	}
	if at.After(s.last) {
		if at.Sub(s.last) > time.Hour {
			h.changed = true
		}
		s.last = at
	}
	if at.Before(s.first) {
		s.first = at
	}
	if day := unixDay(at); day > s.lastDay {
		s.days++
		s.lastDay = day
		h.changed = true
	}
	if e.Heartbeat() && !s.heartbeat || e.Evidence() && s.weak {
		h.changed = true
	}
	s.heartbeat = s.heartbeat || e.Heartbeat()
	s.weak = s.weak && !e.Evidence()
}

func unixDay(t time.Time) int64 { return t.UTC().Unix() / 86400 }

// NoteActive records that an endpoint the tracker already follows sent
// traffic at the given time; endpoints without any match are not tracked
// (no baseline, no gap to report).
func (t *HygieneTracker) NoteActive(client inventory.MAC, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	h := t.hosts[hygieneKeyOf(client)]
	if h == nil {
		return
	}
	if h.noteDay(unixDay(at)) {
		h.changed = true
	}
}

// noteDay adds a day to active, keeping the newest MaxActiveDays.
func (h *hygieneHost) noteDay(day int64) bool {
	i, found := slices.BinarySearch(h.active, day)
	if found {
		return false
	}
	h.active = slices.Insert(h.active, i, day)
	if len(h.active) > inventory.MaxActiveDays {
		h.active = slices.Delete(h.active, 0, len(h.active)-inventory.MaxActiveDays)
	}
	return true
}

// Restore loads what was seen from an endpoint before (the stored record)
// so counts continue across restarts. Products no longer in the table are
// dropped from the tracker (the stored record keeps them until it is
// next written).
func (t *HygieneTracker) Restore(client inventory.MAC, hy inventory.Hygiene) {
	t.mu.Lock()
	defer t.mu.Unlock()
	h := t.host(client)
	if h == nil {
		return
	}
	for _, c := range hy.Categories() {
		for _, p := range *c.Products {
			prod := t.cat.productIndex(c.Name, p.Product)
			if prod < 0 {
				continue
			}
			h.seen[prod] = &hygieneSeen{first: p.FirstSeen, last: p.LastSeen, days: p.DaysSeen, lastDay: unixDay(p.LastSeen), heartbeat: p.Heartbeat, weak: p.Weak}
		}
	}
	h.encrypted = hy.EncryptedDNS
	for _, d := range hy.ActiveDays {
		if day, err := time.Parse(time.DateOnly, d); err == nil {
			h.noteDay(unixDay(day))
		}
	}
}

// Changed returns the endpoints whose record changed in a way worth
// storing (a new product, day or flag, or an hour's more last_seen) since
// the previous call.
func (t *HygieneTracker) Changed() []inventory.MAC {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []inventory.MAC
	for k, h := range t.hosts {
		if h.changed {
			h.changed = false
			out = append(out, inventory.MAC(slices.Clone(k[:])))
		}
	}
	slices.SortFunc(out, func(a, b inventory.MAC) int { return bytes.Compare(a, b) })
	return out
}

// Retry marks an endpoint changed again (its record could not be stored
// yet), so the next Changed returns it.
func (t *HygieneTracker) Retry(client inventory.MAC) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if h := t.hosts[hygieneKeyOf(client)]; h != nil {
		h.changed = true
	}
}

// Hosts returns every endpoint tracked.
func (t *HygieneTracker) Hosts() []inventory.MAC {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]inventory.MAC, 0, len(t.hosts))
	for k := range t.hosts {
		out = append(out, inventory.MAC(slices.Clone(k[:])))
	}
	slices.SortFunc(out, func(a, b inventory.MAC) int { return bytes.Compare(a, b) })
	return out
}

// Dropped is how many matches were not tracked because the table was full.
func (t *HygieneTracker) Dropped() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.dropped
}

// Device is what was seen from one endpoint, an entry's functions
// (heartbeat, update, console) merged into their product, sorted by
// product.
func (t *HygieneTracker) Device(mac inventory.MAC) inventory.Hygiene {
	t.mu.Lock()
	defer t.mu.Unlock()
	var hy inventory.Hygiene
	h := t.hosts[hygieneKeyOf(mac)]
	if h == nil {
		return hy
	}
	for prod, s := range h.seen {
		p := t.cat.products[prod]
		item := inventory.HygieneProduct{Product: p.name, Vendor: p.vendor, FirstSeen: s.first, LastSeen: s.last,
			DaysSeen: s.days, Heartbeat: s.heartbeat, Weak: s.weak}
		switch p.category {
		case HygieneProtection:
			hy.EndpointProtection = append(hy.EndpointProtection, item)
		case HygieneUpdate:
			hy.OSUpdate = append(hy.OSUpdate, item)
		case HygieneBackup:
			hy.Backup = append(hy.Backup, item)
		case HygieneRemote:
			hy.RemoteAccess = append(hy.RemoteAccess, item)
		}
	}
	for _, c := range hy.Categories() {
		slices.SortFunc(*c.Products, func(a, b inventory.HygieneProduct) int { return strings.Compare(a.Product, b.Product) })
	}
	hy.EncryptedDNS = h.encrypted
	for _, d := range h.active {
		hy.ActiveDays = append(hy.ActiveDays, time.Unix(d*86400, 0).UTC().Format(time.DateOnly))
	}
	return hy
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
