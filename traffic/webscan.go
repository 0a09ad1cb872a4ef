package traffic

import (
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// A web content scan (nmap's http-enum, dirb, gobuster, nikto, the
// scanners looking for a NAS's, printer's or camera's admin panel) asks
// one server for thousands of paths it does not serve, one client against
// one server: the server answers nearly all of them 404 (or 403, 400).
// The handshakes are completed, so no port scan or SYN flood sees it
// (review 35a P8: http-enum, 2,208 requests in 5 s, all 404, raised
// nothing). A browser meets a few 404s (a favicon, a missing asset of a
// page); a crawler of an intranet site asks many distinct paths but is
// answered 200 mostly; a broken dashboard polls the same missing path. So
// webScanErrors client errors (4xx, but 401 and 407, password guessing's
// in brute.go) within webScanWindow, four in five of the answers, to
// requests for webScanPaths different paths or more are a content scan.
// A tracker is made at a client's first 4xx from a server (the requests
// before it are not read: no allocation for ordinary browsing), and
// reported webScanGather after its last error, or at webScanHold.
const (
	webScanWindow  = time.Minute
	webScanErrors  = 100
	webScanPaths   = 50
	webScanGather  = 30 * time.Second
	webScanHold    = 2 * time.Minute
	webScanTracked = 256 // trackers kept at most (a server's errors to many clients)
)

type webScanKey struct {
	client, server netip.Addr
	port           uint16
}

type webScan struct {
	start, last, over time.Time
	client, server    mac
	errors, ok        int
	paths             map[uint64]struct{} // hashes of the paths asked, up to webScanPaths
	// A web attack (webattack.go): errors counts the requests carrying
	// attack shapes, paths the different ones, ok the kinds' bits;
	// sample is the first.
	sample string
}

// webCulprit sets ev's culprit MAC: the client's, none when the client is
// beyond the router (the frames carry the gateway's MAC, the next hop,
// named in the evidence). It returns the culprit and how to name the client.
func (e *Engine) webCulprit(ev *inventory.Event, culprit mac, client netip.Addr) (mac, string) {
	if e.isGatewayMAC(culprit) && !local(client) {
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "traffic",
			Detail: "from outside the LAN, through the gateway " + macString(culprit)})
		culprit = mac{}
	}
	ev.MAC = macOf(culprit)
	if culprit == (mac{}) {
		return culprit, client.String()
	}
	return culprit, describe(culprit, client)
}

// webSegment reads an HTTP response's status from a server, or, while
// some client is tracked, a request's path from a client. b is a TCP
// payload of 12 bytes or more; src and dst are the frame's MACs.
func (e *Engine) webSegment(p *capture.Packet, src, dst mac) {
	b := p.TCP.Payload
	if string(b[:7]) == "HTTP/1." && b[8] == ' ' {
		if len(e.webLogins) > 0 {
			e.webLoginAnswer(p, b, src, dst) // weblogin.go
		}
		e.webStatus(p, b[9:12], src, dst)
		return
	}
	if len(e.webScans) == 0 {
		return
	}
	var path []byte
	for _, m := range [...]string{"GET ", "HEAD ", "POST "} {
		if len(b) > len(m) && string(b[:len(m)]) == m {
			path = b[len(m):]
			break
		}
	}
	if path == nil {
		return
	}
	ws := e.webScans[webScanKey{p.SrcIP(), p.DstIP(), uint16(p.TCP.DstPort)}]
	if ws == nil || len(ws.paths) >= webScanPaths {
		return
	}
	for i, c := range path {
		if c == ' ' || c == '?' || c == '\r' {
			path = path[:i]
			break
		}
	}
	ws.paths[fnv64(path)] = struct{}{}
}

// webStatus counts a server's answer (the 3-digit status code) to a client.
func (e *Engine) webStatus(p *capture.Packet, code []byte, server, client mac) {
	clientErr := code[0] == '4' && string(code) != "401" && string(code) != "407"
	if !clientErr && len(e.webScans) == 0 {
		return // ordinary browsing: nothing tracked, no key made
	}
	k := webScanKey{p.DstIP(), p.SrcIP(), uint16(p.TCP.SrcPort)}
	ws := e.webScans[k]
	if ws == nil {
		if !clientErr || !unicast(client) || e.isSelf(client) {
			return
		}
		if e.webScans == nil {
			e.webScans = map[webScanKey]*webScan{}
		}
		if len(e.webScans) >= webScanTracked {
			e.counters.TrackersDropped++
			return
		}
		ws = &webScan{start: p.Time, client: client, server: server, paths: map[uint64]struct{}{}}
		e.webScans[k] = ws
	}
	if ws.over.IsZero() && since(p.Time, ws.start) > webScanWindow {
		*ws = webScan{start: p.Time, client: client, server: server, paths: ws.paths}
		clear(ws.paths)
	}
	if !clientErr {
		ws.ok++
		return
	}
	ws.errors++
	ws.last = p.Time
	if ws.over.IsZero() && ws.errors >= webScanErrors && ws.errors >= 4*ws.ok && len(ws.paths) >= webScanPaths {
		ws.over = p.Time
	}
}

// flushWebScans reports the content scans quiet for webScanGather or held
// for webScanHold (all of them when all is set) and forgets the trackers
// whose window passed below the thresholds; the web attacks
// (webattack.go) likewise.
func (e *Engine) flushWebScans(now time.Time, all bool) {
	e.expireWebLogins(now, all)        // weblogin.go
	e.flushSlowRead(e.nanos(now), all) // slowread.go
	flushWeb(e.webScans, webScanWindow, now, all, e.reportWebScan)
	flushWeb(e.webAttacks, webAttackWindow, now, all, e.reportWebAttack)
}

// flushWeb reports m's incidents due and forgets its trackers whose window
// passed below the thresholds.
func flushWeb(m map[webScanKey]*webScan, window time.Duration, now time.Time, all bool, report func(webScanKey, *webScan)) {
	var due []webScanKey
	for k, ws := range m {
		switch {
		case ws.over.IsZero():
			if all || since(now, ws.start) > window {
				delete(m, k)
			}
		case all || since(now, ws.last) > webScanGather || since(now, ws.over) > webScanHold:
			due = append(due, k)
		}
	}
	// In the order they began, not the map's: a replay prints the same events.
	for i := 1; i < len(due); i++ {
		for j := i; j > 0 && m[due[j]].start.Before(m[due[j-1]].start); j-- {
			due[j], due[j-1] = due[j-1], due[j]
		}
	}
	for _, k := range due {
		report(k, m[k])
		delete(m, k)
	}
}

// reportWebScan raises one content scan: the client is the culprit, the
// server and its port the target.
func (e *Engine) reportWebScan(k webScanKey, ws *webScan) {
	span := ws.last.Sub(ws.start)
	ev := inventory.Event{
		Time: ws.last, Type: inventory.EventPortScan, Severity: inventory.SeverityMedium,
		IP: k.client, TargetMAC: macOf(ws.server), TargetIP: k.server,
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("%d HTTP answers 4xx (not found, forbidden, bad request) and %d others from %s port %d to %s, to requests for %d+ different paths, between %s and %s (%s)",
				ws.errors, ws.ok, k.server, k.port, k.client, len(ws.paths), ws.start.UTC().Format(time.RFC3339), ws.last.UTC().Format(time.RFC3339), roundDur(span))},
			{Source: "traffic", Detail: fmt.Sprintf("threshold: %d client errors within %s, four in five answers, for %d different paths; a browser meets a few 404s, a crawler is answered 200", webScanErrors, webScanWindow, webScanPaths)},
		},
	}
	culprit, who := e.webCulprit(&ev, ws.client, k.client)
	ev.Summary = fmt.Sprintf("%s scanned the web content of %s port %d: %d requests answered not found or refused in %s (a web content scan, looking for admin pages)", who, k.server, k.port, ws.errors, roundDur(span))
	e.report(ev, culprit, ws.server)
}
