package traffic

import (
	"fmt"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// A sweep's hosts by its report. A sweep is decided at its SweepHosts-th
// host, and its event said that count: a tool using the kernel's sockets
// (svmap's SIP OPTIONS, nbtscan's NBSTAT queries) sends its datagram only
// to the hosts whose ARP the kernel resolved, each silent address being
// probed by its ARP requests alone, and "probed 24 hosts" was read of
// 254 probed (review 41 P2). The tracker goes on recording the round's
// hosts after the decision (sweepKeepHosts) while the event is held
// (sweepSvcGather), so the event says the hosts probed by its report,
// answered or not; its services line (sweepServicesOf) says the
// datagrams the answered ones received.

// sweepSummary is a sweep's summary: who probed n hosts within span, or,
// when its round went on to all hosts by its report, all of them, the
// first n within span.
func sweepSummary(who string, span time.Duration, n, all int) string {
	if all > n {
		return fmt.Sprintf("%s probed %d hosts (the first %d within %s)", who, all, n, span)
	}
	return fmt.Sprintf("%s probed %d hosts within %s", who, n, span)
}

// heldSummary is h's sweep summary with all hosts, its round begun at start.
func (e *Engine) heldSummary(h *heldSweep, start int64, n, all int) string {
	return sweepSummary(describe(h.src, h.ev.IP), roundDur(time.Duration(e.nanos(h.ev.Time)-start)), n, all)
}

// sweepHostsBy says in h's summary its round's hosts by now, when the
// round grew since the decision, and says so in its evidence.
func (e *Engine) sweepHostsBy(h *heldSweep) {
	tr := e.sweeps[macKey(h.src)]
	if tr == nil || h.n == 0 || tr.start != h.start || len(tr.hosts) <= h.n {
		return
	}
	n := len(tr.hosts)
	h.ev.Summary = e.heldSummary(h, h.start, h.n, n)
	h.ev.Evidence = append(h.ev.Evidence[:len(h.ev.Evidence):len(h.ev.Evidence)], inventory.Evidence{Source: "traffic", Detail: fmt.Sprintf(
		"hosts probed by this report: %d, answered or not (a silent address's ARP requests are its probes; the probes above are the first %d hosts')", n, h.n)})
}

// samePortProbe reports whether u, a UDP datagram from and to one port, is
// a sweep tool's request from the service's own port: svmap's SIP OPTIONS
// from 5060 (RFC 3261 11), nbtscan -r's node status query from 137 (RFC
// 1002 4.2.17: opcode 0, not a response, question type NBSTAT 0x21).
func samePortProbe(u *layers.UDP) bool {
	b := u.Payload
	switch u.DstPort {
	case 5060:
		return len(b) > 8 && string(b[:8]) == "OPTIONS "
	case 137:
		return len(b) >= 50 && b[2]&0xf8 == 0 && b[len(b)-4] == 0 && b[len(b)-3] == 0x21
	}
	return false
}
