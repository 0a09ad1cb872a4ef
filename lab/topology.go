package lab

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// The lab's wiring. All devices sit on one software bridge, but a .lan file
// may say where each device is plugged in (its uplink: a switch, router or
// AP and a port number). The lab then makes the SNMP agents of those network
// devices report that wiring, as real ones would: LLDP neighbours between
// network devices (LLDP-MIB lldpRemTable) and every MAC behind each port in
// the bridge forwarding table (BRIDGE-MIB dot1dTpFdbTable). The recording's
// own neighbour and forwarding rows, which describe the network it was
// recorded on, are dropped from the copy the agent serves; the rest of the
// recording (identity, interfaces, health, a router's ARP table) is served
// as recorded.

// Tables the wiring replaces in a recording (OID prefixes, trailing dot).
var wiringTables = []string{
	"1.3.6.1.2.1.17.1.1.",       // dot1dBaseBridgeAddress: the lab's MAC, not the recorded one
	"1.0.8802.1.1.2.1.3.7.",     // lldpLocPortTable
	"1.0.8802.1.1.2.1.4.",       // lldpRemTable, lldpRemManAddrTable
	"1.3.6.1.2.1.17.1.4.",       // dot1dBasePortTable
	"1.3.6.1.2.1.17.4.3.",       // dot1dTpFdbTable
	"1.3.6.1.2.1.17.7.1.2.2.",   // dot1qTpFdbTable
	"1.3.6.1.4.1.9.9.23.1.2.1.", // CISCO-CDP-MIB cdpCacheTable
}

const (
	ifDescr = "1.3.6.1.2.1.2.2.1.2."
	ifType  = "1.3.6.1.2.1.2.2.1.3."
	ifName  = "1.3.6.1.2.1.31.1.1.1.1."
)

// wired reports whether any device of the LAN names an uplink.
func (l *LAN) wired() bool {
	return slices.ContainsFunc(l.Devices, func(d Device) bool { return d.Uplink != "" })
}

// checkWiring makes sure every uplink names a device of the LAN and that
// the wiring is a tree (no device is its own ancestor).
func (l *LAN) checkWiring() error {
	byName := map[string]*Device{}
	for i := range l.Devices {
		byName[l.Devices[i].Name] = &l.Devices[i]
	}
	for _, d := range l.Devices {
		if d.Uplink == "" {
			continue
		}
		if byName[d.Uplink] == nil {
			return fmt.Errorf("lab: %s's uplink %s is no device of the lan", d.Name, d.Uplink)
		}
		seen := map[string]bool{d.Name: true}
		for p := byName[d.Uplink]; p != nil; p = byName[p.Uplink] {
			if seen[p.Name] {
				return fmt.Errorf("lab: the uplinks of %s make a loop through %s", d.Name, p.Name)
			}
			seen[p.Name] = true
		}
	}
	return nil
}

// snmprecLine is one line of a recording: OID|TAG|VALUE.
type snmprecLine struct {
	oid, rest string
}

// withWiring returns the recording rec of network device d (a router,
// firewall, switch or AP) with its wiring tables replaced by what the LAN
// says is plugged into d and where d itself is plugged in. Any other
// device, or one the wiring does not touch, gets rec unchanged.
func withWiring(rec []byte, lan *LAN, d Device) ([]byte, error) {
	byName := map[string]Device{}
	children := map[string][]Device{}
	for _, o := range lan.Devices {
		byName[o.Name] = o
	}
	for _, o := range lan.Devices {
		if _, ok := byName[o.Uplink]; ok {
			children[o.Uplink] = append(children[o.Uplink], o)
		}
	}
	parent, hasParent := byName[d.Uplink]
	if !networkRole(d.Role) || (len(children[d.Name]) == 0 && !hasParent) {
		// Hosts keep their recordings: a UPS card's or NAS's own bridge
		// table names the network it was recorded on, not a lab port.
		return rec, nil
	}
	lines, ifTypes, names := readRecording(rec)
	ports := recordedPorts(ifTypes)
	// Switches and APs are bridges and list the MACs behind each port;
	// routers and firewalls only speak LLDP (their recorded bridge tables
	// go: they would name the recorded network).
	bridge := d.Role == "switch" || d.Role == "ap"
	fdb := map[string]int{} // MAC as six decimal arcs → ifIndex
	var nbrs []neighbour
	for _, c := range children[d.Name] {
		i, err := portIfIndex(ports, d, c.UplinkPort)
		if err != nil {
			return nil, err
		}
		for _, o := range subtree(byName, children, c.Name) {
			if bridge {
				fdb[macArcs(o)] = i
			}
		}
		if networkRole(c.Role) {
			// The child's end of the cable: its last port (access switches
			// are uplinked on their last ports), named as the child would.
			nbrs = append(nbrs, neighbour{i, c, "uplink"})
		}
	}
	if hasParent {
		// d's uplink: its last port.
		up := len(ports)
		if up == 0 {
			up = 1
		}
		i, err := portIfIndex(ports, d, up)
		if err != nil {
			return nil, err
		}
		// The uplink's own forwarding entries (every MAC not behind d) are
		// left out: they add nothing to where a device is plugged in, and
		// when a poll of the switch above fails they would make the uplink
		// look like every host's access port.
		if networkRole(parent.Role) {
			nbrs = append(nbrs, neighbour{i, parent, "port " + strconv.Itoa(d.UplinkPort)})
		}
	}
	if bridge {
		lines = append(lines, snmprecLine{"1.3.6.1.2.1.17.1.1.0", "4x|" + hex.EncodeToString(d.MAC)})
	}
	lines = appendBridgeLines(lines, fdb)
	lines = appendLLDPLines(lines, nbrs, names)
	slices.SortFunc(lines, func(a, b snmprecLine) int { return compareOIDs(a.oid, b.oid) })
	lines = slices.CompactFunc(lines, func(a, b snmprecLine) bool { return a.oid == b.oid })
	var out bytes.Buffer
	for _, l := range lines {
		out.WriteString(l.oid + "|" + l.rest + "\n")
	}
	return out.Bytes(), nil
}

// neighbour is an LLDP neighbour of a network device in the lab's wiring:
// the local port it is behind, the device and the remote port's name.
type neighbour struct {
	ifIndex    int
	dev        Device
	remotePort string
}

// readRecording splits a recording into its lines, without the wiring
// tables, and reads its interfaces: ifType by ifIndex (INTEGER values
// only) and a name by ifIndex (ifName, else ifDescr).
func readRecording(rec []byte) (lines []snmprecLine, ifTypes map[int]int, names map[int]string) {
	ifTypes, names = map[int]int{}, map[int]string{}
	for l := range bytes.Lines(rec) {
		s := strings.TrimRight(string(l), "\r\n")
		oid, rest, ok := strings.Cut(s, "|")
		if !ok {
			continue
		}
		if slices.ContainsFunc(wiringTables, func(p string) bool { return strings.HasPrefix(oid, p) }) {
			continue
		}
		lines = append(lines, snmprecLine{oid, rest})
		for _, col := range []string{ifType, ifName, ifDescr} {
			idx, ok := strings.CutPrefix(oid, col)
			if !ok {
				continue
			}
			i, err := strconv.Atoi(idx)
			if err != nil {
				continue
			}
			if col == ifType {
				tag, val, _ := strings.Cut(rest, "|")
				if t, err := strconv.Atoi(val); err == nil && tag == "2" {
					ifTypes[i] = t
				}
			} else if v := snmprecText(rest); v != "" && (col == ifName || names[i] == "") {
				names[i] = v
			}
		}
	}
	return lines, ifTypes, names
}

// recordedPorts returns the device's ports: its Ethernet interfaces in
// ifIndex order, else any interface, else none (a recording without an
// ifTable: plain port numbers, see portIfIndex).
func recordedPorts(ifTypes map[int]int) []int {
	var ports []int
	for i, t := range ifTypes {
		// ethernetCsmacd(6), iso88023Csmacd(7), fastEther(62), fastEtherFX(69),
		// gigabitEthernet(117) (IANAifType-MIB).
		if t == 6 || t == 7 || t == 62 || t == 69 || t == 117 {
			ports = append(ports, i)
		}
	}
	if len(ports) == 0 {
		for i := range ifTypes {
			ports = append(ports, i)
		}
	}
	slices.Sort(ports)
	return ports
}

// portIfIndex returns the ifIndex of dev's port number n (from 1) among
// ports, or n itself when the recording has no ports.
func portIfIndex(ports []int, dev Device, n int) (int, error) {
	if len(ports) == 0 {
		return n, nil
	}
	if n < 1 || n > len(ports) {
		return 0, fmt.Errorf("lab: %s has %d ports, the lan uses port %d", dev.Name, len(ports), n)
	}
	return ports[n-1], nil
}

// subtree returns what is behind a port: the device name plugged into it
// and all of its subtree.
func subtree(byName map[string]Device, children map[string][]Device, name string) []Device {
	out := []Device{byName[name]}
	for _, c := range children[name] {
		out = append(out, subtree(byName, children, c.Name)...)
	}
	return out
}

// appendBridgeLines appends the forwarding table fdb (MAC as six decimal
// arcs → ifIndex) and its bridge ports to lines.
func appendBridgeLines(lines []snmprecLine, fdb map[string]int) []snmprecLine {
	bridgePorts := map[int]bool{}
	for mac, i := range fdb {
		bridgePorts[i] = true
		lines = append(lines,
			snmprecLine{"1.3.6.1.2.1.17.4.3.1.1." + mac, "4x|" + hex.EncodeToString(arcsMAC(mac))},
			snmprecLine{"1.3.6.1.2.1.17.4.3.1.2." + mac, "2|" + strconv.Itoa(i)},
			snmprecLine{"1.3.6.1.2.1.17.4.3.1.3." + mac, "2|3"}) // learned(3)
	}
	for i := range bridgePorts {
		// Bridge port numbers are the ifIndexes themselves.
		lines = append(lines, snmprecLine{"1.3.6.1.2.1.17.1.4.1.2." + strconv.Itoa(i), "2|" + strconv.Itoa(i)})
	}
	return lines
}

// appendLLDPLines appends the LLDP remote table rows of nbrs, and the
// local port rows of the ports they are behind (named from names), to
// lines.
func appendLLDPLines(lines []snmprecLine, nbrs []neighbour, names map[int]string) []snmprecLine {
	portName := func(i int) string { return cmp.Or(names[i], "port "+strconv.Itoa(i)) }
	for n, nb := range nbrs {
		// lldpRemEntry index: timeMark 0, local port (its ifIndex), remote index.
		idx := "0." + strconv.Itoa(nb.ifIndex) + "." + strconv.Itoa(n+1)
		col := func(c int) string { return "1.0.8802.1.1.2.1.4.1.1." + strconv.Itoa(c) + "." + idx }
		lines = append(lines,
			snmprecLine{col(4), "2|4"}, // chassis id subtype macAddress(4)
			snmprecLine{col(5), "4x|" + hex.EncodeToString(nb.dev.MAC)},
			snmprecLine{col(6), "2|7"}, // port id subtype local(7)
			snmprecLine{col(7), "4|" + nb.remotePort},
			snmprecLine{col(8), "4|" + nb.remotePort},
			snmprecLine{col(9), "4|" + nb.dev.Name},
			snmprecLine{"1.0.8802.1.1.2.1.3.7.1.2." + strconv.Itoa(nb.ifIndex), "2|5"}, // lldpLocPortIdSubtype interfaceName(5)
			snmprecLine{"1.0.8802.1.1.2.1.3.7.1.3." + strconv.Itoa(nb.ifIndex), "4|" + portName(nb.ifIndex)},
			snmprecLine{"1.0.8802.1.1.2.1.3.7.1.4." + strconv.Itoa(nb.ifIndex), "4|" + portName(nb.ifIndex)},
		)
	}
	return lines
}

// networkRole reports whether a device of this role speaks LLDP to its
// neighbours in the lab's wiring.
func networkRole(role string) bool {
	switch role {
	case "router", "firewall", "switch", "ap":
		return true
	}
	return false
}

// macArcs writes d's MAC as a table index: six decimal arcs.
func macArcs(d Device) string {
	var b strings.Builder
	for i, x := range d.MAC {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(int(x)))
	}
	return b.String()
}

func arcsMAC(arcs string) []byte {
	var out []byte
	for a := range strings.SplitSeq(arcs, ".") {
		n, _ := strconv.Atoi(a)
		out = append(out, byte(n))
	}
	return out
}

// snmprecText is a recorded string value: "4|text" or "4x|hex".
func snmprecText(rest string) string {
	tag, val, _ := strings.Cut(rest, "|")
	switch tag {
	case "4":
		return val
	case "4x":
		if b, err := hex.DecodeString(val); err == nil && isPrintable(b) {
			return string(b)
		}
	}
	return ""
}

func isPrintable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return len(b) > 0
}

// compareOIDs orders numeric OIDs arc by arc, as an agent walks them.
func compareOIDs(a, b string) int {
	for a != "" || b != "" {
		var x, y string
		x, a, _ = strings.Cut(a, ".")
		y, b, _ = strings.Cut(b, ".")
		if x == "" || y == "" {
			return cmp.Compare(len(x), len(y)) // the shorter OID (a prefix) first
		}
		xi, errx := strconv.ParseUint(x, 10, 64)
		yi, erry := strconv.ParseUint(y, 10, 64)
		if errx != nil || erry != nil {
			if c := cmp.Compare(x, y); c != 0 {
				return c
			}
			continue
		}
		if c := cmp.Compare(xi, yi); c != 0 {
			return c
		}
	}
	return 0
}
