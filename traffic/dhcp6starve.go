package traffic

import (
	"fmt"
	"time"

	"tend/capture"
	"tend/inventory"
)

// DHCPv6 starvation (thc-ipv6's flood_dhcpc6, RFC 8415's clients forged by
// the thousand): Solicits to ff02::1:2, each under a client DUID (option 1,
// RFC 8415 21.2) never heard before, and each from a MAC invented for it or
// all from the tool's own. A client has one DUID, kept across reboots (RFC
// 8415 11), and starts soliciting only after a random delay of up to
// SOL_MAX_DELAY (1 s) and its link-local address's duplicate address
// detection (RFC 4862 5.4: a second at least): an office's power cut brings
// its clients back over seconds, a few hundred at most. flood_dhcpc6 sends
// 2,100 new DUIDs a second. So dhcp6StarveClients distinct DUIDs within
// dhcp6StarveWindow is starvation whoever sends them, and
// dhcp6StarveOneMAC from one MAC is a tool forging clients behind its own
// MAC: a host speaks for its own DUID only, and a relay forwards other
// clients' messages in Relay-Forward (msg-type 12) from the server port,
// never from the client port (RFC 8415 19). The shape needs no learning:
// it is raised from the first frame. The invented MACs are a MAC flood as
// well: the mac_flood they cause is this incident (l2Raised, macflood.go).
const (
	dhcp6StarveWindow  = 2 * time.Second
	dhcp6StarveClients = 500
	dhcp6StarveOneMAC  = 32
	dhcp6Solicit       = 1
	dhcp6ClientID      = 1
)

// dhcp6Starve counts the distinct client DUIDs and sending MACs of the
// DHCPv6 Solicits within dhcp6StarveWindow of start (on the engine's
// clock).
type dhcp6Starve struct {
	start, until int64
	duids        map[uint64]struct{}
	macs         map[mac]struct{}
	solicits     int
	relayed      int // the Solicits inside Relay-Forwards (dhcp6Relayed)
	first        [3]mac
	reported     bool // until: the incident goes on while Solicits keep coming
}

// dhcp6Client counts p, a UDP datagram to the DHCPv6 server port from the
// MAC src, when it is a Solicit with a client DUID: from the client port,
// or inside a Relay-Forward from the server port (dhcp6Relayed).
func (e *Engine) dhcp6Client(p *capture.Packet, src mac) {
	b, relayed := p.UDP.Payload, p.UDP.SrcPort == 547
	if relayed {
		b = dhcp6Relayed(b)
	}
	if len(b) < 4 || b[0] != dhcp6Solicit {
		return
	}
	duid := dhcp6Option(b[4:], dhcp6ClientID) // ipv6.go
	if len(duid) == 0 {
		return
	}
	s, now, h := &e.dhcp6Starve, e.pktNS, fnv64(duid)
	if s.reported && now <= s.until {
		s.until = now + int64(dhcp6StarveWindow) // the same incident
		return
	}
	if !relayed {
		e.dhcp6SlowClient(p, src, h, now) // dhcp6slow.go
	}
	if s.duids == nil || now-s.start > int64(dhcp6StarveWindow) {
		*s = dhcp6Starve{start: now, duids: make(map[uint64]struct{}), macs: make(map[mac]struct{})}
	}
	if len(s.macs) < len(s.first) {
		if _, seen := s.macs[src]; !seen {
			s.first[len(s.macs)] = src
		}
	}
	s.solicits++
	if relayed {
		s.relayed++
	}
	s.macs[src] = struct{}{}
	s.duids[h] = struct{}{}
	n := len(s.duids)
	if n >= dhcp6StarveClients || n >= dhcp6StarveOneMAC && len(s.macs) == 1 && s.relayed == 0 {
		e.reportDHCP6Starve(p, s, now)
	}
}

// reportDHCP6Starve raises s, at p's time now: naming the one MAC that
// sent every Solicit, or the first few when each came from its own.
func (e *Engine) reportDHCP6Starve(p *capture.Packet, s *dhcp6Starve, now int64) {
	s.reported, s.until = true, now+int64(dhcp6StarveWindow)
	e.l2Raised[l2KindDHCP6] = now
	span := time.Duration(now - s.start)
	culprit, who := s.first[0], macString(s.first[0])
	if len(s.macs) > 1 {
		culprit = mac{}
		who = fmt.Sprintf("%d source MACs, first %s, %s, %s: invented ones (a client sends from its own), no culprit MAC; the attacker's switch port shows the jump in its MAC count",
			len(s.macs), macString(s.first[0]), macString(s.first[1]), macString(s.first[2]))
	}
	e.reportKey(quietKey{inventory.EventDHCPStarvation, culprit, mac{}, "dhcpv6"}, inventory.Event{
		Time: p.Time, Type: inventory.EventDHCPStarvation, Severity: inventory.SeverityHigh, MAC: macOf(culprit),
		Summary: fmt.Sprintf("%d forged DHCPv6 clients (distinct DUIDs) solicited within %s (%.0f a second): DHCPv6 starvation",
			len(s.duids), roundDur(span), float64(len(s.duids))/max(span.Seconds(), 0.001)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d Solicits to %s sent by %s%s", s.solicits, p.DstIP(), who, relayedNote(s.relayed))},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d client DUIDs within %s, or %d from one MAC; a client has one DUID (RFC 8415 11), a relay forwards others' in Relay-Forward", dhcp6StarveClients, dhcp6StarveWindow, dhcp6StarveOneMAC)},
		},
	})
}
