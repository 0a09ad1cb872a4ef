package traffic

import "tend/capture"

// A TFTP server is a host that answered a request (RFC 1350 4): from a
// port of its own (its transfer ID) to the request's source port, with
// DATA (opcode 3) for a read, ACK (4, block 0) for a write, ERROR (5), or
// OACK (6) when the request carried options (RFC 2347). A request no one
// answers (nmap -sU's probe for "r7tftp.txt" to every host it scans, a
// client retrying a dead server) names no server: a held TFTP incident
// without an answer is dropped when due, its quiet slot given back, once
// the server was heard after the request (a frame from its MAC: nmap's
// other probes' port unreachables, its own traffic) yet did not answer.
// A server never heard from after it may be on the far side of a one-way
// capture (a SPAN of one direction, asymmetric routing: nDPI's
// ndpi_tftp.pcap holds only the requests to 172.16.5.170): it is reported
// as before.

// noteTFTPAnswer marks answered the held TFTP incident of p's source, a
// UDP datagram with TFTP opcode op, when p goes to the port of a request
// to that source (tftpReqs, noteTFTP).
func (e *Engine) noteTFTPAnswer(p *capture.Packet, op byte) {
	if len(e.tftpHeld) == 0 || op < 3 || op > 6 || p.UDP.DstPort == tftpPort {
		return
	}
	srv, cli := p.SrcIP(), p.DstIP()
	if _, ok := e.tftpReqs[tftpKey(cli, uint16(p.UDP.DstPort), srv)]; !ok {
		return
	}
	for _, inc := range e.tftpHeld {
		if _, asked := inc.clients[cli]; inc.server == srv && asked {
			inc.answered = true
		}
	}
	if op == 5 {
		e.guessError(srv, cli) // tftpguess.go
	}
}

// dropUnansweredTFTP drops the held TFTP incidents due at now (all when
// all is set) that no answer marked, giving back their quiet slots: they
// raise nothing (event) when flushHeld takes them out.
func (e *Engine) dropUnansweredTFTP(now int64, all bool) {
	for _, inc := range e.tftpHeld {
		if !inc.answered && (all || now >= inc.due) && e.sentAfter(inc.srvMAC, inc.reqNS) {
			inc.dropped = true
			delete(e.quiet, inc.key)
			e.counters.Events--
		}
	}
}

// sentAfter reports whether m sent a frame after the frame time ns.
func (e *Engine) sentAfter(m mac, ns int64) bool {
	h := e.host(m, false)
	return h != nil && h.last > ns
}
