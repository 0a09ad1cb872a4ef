package traffic

import (
	"encoding/binary"
	"fmt"
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
// A short list walked once is one too: nmap -T1 or --scan-delay 15s of ten
// ports collects ten refusals from a host with nothing on them, none
// twice. slowOnce distinct refused ports with none refused again are a
// scan: a client retrying a service meets the same port again, a poller
// (Nagios, Zabbix, PRTG) meets its ports each round, a mail client's setup
// tries six (465, 587, 993, 995, 143, 110) and a printer wizard six.
const (
	slowWindow   = time.Hour
	slowRefusals = 12
	slowOnce     = 8
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
	return (ipHash(prober)*31 ^ ipHash(target)) ^ uint64(port)*0x9e3779b97f4a7c15 ^ mix64(macKey(m))
}

// noteProbe remembers a segment without ACK from prober (through m) to
// target's port.
func (e *Engine) noteProbe(t time.Time, m mac, prober, target netip.Addr, port uint16) {
	k := probeKey(m, prober, target, port)
	e.probes[k>>(64-probeCacheBits)] = probeSlot{k, e.nanosOf(t)}
}

// answered reports whether a RST from target's port to m answers a probe
// m sent within the last few seconds.
func (e *Engine) answered(t time.Time, m mac, prober, target netip.Addr, port uint16) bool {
	k := probeKey(m, prober, target, port)
	s := e.probes[k>>(64-probeCacheBits)]
	return s.key == k && e.nanosOf(t)-s.at < int64(5*time.Second)
}

type slowTracker struct {
	start  int64 // in nanoseconds (nanos)
	srcIP  netip.Addr
	dstMAC mac
	ports  [slowRefusals]uint16 // the distinct refused ports, ports[:n]: counting stops at slowRefusals (a 65,536-bit map was 8 KB per tracker)
	n      int
	// again counts refusals of a port refused before: a client
	// retrying, a poller's next round (slowOnce)
	again int
	done  bool
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
// its header ihl bytes long) is a traceroute probe (traceTTLFits), the
// error relayed by a router (src): the last probes reach the destination,
// which refuses each port (RFC 1393: the port unreachable ends the trace),
// 16 at once from Linux traceroute.
func (e *Engine) traceQuoted(b []byte, ihl int, src mac) bool {
	return traceTTLFits(binary.BigEndian.Uint16(b[ihl+2:]), b[8]) && e.routerMAC(src)
}

// refusal looks at a packet for a host refusing a probe: a RST to a port,
// or an ICMP port unreachable quoting a UDP datagram. The prober is the
// packet's destination.
func (e *Engine) refusal(p *capture.Packet, src, dst mac) {
	var port uint16
	var kind string
	switch {
	case p.Has&capture.HasTCP != 0:
		if !p.TCP.RST || !p.TCP.ACK || p.TCP.SYN || answersService(uint16(p.TCP.DstPort), uint16(p.TCP.SrcPort)) ||
			!e.answered(p.Time, dst, p.DstIP(), p.SrcIP(), uint16(p.TCP.SrcPort)) {
			return // only a RST+ACK answering a SYN (or FIN, NULL, XMAS) probe is a refusal
		}
		port, kind = uint16(p.TCP.SrcPort), "TCP RST"
	case p.Has&capture.HasICMPv4 != 0:
		tc := p.ICMPv4.TypeCode
		b := p.ICMPv4.Payload
		if tc.Type() != layers.ICMPv4TypeDestinationUnreachable || tc.Code() != layers.ICMPv4CodePort || len(b) < 20 || b[0]>>4 != 4 || b[9] != 17 {
			return
		}
		ihl := int(b[0]&0x0f) * 4
		if len(b) < ihl+4 || answersService(binary.BigEndian.Uint16(b[ihl:]), binary.BigEndian.Uint16(b[ihl+2:])) || e.traceQuoted(b, ihl, src) {
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
	k, at := newPortKey(dst, target), e.nanosOf(p.Time)
	tr := e.slowHit.tr
	if tr == nil || e.slowHit.k != k {
		if tr = e.slow[k]; tr != nil {
			e.slowHit = slowHit{k, tr}
		}
	}
	if tr == nil || at-tr.start > int64(slowWindow) {
		if tr == nil && len(e.slow) >= e.cfg.MaxTrackers {
			e.counters.TrackersDropped++
			return
		}
		if tr == nil {
			tr = &slowTracker{}
			e.slow[k] = tr
			e.slowHit = slowHit{k, tr}
		}
		*tr = slowTracker{start: at, srcIP: prober, dstMAC: src}
	}
	if tr.done {
		return
	}
	if slices.Contains(tr.ports[:tr.n], port) {
		tr.again++
		return
	}
	tr.ports[tr.n] = port
	tr.n++
	if tr.n < slowRefusals && (tr.n < slowOnce || tr.again > 0) {
		return
	}
	tr.done = true
	e.gatherScan(inventory.Event{
		Time: p.Time, Type: inventory.EventPortScan, Severity: inventory.SeverityHigh,
		MAC: macOf(dst), IP: prober, TargetMAC: macOf(src), TargetIP: target,
		Summary: fmt.Sprintf("%s met %d closed ports of %s within %s: a slow port scan", describe(dst, prober), tr.n, target, roundDur(time.Duration(at-tr.start))),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d distinct ports refused (last by %s) since %s", tr.n, kind, e.timeAt(tr.start).UTC().Format(time.RFC3339))},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d refused ports of one host within %s, or %d none of them refused twice (low-and-slow scans stay under the per-minute one)", slowRefusals, slowWindow, slowOnce)},
		},
	}, e.timeAt(tr.start), nil, dst, src)
}
