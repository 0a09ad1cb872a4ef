package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// An SNMP v1 or v2c write (SetRequest, PDU tag 0xa3, RFC 3416 4.2.5) sends
// the write community in clear, whatever it is, and the agent's Response
// with error-status noError (0) says the write was made: a device's
// configuration changed by anyone who read the community off the wire
// (or guessed "private"). Reads under a default community are reported
// medium elsewhere (insecure.go); an accepted write is high, naming the
// agent and the writer. The community is never kept nor printed. A write
// the agent refused (an error-status, or no answer to a wrong community)
// is not raised.

// snmpSetWait is how long a SetRequest waits for its answer.
const snmpSetWait = 5 * time.Second

// snmpSetPending is a SetRequest awaiting the agent's Response: the
// writer's address and port, the agent's, the request-id, when it was
// sent and in which version.
type snmpSetPending struct {
	_             [0]func() // not comparable: no equality function linked
	client, agent netip.Addr
	port          uint16
	v2c           bool
	id            int32
	at            int64
}

// snmpPDU reads an SNMP v1 or v2c message's PDU tag, request-id and
// error-status (RFC 3416 3: PDU ::= [n] SEQUENCE { request-id INTEGER,
// error-status INTEGER, error-index INTEGER, variable-bindings }).
func snmpPDU(p []byte) (tag byte, id, status int32, v2c, ok bool) {
	t, msg, _, ok := derElem(p)
	if !ok || t != 0x30 {
		return 0, 0, 0, false, false
	}
	t, ver, msg, ok := derElem(msg)
	if !ok || t != 0x02 || len(ver) != 1 || ver[0] > 1 {
		return 0, 0, 0, false, false
	}
	if t, _, msg, ok = derElem(msg); !ok || t != 0x04 { // the community
		return 0, 0, 0, false, false
	}
	tag, pdu, _, ok := derElem(msg)
	if !ok || tag&0xe0 != 0xa0 {
		return 0, 0, 0, false, false
	}
	if id, ok = derInt(pdu); !ok {
		return 0, 0, 0, false, false
	}
	_, _, pdu, _ = derElem(pdu)
	status, ok = derInt(pdu)
	return tag, id, status, ver[0] == 1, ok
}

// snmpSetRequest notes a SetRequest to an agent's port 161.
func (e *Engine) snmpSetRequest(p *capture.Packet) {
	tag, id, _, v2c, ok := snmpPDU(p.UDP.Payload)
	if !ok || tag != 0xa3 {
		return
	}
	i := e.nSnmpSets % len(e.snmpSets)
	e.snmpSets[i] = snmpSetPending{client: p.SrcIP(), agent: p.DstIP(), port: uint16(p.UDP.SrcPort), v2c: v2c, id: id, at: e.pktNS}
	e.nSnmpSets++
}

// snmpSetAnswer reads an agent's datagram from port 161 while SetRequests
// await their answer: a Response with noError to one is a write accepted.
func (e *Engine) snmpSetAnswer(p *capture.Packet, src, dst mac) {
	live := false
	for i := range e.snmpSets {
		s := &e.snmpSets[i]
		if s.at == 0 {
			continue
		}
		if e.pktNS-s.at > int64(snmpSetWait) {
			*s = snmpSetPending{}
			continue
		}
		live = true
	}
	if !live {
		e.nSnmpSets = 0
		return
	}
	tag, id, status, _, ok := snmpPDU(p.UDP.Payload)
	if !ok || tag != 0xa2 {
		return
	}
	for i := range e.snmpSets {
		s := &e.snmpSets[i]
		if s.at != 0 && s.id == id && s.port == uint16(p.UDP.DstPort) && s.agent == p.SrcIP() && s.client == p.DstIP() {
			if status == 0 {
				e.reportSNMPSet(p, *s, src, dst)
			}
			*s = snmpSetPending{}
			return
		}
	}
}

// reportSNMPSet raises the write s the agent (MAC agent) accepted from
// the writer (MAC writer).
func (e *Engine) reportSNMPSet(p *capture.Packet, s snmpSetPending, agent, writer mac) {
	v := "v1"
	if s.v2c {
		v = "v2c"
	}
	ev := inventory.Event{
		Time: p.Time, Type: inventory.EventInsecureProtocol, Severity: inventory.SeverityHigh,
		MAC: macOf(agent), IP: s.agent, TargetMAC: macOf(writer), TargetIP: s.client,
		Summary: fmt.Sprintf("SNMP%s write accepted by %s (agent, port 161) from %s at %s: its configuration changed over a community sent in clear",
			v, s.agent, s.client, p.Time.UTC().Format("2006-01-02T15:04:05.000Z")),
		Evidence: []inventory.Evidence{
			{Source: "protocol", Detail: "snmp-write"}, // findings' snmp_write_accepted, not the default community's
			{Source: "traffic", Detail: "a SetRequest answered with error-status noError (RFC 3416 4.2.5): the write was made; the write community crossed the LAN in clear (redacted)"},
		},
	}
	e.reportKey(quietKey{inventory.EventInsecureProtocol, agent, writer, "snmp-write"}, ev)
	// The write says all the community's medium event would: it is held
	// back for the pair (a read's raised before stays).
	e.reserve(newQuietKey(inventory.EventInsecureProtocol, agent, writer, s.client), p.Time)
}
