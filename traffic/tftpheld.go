package traffic

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/capture"
	"tend/inventory"
)

// TFTP has no login (RFC 1350): what a server's transfers show is the
// server, not each client or file. A PXE boot reads three files or more
// (pxelinux.0, its configuration, a kernel and an initrd; RFC 2347-2349's
// options only size the transfer), and a boot storm's clients read them
// all: one insecure_protocol per server and operation (reads, writes: a
// router's configuration written is another finding), held tftpGather
// after its latest request (tftpHold at most) and listing the files and
// counting the clients. A server that DHCP offers name as the boot server
// (next-server, siaddr, or option 66) with a boot file (the file field or
// option 67; RFC 2131 2, RFC 2132 9.4-9.5), as PXE clients are answered
// (their option 60 "PXEClient", RFC 4578), or that a PXE proxyDHCP names
// in option 43 (pxeproxy.go), serves network boot, which
// needs TFTP: its reads are Low, with the advice to keep them on a boot
// VLAN. Other TFTP stays Medium. Only a server that answered is reported
// (tftpanswer.go).
const (
	tftpGather    = 10 * time.Second
	tftpHold      = time.Minute
	tftpFilesKept = 8
	tftpHeldMax   = 64
	pxeServersMax = 64
)

// tftpIncident is a TFTP server's insecure_protocol event being gathered.
type tftpIncident struct {
	ev       inventory.Event
	server   netip.Addr
	write    bool
	due      int64 // on the engine's clock
	first    int64
	files    []string // the first tftpFilesKept names, distinct
	nFiles   int
	clients  map[netip.Addr]struct{}
	e        *Engine // for the PXE offers at the time it is reported
	srv      string  // the server described
	key      quietKey
	answered bool                      // the server answered a request (tftpanswer.go)
	dropped  bool                      // due unanswered: no event (tftpanswer.go)
	srvMAC   mac                       // the server's MAC (or its router's)
	reqNS    int64                     // the last request's frame time (pktNS)
	split    int                       // new clients' reads raised on their own after it was reported (tftpsecond.go)
	guess    map[netip.Addr]*tftpGuess // each client's reads (tftpguess.go)
	// own holds the clients that read a file named for their own MAC
	// (tftpprov.go: an IP phone's provisioning).
	own map[netip.Addr]struct{}
}

// pxeOffer is what DHCP offers said of a boot server: the DHCP server that
// named it and the boot file.
type pxeOffer struct {
	_     [0]func() // not comparable: no equality function linked
	dhcp  netip.Addr
	file  string
	proxy bool // named by a PXE proxyDHCP (pxeproxy.go), no boot file
}

func (inc *tftpIncident) dueAt() int64 { return inc.due }

// tftpRequest gathers p, a TFTP read or write request from cliIP to the
// server srvIP (its MAC srvMAC), into the server's held incident, opening
// one (ev, the event reportInsecure made of it) when there is none.
func (e *Engine) tftpRequest(p *capture.Packet, ev inventory.Event, srvMAC mac, srvIP, cliIP netip.Addr) {
	if p.Has&capture.HasUDP == 0 {
		return
	}
	b := p.UDP.Payload
	write, name := b[1] == 2, b[2:]
	if i := bytes.IndexByte(name, 0); i >= 0 {
		name = name[:i]
	}
	now := e.clock // the clock flushTFTPHeld runs on: after a capture steps back in time, a request still waits for its answer
	for _, inc := range e.tftpHeld {
		if inc.server == srvIP && inc.write == write {
			if !write && e.tftpEarlyRead(p, ev, inc, cliIP, printable(name, 64)) { // tftpsecond.go
				return
			}
			inc.add(printable(name, 64), cliIP)
			if !write {
				inc.noteOwn(name, capture.MAC6(p.Eth.SrcMAC), cliIP)                     // tftpprov.go
				e.guessRead(inc, capture.MAC6(p.Eth.SrcMAC), cliIP, printable(name, 64)) // tftpguess.go
			}
			inc.due, inc.reqNS = min(now+int64(tftpGather), inc.first+int64(tftpHold)), e.pktNS
			return
		}
	}
	k := quietKey{inventory.EventInsecureProtocol, srvMAC, mac{}, fmt.Sprintf("tftp %v", write)}
	if e.quieted(k, p.Time) && !write {
		e.tftpLateRead(p, ev, srvMAC, srvIP, cliIP, printable(name, 64)) // tftpsecond.go
		return
	}
	if len(e.tftpHeld) >= tftpHeldMax || !e.reserve(k, p.Time) {
		return
	}
	inc := &tftpIncident{ev: ev, key: k, srvMAC: srvMAC, reqNS: e.pktNS, server: srvIP, write: write, first: now, due: now + int64(tftpGather), clients: map[netip.Addr]struct{}{}, e: e, srv: describe(srvMAC, srvIP)}
	inc.add(printable(name, 64), cliIP)
	hold(e, &e.tftpHeld, inc) // arphold.go
	if !write {
		inc.noteOwn(name, capture.MAC6(p.Eth.SrcMAC), cliIP)                     // tftpprov.go
		e.tftpNoteRead(inc)                                                      // tftpsecond.go
		e.guessRead(inc, capture.MAC6(p.Eth.SrcMAC), cliIP, printable(name, 64)) // tftpguess.go
	}
}

// add counts the file name and the client of a request.
func (inc *tftpIncident) add(name string, client netip.Addr) {
	if len(inc.clients) < 4096 {
		inc.clients[client] = struct{}{}
	}
	for _, f := range inc.files {
		if f == name {
			return
		}
	}
	inc.nFiles++
	if len(inc.files) < tftpFilesKept {
		inc.files = append(inc.files, name)
	}
}

// event is the held event with the files and clients counted, Low and
// with the PXE offers in its evidence when DHCP named the server for
// network boot.
func (inc *tftpIncident) event(*Engine) inventory.Event {
	if inc.dropped {
		return inventory.Event{}
	}
	ev := inc.ev
	op := "read"
	if inc.write {
		op = "write"
	}
	ev.Evidence = append([]inventory.Evidence{{Source: "traffic", Detail: fmt.Sprintf("TFTP %s requests for %s (%s) from %s: TFTP (RFC 1350) has no authentication, no encryption",
		op, plural(inc.nFiles, "file"), quoteList(inc.files, inc.nFiles), plural(len(inc.clients), "client"))}}, ev.Evidence[1:]...)
	ev.Summary = fmt.Sprintf("tftp on %s (server, port %d): %s %s by %s", inc.srv, tftpPort, plural(inc.nFiles, "file"), op, plural(len(inc.clients), "client"))
	if len(inc.clients) > 1 {
		ev.TargetMAC, ev.TargetIP = nil, netip.Addr{} // no one client: the count is in the summary
	}
	if o, ok := inc.e.pxe[inc.server]; ok && !inc.write && o.file == "" && !o.proxy || inc.provisioning() {
		ev.Severity = inventory.SeverityLow
		ev.Evidence = append(ev.Evidence, inc.provisioningEvidence(o))
	} else if ok && !inc.write {
		ev.Severity = inventory.SeverityLow
		what := fmt.Sprintf("DHCP offers from %s name %s as the boot server with boot file %q", o.dhcp, inc.server, o.file)
		if o.proxy {
			what = fmt.Sprintf("PXE proxyDHCP offers from %s (no address handed out) name %s as a boot server", o.dhcp, inc.server)
		}
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "dhcp", Detail: what + " (PXE network boot, RFC 4578): PXE needs TFTP; keep it on a boot or provisioning VLAN and the server read-only"})
	}
	return ev
}

// quoteList is names quoted, with how many more there were of n.
func quoteList(names []string, n int) string {
	q := make([]string, len(names))
	for i, s := range names {
		q[i] = fmt.Sprintf("%q", s)
	}
	if n > len(names) {
		q = append(q, fmt.Sprintf("%d more", n-len(names)))
	}
	return strings.Join(q, ", ")
}

// flushTFTPHeld reports the held TFTP incidents due at now (all when all
// is set) and returns when the next is due (0: none).
func (e *Engine) flushTFTPHeld(now int64, all bool) (next int64) {
	e.dropUnansweredTFTP(now, all) // tftpanswer.go
	for _, inc := range e.tftpHeld {
		if inc.guess != nil && !inc.dropped && (all || now >= inc.due) {
			e.tftpGuessing(inc) // tftpguess.go
		}
	}
	return flushHeld(e, &e.tftpHeld, now, all) // arphold.go
}

// notePXE notes the boot server and file a DHCP offer or ack from the DHCP
// server dhcp names in its BOOTP payload b: the server in option 66 when it
// is an address, else siaddr (RFC 2131 2: the next server to use in
// bootstrap); the file in option 67, else the file field.
func (e *Engine) notePXE(b []byte, dhcp netip.Addr) {
	d, ok := capture.ParseDHCP(b)
	if !ok || len(b) < 236 {
		return
	}
	server := netip.AddrFrom4([4]byte(b[20:24]))
	if v := d.Option(66); len(v) > 0 {
		if a, err := netip.ParseAddr(string(bytes.TrimRight(v, "\x00"))); err == nil {
			server = a
		}
	}
	file := d.Option(67)
	if len(file) == 0 {
		file = b[108:236]
	}
	if i := bytes.IndexByte(file, 0); i >= 0 {
		file = file[:i]
	}
	if len(file) == 0 && pxeClass(&d) && d.YourIP.IsUnspecified() {
		e.noteProxyBoot(&d, dhcp) // pxeproxy.go: a proxyDHCP's boot servers
		return
	}
	if len(file) == 0 {
		phoneTFTP(e, &d, dhcp) // tftpprov.go: option 150 or 66 with no boot file names an IP phones' TFTP server
		return
	}
	if server.IsValid() {
		e.notePXEServer(server, pxeOffer{dhcp: dhcp, file: printable(file, 64)}) // pxeproxy.go
	}
}
