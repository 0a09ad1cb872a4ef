package traffic

import (
	"bytes"
	"fmt"
	"net/netip"
	"time"

	"tend/capture"
	"tend/inventory"
)

// Rogue proxyDHCP, a boot hijack: a proxyDHCP answer (pxeproxy.go) steers
// no traffic, but it names the boot server and file a PXE client loads and
// runs, so a second proxy that names its own while the LAN's boot service
// answers boots the client into the attacker's image (scapy or dnsmasq
// --dhcp-range=...,proxy on the attacker's box; pxe-pdhcp). A PXE client
// takes the first usable answer among those to its DISCOVER (PXE 2.1
// 2.2.1: it collects OFFERs for a few seconds, proxies included). Raised as
// rogue_dhcp High against the newcomer when, within pxeRivalWithin, one
// client is told two different boot services: by two proxies, the newer
// first heard after the other served a boot without it, or more than
// pxeRivalWithin after the other was first heard (two proxies heard from
// the first boot on are a redundant pair of WDS or SCCM points), or
// by a proxy and the DHCP server that hands it its address and a boot
// file from another boot server (the LAN's DHCP server already names the
// boot service; the proxy is the newcomer however early it came; the same
// server with another file is WDS beside DHCP options 66/67, a
// misconfiguration, not a hijack). Two proxies naming the same boot server
// and file are one service.
const (
	pxeRivalWithin = 30 * time.Second // a client's DISCOVER retries: 4, 8, 16 s (PXE 2.1 2.2.1)
	pxeBootsMax    = 8                // recent boot answers remembered
	pxeProxiesMax  = 8                // proxies remembered, with when first heard
)

// pxeBoot is one answer naming a boot service to a client.
type pxeBoot struct {
	client [6]byte
	src    mac
	server netip.Addr // the answering DHCP server or proxy
	boot   netip.Addr // the boot server it names
	file   string
	at     int64 // nanos
	proxy  bool
	first  int64     // when the proxy was first heard (nanos); 0 for a DHCP server
	late   bool      // the proxy is a newcomer (pxeProxy.late)
	_      [0]func() // never compared: no generated equality (1.3 KB of binary)
}

// pxeProxy is a proxy heard and when it was first.
type pxeProxy struct {
	addr  netip.Addr
	first int64
	late  bool // first heard after another proxy had served a boot without it
}

// pxeRivals is the recent boot answers and the proxies heard so far.
type pxeRivals struct {
	recent  [pxeBootsMax]pxeBoot
	next    int
	proxies []pxeProxy
}

// bootService reads the boot service a DHCP answer b names: option 43's
// first PXE boot server, else option 66 or siaddr; the boot file (option
// 67, else the file field). ok is false when it names no boot file and
// no PXE boot server.
func bootService(b []byte, d *capture.DHCP) (boot netip.Addr, file string, ok bool) {
	if len(b) < 236 {
		return boot, "", false
	}
	f := d.Option(67)
	if len(f) == 0 {
		f = b[108:236]
	}
	if i := bytes.IndexByte(f, 0); i >= 0 {
		f = f[:i]
	}
	boot = pxeBootServers(d.Option(43))[0]
	if !boot.IsValid() {
		boot = netip.AddrFrom4([4]byte(b[20:24]))
		if v := d.Option(66); len(v) > 0 {
			if a, err := netip.ParseAddr(string(bytes.TrimRight(v, "\x00"))); err == nil {
				boot = a
			}
		}
		if len(f) == 0 {
			return boot, "", false
		}
	}
	return boot, printable(f, 64), true
}

// bootAnswer judges a DHCP answer m from src (server) that names a boot
// service: a proxy's (proxy set), or a DHCP server's with a boot file.
func (e *Engine) bootAnswer(p *capture.Packet, src mac, server netip.Addr, m *DHCPMessage, proxy bool) {
	d, ok := capture.ParseDHCP(p.UDP.Payload)
	if !ok {
		return
	}
	boot, file, ok := bootService(p.UDP.Payload, &d)
	if !ok {
		if !proxy {
			return
		}
		boot = server // a proxy naming no boot server is asked on port 4011 itself
	}
	if e.pxeRivals == nil {
		e.pxeRivals = &pxeRivals{}
	}
	r := e.pxeRivals
	a := pxeBoot{client: m.ClientHW, src: src, server: server, boot: boot, file: file, at: e.pktNS, proxy: proxy}
	if proxy {
		known := false
		for _, x := range r.proxies {
			if x.addr == server {
				a.first, a.late, known = x.first, x.late, true
			}
		}
		if !known {
			// A full table (forged server IDs fill it) does not blind the
			// rule: the newcomer is judged late, and not recorded.
			a.first, a.late = e.pktNS, len(r.proxies) >= pxeProxiesMax
			for _, x := range r.proxies {
				a.late = a.late || e.pktNS-x.first > int64(pxeRivalWithin)
			}
			for _, o := range r.recent {
				a.late = a.late || o.proxy && o.at != 0 && o.client != a.client
			}
			if len(r.proxies) < pxeProxiesMax {
				r.proxies = append(r.proxies, pxeProxy{server, e.pktNS, a.late})
			}
		}
	}
	for i := range r.recent {
		o := &r.recent[i]
		if o.at == 0 || o.client != a.client || o.server == a.server || o.src == a.src || e.pktNS-o.at > int64(pxeRivalWithin) ||
			o.boot == a.boot && (o.file == a.file || !o.proxy || !a.proxy) || !o.proxy && !a.proxy {
			continue
		}
		rogue, other := &a, o // the proxy first heard later, or the proxy beside the DHCP server
		if !a.proxy || o.proxy && o.first > a.first {
			rogue, other = o, &a
		}
		if other.proxy && !rogue.late {
			continue // heard together from the first boot on: a redundant pair (two WDS points), not a newcomer
		}
		e.reportBootRival(p.Time, rogue, other)
	}
	r.recent[r.next] = a
	r.next = (r.next + 1) % len(r.recent)
}

// reportBootRival raises rogue_dhcp against the proxy rogue, which named
// another boot service than other to the same client.
func (e *Engine) reportBootRival(t time.Time, rogue, other *pxeBoot) {
	what := "a PXE proxyDHCP heard earlier"
	if !other.proxy {
		what = "the DHCP server that gave it its address"
	}
	e.report(inventory.Event{
		Time: t, Type: inventory.EventRogueDHCP, Severity: inventory.SeverityHigh,
		MAC: macOf(rogue.src), IP: rogue.server, TargetMAC: macOf(mac(rogue.client)),
		Summary: fmt.Sprintf("rogue PXE boot service: %s tells %s to boot %q from %s, where %s names %q from %s: a boot hijack",
			describe(rogue.src, rogue.server), macString(mac(rogue.client)), rogue.file, rogue.boot, describe(other.src, other.server), other.file, other.boot),
		Evidence: []inventory.Evidence{
			{Source: "dhcp", Detail: fmt.Sprintf("proxyDHCP answer (yiaddr 0.0.0.0, option 60 PXEClient) from %s at %s: boot server %s, file %q", rogue.server, t.UTC().Format(time.RFC3339Nano), rogue.boot, rogue.file)},
			{Source: "dhcp", Detail: fmt.Sprintf("%s (%s) named boot server %s, file %q to the same client within %s; a PXE client boots whichever answer it takes, and runs what it loads (PXE 2.1 2.2.1)", what, other.server, other.boot, other.file, pxeRivalWithin)},
		},
	}, rogue.src, mac{})
}
