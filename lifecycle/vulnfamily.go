package lifecycle

import (
	"strings"

	"tend/internal/lazyre"
)

// vulnVendorRule recognises a product family of the vulnerability catalog
// that has no lifecycle version grammar (per-model firmware of switches,
// printers, cameras, access points) from the identity strings.
type vulnVendorRule struct {
	product string
	re      *lazyre.Regexp
}

// vulnVendorRules are tried in order on the identity's haystack (make,
// model, OS, firmware, sysDescr and MAC registry vendor, lower-cased).
// Products the catalog does not cover are listed too, so their verdict
// says "no data for this family" rather than nothing.
var vulnVendorRules = []vulnVendorRule{
	{"fortiap", lazyre.New(`fortiap|\bfap-?\d`)},
	{"watchguard-fireware", lazyre.New(`watchguard|fireware`)},
	{"draytek", lazyre.New(`draytek|\bvigor`)},
	{"zyxel", lazyre.New(`zyxel|zywall`)},
	{"cisco-spa", lazyre.New(`\bspa\d{3}|ciscospa`)},
	{"cisco-small-business", lazyre.New(`ciscosb|\bcbs\d{3}|\bsg\d{3}|\brv\d{3}|small business`)},
	{"arubaos-switch", lazyre.New(`procurve|arubaos-switch|\bj\d{4}a\b`)},
	{"arubaos", lazyre.New(`aruba-?instant|arubaos|aruba ap`)},
	{"netgear", lazyre.New(`netgear`)},
	{"tplink", lazyre.New(`tp-?link|jetstream`)},
	{"dlink", lazyre.New(`d-?link`)},
	{"swos", lazyre.New(`\bswos\b|\bcss\d{3}`)},
	{"ubiquiti-edgeswitch", lazyre.New(`edgeswitch`)},
	{"ubiquiti-edgeos", lazyre.New(`edgeos|edgerouter`)},
	{"ubiquiti-unifi", lazyre.New(`unifi|\buap-|\busw-|\budm`)},
	{"ubiquiti-airos", lazyre.New(`airos`)},
	{"ruckus", lazyre.New(`ruckus`)},
	{"hpe-ilo", lazyre.New(`\bilo\b|hpe-ilo|integrated lights-out`)},
	{"hp-printer", lazyre.New(`jetdirect|laserjet|officejet|deskjet|pagewide`)},
	{"brother-printer", lazyre.New(`brother`)},
	{"hikvision", lazyre.New(`hikvision`)},
	{"dahua", lazyre.New(`dahua`)},
	{"qnap-quts-hero", lazyre.New(`quts`)},
	{"qnap-qts", lazyre.New(`qnap|\bqts\b`)},
	{"apc-nmc", lazyre.New(`\bapc\b|powernet|american power conversion`)},
	{"ricoh", lazyre.New(`ricoh`)},
	{"kyocera", lazyre.New(`kyocera`)},
	{"canon", lazyre.New(`\bcanon`)},
	{"eaton", lazyre.New(`eaton`)},
	{"axis", lazyre.New(`\baxis\b`)},
	{"grandstream", lazyre.New(`grandstream`)},
}

var (
	reFortiAP  = lazyre.New(`(?i)v(\d+\.\d+(?:\.\d+)?)`)
	reProCurve = lazyre.New(`(?i)\b([a-z]{1,2})\.(\d{2})\.(\d{2})(?:\.(\d{4}))?`)
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
