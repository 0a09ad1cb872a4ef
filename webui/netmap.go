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
	// card scrolls when the drawing is larger, and pans by dragging
	// (webkit's static map.js, the UI's one script; without it, scrolling).
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

// arpOnly reports whether d is known only from a router's ARP table: a
// host in another subnet with a MAC and an address and nothing else (no
// SNMP answer, nothing heard on this LAN). The map counts it in its
// subnet's box whatever its type; the dashboard counts it apart, since
// tend cannot identify it from here.
func arpOnly(d *inventory.Device) bool {
	if d.SNMP != nil || !arpReporter(d).IsValid() {
		return false
	}
	for _, s := range d.Sources {
		if s != inventory.SourceSNMP { // survey reports ARP-table entries as SNMP observations
			return false
		}
	}
	return true
}

// mapGraph is the map being built: its boxes by key, the links between
// them, and the indexes that resolve a neighbour's name, address or MAC.
type mapGraph struct {
	nodes  map[string]*mapNode
	links  []mapLink
	seen   map[string]bool // links drawn, by "a|b"
	byName map[string]string
	byIP   map[netip.Addr]string
	known  map[string]*inventory.Device // every device by MAC
}

// add makes d a box of its own (once) and indexes its names and address.
func (g *mapGraph) add(d *inventory.Device) {
	key := d.MAC.String()
	if g.nodes[key] == nil {
		g.nodes[key] = &mapNode{Key: key, Name: d.Name(), Type: string(cmp.Or(d.Type, inventory.TypeUnknown)), URL: deviceURL(d.MAC), IP: d.IP}
	}
	g.byName[strings.ToLower(d.Name())] = key
	if d.SNMP != nil && d.SNMP.SysName != "" {
		g.byName[strings.ToLower(d.SNMP.SysName)] = key
	}
	if d.IP.IsValid() {
		g.byIP[d.IP] = key
	}
}

// link joins a and b once, whichever side reported it.
func (g *mapGraph) link(a, b, label, src string) {
	if a == b {
		return
	}
	k := min(a, b) + "|" + max(a, b)
	if g.seen[k] {
		return
	}
	g.seen[k] = true
	g.links = append(g.links, mapLink{A: a, B: b, Label: label, Source: src})
}

// neighbors links every device to the LLDP/CDP neighbours it reports;
// devices named as neighbours join the map, and a neighbour tend has not
// seen is a box of its name.
func (g *mapGraph) neighbors(devs []inventory.Device) {
	for i := range devs {
		d := &devs[i]
		me := d.MAC.String()
		for _, n := range d.Neighbors {
			if g.nodes[me] == nil {
				g.add(d)
			}
			other := ""
			switch {
			case !n.RemoteMAC.IsZero() && g.known[n.RemoteMAC.String()] != nil:
				other = n.RemoteMAC.String()
				g.add(g.known[other])
			case n.RemoteName != "" && g.byName[strings.ToLower(n.RemoteName)] != "":
				other = g.byName[strings.ToLower(n.RemoteName)]
			case n.RemoteName != "":
				other = "name:" + n.RemoteName
				if g.nodes[other] == nil {
					g.nodes[other] = &mapNode{Key: other, Name: n.RemoteName, Type: "unknown"}
				}
			default:
				continue
			}
			g.link(me, other, strings.Trim(n.LocalPort+" – "+n.RemotePort, " –"), n.Protocol)
		}
	}
}

// mapPort is one switch port hosts hang on.
type mapPort struct{ sw, port string }

// mapPlaces are the hosts by where they are drawn: behind a switch port,
// in a subnet a router's ARP table knows (by the router's key and the
// /24), or nowhere.
type mapPlaces struct {
	ports    []mapPort
	perPort  map[mapPort][]*inventory.Device
	subnets  [][2]string
	perNet   map[[2]string][]*inventory.Device
	unplaced int
}

// place sorts the devices that are no box of their own by where they go;
// a switch a host names joins the map (as a box of its name when tend has
// not seen it), and a network device on a port is linked to it at once.
func (g *mapGraph) place(devs []inventory.Device) mapPlaces {
	p := mapPlaces{perPort: map[mapPort][]*inventory.Device{}, perNet: map[[2]string][]*inventory.Device{}}
	for i := range devs {
		d := &devs[i]
		if d.Port != nil && !d.Port.Switch.IsZero() {
			sw := d.Port.Switch.String()
			if g.nodes[sw] == nil {
				if k := g.known[sw]; k != nil {
					g.add(k)
				} else {
					g.nodes[sw] = &mapNode{Key: sw, Name: cmp.Or(d.Port.SwitchName, sw), Type: "switch"}
				}
			}
			if g.nodes[d.MAC.String()] != nil {
				g.link(sw, d.MAC.String(), d.Port.Port, "fdb")
				continue
			}
			k := mapPort{sw, d.Port.Port}
			if p.perPort[k] == nil {
				p.ports = append(p.ports, k)
			}
			p.perPort[k] = append(p.perPort[k], d)
			continue
		}
		if g.nodes[d.MAC.String()] != nil {
			continue
		}
		if r := arpReporter(d); r.IsValid() && g.byIP[r] != "" && d.IP.Is4() {
			net, _ := d.IP.Prefix(24)
			k := [2]string{g.byIP[r], net.String()}
			if p.perNet[k] == nil {
				p.subnets = append(p.subnets, k)
			}
			p.perNet[k] = append(p.perNet[k], d)
			continue
		}
		p.unplaced++
	}
	return p
}

// group is a box standing for hs.
func group(key, name, typ, detail string, hs []*inventory.Device) *mapNode {
	g := &mapNode{Key: key, Name: name, Type: typ, Detail: detail, Endpoints: len(hs), host: true}
	g.addMembers(hs)
	return g
}

// addMembers names hs in the group's tooltip, at most mapMembers.
func (n *mapNode) addMembers(hs []*inventory.Device) {
	for _, h := range hs {
		if len(n.Members) < mapMembers {
			n.Members = append(n.Members, h.Name())
		}
	}
}

// hosts draws the hosts on switch ports: one box each, one per port they
// share, or one for all of a busy switch's hosts.
func (g *mapGraph) hosts(p mapPlaces) {
	hostsOn := map[string]int{}
	for _, k := range p.ports {
		if len(p.perPort[k]) >= mapPortHosts {
			hostsOn[k.sw]++
		} else {
			hostsOn[k.sw] += len(p.perPort[k])
		}
	}
	folded := map[string]*mapNode{} // switch → its one box of all hosts
	foldedPorts := map[string]int{}
	for _, k := range p.ports {
		hs := p.perPort[k]
		switch {
		case hostsOn[k.sw] > mapSwitchHosts:
			f := folded[k.sw]
			if f == nil {
				f = group("hosts:"+k.sw, "", "group", "", nil)
				folded[k.sw] = f
				g.nodes[f.Key] = f
				g.link(k.sw, f.Key, "", "fdb")
			}
			f.Endpoints += len(hs)
			f.Name = endpointsLabel(f.Endpoints)
			foldedPorts[k.sw]++
			f.Detail = "on " + strconv.Itoa(foldedPorts[k.sw]) + " ports"
			f.addMembers(hs)
		case len(hs) >= mapPortHosts:
			n := group("port:"+k.sw+"|"+k.port, endpointsLabel(len(hs)), "group", k.port, hs)
			g.nodes[n.Key] = n
			g.link(k.sw, n.Key, k.port, "fdb")
		default:
			for _, h := range hs {
				t := string(cmp.Or(h.Type, inventory.TypeUnknown))
				n := &mapNode{Key: h.MAC.String(), Name: h.Name(), Type: t, Detail: t + " · " + k.port, URL: deviceURL(h.MAC), host: true}
				g.nodes[n.Key] = n
				g.link(k.sw, n.Key, k.port, "fdb")
			}
		}
	}
}

// buildMap computes the map of devs.
func buildMap(devs []inventory.Device) mapView {
	g := &mapGraph{nodes: map[string]*mapNode{}, seen: map[string]bool{}, byName: map[string]string{},
		byIP: map[netip.Addr]string{}, known: map[string]*inventory.Device{}}
	for i := range devs {
		g.known[devs[i].MAC.String()] = &devs[i]
		// A device only a router's ARP table names is counted in its
		// subnet's box, whatever its type.
		if onMap(devs[i].Type) && !arpOnly(&devs[i]) {
			g.add(&devs[i])
		}
	}
	g.neighbors(devs)
	p := g.place(devs)
	g.hosts(p)
	for _, k := range p.subnets {
		if g.nodes["subnet:"+k[1]] != nil { // a subnet two routers know: once, under the first
			continue
		}
		hs := p.perNet[k]
		n := group("subnet:"+k[1], k[1], "subnet", endpointsLabel(len(hs))+" (ARP table)", hs)
		g.nodes[n.Key] = n
		g.link(k[0], n.Key, "", "arp")
	}
	v := layoutMap(g.nodes, g.links)
	v.Unplaced = p.unplaced
	return v
}

// layoutMap draws the links as a tree from a root standing for the gateway:
// a router before a firewall (where a firewall is the gateway there is
// usually no router), then the one with the most links, then the lowest
// address (gateways are usually the first); without either, the
// best-connected node. Each node's children sit one level below it,
// network devices side by side, hosts and groups stacked in columns;
// nodes on no link go in a last row.
func layoutMap(nodes map[string]*mapNode, links []mapLink) mapView {
	t := newMapTree(nodes, links)
	v := mapView{Nodes: []mapNode{}, Links: []mapLink{}, PortLabels: len(links) <= mapPortLabels}
	x, height := mapPad, 0
	for _, r := range t.roots {
		b := t.measure(r)
		t.place(r, x, mapPad)
		x += b.w + mapColW - mapNodeW
		height = max(height, b.h)
	}
	v.Width = max(x-(mapColW-mapNodeW), mapPad+mapNodeW) + mapPad
	alone := t.placeAlone(v.Width, mapPad+height)
	v.Height = mapPad + height + mapPad
	if len(alone) > 0 {
		last := nodes[alone[len(alone)-1]]
		v.Height = last.Y + mapNodeH + mapPad
	}
	order := append(slices.Clone(t.keys), alone...)
	slices.SortFunc(order, func(a, b string) int {
		return cmp.Or(cmp.Compare(nodes[a].Y, nodes[b].Y), cmp.Compare(nodes[a].X, nodes[b].X))
	})
	for _, k := range slices.Compact(order) {
		v.Nodes = append(v.Nodes, *nodes[k])
	}
	for _, l := range links {
		l.Points, l.LX, l.LY = t.route(&l)
		c := nodes[l.B]
		if t.level[l.B] < t.level[l.A] || (t.level[l.A] == t.level[l.B] && nodes[l.A].Y > c.Y) {
			c = nodes[l.A]
		}
		l.Show = v.PortLabels && l.Label != "" && !c.host
		v.Links = append(v.Links, l)
	}
	return v
}

// mapTree is the map's boxes as a forest: each node's children, its level
// below its root, and the size of the block it and its descendants take.
type mapTree struct {
	nodes    map[string]*mapNode
	keys     []string // every node, roots first in the order of their choice
	roots    []string
	children map[string][]string
	level    map[string]int
	size     map[string]mapBlock
}

type mapBlock struct{ w, h int }

// newMapTree ranks the nodes as roots and walks the links breadth-first
// from each: a node's parent is the first node that reached it, so every
// node is drawn once.
func newMapTree(nodes map[string]*mapNode, links []mapLink) *mapTree {
	adj := map[string][]string{}
	for _, l := range links {
		adj[l.A] = append(adj[l.A], l.B)
		adj[l.B] = append(adj[l.B], l.A)
	}
	t := &mapTree{nodes: nodes, children: map[string][]string{}, level: map[string]int{}, size: map[string]mapBlock{}}
	for k := range nodes {
		t.keys = append(t.keys, k)
	}
	rank := func(typ string) int {
		switch typ {
		case "router":
			return 0
		case "firewall":
			return 1
		case "switch":
			return 2
		}
		return 3
	}
	slices.SortFunc(t.keys, func(a, b string) int {
		na, nb := nodes[a], nodes[b]
		return cmp.Or(cmp.Compare(rank(na.Type), rank(nb.Type)), cmp.Compare(len(adj[b]), len(adj[a])), na.IP.Compare(nb.IP), t.byName(a, b))
	})
	for _, root := range t.keys {
		if _, done := t.level[root]; done || len(adj[root]) == 0 {
			continue
		}
		t.roots = append(t.roots, root)
		t.level[root] = 0
		queue := []string{root}
		for len(queue) > 0 {
			k := queue[0]
			queue = queue[1:]
			next := slices.Clone(adj[k])
			slices.SortFunc(next, t.byName)
			for _, n := range next {
				if _, done := t.level[n]; !done {
					t.level[n] = t.level[k] + 1
					t.children[k] = append(t.children[k], n)
					queue = append(queue, n)
				}
			}
		}
	}
	return t
}

func (t *mapTree) byName(a, b string) int {
	return cmp.Or(cmp.Compare(t.nodes[a].Name, t.nodes[b].Name), cmp.Compare(a, b))
}

// split is k's children in two: leaves (stacked in columns) and branches
// (side by side).
func (t *mapTree) split(k string) (leaves, branches []string) {
	for _, c := range t.children[k] {
		if len(t.children[c]) == 0 {
			leaves = append(leaves, c)
		} else {
			branches = append(branches, c)
		}
	}
	return leaves, branches
}

// leafColumnsW is the width of n leaves stacked in columns.
func leafColumnsW(n int) int {
	if n == 0 {
		return 0
	}
	return ((n+mapColLeaves-1)/mapColLeaves)*mapColW - (mapColW - mapNodeW)
}

// measure computes the block k and its descendants take (post-order).
func (t *mapTree) measure(k string) mapBlock {
	leaves, branches := t.split(k)
	w, h := leafColumnsW(len(leaves)), 0
	if n := len(leaves); n > 0 {
		h = min(n, mapColLeaves)*mapLeafH - (mapLeafH - mapNodeH)
	}
	for _, c := range branches {
		b := t.measure(c)
		if w > 0 {
			w += mapColW - mapNodeW
		}
		w += b.w
		h = max(h, b.h)
	}
	b := mapBlock{max(w, mapNodeW), mapNodeH}
	if h > 0 {
		b.h += mapRowH - mapNodeH + h
	}
	t.size[k] = b
	return b
}

// place puts k at the top middle of its block at x, y and its children
// in the row below, leaves first, centred under it (pre-order).
func (t *mapTree) place(k string, x, y int) {
	n, b := t.nodes[k], t.size[k]
	n.X, n.Y, n.Level = x+(b.w-mapNodeW)/2, y, t.level[k]
	leaves, branches := t.split(k)
	inner := leafColumnsW(len(leaves)) // the children's total width, to centre them under k
	for _, c := range branches {
		if inner > 0 {
			inner += mapColW - mapNodeW
		}
		inner += t.size[c].w
	}
	cx, cy := x+(b.w-inner)/2, y+mapRowH
	for i, c := range leaves {
		t.nodes[c].X, t.nodes[c].Y, t.nodes[c].Level = cx+(i/mapColLeaves)*mapColW, cy+(i%mapColLeaves)*mapLeafH, t.level[c]
	}
	if len(leaves) > 0 {
		cx += leafColumnsW(len(leaves)) + (mapColW - mapNodeW)
	}
	for _, c := range branches {
		t.place(c, cx, cy)
		cx += t.size[c].w + mapColW - mapNodeW
	}
}

// placeAlone puts the nodes on no link in rows below the trees, which end
// at y, in a drawing width wide; it returns them in the order placed.
func (t *mapTree) placeAlone(width, y int) []string {
	var alone []string
	for _, k := range t.keys {
		if _, done := t.level[k]; !done {
			alone = append(alone, k)
		}
	}
	slices.SortFunc(alone, t.byName)
	deepest := -1
	for _, l := range t.level {
		deepest = max(deepest, l)
	}
	if len(t.roots) > 0 && len(alone) > 0 {
		y += mapRowH - mapNodeH
	}
	perRow := max(1, (width-2*mapPad+mapColW-mapNodeW)/mapColW)
	for i, k := range alone {
		t.nodes[k].Level = deepest + 1
		t.nodes[k].X, t.nodes[k].Y = mapPad+(i%perRow)*mapColW, y+(i/perRow)*mapLeafH
	}
	return alone
}

// route is l's path from parent to child with right angles, and where its
// port label goes (the child end).
func (t *mapTree) route(l *mapLink) (points string, lx, ly int) {
	p, c := t.nodes[l.A], t.nodes[l.B]
	if t.level[l.B] < t.level[l.A] || (t.level[l.A] == t.level[l.B] && p.Y > c.Y) {
		p, c = c, p
	}
	px, py := p.X+mapNodeW/2, p.Y+mapNodeH
	mid := py + (mapRowH-mapNodeH)/2
	switch {
	case len(t.children[c.Key]) == 0 && c.Y > p.Y:
		// A stacked host: down the column's left side into the box.
		sx := c.X - (mapColW-mapNodeW)/2
		cy := c.Y + mapNodeH/2
		return fmt.Sprintf("%d,%d %d,%d %d,%d %d,%d %d,%d", px, py, px, mid, sx, mid, sx, cy, c.X, cy), c.X + mapNodeW/2, c.Y - 3
	case c.Y > p.Y:
		cx := c.X + mapNodeW/2
		return fmt.Sprintf("%d,%d %d,%d %d,%d %d,%d", px, py, px, mid, cx, mid, cx, c.Y), cx, c.Y - 5
	}
	// A cross link between nodes on one level.
	return fmt.Sprintf("%d,%d %d,%d", p.X+mapNodeW/2, p.Y+mapNodeH/2, c.X+mapNodeW/2, c.Y+mapNodeH/2), (p.X + c.X + mapNodeW) / 2, (p.Y+c.Y+mapNodeH)/2 - 4
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
