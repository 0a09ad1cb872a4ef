package traffic

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// Probe kinds a port scan is made of.
const (
	kSYN = iota
	kFIN
	kNULL
	kXMAS
	kUDP
	nKinds
)

var kindNames = [nKinds]string{"SYN/connect", "FIN", "NULL", "XMAS", "UDP"}

type portKey struct {
	src mac
	dst netip.Addr
}

type portTracker struct {
	start   time.Time
	srcIP   netip.Addr
	dstMAC  mac
	ports   map[uint16]struct{}
	kinds   [nKinds]int
	stealth int // distinct ports probed with FIN, NULL or XMAS
	done    bool
}

// stealthPorts is how many distinct ports probed with FIN, NULL or XMAS
// packets make a scan: no real TCP stack sends those without ACK.
const stealthPorts = 3

type sweepTracker struct {
	start time.Time
	srcIP netip.Addr
	hosts map[netip.Addr]struct{}
	kinds map[string]int
	done  bool
}

// probe looks at TCP, UDP and ICMP packets for scan and sweep probes.
func (e *Engine) probe(p *capture.Packet, src, dst mac) {
	if e.isSelf(src) || !unicast(src) {
		return
	}
	srcIP, dstIP := p.SrcIP(), p.DstIP()
	if !dstIP.IsValid() || dstIP.IsMulticast() || !unicast(dst) {
		return
	}
	switch {
	case p.Has&capture.HasTCP != 0:
		t := &p.TCP
		kind := -1
		switch {
		case t.SYN && !t.ACK && !t.RST && !t.FIN:
			kind = kSYN
		case t.FIN && t.PSH && t.URG && !t.ACK && !t.SYN:
			kind = kXMAS
		case t.FIN && !t.ACK && !t.SYN && !t.RST:
			kind = kFIN
		case !t.FIN && !t.SYN && !t.RST && !t.PSH && !t.ACK && !t.URG:
			kind = kNULL
		}
		if kind < 0 {
			return
		}
		e.portProbe(p.Time, src, srcIP, dst, dstIP, uint16(t.DstPort), kind)
		if kind == kSYN && local(dstIP) {
			e.sweepProbe(src, srcIP, dstIP, "TCP")
		}
	case p.Has&capture.HasUDP != 0:
		u := &p.UDP
		// A client's request goes from a high port to a lower one; replies go
		// the other way and must not count.
		if u.DstPort < u.SrcPort && !(dstIP.Is4() && dstIP.As4()[3] == 255) {
			e.portProbe(p.Time, src, srcIP, dst, dstIP, uint16(u.DstPort), kUDP)
		}
	case p.Has&capture.HasICMPv4 != 0:
		if p.ICMPv4.TypeCode.Type() == layers.ICMPv4TypeEchoRequest && local(dstIP) {
			e.sweepProbe(src, srcIP, dstIP, "ICMP")
		}
	}
}

func (e *Engine) portProbe(t time.Time, src mac, srcIP netip.Addr, dst mac, dstIP netip.Addr, port uint16, kind int) {
	k := portKey{src, dstIP}
	tr := e.ports[k]
	if tr == nil || t.Sub(tr.start) > e.cfg.Window {
		if tr == nil && len(e.ports) >= e.cfg.MaxTrackers {
			e.counters.TrackersDropped++
			return
		}
		if tr == nil {
			tr = &portTracker{ports: make(map[uint16]struct{}, 4)}
			e.ports[k] = tr
		}
		clear(tr.ports)
		tr.start, tr.srcIP, tr.dstMAC, tr.kinds, tr.stealth, tr.done = t, srcIP, dst, [nKinds]int{}, 0, false
	}
	tr.kinds[kind]++
	if tr.done {
		return
	}
	if _, seen := tr.ports[port]; !seen {
		tr.ports[port] = struct{}{}
		if kind == kFIN || kind == kNULL || kind == kXMAS {
			tr.stealth++
		}
	}
	if len(tr.ports) < e.cfg.PortScanPorts && tr.stealth < stealthPorts {
		return
	}
	tr.done = true
	var kinds []string
	for i, n := range tr.kinds {
		if n > 0 {
			kinds = append(kinds, fmt.Sprintf("%s %d", kindNames[i], n))
		}
	}
	ports := make([]int, 0, len(tr.ports))
	for p := range tr.ports {
		ports = append(ports, int(p))
	}
	slices.Sort(ports)
	e.report(inventory.Event{
		Time: t, Type: inventory.EventPortScan, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: srcIP, TargetMAC: macOf(dst), TargetIP: dstIP,
		Summary: fmt.Sprintf("%s probed %d ports of %s within %s", describe(src, srcIP), len(ports), dstIP, roundDur(t.Sub(tr.start))),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: "probes: " + strings.Join(kinds, ", ")},
			{Source: "traffic", Detail: "ports " + intList(ports, 24)},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d distinct ports, or %d probed with FIN/NULL/XMAS, within %s", e.cfg.PortScanPorts, stealthPorts, e.cfg.Window)},
		},
	}, src, dst)
}

func (e *Engine) sweepProbe(src mac, srcIP, target netip.Addr, kind string) {
	if e.isSelf(src) || !target.IsValid() {
		return
	}
	t := e.now
	tr := e.sweeps[src]
	if tr == nil || t.Sub(tr.start) > e.cfg.Window {
		if tr == nil && len(e.sweeps) >= e.cfg.MaxTrackers {
			e.counters.TrackersDropped++
			return
		}
		if tr == nil {
			tr = &sweepTracker{hosts: map[netip.Addr]struct{}{}, kinds: map[string]int{}}
			e.sweeps[src] = tr
		}
		clear(tr.hosts)
		clear(tr.kinds)
		tr.start, tr.srcIP, tr.done = t, srcIP, false
	}
	if tr.done {
		return
	}
	if _, seen := tr.hosts[target]; seen {
		return
	}
	tr.hosts[target] = struct{}{}
	tr.kinds[kind]++
	if len(tr.hosts) < e.cfg.SweepHosts {
		return
	}
	tr.done = true
	hosts := make([]netip.Addr, 0, len(tr.hosts))
	for h := range tr.hosts {
		hosts = append(hosts, h)
	}
	slices.SortFunc(hosts, netip.Addr.Compare)
	var kinds []string
	for k, n := range tr.kinds {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	slices.Sort(kinds)
	if len(hosts) > 16 {
		hosts = hosts[:16]
	}
	e.report(inventory.Event{
		Time: t, Type: inventory.EventHostSweep, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: tr.srcIP,
		Summary: fmt.Sprintf("%s probed %d hosts within %s", describe(src, tr.srcIP), len(tr.hosts), roundDur(t.Sub(tr.start))),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: "probes: " + strings.Join(kinds, ", ")},
			{Source: "traffic", Detail: "hosts " + join(hosts) + "…"},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d distinct hosts within %s", e.cfg.SweepHosts, e.cfg.Window)},
		},
	}, src, mac{})
}

func intList(xs []int, limit int) string {
	var b strings.Builder
	for i, x := range xs {
		if i == limit {
			fmt.Fprintf(&b, " … (%d more)", len(xs)-limit)
			break
		}
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprint(&b, x)
	}
	return b.String()
}
