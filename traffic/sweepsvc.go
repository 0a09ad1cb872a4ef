package traffic

import (
	"fmt"
	"math/bits"
	"net/netip"
	"strings"
	"time"

	"tend/inventory"
)

// A host sweep is often a service hunt: nmap resolves every address of the
// subnet (ARP), then probes the live ones on one port or a few (Modbus/TCP
// 502, BACnet 47808, RDP 3389, VNC 5900). Each host then saw one port, no
// port scan, and the sweep was raised as "probed 24 hosts" with ARP as its
// only probe kind (review 37a scan_ics, scan_rdp_vnc): what was hunted
// went unsaid. So a sweep's event is held for sweepSvcGather after it is
// decided (one event still: its quiet key is taken then), while each
// source's probes of the ports sweepServices names are counted per port
// and host (sweepSvcProbes, a host by its address's last byte: a /24's
// hosts each once); the event then names the services probed on how many
// hosts, and an industrial control protocol's (IEC 61131 controllers,
// building automation: nothing on an office LAN asks these of a whole
// subnet) makes it critical. The others are what a worm or an intruder
// hunts first (review 40 zmap_445: SMB 445 went unsaid; Mirai's 2323).
const (
	sweepSvcGather = 15 * time.Second
	sweepSvcProbes = 20 // source-and-port counts kept (beyond: the oldest is taken, TrackersDropped)
)

// sweepServices are the ports a sweep's evidence names, and whether each
// is an industrial control protocol's.
var sweepServices = [...]struct {
	_    [0]func() // not comparable: no equality function linked
	port uint16
	name string
	ics  bool
}{
	{port: 502, name: "Modbus/TCP", ics: true}, {port: 47808, name: "BACnet/IP", ics: true}, {port: 102, name: "Siemens S7 (ISO-TSAP)", ics: true},
	{port: 20000, name: "DNP3", ics: true}, {port: 44818, name: "EtherNet/IP", ics: true}, {port: 2404, name: "IEC 60870-5-104", ics: true},
	{port: 3389, name: "RDP"}, {port: 5900, name: "VNC"}, {port: 23, name: "Telnet"},
	{port: 2323, name: "Telnet"}, {port: 445, name: "SMB"}, {port: 22, name: "SSH"},
	{port: 135, name: "MS-RPC"}, {port: 1433, name: "MSSQL"}, {port: 3306, name: "MySQL"},
	{port: 5985, name: "WinRM"}, {port: 5986, name: "WinRM"}, {port: 6379, name: "Redis"},
	{port: 8080, name: "HTTP-alt"}, {port: 5060, name: "SIP"}, {port: 137, name: "NetBIOS name service"},
}

// sweepService is port's index in sweepServices, -1 where it has none.
func sweepService(port uint16) int {
	switch port {
	case 502, 47808, 102, 20000, 44818, 2404, 3389, 5900, 23, 2323, 445, 22, 135, 1433, 3306, 5985, 5986, 6379, 8080, 5060, 137:
		for i, s := range sweepServices {
			if s.port == port {
				return i
			}
		}
	}
	return -1
}

// svcProbe is one source's probes of one service port: the hosts probed
// (by their address's last byte) and when the last came.
type svcProbe struct {
	_      [0]func() // not comparable: no equality function linked
	src    mac
	svc    int8
	hosts  [4]uint64
	at     int64
	seqDst uint32 // SYNs whose sequence number was their target's address (telnetbot.go)
}

// heldSweep is a sweep event held for sweepSvcGather (its quiet key taken).
type heldSweep struct {
	ev    inventory.Event
	src   mac
	due   int64
	start int64 // its round's start and hosts at the decision (sweepcount.go)
	n     int
}

// noteSvcProbe counts src's probe of port (sweepServices' index svc) on
// dstIP at now; seqDst says it was a SYN whose sequence number is dstIP
// (Mirai's scanner, telnetbot.go).
func (e *Engine) noteSvcProbe(src mac, dstIP netip.Addr, svc int, now int64, seqDst bool) {
	slot := 0
	for i := range e.svcProbes {
		p := &e.svcProbes[i]
		if p.src == src && int(p.svc) == svc && p.at != 0 {
			slot = i
			break
		}
		if p.at < e.svcProbes[slot].at {
			slot = i
		}
	}
	p := &e.svcProbes[slot]
	if p.src != src || int(p.svc) != svc || p.at == 0 {
		if p.at != 0 && time.Duration(now-p.at) < e.cfg.Window {
			e.counters.TrackersDropped++
		}
		*p = svcProbe{src: src, svc: int8(svc)}
	}
	b := dstIP.As16()[15]
	p.hosts[b>>6] |= 1 << (b & 63)
	p.at = now
	p.seqDst += uint32(b2u(seqDst))
}

// holdSweep holds src's sweep event ev, its quiet key taken, for
// sweepSvcGather from its time. A sweep held before (sweeppoll.go: a poll
// round's sweepHold, or until its source port-scans) and raised past that
// is due already: the flush that follows the tick deciding it (packet,
// Tick) emits it, its services counted while it was held.
func (e *Engine) holdSweep(ev inventory.Event, src mac) {
	h := &heldSweep{ev: ev, src: src, due: e.nanos(ev.Time) + int64(sweepSvcGather)}
	// Its round's hosts are said at the flush (sweepHostsBy) when it still
	// reads as the sweep composed it: no fan-out or web fetch renamed it.
	if tr := e.sweeps[macKey(src)]; tr != nil && tr.done && ev.Summary == e.heldSummary(h, tr.start, len(tr.hosts), 0) {
		h.start, h.n = tr.start, len(tr.hosts)
	}
	hold(e, &e.sweepsHeld, h) // arphold.go
}

func (h *heldSweep) dueAt() int64 { return h.due }

// event is h's sweep with the services its source probed.
func (h *heldSweep) event(e *Engine) inventory.Event {
	e.sweepHostsBy(h) // sweepcount.go
	e.sweepServicesOf(&h.ev, h.src, h.due)
	return h.ev
}

// sweepServicesOf adds to ev, src's sweep, the services src probed within
// the window before until, and makes it critical where one is an
// industrial control protocol's.
func (e *Engine) sweepServicesOf(ev *inventory.Event, src mac, until int64) {
	var names, short []string
	ics, seqDst := false, 0
	for svc, s := range sweepServices {
		n := 0
		for i := range e.svcProbes {
			if p := &e.svcProbes[i]; p.src == src && int(p.svc) == svc && p.at != 0 && time.Duration(until-p.at) <= e.cfg.Window {
				for _, w := range p.hosts {
					n += bits.OnesCount64(w)
				}
				seqDst += int(p.seqDst)
			}
		}
		if n == 0 {
			continue
		}
		names = append(names, fmt.Sprintf("%s %d on %s", s.name, s.port, plural(n, "host")))
		short = append(short, fmt.Sprintf("%s (%d)", s.name, s.port))
		ics = ics || s.ics
	}
	if names == nil {
		return
	}
	ev.Summary += " for " + strings.Join(short, ", ")
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: "services probed: " + strings.Join(names, ", ")})
	if seqDst >= seqDstMin {
		ev.Severity = inventory.SeverityCritical
		ev.Summary += ": an infected device (Mirai-style bot)"
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf("%d SYNs with seq = target address: Mirai's scanner", seqDst)})
	}
	if ics {
		ev.Severity = inventory.SeverityCritical
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: "industrial control protocols probed across the subnet: a hunt for PLCs and building controllers"})
	}
}
