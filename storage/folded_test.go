package storage

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"reflect"
	"strings"
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

// TestDevicesFromFolded lists the devices of a replay's store (kept and
// deferred) and of a plain one after the same sightings: Devices takes the
// kept devices for the records Apply wrote instead of decoding them, and
// must give the same devices, field for field and as JSON; a device it
// took must share no slice with the store.
func TestDevicesFromFolded(t *testing.T) {
	obs := foldedStream(t, 3000)
	plain := openMemory(t, Config{LastSeenResolution: time.Nanosecond})
	kept := openMemory(t, Config{LastSeenResolution: time.Nanosecond, KeepFolded: true, DeferWrites: true})
	rng := rand.New(rand.NewPCG(7, 2))
	for len(obs) > 0 {
		n := min(len(obs), 1+rng.IntN(40))
		for _, s := range []*Store{plain, kept} {
			if _, err := s.Apply(obs[:n]...); err != nil {
				t.Fatal(err)
			}
		}
		obs = obs[n:]
	}
	if err := kept.WriteDeferred(); err != nil {
		t.Fatal(err)
	}
	taken := 0
	err := kept.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixDevice+"*", func(k, v string) bool {
			if _, ok := kept.foldedRecord(k, v); ok {
				taken++
			}
			return true
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	want, err := plain.Devices()
	if err != nil {
		t.Fatal(err)
	}
	got, err := kept.Devices()
	if err != nil {
		t.Fatal(err)
	}
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	if string(wj) != string(gj) {
		t.Errorf("devices differ as JSON:\n decoded %s\n kept    %s", wj, gj)
	}
	if !reflect.DeepEqual(want, got) {
		t.Error("devices differ (reflect.DeepEqual): decoded and kept")
	}
	if taken == 0 {
		t.Error("Devices took no kept device: the test compares nothing")
	}
	for i := range got {
		if len(got[i].IPs) > 0 {
			got[i].IPs[0] = netip.Addr{} // must not reach the store's kept copy
		}
	}
	again, err := kept.Devices()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(want, again) {
		t.Error("changing a listed device changed the store's kept device")
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

// TestDeferWritesSameRecords applies the same sightings, in the same
// batches, to a store that writes every record and to one that defers its
// writes (Config.DeferWrites): after every batch the records the deferring
// store holds, its deferred devices encoded over its stored ones, must be
// the same byte for byte, and so must the stored ones once WriteDeferred
// has run. The stream repeats timestamps, so that batches fold sightings
// that do not write a device (coalesced) but do change its address history
// in place: the deferred device must stay as written.
func TestDeferWritesSameRecords(t *testing.T) {
	obs := foldedStream(t, 4000)
	cfg := Config{LastSeenResolution: time.Nanosecond, KeepFolded: true}
	plain := openMemory(t, cfg)
	cfg.DeferWrites = true
	deferred := openMemory(t, cfg)
	// First, by hand: the second batch moves the address history's
	// last-seen in place (inventory.Track) without advancing the device's.
	x, a := mac(t, "00:1b:54:00:01:01"), netip.MustParseAddr("10.0.1.1")
	batches := [][]inventory.Observation{
		{{Time: t0, MAC: x, IP: a, Source: inventory.SourceARPPassive}, {Time: t0.Add(time.Second), MAC: x, Source: inventory.SourceARPPassive}},
		{{Time: t0.Add(time.Second), MAC: x, IP: a, Source: inventory.SourceARPPassive}},
		{{Time: t0.Add(2 * time.Second), MAC: x, Source: inventory.SourceARPPassive}},
	}
	rng := rand.New(rand.NewPCG(5, 11))
	for len(obs) > 0 {
		n := min(len(obs), 1+rng.IntN(40))
		batches, obs = append(batches, obs[:n]), obs[n:]
	}
	most := 0
	for _, batch := range batches {
		for _, s := range []*Store{plain, deferred} {
			if _, err := s.Apply(batch...); err != nil {
				t.Fatal(err)
			}
		}
		held := records(t, deferred)
		for k, d := range deferred.deferred {
			b, err := json.Marshal(&d)
			if err != nil {
				t.Fatal(err)
			}
			held[k] = string(b)
		}
		most = max(most, len(deferred.deferred))
		if diff := cmp.Diff(records(t, plain), held); diff != "" {
			t.Fatalf("records differ (-written +deferred):\n%s", diff)
		}
	}
	if err := deferred.WriteDeferred(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(records(t, plain), records(t, deferred)); diff != "" {
		t.Fatalf("records differ after WriteDeferred (-written +deferred):\n%s", diff)
	}
	if most == 0 || len(deferred.deferred) != 0 {
		t.Errorf("deferred at most %d devices, %d left after WriteDeferred", most, len(deferred.deferred))
	}
	if ps, ds := plain.Stats(), deferred.Stats(); ps != ds || ds.Coalesced == 0 {
		t.Errorf("stats written %+v, deferred %+v; want equal, with coalesced batches", ps, ds)
	}
}

// deferrableFull returns a deferrable device with every slice set (one
// element, all the way down) and every pointer deferrable allows.
func deferrableFull(t *testing.T) inventory.Device {
	var d inventory.Device
	fillRefs(reflect.ValueOf(&d).Elem())
	d.SNMP, d.Health, d.Port, d.Neighbors, d.Lifecycle, d.Vulnerabilities, d.Age, d.Hygiene, d.PurchaseDate = nil, nil, nil, nil, nil, nil, nil, nil, nil
	if !deferrable(&d) {
		t.Fatal("a device with empty strings and no pointers is not deferrable")
	}
	return d
}

// TestDeferrableStrings: deferrable declines a device with invalid UTF-8
// in any of its strings (JSON would not keep it).
func TestDeferrableStrings(t *testing.T) {
	d := deferrableFull(t)
	n := 0
	eachString(reflect.ValueOf(&d).Elem(), "Device", func(v reflect.Value, path string) {
		n++
		v.SetString("ok\xff")
		if deferrable(&d) {
			t.Errorf("deferrable with invalid UTF-8 in %s", path)
		}
		v.SetString("")
	})
	if n < 20 {
		t.Errorf("only %d strings visited", n)
	}
}

// eachString calls fn with every string reachable through v's exported
// fields.
func eachString(v reflect.Value, path string, fn func(reflect.Value, string)) {
	switch v.Kind() {
	case reflect.String:
		fn(v, path)
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			eachString(v.Index(i), fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case reflect.Pointer:
		if !v.IsNil() {
			eachString(v.Elem(), path, fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() {
				eachString(v.Field(i), path+"."+f.Name, fn)
			}
		}
	}
}

// TestCloneDeviceSharesNothing: a deferrable device with every slice set
// and its clone share no memory, and are equal.
func TestCloneDeviceSharesNothing(t *testing.T) {
	d := deferrableFull(t)
	c := cloneDevice(&d)
	if diff := cmp.Diff(d, c, cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
		cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Fatalf("clone differs:\n%s", diff)
	}
	if p := sharedRef(reflect.ValueOf(d), reflect.ValueOf(c), "Device"); p != "" {
		t.Errorf("%s is shared between a device and its clone", p)
	}
}

// fillRefs sets every nil slice (one element), map and pointer reachable
// through v's exported fields.
func fillRefs(v reflect.Value) {
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		}
		for i := range v.Len() {
			fillRefs(v.Index(i))
		}
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fillRefs(v.Elem())
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillRefs(v.Field(i))
			}
		}
	}
}

// sharedRef returns the path of the first slice or pointer a and b share,
// or "".
func sharedRef(a, b reflect.Value, path string) string {
	switch a.Kind() {
	case reflect.Slice, reflect.Pointer, reflect.Map:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			return path
		}
	}
	switch a.Kind() {
	case reflect.Slice, reflect.Array:
		for i := range a.Len() {
			if p := sharedRef(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Pointer:
		if !a.IsNil() {
			return sharedRef(a.Elem(), b.Elem(), path)
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if f := a.Type().Field(i); f.IsExported() {
				if p := sharedRef(a.Field(i), b.Field(i), path+"."+f.Name); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

// TestReplayDevicesAsWritten folds the same sightings into two deferring
// stores and gives a few of their devices hygiene records (one empty, one
// for a MAC no sighting made): one store sets its deferred devices first
// (WriteDeferred) and lists them with Devices, the other lists them with
// ReplayDevices, encoding only those PutHygiene changed. The listings, in
// replay's order, must encode the same byte for byte, and so must the
// records PutHygiene wrote.
func TestReplayDevicesAsWritten(t *testing.T) {
	obs := foldedStream(t, 2000)
	cfg := Config{LastSeenResolution: time.Nanosecond, KeepFolded: true, DeferWrites: true}
	written, replayed := openMemory(t, cfg), openMemory(t, cfg)
	for _, s := range []*Store{written, replayed} {
		for i := 0; i < len(obs); i += 97 {
			if _, err := s.Apply(obs[i:min(i+97, len(obs))]...); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(replayed.deferred) < 3 {
		t.Fatalf("%d devices deferred, want at least 3", len(replayed.deferred))
	}
	var recs []HygieneRecord
	for _, d := range written.deferred {
		h := inventory.Hygiene{ActiveDays: []string{"2026-11-01"}, EncryptedDNS: t0}
		if len(recs) == 1 {
			h = inventory.Hygiene{} // no record: the device stays deferred
		}
		if recs = append(recs, HygieneRecord{MAC: d.MAC, Hygiene: h}); len(recs) == 3 {
			break
		}
	}
	recs = append(recs, HygieneRecord{MAC: mac(t, "00:1b:54:ff:ff:ff"), Hygiene: inventory.Hygiene{EncryptedDNS: t0}})
	if err := written.WriteDeferred(); err != nil {
		t.Fatal(err)
	}
	wantN, wantMissing, err := written.PutHygiene(recs...)
	if err != nil {
		t.Fatal(err)
	}
	gotN, gotMissing, err := replayed.PutHygiene(recs...)
	if err != nil || gotN != wantN || len(gotMissing) != len(wantMissing) || gotN != 2 {
		t.Fatalf("PutHygiene on deferred devices: %d written, missing %v, %v; want %d, %v", gotN, gotMissing, err, wantN, wantMissing)
	}
	want, err := written.Devices()
	if err != nil {
		t.Fatal(err)
	}
	inventory.SortByAddress(want)
	got, err := replayed.ReplayDevices()
	if err != nil {
		t.Fatal(err)
	}
	wb, _ := json.Marshal(want)
	gb, _ := json.Marshal(got)
	if string(wb) != string(gb) {
		t.Errorf("ReplayDevices differs from Devices after WriteDeferred:\n%s", cmp.Diff(string(wb), string(gb)))
	}
	if !strings.Contains(string(gb), `"active_days":["2026-11-01"]`) {
		t.Error("no hygiene record in the listing")
	}
	if err := replayed.WriteDeferred(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(records(t, written), records(t, replayed)); diff != "" {
		t.Errorf("records differ (-WriteDeferred first +PutHygiene first):\n%s", diff)
	}
}
