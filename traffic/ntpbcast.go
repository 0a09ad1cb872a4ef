package traffic

import (
	"encoding/binary"
	"fmt"
	"time"

	"tend/capture"
	"tend/inventory"
)

const ntpPort = 123

// ntpSkew is how far a broadcast time may be from the capture's clock
// before it is a rogue time source: Kerberos' default tolerance (5
// minutes), past which a client set by it fails its domain logins; NTP
// clients step their clock to a broadcast server beyond 128 ms (RFC 5905).
const ntpSkew = 5 * time.Minute

// ntpBroadcast reads an NTP packet (RFC 5905 7.3: leap, version and mode
// in the first byte, stratum, ..., the transmit timestamp at 40, seconds
// since 1900 and a fraction) and returns the offset of a broadcast-mode
// packet's (mode 5) transmit time from at, and its stratum. ok is false
// for other modes (a server answering a client is mode 4), an
// unsynchronised server (leap 3, stratum 0 or 16: clients ignore it) or a
// short packet. The 32-bit seconds are read in the era nearest at (NTP's
// 2036 wrap).
func ntpBroadcast(b []byte, at time.Time) (offset time.Duration, stratum byte, ok bool) {
	if len(b) < 48 || b[0]&7 != 5 || b[0]>>6 == 3 || b[1] == 0 || b[1] > 15 {
		return 0, 0, false
	}
	const unixToNTP = 2208988800 // seconds from 1900 to 1970
	now := uint32(at.Unix() + unixToNTP)
	sec, frac := binary.BigEndian.Uint32(b[40:44]), binary.BigEndian.Uint32(b[44:48])
	d := time.Duration(int32(sec-now))*time.Second + time.Duration(uint64(frac)*uint64(time.Second)>>32) - time.Duration(at.Nanosecond())
	return d, b[1], true
}

// ntpBcast judges an NTP broadcast (review 43 P9): clients in broadcast
// mode (ntpd's broadcastclient, old Windows and embedded stacks) set their
// clock by any server broadcasting on the LAN. One whose time is off the
// capture's clock by more than ntpSkew is a rogue time source: a host
// that sets clients' clocks ahead or back breaks Kerberos logins, expires
// or revives certificates and one-time codes, and hides its tracks in the
// logs. High from a host, Medium from the gateway (a router with a wrong
// clock). A server broadcasting the right time, and servers answering
// clients (mode 4), stay quiet.
func (e *Engine) ntpBcast(p *capture.Packet, src mac) {
	off, stratum, ok := ntpBroadcast(p.UDP.Payload, p.Time)
	if !ok || off > -ntpSkew && off < ntpSkew || !unicast(src) || e.isSelf(src) {
		return
	}
	sev := inventory.SeverityHigh
	if e.gatewayRouter(src) {
		sev = inventory.SeverityMedium
	}
	from, dir := p.SrcIP(), "ahead"
	if off < 0 {
		dir = "behind"
	}
	e.report(inventory.Event{
		Time: p.Time, Type: inventory.EventRogueTime, Severity: sev, MAC: macOf(src), IP: from,
		Summary: fmt.Sprintf("rogue time source: %s broadcasts NTP time %s %s", describe(src, from), ntpOffset(max(off, -off)), dir),
		Evidence: []inventory.Evidence{
			{Source: "ntp", Detail: fmt.Sprintf("NTP broadcast (mode 5) from %s to %s at %s: stratum %d, transmit time %s", from, p.DstIP(), p.Time.UTC().Format(time.RFC3339), stratum, p.Time.Add(off).UTC().Format(time.RFC3339))},
			{Source: "ntp", Detail: fmt.Sprintf("more than %s off the capture's clock: broadcast clients step to it, and Kerberos refuses logins past %s of skew; certificates and one-time codes go wrong", ntpSkew, ntpSkew)},
		},
	}, src, mac{})
}

// ntpOffset is an offset as people say it: days past two, else as roundDur.
func ntpOffset(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return roundDur(d).String()
}
