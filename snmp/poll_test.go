package snmp

import (
	"context"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"tend/inventory"
)

// pollRecording runs Poll on one setA recording served in-process.
func pollRecording(t *testing.T, file string) Result {
	t.Helper()
	rec := loadRecording(t, filepath.Join(corpusDir(t), file))
	p := newPoller(Config{}, nil, rec.session)
	res, err := p.Poll(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return res
}

func TestPollCorpusHealthAndTopology(t *testing.T) {
	t.Run("apc battery", func(t *testing.T) {
		b := pollRecording(t, "apc_smt750x-nmc2.snmprec").Device.Health
		if b == nil || b.Battery == nil || b.Battery.RuntimeMinutes == 0 || b.Battery.ChargePercent != 100 || b.Battery.ReplaceNeeded || b.Battery.OnBattery {
			t.Fatalf("battery %+v", b)
		}
		t.Logf("apc battery %+v", *b.Battery)
	})
	t.Run("eaton battery", func(t *testing.T) {
		h := pollRecording(t, "eaton-mgeups_9px.snmprec").Device.Health
		if h == nil || h.Battery == nil || h.Battery.Status == "unknown" {
			t.Fatalf("health %+v", h)
		}
		t.Logf("eaton battery %+v", *h.Battery)
	})
	for _, f := range []string{"brother.snmprec", "ricoh_mpc3002.snmprec", "jetdirect_m130nw.snmprec", "canonprinter_lbp.snmprec"} {
		t.Run(f, func(t *testing.T) {
			h := pollRecording(t, f).Device.Health
			if h == nil || len(h.Supplies) == 0 {
				t.Fatalf("no supplies: %+v", h)
			}
			hasToner := false
			for _, s := range h.Supplies {
				hasToner = hasToner || s.Kind == "toner"
				if s.Percent > 100 || s.Percent < -1 {
					t.Errorf("supply %+v out of range", s)
				}
			}
			if !hasToner {
				t.Errorf("no toner among %+v", h.Supplies)
			}
			t.Logf("%s supplies %+v", f, h.Supplies)
		})
	}
	t.Run("synology disks and raid", func(t *testing.T) {
		h := pollRecording(t, "dsm_ds214se-dsm6.snmprec").Device.Health
		if h == nil || len(h.Disks) == 0 || len(h.Volumes) == 0 || len(h.Storage) == 0 {
			t.Fatalf("health %+v", h)
		}
		t.Logf("disks %+v volumes %+v", h.Disks, h.Volumes)
	})
	t.Run("switch interfaces and lldp", func(t *testing.T) {
		res := pollRecording(t, "ciscosb_cbs350-4x.snmprec")
		h := res.Device.Health
		if h == nil || len(h.Interfaces) < 24 {
			t.Fatalf("interfaces: %+v", h)
		}
		up := 0
		for _, in := range h.Interfaces {
			if in.OperUp {
				up++
				if in.Name == "" {
					t.Errorf("interface %+v lacks a name", in)
				}
			}
		}
		if up == 0 {
			t.Errorf("no interface up")
		}
		if len(res.Device.Neighbors) == 0 {
			t.Errorf("no LLDP neighbours")
		}
		for _, n := range res.Device.Neighbors {
			if n.Protocol != "lldp" || !printable(n.LocalPort) || strings.HasPrefix(n.LocalPort, "port ") {
				t.Errorf("neighbour %+v", n)
			}
		}
		if len(res.Ports) == 0 {
			t.Errorf("no forwarding entries")
		}
		t.Logf("%d interfaces (%d up), neighbours %+v, %d fdb entries, first %+v", len(h.Interfaces), up, res.Device.Neighbors, len(res.Ports), res.Ports[0])
	})
	t.Run("router arp", func(t *testing.T) {
		res := pollRecording(t, "sonicwall_sonicos7.snmprec")
		if len(res.ARP) < 10 {
			t.Fatalf("arp %+v", res.ARP)
		}
		for _, e := range res.ARP {
			if !e.IP.Is4() || len(e.MAC) != 6 {
				t.Errorf("arp entry %+v", e)
			}
		}
		t.Logf("%d arp entries, first %+v", len(res.ARP), res.ARP[0])
	})
}

// TestPollCorpusEveryRecording polls every recording: nothing fails, and
// what is reported stays in range.
func TestPollCorpusEveryRecording(t *testing.T) {
	dir := corpusDir(t)
	for _, m := range readManifest(t, dir) {
		res := pollRecording(t, m.File)
		if h := res.Device.Health; h != nil {
			for _, s := range h.Storage {
				if s.UsedBytes > s.SizeBytes {
					t.Errorf("%s: storage %+v used beyond size", m.File, s)
				}
			}
		}
		for _, e := range res.Ports {
			if len(e.MAC) != 6 || e.Port.Port == "" || e.PortMACs < 1 {
				t.Errorf("%s: port entry %+v", m.File, e)
			}
		}
		var ifs, nb int
		if res.Device.Health != nil {
			ifs = len(res.Device.Health.Interfaces)
		}
		nb = len(res.Device.Neighbors)
		t.Logf("%-34s type %-11s ifs %3d nbrs %2d fdb %4d arp %3d", m.File, res.Device.Type, ifs, nb, len(res.Ports), len(res.ARP))
	}
	_ = inventory.TypeUnknown
}
