package snmp

import "testing"

// TestMakerDescribedModel: a description that opens with the maker's
// name (the sysObjectID's enterprise) and names a numbered product after
// a comma gives that product before a guess among the maker's first
// objects, which may be a channel's name; one that opens with another
// name leaves the guess its place.
func TestMakerDescribedModel(t *testing.T) {
	const tait = "1.3.6.1.4.1.3570.2.2"
	for _, c := range []struct{ descr, want string }{
		{"Tait Communications, TB9300/TB7300, DMR Base Station, QBC30BSM, Version: dmr-3.05.00.0007", "TB9300/TB7300"},
		{"TAIT Communications, TB9300, DMR Base Station", "TB9300"},
		{"Acme Radio, TB9300/TB7300, DMR Base Station, Version: dmr-3.05.00.0007", "LIN-1"},
	} {
		vs := newValues(c.descr)
		vs.subtree = []value{{text: "LIN-1"}, {text: "DMR Tier 3"}}
		vs.subtreeScalars = 2
		if id := identify(tait, candidates(tait, c.descr), vs); id.Model != c.want {
			t.Errorf("%.40q: model %q, want %q", c.descr, id.Model, c.want)
		}
	}
}
