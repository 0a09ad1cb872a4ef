package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Multicast group report floods (review 36a v6_fake_mld26: thc's
// atk6-fake_mld26 -l sent 281,240 MLDv2 reports in 12 s, ~25,000 a second,
// from its own MAC to ff02::16). A report goes to every port a switch
// without MLD or IGMP snooping has, and to the CPU of one with it; the
// flood count (flood.go) passes over group destinations. A host sends a
// report or two per group it joins or leaves (RFC 3810 9.1: Robustness
// Variable 2) and one per group, or one in all, per query answered: tens
// at most in a second, for a host in many groups. So MLD reports and
// dones (ICMPv6 131, 132, 143) and IGMP reports and leaves (0x12, 0x16,
// 0x17, 0x22) are counted per sending MAC in fixed windows of
// groupFloodWindow, in a few slots (no map, no allocation): groupFloodMin
// in one is a flood. Only those frames reach the count.
const (
	groupFloodMin    = 1000
	groupFloodWindow = time.Second
	groupFloodSlots  = 8
)

// groupSender is one slot: a MAC's reports in its current window.
type groupSender struct {
	_ [0]func() // not comparable: no equality function linked
	macWindow
	n        int
	dst      netip.Addr // the last report's destination
	ip       netip.Addr
	reported bool
}

// macWindow is a per-MAC slot's key and when its window began.
type macWindow struct {
	_     [0]func() // not comparable: no equality function linked
	src   mac
	start int64 // the engine's clock
}

func (w *macWindow) window() *macWindow { return w }

// macSlot returns src's slot among slots, or else the one whose window
// began first, emptied and opened for src at now: a few slots, no map, no
// allocation (the report senders here, storm.go's group floods).
func macSlot[T any, P interface {
	*T
	window() *macWindow
}](slots []T, src mac, now int64) P {
	low := 0
	for i := range slots {
		w := P(&slots[i]).window()
		if w.src == src {
			return &slots[i]
		}
		if w.start < P(&slots[low]).window().start {
			low = i
		}
	}
	var empty T
	slots[low] = empty
	*P(&slots[low]).window() = macWindow{src: src, start: now}
	return &slots[low]
}

// igmpReport reports whether b, an IGMP message, is a membership report
// or a leave (RFC 1112, 2236, 3376).
func igmpReport(b []byte) bool {
	return len(b) >= 8 && (b[0] == 0x12 || b[0] == 0x16 || b[0] == 0x17 || b[0] == 0x22)
}

// groupReport counts p, an MLD or IGMP report or leave from src.
func (e *Engine) groupReport(p *capture.Packet, src mac, proto string) {
	now := e.pktNS
	if proto == "MLD" {
		e.storm.noteJoins(p, p.ICMPv6.Payload, true) // storm.go
	} else {
		e.storm.noteJoins(p, p.IPv4.Payload, false)
	}
	s := macSlot(e.groupSenders[:], src, now)
	if now-s.start > int64(groupFloodWindow) {
		if s.n >= groupFloodMin && !s.reported {
			e.reportGroupFlood(s, proto)
		}
		s.start, s.n, s.reported = now, 0, s.reported && now-s.start <= int64(e.cfg.Cooldown)
	}
	s.n++
	s.dst, s.ip = p.DstIP(), p.SrcIP()
	if s.n == groupFloodMin && !s.reported {
		e.reportGroupFlood(s, proto)
	}
}

// reportGroupFlood raises s's window as a report flood from its MAC.
func (e *Engine) reportGroupFlood(s *groupSender, proto string) {
	s.reported = true
	span := time.Duration(e.pktNS - s.start)
	ev := inventory.Event{
		Time: e.pktTime, Type: inventory.EventFlood, Severity: inventory.SeverityHigh, MAC: macOf(s.src),
		Summary: fmt.Sprintf("%s report flood from %s: %d group reports within %s to %s", proto, describe(s.src, netip.Addr{}), s.n, roundDur(max(span, time.Millisecond)), s.dst),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d %s membership reports from one MAC (last from %s) within %s: each goes to every port without snooping and to a snooping switch's CPU", s.n, proto, s.ip, groupFloodWindow)},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d within %s; a host sends a few per group it joins or per query", groupFloodMin, groupFloodWindow)},
		},
	}
	e.report(ev, s.src, mac{})
}
