package traffic

import (
	"fmt"
	"net/netip"
	"strings"

	"tend/inventory"
)

// TFTP file-name guessing (review 36a tftp_theft: a host asked a switch's
// TFTP server for 12 configuration names, startup-config, running-config,
// router-confg, network-confg and so on; 2 were served, with an enable
// secret and a read-write community, and 10 answered "File not found").
// TFTP has no directory listing: a client that does not know the names
// guesses them, and the server's ERROR answers (RFC 1350 5: opcode 5) say
// which were wrong. A booting client reads what DHCP offered and then its
// loader's configuration search (PXELINUX tries pxelinux.cfg/01-<MAC>,
// its address in hex shortened digit by digit, then default: a dozen
// names, most missing), and an IP phone its own few files. So one
// client's reads of tftpGuessNames or more different names, three in four
// or more answered with an ERROR, the DHCP-offered boot file not among
// them and names in a directory (a loader's search) not counted, are
// guessing: brute_force on the client, beside the server's TFTP note.
const (
	tftpGuessNames = 8
	tftpGuessKept  = 32 // distinct names remembered per client
)

// tftpGuess is one client's reads from a server being gathered.
type tftpGuess struct {
	mac    mac
	names  []string
	errors int  // ERROR answers to its requests
	boot   bool // it read the DHCP-offered boot file
}

// guessRead notes a read request for name by the client cliIP (its MAC
// m) in inc, a server's read incident.
func (e *Engine) guessRead(inc *tftpIncident, m mac, cliIP netip.Addr, name string) {
	g := inc.guess[cliIP]
	if g == nil {
		if len(inc.guess) >= 64 {
			return
		}
		if inc.guess == nil {
			inc.guess = map[netip.Addr]*tftpGuess{}
		}
		g = &tftpGuess{mac: m}
		inc.guess[cliIP] = g
	}
	if o, ok := e.pxe[inc.server]; ok && o.file == name {
		g.boot = true
	}
	if strings.Contains(name, "/") || len(g.names) >= tftpGuessKept {
		return
	}
	for _, n := range g.names {
		if n == name {
			return
		}
	}
	g.names = append(g.names, name)
}

// guessError counts an ERROR answer from the server srv to the client cli
// in the held read incidents.
func (e *Engine) guessError(srv, cli netip.Addr) {
	for _, inc := range e.tftpHeld {
		if g := inc.guess[cli]; g != nil && inc.server == srv {
			g.errors++
		}
	}
}

// tftpGuessing raises brute_force for each client of inc, a server's read
// incident being reported, whose reads were guesses.
func (e *Engine) tftpGuessing(inc *tftpIncident) {
	for cli, g := range inc.guess {
		n := len(g.names)
		if g.boot || n < tftpGuessNames || 4*g.errors < 3*n {
			continue
		}
		ev := inventory.Event{
			Time: inc.ev.Time, Type: inventory.EventBruteForce, Severity: inventory.SeverityHigh,
			MAC: macOf(g.mac), IP: cli, TargetMAC: macOf(inc.srvMAC), TargetIP: inc.server,
			Summary: fmt.Sprintf("TFTP file-name guessing: %s asked %s for %d different files, %d refused: harvesting device configurations",
				describe(g.mac, cli), inc.srv, n, min(g.errors, n)),
			Evidence: []inventory.Evidence{
				{Source: "traffic", Detail: fmt.Sprintf("TFTP read requests for %s", quoteList(g.names[:min(n, 10)], n))},
				{Source: "traffic", Detail: fmt.Sprintf("%d ERROR answers (file not found, access violation): names guessed, TFTP lists no directory; any file it did get (a switch's or router's configuration) holds its secrets", g.errors)},
				{Source: "traffic", Detail: fmt.Sprintf("threshold: %d different names from one client, three in four refused, no DHCP-offered boot file", tftpGuessNames)},
			},
		}
		e.report(ev, g.mac, inc.srvMAC)
	}
}
