package traffic

import (
	"fmt"
	"net/netip"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// A link checker or intranet crawler (wget -r, a one-off asset inventory
// fetching every host's front page) resolves each host with ARP and opens
// one connection to the web port of each: a sweep of live hosts to the
// wire (review 35b crawler: wget fetching http://IP/ from 50 hosts, 25 of
// them serving a page, 25 refusing with a RST), with no second round. But
// every host that accepted the connection then got a whole HTTP request
// and sent an HTTP answer (or, over TLS, application data both ways: a
// page fetched, no certificate grab), and every other refused it. A
// discovery sweep (arp-scan, nmap -sn) opens no connection; a port probe
// (nmap -sS, -sT, masscan) leaves an accepted connection without a
// request, or resets it. So, like an admin's SSH fan-out (fanout.go), a
// held ARP sweep of live hosts whose hosts nine in ten (sweepAliveTenths)
// either served the source a page or refused its connection, at least one
// served and none that accepted went unasked, and whose source reset no
// connection it did not fetch over, is Low: a web fetch fan-out. Only the
// ARP sweeps watched for a later round (resolving, sweeppoll.go) are
// followed: a crawler whose ARP cache is warm sends SYNs, a sweep that
// stays High.
const (
	fetchAccepted = 1 << iota // the host answered the source's SYN with SYN+ACK
	fetchAsked                // the source sent it an HTTP request or TLS application data
	fetchServed               // it answered with HTTP or TLS application data
	fetchRefused              // it refused with a RST
	fetchReset                // the source reset a connection to it
	fetchTalked               // the source sent it a segment or datagram with data
	fetchAnswered             // it sent the source a segment or datagram with data
	fetchClosed               // the source closed a connection to it (FIN)
	fetchSpoke                // the source sent it data, on any port (a login port's too)
)

// An inventory or management agent (Lansweeper, PDQ, an RMM's network
// audit) resolves each live host and then asks each something on its
// management ports: an RPC bind on 135, an SMB negotiate on 445, an SSH
// banner exchange, an SNMP get (review 36b inventory: one server on
// 135/139/445/22 and SNMP to 40 hosts, each accepted connection carrying a
// request and an answer). Where the held sweep's hosts are nine in ten
// either such an exchange (data both ways) or a refusal, and no accepted
// connection went unasked or was reset unasked, the sweep is no discovery
// and no port probe: Medium, an undeclared inventory scan, to be declared
// with --known-scanner. Web pages alone stay the crawler's Low. Data on a
// login service's port (loginPort) is no such exchange: a password
// sprayer's or ssh-keyscan's connections to each host carry data both
// ways too.

// watchHeld hands p, from src to dst (dstIP), to the watches of the held
// ARP sweeps: a later round's data (watchResolved) and a fetch's segments
// (watchFetch). The engine calls it only while sweeps are watched.
func (e *Engine) watchHeld(p *capture.Packet, src, dst mac, dstIP netip.Addr) {
	tcp := p.Has&capture.HasTCP != 0
	data := tcp && len(p.TCP.Payload) != 0 || p.Has&capture.HasUDP != 0 && p.UDP.Length > 8
	if data {
		e.watchResolved(src, dstIP) // sweeppoll.go
	}
	// Only a refusal or reset, an accepted connection, and data tell a
	// fetch or an exchange: bare acknowledgements are turned away here,
	// before the sweeps are compared.
	if data || tcp && (p.TCP.RST || p.TCP.FIN || p.TCP.SYN && p.TCP.ACK) {
		e.watchFetch(p, src, dst, data)
	}
}

// watchFetch notes, for the held ARP sweeps of the source src or of the
// destination dst, a segment p between the sweeper and one of the hosts
// it resolved (see watchHeld).
func (e *Engine) watchFetch(p *capture.Packet, src, dst mac, data bool) {
	var t *layers.TCP
	spoke := data
	if p.Has&capture.HasTCP != 0 {
		t = &p.TCP
		data = data && !loginPort(uint16(t.SrcPort)) && !loginPort(uint16(t.DstPort))
	}
	for _, tr := range e.resolving {
		var host netip.Addr
		var bit uint16
		switch {
		case tr.heldSrc == src:
			host = p.DstIP()
			switch {
			case t == nil:
				bit = fetchTalked
			case t.RST:
				bit = fetchReset
			case httpRequest(t.Payload) || tlsAppData(t.Payload):
				bit = fetchAsked | fetchTalked
			case data:
				bit = fetchTalked
			case t.FIN:
				bit = fetchClosed
			}
			if spoke {
				bit |= fetchSpoke
			}
		case tr.heldSrc == dst:
			host = p.SrcIP()
			switch {
			case t == nil:
				bit = fetchAnswered
			case t.RST:
				bit = fetchRefused
			case t.SYN && t.ACK:
				bit = fetchAccepted
			case len(t.Payload) >= 5 && string(t.Payload[:5]) == "HTTP/" || tlsAppData(t.Payload):
				bit = fetchServed | fetchAnswered
			case data:
				bit = fetchAnswered
			}
		default:
			continue
		}
		if bit == 0 || !tr.swept(host) {
			continue
		}
		if tr.fetch == nil {
			tr.fetch = map[netip.Addr]uint16{}
		}
		tr.fetch[host] |= bit
	}
}

// swept reports whether tr's held sweep probed a: before it was held
// (resolved) or since (later).
func (tr *sweepTracker) swept(a netip.Addr) bool {
	if _, ok := tr.resolved[a]; ok {
		return true
	}
	_, ok := tr.later[a]
	return ok
}

// noteLater records the host tr's watched sweep just went on to probe
// while held (tr.last), where it is a new one.
func (tr *sweepTracker) noteLater() {
	if tr.resolved == nil {
		return
	}
	if _, ok := tr.resolved[tr.last]; ok {
		return
	}
	if tr.later == nil {
		tr.later = map[netip.Addr]struct{}{}
	}
	tr.later[tr.last] = struct{}{}
}

// tlsAppData reports whether b begins with a TLS application data record
// (content type 23, RFC 8446 5.1; version 3.x).
func tlsAppData(b []byte) bool {
	return len(b) >= 5 && b[0] == 23 && b[1] == 3
}

// webFetch marks ev, tr's held ARP sweep about to be raised, Low when its
// hosts were a web fetch fan-out's (see fetchAccepted), Medium when they
// were an inventory agent's exchanges (see fetchTalked). The hosts judged
// are those the source connected to while the sweep was watched: a
// crawler's connections to the hosts it swept before the sweep crossed
// its threshold went by unwatched (the packet path reads no mid-flow
// segment then), so nine in ten of the hosts it swept since must be among
// them.
func (e *Engine) webFetch(tr *sweepTracker, ev *inventory.Event) {
	later, covered := len(tr.later), 0
	for a := range tr.later {
		if _, ok := tr.fetch[a]; ok {
			covered++
		}
	}
	n := len(tr.fetch)
	if later == 0 || 10*covered < sweepAliveTenths*later {
		return
	}
	served, talked, refused, ok := fetchCounts(tr.fetch)
	detail := fmt.Sprintf("of the %d swept hosts it contacted while watched, %d exchanged data with it both ways (%d of them web pages), %d refused, and none accepted a connection it then left unasked or reset: an inventory or management agent asking live hosts, no discovery sweep or port probe",
		n, served+talked, served, refused)
	if tr.heldAlive == tr.heldN && connectsOnly(tr.fetch) {
		// A helpdesk console checking its desks' RDP and VNC (review 39):
		// no empty address met, every connection completed and closed.
		talked, ok = n, true
		detail = fmt.Sprintf("all %d hosts answered, none empty; the %d contacted while watched each accepted connections it closed (FIN): a console checking its hosts' ports", tr.heldN, n)
	}
	if !ok || served+talked == 0 || 10*(served+talked+refused) < sweepAliveTenths*n {
		return
	}
	if talked != 0 {
		ev.Severity = inventory.SeverityMedium
		ev.Summary = fmt.Sprintf("undeclared inventory/management scan from %s: declare it with --known-scanner", describe(tr.heldSrc, tr.srcIP))
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: detail})
		return
	}
	ev.Severity = inventory.SeverityLow
	ev.Summary = fmt.Sprintf("%s: web fetch fan-out: fetched a page from %s, %s refused", describe(tr.heldSrc, tr.srcIP), plural(served, "host"), plural(refused, "host"))
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
		"of the %d swept hosts it connected to while watched, %d got an HTTP request (or TLS application data) and answered it, %d refused the connection, and none accepted one it then left unasked or reset: a crawler or link checker, no discovery sweep or port probe",
		n, served, refused)})
}

// loginPort reports whether port is a login service's whose exchanges a
// guesser's or a key scanner's are too (SSH, telnet, FTP, RDP, VNC): data
// on it is no inventory exchange. An admin's SSH logins to each host are
// judged by their sessions (fanout.go).
func loginPort(port uint16) bool {
	switch port {
	case 21, 22, 23, 3389, 5900:
		return true
	}
	return false
}

// fetchCounts counts a held sweep's hosts by what its connections showed:
// a web page fetched, another exchange of data both ways, or a refusal
// alone. ok is false when a host accepted a connection, or was reset,
// with no exchange: a port probe.
// connectsOnly reports whether every host in fetch accepted the source's
// connections and refused none, and the source closed them (FIN; a reset
// after is its closed socket's answer to the host's late data) without
// sending a byte: port checks that completed, where a SYN or connect scan
// resets unclosed, and a guesser or key scanner speaks.
func connectsOnly(fetch map[netip.Addr]uint16) bool {
	for _, f := range fetch {
		if f&(fetchAccepted|fetchRefused|fetchClosed|fetchSpoke) != fetchAccepted|fetchClosed {
			return false
		}
	}
	return true
}

func fetchCounts(fetch map[netip.Addr]uint16) (served, talked, refused int, ok bool) {
	for _, f := range fetch {
		fetched := f&fetchAsked != 0 && f&fetchServed != 0
		exchanged := f&fetchTalked != 0 && f&fetchAnswered != 0
		switch {
		case f&(fetchAccepted|fetchReset) != 0 && !exchanged:
			return 0, 0, 0, false
		case fetched:
			served++
		case exchanged:
			talked++
		case f&fetchRefused != 0:
			refused++
		}
	}
	return served, talked, refused, true
}
