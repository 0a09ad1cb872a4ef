package traffic

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"net/netip"
	"slices"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// Low-and-slow scans (nmap -T0/-T1, a probe every 15 s to 5 min) stay far
// under any per-minute threshold; what gives them away is the refusals
// they collect: a closed TCP port answers RST (RFC 9293 3.10.7.1), a closed
// UDP port ICMP port unreachable (RFC 1122 4.1.3.1). A client that meets
// slowRefusals different closed ports of one host within slowWindow is
// probing it: a client meets the closed port of a service it expected (a
// stopped server, a wrong port), retrying the same few; a printer-setup
// wizard or a discovery app tries up to six (9100, 515, 631, 80, 443,
// 8080). Twelve different ones is a list being walked: nmap -T1 probes a
// port every 15 s, so 240 an hour, and a short scan of a dozen or more
// ports with --scan-delay stays under the per-minute threshold however
// slow it is. The hour is the longest a client takes to try its few.
//
// A short list walked slowly once is one too: nmap -T1 or --scan-delay 15s
// of ten ports collects ten refusals from a host with nothing on them, one
// every 15 s, none twice. slowOnce distinct refused ports from one
// address, each at least slowGap after the last, are held for slowHold
// and raised if none is refused again: pollers and clients come in bursts
// (Prometheus or curl scraping its exporters, HAProxy checking its
// backends, a mail client's setup trying seven ports within a second), a
// poller that spreads its checks (Nagios) meets its ports again on its
// next round or retry, and remote users behind a router share its MAC but
// not their addresses, and a port the client connected to before is a
// service of its that went down.
const (
	slowWindow   = time.Hour
	slowRefusals = 12
	slowOnce     = 8
	slowGap      = 5 * time.Second  // nmap -T1 waits 15 s between probes, -T2 0.4 s
	slowHold     = 16 * time.Minute // a 5-, 10- or 15-minute poller's next round, and a minute's slack (review 28f: checks of 8 stopped services every 10 or 15 min)
	// slowDynamic starts the dynamic ports (RFC 6335 6: 49152-65535),
	// never assigned to a service: a refusal there is a client meeting a
	// port it was told of, gone (an FTP server's passive data port, RFC
	// 959 PASV; IIS and Windows give them from this range), not a list
	// being walked
	slowDynamic = 49152
)

// probeCacheBits sizes the cache of recent probes without ACK (SYN, FIN,
// NULL, XMAS) a RST+ACK must answer to count as a refusal: 4,096 slots.
const probeCacheBits = 12

type probeSlot struct {
	key uint64
	at  int64
}

// probeKey keys a probe by the MAC that sent it as well as its addresses:
// a refusal answers the MAC the probe came from. Under a forged source (an
// idle scan's probes carry the zombie's address) the refusals go to the
// address's owner, which never sent a probe.
func probeKey(m mac, prober, target netip.Addr, port uint16) uint64 {
	return probeKeyOf(mix64(macKey(m)), ipHash(prober), ipHash(target), port)
}

// probeKeyOf is probeKey from the hashes: m the MAC's mix64(macKey), prober
// and target the addresses' ipHash.
func probeKeyOf(m, prober, target uint64, port uint16) uint64 {
	return (prober*31 ^ target) ^ uint64(port)*0x9e3779b97f4a7c15 ^ m
}

// pairHash is what the probe paths hash of one segment's source MAC and
// addresses, made once a segment (tcpProbe): the port tracker's key and
// the probe cache's, the silent table's and the connection cache's keys
// are made of the same hashes, which a SYN computed up to five times
// (ipHash alone was 4 % of a corpus replay's instructions).
type pairHash struct {
	k        portKey // newPortKey(src, dstIP)
	mac      uint64  // mix64(macKey(src))
	src, dst uint64  // ipHash(srcIP), ipHash(dstIP)
}

// set makes h the hashes of (src, srcIP, dstIP) in place, a word at a
// time. Returned by value into tcpProbe's variable (which the silent
// table's calls take the address of), the struct was stored from
// registers 8 bytes at a time and copied 16 at a time, each load
// spanning two stores just made: a store-forwarding stall on every TCP
// probe (a third of tcpProbe's time, perf annotate).
// The source's hash is left in e.ihMemo for the segment's floodCount.
// The MAC's and the target's hashes come from e.pairMemo when the last
// segment hashed had the same source MAC and target (a SYN flood's, a
// port scan's next probe): 70 instructions a SYN fewer (session 41).
func (h *pairHash) set(src mac, srcIP, dstIP netip.Addr, e *Engine) {
	if m := &e.pairMemo; m.dstIP == dstIP && m.src == src && m.k.src != 0 {
		h.k, h.mac, h.dst = m.k, m.mac, m.dst
	} else {
		h.k, h.mac, h.dst = newPortKey(src, dstIP), mix64(macKey(src)), ipHash(dstIP)
		*m = pairMemo{src, dstIP, h.k, h.mac, h.dst}
	}
	h.src = e.srcHash(srcIP)
}

// pairMemo is the last source MAC and target pairHash.set hashed, and
// their hashes; its zero value (k.src 0: no key has, portKey's family
// bits or a MAC set it) holds none.
type pairMemo struct {
	src      mac
	dstIP    netip.Addr
	k        portKey
	mac, dst uint64
}

// ipHashMemo is the last source address hashed for a frame's detectors,
// and its ipHash: a SYN's source is hashed by tcpProbe (pairHash) and
// again by floodCount, a stray packet's by sameStraySource and floodCount.
type ipHashMemo struct {
	a netip.Addr
	h uint64
}

// srcHash is ipHash(a), from e's memo when a was the last hashed there.
func (e *Engine) srcHash(a netip.Addr) uint64 {
	if m := &e.ihMemo; m.a == a {
		return m.h
	}
	h := ipHash(a)
	e.ihMemo = ipHashMemo{a, h}
	return h
}

// noteProbe remembers a segment without ACK from prober (through m) to
// target's port.
func (e *Engine) noteProbe(t time.Time, m mac, prober, target netip.Addr, port uint16) {
	e.noteProbeKey(t, probeKey(m, prober, target, port))
}

// noteProbeKey is noteProbe of the probe keyed k (probeKey).
func (e *Engine) noteProbeKey(t time.Time, k uint64) {
	e.probes[k>>(64-probeCacheBits)] = probeSlot{k, e.nanosOf(t)}
}

// connKey keys a port of server that client (by its MAC) connected to:
// salted apart from probeKey's keys.
func connKey(client mac, server netip.Addr, port uint16) uint64 {
	return connKeyOf(mix64(macKey(client)), ipHash(server), port)
}

// connKeyOf is connKey from the hashes: client the MAC's mix64(macKey),
// server the address's ipHash.
func connKeyOf(client, server uint64, port uint16) uint64 {
	return ^(server*37 ^ uint64(port)*0x9e3779b97f4a7c15 ^ client)
}

// noteConnected remembers that server accepted client's connection to
// port (a SYN+ACK): a refusal of that port later is a service the client
// used going down (an exporter's host restarting, a checked service
// stopping), never a port being scanned for (countRefusal). A cache, as
// probes: a slot taken by another pair forgets.
func (e *Engine) noteConnected(client mac, server netip.Addr, port uint16) {
	k := connKey(client, server, port)
	e.connected[k>>(64-probeCacheBits)] = probeSlot{k, e.clock}
}

// wasConnected reports whether client connected to server's port within
// slowWindow before at.
func (e *Engine) wasConnected(at int64, client mac, server netip.Addr, port uint16) bool {
	return e.connectedKey(at, connKey(client, server, port))
}

// connectedKey is wasConnected of the port keyed k (connKey).
func (e *Engine) connectedKey(at int64, k uint64) bool {
	s := e.connected[k>>(64-probeCacheBits)]
	return s.key == k && at-s.at < int64(slowWindow)
}

// answered reports whether a RST from target's port to m answers a probe
// m sent within the last few seconds.
func (e *Engine) answered(t time.Time, m mac, prober, target netip.Addr, port uint16) bool {
	k := probeKey(m, prober, target, port)
	s := e.probes[k>>(64-probeCacheBits)]
	return s.key == k && e.nanosOf(t)-s.at < int64(5*time.Second)
}

type slowTracker struct {
	_      [0]func() // not comparable: no equality function linked
	start  int64     // in nanoseconds (nanos)
	srcIP  netip.Addr
	dstMAC mac
	ports  [slowRefusals]uint16 // the distinct refused ports, ports[:n]: counting stops at slowRefusals (a 65,536-bit map was 8 KB per tracker)
	n      int
	last   int64 // when the last distinct port was refused (nanos)
	// spoilt: the refusals lost the low-and-slow shape slowOnce needs
	// (countRefusal)
	spoilt bool
	again  int // refusals of ports refused before (walked)
	done   bool
	// held is a slowOnce report waiting until heldUntil (nanos) for a port
	// to be refused again; prober is the MAC it blames
	held      *inventory.Event
	heldUntil int64
	prober    mac
}

// slowHit remembers the slow tracker looked up last, as portHit does the
// port tracker: a port scan's refusals come in runs from one host to one
// prober. Ticks, which delete trackers, forget it.
type slowHit struct {
	k  portKey
	tr *slowTracker
}

// answersService reports whether a datagram or segment from sport to dport
// has a reply's shape: from a service's port (a well-known one, below
// 1024, or a udpService) to a higher, ephemeral port. A probe
// goes the other way; the refusal of a reply is a late answer meeting a
// socket its client already closed (SNMP replies after a poll timed out,
// DNS answers after the resolver gave up), however many ports it meets. A
// scanner that sends from port 53 (nmap -g 53) to ports above 1023 is
// missed by the slow-scan count, not by the per-minute one.
func answersService(sport, dport uint16) bool {
	return (sport < 1024 || udpService(sport)) && dport >= 1024 && dport > sport
}

// traceQuoted reports whether the IPv4 datagram an ICMP error quotes (b,
// its header ihl bytes long) is a traceroute probe exempt as it went out
// (traceProbe), the error relayed by a router (src): the last probes
// reach the destination, which refuses each port (RFC 1393: the port
// unreachable ends the trace), 16 at once from Linux traceroute. A probe
// counted as a scan's is refused as one, ladder or not.
func (e *Engine) traceQuoted(b []byte, ihl int, src mac, at time.Time) bool {
	from, to := addr4(b[12:16]), addr4(b[16:20])
	return (e.traceRouter(src) || e.traced.relayed(src, e.nanosOf(at))) && e.traced.wasSent(from, to, binary.BigEndian.Uint16(b[ihl:]), binary.BigEndian.Uint16(b[ihl+2:]), e.nanosOf(at))
}

// refusal passes a packet on to refusalOf and snmpUnreachable
// (snmpsweep.go) unless both return at once: a TCP segment other than a
// RST+ACK, a UDP datagram (most of a LAN's frames, each a call of
// refusalOf's and one of ipReplies', 0.5 % to 1 % of a replay's
// instructions). A frame holds one transport layer: a TCP or UDP one has
// no ICMPv4 layer, which snmpUnreachable reads.
func (e *Engine) refusal(p *capture.Packet, src, dst mac) {
	if p.Has&capture.HasTCP != 0 && (!p.TCP.RST || !p.TCP.ACK || p.TCP.SYN) || p.Has&(capture.HasTCP|capture.HasUDP|capture.HasICMPv4) == capture.HasUDP || probeless(p) {
		return // probeless: IPv6 with no TCP, UDP or SCTP, which neither reads (session 41)
	}
	e.refusalOf(p, src, dst)
	e.snmpUnreachable(p, src)
}

// refusalOf looks at a packet for a host refusing a probe: a RST to a port,
// or an ICMP port unreachable quoting a UDP datagram. The prober is the
// packet's destination.
func (e *Engine) refusalOf(p *capture.Packet, src, dst mac) {
	var port uint16
	var kind string
	switch {
	case p.Has&capture.HasTCP != 0:
		if !p.TCP.RST || !p.TCP.ACK || p.TCP.SYN || answersService(uint16(p.TCP.DstPort), uint16(p.TCP.SrcPort)) ||
			!e.answered(p.Time, dst, p.DstIP(), p.SrcIP(), uint16(p.TCP.SrcPort)) {
			return // only a RST+ACK answering a SYN (or FIN, NULL, XMAS) probe is a refusal
		}
		port, kind = uint16(p.TCP.SrcPort), "TCP RST"
		e.silentAnswer(src, dst, p.DstIP(), p.SrcIP(), port)
	case p.Has&capture.HasICMPv4 != 0:
		tc := p.ICMPv4.TypeCode
		b := p.ICMPv4.Payload
		if tc == layers.CreateICMPv4TypeCode(layers.ICMPv4TypeTimeExceeded, layers.ICMPv4CodeTTLExceeded) && len(b) >= 20 && b[0]>>4 == 4 {
			e.traced.noteRelay(src, p.SrcIP(), p.DstIP(), addr4(b[12:16]), addr4(b[16:20]), e.nanosOf(p.Time))
			return
		}
		if tc.Type() != layers.ICMPv4TypeDestinationUnreachable || tc.Code() != layers.ICMPv4CodePort || len(b) < 20 || b[0]>>4 != 4 || b[9] != 17 {
			return
		}
		ihl := int(b[0]&0x0f) * 4
		if len(b) < ihl+4 || answersService(binary.BigEndian.Uint16(b[ihl:]), binary.BigEndian.Uint16(b[ihl+2:])) || e.traceQuoted(b, ihl, src, p.Time) {
			return
		}
		port, kind = binary.BigEndian.Uint16(b[ihl+2:]), "ICMP port unreachable"
	case p.Has&capture.HasUDP == 0 && sctpPayload(p) != nil:
		// A closed SCTP port answers an INIT with ABORT (RFC 9260 8.4), as a
		// closed TCP port answers a SYN with RST.
		b := sctpPayload(p)
		sport, dport := binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:])
		if b[12] != sctpAbort || answersService(dport, sport) || !e.answered(p.Time, dst, p.DstIP(), p.SrcIP(), sport) {
			return
		}
		port, kind = sport, "SCTP ABORT"
	default:
		return
	}
	if !unicast(dst) || e.isSelf(dst) {
		return
	}
	target, prober := p.SrcIP(), p.DstIP()
	at := e.nanosOf(p.Time)
	if len(e.sweeps) > 0 && !e.wasConnected(at, dst, target, port) {
		e.sweepRefused(dst, target) // sweeppoll.go: a held sweep hunting a service (not a service restarting)
	}
	tr := e.slowTrackerFor(newPortKey(dst, target), at, prober, src)
	if tr == nil || tr.done {
		return
	}
	if e.wasConnected(at, dst, target, port) {
		tr.spoilt, tr.held = true, nil
	}
	if !countRefusal(tr, at, port, prober) {
		return
	}
	ev := inventory.Event{
		Time: p.Time, Type: inventory.EventPortScan, Severity: inventory.SeverityHigh,
		MAC: macOf(dst), IP: prober, TargetMAC: macOf(src), TargetIP: target,
		Summary: fmt.Sprintf("%s met %d closed ports of %s within %s: a slow port scan", describe(dst, prober), tr.n, target, roundDur(time.Duration(tr.last-tr.start))),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d distinct ports refused (last by %s) since %s", tr.n, kind, e.timeAt(tr.start).UTC().Format(time.RFC3339))},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d refused ports of one host within %s, or %d at least %s apart from one address, none refused again within %s (low-and-slow scans stay under the per-minute one)", slowRefusals, slowWindow, slowOnce, slowGap, slowHold)},
		},
	}
	if tr.n < slowRefusals { // slowOnce: held until no port came again for slowHold
		tr.held, tr.heldUntil, tr.prober = &ev, tr.last+int64(slowHold), dst
		return
	}
	tr.held = nil
	e.raiseSlow(tr, ev, dst)
}

// slowTrackerFor returns the slow tracker of prober (through its MAC in
// k) refused by target (src), started anew when its window ended; nil
// when the table is full.
func (e *Engine) slowTrackerFor(k portKey, at int64, prober netip.Addr, src mac) *slowTracker {
	tr := e.slowHit.tr
	if tr == nil || e.slowHit.k != k {
		if tr = e.slow[k]; tr != nil {
			e.slowHit = slowHit{k, tr}
		}
	}
	if tr != nil && at-tr.start <= int64(slowWindow) {
		return tr
	}
	if tr == nil && len(e.slow) >= e.cfg.MaxTrackers {
		e.counters.TrackersDropped++
		return nil
	}
	if tr == nil {
		tr = &slowTracker{}
		e.slow[k] = tr
		e.slowHit = slowHit{k, tr}
	} else if tr.held != nil {
		e.raiseHeldSlow(tr)
	}
	*tr = slowTracker{start: at, srcIP: prober, dstMAC: src}
	return tr
}

// countRefusal counts a refusal of port to prober in tr and reports
// whether it crossed a threshold: slowRefusals distinct ports, or slowOnce
// of the low-and-slow shape (walked). A refusal less than slowGap after
// the last one, one to another address behind the same MAC, or one of a
// dynamic port (slowDynamic) spoils the shape for good and drops a held
// report; so does a port the prober connected to before (refusal,
// wasConnected). A port refused again drops it unless the list is still
// walked.
func countRefusal(tr *slowTracker, at int64, port uint16, prober netip.Addr) bool {
	if prober != tr.srcIP || (tr.n > 0 && at-tr.last < int64(slowGap)) || port >= slowDynamic {
		tr.spoilt, tr.held = true, nil
	}
	if slices.Contains(tr.ports[:tr.n], port) {
		if tr.again++; !tr.walked() {
			tr.held = nil
		}
		return false
	}
	tr.ports[tr.n] = port
	tr.n++
	tr.last = at
	return tr.n >= slowRefusals || tr.held == nil && tr.walked()
}

// walked reports whether tr's refusals have the low-and-slow shape: at
// least slowOnce distinct ports, unspoilt, and two more distinct ports
// than slowOnce for each refusal of a port refused before. A scanner
// probes a port again when its answer was lost or late (nmap
// retransmits: 80 twice, then ten more ports); a poller meets its ports
// again on its next round, and a client retries the few it wants (eight
// ports, one of them twice).
func (tr *slowTracker) walked() bool {
	return !tr.spoilt && tr.n >= slowOnce && 2*tr.again <= tr.n-slowOnce
}

// raiseSlow reports a slow scan of tr: prober's refusals by tr.dstMAC.
func (e *Engine) raiseSlow(tr *slowTracker, ev inventory.Event, prober mac) {
	tr.done = true
	e.gatherScan(ev, e.timeAt(tr.start), nil, prober, tr.dstMAC)
}

// raiseHeldSlow raises tr's held slowOnce report.
func (e *Engine) raiseHeldSlow(tr *slowTracker) {
	ev := *tr.held
	tr.held = nil
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("no port refused again within %s", slowHold)})
	e.raiseSlow(tr, ev, tr.prober)
}

// expireSlow runs every tick: held slow scans whose hold ended are raised,
// trackers whose window ended (and hold nothing) forgotten.
func (e *Engine) expireSlow(now int64) {
	for k, tr := range e.slow {
		if tr.held != nil && now >= tr.heldUntil {
			e.raiseHeldSlow(tr)
		}
		if tr.held == nil && now-tr.start > int64(slowWindow) {
			delete(e.slow, k)
		}
	}
	e.slowHit = slowHit{}
	e.expireSilent(now)
}

// flushSlow raises the held slow scans at the end of a replay, oldest
// first.
func (e *Engine) flushSlow() {
	var held []*slowTracker
	for _, tr := range e.slow {
		if tr.held != nil {
			held = append(held, tr)
		}
	}
	slices.SortFunc(held, func(a, b *slowTracker) int { return a.held.Time.Compare(b.held.Time) })
	for _, tr := range held {
		e.raiseHeldSlow(tr)
	}
	e.expireSilent(int64(^uint64(0) >> 1)) // after the slow ones: the silent held raise in table order
}

// A slow scan of filtered ports meets no refusal: a firewall dropping its
// SYNs sends nothing back (nmap's "filtered"), so neither the per-minute
// count (a probe every 15 s is 4 a minute) nor the refusals see it. What
// TCP gives away is the ports: a client's retransmitted SYN reuses its
// port pair (RFC 9293 3.8.1), a client retrying a dead server or a
// monitor checking a host that is down comes back to the same few ports
// (8 to 11 service checks), while a scanner walks distinct ports. So a
// source address (through its MAC) whose SYNs to silentPorts distinct
// ports of one LAN host, each below the dynamic range and never connected
// to, drew neither SYN+ACK nor RST within slowWindow is scanning it. The
// target must be a host bound on the LAN (ARP, neighbour discovery) to
// the MAC the SYNs go to: it is up and answers ARP, yet stays silent; a
// capture that sees one direction of a routed path sees every connection
// to the outside unanswered. A NAT or proxy's many clients are as many
// source addresses, each counted apart.
const (
	silentPorts   = 12 // slowRefusals: a list being walked
	silentKept    = 16 // ports a tracker keeps: past them, an answered or round-checked one gives way (silentScan.evict)
	silentSetBits = 7  // 512 trackers in sets of 4 by hash, the oldest giving way: a fixed table
	silentWays    = 4
)

// silentTable holds the unanswered SYNs of (source, target) pairs: a
// pair's first port waits in once, and it takes a slot of set at its
// second distinct port. A SYN flood from forged sources (one SYN each)
// then fills once alone and never evicts a scanner's slot; tags holds each
// slot's pair hash, so a lookup reads one cache line, not four slots.
type silentTable struct {
	_    [0]func()                              // not comparable: no equality function linked
	tags [1 << silentSetBits][silentWays]uint64 // silentHash|1 of the slot's pair; 0: a free slot
	set  [1 << silentSetBits][silentWays]silentScan
	once [1 << silentOnceBits]silentFirst
	// filter has a bit set for each slot's tag (mayHold), marks counts
	// the slots made since it was built (mark)
	filter [1 << silentFilterBits / 64]uint64
	marks  int
	// perMAC: a slot counts a MAC's every address (silentMAC); answers
	// look it up too
	perMAC bool
	// due is at most the earliest end of a held report's hold (nanos):
	// expireSilent reads the slots from then on, and sets it again to the
	// earliest hold left (math.MaxInt64: none). A report dropped or
	// raised before leaves it early, which costs one pass.
	due int64
}

// silentOnceBits sizes silentTable.once, direct-mapped by pair hash: 1,024
// pairs' first ports (24 KB); a pair whose entry another takes before its
// second port starts again from its next one.
const silentOnceBits = 10

// silentFirst is a pair's only port so far, with a silentScan's per-port
// state: a slot made from it (promote) counts as one made at its first SYN.
type silentFirst struct {
	key                uint64 // the pair's silentHash; 0: free
	start              int64  // nanos of the first SYN
	seen               uint32 // seconds of the port's last SYN
	port               uint16
	answered, repeated bool
}

// silentHash hashes the pair (k, srcIP).
func silentHash(k portKey, srcIP netip.Addr) uint64 {
	return silentHashOf(k, ipHash(srcIP))
}

// silentHashOf is silentHash from the source address's ipHash.
func silentHashOf(k portKey, srcIP uint64) uint64 {
	return mix64(k.src ^ k.hi*31 ^ k.lo ^ srcIP*37)
}

// first records a SYN to port at (sec in seconds) of the pair hashed h in
// f, as silentScan.note with renew would, and reports whether it is the
// pair's second distinct port: time for a slot (promote).
func (f *silentFirst) first(h uint64, port uint16, at int64, sec uint32) bool {
	if f.key == h && at-f.start > int64(slowWindow) && (f.answered || f.repeated) {
		f.start = at // renew: an answered or round-checked port is kept
	} else if f.key != h || at-f.start > int64(slowWindow) {
		*f = silentFirst{key: h, start: at, seen: sec, port: port}
		return false
	}
	if f.port != port {
		return true
	}
	if int64(sec)-int64(f.seen) >= silentRound {
		f.repeated = true
	}
	f.seen = sec
	return false
}

// silentScan is one source's SYNs to one LAN host: the distinct ports,
// and which of them were answered.
type silentScan struct {
	_        [0]func() // not comparable: no equality function linked
	k        portKey   // the source's MAC and the target
	srcIP    netip.Addr
	start    int64 // nanos of the first SYN; 0: a free slot
	last     int64 // nanos of the last SYN
	ports    [silentKept]uint16
	seen     [silentKept]uint32 // seconds of each port's last SYN
	n        uint8
	answered uint16 // bit i: ports[i] drew a SYN+ACK or RST from the target's MAC
	repeated uint16 // bit i: ports[i] was probed again silentRound or more after its last SYN (a monitor's round)
	done     bool
	held     *silentHeld // a burst's report waiting for the ports' next round (silentBurst)
	// ver counts the changes of what merge reads (ports, seen, n,
	// answered, repeated); a slot made anew keeps counting.
	ver uint32
	// mergedTo is the MAC's slot this pair last merged into cleanly
	// (mergeFrom), with both slots' ver then; nil: none.
	mergedTo               *silentScan
	mergedVer, mergedToVer uint32
}

// silentHeld is a report of a burst of unanswered SYNs held until until
// (nanos): raised then unless the ports were checked again, a monitor's
// next round.
type silentHeld struct {
	ev       inventory.Event
	until    int64
	src, dst mac
	ports    []uint16 // the burst's ports: the report goes when two thirds come back (back)
}

// back is how many of h's ports no longer count in s: checked again in
// a round (or answered, or gone). A monitor repeats its whole
// set; a scanner probing one port again (nmap -p1 after -p1-12) does not
// hide its burst.
func (h *silentHeld) back(s *silentScan) int {
	n := 0
	for _, p := range h.ports {
		if i := slices.Index(s.ports[:s.n], p); i < 0 || (s.answered|s.repeated)&(1<<i) != 0 {
			n++
		}
	}
	return n
}

// silentBurst: a monitor checks its ports in a burst (a second or two)
// and repeats the same set every few minutes; a scanner walks on. When
// the silentPorts counted ports all came within silentBurst seconds, the
// report is held for slowHold (a 5-, 10- or 15-minute poller's next
// round): a port checked again then (silentRound after its last SYN) no
// longer counts, and the report goes if too few are left. The cost: a
// quick scan of 12 to 19 filtered ports (under the per-minute
// PortScanPorts) is raised slowHold late, with its first time. A slow
// scan (nmap -T1, --scan-delay 1 s or more: 12 ports span 11 s) is
// raised at once, as are bursts seconds apart (review 27's three bursts of
// 7 ports 16 s apart).
const silentBurst = 10

// silentRound is how long after a port's last SYN one to it again is a
// new round of a monitor's checks, not a retransmission (nmap retransmits
// within a second or two): a port checked in rounds does not count, so a
// scan dressed as a monitor counts the distinct ports of its last round.
const silentRound = 30

// renew starts s's next window at at: the ports answered before or
// checked in rounds are kept (they still do not count), the others go.
func (s *silentScan) renew(at int64) {
	old := *s
	*s = silentScan{k: old.k, srcIP: old.srcIP, start: at, last: at, held: old.held, ver: old.ver + 1} // a held report stays until its hold ends
	for i := range old.n {
		if (old.answered|old.repeated)&(1<<i) != 0 {
			s.keep(old.ports[i], old.seen[i], old.answered&(1<<i) != 0, old.repeated&(1<<i) != 0)
		}
	}
}

// keep appends port to s's kept ports with its flags.
func (s *silentScan) keep(port uint16, seen uint32, answered, repeated bool) {
	i := s.n
	s.ports[i], s.seen[i] = port, seen
	if answered {
		s.answered |= 1 << i
	}
	if repeated {
		s.repeated |= 1 << i
	}
	s.n++
	s.ver++
}

// evict drops the first kept port that does not count (answered or in
// rounds) to make room, reporting whether there was one.
func (s *silentScan) evict() bool {
	gone := s.answered | s.repeated
	if gone == 0 {
		return false
	}
	i := uint8(bits.TrailingZeros16(gone))
	copy(s.ports[i:s.n], s.ports[i+1:s.n])
	copy(s.seen[i:s.n], s.seen[i+1:s.n])
	low := uint16(1)<<i - 1
	s.answered = s.answered&low | s.answered>>(i+1)<<i
	s.repeated = s.repeated&low | s.repeated>>(i+1)<<i
	s.n--
	s.ver++
	return true
}

// counted is how many of s's ports count: neither answered nor in rounds.
func (s *silentScan) counted() int {
	return int(s.n) - bits.OnesCount16(s.answered|s.repeated)
}

// note records a SYN to port at sec, reporting whether it was a new
// distinct port.
func (s *silentScan) note(port uint16, sec uint32) bool {
	if i := slices.Index(s.ports[:s.n], port); i >= 0 {
		s.seenAgain(i, sec)
		return false
	}
	return s.add(port, sec)
}

// add keeps port, not among s's ports, with its SYN at sec, making room
// (evict) when s is full; false when there is none.
func (s *silentScan) add(port uint16, sec uint32) bool {
	if int(s.n) == silentKept && !s.evict() {
		return false
	}
	s.keep(port, sec, false, false)
	return true
}

// indexFrom is slices.Index(s.ports[:s.n], port), looking from i on
// first: s's ports are distinct, so the same index.
func (s *silentScan) indexFrom(port uint16, i int) int {
	n := int(s.n)
	for j := i; j < n; j++ {
		if s.ports[j] == port {
			return j
		}
	}
	for j := range min(i, n) {
		if s.ports[j] == port {
			return j
		}
	}
	return -1
}

// seenAgain records a SYN at sec to s's port i: in a new round when
// silentRound or more after its last.
func (s *silentScan) seenAgain(i int, sec uint32) {
	if s.seen[i] == sec {
		return
	}
	if int64(sec)-int64(s.seen[i]) >= silentRound {
		s.repeated |= 1 << i
	}
	s.seen[i] = sec
	s.ver++
}

// silentSlot is the tracker of (k, srcIP), hashed h: theirs, else
// (create) the oldest of their set made anew, else nil. A slot holding a
// report gives way last, and raises it (a held report is never lost).
func (e *Engine) silentSlot(k portKey, srcIP netip.Addr, h uint64, create bool, at int64) *silentScan {
	t := e.silent
	if !create && !t.mayHold(h) {
		return nil // no slot's tag is h's (silentTable.filter): a forged flood's SYN, most answers
	}
	i := h >> (64 - silentSetBits)
	set, tags := &t.set[i], &t.tags[i]
	for j, g := range tags {
		if s := &set[j]; g == h|1 && s.k == k && s.srcIP == srcIP {
			if at-s.start > int64(slowWindow) && create {
				s.renew(at)
			}
			return s
		}
	}
	if !create {
		return nil
	}
	old := victim(set)
	if set[old].held != nil {
		e.raiseHeldSilent(&set[old])
	}
	tags[old] = h | 1
	t.mark(h)
	set[old] = silentScan{k: k, srcIP: srcIP, start: at, ver: set[old].ver + 1}
	return &set[old]
}

// silentFilterBits sizes silentTable.filter: 4,096 bits (512 bytes), set
// for each slot's tag, so a pair without a slot (a SYN flood's from forged
// sources, most SYN+ACKs and RSTs) is told by one bit, not by comparing
// its set's four tags (86 instructions of a flood's SYN, session 41). The
// filter is built anew from the tags every silentRefilter slots made, so
// the tags of slots given away leave it; a bit set for none costs only
// the set's compare.
const (
	silentFilterBits = 12
	silentRefilter   = 256
)

// mayHold reports whether a slot may be tagged h|1: false when none is.
func (t *silentTable) mayHold(h uint64) bool {
	b := h >> 1 & (1<<silentFilterBits - 1)
	return t.filter[b>>6]&(1<<(b&63)) != 0
}

// mark sets h's bit in the filter for the slot just tagged h|1, or
// builds the filter anew from all the tags (h's among them).
func (t *silentTable) mark(h uint64) {
	if t.marks++; t.marks < silentRefilter {
		b := h >> 1 & (1<<silentFilterBits - 1)
		t.filter[b>>6] |= 1 << (b & 63)
		return
	}
	t.marks, t.filter = 0, [1 << silentFilterBits / 64]uint64{}
	for i := range t.tags {
		for _, g := range t.tags[i] {
			if b := g >> 1 & (1<<silentFilterBits - 1); g != 0 {
				t.filter[b>>6] |= 1 << (b & 63)
			}
		}
	}
}

// victim is the way of set to give way: the oldest one holding no
// report, else the oldest.
func victim(set *[silentWays]silentScan) int {
	old := 0
	for j := range set {
		if held, oldHeld := set[j].held != nil, set[old].held != nil; held == oldHeld && set[j].last < set[old].last || !held && oldHeld {
			old = j
		}
	}
	return old
}

// promote makes the slot of (k, srcIP) from its first port f, dropped
// unless it was answered or would have counted (unscanned): a SYN to a
// port connected to before never goes to a slot.
func (e *Engine) promote(k portKey, srcIP netip.Addr, h uint64, f *silentFirst, drop bool, at int64) *silentScan {
	s := e.silentSlot(k, srcIP, h, true, f.start)
	*s = silentScan{k: k, srcIP: srcIP, start: f.start, last: f.start, ver: s.ver + 1}
	if drop && !f.answered {
		s.start = at
	} else {
		s.keep(f.port, f.seen, f.answered, f.repeated)
	}
	*f = silentFirst{}
	return s
}

// silentSYN counts a SYN from srcIP (through src) to dstIP's port, and
// raises a slow scan of filtered ports when it is the next distinct port
// after silentPorts-1 unanswered ones. Most SYNs are a pair's only one
// (clients, a flood from forged sources): they go to silentTable.once,
// and the checks of a slot's SYNs wait for the pair's second port.
func (e *Engine) silentSYN(t time.Time, ph *pairHash, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr, port uint16) {
	at := e.nanosOf(t)
	if port >= slowDynamic {
		return
	}
	if e.silent == nil {
		e.silent = &silentTable{}
	}
	h := silentHashOf(ph.k, ph.src)
	sec := uint32(at / int64(time.Second))
	s := e.silentSlot(ph.k, srcIP, h, false, at)
	if s == nil {
		if s = e.silentSecond(at, ph, h, srcIP, dst, dstIP, port); s == nil {
			return
		}
	} else if e.unscanned(at, ph, port) {
		return
	}
	if at-s.start > int64(slowWindow) {
		if !e.boundTo(dstIP, dst) {
			return
		}
		s.renew(at)
	}
	s.last = at
	e.silentNote(t, s, port, sec, src, dst, dstIP)
	e.silentMAC(t, s, src, srcIP, dst, dstIP, sec)
}

// silentMAC counts the ports of a pair with a slot (pair) in the slot
// of every address of its MAC toward dstIP (the zero source address): a
// scanner on the LAN owns its MAC and can rotate its addresses (aliases),
// a few ports each. Only a LAN host's MAC counts, the source address
// bound to it (ARP, neighbour discovery) and not a router's (a router's
// MAC carries many remote users, each its own address). Raised when the
// MAC's counted ports reach silentPorts, no address alone does, and they
// span more than a burst (silentBurst: one address's burst is held by
// silentNote). A pair's ports count here from its silentMACPorts'th
// counted one on, so clients sharing a MAC, a few ports each, stay
// unseen.
func (e *Engine) silentMAC(t time.Time, pair *silentScan, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr, sec uint32) {
	if pair.counted() < silentMACPorts || e.routerMAC(src) || !e.boundTo(srcIP, src) {
		return
	}
	at := e.nanosOf(t)
	m := e.silentSlot(pair.k, netip.Addr{}, silentHash(pair.k, netip.Addr{}), true, at)
	e.silent.perMAC = true
	m.last = at
	if !m.mergeFrom(pair) || m.done || m.counted() < silentPorts || pair.counted() >= silentPorts || sec-m.firstCounted() < silentBurst {
		return
	}
	m.done = true
	ev := e.silentEvent(t, m, src, dst, dstIP)
	ev.IP = srcIP
	ev.Summary = fmt.Sprintf("%s, from several addresses of its MAC (the last %s), sent SYNs to %d ports of %s that answered none within %s: a slow scan of filtered ports", macString(src), srcIP, m.counted(), dstIP, roundDur(time.Duration(m.last-m.start)))
	e.gatherScan(ev, e.timeAt(m.start), nil, src, dst)
}

// silentMACPorts is how many counted ports an address of a MAC has before
// they count for its MAC (silentMAC): a scanner rotating its aliases walks
// a few ports from each (nmap with -S, 4 to 11 ports each); a Wi-Fi
// bridge's or proxy-ARP MAC carries clients each trying the one or two
// ports of its service (SMB's 445 and 139, HTTP's 80 and 443) of a dead
// host.
const silentMACPorts = 3

// mergeFrom is m.merge(pair), reporting whether a port was new to m,
// skipped when pair last merged into m cleanly and neither changed since:
// that merge would change nothing and find no new port. A scanner's pair
// walking on past 16 filtered ports keeps them all (none gives way), and
// each of its SYNs merged them all again.
func (m *silentScan) mergeFrom(pair *silentScan) bool {
	if pair.mergedTo == m && pair.mergedVer == pair.ver && pair.mergedToVer == m.ver {
		return false
	}
	isNew, clean := m.merge(pair)
	pair.mergedTo, pair.mergedVer, pair.mergedToVer = nil, 0, 0
	if clean {
		pair.mergedTo, pair.mergedVer, pair.mergedToVer = m, pair.ver, m.ver
	}
	return isNew
}

// merge counts pair's ports in m, the slot of its MAC (silentMAC): its
// counted ones as SYNs at their last time, its ports in rounds or
// answered as such; reporting whether one was new to m, and whether the
// merge was clean: no counted port of pair found m full (evicting one of
// m's, or left out). Merging again after a clean merge, with neither
// changed, changes nothing. Each port is looked for in m after the last
// one found: m's ports came mostly from pair, in its order, so a merge
// reads each of m's about once, not 16 times (a scanner's pair holds 16
// ports, and each SYN merged them all again: 1,700 instructions, 0.7 % of
// a corpus replay).
func (m *silentScan) merge(pair *silentScan) (isNew, clean bool) {
	clean = true
	from := 0
	for i, p := range pair.ports[:pair.n] {
		bit := uint16(1) << i
		j := m.indexFrom(p, from)
		if j >= 0 {
			from = j + 1
		}
		switch {
		case (pair.answered|pair.repeated)&bit != 0:
			if j >= 0 {
				m.flag(j, pair.answered&bit != 0, pair.repeated&bit != 0)
			}
		case j >= 0:
			m.seenAgain(j, pair.seen[i])
		default:
			clean = clean && int(m.n) < silentKept
			isNew = m.add(p, pair.seen[i]) || isNew
		}
	}
	return isNew, clean
}

// flag marks s's port i answered and/or in rounds.
func (s *silentScan) flag(i int, answered, repeated bool) {
	a, r := s.answered, s.repeated
	if answered {
		s.answered |= 1 << i
	}
	if repeated {
		s.repeated |= 1 << i
	}
	if s.answered != a || s.repeated != r {
		s.ver++
	}
}

// silentNote notes a SYN to port in s and raises (or holds, silentBurst)
// the scan when it is the next distinct port after silentPorts-1
// unanswered ones; a held report goes when two thirds of its ports come
// back (a monitor's round: silentHeld.back), and is raised at the first
// SYN after its hold.
func (e *Engine) silentNote(t time.Time, s *silentScan, port uint16, sec uint32, src, dst mac, dstIP netip.Addr) {
	isNew := s.note(port, sec)
	if h := s.held; h != nil {
		if isNew { // the burst goes on
			h.ports = append(h.ports, port)
		}
		if 3*h.back(s) >= 2*len(h.ports) { // two thirds of the burst checked again
			s.held, s.done = nil, false
		} else if e.nanosOf(t) >= h.until {
			e.raiseHeldSilent(s)
		}
		return
	}
	if !isNew || s.done || s.counted() < silentPorts {
		return
	}
	s.done = true
	ev := e.silentEvent(t, s, src, dst, dstIP)
	if sec-s.firstCounted() < silentBurst {
		s.held = &silentHeld{ev: ev, until: e.nanosOf(t) + int64(slowHold), src: src, dst: dst, ports: s.countedPorts()}
		e.silent.due = min(e.silent.due, s.held.until)
		return
	}
	e.gatherScan(ev, e.timeAt(s.start), nil, src, dst)
}

// countedPorts lists s's counted ports.
func (s *silentScan) countedPorts() []uint16 {
	ports := make([]uint16, 0, s.n)
	for i, p := range s.ports[:s.n] {
		if (s.answered|s.repeated)&(1<<i) == 0 {
			ports = append(ports, p)
		}
	}
	return ports
}

// firstCounted is the seconds of the earliest last SYN of s's counted
// ports.
func (s *silentScan) firstCounted() uint32 {
	first := ^uint32(0)
	for i := range s.n {
		if (s.answered|s.repeated)&(1<<i) == 0 {
			first = min(first, s.seen[i])
		}
	}
	return first
}

// raiseHeldSilent raises s's held report.
func (e *Engine) raiseHeldSilent(s *silentScan) {
	h := s.held
	s.held = nil
	h.ev.Evidence = append(h.ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("a burst: none of the ports checked again within %s", slowHold)})
	e.gatherScan(h.ev, e.timeAt(s.start), nil, h.src, h.dst)
}

// expireSilent raises the held silent reports whose hold ended (now in
// nanos), every tick.
// The table's 512 slots are read only when a hold may have ended
// (silentTable.due): most ticks none has, and the pass was 1 % of a
// corpus replay's instructions.
func (e *Engine) expireSilent(now int64) {
	if e.silent == nil || now < e.silent.due {
		return
	}
	due := int64(math.MaxInt64)
	for i := range e.silent.set {
		for j := range e.silent.set[i] {
			s := &e.silent.set[i][j]
			if s.held != nil && now >= s.held.until {
				e.raiseHeldSilent(s)
			}
			if s.held != nil {
				due = min(due, s.held.until)
			}
		}
	}
	e.silent.due = due
}

// silentSecond records a SYN of a pair without a slot in
// silentTable.once, and returns the slot it makes at the pair's second
// distinct port to a bound LAN host; nil otherwise.
func (e *Engine) silentSecond(at int64, ph *pairHash, h uint64, srcIP netip.Addr, dst mac, dstIP netip.Addr, port uint16) *silentScan {
	f := &e.silent.once[h&(1<<silentOnceBits-1)]
	if !f.first(h, port, at, uint32(at/int64(time.Second))) || e.unscanned(at, ph, port) || !e.boundTo(dstIP, dst) {
		return nil
	}
	return e.promote(ph.k, srcIP, h, f, e.unscanned(at, ph, f.port), at)
}

// unscanned reports whether a SYN from the client to the server's port
// (ph: the client's MAC, the server's address) is no scan's: to a port
// the client connected to before, or an FTP data connection (ftpControl).
func (e *Engine) unscanned(at int64, ph *pairHash, port uint16) bool {
	return e.connectedKey(at, connKeyOf(ph.mac, ph.dst, port)) || port >= 1024 && e.ftpControl(at, ph)
}

// ftpControl reports whether the client has an answered FTP control
// connection (21, or 990 implicit TLS) to the server (ph, as unscanned):
// its SYNs to ports of 1024 and up are passive data connections (RFC 959
// PASV, RFC 2428 EPSV), to ports the server picks from a range a firewall
// may drop.
func (e *Engine) ftpControl(at int64, ph *pairHash) bool {
	return e.connectedKey(at, connKeyOf(ph.mac, ph.dst, 21)) || e.connectedKey(at, connKeyOf(ph.mac, ph.dst, 990))
}

// boundTo reports whether ip is a LAN host's bound to m (ARP, neighbour
// discovery).
func (e *Engine) boundTo(ip netip.Addr, m mac) bool {
	b := e.arpBinding(ip)
	return b != nil && b.mac == m
}

// silentAnswer records server's SYN+ACK or RST from port to client's
// address (through its MAC): that port was answered, when it comes from
// the MAC server is bound to (a forged answer from elsewhere does not
// hide a scan).
func (e *Engine) silentAnswer(from, client mac, clientIP, server netip.Addr, port uint16) {
	if e.silent == nil {
		return
	}
	k := newPortKey(client, server)
	h := silentHash(k, clientIP)
	s := e.silentSlot(k, clientIP, h, false, 0)
	if s == nil {
		if f := &e.silent.once[h&(1<<silentOnceBits-1)]; f.key == h && f.port == port && e.boundTo(server, from) {
			f.answered = true
		}
		return
	}
	if !e.boundTo(server, from) { // the slot first: most answers have none, and boundTo is a map lookup
		return
	}
	if i := slices.Index(s.ports[:s.n], port); i >= 0 {
		s.flag(i, true, false)
	}
	if !e.silent.perMAC {
		return
	}
	if m := e.silentSlot(k, netip.Addr{}, silentHash(k, netip.Addr{}), false, 0); m != nil {
		if i := slices.Index(m.ports[:m.n], port); i >= 0 {
			m.flag(i, true, false)
		}
	}
}

// silentEvent is the report of s, a slow scan of filtered ports.
func (e *Engine) silentEvent(t time.Time, s *silentScan, src, dst mac, dstIP netip.Addr) inventory.Event {
	ports := make([]int, 0, s.n)
	for i, p := range s.ports[:s.n] {
		if (s.answered|s.repeated)&(1<<i) == 0 {
			ports = append(ports, int(p))
		}
	}
	slices.Sort(ports)
	return inventory.Event{
		Time: t, Type: inventory.EventPortScan, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: s.srcIP, TargetMAC: macOf(dst), TargetIP: dstIP,
		Summary: fmt.Sprintf("%s sent SYNs to %d ports of %s that answered none within %s: a slow scan of filtered ports", describe(src, s.srcIP), len(ports), dstIP, roundDur(time.Duration(s.last-s.start))),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: "unanswered ports " + intList(ports, 24)},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: SYNs to %d distinct ports of one LAN host drawing no SYN+ACK or RST within %s (filtered: a firewall drops them; a retransmission reuses its port)", silentPorts, slowWindow)},
		},
	}
}
