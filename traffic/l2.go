package traffic

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Layer-2 control protocols a host has no business speaking (yersinia's
// targets): the spanning tree (IEEE 802.1D/802.1w BPDUs to 01:80:C2:00:00:00,
// Cisco's PVST+ to 01:00:0C:CC:CC:CD), CDP and DTP (SNAP to
// 01:00:0C:CC:CC:CC), and the gateway redundancy protocols HSRP (RFC 2281,
// UDP 1985) and VRRP (RFC 5798, IP protocol 112).

// l2FloodWindow is the window of the BPDU and CDP flood counts: a switch
// port sends a BPDU every 2 s (802.1D hello time) and a CDP frame every
// 60 s, so 10 s hold five BPDUs per port.
const l2FloodWindow = 10 * time.Second

// A BPDU flood is bpduFloodCount BPDUs within l2FloodWindow from at least
// l2FloodSenders bridges (a whole switch mirrored is one bridge ID on 48
// ports, 240 BPDUs), or bpduFloodAny from any; yersinia sends thousands a
// second, each from a forged bridge.
const (
	bpduFloodCount = 100
	bpduFloodAny   = 1000
	l2FloodSenders = 4
)

// cdpFloodCount is how many CDP frames within l2FloodWindow make a flood
// (yersinia's CDP table overflow, thousands a second from forged device
// IDs): an office of IP phones, each announcing itself once a minute,
// needs 300 neighbours on the mirrored ports to send that many.
const cdpFloodCount = 50

// l2Burst counts one protocol's frames within l2FloodWindow and the
// distinct senders (bridge IDs, device IDs) among them.
type l2Burst struct {
	start    time.Time
	count    int
	senders  [8]uint64
	nSenders int
	first    mac
	oneMAC   bool
	flooding bool
}

// add counts a frame from src announcing sender and reports whether the
// burst is a flood that has just begun (flooding then stays set while
// each window is one).
func (b *l2Burst) add(t time.Time, src mac, sender uint64, floodAt func(count, senders int) bool) (began bool) {
	if since(t, b.start) > l2FloodWindow {
		if since(t, b.start) > 2*l2FloodWindow || !floodAt(b.count, b.nSenders) {
			b.flooding = false
		}
		*b = l2Burst{start: t, first: src, oneMAC: true, flooding: b.flooding}
	}
	b.count++
	b.oneMAC = b.oneMAC && src == b.first
	addDistinct(b.senders[:], &b.nSenders, sender)
	if b.flooding || !floodAt(b.count, b.nSenders) {
		return false
	}
	b.flooding = true
	return true
}

// l2State is what the engine heard of the switches' and gateways' control
// protocols.
type l2State struct {
	hop       vlanHopState // double 802.1Q tags (vlanhop.go)
	vtp       vtpState     // VTP adverts (vtp.go)
	root      uint64       // the spanning tree's root bridge ID (priority and MAC), 0: none heard
	rootLast  time.Time    // when a BPDU last named it
	rootSeen  int          // how many BPDUs named it
	claim     uint64       // a better root announced since, not yet repeated
	bpdu, cdp l2Burst
	switches  [16]l2Switch  // MACs that sent BPDUs or a switch's CDP frames outside a flood (beyond: TrackersDropped)
	roots     [4]l2Root     // roots adopted without an alarm
	cdpHosts  [32]l2Host    // MACs that announced themselves by CDP as a host or phone
	idents    [32]l2Ident   // identities announced by LLDP and CDP (l2ident.go)
	fhrp      [32]fhrpGroup // a trunk mirror: many VLANs, dual-stack groups
	nFHRP     int
	// fhrpRaised are the last fhrp_takeovers raised (fhrpTookOver).
	fhrpRaised [4]fhrpRaise
	// fhrpTo is the destination MAC of the VRRP advert being read when it
	// went unicast to a LAN peer (keepalived's unicast_peer), else zero;
	// fhrpSplit whether that peer advertises to its sender in turn (split
	// brain: fhrpReport's alarms are Medium).
	fhrpTo     mac
	fhrpSplit  bool
	rootMAC    mac // the MAC that last announced root
	claimFrom  mac
	claimFirst time.Time
}

// l2Switch is a MAC heard speaking STP or a switch's CDP, less the last
// byte: a switch numbers its ports' MACs up from its base MAC, so the
// first five bytes stand for all of them (a forged MAC matches by chance
// once in 2^40).
type l2Switch struct {
	_           [0]func() // not comparable: no equality function linked
	prefix      [5]byte
	first, last time.Time
	n           uint32
}

// A MAC is a switch once heard twice at least switchConfirm apart outside
// a flood (a BPDU every 2 s, CDP every 60 s; a flood's forged MACs speak
// once), until unheard for switchForget (CDP's hold time is 180 s). An
// entry not yet a switch, or forgotten, gives its slot to a new MAC.
const (
	switchConfirm = time.Second
	switchForget  = 10 * time.Minute
)

func (w *l2Switch) is(t time.Time) bool {
	return w.n >= 2 && w.last.Sub(w.first) >= switchConfirm && since(t, w.last) <= switchForget
}

// l2Root is a spanning-tree root adopted without an alarm: when it comes
// back after a silence longer than Window (a rebooted root switch) and
// displaces the root elected meanwhile, that is no claim. Forgotten after
// rootForget unheard.
type l2Root struct {
	id   uint64
	last time.Time
}

const rootForget = 24 * time.Hour

// l2Frame reads a non-IP frame to one of the switches' control addresses.
func (e *Engine) l2Frame(p *capture.Packet, src mac) {
	d, b := p.Eth.DstMAC, p.Eth.Payload
	if len(d) != 6 || len(b) < 7 || !unicast(src) || e.isSelf(src) {
		return // a TCN is the shortest: LLC and 4 bytes
	}
	switch {
	case p.Eth.EthernetType == 0x88cc && d[0] == 0x01 && d[1] == 0x80 && d[2] == 0xc2:
		e.lldpFrame(p, src, b) // l2ident.go
	case d[0] == 0x01 && d[1] == 0x80 && d[2] == 0xc2 && d[3] == 0 && d[4] == 0 && d[5] == 0 && b[0] == 0x42 && b[1] == 0x42:
		e.bpdu(p, src, b[3:])
	case len(b) >= 8 && d[0] == 0x01 && d[1] == 0x00 && d[2] == 0x0c && d[3] == 0xcc && d[4] == 0xcc && b[0] == 0xaa && b[1] == 0xaa && b[3] == 0 && b[4] == 0 && b[5] == 0x0c:
		switch pid := binary.BigEndian.Uint16(b[6:8]); {
		case d[5] == 0xcd && pid == 0x010b: // PVST+
			e.bpdu(p, src, b[8:])
		case d[5] == 0xcc && pid == 0x2000:
			e.cdpFrame(p, src, b[8:])
		case d[5] == 0xcc && pid == 0x2004:
			e.dtpFrame(p, src, b[8:])
		case d[5] == 0xcc && pid == 0x2003:
			e.vtpFrame(p, src, b[8:]) // vtp.go
		}
	}
}

// bpdu judges a bridge protocol data unit (802.1D 9.3): protocol ID 0,
// then version and type (0x00 configuration, 0x80 topology change
// notification, 0x02 RST/MST), flags, root ID at 5 and bridge ID at 17.
func (e *Engine) bpdu(p *capture.Packet, src mac, b []byte) {
	if len(b) < 4 || b[0] != 0 || b[1] != 0 {
		return
	}
	s := &e.l2
	sender := macKey(src) | 1<<63 // a TCN names no bridge: its MAC does
	var root uint64
	if b[3] != 0x80 {
		if len(b) < 25 {
			return
		}
		root, sender = binary.BigEndian.Uint64(b[5:13]), binary.BigEndian.Uint64(b[17:25])
	}
	floodAt := func(n, senders int) bool {
		return n >= bpduFloodAny || n >= bpduFloodCount && senders >= l2FloodSenders
	}
	if s.bpdu.add(p.Time, src, sender, floodAt) {
		e.l2Raised[l2KindBPDU] = e.pktNS // macflood.go: the forged MACs' mac_flood is this incident
		e.reportL2Flood(p.Time, "spanning-tree BPDU", &s.bpdu, fmt.Sprintf("%d BPDUs from %d bridges, or %d from any, within %s; a switch port sends one every 2 s", bpduFloodCount, l2FloodSenders, bpduFloodAny, l2FloodWindow))
	}
	if s.bpdu.flooding {
		return
	}
	if e.cdpHost(src, p.Time) {
		e.reportHostBPDU(p.Time, src, b[3] == 0x80)
	}
	if root == 0 {
		return
	}
	e.addSwitch(p.Time, src)
	switch {
	case s.root == 0 || root == s.root || since(p.Time, s.rootLast) > e.cfg.Window || e.knownRoot(root, p.Time):
		if root != s.root {
			s.root, s.rootSeen = root, 0
		}
		s.root, s.rootLast, s.rootMAC, s.claim = root, p.Time, src, 0
		s.rootSeen++
		if s.rootSeen >= 2 {
			e.rememberRoot(root, p.Time)
		}
	case root > s.root:
		// A worse root: a switch that just came up claims itself until it
		// hears the root's BPDUs (802.1D 17.4).
	case root != s.claim:
		s.claim, s.claimFrom, s.claimFirst = root, src, p.Time // one forged BPDU is a flood's, not a claim
	case s.rootSeen >= 2:
		e.reportRootClaim(p.Time, src, root)
		s.root, s.rootLast, s.rootMAC, s.rootSeen, s.claim = root, p.Time, src, 1, 0
	}
}

// bridgeID formats a bridge ID as tcpdump does: priority, then MAC.
func bridgeID(id uint64) string {
	return fmt.Sprintf("%04x.%s", id>>48, macString(bridgeMAC(id)))
}

// bridgeMAC is a bridge ID's MAC.
func bridgeMAC(id uint64) mac {
	var m mac
	for i := range m {
		m[i] = byte(id >> (8 * (5 - i)))
	}
	return m
}

// lessOne reports whether MAC a is b with one byte less by one, the rest
// equal: yersinia's root claim (its bridge ID is the root's so decremented).
func lessOne(a, b mac) bool {
	diff := 0
	for i := range a {
		if a[i] != b[i] {
			if a[i]+1 != b[i] {
				return false
			}
			diff++
		}
	}
	return diff == 1
}

// reportRootClaim raises root, claimed in src's BPDUs. When src had
// announced the old root too it is the sensor's own switch relaying the new
// root (a switch re-announces the best root it hears, 802.1D 17.6, and
// never forwards another bridge's BPDU): the claim comes from beyond it and
// no MAC on the wire is the culprit; the claimed bridge ID's MAC is said,
// and whether it is the old root's less one (yersinia's claim).
func (e *Engine) reportRootClaim(t time.Time, src mac, root uint64) {
	s := &e.l2
	culprit, other, who := src, s.rootMAC, macString(src)+" claims"
	ev1 := fmt.Sprintf("BPDUs naming the new root since %s; the old root was announced %d times, last by %s", s.claimFirst.UTC().Format(time.RFC3339Nano), s.rootSeen, macString(s.rootMAC))
	if src == s.rootMAC {
		culprit, other, who = mac{}, src, "a bridge behind switch port "+macString(src)+" claims"
		ev1 += ": the switch relays the claim, made by bridge MAC " + macString(bridgeMAC(root)) + " behind it"
		if lessOne(bridgeMAC(root), bridgeMAC(s.root)) {
			ev1 += ", the old root's MAC less one in a byte (yersinia's root claim)"
		}
	}
	e.l2Event(t, inventory.EventRogueSwitch, inventory.SeverityHigh, culprit, netip.Addr{}, other, netip.Addr{},
		who+" the spanning-tree root with bridge ID "+bridgeID(root)+", better than the root "+bridgeID(s.root), "stp", ev1,
		"a new root re-routes the LAN's traffic through the bridge that claims it (yersinia's root claim); a switch added on purpose with a better priority does the same: confirm it")
}

// cdpFrame counts a CDP announcement (version, TTL, checksum, then
// type-length-value fields; the device ID is type 1) by its device ID.
func (e *Engine) cdpFrame(p *capture.Packet, src mac, b []byte) {
	s := &e.l2
	var id []byte
	for i := 4; i+4 <= len(b); {
		typ, n := binary.BigEndian.Uint16(b[i:]), int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 4 || i+n > len(b) {
			break
		}
		if typ == 1 {
			id = b[i+4 : i+n]
			break
		}
		i += n
	}
	h := fnv64(id) // the device ID's
	floodAt := func(n, _ int) bool { return n >= cdpFloodCount }
	if s.cdp.add(p.Time, src, h, floodAt) {
		e.l2Raised[l2KindCDP] = e.pktNS // macflood.go
		e.reportL2Flood(p.Time, "CDP", &s.cdp, fmt.Sprintf("%d CDP frames within %s; a device announces itself once a minute", cdpFloodCount, l2FloodWindow))
	}
	if !s.cdp.flooding && len(id) > 0 {
		e.l2Identity(p.Time, src, 'n', id, "CDP") // l2ident.go
	}
	switch caps := cdpCaps(b); {
	case s.cdp.flooding:
	case caps == 0 || caps&0x0e != 0:
		e.addSwitch(p.Time, src)
	case caps&0x0f == 0 && caps&0x90 != 0:
		e.addCDPHost(p.Time, src)
	}
}

// l2Host is a MAC that announced itself by CDP as a host or an IP phone
// and nothing that forwards frames: a BPDU from it, even one, is no
// switch's (a phone's PC port forwards its PC's BPDUs with the PC's MAC).
type l2Host struct {
	m    mac
	last time.Time
}

// addCDPHost records src as a CDP host, in its slot or the least recently
// heard one (a phone announces itself every 60 s).
func (e *Engine) addCDPHost(t time.Time, src mac) {
	hs := &e.l2.cdpHosts
	slot := &hs[0]
	for i := range hs {
		if hs[i].m == src {
			slot = &hs[i]
			break
		}
		if hs[i].last.Before(slot.last) {
			slot = &hs[i]
		}
	}
	if slot.m != src && since(t, slot.last) <= switchForget {
		e.counters.TrackersDropped++
	}
	*slot = l2Host{src, t}
}

// cdpHost reports whether m announced itself by CDP as a host or phone
// within switchForget.
func (e *Engine) cdpHost(m mac, t time.Time) bool {
	for _, h := range e.l2.cdpHosts {
		if h.m == m && since(t, h.last) <= switchForget {
			return true
		}
	}
	return false
}

// cdpCaps is a CDP frame's capabilities (type 4, a 32-bit mask: 0x01
// router, 0x02 and 0x04 bridges, 0x08 switch, 0x10 host, 0x80 phone), 0
// when it has none (then it counts as a switch).
func cdpCaps(b []byte) uint32 {
	for i := 4; i+4 <= len(b); {
		typ, n := binary.BigEndian.Uint16(b[i:]), int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 4 || i+n > len(b) {
			break
		}
		if typ == 4 && n >= 8 {
			return binary.BigEndian.Uint32(b[i+4:])
		}
		i += n
	}
	return 0
}

// knownRoot reports whether root was adopted without an alarm within
// rootForget.
func (e *Engine) knownRoot(root uint64, t time.Time) bool {
	for _, r := range e.l2.roots {
		if r.id == root && since(t, r.last) <= rootForget {
			return true
		}
	}
	return false
}

// rememberRoot records root as legitimate, in its slot or the least
// recently heard one.
func (e *Engine) rememberRoot(root uint64, t time.Time) {
	rs := &e.l2.roots
	slot := &rs[0]
	for i := range rs {
		if rs[i].id == root {
			slot = &rs[i]
			break
		}
		if rs[i].last.Before(slot.last) {
			slot = &rs[i]
		}
	}
	*slot = l2Root{root, t}
}

// reportHostBPDU reports a BPDU (a TCN if tcn) from a MAC that announced
// itself by CDP as a host or phone: one is enough, a host has no
// spanning tree to speak for (yersinia's single-frame STP attacks from a
// PC on a phone's port).
func (e *Engine) reportHostBPDU(t time.Time, src mac, tcn bool) {
	what := "a configuration BPDU"
	if tcn {
		what = "a topology change notification"
	}
	e.l2Event(t, inventory.EventRogueSwitch, inventory.SeverityHigh, src, netip.Addr{}, mac{}, netip.Addr{},
		macString(src)+" sends spanning-tree BPDUs but announced itself by CDP as a host or phone", "stp",
		what+" from a MAC whose CDP capabilities name a host or phone and no bridge, switch or router",
		"a host has no spanning tree to speak for: it forges the switches' control protocol")
}

func (e *Engine) reportL2Flood(t time.Time, what string, b *l2Burst, threshold string) {
	culprit, who := b.first, macString(b.first)
	if !b.oneMAC {
		culprit, who = mac{}, "MACs that change with every frame (forged): no culprit MAC"
	}
	// The protocol is in the cooldown key: a BPDU flood and a CDP flood
	// are two incidents even with no culprit MAC to tell them apart.
	e.reportKey(quietKey{inventory.EventRogueSwitch, culprit, mac{}, what}, inventory.Event{
		Time: t, Type: inventory.EventRogueSwitch, Severity: inventory.SeverityHigh,
		MAC:     macOf(culprit),
		Summary: fmt.Sprintf("%s flood: %d frames from %d senders within %s", what, b.count, b.nSenders, roundDur(since(t, b.start))),
		Evidence: []inventory.Evidence{
			{Source: "l2", Detail: "sent by " + who + "; the switches spend their CPU and tables on it (yersinia's floods)"},
			{Source: "l2", Detail: "threshold: " + threshold},
		},
	})
}

// addSwitch counts a frame from src, a switch port's if it repeats (see
// l2Switch): a new MAC takes a free slot, else one not (or no longer) a
// switch, the least recently heard.
func (e *Engine) addSwitch(t time.Time, src mac) {
	sw := &e.l2.switches
	var slot *l2Switch
	for i := range sw {
		w := &sw[i]
		if w.n > 0 && w.prefix == [5]byte(src[:5]) {
			if since(t, w.last) > switchForget {
				*w = l2Switch{prefix: w.prefix, first: t}
			}
			w.n++
			w.last = t
			return
		}
		if !w.is(t) && (slot == nil || slot.n > 0 && (w.n == 0 || w.last.Before(slot.last))) {
			slot = w
		}
	}
	if slot == nil {
		e.counters.TrackersDropped++
		return
	}
	*slot = l2Switch{prefix: [5]byte(src[:5]), first: t, last: t, n: 1}
}

func (e *Engine) isSwitch(m mac, t time.Time) bool {
	for i := range e.l2.switches {
		if w := &e.l2.switches[i]; w.n > 0 && w.prefix == [5]byte(m[:5]) {
			return w.is(t)
		}
	}
	return false
}

// dtpFrame judges a Dynamic Trunking Protocol frame (version, then
// type-length-value fields; status is type 2, its low bits the
// administrative mode: 1 on, 2 off, 3 desirable, 4 auto). A port that asks
// for a trunk (on or desirable) from a MAC that never spoke STP or CDP is
// a host turning its access port into a trunk to reach every VLAN
// (yersinia's "enabling trunking").
func (e *Engine) dtpFrame(p *capture.Packet, src mac, b []byte) {
	var status byte
	for i := 1; i+4 <= len(b); {
		typ, n := binary.BigEndian.Uint16(b[i:]), int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 4 || i+n > len(b) {
			return
		}
		if typ == 2 && n >= 5 {
			status = b[i+4]
			break
		}
		i += n
	}
	if mode := status & 7; mode != 1 && mode != 3 {
		return
	}
	if e.isSwitch(src, p.Time) {
		return
	}
	mode := "desirable"
	if status&7 == 1 {
		mode = "on"
	}
	e.l2Event(p.Time, inventory.EventRogueSwitch, inventory.SeverityHigh, src, netip.Addr{}, mac{}, netip.Addr{},
		macString(src)+" asks its switch port to become a trunk (DTP "+mode+")", "dtp", fmt.Sprintf("DTP status 0x%02x", status),
		"it was not heard as a switch is (BPDUs, or CDP naming a switch, repeated outside a flood): a host on a trunk reaches every VLAN (VLAN hopping)")
}

// l2Event reports an event of the layer-2 detectors by m (at ip) against
// other (at target), with two lines of evidence from source.
func (e *Engine) l2Event(t time.Time, typ inventory.EventType, sev inventory.Severity, m mac, ip netip.Addr, other mac, target netip.Addr, summary, source, ev1, ev2 string) {
	e.report(inventory.Event{
		Time: t, Type: typ, Severity: sev, MAC: macOf(m), IP: ip, TargetMAC: macOf(other), TargetIP: target, Summary: summary,
		Evidence: []inventory.Evidence{{Source: source, Detail: ev1}, {Source: source, Detail: ev2}},
	}, m, other)
}

// addDistinct counts v among the distinct values of a bounded set: kept
// holds the first len(kept) of them (the evidence) and *n counts them all.
// Past the cap a value not kept is counted each time it comes, so *n is
// then an upper bound: enough for a threshold on many distinct senders,
// in fixed memory with no allocation.
func addDistinct[T comparable](kept []T, n *int, v T) {
	for _, k := range kept[:min(*n, len(kept))] {
		if k == v {
			return
		}
	}
	if *n < len(kept) {
		kept[*n] = v
	}
	*n++
}
