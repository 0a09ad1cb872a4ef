package snmp

import (
	"slices"
	"strings"
	"testing"

	"github.com/gosnmp/gosnmp"
)

// TestTimetraChassisRow: TIMETRA-CHASSIS-MIB's hardware table keys its rows
// by class in the top octet (TmnxHwIndex); with no family rule, the
// serial is the chassis row's (1.0x03000001), not the first row's, which on
// a 7705 is a control card's; the first row still answers when the
// chassis row is empty.
func TestTimetraChassisRow(t *testing.T) {
	const oid = "1.3.6.1.4.1.6527.6.1.1.2.1"
	const descr = "TiMOS-B-9.0.R11 both/hops Nokia 7705 SAR"
	const col = "1.3.6.1.4.1.6527.3.1.2.2.1.8.1.5"
	scalars, _ := vendorReads(oid, vendorOIDs())
	if !slices.Contains(scalars, col+".1.50331649") {
		t.Fatalf("vendor GET %v lacks the chassis row %s.1.50331649", scalars, col)
	}
	cands := knowledge{rules: blindRules(map[string]map[string]bool{"timos": {"timos": true}}, "timos")}.candidates(oid, descr)
	for _, c := range []struct{ chassis, want string }{{"LL122819029", "LL122819029"}, {"", "NS1637S2845"}} {
		vs := newValues(descr)
		scalars, columns := reads(oid, cands, vs.vendorTable())
		vars := []gosnmp.SnmpPDU{octets(col+".1.50331649", c.chassis)}
		vs.addScalars(slices.DeleteFunc(vars, func(v gosnmp.SnmpPDU) bool {
			return !slices.Contains(scalars, strings.TrimPrefix(v.Name, "."))
		}))
		vs.addRows(columns, []gosnmp.SnmpPDU{octets(col+".1.16842753", "NS1637S2845"), octets(col+".1.16908289", "")})
		if id := identify(oid, cands, vs); id.Serial != c.want {
			t.Errorf("chassis row %q: serial %q, want %q", c.chassis, id.Serial, c.want)
		}
	}
}

// TestDatedBuildNotSerial: a firmware build stamped with its date
// ("180914PL1760", YYMMDD then letters and the build's number) is no
// serial number; the unit's serial further along the row answers. Six
// leading digits that are no calendar date still make a serial.
func TestDatedBuildNotSerial(t *testing.T) {
	for _, c := range []struct {
		v    string
		want bool
	}{
		{"180914PL1760", true}, {"180821PL1736", true}, {"231130B0042", true},
		{"684624H197019306", false}, {"448102AA1A64", false}, {"581254X1919216", false},
		{"999999Z9999999", false}, {"012345EMF8K0", false}, {"SVNL00655429", false},
	} {
		if got := dateStamped(c.v); got != c.want {
			t.Errorf("dateStamped(%q) = %v, want %v", c.v, got, c.want)
		}
	}
	const oid = "1.3.6.1.4.1.31034.11.3"
	const row = "1.3.6.1.4.1.31034.12.1.1.2.1.1.1."
	vs := newValues("Schleifenbauer")
	vs.vendor = vendorOIDs().without(func(r vendorRow) bool { return strings.HasPrefix(r.oid, "1.3.6.1.4.1.31034.") })
	vs.addSubtree([]string{oid, "1.3.6.1.4.1.31034"}, []gosnmp.SnmpPDU{
		{Name: "." + row + "2.1", Type: gosnmp.Integer, Value: 250},
		octets(row+"3.1", "180914PL1760"), octets(row+"4.1", ""), octets(row+"5.1", ""),
		octets(row+"6.1", "SVNL00655429"), octets(row+"10.1", "dpm27e-test"),
	})
	if id := identify(oid, candidates(oid, "Schleifenbauer"), vs); id.Serial != "SVNL00655429" {
		t.Errorf("serial %q, want SVNL00655429", id.Serial)
	}
}
