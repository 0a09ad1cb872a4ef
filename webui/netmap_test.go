package webui

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"tend/inventory"
)

func testMAC(i int) inventory.MAC {
	x, _ := inventory.ParseMAC(fmt.Sprintf("00:00:5e:00:54:%02x", i))
	return x
}

// A router with twenty switches below it and nothing below them: the
// switches stack in columns of at most mapColLeaves instead of one row
// running off the right edge, and every node stays inside the drawing.
func TestNetworkMapStacksWideLevels(t *testing.T) {
	gw := inventory.Device{MAC: testMAC(0), Hostname: "gw", Type: inventory.TypeRouter}
	devs := []inventory.Device{gw}
	for i := 1; i <= 20; i++ {
		devs = append(devs, inventory.Device{MAC: testMAC(i), Hostname: fmt.Sprintf("sw-%02d", i), Type: inventory.TypeSwitch,
			Neighbors: []inventory.Neighbor{{Protocol: "lldp", LocalPort: "ge-0/0/1", RemoteMAC: gw.MAC, RemotePort: fmt.Sprintf("ether%d", i)}}})
	}
	v := buildMap(devs)
	if len(v.Nodes) != 21 || len(v.Links) != 20 {
		t.Fatalf("%d nodes, %d links; want 21 and 20", len(v.Nodes), len(v.Links))
	}
	if cols := (20 + mapColLeaves - 1) / mapColLeaves; v.Width > 2*mapPad+cols*mapColW {
		t.Errorf("map is %d wide, want at most %d (%d columns)", v.Width, 2*mapPad+cols*mapColW, cols)
	}
	for _, n := range v.Nodes {
		if n.X < 0 || n.Y < 0 || n.X+mapNodeW > v.Width || n.Y+mapNodeH > v.Height {
			t.Errorf("node %s at %d,%d outside %dx%d", n.Name, n.X, n.Y, v.Width, v.Height)
		}
		if n.Name != "gw" && n.Level != 1 {
			t.Errorf("%s at level %d, want 1", n.Name, n.Level)
		}
	}
	if v.Nodes[0].Name != "gw" || v.Nodes[0].Y != mapPad {
		t.Errorf("first node %s at y %d, want the router on top", v.Nodes[0].Name, v.Nodes[0].Y)
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

// An office: gateway, core switch, an access switch with a printer on one
// port and two workstations sharing another (a desk switch), and devices
// the gateway's ARP table knows in another subnet. The map is a tree from
// the gateway; the shared port is one box; the subnet is one box.
func TestNetworkMapTree(t *testing.T) {
	gw := inventory.Device{MAC: testMAC(1), Hostname: "gw", Type: inventory.TypeRouter, IP: netip.MustParseAddr("10.0.0.1")}
	core := inventory.Device{MAC: testMAC(2), Hostname: "core", Type: inventory.TypeSwitch,
		Neighbors: []inventory.Neighbor{{Protocol: "lldp", LocalPort: "Te1/1/1", RemoteMAC: gw.MAC, RemotePort: "ether2"}}}
	access := inventory.Device{MAC: testMAC(3), Hostname: "access", Type: inventory.TypeSwitch,
		Neighbors: []inventory.Neighbor{{Protocol: "lldp", LocalPort: "Gi0/48", RemoteMAC: core.MAC, RemotePort: "Gi1/0/10"}}}
	on := func(sw inventory.Device, port string) *inventory.SwitchPort {
		return &inventory.SwitchPort{Switch: sw.MAC, Port: port}
	}
	devs := []inventory.Device{gw, core, access,
		{MAC: testMAC(10), Hostname: "printer", Type: inventory.TypePrinter, Port: on(access, "Gi0/1")},
		{MAC: testMAC(11), Hostname: "ws-1", Type: inventory.TypeWorkstation, Port: on(access, "Gi0/5")},
		{MAC: testMAC(12), Hostname: "ws-2", Type: inventory.TypeWorkstation, Port: on(access, "Gi0/5")},
		{MAC: testMAC(20), IP: netip.MustParseAddr("192.168.7.10"), Evidence: []inventory.Evidence{{Source: "ARP table", Detail: "router 10.0.0.1"}}},
		{MAC: testMAC(21), IP: netip.MustParseAddr("192.168.7.11"), Type: inventory.TypeSwitch, Evidence: []inventory.Evidence{{Source: "ARP table", Detail: "router 10.0.0.1"}}},
		{MAC: testMAC(30), Hostname: "nowhere", Type: inventory.TypeWorkstation},
	}
	v := buildMap(devs)
	byKey := map[string]mapNode{}
	for _, n := range v.Nodes {
		byKey[n.Key] = n
	}
	if len(v.Nodes) != 6 || len(v.Links) != 5 || v.Unplaced != 1 {
		t.Fatalf("%d nodes, %d links, %d unplaced; want 6, 5, 1: %+v", len(v.Nodes), len(v.Links), v.Unplaced, v.Nodes)
	}
	levels := map[string]int{gw.MAC.String(): 0, core.MAC.String(): 1, "subnet:192.168.7.0/24": 1, access.MAC.String(): 2,
		testMAC(10).String(): 3, "port:" + access.MAC.String() + "|Gi0/5": 3}
	for k, want := range levels {
		n, ok := byKey[k]
		if !ok {
			t.Errorf("no box %s", k)
			continue
		}
		if n.Level != want {
			t.Errorf("%s (%s) at level %d, want %d", k, n.Name, n.Level, want)
		}
		if want > 0 && n.Y <= byKey[gw.MAC.String()].Y {
			t.Errorf("%s is not below the gateway", n.Name)
		}
	}
	if g := byKey["port:"+access.MAC.String()+"|Gi0/5"]; g.Endpoints != 2 || strings.Join(g.Members, ",") != "ws-1,ws-2" || g.Detail != "Gi0/5" {
		t.Errorf("shared port box: %+v", g)
	}
	if s := byKey["subnet:192.168.7.0/24"]; s.Endpoints != 2 || s.Type != "subnet" {
		t.Errorf("subnet box: %+v", s)
	}
	for _, l := range v.Links {
		if l.Points == "" || strings.Count(l.Points, ",") < 2 {
			t.Errorf("link %s–%s has no path: %q", l.A, l.B, l.Points)
		}
	}
}

// Many hosts on one switch fold into one box that counts them.
func TestNetworkMapFoldsBusySwitch(t *testing.T) {
	sw := inventory.Device{MAC: testMAC(1), Hostname: "sw", Type: inventory.TypeSwitch}
	devs := []inventory.Device{sw}
	for i := range mapSwitchHosts + 3 {
		devs = append(devs, inventory.Device{MAC: testMAC(10 + i), Hostname: fmt.Sprintf("h%d", i), Type: inventory.TypeWorkstation,
			Port: &inventory.SwitchPort{Switch: sw.MAC, Port: fmt.Sprintf("Gi0/%d", i+1)}})
	}
	v := buildMap(devs)
	if len(v.Nodes) != 2 || v.Nodes[1].Endpoints != mapSwitchHosts+3 || v.Nodes[1].Type != "group" {
		t.Errorf("busy switch: %+v", v.Nodes)
	}
}
