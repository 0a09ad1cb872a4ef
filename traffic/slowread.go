package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// A slow-read denial of service (slowhttptest -X, sockstress's zero
// window) asks a server for something large and then reads it as slowly as
// TCP allows: each connection advertises a zero receive window and keeps
// it shut, so the server holds its answer, a worker and a buffer per
// connection and probes the window again and again (RFC 9293 3.8.6.1).
// Each probe is answered with the same zero window: a connection that
// advertises a zero window slowReadAcks times is held shut while the
// server has data queued. slowReadConns such connections of one client to
// one server and port within slowReadWindow are one slow_http incident
// (review 36a P4: 300 connections, six zero windows each, silent). A phone
// on bad Wi-Fi or a stalled download holds one or two; a server's own zero
// window to an uploading client counts toward a key with the client's
// changing port, so never adds up.
const (
	slowReadAcks    = 2
	slowReadConns   = 20
	slowReadWindow  = 2 * time.Minute
	slowReadGather  = 10 * time.Second // an incident is reported this long after it crossed the threshold, or at slowHTTPHigh connections
	slowReadTracked = 256              // client and server pairs tracked (beyond: TrackersDropped)
	slowReadPorts   = 1024             // connections remembered per pair
)

type slowReadKey struct {
	client, server netip.Addr
	port           uint16
}

// slowRead is one client's zero-window connections to one server port.
type slowRead struct {
	first, last int64 // the first held connection counted, the last zero window (nanos)
	over        int64 // when held crossed slowReadConns (0: not yet)
	client      mac
	server      mac
	conns       map[uint16]uint8 // client port: zero windows advertised (up to slowReadAcks)
	held        int              // connections held shut since first
	reported    bool
}

// zeroWindow reads a TCP segment advertising a zero window from src.
func (e *Engine) zeroWindow(p *capture.Packet, src mac) {
	t := &p.TCP
	if t.RST || t.SYN || t.FIN || !t.ACK || len(t.Payload) != 0 || e.isSelf(src) || !unicast(src) {
		return
	}
	now := e.nanosOf(p.Time)
	k := slowReadKey{p.SrcIP(), p.DstIP(), uint16(t.DstPort)}
	sr := e.sread[k]
	if sr == nil {
		if e.sread == nil {
			e.sread = map[slowReadKey]*slowRead{}
		}
		if len(e.sread) >= slowReadTracked {
			e.counters.TrackersDropped++
			return
		}
		sr = &slowRead{client: src, server: capture.MAC6(p.Eth.DstMAC), conns: map[uint16]uint8{}}
		e.sread[k] = sr
	}
	sr.last = now
	cport := uint16(t.SrcPort)
	n, ok := sr.conns[cport]
	if !ok && len(sr.conns) >= slowReadPorts || n >= slowReadAcks {
		return
	}
	sr.conns[cport] = n + 1
	if n+1 < slowReadAcks || sr.reported {
		return
	}
	if sr.over == 0 && (sr.held == 0 || time.Duration(now-sr.first) > slowReadWindow) {
		sr.first, sr.held = now, 0
	}
	sr.held++
	if sr.over == 0 && sr.held >= slowReadConns {
		sr.over = now
	}
	if sr.over != 0 && (sr.held >= slowHTTPHigh || time.Duration(now-sr.over) >= slowReadGather) {
		e.slowReadReport(k, sr)
	}
}

// flushSlowRead reports the incidents gathered for slowReadGather (all of
// them when all is set: the end of a replay) and forgets the pairs without
// a zero window for slowHTTPKeep. It runs every tick.
func (e *Engine) flushSlowRead(now int64, all bool) {
	var due []slowReadKey
	for k, sr := range e.sread {
		switch {
		case sr.over != 0 && !sr.reported && (all || time.Duration(now-sr.over) >= slowReadGather):
			due = append(due, k)
		case time.Duration(now-sr.last) > slowHTTPKeep:
			delete(e.sread, k)
		}
	}
	// In the order they began, not the map's: a replay prints the same events.
	for i := 1; i < len(due); i++ {
		for j := i; j > 0 && e.sread[due[j]].first < e.sread[due[j-1]].first; j-- {
			due[j], due[j-1] = due[j-1], due[j]
		}
	}
	for _, k := range due {
		e.slowReadReport(k, e.sread[k])
	}
}

// slowReadReport raises sr, a client's connections held shut to one server.
func (e *Engine) slowReadReport(k slowReadKey, sr *slowRead) {
	sr.reported = true
	at, src := e.timeAt(sr.last), sr.client
	qk := quietKey{inventory.EventSlowHTTP, src, mac{}, fmt.Sprintf("%s>%s:%d", k.client, k.server, k.port)}
	if e.quieted(qk, at) {
		return
	}
	sev := inventory.SeverityMedium
	if sr.held >= slowHTTPHigh {
		sev = inventory.SeverityHigh
	}
	span := time.Duration(sr.last - sr.first)
	e.reportKey(qk, inventory.Event{
		Time: at, Type: inventory.EventSlowHTTP, Severity: sev,
		MAC: macOf(src), IP: k.client, TargetMAC: macOf(sr.server), TargetIP: k.server,
		Summary: fmt.Sprintf("%s holds %d connections to %s port %d shut with a zero receive window while the server has data queued (slow read, slowhttptest -X): a slow-read denial of service",
			describe(src, k.client), sr.held, k.server, k.port),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d connections advertised a zero window %d times or more within %s (the server probing the window, RFC 9293 3.8.6.1); %d connections with a zero window in all",
				sr.held, slowReadAcks, roundDur(span), len(sr.conns))},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d connections of one client to one server and port held shut within %s, high at %d; a client on a bad link holds one or two; each keeps a server worker and its buffer busy", slowReadConns, slowReadWindow, slowHTTPHigh)},
		},
	})
}
