package lifecycle

import (
	"regexp"
	"strings"
)

// vulnVendorRule recognises a product family of the vulnerability catalog
// that has no lifecycle version grammar (per-model firmware of switches,
// printers, cameras, access points) from the identity strings.
type vulnVendorRule struct {
	product string
	re      *regexp.Regexp
}

// vulnVendorRules are tried in order on the identity's haystack (make,
// model, OS, firmware, sysDescr and MAC registry vendor, lower-cased).
// Products the catalog does not cover are listed too, so their verdict
// says "no data for this family" rather than nothing.
var vulnVendorRules = []vulnVendorRule{
	{"fortiap", regexp.MustCompile(`fortiap|\bfap-?\d`)},
	{"watchguard-fireware", regexp.MustCompile(`watchguard|fireware`)},
	{"draytek", regexp.MustCompile(`draytek|\bvigor`)},
	{"zyxel", regexp.MustCompile(`zyxel|zywall`)},
	{"cisco-spa", regexp.MustCompile(`\bspa\d{3}|ciscospa`)},
	{"cisco-small-business", regexp.MustCompile(`ciscosb|\bcbs\d{3}|\bsg\d{3}|\brv\d{3}|small business`)},
	{"arubaos-switch", regexp.MustCompile(`procurve|arubaos-switch|\bj\d{4}a\b`)},
	{"arubaos", regexp.MustCompile(`aruba-?instant|arubaos|aruba ap`)},
	{"netgear", regexp.MustCompile(`netgear`)},
	{"tplink", regexp.MustCompile(`tp-?link|jetstream`)},
	{"dlink", regexp.MustCompile(`d-?link`)},
	{"swos", regexp.MustCompile(`\bswos\b|\bcss\d{3}`)},
	{"ubiquiti-edgeswitch", regexp.MustCompile(`edgeswitch`)},
	{"ubiquiti-edgeos", regexp.MustCompile(`edgeos|edgerouter`)},
	{"ubiquiti-unifi", regexp.MustCompile(`unifi|\buap-|\busw-|\budm`)},
	{"ubiquiti-airos", regexp.MustCompile(`airos`)},
	{"ruckus", regexp.MustCompile(`ruckus`)},
	{"hpe-ilo", regexp.MustCompile(`\bilo\b|hpe-ilo|integrated lights-out`)},
	{"hp-printer", regexp.MustCompile(`jetdirect|laserjet|officejet|deskjet|pagewide`)},
	{"brother-printer", regexp.MustCompile(`brother`)},
	{"hikvision", regexp.MustCompile(`hikvision`)},
	{"dahua", regexp.MustCompile(`dahua`)},
	{"qnap-quts-hero", regexp.MustCompile(`quts`)},
	{"qnap-qts", regexp.MustCompile(`qnap|\bqts\b`)},
	{"apc-nmc", regexp.MustCompile(`\bapc\b|powernet|american power conversion`)},
	{"ricoh", regexp.MustCompile(`ricoh`)},
	{"kyocera", regexp.MustCompile(`kyocera`)},
	{"canon", regexp.MustCompile(`\bcanon`)},
	{"eaton", regexp.MustCompile(`eaton`)},
	{"axis", regexp.MustCompile(`\baxis\b`)},
	{"grandstream", regexp.MustCompile(`grandstream`)},
}

var (
	reFortiAP  = regexp.MustCompile(`(?i)v(\d+\.\d+(?:\.\d+)?)`)
	reProCurve = regexp.MustCompile(`(?i)\b([a-z]{1,2})\.(\d{2})\.(\d{2})(?:\.(\d{4}))?`)
)

// vulnProductOf finds the catalog family of an identity no grammar reads.
func vulnProductOf(id Facts) (string, bool) {
	hay := id.haystack()
	for _, r := range vulnVendorRules {
		if r.re.MatchString(hay) {
			return r.product, true
		}
	}
	return "", false
}

// parseSpecial reads the products whose versions the generic reader gets
// wrong: FortiAP ("FP231G-v7.4-build0771") and ProCurve ("W.15.08.0012",
// which NVD writes "w.15.08.0012").
func parseSpecial(product, s string) (string, bool) {
	switch product {
	case "fortiap":
		if m := reFortiAP.FindStringSubmatch(s); m != nil {
			return m[1], true
		}
	case "arubaos-switch":
		if m := reProCurve.FindStringSubmatch(s); m != nil {
			return strings.ToLower(strings.Join(slicesNonEmpty(m[1:]), ".")), true
		}
	}
	return "", false
}

func slicesNonEmpty(s []string) []string {
	var out []string
	for _, p := range s {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
