package snmp

import "testing"

// TestRunningFirmwareGuards: the maker's scalar replaces sysDescr's
// version only when it is among the identity group's first scalars, not
// an address, and a later release in the same shape; a part's or a
// bootloader's older version listed first, an address of a version's
// shape, or a release past the group's bound leaves sysDescr's.
func TestRunningFirmwareGuards(t *testing.T) {
	const oid = "1.3.6.1.4.1.5597.3"
	for _, c := range []struct {
		descr   string
		objects []string
		want    string
	}{
		{`"Meinberg LANTIME V10.1.0.15"`, []string{"10.0.0.15"}, "10.1.0.15"},          // the review's address
		{`"Meinberg LANTIME V10.1.0.15"`, []string{"10.2.0.15"}, "10.1.0.15"},          // an address, though "later"
		{`"Meinberg LANTIME V6.20.014"`, []string{"1.00.003", "6.20.014"}, "6.20.014"}, // the review's bootloader
		{`"Meinberg LANTIME V6.20.014"`, []string{"1.00.003", "7.00.014"}, "7.00.014"}, // the older part skipped
		{`"Meinberg LANTIME V6.20.014"`, []string{"a", "b", "c", "d", "7.00.014"}, "6.20.014"},
		{`"Meinberg LANTIME V6.20.014"`, []string{"6.19.999"}, "6.20.014"},
		{`"Meinberg LANTIME V6.20.014"`, []string{"6.20.015"}, "6.20.015"},
	} {
		vs := newValues(c.descr)
		for i, o := range c.objects {
			vs.subtree = append(vs.subtree, value{text: o, name: "1.3.6.1.4.1.5597.30.0.0." + string(rune('2'+i)) + ".0"})
		}
		vs.subtreeScalars = len(c.objects)
		if id := identify(oid, candidates(oid, c.descr), vs); id.Firmware != c.want {
			t.Errorf("%s beside %q: firmware %q, want %q", c.descr, c.objects, id.Firmware, c.want)
		}
	}
}

// TestNewerRelease: same shape and greater numbers from the first.
func TestNewerRelease(t *testing.T) {
	for _, c := range []struct {
		t, old string
		want   bool
	}{
		{"7.00.014", "6.20.014", true}, {"1.00.003", "6.20.014", false}, {"6.20.014", "6.20.014", false},
		{"7.0.14", "6.20.014", false}, {"10.00.014", "6.20.014", false}, {"6.20.02b", "6.20.01b", true}, {"", "6.20.014", false},
	} {
		if got := newerRelease(c.t, c.old); got != c.want {
			t.Errorf("newerRelease(%q, %q) = %v, want %v", c.t, c.old, got, c.want)
		}
	}
}
