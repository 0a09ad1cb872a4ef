package traffic

import (
	"net/netip"
	"time"
)

// The ARP and neighbour tables (e.arp, e.nd) hold one binding per address
// heard, 2×MaxHosts each: a LAN has at most a few addresses per host (an
// IPv4 address, a link-local and a global or two IPv6 addresses, the rest
// for hosts beyond the cap of hosts). A flood of forged bindings (arpspoof
// or flood_advertise6 under random addresses) would fill them for good and
// leave no room for a device joining later, so a full table gives up an
// eighth of itself at once (one pass over the map per bindingsFreed new
// addresses, not one per frame): first the bindings whose owner has been
// silent past ConflictWindow, whose next claim would be a move, not a
// conflict, so that forgetting them changes no verdict; then, while the
// flood keeps them all fresh, any in the map's order, which Go randomises,
// so a flood cannot choose what it pushes out. The gateway's bindings
// (its address, its MAC, the configured IPv6 routers) are never given up:
// a flood must not clear the way for its own gateway_changed to go unseen.
const bindingsFreed = 8 // a full table frees 1/bindingsFreed of itself

// bind records a first binding of ip to m at t in tbl, making room in a
// full table first; if none can be made (a small table of the gateway's
// bindings only) the address is counted as untracked.
func (e *Engine) bind(tbl map[netip.Addr]*binding, ip netip.Addr, m mac, t time.Time) {
	if len(tbl) >= 2*e.cfg.MaxHosts && !e.evictBindings(tbl, t) {
		e.counters.HostsUntracked++
		return
	}
	tbl[ip] = &binding{mac: m, last: t, since: t, claimed: t}
	e.arpFront.noteBound(ip)
}

// evictBindings frees an eighth of the full table tbl (see bindingsFreed)
// and reports whether it freed any.
func (e *Engine) evictBindings(tbl map[netip.Addr]*binding, t time.Time) bool {
	want := max(1, len(tbl)/bindingsFreed)
	gw, gwKnown := e.gatewayMAC()
	freed := 0
	for pass := range 2 {
		for ip, b := range tbl {
			if freed >= want {
				break
			}
			if e.isGateway(ip) || gwKnown && b.mac == gw || e.isIPv6Router(b.mac) || pass == 0 && !e.bindingStale(b, t) {
				continue
			}
			delete(tbl, ip)
			e.arpFront.noteBound(ip) // bind bumps it after, too: not left to that
			freed++
		}
	}
	e.counters.BindingsEvicted += uint64(freed)
	return freed > 0
}

// bindingStale reports whether b's owner has been silent, in ARP or
// neighbour discovery and in any frame, for longer than ConflictWindow.
func (e *Engine) bindingStale(b *binding, t time.Time) bool {
	last := b.last
	if h := e.hosts[macKey(b.mac)]; h != nil && e.laterThan(h.last, last) {
		last = e.timeAt(h.last)
	}
	return since(t, last) > e.cfg.ConflictWindow
}
