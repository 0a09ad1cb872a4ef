package discovery

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sync"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// DefaultHeardEvery is how often, at most, ordinary traffic from one MAC
// (frames no identity decoder understood) becomes a presence observation.
// Presence needs a sighting inside the grace window, not every frame.
const DefaultHeardEvery = 30 * time.Second

// PassiveConfig tunes a Passive; the zero value is the default.
type PassiveConfig struct {
	// HeardEvery throttles the presence observations ordinary traffic
	// yields, per MAC; 0 means DefaultHeardEvery, negative turns them off.
	HeardEvery time.Duration
	// Prefixes are the LAN's own IPv4 subnets. A presence observation from
	// ordinary traffic carries the frame's source address only when it lies
	// inside one of them: a router forwards the whole internet's traffic
	// under its own MAC. Empty: such observations carry the MAC alone.
	Prefixes []netip.Prefix
	// Own are the box's MACs; its own frames yield nothing.
	Own []net.HardwareAddr
}

// PassiveStats counts what a Passive saw; the live watch logs it with each
// traffic rollup.
type PassiveStats struct {
	Frames    uint64 // frames given to Frame
	Decoded   uint64 // frames an identity decoder turned into observations
	Malformed uint64 // frames of a known protocol that did not parse (skipped)
}

// Passive turns overheard Ethernet frames into observations. The decoders
// are pure; Passive adds only the per-MAC throttle for presence from
// ordinary traffic and the counters. It is safe for concurrent use.
type Passive struct {
	cfg PassiveConfig

	mu    sync.Mutex
	heard map[uint64]time.Time // by macKey
	// recent caches heard's latest entries, direct-mapped by macKey: most
	// frames come from a few busy MACs, and a lookup in a table of tens of
	// thousands of MACs misses the processor's caches.
	recent [1 << recentBits]heardSlot
	fwd    map[uint64]*fwdSeen // distinct IPv4 sources per MAC (forwarding), by macKey
	// fwdRecent caches fwd's entries as recent does heard's: every IPv4
	// frame looks its sender up there.
	fwdRecent [1 << recentBits]fwdSlot
	stats     PassiveStats

	decMu sync.Mutex
	dec   *capture.Decoder // for Frame: raw bytes in, one decode
}

// NewPassive returns a Passive with cfg's zero fields defaulted.
func NewPassive(cfg PassiveConfig) *Passive {
	if cfg.HeardEvery == 0 {
		cfg.HeardEvery = DefaultHeardEvery
	}
	return &Passive{cfg: cfg, heard: make(map[uint64]time.Time), fwd: make(map[uint64]*fwdSeen), dec: capture.NewDecoder()}
}

// Stats returns the counters so far.
func (p *Passive) Stats() PassiveStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// maxHeard bounds the throttle table; past it the table starts afresh
// (a flood of forged source MACs must not grow memory without limit).
const maxHeard = 65536

// Frame decodes one Ethernet II / 802.3 frame (802.1Q and 802.1ad tags
// allowed) captured at ts and returns what it says about its sender: zero,
// one or a few observations, stamped ts. It never keeps frame. Malformed
// frames are counted and yield nothing. Where capture has decoded the
// frame already, Packet avoids a second decode.
func (p *Passive) Frame(ts time.Time, frame []byte) []inventory.Observation {
	p.decMu.Lock()
	defer p.decMu.Unlock()
	return p.Packet(p.dec.Decode(capture.Frame{Time: ts, Data: frame, Length: len(frame)}))
}

// Packet is Frame for a frame capture has decoded: the identity decoders
// read its IP, UDP, ICMPv6 and ARP layers as capture left them (one decode
// per frame); only link-layer discovery frames (LLDP, CDP) that capture does
// not decode are walked here. It keeps nothing of pk.
func (p *Passive) Packet(pk *capture.Packet) []inventory.Observation {
	return p.AppendPacket(nil, pk)
}

// AppendPacket is Packet appending the observations to dst: a replay hands
// every frame's observations to one batch, and a frame's own slice (an
// observation is half a kilobyte) would be garbage as soon as it was copied
// there. An ARP frame or a bare sighting, most of those that yield one,
// allocates only its MAC.
func (p *Passive) AppendPacket(dst []inventory.Observation, pk *capture.Packet) []inventory.Observation {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.appendPacket(dst, pk)
}

// Hold takes p's lock for a caller that is p's only user until it calls
// release (a replay): appendPacket is AppendPacket without the lock taken
// and given back for every frame (3 % of a replay's time). Stats and
// AppendPacket wait until release. The function is appendPacket's body,
// not the method value p.appendPacket: that calls a wrapper which calls
// appendPacket (16 instructions a frame).
func (p *Passive) Hold() (appendPacket func([]inventory.Observation, *capture.Packet) []inventory.Observation, release func()) {
	p.mu.Lock()
	return func(dst []inventory.Observation, pk *capture.Packet) []inventory.Observation {
		if p.quiet(pk) {
			p.stats.Frames++
			return dst
		}
		return p.appendWhole(dst, pk)
	}, sync.OnceFunc(p.mu.Unlock)
}

// appendPacket is AppendPacket; callers hold p.mu.
func (p *Passive) appendPacket(dst []inventory.Observation, pk *capture.Packet) []inventory.Observation {
	if p.quiet(pk) {
		p.stats.Frames++
		return dst
	}
	return p.appendWhole(dst, pk)
}

// appendWhole is appendPacket the whole way: every frame through frameOf,
// the identity decoders, forwarding and presence.
func (p *Passive) appendWhole(dst []inventory.Observation, pk *capture.Packet) []inventory.Observation {
	ts, data := pk.Time, pk.Data
	n := len(dst)
	var f frame
	ferr := frameOf(&f, pk)
	err := ferr
	if err == nil {
		dst, err = appendFrame(dst, ts, &f)
	}
	p.stats.Frames++
	if err != nil {
		if err != errNotMine && !errors.Is(err, errNotMine) { // most frames are nobody's: no unwrapping for them
			p.stats.Malformed++
		}
		dst = dropFrom(dst, n)
	}
	if len(data) < 12 {
		return dropFrom(dst, n)
	}
	src := data[6:12]
	for _, own := range p.cfg.Own {
		if slices.Equal(own, src) {
			return dropFrom(dst, n)
		}
	}
	if ferr == nil {
		dst = p.appendForwarding(dst, ts, &f)
	}
	if len(dst) > n {
		p.stats.Decoded++
		p.setHeard(macKey(src), ts) // an identity observation is presence too
		return dst
	}
	if ferr != nil {
		return dst // the headers themselves are broken: no sighting either
	}
	return p.appendPresence(dst, ts, &f)
}

// sub is t.Sub(u) for the per-frame sighting throttle: Sub checks its
// result for overflow by adding it back (Time.Add, 2 % of a replay's
// instructions), where two times in UTC (a file's frames; UTC strips a
// monotonic reading, only Now sets one) less than 285 years apart need
// only their seconds and nanoseconds subtracted, Sub's own arithmetic.
func sub(t, u time.Time) time.Duration {
	if s := t.Unix() - u.Unix(); s > -9e9 && s < 9e9 && (t.Location() == time.UTC || u.Location() == time.UTC) {
		return time.Duration(s)*time.Second + time.Duration(t.Nanosecond()-u.Nanosecond())
	}
	return t.Sub(u)
}

// dropFrom cuts obs back to its first n observations, letting go of the rest.
func dropFrom(obs []inventory.Observation, n int) []inventory.Observation {
	clear(obs[n:])
	return obs[:n]
}

// appendPresence appends the throttled bare sighting for frames no decoder claimed.
func (p *Passive) appendPresence(dst []inventory.Observation, ts time.Time, f *frame) []inventory.Observation {
	if p.cfg.HeardEvery < 0 || !unicastMAC(f.src) {
		return dst
	}
	k := macKey(f.src)
	if last, ok := p.lastHeard(k); ok && !ts.Before(last) && sub(ts, last) < p.cfg.HeardEvery {
		return dst
	}
	if len(p.heard) >= maxHeard {
		clear(p.heard)
		clear(p.recent[:])
	}
	p.setHeard(k, ts)
	dst = append(dst, f.base(ts, inventory.SourceTraffic))
	o := &dst[len(dst)-1]
	o.IP = netip.Addr{}
	if f.srcIP.Is4() && slices.ContainsFunc(p.cfg.Prefixes, func(pf netip.Prefix) bool { return pf.Contains(f.srcIP) }) {
		o.IP = f.srcIP
	}
	o.IPv6 = netip.Addr{}
	return dst
}

// recentBits sizes Passive.recent: 256 slots, 8 kB.
const recentBits = 8

// heardSlot is one of Passive.recent's entries: heard[k] is t; ns is t
// in Unix nanoseconds when t is a UTC time between 1970 and 2242 (always,
// for a capture file's frames), else -1.
type heardSlot struct {
	k  uint64
	t  time.Time
	ns int64
	ok bool
}

// maxUnixSec bounds the times heardSlot keeps in nanoseconds: two of them
// are less than 2^63 ns apart.
const maxUnixSec = 1 << 33

// utcNanos is t in Unix nanoseconds for a UTC t between 1970 and 2242
// (UTC strips a monotonic reading), else -1.
func utcNanos(t time.Time) int64 {
	if s := t.Unix(); s >= 0 && s < maxUnixSec && t.Location() == time.UTC {
		return s*1e9 + int64(t.Nanosecond())
	}
	return -1
}

// packetNanos is utcNanos(pk.Time), given by a pcap file's reader
// (capture.Packet.UnixNano: a UTC time, its seconds 32 bits) without
// converting Time.
func packetNanos(pk *capture.Packet) int64 {
	if pk.UnixNano > 0 {
		return pk.UnixNano
	}
	return utcNanos(pk.Time)
}

func (p *Passive) recentSlot(k uint64) *heardSlot {
	return &p.recent[(k*0x9e3779b97f4a7c15)>>(64-recentBits)]
}

// lastHeard is p.heard[k], through the cache. Callers hold p.mu.
func (p *Passive) lastHeard(k uint64) (time.Time, bool) {
	s := p.recentSlot(k)
	if s.ok && s.k == k {
		return s.t, true
	}
	t, ok := p.heard[k]
	if ok {
		*s = heardSlot{k, t, utcNanos(t), true}
	}
	return t, ok
}

// setHeard sets p.heard[k] and its cache slot. Callers hold p.mu.
func (p *Passive) setHeard(k uint64, t time.Time) {
	p.heard[k] = t
	*p.recentSlot(k) = heardSlot{k, t, utcNanos(t), true}
}

// macKey packs a 6-byte MAC into a map key: a uint64 hashes through the
// maps' 64-bit fast path, a [6]byte through the generic memory hash
// (memhash_varlen, with the traffic engine's own [6]byte keys 5 % of tend
// replay's CPU time on the corpus mix).
func macKey(m []byte) uint64 {
	_ = m[5]
	return uint64(m[0])<<40 | uint64(m[1])<<32 | uint64(m[2])<<24 | uint64(m[3])<<16 | uint64(m[4])<<8 | uint64(m[5])
}

// errNotMine says a frame is fine but carries nothing an identity decoder
// reads; it is not counted as malformed.
var errNotMine = errors.New("discovery: not an identity protocol")

// Ethernet types and the well-known ports the decoders listen on.
const (
	etherIPv4 = 0x0800
	etherARP  = 0x0806
	etherVLAN = 0x8100 // IEEE 802.1Q
	etherQinQ = 0x88a8 // IEEE 802.1ad
	etherOldQ = 0x9100 // pre-standard QinQ
	etherIPv6 = 0x86dd
	etherLLDP = 0x88cc
	etherLLC  = 0x8870 // "jumbo" LLC frames: some stacks (scapy among them) send CDP so

	portDHCPServer = 67
	portDHCPClient = 68
	portNBNS       = 137
	portSSDP       = 1900
	portWSD        = 3702
	portMDNS       = 5353
	portUbiquiti   = 10001
)

// frame is a parsed Ethernet frame down to its UDP or ICMPv6 payload.
type frame struct {
	src, dst         net.HardwareAddr
	vlan             int
	etherType        uint16
	payload          []byte // after the Ethernet (and LLC/SNAP) header
	arp              *layers.ARP
	snapCDP          bool
	srcIP, dstIP     netip.Addr
	hopLimit         uint8
	ipProto          uint8
	srcPort, dstPort uint16
	l4               []byte // UDP payload or ICMPv6 message
}

// base is an observation about the frame's sender with the fields every
// decoder fills the same way. The MAC is a copy: observations outlive frames.
func (f *frame) base(ts time.Time, src inventory.Source) inventory.Observation {
	o := inventory.Observation{Time: ts, Source: src, MAC: inventory.MAC(slices.Clone(f.src)), VLAN: f.vlan}
	if usableIPv4(f.srcIP) {
		o.IP = f.srcIP
	}
	if f.srcIP.Is6() && !f.srcIP.IsUnspecified() && !f.srcIP.IsMulticast() {
		o.IPv6 = f.srcIP
	}
	return o
}

func usableIPv4(a netip.Addr) bool {
	return a.Is4() && !a.IsUnspecified() && !a.IsMulticast() && a != netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

// unicastMAC reports whether m is an individual address, not all zeros.
// Every frame asks it two or three times: its six bytes are tested as two
// loads, where six byte loads, each bounds-checked, and five ors were 1.2 %
// of a replay's instructions on the corpus mix (cachegrind).
func unicastMAC(m net.HardwareAddr) bool {
	return len(m) == 6 && m[0]&1 == 0 && binary.LittleEndian.Uint32(m[:4])|uint32(binary.LittleEndian.Uint16(m[4:6])) != 0
}

// parseFrame walks the headers; it allocates nothing and keeps slices into b.
func parseFrame(b []byte) (frame, error) {
	var f frame
	if len(b) < 14 {
		return f, fmt.Errorf("discovery: frame of %d bytes is shorter than an Ethernet header", len(b))
	}
	f.dst, f.src = b[0:6], b[6:12]
	et := binary.BigEndian.Uint16(b[12:14])
	off := 14
	for et == etherVLAN || et == etherQinQ || et == etherOldQ {
		if len(b) < off+4 {
			return f, errors.New("discovery: truncated 802.1Q tag")
		}
		f.vlan = int(binary.BigEndian.Uint16(b[off:]) & 0x0fff) // the innermost tag wins
		et = binary.BigEndian.Uint16(b[off+2:])
		off += 4
	}
	f.etherType = et
	f.payload = b[off:]
	switch {
	case et <= 1500 || et == etherLLC: // IEEE 802.3 length field (or 0x8870): LLC follows
		if et <= 1500 && int(et) < len(f.payload) {
			f.payload = f.payload[:et]
		}
		// LLC SNAP (AA AA 03) with Cisco's OUI 00:00:0C and protocol 0x2000 is CDP.
		p := f.payload
		if len(p) >= 8 && p[0] == 0xaa && p[1] == 0xaa && p[2] == 0x03 && p[3] == 0 && p[4] == 0 && p[5] == 0x0c &&
			binary.BigEndian.Uint16(p[6:8]) == 0x2000 {
			f.snapCDP = true
			f.payload = p[8:]
		}
	case et == etherIPv4:
		return f, f.parseIPv4()
	case et == etherIPv6:
		return f, f.parseIPv6()
	}
	return f, nil
}

func (f *frame) parseIPv4() error {
	p := f.payload
	if len(p) < 20 || p[0]>>4 != 4 {
		return errors.New("discovery: bad IPv4 header")
	}
	ihl := int(p[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(p[2:4]))
	if ihl < 20 || total < ihl || len(p) < ihl {
		return errors.New("discovery: bad IPv4 header length")
	}
	if total < len(p) {
		p = p[:total] // drop Ethernet padding
	}
	f.srcIP = netip.AddrFrom4([4]byte(p[12:16]))
	f.dstIP = netip.AddrFrom4([4]byte(p[16:20]))
	f.ipProto = p[9]
	f.hopLimit = p[8]
	if binary.BigEndian.Uint16(p[6:8])&0x1fff != 0 {
		return nil // a later fragment: no UDP header here
	}
	return f.parseL4(p[ihl:])
}

func (f *frame) parseIPv6() error {
	p := f.payload
	if len(p) < 40 || p[0]>>4 != 6 {
		return errors.New("discovery: bad IPv6 header")
	}
	plen := int(binary.BigEndian.Uint16(p[4:6]))
	f.srcIP = netip.AddrFrom16([16]byte(p[8:24]))
	f.dstIP = netip.AddrFrom16([16]byte(p[24:40]))
	f.hopLimit = p[7]
	next := p[6]
	p = p[40:]
	if plen < len(p) {
		p = p[:plen]
	}
	// Skip the extension headers that precede ND and mDNS in practice:
	// hop-by-hop (MLD), destination options, routing (RFC 8200 4.1).
	for i := 0; i < 8 && (next == 0 || next == 43 || next == 60); i++ {
		if len(p) < 8 {
			return errors.New("discovery: truncated IPv6 extension header")
		}
		n := (int(p[1]) + 1) * 8
		if len(p) < n {
			return errors.New("discovery: truncated IPv6 extension header")
		}
		next, p = p[0], p[n:]
	}
	f.ipProto = next
	return f.parseL4(p)
}

func (f *frame) parseL4(p []byte) error {
	switch f.ipProto {
	case 17: // UDP
		if len(p) < 8 {
			return errors.New("discovery: truncated UDP header")
		}
		f.srcPort = binary.BigEndian.Uint16(p[0:2])
		f.dstPort = binary.BigEndian.Uint16(p[2:4])
		ulen := int(binary.BigEndian.Uint16(p[4:6]))
		p = p[8:]
		if ulen >= 8 && ulen-8 < len(p) {
			p = p[:ulen-8]
		}
		f.l4 = p
	case 58: // ICMPv6
		f.l4 = p
	}
	return nil
}

// frameOf fills the zero frame f with what capture decoded: addresses,
// ports and payloads of IP, UDP and ICMPv6, and the ARP layer. Frames
// capture stops short on (LLDP, CDP over LLC/SNAP, pre-standard tags) are
// walked by parseFrame, and a frame whose ARP or IP header capture rejected
// as well, which then reports it malformed. f is filled in place, not
// returned: a frame is ~200 bytes, and zeroing and copying it twice per
// packet was a quarter of the passive decoders' time.
func frameOf(f *frame, pk *capture.Packet) error {
	if pk.Has&capture.HasEthernet == 0 || pk.Has&(capture.HasARP|capture.HasIPv4|capture.HasIPv6) == 0 {
		var err error
		*f, err = parseFrame(pk.Data)
		return err
	}
	f.dst, f.src = pk.Eth.DstMAC, pk.Eth.SrcMAC
	if pk.Has&capture.HasVLAN != 0 {
		f.vlan = int(pk.Dot1Q.VLANIdentifier) // the last tag decoded: the innermost wins
	}
	switch {
	case pk.Has&capture.HasARP != 0:
		f.etherType, f.arp = etherARP, &pk.ARP
		return nil
	case pk.Has&capture.HasIPv4 != 0:
		ip := &pk.IPv4
		f.etherType, f.payload = etherIPv4, ip.Contents
		f.srcIP, f.dstIP, f.ipProto, f.hopLimit = pk.SrcIP(), pk.DstIP(), uint8(ip.Protocol), ip.TTL
		if ip.FragOffset != 0 {
			return nil // a later fragment: no UDP header here
		}
	default:
		ip := &pk.IPv6
		f.etherType, f.payload = etherIPv6, ip.Contents
		f.srcIP, f.dstIP, f.ipProto, f.hopLimit = pk.SrcIP(), pk.DstIP(), uint8(ip.NextHeader), ip.HopLimit
	}
	switch {
	case pk.Has&capture.HasUDP != 0:
		f.ipProto, f.srcPort, f.dstPort, f.l4 = 17, uint16(pk.UDP.SrcPort), uint16(pk.UDP.DstPort), pk.UDP.Payload
	case pk.Has&capture.HasICMPv6 != 0:
		// The whole message: its 4-byte header and body lie together in the frame.
		c := pk.ICMPv6.Contents
		f.ipProto, f.l4 = 58, c[:len(c)+len(pk.ICMPv6.Payload)]
	case pk.Has&capture.HasTCP != 0:
		f.ipProto = 6
	}
	return nil
}

// appendFrame is the pure core of Passive.Packet: it appends to dst the
// observations one frame yields; errNotMine when no decoder wants it,
// another error when a decoder wanted it and it was malformed (dst may then
// hold part of the frame's observations).
func appendFrame(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	if !unicastMAC(f.src) {
		return dst, errNotMine
	}
	if proto := bridgeProtocol(f); proto != "" {
		return append(dst, decodeBridge(ts, f, proto)...), nil
	}
	switch {
	case f.snapCDP:
		return decodeCDP(dst, ts, f)
	case f.etherType == etherARP:
		o, err := arpObservation(ts, f)
		if err != nil {
			return dst, err
		}
		return append(dst, o), nil
	case f.etherType == etherLLDP:
		return decodeLLDP(dst, ts, f)
	case f.ipProto == 58 && f.etherType == etherIPv6:
		return decodeND(dst, ts, f)
	case f.ipProto != 17:
		return dst, errNotMine
	default:
		return decodeUDP(dst, ts, f)
	}
}

// decodeUDP picks the decoder of a UDP datagram by its ports.
func decodeUDP(dst []inventory.Observation, ts time.Time, f *frame) ([]inventory.Observation, error) {
	port := func(p uint16) bool { return f.srcPort == p || f.dstPort == p }
	switch {
	case port(portDHCPServer) || port(portDHCPClient):
		return decodeDHCP(dst, ts, f)
	case port(portMDNS):
		return decodeMDNS(dst, ts, f)
	case port(portSSDP):
		return decodeSSDP(dst, ts, f)
	case port(portNBNS):
		return decodeNBNS(dst, ts, f)
	case f.srcPort == portNBDGM && f.dstPort == portNBDGM:
		return decodeBrowser(dst, ts, f)
	case port(portWSD):
		return decodeWSD(dst, ts, f)
	case port(portUbiquiti):
		return decodeUbiquiti(dst, ts, f)
	}
	return dst, errNotMine
}
