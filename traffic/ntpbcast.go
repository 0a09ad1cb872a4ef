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
// since 1900 and a fraction) and returns the offset of a broadcast (mode
// 5) or server answer's (mode 4) transmit time from at, and its stratum.
// ok is false for other modes, an unsynchronised server (leap 3, stratum
// 0 or 16: clients ignore it) or a short packet. The 32-bit seconds are read in the era nearest at (NTP's
// 2036 wrap).
func ntpBroadcast(b []byte, at time.Time) (offset time.Duration, stratum byte, ok bool) {
	if len(b) < 48 || b[0]&7 < 4 || b[0]&7 > 5 || b[0]>>6 == 3 || b[1] == 0 || b[1] > 15 {
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
// clock by any server broadcasting on the LAN. One whose time is off by
// more than ntpSkew is a rogue time source: a host that sets clients'
// clocks ahead or back breaks Kerberos logins, expires or revives
// certificates and one-time codes, and hides its tracks in the logs. The
// time is judged against the last server answer (mode 4, any NTP server's,
// tend's own included) seen from another MAC, which holds when tend's
// clock is wrong (review 43 item 4: a box without RTC, not yet synced);
// with none seen, against the capture's clock, and the event says that it
// may be tend's clock that is wrong. High from a host, Medium from the
// gateway (a router with a wrong clock). A server broadcasting the right
// time, and servers answering clients, stay quiet.
func (e *Engine) ntpBcast(p *capture.Packet, src mac) {
	off, stratum, ok := ntpBroadcast(p.UDP.Payload, p.Time)
	if !ok || !unicast(src) || e.isSelf(src) {
		return
	}
	if e.infra == nil {
		e.infra = &infraSeen{}
	}
	n := e.infra
	if p.UDP.Payload[0]&7 == 4 {
		n.ntpOff, n.ntpFrom = off, src
		return
	}
	tx, ref := p.Time.Add(off), "the capture's clock (no NTP server's answer seen: it may be tend's clock that is wrong)"
	if n.ntpFrom != (mac{}) && n.ntpFrom != src {
		off -= n.ntpOff
		ref = "the time in the last NTP server answer seen (from " + macOf(n.ntpFrom).String() + ")"
	}
	if off > -ntpSkew && off < ntpSkew || p.UDP.DstPort != ntpPort || p.Eth.DstMAC[0]&1 == 0 {
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
			{Source: "ntp", Detail: fmt.Sprintf("NTP broadcast (mode 5) from %s to %s at %s: stratum %d, transmit time %s", from, p.DstIP(), p.Time.UTC().Format(time.RFC3339), stratum, tx.UTC().Format(time.RFC3339))},
			{Source: "ntp", Detail: fmt.Sprintf("more than %s off %s: broadcast clients step to it, and Kerberos refuses logins past %s of skew; certificates and one-time codes go wrong", ntpSkew, ref, ntpSkew)},
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
