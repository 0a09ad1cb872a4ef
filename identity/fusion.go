package identity

import (
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"tend/inventory"
)

// Fuser decides which device an observation is about, so that one physical
// thing stays one device: a phone that randomises its MAC, a switch whose
// LLDP frames come from port MACs while its management address answers with
// the chassis MAC, a gateway announcing its other interfaces.
//
// The rules, strongest first:
//
//   - A device's own statement links MACs without doubt: the LLDP chassis ID
//     next to a port MAC, the interface list of a Ubiquiti announcement.
//   - A DHCP client identifier (RFC 2131 9.14, unique per client by
//     definition) links a new MAC to the device that used it before, provided
//     the two MACs were never heard at the same time (and, for a burnt-in
//     MAC, the old one had been silent for burntInQuiet). Two live MACs
//     sharing an identifier are cloned machines, not one: a suggestion.
//   - A host name or mDNS name links a new randomised (locally administered)
//     MAC to an earlier randomised-MAC device of that name, again only when
//     they never overlapped. Anything weaker (a burnt-in MAC, a generic name
//     like "android", overlapping sightings) becomes a merge suggestion on the
//     device, never a silent merge.
//
// MACs are the keys; addresses never are, so a router answering for many
// addresses with one MAC stays one device, and two MACs using the same
// address one after the other stay two. A Fuser is safe for concurrent use.
type Fuser struct {
	mu        sync.Mutex
	alias     map[string]string // MAC -> canonical MAC (absent: itself)
	clientID  map[string]string // DHCP client identifier -> canonical MAC
	names     map[string]string // lower-case name -> canonical MAC
	random    map[string]bool   // canonical MAC -> it has used a randomised MAC
	firstSeen map[string]time.Time
	lastSeen  map[string]time.Time   // per MAC, not per canonical device
	polled    map[string]polledAgent // canonical MAC -> what it said when tend polled it over SNMP
	macs      [1 << macStringBits]macString
	// maxKeys caps each of the maps above (maxTracked); dropped counts
	// the keys and sightings let go at the cap (Dropped).
	maxKeys int
	dropped uint64
	fuserIndex
}

// macStringBits sizes Fuser.macs: the strings of the last 128 MACs
// resolved, 3 kB. A replay resolves every observation it folds, most of
// them a few devices' again, and MAC.String allocated a new string each
// time (the maps' keys are strings, and a string is never changed, so
// one made before serves as well).
const macStringBits = 7

// macString is one of Fuser.macs: a 6-byte MAC and its String.
type macString struct {
	_   [0]func() // not comparable: no equality function linked
	mac [6]byte
	s   string
}

// macString returns m.String(), made again only when m is not the MAC
// last resolved in its slot of f.macs. f.mu is held.
func (f *Fuser) macString(m inventory.MAC) string {
	if len(m) != 6 {
		return m.String()
	}
	k := [6]byte(m)
	h := (uint64(k[0])<<40 | uint64(k[1])<<32 | uint64(k[2])<<24 | uint64(k[3])<<16 | uint64(k[4])<<8 | uint64(k[5])) * 0x9e3779b97f4a7c15
	e := &f.macs[h>>(64-macStringBits)]
	if e.s == "" || e.mac != k {
		e.mac, e.s = k, m.String()
	}
	return e.s
}

// polledAgent is what a device tend polled over SNMP said about itself.
type polledAgent struct {
	_    [0]func() // not comparable: no equality function linked
	name string    // nameKey of sysName
	ip   netip.Addr
}

// NewFuser returns an empty Fuser; Learn seeds it with stored devices.
func NewFuser() *Fuser {
	return &Fuser{
		alias: map[string]string{}, clientID: map[string]string{}, names: map[string]string{},
		random: map[string]bool{}, firstSeen: map[string]time.Time{}, lastSeen: map[string]time.Time{},
		polled: map[string]polledAgent{}, fuserIndex: newFuserIndex(), maxKeys: maxTracked,
	}
}

// Dropped is how many names, client identifiers, MAC links and
// randomised-MAC marks the Fuser let go at its cap (maxTracked keys a map)
// since it was made.
func (f *Fuser) Dropped() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dropped
}

// Fusion is what Resolve decided beyond the rewritten observation.
type Fusion struct {
	// Absorb lists MACs whose device records, if the caller keeps any, are
	// the observation's device now: fold them in with inventory.Absorb and
	// delete them.
	Absorb []inventory.MAC
}

// Learn seeds the Fuser with a device already known (from storage at start).
func (f *Fuser) Learn(d inventory.Device) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := d.MAC.String()
	if c == "" {
		return
	}
	f.recentStale = true // aliases set outside link
	f.seen(c, d.FirstSeen)
	f.seen(c, d.LastSeen)
	for _, m := range d.OtherMACs {
		f.setAlias(m.String(), c)
	}
	for _, id := range d.ClientIDs {
		f.setClientID(id, c)
	}
	for _, n := range append([]string{d.Hostname}, d.Names...) {
		if k := nameKey(n); k != "" {
			if _, ok := f.names[k]; !ok {
				f.setName(k, c)
			}
		}
	}
	if d.RandomMAC {
		f.markRandom(c)
	}
	if d.SNMP != nil {
		f.polled[c] = polledAgent{name: nameKey(d.SNMP.SysName), ip: d.IP}
	}
}

// corroborated reports whether a frame heard from mac that names other (its
// chassis MAC, or one of its interfaces) may link the two MACs as one device.
// Anyone on the LAN can send such a frame, so one of these must hold:
//   - other is not a device: it was never heard itself;
//   - tend polled the frame's sender over SNMP (the statement came as an
//     answer to tend, not as a frame anyone could forge);
//   - other, or the sender, belongs to a device tend polled over SNMP, and
//     the frame gives the name or the address that device gave in its SNMP
//     answer;
//   - the two were never heard at the same time: other's device had been
//     silent for burntInQuiet when mac was first heard.
func (f *Fuser) corroborated(o *inventory.Observation, mac, other string) bool {
	oc := f.canonical(other)
	if _, heard := f.firstSeen[other]; !heard && oc == other {
		if _, poll := f.polled[oc]; !poll {
			return true
		}
	}
	if o.Source == inventory.SourceSNMP {
		return true
	}
	for _, c := range []string{oc, f.canonical(mac)} {
		if p, ok := f.polled[c]; ok {
			if (p.name != "" && nameKey(o.Hostname) == p.name) || (p.ip.IsValid() && o.IP == p.ip) {
				return true
			}
		}
	}
	return f.quietFor(oc, mac) >= burntInQuiet
}

// Resolve returns o rewritten to its device's canonical MAC (the MAC it was
// heard with goes to OtherMACs) with any merge suggestions attached, and
// which other device records it absorbed.
func (f *Fuser) Resolve(o inventory.Observation) (inventory.Observation, Fusion) {
	fu := f.ResolveIn(&o)
	return o, fu
}

// ResolveIn is Resolve rewriting o in place: storage's fold resolves every
// observation a replay makes, and copying the half-kilobyte Observation in
// and out was most of the call.
func (f *Fuser) ResolveIn(o *inventory.Observation) Fusion {
	if o.MAC.IsZero() {
		return Fusion{}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	mac := f.macString(o.MAC)
	_, known := f.firstSeen[mac]
	r := &resolution{f: f, mac: mac, canon: f.canonical(mac)}
	f.seen(mac, o.Time)
	if o.MAC.LocallyAdministered() {
		f.markRandom(r.canon)
	}
	if o.Source == inventory.SourceSNMP && o.SNMP != nil {
		f.polled[r.canon] = polledAgent{name: nameKey(o.SNMP.SysName), ip: o.IP}
	}

	// 1. The device's own word: chassis MAC and interface list.
	r.selfStatement(o)

	// 2. DHCP client identifier.
	if id := o.DHCPClientID; id != "" {
		c, ok := f.clientID[id]
		c = f.canonical(c)
		switch {
		case !ok:
			f.setClientID(id, r.canon)
		case c != r.canon && f.apart(c, mac) && (o.MAC.LocallyAdministered() || f.quietFor(c, mac) >= burntInQuiet):
			r.link(r.canon, c)
		case c != r.canon:
			o.MergeSuggestions = append(o.MergeSuggestions, suggestion(c, 0.7,
				"same DHCP client identifier "+id+", but both MACs were heard at the same time (a cloned machine?)"))
		}
	}

	// 3. Names.
	r.name(o, o.Hostname, known)
	for _, n := range o.Names {
		r.name(o, n, known)
	}

	if r.canon != mac {
		o.OtherMACs = append(slices.Clone(o.OtherMACs), o.MAC)
		m, _ := inventory.ParseMAC(r.canon)
		o.MAC = m
	}
	o.MergeSuggestions = slices.DeleteFunc(o.MergeSuggestions, func(s inventory.MergeSuggestion) bool {
		return f.canonical(s.MAC.String()) == r.canon
	})
	return r.fu
}

// name is ResolveIn's step 3 for one of o's names, n: a name another
// device has links a randomised MAC to it, or suggests a merge. known is
// whether the MAC heard was heard before.
func (r *resolution) name(o *inventory.Observation, n string, known bool) {
	f := r.f
	k := nameKey(n)
	if k == "" {
		return
	}
	c, ok := f.names[k]
	c = f.canonical(c)
	switch {
	case !ok:
		f.setName(k, r.canon)
	case c == r.canon:
	case o.MAC.LocallyAdministered() && f.random[c] && f.apart(c, r.mac) && !known:
		r.link(r.canon, c)
	default:
		o.MergeSuggestions = append(o.MergeSuggestions, suggestion(c, 0.5, "same name "+n))
	}
}

// resolution is one Resolve in progress (under the Fuser's lock): the MAC
// heard, its device's canonical MAC so far and the records absorbed.
type resolution struct {
	f     *Fuser
	mac   string
	canon string
	fu    Fusion
}

// link makes from's device part of to's: every alias, client identifier
// and name of from now leads to to, and from's record is to be absorbed.
func (r *resolution) link(from, to string) {
	f := r.f
	from, to = f.canonical(from), f.canonical(to)
	if from == to || f.full(f.alias, from) { // at the cap the two stay apart
		return
	}
	f.relink(from, to)
	f.setAlias(from, to)
	f.moveRecent(from, to)
	if f.random[from] {
		f.markRandom(to)
	}
	if m, err := inventory.ParseMAC(from); err == nil {
		r.fu.Absorb = append(r.fu.Absorb, m)
	}
	r.canon = f.canonical(r.mac)
}

// selfStatement applies what a device says about its own MACs (an LLDP
// chassis MAC, a Ubiquiti interface list). Anyone can send such a frame, so
// naming a MAC that is another live device's needs corroboration (see
// corroborated); otherwise it becomes a merge suggestion and the claim is
// dropped from o.
func (r *resolution) selfStatement(o *inventory.Observation) {
	f, mac := r.f, r.mac
	if c := o.ChassisMAC.String(); !o.ChassisMAC.IsZero() && c != mac {
		if f.corroborated(o, mac, c) {
			r.link(mac, c) // the chassis MAC names the box
		} else {
			o.MergeSuggestions = append(o.MergeSuggestions, suggestion(f.canonical(c), 0.6,
				"its "+string(o.Source)+" frame names chassis "+c+", a device heard at the same time (unconfirmed)"))
			o.ChassisMAC = nil // not this device's MAC until confirmed
		}
	}
	var unconfirmed []string
	for _, m := range o.OtherMACs {
		ms := m.String()
		_, heard := f.firstSeen[ms]
		switch {
		case !heard && f.alias[ms] == "":
			if f.setAlias(ms, r.canon) { // not a device (yet): nothing to take over
				f.moveRecent(ms, r.canon)
			}
		case f.corroborated(o, mac, ms):
			r.link(ms, r.canon)
		default:
			o.MergeSuggestions = append(o.MergeSuggestions, suggestion(f.canonical(ms), 0.6,
				"its "+string(o.Source)+" announcement lists "+ms+", a device heard at the same time (unconfirmed)"))
			unconfirmed = append(unconfirmed, ms)
		}
	}
	if len(unconfirmed) > 0 {
		o.OtherMACs = slices.DeleteFunc(slices.Clone(o.OtherMACs), func(m inventory.MAC) bool { return slices.Contains(unconfirmed, m.String()) })
	}
}

func (f *Fuser) canonical(mac string) string {
	for range 8 { // links are flattened on creation; the bound guards against a cycle
		c, ok := f.alias[mac]
		if !ok || c == mac {
			return mac
		}
		mac = c
	}
	return mac
}

// maxTracked bounds the MACs a Fuser remembers sightings of; past it the
// tenth heard from longest ago are forgotten (a flood of forged source MACs
// must not grow memory without limit). Their links stay. It caps the
// alias, client identifier, name and randomised-MAC maps too: past it a
// new key is let go and counted (Dropped), the devices learned first kept.
const maxTracked = 1 << 16

func (f *Fuser) seen(mac string, t time.Time) {
	if t.IsZero() {
		return
	}
	if _, ok := f.firstSeen[mac]; !ok && len(f.firstSeen) >= f.maxKeys {
		f.prune()
	}
	if first, ok := f.firstSeen[mac]; !ok || t.Before(first) {
		f.firstSeen[mac] = t
	}
	if t.After(f.lastSeen[mac]) {
		f.lastSeen[mac] = t
		f.heard(mac, t)
	}
}

func (f *Fuser) prune() {
	type entry struct {
		mac  string
		last time.Time
	}
	all := make([]entry, 0, len(f.lastSeen))
	for m, l := range f.lastSeen {
		all = append(all, entry{m, l})
	}
	slices.SortFunc(all, func(a, b entry) int { return a.last.Compare(b.last) })
	for _, e := range all[:len(all)/10+1] {
		delete(f.lastSeen, e.mac)
		delete(f.firstSeen, e.mac)
		f.forget(e.mac)
	}
	f.recentStale = true
}

// forget lets go of the names, client identifiers and randomised-MAC mark
// of mac's device when mac, whose sightings prune forgot, was the device
// on its own (its canonical MAC, no other MAC linked to it): a flood's
// forged MACs, heard once, are the first pruned, and the room they held
// under the maps' cap goes back to the devices heard since. A device
// with linked MACs keeps everything, as links do.
func (f *Fuser) forget(mac string) {
	if f.canonical(mac) != mac {
		return
	}
	for _, k := range f.aliasOf[mac] {
		if f.alias[k] == mac {
			return
		}
	}
	delete(f.aliasOf, mac)
	for _, k := range f.namesOf[mac] {
		if f.names[k] == mac {
			delete(f.names, k)
		}
	}
	delete(f.namesOf, mac)
	for _, id := range f.clientIDsOf[mac] {
		if f.clientID[id] == mac {
			delete(f.clientID, id)
		}
	}
	delete(f.clientIDsOf, mac)
	delete(f.random, mac)
}

// apart reports whether the MACs of device canon were all silent before mac
// was first heard: one thing that changed its address, not two at once.
func (f *Fuser) apart(canon, mac string) bool {
	last, ok := f.latestOther(canon, mac)
	return !ok || last.Before(f.firstSeen[mac])
}

// burntInQuiet is how long a device must have been silent before a new
// burnt-in (globally unique) MAC with its DHCP client identifier counts as
// the same device (a replaced network card). Randomised MACs rotate on the
// spot and need no gap; a clone booted a minute after its original must not
// be merged into it.
const burntInQuiet = 5 * time.Minute

// quietFor is how long device canon had been silent when mac was first heard.
func (f *Fuser) quietFor(canon, mac string) time.Duration {
	last, _ := f.latestOther(canon, mac)
	return f.firstSeen[mac].Sub(last)
}

func suggestion(canon string, confidence float64, why string) inventory.MergeSuggestion {
	m, _ := inventory.ParseMAC(canon)
	return inventory.MergeSuggestion{MAC: m, Confidence: confidence, Evidence: []inventory.Evidence{{Source: "fusion", Detail: why}}}
}

// genericNames are host names that many unrelated devices share; they never
// tie devices together.
var genericNames = map[string]bool{
	"localhost": true, "android": true, "iphone": true, "ipad": true, "unknown": true, "none": true, "(none)": true,
	"ubnt": true, "switch": true, "router": true, "printer": true, "espressif": true, "esp32": true, "raspberrypi": true,
	"dhcp": true, "workgroup": true, "wpad": true, "isatap": true, "debian": true, "ubuntu": true,
}

// nameKey is the comparison form of a name, or "" for a name too generic
// or short to mean anything.
func nameKey(n string) string {
	k := strings.ToLower(strings.TrimSpace(n))
	if len(k) < 3 || genericNames[k] {
		return ""
	}
	return k
}
