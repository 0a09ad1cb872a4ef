package webui

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"tend/inventory"
)

// Network map geometry, in SVG user units.
const (
	mapNodeW, mapNodeH = 150, 46
	mapColW, mapRowH   = 175, 120
	mapPad             = 20
	// mapRowMax nodes at most side by side: a level with more wraps onto
	// further rows, so a LAN with thirty switches is not one row running off
	// the right edge.
	mapRowMax = 6
	// mapPortLabels: up to this many links, port names are written on the
	// links; above, they show on hover only (they would overlap).
	mapPortLabels = 12
)

// mapView is the network map: infrastructure and the links between them
// learned from LLDP/CDP neighbours and switch forwarding tables, laid out
// as a tree from the routers and firewalls down. As JSON: nodes and links.
type mapView struct {
	layout `json:"-"`
	Nodes  []mapNode `json:"nodes"`
	Links  []mapLink `json:"links"`
	Width  int       `json:"-"`
	Height int       `json:"-"`
	// PortLabels writes port names on the links (few links); otherwise
	// they are each link's tooltip only.
	PortLabels bool `json:"-"`
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

// mapNode is one box on the map.
type mapNode struct {
	Key       string `json:"key"` // MAC, or "name:<remote name>" for a neighbour tend has not seen
	Name      string `json:"name"`
	Type      string `json:"type"`
	Endpoints int    `json:"endpoints"` // non-infrastructure devices behind it
	URL       string `json:"-"`
	X, Y      int    `json:"-"` // top left
	Level     int    `json:"level"`
}

// mapLink joins two nodes; Label names the ports.
type mapLink struct {
	A      string `json:"a"`
	B      string `json:"b"`
	Label  string `json:"label,omitempty"`
	Source string `json:"source"` // lldp, cdp or fdb
	X1, Y1 int    `json:"-"`
	X2, Y2 int    `json:"-"`
	LX, LY int    `json:"-"` // label position
}

// onMap says which device types are drawn as boxes.
func onMap(t inventory.DeviceType) bool {
	switch t {
	case inventory.TypeRouter, inventory.TypeFirewall, inventory.TypeSwitch, inventory.TypeAP:
		return true
	}
	return false
}

// buildMap computes the map of devs.
func buildMap(devs []inventory.Device) mapView {
	nodes := map[string]*mapNode{}
	byName := map[string]string{}
	add := func(d *inventory.Device) {
		key := d.MAC.String()
		if nodes[key] == nil {
			nodes[key] = &mapNode{Key: key, Name: d.Name(), Type: string(cmp.Or(d.Type, inventory.TypeUnknown)), URL: deviceURL(d.MAC)}
		}
		byName[strings.ToLower(d.Name())] = key
		if d.SNMP != nil && d.SNMP.SysName != "" {
			byName[strings.ToLower(d.SNMP.SysName)] = key
		}
	}
	for i := range devs {
		if onMap(devs[i].Type) {
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
	for i := range devs {
		d := &devs[i]
		if d.Port == nil || d.Port.Switch.IsZero() {
			continue
		}
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
		} else {
			nodes[sw].Endpoints++
		}
	}
	return layoutMap(nodes, links)
}

// layoutMap places nodes by breadth-first levels from the routers and
// firewalls (or the best-connected node), one row per level; nodes on no
// link go in a last row.
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
		case "firewall":
			return 0
		case "router":
			return 1
		case "switch":
			return 2
		}
		return 3
	}
	slices.SortFunc(keys, func(a, b string) int {
		na, nb := nodes[a], nodes[b]
		return cmp.Or(cmp.Compare(rank(na.Type), rank(nb.Type)), cmp.Compare(len(adj[b]), len(adj[a])), cmp.Compare(na.Name, nb.Name))
	})
	level := map[string]int{}
	var rows [][]string
	for _, root := range keys {
		if _, done := level[root]; done || len(adj[root]) == 0 {
			continue
		}
		level[root] = 0
		queue := []string{root}
		for len(queue) > 0 {
			k := queue[0]
			queue = queue[1:]
			for len(rows) <= level[k] {
				rows = append(rows, nil)
			}
			rows[level[k]] = append(rows[level[k]], k)
			next := slices.Clone(adj[k])
			slices.SortFunc(next, func(a, b string) int { return cmp.Compare(nodes[a].Name, nodes[b].Name) })
			for _, n := range next {
				if _, done := level[n]; !done {
					level[n] = level[k] + 1
					queue = append(queue, n)
				}
			}
		}
	}
	var alone []string
	for _, k := range keys {
		if _, done := level[k]; !done {
			alone = append(alone, k)
		}
	}
	if len(alone) > 0 {
		rows = append(rows, alone)
	}
	v := mapView{Nodes: []mapNode{}, Links: []mapLink{}, PortLabels: len(links) <= mapPortLabels}
	// Each level is one or more rows of at most mapRowMax, children in the
	// order of their parents (breadth-first), centred.
	type row struct {
		keys  []string
		level int
	}
	var grid []row
	for lvl, r := range rows {
		for len(r) > mapRowMax {
			grid = append(grid, row{r[:mapRowMax], lvl})
			r = r[mapRowMax:]
		}
		grid = append(grid, row{r, lvl})
	}
	widest := 1
	for _, r := range grid {
		widest = max(widest, len(r.keys))
	}
	v.Width = 2*mapPad + widest*mapColW - (mapColW - mapNodeW)
	v.Height = 2*mapPad + len(grid)*mapRowH - (mapRowH - mapNodeH)
	for y, r := range grid {
		offset := (v.Width - 2*mapPad - (len(r.keys)*mapColW - (mapColW - mapNodeW))) / 2
		for x, k := range r.keys {
			n := nodes[k]
			n.X, n.Y, n.Level = mapPad+offset+x*mapColW, mapPad+y*mapRowH, r.level
			v.Nodes = append(v.Nodes, *n)
		}
	}
	for _, l := range links {
		a, b := nodes[l.A], nodes[l.B]
		l.X1, l.Y1 = a.X+mapNodeW/2, a.Y+mapNodeH/2
		l.X2, l.Y2 = b.X+mapNodeW/2, b.Y+mapNodeH/2
		l.LX, l.LY = (l.X1+l.X2)/2, (l.Y1+l.Y2)/2-4
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
