package snmp

import (
	"strconv"
	"testing"
)

// TestDescrVariant: the chassis row's model name gives way to sysDescr's
// first word only when that names the same product more fully.
func TestDescrVariant(t *testing.T) {
	for _, c := range []struct{ model, descr, want string }{
		{"MES2124", "MES2124M AC 28-port 1G Managed Switch", "MES2124M"},
		{"Linksys LGS318P", "LGS318P 18-Port Gigabit PoE+ Smart Switch", "LGS318P"},
		{"MES2124", "MES2124-28 switch", "MES2124"},  // a suffix with a digit is another product
		{"MES2124", "MES2124MXYZ switch", "MES2124"}, // more than a variant letter or two
		{"S5720", "Huawei S5720-28X-SI", "S5720"},    // sysDescr opens with the maker
		{"Linksys LGS318P", "Linksys LGS318P", "Linksys LGS318P"},
		{"", "LGS318P 18-Port", ""},
		{"DCS-7050", "DCS-7050TX 4.15", "DCS-7050TX"},
		{"AB12", "ab12c", "AB12"}, // not modelLike
	} {
		if got := descrVariant(c.model, c.descr); got != c.want {
			t.Errorf("descrVariant(%q, %q) = %q, want %q", c.model, c.descr, got, c.want)
		}
	}
}

// TestChassisModelOrderCode: an HPE order code as the chassis row's model
// name gives way to the row's description; another model name does not,
// nor does a description that only repeats sysDescr or names no product.
// The software version Comware appends to the description is cut off.
func TestChassisModelOrderCode(t *testing.T) {
	for _, c := range []struct{ model, descr, sysDescr, want string }{
		{"JL635A", "Aruba 8325 1-slot Chassis", "Aruba JL635A 8325 GL.10.04.2000", "Aruba 8325 1-slot Chassis"},
		{"JD377A", "HP A5500-24G EI Switch with 2 Interface Slots Software Version 5.20.99", "HP Comware Platform Software, Software Version 5.20.99 Release 2222P08\nHP A5500-24G EI Switch with 2 Interface Slots",
			"HP A5500-24G EI Switch with 2 Interface Slots"},
		{"JD377A", "HP A5500-24G EI Switch, Software, Version 7.1.045", "Comware", "HP A5500-24G EI Switch"},
		{"JL635A", "Chassis", "Aruba JL635A 8325 GL.10.04.2000", "JL635A"},
		{"JL635A", "Aruba JL635A 8325 GL.10.04.2000", "Aruba JL635A 8325 GL.10.04.2000", "JL635A"},
		{"WS-C2960-24TT-L", "Catalyst 2960 24 port", "Cisco IOS Software", "WS-C2960-24TT-L"},
	} {
		vs := newValues(c.sysDescr)
		for col, v := range map[int]string{entColDescr: c.descr, entColClass: entClassChassis, entColModel: c.model} {
			vs.column[entPhysicalEntry+"."+strconv.Itoa(col)] = []row{{index: "1", value: value{text: v}}}
		}
		var id identity
		if got := id.first("model", chassisModel(vs, vs.chassis()), vs, vs.chassis()); got != c.want {
			t.Errorf("model %q, descr %q: got %q, want %q", c.model, c.descr, got, c.want)
		}
	}
}

// TestFillFromNumberedModel: a hearsay model gives way to the numbered
// model of its product line the continuation finds; not to another
// deeper name or product number.
func TestFillFromNumberedModel(t *testing.T) {
	for _, c := range []struct{ first, deep, want string }{
		{"EfficientIP SOLIDserver", "SOLIDserver-550", "SOLIDserver-550"},
		{"EfficientIP SOLIDserver", "SOLIDserverX550", "EfficientIP SOLIDserver"}, // a longer word, not the line's
		{"EfficientIP SOLIDserver 550", "SOLIDserver-550", "EfficientIP SOLIDserver 550"},
		{"Cambium ePMP", "ePTP Master", "Cambium ePMP"},
		{"Forcepoint NGFW", "Sensor 1500", "Forcepoint NGFW"},
		{"sdi410C", "DVB-S2", "sdi410C"}, // a product number of something else
	} {
		id := identity{Model: c.first, hearsayModel: true}
		if got := id.fillFrom(identity{Model: c.deep}).Model; got != c.want {
			t.Errorf("fillFrom(%q, deeper %q) = %q, want %q", c.first, c.deep, got, c.want)
		}
	}
	id := identity{Model: "EfficientIP SOLIDserver"} // read from the maker's objects, not hearsay
	if got := id.fillFrom(identity{Model: "SOLIDserver-550"}).Model; got != "EfficientIP SOLIDserver" {
		t.Errorf("a model not hearsay was replaced by %q", got)
	}
}

// TestOpenBSDBanner: an OpenBSD or NetBSD banner names the machine as the
// Linux entry does, and the release.
func TestOpenBSDBanner(t *testing.T) {
	for descr, want := range map[string][2]string{
		"OpenBSD hostname 5.3 GENERIC.MP#58 i386":             {"Generic x86", "5.3"},
		"OpenBSD fw.example.com 7.1 GENERIC.MP#465 amd64":     {"Generic x86 64-bit", "7.1"},
		"NetBSD nas 9.3 NetBSD 9.3 (GENERIC) #0: Thu aarch64": {"", "9.3"},
	} {
		vs := newValues(descr)
		id := identify("1.3.6.1.4.1.8072.3.2.12", candidates("1.3.6.1.4.1.8072.3.2.12", descr), vs)
		if id.Family != "openbsd" || id.Model != want[0] || id.Firmware != want[1] {
			t.Errorf("%q: family %q model %q firmware %q, want openbsd %q %q", descr, id.Family, id.Model, id.Firmware, want[0], want[1])
		}
	}
}

// TestBarePartNumberDescr: a sysDescr that is only a product number names
// the model before the maker's first objects; a host name does not.
func TestBarePartNumberDescr(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1"
	for _, c := range []struct{ descr, sysName, want string }{
		{"AN5516-01", "", "AN5516-01"},
		{"PL-1000IL", "", "PL-1000IL"},
		{"SW-CORE-01", "sw-core-01", "RP0700"}, // the host's name: the maker's object answers
	} {
		vs := newValues(c.descr)
		vs.sysName = c.sysName
		vs.subtree, vs.subtreeScalars = []value{{text: "RP0700"}, {text: "WKE2.115.331R1A"}}, 2
		if got := identify(oid, candidates(oid, c.descr), vs).Model; got != c.want {
			t.Errorf("%q: model %q, want %q", c.descr, got, c.want)
		}
	}
}

// TestMakerThenModel: an identity group that opens with the maker's name
// names the model next, which is then no serial number.
func TestMakerThenModel(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1"
	for _, c := range []struct {
		group         []string
		model, serial string
	}{
		{[]string{"Minuteman", "E1500RTXL2U", "03"}, "E1500RTXL2U", ""},
		{[]string{"Minuteman", "Rack 4", "03"}, "", ""},                     // a place, not a model
		{[]string{"Main building", "E1500RTXL2U", "03"}, "", "E1500RTXL2U"}, // no maker's name first
	} {
		vs := newValues("UPS SNMP Agent")
		for _, g := range c.group {
			vs.subtree = append(vs.subtree, value{text: g})
		}
		vs.subtreeScalars = len(c.group)
		id := identify(oid, candidates(oid, vs.descr), vs)
		if id.Model != c.model || id.Serial != c.serial {
			t.Errorf("%q: model %q serial %q, want %q %q", c.group, id.Model, id.Serial, c.model, c.serial)
		}
	}
}

// TestSerialNotRepeatedText: a scalar whose text a table's rows repeat (a
// part's version on every row) is no serial; alone it may be.
func TestSerialNotRepeatedText(t *testing.T) {
	vs := newValues("AN5516-01")
	vs.subtree = []value{{text: "RP0700"}, {text: "WKE2.115.331R1A"}, {text: "RP0700", repeated: true}, {text: "RP0700", repeated: true}}
	if got := vs.guess(guessSerial); got != "" {
		t.Errorf("serial guess %q, want none: the rows repeat it", got)
	}
	vs.subtree, vs.guessed = vs.subtree[:2], subtreeGuesses{}
	if got := vs.guess(guessSerial); got != "RP0700" {
		t.Errorf("serial guess %q, want RP0700 when no row repeats it", got)
	}
}
