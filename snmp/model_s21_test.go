package snmp

import (
	"context"
	"net/netip"
	"testing"
)

// TestLineSibling: a model sysDescr names gives way to the maker's scalar
// that numbers another product of the same line (a line's products share
// one software image); a table row of that shape (a card's, a
// neighbour's), another line's number and a number of other length do
// not replace it.
func TestLineSibling(t *testing.T) {
	const head = "1.3.6.1.2.1.1.1.0|4|D9854 APR\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.2.6\n"
	for _, c := range []struct {
		name, rec, want string
	}{
		{"the unit's scalar", "1.3.6.1.4.1.99999.2.5.1.1.1.0|4|1.50(1.11)\n1.3.6.1.4.1.99999.2.5.1.1.4.0|4|D9859\n1.3.6.1.4.1.99999.2.5.1.1.5.0|4|361356018144\n", "D9859"},
		{"a table row", "1.3.6.1.4.1.99999.2.5.1.1.1.0|4|1.50(1.11)\n1.3.6.1.4.1.99999.2.5.1.1.5.0|4|361356018144\n1.3.6.1.4.1.99999.2.5.3.1.2.1|4|D9859\n", "D9854"},
		{"another line", "1.3.6.1.4.1.99999.2.5.1.1.1.0|4|1.50(1.11)\n1.3.6.1.4.1.99999.2.5.1.1.4.0|4|K9859\n1.3.6.1.4.1.99999.2.5.1.1.5.0|4|361356018144\n", "D9854"},
		{"other digits", "1.3.6.1.4.1.99999.2.5.1.1.1.0|4|1.50(1.11)\n1.3.6.1.4.1.99999.2.5.1.1.4.0|4|D98590\n1.3.6.1.4.1.99999.2.5.1.1.5.0|4|361356018144\n", "D9854"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := recordingOf(t, head+c.rec)
			o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
			if err != nil {
				t.Fatal(err)
			}
			if o.Model != c.want {
				t.Errorf("model %q, want %q (evidence %v)", o.Model, c.want, o.Evidence)
			}
		})
	}
	for model, want := range map[string]string{"DSR-6404": "DSR-4410MD", "DSR6404": "", "ZXR10": ""} {
		vs := newValues("")
		vs.subtree, vs.subtreeScalars = []value{{name: "1.3.6.1.4.1.1166.1.621.14.2.0", text: "DSR-4410MD"}}, 1
		if got := vs.lineSibling(model, true); got != want {
			t.Errorf("lineSibling(%q) = %q, want %q", model, got, want)
		}
		if got := vs.lineSibling(model, false); got != "" {
			t.Errorf("lineSibling(%q) of a model not from sysDescr = %q, want none", model, got)
		}
	}
}

// TestAgentSoftware: a model sysDescr gives that the maker's identity
// group names as software with its version ("Net Vision 8 v8.00") is the
// management card's: the group's product is the device's. Another
// software's name leaves sysDescr's model.
func TestAgentSoftware(t *testing.T) {
	const head = "1.3.6.1.2.1.1.1.0|4|NetVision-8\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1.1.7\n" +
		"1.3.6.1.4.1.99999.1.1.7.1.1.1.0|4|NETYS RT\n1.3.6.1.4.1.99999.1.1.7.1.1.2.0|4|2D22451188\n"
	for software, want := range map[string]string{"Net Vision 8 v8.00": "NETYS RT", "Net Agent 2 v2.10": "NetVision-8"} {
		rec := recordingOf(t, head+"1.3.6.1.4.1.99999.1.1.7.1.1.5.0|4|"+software+"\n")
		o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
		if err != nil {
			t.Fatal(err)
		}
		if o.Model != want {
			t.Errorf("beside %q: model %q, want %q (evidence %v)", software, o.Model, want, o.Evidence)
		}
	}
}
