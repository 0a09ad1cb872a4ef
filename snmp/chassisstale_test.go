package snmp

import "testing"

// TestStaleChassisRow: a chassis row whose software release sysDescr
// contradicts names other hardware, and the model sysDescr states wins;
// a row that agrees, or whose release sysDescr spells shorter or does
// not name at all, keeps the chassis row's model.
func TestStaleChassisRow(t *testing.T) {
	const oid = "1.3.6.1.4.1.30065.1.3011.7050.1958.128"
	for _, c := range []struct {
		descr, rev, want string
	}{
		{"Arista Networks EOS version 4.15.3F running on an Arista Networks DCS-7050TX-128", "4.18.10M", "DCS-7050TX-128"},
		{"Arista Networks EOS version 4.18.10M running on an Arista Networks DCS-7050TX-128", "4.18.10M", "DCS-7050S-52"},
		{"Acme OS Version 15.2(4)E Series: AX-200", "15.2(4)E7", "DCS-7050S-52"},
		{"Acme switch, Series: AX-200", "4.18.10M", "DCS-7050S-52"},
		{"Acme OS Version: 9.9(0.0P9) Series: S4048-ON Copyright", "9.13(0.2)", "S4048-ON"},
		{"Acme OS version 2.1 running on an Acme Networks", "3.0", "DCS-7050S-52"}, // nothing stated
	} {
		vs := newValues(c.descr)
		setEntity(vs, entColClass, [2]string{"1", entClassChassis})
		setEntity(vs, entColContainedIn, [2]string{"1", "0"})
		setEntity(vs, entColModel, [2]string{"1", "DCS-7050S-52"})
		setEntity(vs, entColSoftwareRev, [2]string{"1", c.rev})
		if id := identify(oid, candidates(oid, c.descr), vs); id.Model != c.want {
			t.Errorf("%q with a chassis row at %s: model %q, want %q", c.descr, c.rev, id.Model, c.want)
		}
	}
}

// TestMakerDescribedChassis: a chassis row that names the maker and its
// product in words names the model when nothing else does; the maker's
// name and class words alone, or another maker's name, do not.
func TestMakerDescribedChassis(t *testing.T) {
	const oid = "1.3.6.1.4.1.40310" // Cumulus Networks, inc
	for descr, want := range map[string]string{
		"Cumulus Networks  VX Chassis": "Cumulus Networks VX Chassis",
		"Cumulus Networks Chassis":     "",
		"Cumulus Networks, Inc.":       "",
		"Acme Networks VX Chassis":     "", // another maker's name
	} {
		vs := newValues("Cumulus-Linux 4.4.2")
		setEntity(vs, entColClass, [2]string{"1", entClassChassis})
		setEntity(vs, entColContainedIn, [2]string{"1", "0"})
		setEntity(vs, entColDescr, [2]string{"1", descr})
		if got := identify(oid, candidates(oid, vs.descr), vs).Model; got != want {
			t.Errorf("chassis row %q: model %q, want %q", descr, got, want)
		}
	}
}
