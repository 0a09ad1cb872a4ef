package traffic

import (
	"fmt"
	"net/netip"
	"slices"

	"tend/capture"
	"tend/inventory"
)

// A TFTP server's reads are one insecure_protocol per server (tftpheld.go),
// quiet for the cooldown once reported: a boot storm's clients reading the
// same files are one finding. A client none of the server's earlier ones
// was, reading a file none of them read and that DHCP did not offer as the
// boot file (a router's startup-config read by a host 28 s after a PXE
// client read pxelinux.0), is another: its own Medium event naming the
// client and the file. At most tftpSplitMax such a server's cooldown
// (per-client file names, a phone's <MAC>.cfg, are one each otherwise).
const tftpSplitMax = 4

// tftpScanPorts is how many ports of the server a client must have probed
// (its portTracker's, the request's own port 69 among them) for its read
// to be a scan's probe: nmap -sU sends a read request for "r7tftp.txt" to
// port 69 among the hundreds it probes, and its port_scan names it
// (session 34's PXE boot beside nmap -sU: a Medium "new client reading a
// file" beside the port_scan). A booting client reads from the server's
// TFTP port alone, with DHCP, ProxyDHCP (4011) and DNS besides.
const tftpScanPorts = 8

// tftpScanProbe reports whether p, a read request to srvIP, comes from a
// MAC reported scanning the server or probing tftpScanPorts of its ports.
func (e *Engine) tftpScanProbe(p *capture.Packet, srvIP netip.Addr) bool {
	tr := e.lookupPort(newPortKey(capture.MAC6(p.Eth.SrcMAC), srvIP))
	return tr != nil && (tr.done || tr.ports.len() >= tftpScanPorts)
}

// tftpReads is the TFTP servers' read incidents, by server address.
type tftpReads map[netip.Addr]*tftpIncident

// tftpNoteRead keeps inc, a server's read incident just opened, for the
// reads after it is reported (tftpLateRead).
func (e *Engine) tftpNoteRead(inc *tftpIncident) {
	if e.tftpDone == nil || len(e.tftpDone) >= tftpHeldMax {
		e.tftpDone = make(tftpReads)
	}
	e.tftpDone[inc.server] = inc
}

// tftpLateRead judges p, a read request for name from cliIP to the server
// srvIP whose read incident was reported (ev: the event reportInsecure
// made of p).
func (e *Engine) tftpLateRead(p *capture.Packet, ev inventory.Event, srvMAC mac, srvIP, cliIP netip.Addr, name string) {
	inc := e.tftpDone[srvIP]
	if inc == nil || inc.split >= tftpSplitMax {
		return
	}
	if _, seen := inc.clients[cliIP]; seen || e.tftpScanProbe(p, srvIP) {
		return // a client of the boot, or a scan's probe (its port_scan)
	}
	if o, ok := e.pxe[srvIP]; ok && o.file == name {
		inc.add(name, cliIP) // the boot file: the boot's incident
		return
	}
	for _, f := range inc.files {
		if f == name {
			inc.add(name, cliIP)
			return
		}
	}
	if !e.reserve(quietKey{inventory.EventInsecureProtocol, srvMAC, mac{}, "tftp read by " + cliIP.String()}, p.Time) {
		return
	}
	inc.add(name, cliIP)
	e.tftpSplit(p, ev, inc, cliIP, name, "after the server's reads of %s by %s were reported", len(inc.clients)-1)
}

// tftpSplit raises ev, the read request p for name from cliIP, on its own
// beside inc, its server's read incident: when says when it came (a format
// taking the files and clients before it, n clients).
func (e *Engine) tftpSplit(p *capture.Packet, ev inventory.Event, inc *tftpIncident, cliIP netip.Addr, name, when string, n int) {
	inc.split++
	ev.Summary = fmt.Sprintf("tftp on %s (server, port %d): %q read by %s, a new client reading a file none of the earlier ones read", inc.srv, tftpPort, name, describe(capture.MAC6(p.Eth.SrcMAC), cliIP))
	ev.Evidence = append([]inventory.Evidence{{Source: "traffic", Detail: fmt.Sprintf(
		"TFTP read request for %q from %s "+when+"; not the DHCP-offered boot file: a finding of its own (RFC 1350: no authentication)",
		name, cliIP, quoteList(inc.files[:min(len(inc.files), 3)], 3), plural(n, "client"))}}, ev.Evidence[1:]...)
	e.emitHeld(ev)
}

// tftpEarlyRead judges p, a read request for name from cliIP to a server
// whose reads are still being gathered in inc (tftpGather), and reports
// whether it was kept out of inc. On a network boot server (a DHCP offer
// named it with a boot file) a new client begins with the boot file; one
// whose request is not the boot file nor a file an earlier client read
// (review 33c: an attacker's startup-config read inside the first 10 s of
// a PXE boot joined the boot's Low event) is raised on its own, as
// tftpLateRead raises it after the report; its later requests stay out of
// the boot's event. At most tftpSplitMax a server.
func (e *Engine) tftpEarlyRead(p *capture.Packet, ev inventory.Event, inc *tftpIncident, cliIP netip.Addr, name string) bool {
	o, ok := e.pxe[inc.server]
	if !ok {
		return false
	}
	k := quietKey{inventory.EventInsecureProtocol, inc.srvMAC, mac{}, "tftp read by " + cliIP.String()}
	if e.quieted(k, p.Time) {
		return true // a client split off already stays off
	}
	if _, seen := inc.clients[cliIP]; seen || inc.split >= tftpSplitMax || o.file == name || slices.Contains(inc.files, name) {
		return false
	}
	if e.tftpScanProbe(p, inc.server) {
		return true // a scan's probe: its port_scan names it, not the boot's event
	}
	if !e.reserve(k, p.Time) {
		return false
	}
	e.tftpSplit(p, ev, inc, cliIP, name, "while the server's reads of %s by %s (a network boot) were being gathered", len(inc.clients))
	return true
}
