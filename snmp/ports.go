package snmp

// PlacePorts puts each known device (seen, by MAC text) on the switch port
// that carries the fewest MACs among those that learned it: an access port,
// not an uplink. A switch is never placed on its own port. Ties go to the
// first entry, so the result does not depend on map order.
func PlacePorts(ports []PortEntry, seen map[string]bool) []PortEntry {
	best := map[string]int{}
	var order []string
	for i, e := range ports {
		k := e.MAC.String()
		if !seen[k] || k == e.Port.Switch.String() {
			continue
		}
		j, ok := best[k]
		if !ok {
			order = append(order, k)
		}
		if !ok || e.PortMACs < ports[j].PortMACs {
			best[k] = i
		}
	}
	out := make([]PortEntry, len(order))
	for i, k := range order {
		out[i] = ports[best[k]]
	}
	return out
}
