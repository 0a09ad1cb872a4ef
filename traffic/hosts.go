package traffic

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"net/netip"
	"slices"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Protocols counted per host, a fixed set so a host's record stays small.
var protoNames = [...]string{"arp", "ipv4", "ipv6", "tcp", "udp", "icmp", "dns", "dhcp", "http", "https", "ssh", "telnet", "ftp", "smb", "snmp", "mdns", "lldp", "other"}

const (
	pARP = iota
	pIPv4
	pIPv6
	pTCP
	pUDP
	pICMP
	pDNS
	pDHCP
	pHTTP
	pHTTPS
	pSSH
	pTelnet
	pFTP
	pSMB
	pSNMP
	pMDNS
	pLLDP
	pOther
	nProto
)

// topPeers is how many peers per host are kept (space-saving top-k).
const topPeers = 8

type peer struct {
	ip    netip.Addr
	bytes uint64
}

// The fields every frame reads or counts come first, in the host's first
// three cache lines: the current minute's counters (bucket, bBytes) were
// 900 bytes in, after the claims and names, a line of their own per host.
type host struct {
	_           [0]func() // not comparable: no equality function linked
	mac         mac
	ip          netip.Addr
	last        int64         // the last frame sent, in nanos: compared on every frame, a time.Time only in reports
	maxGap      time.Duration // longest silence so far
	known, gone bool
	ndRouter    bool       // it sent a neighbour advertisement with the Router flag (RFC 4861 4.4)
	ndHost      bool       // its last neighbour advertisement had no Router flag, or it solicited routers (ra37.go)
	own6        netip.Addr // the IPv6 address ND last bound to it (ndClaim): its own (nd6forged.go)
	pending     time.Time  // first frame after learning, not yet announced

	bytesIn, bytesOut, pktsIn, pktsOut uint64
	// traffic_spike: the current minute, read and counted with the
	// counters above on every frame (so in their cache line, not after
	// the host's kilobyte of baselines and claims).
	bucket        int64
	bBytes, bPkts float64
	// busy is the last minute the host had traffic in: idle minutes are
	// folded up to spikeMaxGap after it, not for as long as it is away.
	busy      int64
	lastPeer  uint8           // the slot of peers addPeer found or filled last
	nPeers    uint8           // peers[:nPeers] are filled, in the order first seen
	peerTag   [topPeers]uint8 // each filled peers slot's address's last byte (addPeerScan)
	first     time.Time
	firstKind string // what the first frame after learning (pending) was
	proto     [nProto]uint64
	peers     [topPeers]peer
	// peerVia is the MAC the last frame with each peers slot's address
	// went to or came from, and peerWeb the slot's bytes this minute over
	// a forward proxy's ports (classify): whether a spike's peer is a host
	// on the segment reached directly, and not a proxy (lanTransfer).
	peerVia [topPeers]mac
	peerWeb [topPeers]uint64
	// peerMixed has bit i set when slot i's frames this minute went
	// through more than one MAC (peerVia changed): not all to the MAC the
	// address is bound to.
	peerMixed uint8

	claims      [4]netip.Addr // addresses this MAC claimed in ARP
	uclaims     [4]netip.Addr // addresses it claimed in replies nobody asked for
	unsolicited int
	// lease is the address its DHCP client last asked for (none: it
	// DISCOVERed), at leaseAt (nanos; 0: never seen): leaseSeen, leftAddress.
	lease   netip.Addr
	leaseAt int64
	spoofed time.Time // when an arp_spoof naming this MAC was last reported
	// forgedFrom holds the last LAN addresses that reached this host in
	// frames from a MAC that is not theirs (ettercap's forged pings, nmap
	// -S, decoys): its ARP requests for them answer those frames.
	forgedFrom [4]forgedSrc
	sentFrom   [2]forgedSrc  // the last LAN addresses it sent IPv4 from (injectedowner.go)
	offLink    uint32        // IPv4 frames others sent it for off-LAN addresses: their next hop, a router (dnsrace.go)
	answered   [4]answeredAt // askers of WS-Discovery or SSDP queries it answered (discovered.go)
	asked      int64         // when it last multicast a WS-Discovery Probe or SSDP M-SEARCH (nanos; discovered.go)
	// heard6 holds the last IPv6 addresses that sent this host a frame: its
	// neighbour solicitations for them resolve a reply (a server's answer
	// to a new client), they do not probe.
	heard6     [4]heard6Src
	heard6Last uint8      // the slot written last
	names      *nameState // names it answered in LLMNR, NBT-NS or mDNS (nil until it answers one)

	// traffic_spike: the baselines per hour of day (the current minute is
	// above).
	hourB, hourP [24]float64
	hourN        [24]uint16
	allB, allP   float64
	allN         uint32
	// Idle minutes folded into the baselines above but not yet applied
	// to them (settle): a baseline is decayed only when it is next read.
	hourK [24]uint32
	allK  uint32
	// peerMark holds each peers slot's bytes at the current minute's
	// start, so that a spike can tell whom the minute's traffic was with
	// (minuteTop); set only as a minute closes or a slot changes hands.
	peerMark [topPeers]uint64
}

// hostCacheBits sizes the direct-mapped cache in front of e.hosts: 256
// slots. Every frame looks up its sender and receiver, most of them a few
// busy hosts. A host leaves the table only in evict, which clears its slot;
// nothing else keeps a *host beyond one frame (the other tables hold MACs
// and look the host up again), so a cached pointer stays valid.
const hostCacheBits = 8

func (e *Engine) cacheSlot(k uint64) **host {
	return &e.hostCache[(k*0x9e3779b97f4a7c15)>>(64-hostCacheBits)]
}

func (e *Engine) host(m mac, create bool) *host {
	k := macKey(m)
	slot := e.cacheSlot(k)
	if h := *slot; h != nil && h.mac == m {
		return h
	}
	h := e.hosts[k]
	if h != nil {
		*slot = h
	}
	if h != nil || !create {
		return h
	}
	if len(e.hosts) >= e.cfg.MaxHosts {
		e.counters.HostsUntracked++
		if e.macFlood.reported {
			e.macFlood.until = e.clock + int64(macFloodWindow) // the flood goes on beyond the full table
		}
		return nil
	}
	h = &host{mac: m, first: e.now, last: e.nanos(e.now), bucket: minute(e.now), busy: minute(e.now)}
	e.hosts[k] = h
	*slot = h
	e.order = append(e.order, h)
	return h
}

func minute(t time.Time) int64 { return t.Unix() / 60 }

// A MAC flood (macof) fills the host table with invented MACs that each
// sent or received a frame or two, and every device that appears after it
// would go untracked for good. Once the table is past evictAbove eighths of
// MaxHosts, a tick drops the hosts that saw at most evictMaxFrames frames,
// were silent for evictSilent, and hold nothing a detector reads: no
// address, no ARP claims, no names, no arp_spoof report, no announcement
// pending. A real device that comes back is a new host again.
const (
	evictAbove     = 7
	evictMaxFrames = 2
	evictSilent    = time.Minute
)

func (h *host) disposable(now int64) bool {
	return h.pktsIn+h.pktsOut <= evictMaxFrames && now-h.last >= int64(evictSilent) &&
		!h.ip.IsValid() && h.claims == [4]netip.Addr{} && h.uclaims == [4]netip.Addr{} && h.unsolicited == 0 &&
		h.names == nil && h.spoofed.IsZero() && h.pending.IsZero() && !h.ndRouter
}

// evict drops the disposable hosts once the table is nearly full, keeping
// e.order in first-seen order.
func (e *Engine) evict(now time.Time) {
	if len(e.hosts) <= e.cfg.MaxHosts/8*evictAbove {
		return
	}
	e.sender = nil // hostOf's: it may go
	kept := e.order[:0]
	for _, h := range e.order {
		if !h.disposable(e.nanos(now)) {
			kept = append(kept, h)
			continue
		}
		k := macKey(h.mac)
		if slot := e.cacheSlot(k); *slot == h {
			*slot = nil
		}
		delete(e.hosts, k)
		e.counters.HostsEvicted++
	}
	clear(e.order[len(kept):]) // no pointer left behind the slice's end
	e.order = kept
}

// account adds a frame to its sender's and receiver's statistics and
// announces a sender never seen before once learning is over.
// at is the frame's time in nanos.
func (e *Engine) account(p *capture.Packet, src, dst mac, at int64) (sender *host) {
	n, fn, cur := uint64(p.Length), float64(p.Length), minute(p.Time) // int to float: one instruction, where uint64's takes a branch and six
	proto, web := classify(p)
	e.srcLAN = local(p.SrcIP())                                             // floodPacket's too (flood.go): one look-up a frame
	srcIP, dstIP, lan4 := p.SrcIP(), p.DstIP(), p.SrcIP().Is4() && e.srcLAN // lan4: read for the sender and the receiver
	if unicast(src) {
		if h := e.host(src, true); h != nil {
			e.closeBuckets(h, cur)
			if gap := time.Duration(at - h.last); gap > h.maxGap && h.known {
				h.maxGap = gap
			}
			h.last = at
			h.bytesOut += n
			h.pktsOut++
			h.proto[proto]++
			h.bBytes += fn
			h.bPkts++
			if dstIP.IsValid() {
				h.addPeer(dstIP, n, dst, web)
			}
			if e.dad.lone.due != 0 && srcIP.Is6() {
				e.loneDADUse(p, src, srcIP) // dad6.go
			}
			if lan4 {
				if !h.ip.IsValid() {
					h.ip = srcIP
				}
				h.noteSent(srcIP, at)
			}
			if h.gone {
				h.gone = false
			}
			if !h.known {
				h.known = true
				e.newSender(src, p.Time, p.Has&capture.HasARP != 0 || srcIP.IsValid() && local(srcIP), srcIP, l2KindOf(p))
				if e.learned() {
					h.pending, h.firstKind = p.Time, frameKind(p)
				}
			}
			sender = h
		} else if e.macFlood.reported {
			e.untrackedSender(p, src, p.Has&capture.HasARP != 0 || srcIP.IsValid() && local(srcIP)) // macfloodrest.go
		}
	}
	if unicast(dst) {
		if h := e.host(dst, true); h != nil {
			e.closeBuckets(h, cur)
			h.bytesIn += n
			h.pktsIn++
			h.bBytes += fn
			h.bPkts++
			if srcIP.IsValid() {
				h.addPeer(srcIP, n, src, web)
			}
			if sender != nil && lan4 && sender.ip.IsValid() && srcIP != sender.ip {
				e.noteForged(h, srcIP, at) // injecteddata.go: and marks the frame for injectedData
			} else if srcIP.Is6() {
				h.noteHeard6(srcIP, at)
			}
			if dstIP.Is4() && !local(dstIP) && sender != h {
				h.offLink++ // a frame sent to it for off the LAN: a router, the next hop (dnsrace.go)
			}
		}
	}
	e.sender = sender
	return sender
}

// hostOf is host(m, false), from account's look-up when m is the frame's
// sender: a SYN's detectors asked for its sender's host again, each
// through the host cache (followsDiscovery, claimsLAN: 0.5 % of the
// corpus mix's instructions).
func (e *Engine) hostOf(m mac) *host {
	if h := e.sender; h != nil && h.mac == m {
		return h
	}
	return e.host(m, false)
}

// forgedSrc is one address that reached a host from a MAC not its own.
type forgedSrc struct {
	ip [4]byte
	at int64 // in nanoseconds (nanos)
}

// answerWithin is how soon after a frame from a forged source a host's ARP
// request for that source answers it: Linux resolves the address to reply
// at once (microseconds), retrying each second three times.
const answerWithin = 3 * time.Second

func (h *host) noteForged(ip netip.Addr, at int64) {
	b := ip.As4()
	oldest := 0
	for i, f := range h.forgedFrom {
		if f.ip == b {
			h.forgedFrom[i].at = at
			return
		}
		if f.at < h.forgedFrom[oldest].at {
			oldest = i
		}
	}
	h.forgedFrom[oldest] = forgedSrc{b, at}
}

// answering reports whether m's ARP request for ip at t resolves the
// source of a frame it was just sent from another MAC: the host needs the
// address to reply, it is not probing it.
func (e *Engine) answering(m mac, ip netip.Addr, t time.Time) bool {
	h := e.hosts[macKey(m)]
	if h == nil || !ip.Is4() {
		return false
	}
	b := ip.As4()
	for _, f := range h.forgedFrom {
		if f.ip == b && f.at != 0 && e.nanos(t)-f.at <= int64(answerWithin) {
			return true
		}
	}
	return false
}

// heard6Src is one IPv6 address that sent a host a frame, and when.
type heard6Src struct {
	hi, lo uint64 // the address's As16 as words (words6): compared as two, not copied as 16 bytes
	at     int64  // in nanoseconds (nanos)
}

// noteHeard6 remembers that ip sent h a frame at at (nanos). A host solicits the
// sender of a frame it must answer within microseconds, so the last few
// senders are enough; a client that keeps talking refreshes its own slot.
func (h *host) noteHeard6(ip netip.Addr, at int64) {
	hi, lo := words6(ip)
	if s := &h.heard6[h.heard6Last]; s.hi == hi && s.lo == lo {
		s.at = at
		return
	}
	for i := range h.heard6 {
		if h.heard6[i].hi == hi && h.heard6[i].lo == lo {
			h.heard6[i].at = at
			h.heard6Last = uint8(i)
			return
		}
	}
	h.heard6Last = (h.heard6Last + 1) % uint8(len(h.heard6))
	h.heard6[h.heard6Last] = heard6Src{hi, lo, at}
}

// resolving6 reports whether m's neighbour solicitation for ip at t
// resolves the source of a frame m was just sent: m needs the address to
// reply (RFC 4861 7.2.2), it is not probing it.
func (e *Engine) resolving6(m mac, ip netip.Addr, t time.Time) bool {
	h := e.hosts[macKey(m)]
	if h == nil || !ip.Is6() {
		return false
	}
	hi, lo := words6(ip)
	for _, f := range h.heard6 {
		if f.hi == hi && f.lo == lo && f.at != 0 && e.nanos(t)-f.at <= int64(answerWithin) {
			return true
		}
	}
	return false
}

// maxNewDevices is how many new_device events one Window may hold: people
// arrive at an office over an hour, a few a minute; twenty in one minute is
// a forged-MAC flood, which its own detector reports once.
const maxNewDevices = 20

// announceWait is how long a new device's announcement waits for its IPv4
// address (its first frames are often IPv6 or DHCP).
const announceWait = 10 * time.Second

// maybeAnnounce reports a pending new device once its address is known or
// announceWait has passed.
func (e *Engine) maybeAnnounce(h *host, now time.Time) {
	if h.pending.IsZero() || (!h.ip.IsValid() && since(now, h.pending) < announceWait) {
		return
	}
	first := h.pending
	h.pending = time.Time{}
	if f, at := &e.macFlood, e.nanosOf(first); f.reported && !h.ip.IsValid() && at >= f.start && at < f.until {
		// One of a MAC flood's invented MACs: the flood is its own
		// incident. Evicted, they come back each minute the flood goes on.
		e.counters.NewDevicesSuppressed++
		return
	}
	// A flood of forged MACs (ARP or DHCP starvation tools) is one
	// incident, reported by its own detector, not thousands of arrivals.
	if since(now, e.newDevStart) > e.cfg.Window {
		e.newDevStart, e.newDevCount = now, 0
	}
	if e.newDevCount++; e.newDevCount > maxNewDevices {
		e.counters.NewDevicesSuppressed++
		return
	}
	e.report(inventory.Event{
		Time: now, Type: inventory.EventNewDevice, Severity: inventory.SeverityMedium,
		MAC: macOf(h.mac), IP: h.ip,
		Summary: fmt.Sprintf("new device %s joined the network", describe(h.mac, h.ip)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("first frame (%s) at %s, after the learning period that ended %s",
				h.firstKind, first.UTC().Format(time.RFC3339), e.learnEnd.UTC().Format(time.RFC3339))},
		},
	}, h.mac, mac{})
}

func frameKind(p *capture.Packet) string {
	switch {
	case p.Has&capture.HasARP != 0:
		return "ARP"
	case p.Has&capture.HasUDP != 0 && p.UDP.DstPort == 67:
		return "DHCP"
	case p.Has&capture.HasIPv6 != 0:
		return "IPv6"
	case p.Has&capture.HasIPv4 != 0:
		return "IPv4"
	}
	return "Ethernet"
}

// addPeer counts n bytes exchanged with ip. The peer of the host's last
// frame is tried first: a transfer's frames come in runs, and the slots
// hold distinct addresses filled in order, so the one that holds ip is
// where the scan would stop too.
// via is the frame's other MAC (the peer's own on the segment, a router's
// for an address beyond it); web whether it went over a proxy's port.
func (h *host) addPeer(ip netip.Addr, n uint64, via mac, web bool) {
	i := h.lastPeer & (topPeers - 1)
	if h.peers[i].ip == ip {
		h.peers[i].bytes += n
	} else {
		h.addPeerScan(ip, n)
		i = h.lastPeer & (topPeers - 1)
	}
	if h.peerVia[i] != via {
		if h.peerVia[i] != (mac{}) {
			h.peerMixed |= 1 << i
		}
		h.peerVia[i] = via
	}
	if web {
		h.peerWeb[i] += n
	}
}

// addPeerScan is addPeer past its first guess: ip among the filled slots,
// else the first empty one, else in place of the least (space-saving). Only
// the slots whose address's last byte (peerTag, the eight read as one word)
// is ip's are compared, each found from byteHits' bits: a gateway or a
// flood's target hears from more than topPeers sources, and most of its
// scans end in an eviction; a host's few peers in turn are found at once,
// not after comparing the slots before. The least is found with its count
// held in a register: a loop reading each count against the least's slot
// in memory was two thirds of addPeerScan.
func (h *host) addPeerScan(ip netip.Addr, n uint64) {
	filled := h.peers[:h.nPeers%(topPeers+1)]
	a := ip.As16()
	tag := a[15]
	// An empty slot's 0 may hit, and a byte above a hit: only slower.
	// (Two lines more: PGO's profile matches the calls below by their
	// line in the function.)
	for hits := byteHits(binary.LittleEndian.Uint64(h.peerTag[:]), tag); hits != 0; hits &= hits - 1 {
		if i := bits.TrailingZeros64(hits) >> 3; i < len(filled) && filled[i].ip == ip {
			filled[i].bytes += n
			h.lastPeer = uint8(i)
			return
		}
	}
	if len(filled) < topPeers {
		h.peers[len(filled)] = peer{ip, n}
		h.peerTag[len(filled)] = tag
		h.lastPeer = uint8(len(filled))
		h.nPeers++
		return
	}
	minI, least := leastPeer(&h.peers)
	// Space-saving: the least peer's count is an upper bound of the newcomer's.
	h.peers[minI].ip = ip
	h.peerTag[minI] = tag
	h.peers[minI].bytes = least + n
	h.peerMark[minI] = least // its minute counts from here
	h.peerWeb[minI], h.peerVia[minI] = 0, mac{}
	h.peerMixed &^= 1 << minI
	h.lastPeer = uint8(minI)
}

// leastPeer is the first of the slots with the fewest bytes, and those
// bytes: written out, each slot a load, a compare and two conditional
// moves, where the loop's index and bounds doubled that.
func leastPeer(p *[topPeers]peer) (minI int, least uint64) {
	least = p[0].bytes
	if b := p[1].bytes; b < least {
		minI, least = 1, b
	}
	if b := p[2].bytes; b < least {
		minI, least = 2, b
	}
	if b := p[3].bytes; b < least {
		minI, least = 3, b
	}
	if b := p[4].bytes; b < least {
		minI, least = 4, b
	}
	if b := p[5].bytes; b < least {
		minI, least = 5, b
	}
	if b := p[6].bytes; b < least {
		minI, least = 6, b
	}
	if b := p[7].bytes; b < least {
		minI, least = 7, b
	}
	return minI, least
}

// byteHits has the top bit of each of w's bytes that is b set (the SWAR
// zero-byte test on w with b xored out of each). A borrow may also set the
// bit of a byte above one that is b, never of one below: the lowest bit set
// is always a byte that is b, and no byte that is b is missed.
func byteHits(w uint64, b uint8) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	x := w ^ ones*uint64(b)
	return (x - ones) &^ x & highs
}

// classify is the protocol p is counted under, and whether it went to or
// from a forward proxy's port: one switch on a TCP segment's
// well-known port for both.
func classify(p *capture.Packet) (proto int, web bool) {
	switch {
	case p.Has&capture.HasARP != 0:
		return pARP, false
	case p.Has&capture.HasTCP != 0:
		return classifyTCP(port(p.TCP.SrcPort, p.TCP.DstPort))
	case p.Has&capture.HasUDP != 0:
		switch port(uint16(p.UDP.SrcPort), uint16(p.UDP.DstPort)) {
		case 53:
			return pDNS, false
		case 67, 68:
			return pDHCP, false
		case 161, 162:
			return pSNMP, false
		case 5353:
			return pMDNS, false
		case 443:
			return pHTTPS, false
		}
		return pUDP, false
	case p.Has&(capture.HasICMPv4|capture.HasICMPv6) != 0:
		return pICMP, false
	case p.Has&capture.HasIPv4 != 0:
		return pIPv4, false
	case p.Has&capture.HasIPv6 != 0:
		return pIPv6, false
	case p.Eth.EthernetType == 0x88cc:
		return pLLDP, false
	}
	return pOther, false
}

// classifyTCP is classify for a TCP segment whose lower port is pt.
// The proxy ports are forward proxies': HTTP's alternative 8080, Squid's
// 3128 and its intercepting 3129, and SOCKS's 1080. Plain HTTP and HTTPS
// (80, 443, 8443) are not: a LAN server's own web service (a NAS's or a
// Nextcloud's sync, WebDAV) is where an upload over them ends, and an
// intercepting proxy sits on the gateway, whose MAC the frames then carry.
func classifyTCP[T ~uint16](pt T) (proto int, web bool) {
	switch pt {
	case 80:
		return pHTTP, false
	case 8080, 3128: // 3128: a web proxy's (Squid's)
		return pHTTP, true
	case 3129, 1080:
		return pTCP, true
	case 443:
		return pHTTPS, false
	case 22:
		return pSSH, false
	case 23:
		return pTelnet, false
	case 20, 21:
		return pFTP, false
	case 139, 445:
		return pSMB, false
	case 53:
		return pDNS, false
	}
	return pTCP, false
}

// port picks the well-known side of a connection: the lower port.
func port[T ~uint16](a, b T) T { return min(a, b) }

// local reports whether ip is private (RFC 1918, RFC 4193), link-local or
// in the shared address space (RFC 6598, sharedSpace). An IPv4 address,
// the per-packet case, is one look-up of its first byte (local4) and one
// compare of its second; an IPv6 one two compares (localOther). The same
// answer as ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
// sharedSpace.Contains(ip) (TestLocal). Small enough to inline: as a
// call from a dozen detectors, its entry and the five compares' chain
// were 1.4 % of a replay's instructions (cachegrind, corpus mix).
func local(ip netip.Addr) bool {
	if ip.Is4() {
		m := local4[ip.As16()[12]] // As16, not As4, whose panic costs the inlining budget
		return ip.As16()[13]&m[0] == m[1]
	}
	return localOther(ip)
}

// local4 is, for each first byte of an IPv4 address, the mask and value
// its second byte must give to be local: 10/8 any (0, 0); 172.16/12
// (0xf0, 16); 192.168/16 (0xff, 168); 169.254/16 (0xff, 254); 100.64/10
// (0xc0, 64); every other first byte none (0, 1: no byte masked with 0
// is 1).
var local4 = func() (t [256][2]uint8) {
	for i := range t {
		t[i] = [2]uint8{0, 1}
	}
	t[10], t[172], t[192], t[169], t[100] = [2]uint8{0, 0}, [2]uint8{0xf0, 16}, [2]uint8{0xff, 168}, [2]uint8{0xff, 254}, [2]uint8{0xc0, 64}
	return t
}()

// localOther is local for an address that is not IPv4.
func localOther(ip netip.Addr) bool {
	if ip.Is6() && !ip.Is4In6() {
		// fc00::/7 and fe80::/10, read the same way: the three methods
		// were three calls for every IPv6 frame's address.
		// Bytes of As16's result, not of a copy (see multicast).
		b0 := ip.As16()[0]
		return b0&0xfe == 0xfc || b0 == 0xfe && ip.As16()[1]&0xc0 == 0x80
	}
	return ip.IsPrivate() || ip.IsLinkLocalUnicast() || sharedSpace.Contains(ip)
}

var sharedSpace = netip.MustParsePrefix("100.64.0.0/10")

// multicast is a.IsMulticast() (224.0.0.0/4, its IPv4-mapped form, and
// ff00::/8) tested inline: the method, too large to inline, was a call
// from three detectors for every IP frame's destination (1.6 % of a
// replay's instructions on the corpus mix, cachegrind). As16, not As4,
// whose panics cost the inlining budget; the zero Addr's bytes are zero,
// and an IPv4 address's first byte is. Each byte is read from As16's
// result itself: kept in a variable, the array was copied, its 16-byte
// load of As16's two 8-byte stores stalling on store forwarding (a third
// of probe's time, a sixth of floodCount's: perf annotate).
func multicast(a netip.Addr) bool {
	return a.As16()[0] == 0xff || (a.Is4() || a.Is4In6()) && a.As16()[12]&0xf0 == 0xe0
}

func addr4(b []byte) netip.Addr {
	if len(b) != 4 {
		return netip.Addr{}
	}
	return netip.AddrFrom4([4]byte(b))
}

// HostStats is one host's traffic since the engine started.
type HostStats struct {
	MAC        inventory.MAC     `json:"mac"`
	IP         netip.Addr        `json:"ip,omitzero"`
	FirstSeen  time.Time         `json:"first_seen"`
	LastSeen   time.Time         `json:"last_seen"`
	BytesIn    uint64            `json:"bytes_in"`
	BytesOut   uint64            `json:"bytes_out"`
	PacketsIn  uint64            `json:"packets_in"`
	PacketsOut uint64            `json:"packets_out"`
	Protocols  map[string]uint64 `json:"protocols"` // packets sent, by protocol
	Peers      []Peer            `json:"peers"`     // top peers by bytes, most first
	Sent       bool              `json:"-"`         // the host sent frames itself (not only received)
}

// Peer is one of a host's top peers; Bytes may overcount (space-saving).
type Peer struct {
	IP    netip.Addr `json:"ip"`
	Bytes uint64     `json:"bytes"`
}

// Hosts returns every tracked host's statistics, top talkers (most bytes
// in and out) first.
func (e *Engine) Hosts() []HostStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]HostStats, 0, len(e.order))
	for _, h := range e.order {
		s := HostStats{
			MAC: macOf(h.mac), IP: h.ip, FirstSeen: h.first, LastSeen: e.timeAt(h.last),
			BytesIn: h.bytesIn, BytesOut: h.bytesOut, PacketsIn: h.pktsIn, PacketsOut: h.pktsOut,
			Protocols: map[string]uint64{}, Sent: h.known,
		}
		if !s.IP.IsValid() {
			for _, c := range h.claims {
				if c.IsValid() {
					s.IP = c
					break
				}
			}
		}
		for i, n := range h.proto {
			if n > 0 {
				s.Protocols[protoNames[i]] = n
			}
		}
		for _, pe := range h.peers {
			if pe.ip.IsValid() {
				s.Peers = append(s.Peers, Peer{IP: pe.ip, Bytes: pe.bytes})
			}
		}
		slices.SortFunc(s.Peers, func(a, b Peer) int {
			if c := cmpDesc(a.Bytes, b.Bytes); c != 0 {
				return c
			}
			return a.IP.Compare(b.IP)
		})
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b HostStats) int {
		if c := cmpDesc(a.BytesIn+a.BytesOut, b.BytesIn+b.BytesOut); c != 0 {
			return c
		}
		if c := a.FirstSeen.Compare(b.FirstSeen); c != 0 {
			return c
		}
		return bytes.Compare(a.MAC, b.MAC) // ties sorted, not left in map order: the JSON is byte-stable
	})
	return out
}

func cmpDesc(a, b uint64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}
