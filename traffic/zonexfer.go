package traffic

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"tend/capture"
	"tend/inventory"
)

// A DNS zone transfer attempt (dig AXFR, nmap's dns-zone-transfer,
// dnsrecon, fierce) asks a LAN's DNS server for a whole zone: every host
// name and address of the network in one answer (review 36a P10: dig_axfr
// and nmap_dns_zone, refused, raised nothing). Its shape: a query of type
// AXFR (252) or IXFR (251), over TCP or UDP, from a host that is no
// secondary of that server. A secondary's refresh is an IXFR with its own
// SOA in the authority section (RFC 1995 3): not counted (nor is dig
// ixfr=N, which imitates it); its primary sends it NOTIFYs (RFC 1996),
// which mark the pair as primary and secondary for as long as they keep
// it up (zoneIdle), its AXFRs included. A secondary's very first AXFR, before any
// NOTIFY or refresh, is not told apart (rare on an office LAN: Active
// Directory replicates its zones over LDAP, not AXFR). Attempts are
// counted per client and server
// (zoneXfers of them at most), with the server's answers (REFUSED,
// NOTAUTH, or records: the zone leaked), and reported zoneGather after the
// last attempt: Medium, High when the server gave a zone away.
const (
	zoneXfers  = 32
	zoneNames  = 4 // zone names quoted per pair
	zoneGather = 30 * time.Second
	zoneIdle   = time.Hour // a pair's secondary mark kept this long after its last transfer
)

type zoneKey struct{ cli, srv netip.Addr }

type zoneXfer struct {
	cliMAC, srvMAC      mac
	first, last         time.Time
	attempts            int
	refused, answered   int
	records             int
	id                  uint16 // the last query's ID: its answers carry it
	names               []string
	secondary, reported bool
}

// dnsZoneUDP reads a DNS query over UDP (to port 53): a NOTIFY from a
// primary to its secondary, or a transfer query.
func (e *Engine) dnsZoneUDP(p *capture.Packet, src, dst mac) {
	m := p.UDP.Payload
	if len(m) < 12+5 || m[2]&0x80 != 0 {
		return
	}
	switch m[2] >> 3 & 0xf {
	case 4: // NOTIFY: the sender is the receiver's primary
		e.zoneSecondary(zoneKey{p.DstIP(), p.SrcIP()}, dst, src, p.Time)
	case 0:
		if qt := dnsQType(m); qt == 251 || qt == 252 {
			e.zoneQuery(p, m, qt, src, dst)
		}
	}
}

// dnsZoneTCP reads a TCP segment to or from port 53 carrying one DNS
// message or more (each after its 2-byte length); only the first is read.
func (e *Engine) dnsZoneTCP(p *capture.Packet, src, dst mac) {
	b := p.TCP.Payload
	m := b[2:min(len(b), 2+(int(b[0])<<8|int(b[1])))]
	if len(m) < 12+5 {
		return
	}
	if p.TCP.DstPort == dnsPort && m[2]&0xf8 == 0 {
		if qt := dnsQType(m); qt == 251 || qt == 252 {
			e.zoneQuery(p, m, qt, src, dst)
		}
		return
	}
	if p.TCP.SrcPort == dnsPort && m[2]&0x80 != 0 && len(e.zones) > 0 {
		e.zoneAnswer(p, m)
	}
}

// dnsQType returns the type of a DNS message's first question, 0 when it
// has none or its name runs past the message.
func dnsQType(m []byte) uint16 {
	if m[4] == 0 && m[5] == 0 {
		return 0
	}
	i := 12
	for i < len(m) && m[i] != 0 {
		if m[i]&0xc0 != 0 {
			return 0
		}
		i += 1 + int(m[i])
	}
	if i+3 > len(m)-1 {
		return 0
	}
	return uint16(m[i+1])<<8 | uint16(m[i+2])
}

// dnsQName returns a DNS message's first question's name, dotted.
func dnsQName(m []byte) string {
	var b strings.Builder
	for i := 12; i < len(m) && m[i] != 0 && m[i]&0xc0 == 0 && i+1+int(m[i]) <= len(m); i += 1 + int(m[i]) {
		b.Write(m[i+1 : i+1+int(m[i])])
		b.WriteByte('.')
	}
	if b.Len() == 0 {
		return "."
	}
	return strings.ToValidUTF8(b.String(), "?")
}

// zoneTracker returns the pair's tracker, made if there is room.
func (e *Engine) zoneTracker(k zoneKey, cli, srv mac, t time.Time) *zoneXfer {
	z := e.zones[k]
	if z != nil {
		return z
	}
	if e.zones == nil {
		e.zones = map[zoneKey]*zoneXfer{}
	}
	if len(e.zones) >= zoneXfers {
		e.counters.TrackersDropped++
		return nil
	}
	z = &zoneXfer{cliMAC: cli, srvMAC: srv, first: t, last: t}
	e.zones[k] = z
	return z
}

// zoneSecondary marks k's client a secondary of its server.
func (e *Engine) zoneSecondary(k zoneKey, cli, srv mac, t time.Time) {
	if z := e.zoneTracker(k, cli, srv, t); z != nil {
		z.secondary, z.last = true, t
	}
}

// zoneQuery counts a transfer query (qt: 251 IXFR, 252 AXFR) m from the
// frame's source to its destination.
func (e *Engine) zoneQuery(p *capture.Packet, m []byte, qt uint16, src, dst mac) {
	k := zoneKey{p.SrcIP(), p.DstIP()}
	if qt == 251 && m[9] != 0 { // IXFR with the asker's SOA: a secondary's refresh, not counted
		return
	}
	z := e.zoneTracker(k, src, dst, p.Time)
	if z == nil || z.secondary {
		return
	}
	z.attempts++
	z.last, z.id = p.Time, uint16(m[0])<<8|uint16(m[1])
	if name := dnsQName(m); len(z.names) < zoneNames && !slices.Contains(z.names, name) {
		z.names = append(z.names, name)
	}
}

// zoneAnswer reads a server's answer m to a tracked transfer query.
func (e *Engine) zoneAnswer(p *capture.Packet, m []byte) {
	z := e.zones[zoneKey{p.DstIP(), p.SrcIP()}]
	if z == nil || z.secondary || z.attempts == 0 || uint16(m[0])<<8|uint16(m[1]) != z.id {
		return
	}
	z.id ^= 0x5a5a // one answer per query: a transfer's later messages are not counted again
	switch rcode := m[3] & 0xf; {
	case rcode == 0 && (m[6] != 0 || m[7] != 0):
		z.answered++
		z.records += int(m[6])<<8 | int(m[7])
	case rcode != 0:
		z.refused++
	}
}

// flushZones reports the attempts quiet for zoneGather (all when all is
// set), in the order they began, and forgets idle pairs. It runs every tick.
func (e *Engine) flushZones(now time.Time, all bool) {
	var due []zoneKey
	for k, z := range e.zones {
		switch {
		case !z.secondary && !z.reported && z.attempts > 0 && (all || now.Sub(z.last) >= zoneGather):
			due = append(due, k)
		case now.Sub(z.last) > zoneIdle:
			delete(e.zones, k)
		}
	}
	for i := 1; i < len(due); i++ { // a few: no sort package instantiated for them
		for j := i; j > 0 && e.zones[due[j]].first.Before(e.zones[due[j-1]].first); j-- {
			due[j], due[j-1] = due[j-1], due[j]
		}
	}
	for _, k := range due {
		z := e.zones[k]
		z.reported = true
		e.reportZoneXfer(k, z)
	}
}

// reportZoneXfer raises k's client's transfer attempts: a port_scan
// (reconnaissance), Medium, High when the server answered with records.
func (e *Engine) reportZoneXfer(k zoneKey, z *zoneXfer) {
	sev, outcome := inventory.SeverityMedium, "unanswered"
	switch {
	case z.answered > 0:
		sev, outcome = inventory.SeverityHigh, fmt.Sprintf("%d answered with %d records: the server gave its zone away", z.answered, z.records)
	case z.refused > 0:
		outcome = fmt.Sprintf("%d refused", z.refused)
	}
	ev := inventory.Event{
		Time: z.last, Type: inventory.EventPortScan, Severity: sev,
		IP: k.cli, TargetMAC: macOf(z.srvMAC), TargetIP: k.srv,
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d zone transfer queries (AXFR/IXFR) to %s in %s: %d answered (%d records), %d refused (REFUSED, NOTAUTH)",
				z.attempts, k.srv, roundDur(z.last.Sub(z.first)), z.answered, z.records, z.refused)},
			{Source: "traffic", Detail: "not a secondary: no NOTIFY from the server to it; a secondary's refresh (IXFR carrying its own SOA) is not counted"},
		},
	}
	culprit, who := e.webCulprit(&ev, z.cliMAC, k.cli)
	ev.Summary = "DNS zone transfer attempt: " + who + " asked " + k.srv.String() + " for whole zones (" + strings.Join(z.names, ", ") + "): " + outcome + " (dig AXFR, nmap dns-zone-transfer, dnsrecon)"
	e.report(ev, culprit, z.srvMAC)
}
