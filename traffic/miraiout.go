package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/inventory"
)

// A Mirai-infected device scanning the Internet (issue 14, session 40).
// Mirai's scanner sends SYNs to random addresses of the whole IPv4 space,
// hundreds a second, 23 (2323 one time in ten), each with its target's
// address as sequence number (telnetbot.go). host_sweep counts local
// targets only, so a bot on the LAN scanning outward raised nothing. A
// source whose SYNs with sequence number = destination reach miraiOutMin
// distinct public addresses within Window is host_sweep Critical, an
// infected device. A stack's random ISN equals its destination once in
// 2^32 SYNs: an office's outbound connections (a few million a day at
// most) make one such coincidence in a thousand days, eight distinct within
// a window never; Mirai makes eight within a tenth of a second. Only SYNs
// whose sequence number is their destination pay (tcpProbe's compare).
const (
	miraiOutMin   = 8 // distinct public targets
	miraiOutSlots = 4 // sources counted at once
)

// miraiOut is one source's SYNs with seq = destination to public addresses.
type miraiOut struct {
	_     [0]func() // not comparable: no equality function linked
	src   mac
	dsts  [miraiOutMin]uint32 // distinct targets, in order
	n     int                 // distinct targets (dsts used)
	syns  [3]int              // to 23, to 2323, to other ports
	first time.Time
	last  int64
}

// miraiSYN notes a SYN whose sequence number is its destination's
// (seqDst) from src to port on dstIP at t.
func (e *Engine) miraiSYN(t time.Time, seqDst bool, src mac, srcIP, dstIP netip.Addr, port uint16) {
	if seqDst {
		e.noteMiraiOut(t, src, srcIP, dstIP, port)
	}
}

// noteMiraiOut counts src's SYN at t to port on dstIP, a public address
// (local ones are host_sweep's), whose sequence number is dstIP, and
// raises src when it reached miraiOutMin distinct addresses within Window.
func (e *Engine) noteMiraiOut(t time.Time, src mac, srcIP, dstIP netip.Addr, port uint16) {
	if local(dstIP) || !local(srcIP) {
		return
	}
	now := e.nanosOf(t)
	slot := 0
	for i := range e.miraiOut {
		m := &e.miraiOut[i]
		if m.src == src && now-m.last <= int64(e.cfg.Window) {
			slot = i
			break
		}
		if m.last < e.miraiOut[slot].last {
			slot = i
		}
	}
	m := &e.miraiOut[slot]
	if m.src != src || now-m.last > int64(e.cfg.Window) {
		*m = miraiOut{src: src, first: t}
	}
	m.last = now
	i := 2
	switch port {
	case 23:
		i = 0
	case 2323:
		i = 1
	}
	m.syns[i]++
	d := ip4Of(dstIP)
	for _, x := range m.dsts[:m.n] {
		if x == d {
			return
		}
	}
	if m.n == miraiOutMin {
		return
	}
	m.dsts[m.n] = d
	if m.n++; m.n < miraiOutMin {
		return
	}
	k := quietKey{inventory.EventHostSweep, src, mac{}, "internet"}
	if e.quieted(k, t) {
		return
	}
	e.reportKey(k, inventory.Event{
		Time: m.first, Type: inventory.EventHostSweep, Severity: inventory.SeverityCritical, MAC: macOf(src), IP: srcIP,
		Summary: describe(src, srcIP) + " is scanning the Internet with Mirai's SYNs: an infected device (Mirai-style bot)",
		Evidence: []inventory.Evidence{{Source: "traffic", Detail: fmt.Sprintf(
			"SYNs to %d distinct public addresses (port 23: %d, 2323: %d, others: %d) since the event's time, each with the destination address as sequence number (Mirai's scanner; a stack's random ISN matches once in 2^32)",
			m.n, m.syns[0], m.syns[1], m.syns[2])}},
	})
}
