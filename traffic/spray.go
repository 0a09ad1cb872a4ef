package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"tend/inventory"
)

// Password spraying (netexec/crackmapexec `smb <range> -u users -p
// passwords`, hydra or a script walking device web UIs) is one client
// trying a few accounts on each of many servers: each server sees fewer
// failures than brute.go's per-server count (review 42 P1: 70 SMB
// STATUS_LOGON_FAILUREs to 7 hosts, 10 each, the same 5 accounts; 48 HTTP
// basic-auth 401s to 3 device UIs, 16 each). The failures the per-client
// trackers prove (brute.go: a failed login's answer; kerberos.go:
// PREAUTH_FAILED) are also summed per client and service over servers:
// bruteFailures or more within bruteFailWindow on sprayServers servers or
// more is one incident, High as one server's guessing is (culprit the
// client; the servers, their counts and the accounts named listed), and
// the per-server incidents of that client inside it are folded into it.
// Quiet: a user mistyping on a few shares or a domain logon (one to three
// failures), a user's mapped drives retrying a stale password at logon
// (one or two a drive), a monitoring tool polling a few device UIs with an
// expired password (one every ten seconds or slower each: under 20 a
// minute over three). SSH sessions ended in the authentication phase are
// no proven failures (an agent offering keys ends so too): not counted.
const (
	sprayServers  = 3  // servers with failures that make a spray
	sprayKept     = 8  // servers listed per incident (the rest counted)
	sprayAccounts = 6  // account names listed per incident
	sprayTrackers = 32 // clients (and services) followed at once
)

// sprayTracker is one client's failed logins to one service over servers.
type sprayTracker struct {
	_         [0]func() // not comparable: no equality function generated
	client    netip.Addr
	clientMAC mac
	proto     string
	guessRun
	total, more      int // failures; servers beyond the list
	moreSeen         uint64
	servers          [sprayKept]sprayServer
	n                int
	accts            [sprayAccounts]uint64
	names            [sprayAccounts]string
	nacct, moreAccts int
	moreAcctSeen     uint64 // a bit per account beyond the list (its hash's low bits): moreAccts counts accounts, not failures
}

// sprayServer is one server's failures within a spray.
type sprayServer struct {
	_    [0]func()
	addr netip.Addr
	mac  mac
	port uint16
	n    int
}

// sprayFail counts a failed login in proto of client k.client (MAC cmac)
// to k.server's port k.port (MAC smac), of the account hashed user
// (named name; 0 and nil: not shown). spreadFail, its caller, made e.spread.
//
//go:noinline
func (e *Engine) sprayFail(t time.Time, k bruteKey, cmac, smac mac, proto string, user uint64, name []byte) {
	if proto == "SSH" || proto == ldapRefused {
		return
	}
	var tr *sprayTracker
	for _, x := range e.spread.spray {
		if x.client == k.client && x.proto == proto {
			tr = x
		}
	}
	if tr != nil && tr.over.IsZero() && since(t, tr.start) > bruteFailWindow {
		*tr = sprayTracker{client: k.client, clientMAC: cmac, proto: proto, guessRun: guessRun{start: t}} // the window passed below the thresholds: count anew
	}
	if tr == nil {
		if len(e.spread.spray) >= sprayTrackers {
			e.counters.TrackersDropped++
			return
		}
		tr = &sprayTracker{client: k.client, clientMAC: cmac, proto: proto, guessRun: guessRun{start: t}}
		e.spread.spray = append(e.spread.spray, tr)
	}
	tr.last = t
	tr.total++
	tr.noteServer(k, smac)
	tr.noteAccount(user, name)
	if tr.over.IsZero() && tr.total >= bruteFailures && tr.n+tr.more >= sprayServers && e.sprayVaried(tr, proto) {
		tr.over = t
	}
}

// noteServer counts one failure against k's server.
func (tr *sprayTracker) noteServer(k bruteKey, smac mac) {
	for i := range tr.servers[:tr.n] {
		if s := &tr.servers[i]; s.addr == k.server {
			s.n++
			return
		}
	}
	if tr.n < sprayKept {
		tr.servers[tr.n] = sprayServer{addr: k.server, mac: smac, port: k.port, n: 1}
		tr.n++
		return
	}
	if bit := uint64(1) << (ipHash(k.server) & 63); tr.moreSeen&bit == 0 {
		tr.moreSeen |= bit
		tr.more++ // a server, once (two sharing a bit: counted once)
	}
}

// noteAccount notes the account hashed user (0: none shown).
func (tr *sprayTracker) noteAccount(user uint64, name []byte) {
	if user == 0 {
		return
	}
	for _, a := range tr.accts[:tr.nacct] {
		if a == user {
			return
		}
	}
	if tr.nacct < sprayAccounts {
		tr.accts[tr.nacct], tr.names[tr.nacct] = user, string(name)
		tr.nacct++
		return
	}
	if bit := uint64(1) << (user & 63); tr.moreAcctSeen&bit == 0 {
		tr.moreAcctSeen |= bit
		tr.moreAccts++
	}
}

// sprayFolds reports whether client's incident against srv is part of a
// spray over servers: it is then not raised alone.
//
//go:noinline
func (e *Engine) sprayFolds(cli, srv netip.Addr) bool {
	if e.spread == nil {
		return false
	}
	for _, tr := range e.spread.spray {
		if tr.client != cli || tr.over.IsZero() {
			continue
		}
		for _, s := range tr.servers[:tr.n] {
			if s.addr == srv {
				e.counters.EventsSuppressed++
				return true
			}
		}
	}
	return false
}

// reportSpray raises one password spray: the client is the culprit, the
// first server the target, every server listed with its failures.
func (e *Engine) reportSpray(tr *sprayTracker) {
	first := tr.servers[0]
	what := fmt.Appendf(nil, "%d failed logins on %d servers (port %d; failures each:", tr.total, tr.n+tr.more, first.port)
	for i, s := range tr.servers[:tr.n] {
		if i > 0 {
			what = append(what, ',')
		}
		what = fmt.Appendf(what, " %s %d", s.addr, s.n)
	}
	if tr.more > 0 {
		what = fmt.Appendf(what, "; %d more servers", tr.more)
	}
	what = append(what, ')')
	if n := tr.nacct + tr.moreAccts; tr.nacct > 0 {
		what = fmt.Appendf(what, ", %s named (%s)", plural(n, "account"), strings.Join(tr.names[:tr.nacct], ", "))
	}
	ev := inventory.Event{
		Time: tr.last, Type: inventory.EventBruteForce, Severity: inventory.SeverityHigh,
		IP: tr.client, TargetMAC: macOf(first.mac), TargetIP: first.addr,
		Evidence: []inventory.Evidence{{Source: "traffic", Detail: sprayThreshold}},
	}
	culprit, who := e.webCulprit(&ev, tr.clientMAC, tr.client) // webscan.go: beyond the router, no MAC
	ev.Summary = fmt.Sprintf("%s sprayed passwords against %s: %s in %s", who, tr.proto, what, roundDur(tr.last.Sub(tr.start)))
	e.report(ev, culprit, first.mac)
}

// sprayThreshold is a spray's threshold as its event says it.
const sprayThreshold = "threshold: 20 failed logins of one client to one service on 3 servers or more within 1m0s; a person mistypes two or three, a stale password retries once or twice a share"
