package traffic

import (
	"fmt"
	"time"

	"tend/capture"
	"tend/inventory"
)

// A relay agent forwards its clients' Solicits to the servers inside
// Relay-Forward messages (msg-type 12) from the server port (RFC 8415 19),
// each under its client's DUID. A relay forwards the clients of the links
// it serves as they boot, not thousands a second: the Solicits inside
// Relay-Forwards count toward dhcp6StarveClients like the clients' own
// (flood_dhcpc6's Solicits wrapped in Relay-Forwards from one MAC name that
// MAC), never toward dhcp6StarveOneMAC (a relay speaks for many clients).
// Relay-Forwards nest, one per relay on the way, at most
// dhcp6HopLimit deep (RFC 8415 7.6, HOP_COUNT_LIMIT).
const (
	dhcp6RelayForward = 12
	dhcp6RelayMsg     = 9 // OPTION_RELAY_MSG
	dhcp6RelayHeader  = 34
	dhcp6HopLimit     = 8
)

// dhcp6Relayed is the client message inside the Relay-Forward b, nil when
// b is none.
func dhcp6Relayed(b []byte) []byte {
	for range dhcp6HopLimit {
		if len(b) < dhcp6RelayHeader || b[0] != dhcp6RelayForward {
			return nil
		}
		if b = dhcp6Option(b[dhcp6RelayHeader:], dhcp6RelayMsg); len(b) == 0 || b[0] != dhcp6RelayForward {
			return b
		}
	}
	return nil
}

// relayedNote is the evidence's note on the Solicits that came relayed.
func relayedNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d inside Relay-Forwards: a relay forwards its links' clients as they boot, not hundreds a second)", n)
}

// A tool forging clients from its own MAC below dhcp6StarveOneMAC per
// dhcp6StarveWindow (flood_dhcpc6 paced at 14 a second: 1,951 DUIDs in
// 140 s) still sends far more DUIDs than a host has: one per device (RFC
// 8415 11), one per interface for the odd client configured so. So
// dhcp6SlowDUIDs distinct DUIDs from one MAC within dhcp6SlowWindow is the
// starvation too, naming that MAC. The table holds up to dhcp6SlowMACs
// MACs a window (a flood from invented MACs is the short window's).
const (
	dhcp6SlowWindow = time.Minute
	dhcp6SlowDUIDs  = 64
	dhcp6SlowMACs   = 1024
)

// dhcp6Slow counts the distinct client DUIDs each MAC solicited under
// within the window from start (on the engine's clock).
type dhcp6Slow struct {
	start int64
	byMAC map[mac]map[uint64]struct{}
}

// dhcp6SlowClient counts the DUID h of the Solicit p from src at now.
func (e *Engine) dhcp6SlowClient(p *capture.Packet, src mac, h uint64, now int64) {
	s := &e.dhcp6Slow
	if s.byMAC == nil || now-s.start > int64(dhcp6SlowWindow) {
		*s = dhcp6Slow{start: now, byMAC: make(map[mac]map[uint64]struct{})}
	}
	d := s.byMAC[src]
	if d == nil {
		if len(s.byMAC) >= dhcp6SlowMACs {
			return
		}
		d = make(map[uint64]struct{})
		s.byMAC[src] = d
	}
	if _, seen := d[h]; seen || len(d) >= dhcp6SlowDUIDs {
		return
	}
	if d[h] = struct{}{}; len(d) < dhcp6SlowDUIDs {
		return
	}
	span := time.Duration(now - s.start)
	e.reportKey(quietKey{inventory.EventDHCPStarvation, src, mac{}, "dhcpv6"}, inventory.Event{
		Time: p.Time, Type: inventory.EventDHCPStarvation, Severity: inventory.SeverityHigh, MAC: macOf(src),
		Summary: fmt.Sprintf("%d forged DHCPv6 clients (distinct DUIDs) solicited from one MAC within %s: DHCPv6 starvation, paced",
			len(d), roundDur(span)),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("Solicits to %s sent by %s under %d client DUIDs", p.DstIP(), macString(src), len(d))},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d client DUIDs from one MAC within %s; a client has one DUID (RFC 8415 11)", dhcp6SlowDUIDs, dhcp6SlowWindow)},
		},
	})
}
