package storage

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/buntdb"
	"github.com/tidwall/gjson"

	"tend/inventory"
)

// records returns every device record as stored.
func records(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixDevice+"*", func(k, v string) bool {
			out[k] = v
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// foldedStream is a replay-like stream of sightings of a few devices:
// capture timestamps that advance or repeat, addresses that move, names
// with invalid UTF-8 (which JSON does not keep), empty and full slices,
// LLDP neighbours (compared with reflect.DeepEqual by the fold), a chassis
// MAC that fuses two records, and locally administered MACs.
func foldedStream(t *testing.T, n int) []inventory.Observation {
	rng := rand.New(rand.NewPCG(14, 4))
	at := t0
	var obs []inventory.Observation
	for range n {
		if rng.IntN(3) > 0 {
			at = at.Add(time.Duration(rng.IntN(5000)) * time.Millisecond)
		}
		m := rng.IntN(24)
		o := inventory.Observation{Time: at, Source: []inventory.Source{inventory.SourceARPPassive, inventory.SourceDHCP, inventory.SourceLLDP}[rng.IntN(3)],
			MAC: mac(t, fmt.Sprintf("%02x:1b:54:00:00:%02x", []byte{0x00, 0x02}[m%2], m))}
		switch rng.IntN(9) {
		case 0:
			o.IP = netip.AddrFrom4([4]byte{10, 0, 0, byte(rng.IntN(40))})
		case 1:
			o.Hostname = []string{"pc\xff-bad", "laptop", "<private>", "nas", "\xc3"}[rng.IntN(5)]
		case 2:
			o.Names = []string{fmt.Sprintf("host-%d.local", rng.IntN(4)), "\xfe"}[:1+rng.IntN(2)]
			o.Services = []string{}
		case 3:
			o.Neighbors = []inventory.Neighbor{{Protocol: "lldp", LocalPort: fmt.Sprint(rng.IntN(3))}}
			if rng.IntN(2) == 0 {
				o.Neighbors = []inventory.Neighbor{}
			}
		case 4:
			o.Evidence = []inventory.Evidence{{Source: "dhcp", Detail: fmt.Sprint("option 60 ", rng.IntN(3))}}
			o.DHCPVendor = "MSFT 5.0"
		case 5:
			o.IPv6 = netip.MustParseAddr(fmt.Sprintf("fe80::%x", rng.IntN(4)+1))
			o.Capabilities = []string{"bridge"}
		case 6:
			o.ChassisMAC = mac(t, fmt.Sprintf("00:1b:54:00:00:%02x", (m+1)%24))
			o.Capabilities = []string{"router"}
		case 7:
			o.Type = inventory.TypePrinter
		}
		obs = append(obs, o)
	}
	return obs
}

// TestKeepFoldedSameRecords applies the same sightings, in the same
// batches, to a store that keeps its folded devices and to one that decodes
// every record it loads: every record must be the same, byte for byte,
// after every batch.
func TestKeepFoldedSameRecords(t *testing.T) {
	obs := foldedStream(t, 4000)
	cfg := Config{LastSeenResolution: time.Nanosecond}
	plain := openMemory(t, cfg)
	cfg.KeepFolded = true
	kept := openMemory(t, cfg)
	rng := rand.New(rand.NewPCG(3, 9))
	for len(obs) > 0 {
		n := min(len(obs), 1+rng.IntN(40))
		for _, s := range []*Store{plain, kept} {
			if _, err := s.Apply(obs[:n]...); err != nil {
				t.Fatal(err)
			}
		}
		obs = obs[n:]
		if diff := cmp.Diff(records(t, plain), records(t, kept)); diff != "" {
			t.Fatalf("records differ (-decoded +kept):\n%s", diff)
		}
	}
	if len(kept.folded) == 0 {
		t.Error("nothing kept: the test exercises nothing")
	}
}

// TestRecordIP: the index's fast read of a record's address gives what
// gjson gives, and leaves every other shape to it.
func TestRecordIP(t *testing.T) {
	for _, v := range []string{
		`{"mac":"00:1b:54:00:00:01","ip":"10.0.0.7","ips":["10.0.0.7"]}`,
		`{"mac":"00:1b:54:00:00:01","ip":"fe80::1%eth0","vendor":"x"}`,
		`{"mac":"00:1b:54:00:00:01","ip":"","ips":null}`,
		`{"mac":"","ip":"192.168.1.1"}`,
		`{"mac":"00:1b:54:00:00:01","ip":"10.0.0.7"}`,
		`{"ip":"10.0.0.9","mac":"00:1b:54:00:00:01"}`,
		`{"mac":"a\"b","ip":"10.0.0.1"}`,
		`{"mac":"00:1b:54:00:00:01","ip":"10.0.\u0030.1"}`,
		`{"mac":"00:1b:54:00:00:01", "ip":"10.0.0.1"}`,
		`{"mac":"00:1b:54:00:00:01","ip":"10.0.0.1`,
		`{"mac":"00:1b:54`,
		``,
	} {
		want := gjson.Get(v, "ip").String()
		got, ok := recordIP(v)
		if !ok {
			got = want
		}
		if got != want {
			t.Errorf("recordIP(%s) = %q, %v; gjson reads %q", v, got, ok, want)
		}
	}
	d := inventory.Device{MAC: mac(t, "00:1b:54:00:00:01"), IP: netip.MustParseAddr("10.1.2.3")}
	b, err := json.Marshal(&d)
	if err != nil {
		t.Fatal(err)
	}
	if ip, ok := recordIP(string(b)); !ok || ip != "10.1.2.3" {
		t.Errorf("recordIP of a marshalled device = %q, %v; want the fast path's 10.1.2.3", ip, ok)
	}
}
