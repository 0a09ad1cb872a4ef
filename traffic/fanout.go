package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// An administration tool's fan-out (Ansible, pssh, clush, a for loop of
// ssh commands) resolves every host of its inventory with ARP and logs in
// to each, a few at a time: a sweep of live hosts to the wire, but every
// host probed then carries a whole session to the one service, the key
// exchange done and data both ways well beyond it (the command, a module
// copied over, its output). A discovery sweep (nmap, arp-scan, fping,
// masscan) opens no session; a guesser across hosts (hydra, medusa,
// ncrack) has its sessions end in the authentication phase, small
// segments only; a key or banner grab (ssh-keyscan) ends at the key
// exchange. So a held sweep of live hosts with no second round is Low, an
// admin fan-out, when nine in ten of its hosts (sweepAliveTenths) had a
// finished SSH session from the source in which each side sent
// fanOutBytes or more after the key exchange (encrypted: authentication,
// channel data), in fanOutSegs segments or more from the server, one of
// them over sshAuthMsgMax (a login that worked, sshshape.go). OpenSSH 9
// running uptime with an Ed25519 key sends 924 bytes and answers 936 in 9
// segments (review 33a s14a); a failed login's answers stay under
// sshAuthMsgMax, a key scan sends nothing encrypted. Only SSH sessions are
// followed to their end (sshshape.go): a WinRM fan-out stays a host sweep.
const (
	fanOutBytes   = 512
	fanOutSegs    = 4
	fanOutMemory  = 10 * time.Minute // a source's sessions are remembered so long after its last
	fanOutSources = 256              // sources remembered at once
	fanOutHosts   = 4096             // hosts a source's record keeps
)

// fanOut is one source's finished SSH sessions with data both ways.
type fanOut struct {
	port     uint16
	sessions int
	last     int64 // on the engine's clock
	hosts    map[netip.Addr]struct{}
}

// sshDataSession notes the end of c, an SSH connection k, when it carried
// data both ways past its key exchange: a session that did something.
func (e *Engine) sshDataSession(k sshConnKey, c *sshConn, at int64) {
	if !c.loggedIn() {
		return
	}
	f := e.fanOut[k.client]
	if f == nil {
		if len(e.fanOut) >= fanOutSources {
			return
		}
		if e.fanOut == nil {
			e.fanOut = make(map[netip.Addr]*fanOut)
		}
		f = &fanOut{port: k.sport, hosts: map[netip.Addr]struct{}{}}
		e.fanOut[k.client] = f
	}
	f.sessions++
	f.last = at
	if len(f.hosts) < fanOutHosts {
		f.hosts[k.server] = struct{}{}
	}
}

// loggedIn reports whether the SSH connection c logged in and ran
// something: a server segment past sshAuthMsgMax (a channel's output, no
// authentication answer) and fanOutBytes or more both ways after the key
// exchange, over fanOutSegs server segments.
func (c *sshConn) loggedIn() bool {
	return c.kex && !c.lost && c.big && c.segs >= fanOutSegs && c.sbytes >= fanOutBytes && c.cbytes >= fanOutBytes
}

// sshClientSegment counts the bytes a client sends in an SSH connection
// after the key exchange.
func (e *Engine) sshClientSegment(p *capture.Packet) {
	if c := e.ssh[sshConnKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.SrcPort), uint16(p.TCP.DstPort)}]; c != nil && c.kex {
		c.cbytes += len(p.TCP.Payload)
	}
}

// adminFanOut marks ev, tr's held sweep about to be raised, Low when its
// hosts were an admin fan-out's (see fanOut). hosts are the sweep's.
func (e *Engine) adminFanOut(tr *sweepTracker, ev *inventory.Event, hosts map[netip.Addr]struct{}) {
	f := e.fanOut[tr.srcIP]
	if f == nil || len(hosts) == 0 {
		return
	}
	n := 0
	for a := range hosts {
		if _, ok := f.hosts[a]; ok {
			n++
		}
	}
	if 10*n < sweepAliveTenths*len(hosts) {
		return
	}
	ev.Severity = inventory.SeverityLow
	ev.Summary = fmt.Sprintf("%s: admin fan-out: %s to port %d (SSH) on %s", describe(tr.heldSrc, tr.srcIP), plural(f.sessions, "session"), f.port, plural(len(f.hosts), "host"))
	ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
		"%d of the %d hosts swept had a finished SSH session from it (%d sessions to %s in all), each with %d bytes or more both ways after the key exchange: logins that ran something, no discovery, guessing or banner grab",
		n, len(hosts), f.sessions, plural(len(f.hosts), "host"), fanOutBytes)})
}

// forgetFanOut drops the sources whose last session ended fanOutMemory ago.
func (e *Engine) forgetFanOut(at int64) {
	for a, f := range e.fanOut {
		if time.Duration(at-f.last) > fanOutMemory {
			delete(e.fanOut, a)
		}
	}
}
