package snmp

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/gosnmp/gosnmp"

	"tend/inventory"
)

// PortEntry is one MAC address a switch learned on one of its ports
// (BRIDGE-MIB / Q-BRIDGE-MIB forwarding table). PortMACs is how many
// addresses that port carries: an access port carries one or a few, an
// uplink many, so the entry with the fewest is where a device hangs off.
type PortEntry struct {
	MAC      inventory.MAC
	Port     inventory.SwitchPort
	PortMACs int
}

// ARPEntry is one line of a router's ARP table (IP-MIB ipNetToMediaTable
// or ipNetToPhysicalTable): a device the router talks to, perhaps in a
// subnet the box cannot reach by ARP itself.
type ARPEntry struct {
	IP      netip.Addr
	MAC     inventory.MAC
	IfIndex int
}

// Tables topology reads.
const (
	dot1dBaseBridgeAddress = "1.3.6.1.2.1.17.1.1.0"
	dot1dBasePortIfIndex   = "1.3.6.1.2.1.17.1.4.1.2"
	dot1dTpFdbPort         = "1.3.6.1.2.1.17.4.3.1.2"
	dot1dTpFdbStatus       = "1.3.6.1.2.1.17.4.3.1.3"
	dot1qTpFdbPort         = "1.3.6.1.2.1.17.7.1.2.2.1.2"
	dot1qTpFdbStatus       = "1.3.6.1.2.1.17.7.1.2.2.1.3"
	vtpVlanState           = "1.3.6.1.4.1.9.9.46.1.3.1.1.2" // CISCO-VTP-MIB, index managementDomain.vlan
	lldpRemEntry           = "1.0.8802.1.1.2.1.4.1.1"
	lldpLocPortEntry       = "1.0.8802.1.1.2.1.3.7.1"
	lldpRemManAddrIfId     = "1.0.8802.1.1.2.1.4.2.1.4"
	cdpCacheEntry          = "1.3.6.1.4.1.9.9.23.1.2.1.1"
	ipNetToMediaEntry      = "1.3.6.1.2.1.4.22.1"
	ipNetToPhysicalEntry   = "1.3.6.1.2.1.4.35.1"

	fdbLearned = 3 // dot1dTpFdbStatus learned(3)
	// maxVLANContexts bounds the per-VLAN community contexts walked on
	// one Cisco switch.
	maxVLANContexts = 256
)

// fdb reads the forwarding table: the default context first (BRIDGE-MIB,
// then Q-BRIDGE-MIB), and on Cisco switches, whose BRIDGE-MIB shows one
// VLAN per context, every VLAN VTP knows as community@vlan (v3: context
// vlan-N). names maps ifIndex to interface names.
func (p *Poller) fdb(ctx context.Context, ip netip.Addr, cred credential, sysObjectID string, names map[int]string) ([]PortEntry, error) {
	entries, err := p.fdbContext(ctx, ip, cred, "", 0, names)
	if len(entries) > 0 || !underOID(sysObjectID, "1.3.6.1.4.1.9") || ctxDone(ctx) != nil {
		return countPorts(entries), err
	}
	rows, order, err := p.tableOn(ctx, ip, cred, "", []string{vtpVlanState})
	if err != nil {
		return nil, err
	}
	var firstErr error
	seen := 0
	for _, idx := range order {
		_, vs, _ := strings.Cut(idx, ".")
		vlan, err := strconv.Atoi(vs)
		if err != nil || vlan < 1 || vlan > 4094 || (vlan >= 1002 && vlan <= 1005) {
			continue // 1002-1005 are the FDDI and Token Ring defaults
		}
		if _, ok := pduInt(rows[idx][0]); !ok {
			continue
		}
		if seen++; seen > maxVLANContexts {
			break
		}
		sctx := strconv.Itoa(vlan)
		if cred.version == V3 {
			sctx = "vlan-" + sctx
		}
		e, err := p.fdbContext(ctx, ip, cred, sctx, vlan, names)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		entries = append(entries, e...)
		if ctxDone(ctx) != nil {
			break
		}
	}
	return countPorts(entries), firstErr
}

// fdbContext reads one context's bridge ports and forwarding entries.
func (p *Poller) fdbContext(ctx context.Context, ip netip.Addr, cred credential, sctx string, vlan int, names map[int]string) ([]PortEntry, error) {
	sess, err := p.open(ctx, ip, cred, sctx)
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	w := p.newWalker(ctx, sess, cred.version)
	baseRows, _, err := w.table([]string{dot1dBasePortIfIndex})
	if err != nil {
		return nil, err
	}
	ifIndexOf := map[int]int{}
	for idx, r := range baseRows {
		port, err1 := strconv.Atoi(idx)
		ifi, ok := pduInt(r[0])
		if err1 == nil && ok {
			ifIndexOf[port] = ifi
		}
	}
	var out []PortEntry
	add := func(mac inventory.MAC, port, v int) {
		ifi := ifIndexOf[port]
		name := names[ifi]
		if name == "" {
			name = "port " + strconv.Itoa(port)
		}
		out = append(out, PortEntry{MAC: mac, Port: inventory.SwitchPort{Port: name, IfIndex: ifi, VLAN: v}})
	}
	rows, order, err := w.table([]string{dot1dTpFdbPort, dot1dTpFdbStatus})
	if err != nil {
		return out, err
	}
	for _, idx := range order {
		mac := macFromIndex(idx)
		port, ok := pduInt(rows[idx][0])
		if st, known := pduInt(rows[idx][1]); known && st != fdbLearned {
			continue
		}
		if mac != nil && ok && port > 0 {
			add(mac, port, vlan)
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	rows, order, err = w.table([]string{dot1qTpFdbPort, dot1qTpFdbStatus})
	for _, idx := range order {
		fid, macIdx, _ := strings.Cut(idx, ".")
		mac := macFromIndex(macIdx)
		port, ok := pduInt(rows[idx][0])
		if st, known := pduInt(rows[idx][1]); known && st != fdbLearned {
			continue
		}
		v, _ := strconv.Atoi(fid)
		if mac != nil && ok && port > 0 {
			add(mac, port, v)
		}
	}
	return out, err
}

// countPorts fills PortMACs.
func countPorts(entries []PortEntry) []PortEntry {
	count := map[string]int{}
	for _, e := range entries {
		count[e.Port.Port]++
	}
	for i := range entries {
		entries[i].PortMACs = count[entries[i].Port.Port]
	}
	return entries
}

// macFromIndex reads a MAC written as six decimal arcs (a table index).
func macFromIndex(idx string) inventory.MAC {
	parts := strings.Split(idx, ".")
	if len(parts) != 6 {
		return nil
	}
	mac := make(inventory.MAC, 6)
	zero := true
	for i, s := range parts {
		n, err := strconv.ParseUint(s, 10, 8)
		if err != nil {
			return nil
		}
		mac[i] = byte(n)
		zero = zero && n == 0
	}
	if zero {
		return nil
	}
	return mac
}

// neighbors reads LLDP-MIB and CISCO-CDP-MIB neighbour tables.
func (p *Poller) neighbors(ctx context.Context, ip netip.Addr, cred credential, names map[int]string) ([]inventory.Neighbor, error) {
	sess, err := p.open(ctx, ip, cred, "")
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	w := p.newWalker(ctx, sess, cred.version)
	out, err := lldpNeighbors(w, names)
	cdp, err2 := cdpNeighbors(w, names, maxHealthRows-len(out))
	if err == nil {
		err = err2
	}
	return append(out, cdp...), err
}

// lldpNeighbors reads the LLDP-MIB remote systems table, with the local
// port names and the remotes' IPv4 management addresses.
func lldpNeighbors(w *walker, names map[int]string) ([]inventory.Neighbor, error) {
	rem, remOrder, err := w.table(prefixed(lldpRemEntry+".", 4, 5, 6, 7, 8, 9))
	if len(rem) == 0 {
		return nil, err
	}
	loc, _, _ := w.table(prefixed(lldpLocPortEntry+".", 2, 3, 4))
	mgmt := lldpManAddrs(w)
	var out []inventory.Neighbor
	for _, idx := range remOrder {
		a := strings.Split(idx, ".")
		if len(a) != 3 || len(out) >= maxHealthRows {
			continue
		}
		n := lldpNeighbor(rem[idx], mgmt[a[1]+"."+a[2]])
		if l := loc[a[1]]; l != nil {
			n.LocalPort = localPortName(l, a[1], names)
		}
		if n.LocalPort == "" {
			n.LocalPort = "port " + a[1]
		}
		if n.RemoteName == "" && n.RemoteMAC == nil && n.RemotePort == "" {
			continue
		}
		out = append(out, n)
	}
	return out, err
}

// lldpManAddrs maps localPort.remIndex to the remote's IPv4 management
// address, from the index of lldpRemManAddrTable.
func lldpManAddrs(w *walker) map[string]string {
	mgmt := map[string]string{}
	_ = w.walk(lldpRemManAddrIfId, func(v gosnmp.SnmpPDU) bool {
		idx := strings.TrimPrefix(strings.TrimPrefix(v.Name, "."), lldpRemManAddrIfId+".")
		a := strings.Split(idx, ".")
		// timeMark.localPort.remIndex.addrSubtype.len.addr…
		if len(a) == 9 && a[3] == "1" && a[4] == "4" {
			if addr, err := netip.ParseAddr(strings.Join(a[5:9], ".")); err == nil {
				mgmt[a[1]+"."+a[2]] = addr.String()
			}
		}
		return len(mgmt) < maxHealthRows
	})
	return mgmt
}

// lldpNeighbor is one lldpRemTable row (chassis id subtype, chassis id,
// port id subtype, port id, port description, system name) as a
// neighbour, without its local port.
func lldpNeighbor(r []gosnmp.SnmpPDU, remoteIP string) inventory.Neighbor {
	n := inventory.Neighbor{Protocol: "lldp", RemoteName: pduText(r[5]), RemoteIP: remoteIP}
	if st, _ := pduInt(r[0]); st == 4 { // chassis id is a macAddress(4)
		n.RemoteMAC = pduMAC(r[1])
	}
	if st, _ := pduInt(r[2]); st == 3 { // port id is a macAddress(3)
		if m := pduMAC(r[3]); m != nil {
			n.RemotePort = m.String()
		}
	} else {
		n.RemotePort = pduText(r[3])
	}
	if d := pduText(r[4]); n.RemotePort == "" && d != "" {
		n.RemotePort = d
	}
	return n
}

// cdpNeighbors reads CISCO-CDP-MIB's cache table, at most limit rows.
func cdpNeighbors(w *walker, names map[int]string, limit int) ([]inventory.Neighbor, error) {
	cdp, cdpOrder, err := w.table(prefixed(cdpCacheEntry+".", 3, 4, 6, 7))
	var out []inventory.Neighbor
	for _, idx := range cdpOrder {
		if len(out) >= limit {
			break
		}
		ifs, _, _ := strings.Cut(idx, ".")
		ifi, _ := strconv.Atoi(ifs)
		r := cdp[idx]
		n := inventory.Neighbor{Protocol: "cdp", LocalPort: names[ifi], RemoteName: pduText(r[2]), RemotePort: pduText(r[3])}
		if n.LocalPort == "" {
			n.LocalPort = "ifIndex " + ifs
		}
		if t, _ := pduInt(r[0]); t == 1 { // cdpCacheAddressType ip(1)
			if b, ok := r[1].Value.([]byte); ok && len(b) == 4 {
				n.RemoteIP = netip.AddrFrom4([4]byte(b)).String()
			}
		}
		if n.RemoteName != "" || n.RemotePort != "" {
			out = append(out, n)
		}
	}
	return out, err
}

// localPortName names a local LLDP port: its id when that is a name
// (interfaceAlias(1), interfaceName(5), local(7)), else its description,
// else the interface whose ifIndex is the port number (most agents number
// LLDP ports so), else the id as text or as a MAC.
func localPortName(l []gosnmp.SnmpPDU, num string, names map[int]string) string {
	st, _ := pduInt(l[0])
	id, desc := pduText(l[1]), pduText(l[2])
	if (st == 1 || st == 5 || st == 7) && printable(id) {
		return id
	}
	if desc != "" {
		return desc
	}
	if n, err := strconv.Atoi(num); err == nil && names[n] != "" {
		return names[n]
	}
	if m := pduMAC(l[1]); m != nil {
		return m.String()
	}
	if printable(id) {
		return id
	}
	return ""
}

// printable reports whether s is non-empty text without the replacement
// character cleanText puts where an agent sent binary.
func printable(s string) bool { return s != "" && !strings.ContainsRune(s, '\uFFFD') }

// arp reads the agent's ARP table: ipNetToPhysicalTable (RFC 4293), else
// the older ipNetToMediaTable (RFC 1213); invalid entries are skipped.
func (p *Poller) arp(ctx context.Context, ip netip.Addr, cred credential) ([]ARPEntry, error) {
	sess, err := p.open(ctx, ip, cred, "")
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	w := p.newWalker(ctx, sess, cred.version)
	var out []ARPEntry
	rows, order, err := w.table(prefixed(ipNetToPhysicalEntry+".", 4, 6))
	for _, idx := range order {
		a := strings.Split(idx, ".")
		// ifIndex.addressType.length.address…; IPv4 only (ARP).
		if len(a) != 7 || a[1] != "1" || a[2] != "4" {
			continue
		}
		if e, ok := arpEntry(a[0], strings.Join(a[3:], "."), rows[idx]); ok {
			out = append(out, e)
		}
	}
	if len(out) > 0 {
		return out, err
	}
	rows, order, err = w.table(prefixed(ipNetToMediaEntry+".", 2, 4))
	for _, idx := range order {
		a := strings.SplitN(idx, ".", 2)
		if len(a) != 2 {
			continue
		}
		if e, ok := arpEntry(a[0], a[1], rows[idx]); ok {
			out = append(out, e)
		}
	}
	return out, err
}

func arpEntry(ifs, addr string, r []gosnmp.SnmpPDU) (ARPEntry, bool) {
	ifi, err := strconv.Atoi(ifs)
	if err != nil {
		return ARPEntry{}, false
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil || !ip.Is4() {
		return ARPEntry{}, false
	}
	mac := pduMAC(r[0])
	if t, ok := pduInt(r[1]); mac == nil || (ok && t == 2) { // invalid(2)
		return ARPEntry{}, false
	}
	if mac[0]&1 == 1 || ip.IsMulticast() || ip.IsUnspecified() || ip.IsLoopback() {
		return ARPEntry{}, false
	}
	return ARPEntry{IP: ip, MAC: mac, IfIndex: ifi}, true
}

// Result is everything one poll of a device learned: the device itself
// (identity, health, neighbours), the MACs its forwarding table places on
// its ports, and its ARP table.
type Result struct {
	Device inventory.Observation
	Ports  []PortEntry
	ARP    []ARPEntry
}

// Poll is Identify followed by Details, all within Config.DeviceTimeout.
func (p *Poller) Poll(ctx context.Context, ip netip.Addr) (Result, error) {
	o, err := p.Identify(ctx, ip)
	if err != nil {
		return Result{}, err
	}
	return p.Details(ctx, o)
}

// Details reads health, neighbours, the forwarding table and the ARP
// table of the agent o (an observation Identify returned) with the
// credential that worked for it, within Config.DeviceTimeout, and returns
// o with Health, Neighbors and Evidence added. The reads are best effort:
// a table that fails is logged and left out. The error wraps ErrNoAgent
// when no credential is known to work for o.IP any more.
func (p *Poller) Details(ctx context.Context, o inventory.Observation) (Result, error) {
	ip, release, err := p.acquire(ctx, o.IP)
	if err != nil {
		return Result{}, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, p.cfg.DeviceTimeout)
	defer cancel()
	p.mu.Lock()
	cred, ok := p.working[ip]
	p.mu.Unlock()
	if !ok || o.SNMP == nil {
		return Result{}, fmt.Errorf("snmp: details of %s: %w (identify it first)", ip, ErrNoAgent)
	}
	res := Result{Device: o}
	res.Device.Evidence = slices.Clone(o.Evidence)
	debug := func(what string, err error) {
		if err != nil {
			p.log.Debug("snmp "+what+" read incomplete", "ip", ip, "err", err)
		}
	}
	h, err := p.health(ctx, ip, cred, o.Type, o.SNMP.SysObjectID)
	debug("health", err)
	names := map[int]string{}
	if h != nil {
		for _, in := range h.Interfaces {
			names[in.Index] = in.Name
		}
		if len(h.Interfaces)+len(h.Storage)+len(h.Supplies)+len(h.Disks)+len(h.Volumes) > 0 || h.Battery != nil {
			res.Device.Health = h
		}
	}
	res.Device.Neighbors, err = p.neighbors(ctx, ip, cred, names)
	debug("neighbour", err)
	res.Ports, err = p.fdb(ctx, ip, cred, o.SNMP.SysObjectID, names)
	debug("forwarding table", err)
	name := o.Hostname
	if name == "" {
		name = ip.String()
	}
	var bridge inventory.MAC
	if len(res.Ports) > 0 {
		if vars, err := p.get(ctx, ip, cred, []string{dot1dBaseBridgeAddress}); err == nil && len(vars) == 1 {
			bridge = pduMAC(vars[0])
		}
	}
	for i := range res.Ports {
		res.Ports[i].Port.SwitchName = name
		res.Ports[i].Port.Switch = bridge
	}
	res.ARP, err = p.arp(ctx, ip, cred)
	debug("arp", err)
	if len(res.Ports) > 0 {
		res.Device.Evidence = append(res.Device.Evidence, inventory.Evidence{Source: "BRIDGE-MIB",
			Detail: fmt.Sprintf("%d MAC addresses on %d ports", len(res.Ports), countDistinctPorts(res.Ports))})
	}
	return res, nil
}

func countDistinctPorts(es []PortEntry) int {
	seen := map[string]bool{}
	for _, e := range es {
		seen[e.Port.Port] = true
	}
	return len(seen)
}
