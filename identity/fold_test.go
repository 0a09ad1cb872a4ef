package identity

import (
	"math/rand/v2"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"tend/inventory"
)

// TestFoldClassifiedSameAsFoldWith: folding sighting after sighting of one
// device with FoldClassified (after a first FoldWith) leaves the very record
// and change reports that FoldWith on every sighting leaves, whatever the
// sightings add (names, services, addresses, a sensor's type) and in
// whatever order their times come.
func TestFoldClassifiedSameAsFoldWith(t *testing.T) {
	mac, _ := inventory.ParseMAC("00:1b:63:84:45:e6")
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	h := ClassifyHints{Gateways: []netip.Addr{netip.MustParseAddr("10.0.0.1")}}
	pool := []inventory.Observation{
		{Source: inventory.SourceARPPassive, IP: netip.MustParseAddr("10.0.0.7")},
		{Source: inventory.SourceARPPassive, IP: netip.MustParseAddr("10.0.0.1")},
		{Source: inventory.SourceMDNS, Names: []string{"lobby-printer.local"}, Services: []string{"_ipp._tcp"}},
		{Source: inventory.SourceMDNS, Hostname: "MacBook-Pro"},
		{Source: inventory.SourceNBNS, Hostname: "DESKTOP-4F7GH2K"},
		{Source: inventory.SourceDHCP, DHCPParams: "1,3,6,15,26,28,51,58,59,43", DHCPVendor: "android-dhcp-13"},
		{Source: inventory.SourceLLDP, Capabilities: []string{"wlan-ap"}, Type: inventory.TypeAP},
		{Source: inventory.SourceARPPassive, Vendor: "Apple, Inc."},
		{Source: inventory.SourceARPPassive},
	}
	for seed := uint64(1); seed <= 50; seed++ {
		r := rand.New(rand.NewPCG(seed, 14))
		var every, skip inventory.Device
		for i := range 40 {
			o := pool[r.IntN(len(pool))]
			o.MAC = mac
			o.Time = t0.Add(time.Duration(r.IntN(600)-60) * time.Second)
			want := FoldWith(&every, o, h)
			fold := FoldClassified
			if i == 0 {
				fold = FoldWith
			}
			if got := fold(&skip, o, h); got != want {
				t.Fatalf("seed %d sighting %d (%+v): changed %v, FoldWith says %v", seed, i, o, got, want)
			}
			if !reflect.DeepEqual(every, skip) {
				t.Fatalf("seed %d sighting %d (%+v):\n got %+v\nwant %+v", seed, i, o, skip, every)
			}
		}
	}
}

// classifyInputs are the device fields classification may read, each with
// the observation field whose change inventory.Merge or inventory.Track
// reports (FoldClassified skips classification when neither reports one).
var classifyInputs = map[string]string{
	"MAC": "MAC", "IP": "IP", "Vendor": "Vendor", "Hostname": "Hostname", "Make": "Make", "Model": "Model", "OS": "OS",
	"SNMP": "SNMP", "Sources": "Source", "SensorType": "Type", "DHCPVendor": "DHCPVendor", "DHCPParams": "DHCPParams",
	"Names": "Names", "Services": "Services", "Capabilities": "Capabilities",
}

// TestClassifyReadsOnlyReportedFields keeps FoldClassified honest: it sets
// each device field in turn to values some rule reacts to and fails when
// classification reacts to a field classifyInputs does not list; then, for
// each listed field, it checks that an observation changing it makes
// Merge or Track report a change.
func TestClassifyReadsOnlyReportedFields(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	h := ClassifyHints{Gateways: []netip.Addr{gw}}
	triggers := []string{"FortiGate-60F", "Fortinet, Inc.", "_ipp._tcp", "DESKTOP-4F7GH2K", "router", "printer",
		"1,3,6,15,31,33,43,44,46,47,119,121,249,252", "android-dhcp-13", "iPhone14,2", "Polycom", "nbns"}
	var empty inventory.Device
	ClassifyWith(&empty, h)
	dt := reflect.TypeFor[inventory.Device]()
	for _, f := range reflect.VisibleFields(dt) {
		if f.Anonymous || f.Name == "Type" || f.Name == "TypeConfidence" || f.Name == "TypeEvidence" {
			continue // the embedded Profile's fields are visited one by one; Type* are the output
		}
		reacts := false
		for _, s := range triggers {
			var d inventory.Device
			fill(reflect.ValueOf(&d).Elem().FieldByIndex(f.Index), s, gw)
			ClassifyWith(&d, h)
			if d.Type != empty.Type || d.TypeConfidence != empty.TypeConfidence {
				reacts = true
				break
			}
		}
		if _, listed := classifyInputs[f.Name]; reacts && !listed {
			t.Errorf("classification reads Device.%s, which classifyInputs does not list: FoldClassified would miss its changes (list it, and make Merge report them)", f.Name)
		}
	}
	mac, _ := inventory.ParseMAC("00:1b:63:84:45:e6")
	for dev, obs := range classifyInputs {
		var d inventory.Device
		o := inventory.Observation{MAC: mac, Source: inventory.SourceARPPassive, IP: netip.MustParseAddr("10.0.0.7"), Time: time.Unix(1e9, 0)}
		inventory.Merge(&d, o)
		inventory.Track(&d, o)
		of := reflect.ValueOf(&o).Elem().FieldByName(obs)
		if !of.IsValid() {
			t.Fatalf("Observation has no field %s (for Device.%s)", obs, dev)
		}
		fill(of, "printer", gw)
		if obs == "MAC" {
			d = inventory.Device{} // Merge takes the MAC of a new record only
		}
		if !inventory.Merge(&d, o) && !inventory.Track(&d, o) {
			t.Errorf("an observation changing %s (Device.%s) is not reported by Merge or Track", obs, dev)
		}
	}
}

// fill sets v to a non-zero value built from s: strings and string lists
// to s, addresses to gw, a MAC to a virtual NIC's, pointers to a filled
// value, structs field by field.
func fill(v reflect.Value, s string, gw netip.Addr) {
	switch v.Interface().(type) {
	case netip.Addr:
		v.Set(reflect.ValueOf(gw))
		return
	case inventory.MAC:
		v.Set(reflect.ValueOf(inventory.MAC{0x52, 0x54, 0x00, 0x12, 0x34, 0x56}))
		return
	case []inventory.Source:
		v.Set(reflect.ValueOf([]inventory.Source{inventory.Source(s), inventory.SourceNBNS}))
		return
	case time.Time:
		v.Set(reflect.ValueOf(time.Unix(1e9, 0)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Float64:
		v.SetFloat(0.5)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), s, gw)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), s, gw)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), s, gw)
	}
}
