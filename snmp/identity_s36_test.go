package snmp

import (
	"context"
	"net/netip"
	"testing"

	"tend/inventory"
)

// identifyText identifies the agent text (snmprec lines) serves, the
// real poller code over a recording a test writes.
func identifyText(t *testing.T, text string) inventory.Observation {
	t.Helper()
	rec := recordingOf(t, text)
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestScalarRepeatingDescrIsModel: a scalar of the maker's MIB that
// repeats sysDescr, a product's name no grammar reads, is the model,
// before the identity group's first scalars (the unit's configured name,
// a hardware revision in hexadecimal): whatever the enterprise.
func TestScalarRepeatingDescrIsModel(t *testing.T) {
	for _, name := range []string{"Lobby West 2", "<private>"} {
		o := identifyText(t, `1.3.6.1.2.1.1.1.0|4|ACME IP nightsight 8000 MP
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.64999.1.1.0
1.3.6.1.2.1.1.5.0|4|<private>
1.3.6.1.4.1.64999.1.1.1.1.0|4|`+name+`
1.3.6.1.4.1.64999.1.1.1.4.0|4|F000AA43
1.3.6.1.4.1.64999.1.1.1.5.0|4|24500793
1.3.6.1.4.1.64999.1.1.1.7.0|4|Acme
1.3.6.1.4.1.64999.1.1.5.1.0|4|ACME IP nightsight 8000 MP
`)
		if o.Model != "ACME IP nightsight 8000 MP" {
			t.Errorf("unit name %q: model %q, want the product's name sysDescr and the maker's MIB agree on", name, o.Model)
		}
	}
}
