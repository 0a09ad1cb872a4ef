package snmp

import (
	"context"
	"net/netip"
	"strings"
	"testing"
)

// TestModelSansRelease: a model loses the firmware release it carries
// after the product's number, written apart from it; a release inside
// the number, one after a name without a number, or none, leave it
// whole.
func TestModelSansRelease(t *testing.T) {
	for _, c := range []struct {
		model, firmware, want string
	}{
		{"SiteBoss 572 2.12.570 STD", "2.12.570", "SiteBoss 572"},
		{"PowerConnect 6248, 3.3.7.3, VxWorks", "3.3.7.3", "PowerConnect 6248"},
		{"XG6846_4.12ITT01.99", "4.12ITT01.99", "XG6846"},
		{"Acme AX-1000 v2.4.1", "2.4.1", "Acme AX-1000"},
		{"Apex Lynx-2.0.2", "2.0.2", ""},                             // a line's name, its release sets it apart
		{"RouterOS 6.40.5 (stable) on RB952Ui-5ac2nD", "6.40.5", ""}, // the system's name, not a product number
		{"XXX2.8", "2.8", ""},                                        // the number is the product's
		{"SiteBoss 572 2.12.570 STD", "2.12", ""},                    // inside a longer number
		{"SiteBoss 572", "2.12.570", ""},                             // no release in it
		{"AX-1000 Router", "V1", ""},
		{"Smart-UPS RT 3000 2200", "2200", ""},                                      // a bare number may be the product's                                                // too short to be sure of
		{"2.12.570 SiteBoss", "2.12.570", ""},                                       // nothing before it
		{"TL-SG3428 1.0", "1.0", "TL-SG3428"},                                       // a release of two numbers, apart
		{"Model 1.0.2", "1.0.2", ""},                                                // no product number left
		{"FortiGate-60F v7.2.8,build1639,240313 (GA.M)", "v7.2.8", "FortiGate-60F"}, // the release as found, "v" and all
	} {
		if got := modelSansRelease(c.model, c.firmware); got != c.want {
			t.Errorf("modelSansRelease(%q, %q) = %q, want %q", c.model, c.firmware, got, c.want)
		}
	}
}

// TestModelWithoutRelease: an agent whose sysDescr names the product and
// its release in one run of words ("SiteBoss 572 2.12.570 STD") is the
// product without the release, which is the firmware.
func TestModelWithoutRelease(t *testing.T) {
	rec := recordingOf(t, `1.3.6.1.2.1.1.1.0|4|SiteBoss 572 2.12.570 STD
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.20.3.2
`)
	o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Model != "SiteBoss 572" || o.Firmware != "2.12.570" {
		t.Errorf("model %q firmware %q, want SiteBoss 572 and 2.12.570 (evidence %v)", o.Model, o.Firmware, o.Evidence)
	}
}

// FuzzModelSansRelease: any model and firmware, valid UTF-8 or not, give
// "" or a shorter part of the model before the release, without
// separators at its ends, and never panic.
func FuzzModelSansRelease(f *testing.F) {
	f.Add("SiteBoss 572 2.12.570 STD", "2.12.570")
	f.Add("XG6846_4.12ITT01.99", "4.12ITT01.99")
	f.Add("\xffAX-1 v\xfe1.2", "\xfe1.2")
	f.Add("İ1 v1.2.3", "1.2.3")
	f.Fuzz(func(t *testing.T, model, firmware string) {
		got := modelSansRelease(model, firmware)
		if got == "" {
			return
		}
		if i := strings.Index(model, got); i < 0 || !strings.Contains(model[i+len(got):], firmware) || strings.TrimFunc(got, releaseSeparator) != got {
			t.Errorf("modelSansRelease(%q, %q) = %q: not the model's trimmed words before the release", model, firmware, got)
		}
	})
}
