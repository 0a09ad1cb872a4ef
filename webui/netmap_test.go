package webui

import (
	"fmt"
	"testing"

	"tend/inventory"
)

// A router with twenty switches below it: the level wraps into rows of at
// most mapRowMax instead of one row running off the right edge, every node
// stays inside the drawing, and with this many links the port names move
// into tooltips.
func TestNetworkMapWrapsWideLevels(t *testing.T) {
	m := func(i int) inventory.MAC { x, _ := inventory.ParseMAC(fmt.Sprintf("00:00:5e:00:54:%02x", i)); return x }
	gw := inventory.Device{MAC: m(0), Hostname: "gw", Type: inventory.TypeRouter}
	devs := []inventory.Device{gw}
	for i := 1; i <= 20; i++ {
		devs = append(devs, inventory.Device{MAC: m(i), Hostname: fmt.Sprintf("sw-%02d", i), Type: inventory.TypeSwitch,
			Neighbors: []inventory.Neighbor{{Protocol: "lldp", LocalPort: "ge-0/0/1", RemoteMAC: gw.MAC, RemotePort: fmt.Sprintf("ether%d", i)}}})
	}
	v := buildMap(devs)
	if len(v.Nodes) != 21 || len(v.Links) != 20 {
		t.Fatalf("%d nodes, %d links; want 21 and 20", len(v.Nodes), len(v.Links))
	}
	if maxW := 2*mapPad + mapRowMax*mapColW; v.Width > maxW {
		t.Errorf("map is %d wide, want at most %d (%d per row)", v.Width, maxW, mapRowMax)
	}
	perY := map[int]int{}
	for _, n := range v.Nodes {
		perY[n.Y]++
		if n.X < 0 || n.Y < 0 || n.X+mapNodeW > v.Width || n.Y+mapNodeH > v.Height {
			t.Errorf("node %s at %d,%d outside %dx%d", n.Name, n.X, n.Y, v.Width, v.Height)
		}
		if n.Name != "gw" && n.Level != 1 {
			t.Errorf("%s at level %d, want 1", n.Name, n.Level)
		}
	}
	for y, k := range perY {
		if k > mapRowMax {
			t.Errorf("row at y=%d holds %d nodes", y, k)
		}
	}
	if len(perY) != 1+4 { // the router, then 20 switches in rows of 6, 6, 6, 2
		t.Errorf("%d rows, want 5", len(perY))
	}
	if v.PortLabels {
		t.Error("20 links still write their port names on the drawing")
	}
	v.setZoom("200")
	if v.Zoom != 200 || v.ZoomWidth != 2*v.Width || len(v.Zooms) != len(mapZoomSteps) || !v.Zooms[4].Current {
		t.Errorf("zoom 200: %d, %d wide of %d, %+v", v.Zoom, v.ZoomWidth, v.Width, v.Zooms)
	}
	v.Zooms = nil
	if v.setZoom("37"); v.Zoom != 0 || !v.Zooms[0].Current {
		t.Errorf("an unoffered zoom does not fall back to fit: %d", v.Zoom)
	}
}
