package traffic

import (
	"github.com/google/gopacket/layers"

	"tend/capture"
)

// tcpSegment is bruteSegment for the segments it may read: the rest
// (dullTCP while bruteIdle) return at once. Most segments are such (TLS
// records: 120k of 212k on the office mix), and bruteSegment's dozen
// tests and calls were 150 instructions for each (cachegrind).
// TestBruteDull holds the two to bruteSegment's readers.
func (e *Engine) tcpSegment(p *capture.Packet, src, dst mac) {
	if t := &p.TCP; !dullTCP(t) || !e.bruteIdle(t) {
		e.bruteSegment(p, src, dst)
	}
}

// dullTCP reports whether t is a data segment (no SYN, FIN or RST, 4
// bytes or more) whose first byte is none a reader in bruteSegment looks
// for (bruteCue), between ports none of them reads (brutePorts).
func dullTCP(t *layers.TCP) bool {
	b, sp, dp := t.Payload, uint16(t.SrcPort), uint16(t.DstPort)
	return !t.SYN && !t.FIN && !t.RST && len(b) >= 4 && bruteCue[b[0]>>6]&(1<<(b[0]&63)) == 0 &&
		brutePorts[sp>>6]&(1<<(sp&63))|brutePorts[dp>>6]&(1<<(dp&63)) == 0
}

// bruteIdle reports, for a segment dullTCP passes, whether bruteSegment
// reads nothing of it: its last byte ends no prompt ('>' or ' ',
// shellCue), no web scan or SSH session is tracked, and no service was
// learned on its source port off its own (svcbanner.go).
func (e *Engine) bruteIdle(t *layers.TCP) bool {
	c, port := t.Payload[len(t.Payload)-1], uint16(t.SrcPort)
	return c != '>' && c != ' ' && len(e.webScans) == 0 && len(e.ssh) == 0 && (e.svc == nil || e.svc.ports[port/64]&(1<<(port%64)) == 0)
}

// bruteCue is the set of first bytes some reader in bruteSegment looks
// for, one bit each: HTTP's 'H' (webSegment, loginFailure), the greetings
// learnService reads ('S', 0xff, '2', '+', '*'), shellCue's banner and
// output starts, DCE/RPC's version 5 (smbWatch's rpcBind).
var bruteCue = [4]uint64{
	1<<5 | 1<<'(' | 1<<'*' | 1<<'+' | 1<<'2',
	1<<('H'-64) | 1<<('M'-64) | 1<<('S'-64) | 1<<('W'-64) | 1<<('b'-64) | 1<<('r'-64) | 1<<('s'-64) | 1<<('u'-64),
	0,
	1 << (0xff - 192),
}

// brutePorts is the set of ports bruteSegment's readers key on at either
// end: DNS (zone transfers), LDAP and the ports standardLogin names (the
// session services and the rest loginFailure reads). TestBruteDull checks
// the set against them.
var brutePorts = func() (s [65536 / 64]uint64) {
	for _, p := range []uint16{dnsPort, 389, 3268, 21, 23, 25, 587, 110, 143, 3306, 5432, 1883, 22, 2222, 3389, 445, 139, 5900, 5901} {
		s[p>>6] |= 1 << (p & 63)
	}
	return s
}()
