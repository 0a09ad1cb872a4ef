package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/capture"
	"tend/inventory"
)

// A random-subdomain flood ("water torture") below the rates a flood's
// state judges (udpSmallRate from one sender), or spread over hosts that
// each send a few hundred queries a second or fewer, is still the same
// shape at the resolver: names nobody asked before, each a fresh label
// left of one and the same stem (x8f2k.victim.example,
// q91az.victim.example, ...), the resolver answering them NXDOMAIN (or
// SERVFAIL once the zone's servers give up). It costs the victim zone's
// servers and the resolver a recursion each, whoever sends them. So the
// queries to port 53 are also counted per resolver and stem (the name
// left of its first label, two labels or more: dnsWaterZone), in a window
// of dnsWaterWindow, with the resolver's responses under the stem: a stem
// asked dnsWaterMin times or more over dnsWaterHeld or longer, nine in
// ten of its names fresh (dnsWaterNames: not asked lately by their
// sender; a botnet's hosts reading one list of labels each ask the
// same names), the resolver
// answering half of them or more and fewer than one answer in
// dnsWaterFound NOERROR is one random-subdomain flood, raised as a flood
// toward the resolver naming the stem and the senders with their counts.
//
// What else asks many fresh names is left out: a CDN's or a cloud's
// hashed host names are found (NOERROR); reverse names (a monitoring
// tool resolving a /24, under in-addr.arpa) and the blocklists' names
// (listedAddress, listedDomain: a mail gateway's DNSBL lookups, answered
// NXDOMAIN where not listed) and reputation lookups by digest (hashLookup:
// antivirus, answered NXDOMAIN where the file is unknown) are not counted;
// nor names under an underscore label (DKIM, DNS-SD) or under a one-label
// stem (Chrome's random-label probes, three single labels or a label
// under the search domain, a few at a time; mDNS is not on port 53). A
// search list's suffix appended to names that exist elsewhere
// (www.example.com.corp.lan, b7.svc3.cloud.com.corp.lan) is not counted
// either (searchSuffixed): a top-level label with two or more labels
// after it.
const (
	dnsWaterZones  = 32   // resolver-and-stem counts kept (beyond: the fewest queries' slot is taken)
	dnsWaterNames  = 4096 // recent names' keys, for freshness
	dnsWaterSrcs   = 16   // senders counted per stem (beyond: others)
	dnsWaterMin    = 300
	dnsWaterHeld   = 5 * time.Second
	dnsWaterWindow = time.Minute
	dnsWaterFound  = 4
)

// dnsWaterSrc is one sender's queries under a stem.
type dnsWaterSrc struct {
	_   [0]func()
	mac mac
	ip  netip.Addr
	n   uint32
}

// dnsWaterZone is the queries to one resolver under one stem in a window
// (from first) and the resolver's responses to them.
type dnsWaterZone struct {
	_                       [0]func() // not comparable: no equality function linked
	key                     uint64    // the resolver's and the stem's (0: free)
	stemKey                 uint64
	resolver                netip.Addr
	srvMAC                  mac
	first, last             int64
	queries, fresh, answers uint32
	noerror, others         uint32
	reasked                 uint32 // names asked again without a search suffix (reask)
	skel                    uint64 // the first labels' template, the most held (labelTemplate)
	votes                   uint32 // skel's majority count
	numMin, numMax          uint64 // skel's numbers since it was taken
	srcs                    [dnsWaterSrcs]dnsWaterSrc
	stem                    [64]byte
	stemLen                 uint8
	reported                bool
}

// dnsWater is the engine's random-subdomain counts (made at the first DNS
// query read).
type dnsWater struct {
	zones [dnsWaterZones]dnsWaterZone
	names [dnsWaterNames]uint64
	held  []heldWater // floods decided, held dnsWaterGather
}

// dnsWaterQuestion reads msg's first question for dnsWaterZone: the
// stem's offset and the end of the name (its root label), false where
// the name is not counted (see dnsWaterMin).
func dnsWaterQuestion(msg []byte) (stem, end int, ok bool) {
	if len(msg) < dnsHeader+5 || msg[5] == 0 && msg[4] == 0 {
		return 0, 0, false
	}
	labels, last := 0, 0
	j := dnsHeader
	for j < len(msg) && msg[j] != 0 {
		l := int(msg[j])
		if l > 63 || j+1+l >= len(msg) || msg[j+1] == '_' {
			return 0, 0, false
		}
		if labels == 1 {
			stem = j
		}
		labels, last = labels+1, j
		j += 1 + l
	}
	if j+5 > len(msg) || labels < 3 || !hostLabel(msg[dnsHeader+1:stem]) {
		return 0, 0, false
	}
	if msg[last] == 4 && msg[last+1]|0x20 == 'a' && msg[last+2]|0x20 == 'r' && msg[last+3]|0x20 == 'p' && msg[last+4]|0x20 == 'a' {
		return 0, 0, false // a reverse name
	}
	if listedAddress(msg) || listedDomain(msg) || searchSuffixed(msg, stem) {
		return 0, 0, false
	}
	var d tunName
	if d.parse(msg) && hashLookup(&d) {
		return 0, 0, false
	}
	return stem, j, true
}

// dnsWaterKey is the key of the stem msg[stem:end+1] asked of resolver.
func dnsWaterKey(msg []byte, stem, end int, resolver netip.Addr) (key, stemKey uint64) {
	stemKey = lowerHash(msg[stem : end+1])
	r := resolver.As16()
	return mix64(stemKey^lowerHash(r[:])) | 1, stemKey
}

// waterQuery counts a DNS query p from src to port 53 (see dnsWaterMin).
func (e *Engine) waterQuery(p *capture.Packet, src mac) {
	msg := p.UDP.Payload
	if len(msg) < dnsHeader+5 || msg[2]&0xf8 != 0 || !unicast(src) || e.isSelf(src) || e.isGatewayMAC(src) {
		return
	}
	stem, end, ok := dnsWaterQuestion(msg)
	if !ok {
		return
	}
	dst := p.DstIP()
	key, stemKey := dnsWaterKey(msg, stem, end, dst)
	now := e.nanosOf(p.Time)
	if e.water == nil {
		e.water = new(dnsWater)
	}
	slot := e.water.zone(key, now, &e.counters.TrackersDropped)
	z := &e.water.zones[slot]
	if z.key != key {
		*z = dnsWaterZone{key: key, stemKey: stemKey, resolver: dst, srvMAC: capture.MAC6(p.Eth.DstMAC), first: now}
		z.stemLen = uint8(copy(z.stem[:], msg[stem:end]))
	}
	z.last = now
	z.queries++
	name := lowerHash(msg[dnsHeader:end+1]) ^ mix64(macKey(src)) // fresh to its sender: bots reading one list ask its names each
	if slot := &e.water.names[name%dnsWaterNames]; *slot != name^key {
		*slot = name ^ key
		z.fresh++
	}
	z.count(src, p.SrcIP())
	z.template(msg[dnsHeader+1 : dnsHeader+1+int(msg[dnsHeader])])
	e.water.reask(msg, stem, end, dst, src)
	if !z.reported && z.flood(now) {
		z.reported = true
		e.holdWater(p.Time, now, slot)
	}
}

// zone is the index of key's slot at now: its own, else a free one, one whose window
// ended, or the one with the fewest queries (counted in dropped when it
// had dnsWaterSrcs or more).
func (w *dnsWater) zone(key uint64, now int64, dropped *uint64) int {
	slot := 0
	for i := range w.zones {
		z := &w.zones[i]
		if z.key == key {
			if time.Duration(now-z.first) > dnsWaterWindow && !z.reported || time.Duration(now-z.last) > dnsWaterWindow {
				z.key = 0 // a new window
			}
			return i
		}
		o := &w.zones[slot]
		if z.key == 0 || time.Duration(now-z.last) > dnsWaterWindow {
			if o.key != 0 && time.Duration(now-o.last) <= dnsWaterWindow {
				slot = i
			}
			continue
		}
		if (o.key != 0 && time.Duration(now-o.last) <= dnsWaterWindow) && z.queries < o.queries {
			slot = i
		}
	}
	z := &w.zones[slot]
	if z.key != 0 && time.Duration(now-z.last) <= dnsWaterWindow && z.queries >= dnsWaterSrcs {
		*dropped++
	}
	return slot
}

// count adds a query from m (ip) to z's senders.
func (z *dnsWaterZone) count(m mac, ip netip.Addr) {
	for i := range z.srcs {
		s := &z.srcs[i]
		if s.n == 0 {
			*s = dnsWaterSrc{mac: m, ip: ip, n: 1}
			return
		}
		if s.mac == m {
			s.n++
			return
		}
	}
	z.others++
}

// flood reports whether z's queries by now are a random-subdomain flood's
// (see dnsWaterMin).
func (z *dnsWaterZone) flood(now int64) bool {
	return z.queries >= dnsWaterMin && time.Duration(now-z.first) >= dnsWaterHeld && z.fresh*10 >= z.queries*9 &&
		z.answers*2 >= z.queries && z.noerror*dnsWaterFound < z.answers && z.reasked*2 < z.queries &&
		(z.votes*5 < z.queries*4 || z.numMax-z.numMin >= uint64(z.votes)*dnsWaterSpread)
}

// dnsWaterSpread bounds a counter's spread per name asked for a stem's
// names to read as a list's (see labelTemplate).
const dnsWaterSpread = 8

// labelTemplate reads a first label l as a template and a number: its
// bytes but the digits (lowercased) as a key, and the digits as a number;
// ok is false where l has no digit or more than 18. An inventory's names
// (pc0001 to pc0400 from a directory's list, an RMM tool resolving them
// all) are one template with a counter, asked in a range a few times the
// names' number at most; a random-subdomain flood's labels are random
// letters and digits (each its own template: dnsperf's, Mirai's) or
// random numbers spread far wider than their count. So a stem's names,
// nine in ten of one template (a majority count: votes at four in five of
// the queries) with the numbers within dnsWaterSpread times the names,
// are no flood (limit: a flood counting through one template is raised
// from a flood's rates only).
func labelTemplate(l []byte) (skel, num uint64, ok bool) {
	skel, digits := uint64(0xcbf29ce484222325), 0
	for _, c := range l {
		if c >= '0' && c <= '9' {
			num, digits = num*10+uint64(c-'0'), digits+1
			continue
		}
		skel = (skel ^ uint64(c|0x20)) * 0x100000001b3
	}
	return skel, num, digits > 0 && digits <= 18
}

// template counts the first label l toward z's majority template.
func (z *dnsWaterZone) template(l []byte) {
	skel, num, ok := labelTemplate(l)
	switch {
	case ok && z.votes > 0 && skel == z.skel:
		z.votes++
		z.numMin, z.numMax = min(z.numMin, num), max(z.numMax, num)
	case ok && z.votes == 0:
		z.skel, z.votes, z.numMin, z.numMax = skel, 1, num, num
	case z.votes > 0:
		z.votes--
	}
}

// reask counts, toward each zone of resolver whose stem is msg's stem
// (msg[stem:end]) with labels after it, whether src asked msg's name with
// those labels appended lately: a search list's expansion asked first
// (glibc with ndots above the name's dots: custN.vercel.app.corp.lan,
// NXDOMAIN, then custN.vercel.app), the same name then asked as it was
// written. A flood of random single labels from a host whose search domain
// is the victim's (x8f2k.victim.example, then x8f2k) is not re-asked: a
// one-label name is not counted (dnsWaterQuestion).
func (w *dnsWater) reask(msg []byte, stem, end int, resolver netip.Addr, src mac) {
	s := msg[stem:end]
	for i := range w.zones {
		z := &w.zones[i]
		if z.key == 0 || int(z.stemLen) <= len(s) || end-dnsHeader+int(z.stemLen) >= 256 || z.resolver != resolver ||
			!foldPrefix(z.stem[:z.stemLen], s) {
			continue
		}
		var b [256]byte
		n := copy(b[:], msg[dnsHeader:end])
		n += copy(b[n:], z.stem[len(s):z.stemLen])
		name := lowerHash(b[:n+1]) ^ mix64(macKey(src))
		if w.names[name%dnsWaterNames] == name^z.key {
			z.reasked++
		}
	}
}

// foldPrefix reports whether b begins with p, ASCII case folded as
// lowerHash folds.
func foldPrefix(b, p []byte) bool {
	for i, c := range p {
		if b[i]|0x20 != c|0x20 {
			return false
		}
	}
	return true
}

// waterAnswer counts a DNS response p from src's port 53 toward its
// stem's count (see dnsWaterMin).
func (e *Engine) waterAnswer(p *capture.Packet) {
	msg := p.UDP.Payload
	if e.water == nil || len(msg) < dnsHeader+5 || msg[2]&0xf8 != 0x80 {
		return
	}
	stem, end, ok := dnsWaterQuestion(msg)
	if !ok {
		return
	}
	key, _ := dnsWaterKey(msg, stem, end, p.SrcIP())
	for i := range e.water.zones {
		if z := &e.water.zones[i]; z.key == key {
			z.answers++
			z.noerror += b2u(msg[3]&dnsRcode == 0)
			return
		}
	}
}

// A flood decided is held dnsWaterGather, its stem's count going on, so
// that a botnet's hosts that began later are named with their counts
// (each of ten hosts' dnsperf started as the load let it: three had sent
// when the count crossed dnsWaterMin).
const dnsWaterGather = 10 * time.Second

// heldWater is a decided flood: its slot and key, when decided.
type heldWater struct {
	slot int
	key  uint64
	t    time.Time
	due  int64
}

// holdWater holds the flood of the zone in slot, decided at now (t), for
// dnsWaterGather, unless another resolver's count of the same stem was
// raised (a forwarder passing the names on).
func (e *Engine) holdWater(t time.Time, now int64, slot int) {
	z := &e.water.zones[slot]
	for i := range e.water.zones {
		if o := &e.water.zones[i]; o != z && o.reported && o.stemKey == z.stemKey {
			return
		}
	}
	hold(e, &e.water.held, heldWater{slot: slot, key: z.key, t: t, due: now + int64(dnsWaterGather)}) // arphold.go
}

func (h heldWater) dueAt() int64 { return h.due }

// event raises h's flood, counted until its flush, when its slot still
// holds its zone; waterReport reports it under its quiet key, so no event
// is left for flushHeld to emit.
func (h heldWater) event(e *Engine) inventory.Event {
	if z := &e.water.zones[h.slot]; z.key == h.key {
		e.waterReport(h.t, z.last, z)
	}
	return inventory.Event{}
}

// flushWater raises the held floods due at now (all when all is set) and
// returns when the next is due (0: none).
func (e *Engine) flushWater(now int64, all bool) int64 {
	if e.water == nil {
		return 0
	}
	return flushHeld(e, &e.water.held, now, all) // arphold.go
}

// waterReport raises z's flood, counted until now, at t (its decision),
// unless the flood's state raised it (its quiet key).
func (e *Engine) waterReport(t time.Time, now int64, z *dnsWaterZone) {
	top := z.srcs[0]
	senders := 0
	for _, s := range z.srcs {
		senders += int(b2u(s.n > 0))
		if s.n > top.n {
			top = s
		}
	}
	culprit := mac{}
	if top.n*10 >= z.queries*9 {
		culprit = top.mac
	}
	span := time.Duration(now - z.first)
	rate := float64(z.fresh) / max(span.Seconds(), 1)
	stem := printableName(wireName(z.stem[:z.stemLen]))
	ev := inventory.Event{Time: t, Type: inventory.EventFlood, Severity: inventory.SeverityMedium, TargetIP: z.resolver,
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d DNS queries under %s to %s in %s, %d of them for names not asked lately; %d answered, %d of the answers NOERROR (the rest NXDOMAIN or SERVFAIL): a random-subdomain flood (water torture) at %.0f fresh names a second",
				z.queries, stem, z.resolver, roundDur(span), z.fresh, z.answers, z.noerror, rate)},
			{Source: "traffic", Detail: "senders: " + z.senders()},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d queries under one stem to one resolver over %s or more, nine in ten fresh, under one in %d answers NOERROR", dnsWaterMin, dnsWaterHeld, dnsWaterFound)},
		}}
	if rate >= udpSmallRate {
		ev.Severity = inventory.SeverityHigh
	}
	if culprit != (mac{}) {
		ev.MAC, ev.IP = macOf(culprit), top.ip
		ev.Summary = fmt.Sprintf("%s sent a random-subdomain DNS flood (water torture) under %s to the resolver %s, %.0f fresh names/s, answered NXDOMAIN", describe(culprit, top.ip), stem, z.resolver, rate)
	} else {
		more := ""
		if z.others > 0 {
			more = "+"
		}
		ev.Summary = fmt.Sprintf("random-subdomain DNS flood (water torture) under %s to the resolver %s from %d%s hosts, %.0f fresh names/s, answered NXDOMAIN", stem, z.resolver, senders, more, rate)
	}
	e.reportKey(newQuietKey(inventory.EventFlood, culprit, mac{}, z.resolver), ev)
}

// senders is z's senders with their query counts, the most first.
func (z *dnsWaterZone) senders() string {
	srcs := z.srcs
	for i := 1; i < len(srcs); i++ { // few: insertion, as flushScans sorts
		for j := i; j > 0 && srcs[j].n > srcs[j-1].n; j-- {
			srcs[j], srcs[j-1] = srcs[j-1], srcs[j]
		}
	}
	var parts []string
	for _, s := range srcs {
		if s.n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", describe(s.mac, s.ip), s.n))
		}
	}
	if z.others > 0 {
		parts = append(parts, fmt.Sprintf("%d more from other hosts", z.others))
	}
	return strings.Join(parts, ", ")
}

// wireName is the name whose labels b holds as DNS writes them (each
// after its length byte), dot-separated; a label cut short ends it.
func wireName(b []byte) string {
	var s strings.Builder
	for len(b) > 0 && int(b[0]) < len(b) {
		if s.Len() > 0 {
			s.WriteByte('.')
		}
		s.Write(b[1 : 1+int(b[0])])
		b = b[1+int(b[0]):]
	}
	return s.String()
}

// searchSuffixed reports whether the stem at msg[stem:] holds a top-level
// label (topLabel: com, net, a country's) followed by two labels or more:
// a name that exists elsewhere with a search list's suffix appended
// (svc3.cloud.com.corp.example.org), which its resolver answers NXDOMAIN;
// victim.co.uk's co has one label after it.
func searchSuffixed(msg []byte, stem int) bool {
	after := -1
	for j := stem; msg[j] != 0; j += 1 + int(msg[j]) {
		switch {
		case after >= 0:
			after++
		case topLabel(msg[j+1 : j+1+int(msg[j])]):
			after = 0
		}
	}
	return after >= 2
}
