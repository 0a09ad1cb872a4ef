package webui

import (
	"cmp"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"tend/inventory"
)

// Network map geometry, in SVG user units.
const (
	mapNodeW, mapNodeH = 150, 46
	mapColW, mapRowH   = 170, 96 // columns side by side; a level below its parent
	mapLeafH           = 56      // boxes stacked in a column under their parent
	mapPad             = 20
	// mapColLeaves boxes at most in one column under a parent; more make
	// further columns beside it.
	mapColLeaves = 6
	// mapPortHosts: a switch port with this many hosts or more (behind an
	// unmanaged switch or an AP) is one box that counts them.
	mapPortHosts = 2
	// mapSwitchHosts: a switch with more host boxes than this draws all its
	// hosts as one box.
	mapSwitchHosts = 12
	// mapPortLabels: up to this many links, port names are written at the
	// child end of each link between network devices; above, they show on
	// hover only. A host's box names its port itself.
	mapPortLabels = 60
)

// mapView is the network map: infrastructure, the hosts behind its ports
// and the subnets routers know of, with the links between them learned
// from LLDP/CDP neighbours, switch forwarding tables and ARP tables, laid
// out as a tree from the gateway down. As JSON: nodes and links.
type mapView struct {
	layout `json:"-"`
	Nodes  []mapNode `json:"nodes"`
	Links  []mapLink `json:"links"`
	Width  int       `json:"-"`
	Height int       `json:"-"`
	// PortLabels writes port names on the links (few links); otherwise
	// they are each link's tooltip only.
	PortLabels bool `json:"-"`
	// Unplaced counts the devices with no known switch port or router:
	// listed on the devices page, not drawn.
	Unplaced int `json:"unplaced"`
	// Zoom is the drawing's scale in percent; 0 fits it to the page. The
	// card scrolls (pans) when the drawing is larger. No script: the UI
	// has none (its CSP forbids it).
	Zoom                  int       `json:"-"`
	ZoomWidth, ZoomHeight int       `json:"-"`
	Zooms                 []mapZoom `json:"-"`
}

// mapZoom is one zoom link above the map.
type mapZoom struct {
	Label, URL string
	Current    bool
}

// mapZoomSteps are the offered scales in percent (0 = fit to the page).
var mapZoomSteps = []int{0, 50, 100, 150, 200}

// setZoom applies the ?zoom= query (an offered step, else fit).
func (v *mapView) setZoom(q string) {
	z, _ := strconv.Atoi(q)
	if !slices.Contains(mapZoomSteps, z) {
		z = 0
	}
	v.Zoom, v.ZoomWidth, v.ZoomHeight = z, v.Width*z/100, v.Height*z/100
	for _, s := range mapZoomSteps {
		l := mapZoom{Label: "fit", URL: "/map", Current: s == z}
		if s != 0 {
			l.Label, l.URL = strconv.Itoa(s)+" %", "/map?zoom="+strconv.Itoa(s)
		}
		v.Zooms = append(v.Zooms, l)
	}
}

// mapNode is one box on the map: a device, the hosts sharing one switch
// port, or a subnet a router's ARP table knows.
type mapNode struct {
	Key       string `json:"key"` // MAC, "name:<remote name>" for a neighbour tend has not seen, "port:…" or "subnet:…" for groups
	Name      string `json:"name"`
	Type      string `json:"type"`             // a device type, "group" or "subnet"
	Detail    string `json:"detail,omitempty"` // the second line: the port it hangs on, or what the group holds
	Endpoints int    `json:"endpoints"`        // devices behind it that are not drawn, or a group's size
	// Members names a group's devices (its tooltip), at most mapMembers.
	Members []string   `json:"members,omitempty"`
	IP      netip.Addr `json:"ip,omitzero"`
	URL     string     `json:"-"`
	X, Y    int        `json:"-"` // top left
	Level   int        `json:"level"`
	host    bool       // a host or group: stacked in a column under its parent
}

// mapMembers bounds a group's tooltip.
const mapMembers = 20

// mapLink joins two nodes; Label names the ports.
type mapLink struct {
	A      string `json:"a"`
	B      string `json:"b"`
	Label  string `json:"label,omitempty"`
	Source string `json:"source"` // lldp, cdp, fdb or arp
	// Points is the drawn path (parent to child, right angles); LX, LY
	// where the port label goes (the child end).
	Points string `json:"-"`
	LX, LY int    `json:"-"`
	// Show writes the label on the drawing (few links, and not a host's:
	// its box names the port).
	Show bool `json:"-"`
}

// onMap says which device types are drawn as boxes of their own.
func onMap(t inventory.DeviceType) bool {
	switch t {
	case inventory.TypeRouter, inventory.TypeFirewall, inventory.TypeSwitch, inventory.TypeAP:
		return true
	}
	return false
}

// arpReporter is the address of the router whose ARP table is the only
// source of d (survey marks such devices with "ARP table" evidence), or
// the zero Addr.
func arpReporter(d *inventory.Device) netip.Addr {
	for _, e := range d.Evidence {
		if e.Source != "ARP table" {
			continue
		}
		f := strings.Fields(e.Detail) // "<type> <ip>"
		if len(f) == 2 {
			if a, err := netip.ParseAddr(f[1]); err == nil {
				return a
			}
		}
	}
	return netip.Addr{}
}

// buildMap computes the map of devs.
func buildMap(devs []inventory.Device) mapView {
	nodes := map[string]*mapNode{}
	byName := map[string]string{}
	byIP := map[netip.Addr]string{}
	add := func(d *inventory.Device) {
		key := d.MAC.String()
		if nodes[key] == nil {
			nodes[key] = &mapNode{Key: key, Name: d.Name(), Type: string(cmp.Or(d.Type, inventory.TypeUnknown)), URL: deviceURL(d.MAC), IP: d.IP}
		}
		byName[strings.ToLower(d.Name())] = key
		if d.SNMP != nil && d.SNMP.SysName != "" {
			byName[strings.ToLower(d.SNMP.SysName)] = key
		}
		if d.IP.IsValid() {
			byIP[d.IP] = key
		}
	}
	// A device only a router's ARP table names is counted in its subnet's
	// box, whatever its type.
	arpOnly := func(d *inventory.Device) bool { return d.SNMP == nil && arpReporter(d).IsValid() }
	for i := range devs {
		if onMap(devs[i].Type) && !arpOnly(&devs[i]) {
			add(&devs[i])
		}
	}
	// Devices others name as their switch or neighbour join the map too.
	known := map[string]*inventory.Device{}
	for i := range devs {
		known[devs[i].MAC.String()] = &devs[i]
	}
	var links []mapLink
	seen := map[string]bool{}
	link := func(a, b, label, src string) {
		if a == b {
			return
		}
		k := min(a, b) + "|" + max(a, b)
		if seen[k] {
			return
		}
		seen[k] = true
		links = append(links, mapLink{A: a, B: b, Label: label, Source: src})
	}
	for i := range devs {
		d := &devs[i]
		me := d.MAC.String()
		for _, n := range d.Neighbors {
			if nodes[me] == nil {
				add(d)
			}
			other := ""
			switch {
			case !n.RemoteMAC.IsZero() && known[n.RemoteMAC.String()] != nil:
				other = n.RemoteMAC.String()
				add(known[other])
			case n.RemoteName != "" && byName[strings.ToLower(n.RemoteName)] != "":
				other = byName[strings.ToLower(n.RemoteName)]
			case n.RemoteName != "":
				other = "name:" + n.RemoteName
				if nodes[other] == nil {
					nodes[other] = &mapNode{Key: other, Name: n.RemoteName, Type: "unknown"}
				}
			default:
				continue
			}
			link(me, other, strings.Trim(n.LocalPort+" – "+n.RemotePort, " –"), n.Protocol)
		}
	}
	// Hosts behind switch ports: one box each, or one per port they share.
	type portKey struct{ sw, port string }
	perPort := map[portKey][]*inventory.Device{}
	var ports []portKey
	perSubnet := map[[2]string][]*inventory.Device{} // reporter key, subnet
	var subnets [][2]string
	unplaced := 0
	for i := range devs {
		d := &devs[i]
		if d.Port != nil && !d.Port.Switch.IsZero() {
			sw := d.Port.Switch.String()
			if nodes[sw] == nil {
				if k := known[sw]; k != nil {
					add(k)
				} else {
					nodes[sw] = &mapNode{Key: sw, Name: cmp.Or(d.Port.SwitchName, sw), Type: "switch"}
				}
			}
			if nodes[d.MAC.String()] != nil {
				link(sw, d.MAC.String(), d.Port.Port, "fdb")
				continue
			}
			k := portKey{sw, d.Port.Port}
			if perPort[k] == nil {
				ports = append(ports, k)
			}
			perPort[k] = append(perPort[k], d)
			continue
		}
		if nodes[d.MAC.String()] != nil {
			continue
		}
		if r := arpReporter(d); r.IsValid() && byIP[r] != "" && d.IP.Is4() {
			p, _ := d.IP.Prefix(24)
			k := [2]string{byIP[r], p.String()}
			if perSubnet[k] == nil {
				subnets = append(subnets, k)
			}
			perSubnet[k] = append(perSubnet[k], d)
			continue
		}
		unplaced++
	}
	hostsOn := map[string]int{}
	for _, k := range ports {
		if len(perPort[k]) >= mapPortHosts {
			hostsOn[k.sw]++
		} else {
			hostsOn[k.sw] += len(perPort[k])
		}
	}
	folded := map[string]*mapNode{} // switch → its one box of all hosts
	foldedPorts := map[string]int{}
	for _, k := range ports {
		hs := perPort[k]
		switch {
		case hostsOn[k.sw] > mapSwitchHosts:
			g := folded[k.sw]
			if g == nil {
				g = &mapNode{Key: "hosts:" + k.sw, Type: "group", host: true}
				folded[k.sw] = g
				nodes[g.Key] = g
				link(k.sw, g.Key, "", "fdb")
			}
			g.Endpoints += len(hs)
			g.Name = endpointsLabel(g.Endpoints)
			foldedPorts[k.sw]++
			g.Detail = "on " + strconv.Itoa(foldedPorts[k.sw]) + " ports"
			for _, h := range hs {
				if len(g.Members) < mapMembers {
					g.Members = append(g.Members, h.Name())
				}
			}
		case len(hs) >= mapPortHosts:
			g := &mapNode{Key: "port:" + k.sw + "|" + k.port, Name: endpointsLabel(len(hs)), Type: "group", Detail: k.port, Endpoints: len(hs), host: true}
			for _, h := range hs {
				if len(g.Members) < mapMembers {
					g.Members = append(g.Members, h.Name())
				}
			}
			nodes[g.Key] = g
			link(k.sw, g.Key, k.port, "fdb")
		default:
			for _, h := range hs {
				n := &mapNode{Key: h.MAC.String(), Name: h.Name(), Type: string(cmp.Or(h.Type, inventory.TypeUnknown)), Detail: string(cmp.Or(h.Type, inventory.TypeUnknown)) + " · " + k.port, URL: deviceURL(h.MAC), host: true}
				nodes[n.Key] = n
				link(k.sw, n.Key, k.port, "fdb")
			}
		}
	}
	for _, k := range subnets {
		hs := perSubnet[k]
		g := &mapNode{Key: "subnet:" + k[1], Name: k[1], Type: "subnet", Detail: endpointsLabel(len(hs)) + " (ARP table)", Endpoints: len(hs), host: true}
		for _, h := range hs {
			if len(g.Members) < mapMembers {
				g.Members = append(g.Members, h.Name())
			}
		}
		if nodes[g.Key] != nil { // a subnet two routers know: once, under the first
			continue
		}
		nodes[g.Key] = g
		link(k[0], g.Key, "", "arp")
	}
	v := layoutMap(nodes, links)
	v.Unplaced = unplaced
	return v
}

// layoutMap draws the links as a tree from a root standing for the gateway:
// a router before a firewall (where a firewall is the gateway there is
// usually no router), then the one with the most links, then the lowest
// address (gateways are usually the first); without either, the
// best-connected node. Each
// node's children sit one level below it, network devices side by side,
// hosts and groups stacked in columns; nodes on no link go in a last row.
func layoutMap(nodes map[string]*mapNode, links []mapLink) mapView {
	adj := map[string][]string{}
	for _, l := range links {
		adj[l.A] = append(adj[l.A], l.B)
		adj[l.B] = append(adj[l.B], l.A)
	}
	keys := make([]string, 0, len(nodes))
	for k := range nodes {
		keys = append(keys, k)
	}
	rank := func(t string) int {
		switch t {
		case "router":
			return 0
		case "firewall":
			return 1
		case "switch":
			return 2
		}
		return 3
	}
	byName := func(a, b string) int { return cmp.Or(cmp.Compare(nodes[a].Name, nodes[b].Name), cmp.Compare(a, b)) }
	slices.SortFunc(keys, func(a, b string) int {
		na, nb := nodes[a], nodes[b]
		return cmp.Or(cmp.Compare(rank(na.Type), rank(nb.Type)), cmp.Compare(len(adj[b]), len(adj[a])), na.IP.Compare(nb.IP), byName(a, b))
	})
	// Breadth-first from each root: a node's parent is the first node that
	// reached it, so every node is drawn once.
	children := map[string][]string{}
	level := map[string]int{}
	var roots []string
	for _, root := range keys {
		if _, done := level[root]; done || len(adj[root]) == 0 {
			continue
		}
		roots = append(roots, root)
		level[root] = 0
		queue := []string{root}
		for len(queue) > 0 {
			k := queue[0]
			queue = queue[1:]
			next := slices.Clone(adj[k])
			slices.SortFunc(next, byName)
			for _, n := range next {
				if _, done := level[n]; !done {
					level[n] = level[k] + 1
					children[k] = append(children[k], n)
					queue = append(queue, n)
				}
			}
		}
	}
	// Sizes first (post-order), then positions (pre-order).
	type block struct{ w, h int }
	size := map[string]block{}
	var measure func(k string) block
	measure = func(k string) block {
		var leaves, branches []string
		for _, c := range children[k] {
			if len(children[c]) == 0 {
				leaves = append(leaves, c)
			} else {
				branches = append(branches, c)
			}
		}
		w, h := 0, 0
		if n := len(leaves); n > 0 {
			cols := (n + mapColLeaves - 1) / mapColLeaves
			w = cols*mapColW - (mapColW - mapNodeW)
			h = min(n, mapColLeaves)*mapLeafH - (mapLeafH - mapNodeH)
		}
		for _, c := range branches {
			b := measure(c)
			if w > 0 {
				w += mapColW - mapNodeW
			}
			w += b.w
			h = max(h, b.h)
		}
		b := block{max(w, mapNodeW), mapNodeH}
		if h > 0 {
			b.h += mapRowH - mapNodeH + h
		}
		size[k] = b
		return b
	}
	var place func(k string, x, y int)
	place = func(k string, x, y int) {
		n, b := nodes[k], size[k]
		n.X, n.Y, n.Level = x+(b.w-mapNodeW)/2, y, level[k]
		cx, cy := x, y+mapRowH
		var leaves, branches []string
		for _, c := range children[k] {
			if len(children[c]) == 0 {
				leaves = append(leaves, c)
			} else {
				branches = append(branches, c)
			}
		}
		inner := 0 // the children's total width, to centre them under k
		if len(leaves) > 0 {
			inner = ((len(leaves)+mapColLeaves-1)/mapColLeaves)*mapColW - (mapColW - mapNodeW)
		}
		for _, c := range branches {
			if inner > 0 {
				inner += mapColW - mapNodeW
			}
			inner += size[c].w
		}
		cx += (b.w - inner) / 2
		for i, c := range leaves {
			nodes[c].X, nodes[c].Y, nodes[c].Level = cx+(i/mapColLeaves)*mapColW, cy+(i%mapColLeaves)*mapLeafH, level[c]
		}
		if len(leaves) > 0 {
			cx += ((len(leaves)+mapColLeaves-1)/mapColLeaves)*mapColW - (mapColW - mapNodeW) + (mapColW - mapNodeW)
		}
		for _, c := range branches {
			place(c, cx, cy)
			cx += size[c].w + mapColW - mapNodeW
		}
	}
	v := mapView{Nodes: []mapNode{}, Links: []mapLink{}, PortLabels: len(links) <= mapPortLabels}
	x, height := mapPad, 0
	for _, r := range roots {
		b := measure(r)
		place(r, x, mapPad)
		x += b.w + mapColW - mapNodeW
		height = max(height, b.h)
	}
	var alone []string
	for _, k := range keys {
		if _, done := level[k]; !done {
			alone = append(alone, k)
		}
	}
	slices.SortFunc(alone, byName)
	deepest := -1
	for _, l := range level {
		deepest = max(deepest, l)
	}
	for _, k := range alone {
		nodes[k].Level = deepest + 1
	}
	v.Width = max(x-(mapColW-mapNodeW), mapPad+mapNodeW) + mapPad
	y := mapPad + height
	if len(roots) > 0 && len(alone) > 0 {
		y += mapRowH - mapNodeH
	}
	perRow := max(1, (v.Width-2*mapPad+mapColW-mapNodeW)/mapColW)
	for i, k := range alone {
		nodes[k].X, nodes[k].Y = mapPad+(i%perRow)*mapColW, y+(i/perRow)*mapLeafH
	}
	if len(alone) > 0 {
		y += ((len(alone)+perRow-1)/perRow)*mapLeafH - (mapLeafH - mapNodeH)
	}
	v.Height = y + mapPad
	order := append(slices.Clone(keys), alone...)
	slices.SortFunc(order, func(a, b string) int {
		return cmp.Or(cmp.Compare(nodes[a].Y, nodes[b].Y), cmp.Compare(nodes[a].X, nodes[b].X))
	})
	for _, k := range slices.Compact(order) {
		v.Nodes = append(v.Nodes, *nodes[k])
	}
	for _, l := range links {
		p, c := nodes[l.A], nodes[l.B]
		if level[l.B] < level[l.A] || (level[l.A] == level[l.B] && p.Y > c.Y) {
			p, c = c, p
		}
		px, py := p.X+mapNodeW/2, p.Y+mapNodeH
		mid := py + (mapRowH-mapNodeH)/2
		if len(children[c.Key]) == 0 && c.Y > p.Y {
			// A stacked host: down the column's left side into the box.
			sx := c.X - (mapColW-mapNodeW)/2
			cy := c.Y + mapNodeH/2
			l.Points = fmt.Sprintf("%d,%d %d,%d %d,%d %d,%d %d,%d", px, py, px, mid, sx, mid, sx, cy, c.X, cy)
			l.LX, l.LY = c.X+mapNodeW/2, c.Y-3
		} else if c.Y > p.Y {
			cx := c.X + mapNodeW/2
			l.Points = fmt.Sprintf("%d,%d %d,%d %d,%d %d,%d", px, py, px, mid, cx, mid, cx, c.Y)
			l.LX, l.LY = cx, c.Y-5
		} else { // a cross link between nodes on one level
			l.Points = fmt.Sprintf("%d,%d %d,%d", p.X+mapNodeW/2, p.Y+mapNodeH/2, c.X+mapNodeW/2, c.Y+mapNodeH/2)
			l.LX, l.LY = (p.X+c.X+mapNodeW)/2, (p.Y+c.Y+mapNodeH)/2-4
		}
		l.Show = v.PortLabels && l.Label != "" && !c.host
		v.Links = append(v.Links, l)
	}
	return v
}

func (s *Server) mapPage(c *gin.Context) {
	devs, err := s.devices()
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the devices.", err)
		return
	}
	view := buildMap(devs)
	view.setZoom(c.Query("zoom"))
	view.layout = s.layoutFor(c, "Network map", "map")
	s.render(c, http.StatusOK, s.pages.netmap, view, view)
}

// truncate shortens a label to n runes for a fixed-width box.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func endpointsLabel(n int) string {
	if n == 1 {
		return "1 device"
	}
	return fmt.Sprintf("%d devices", n)
}
