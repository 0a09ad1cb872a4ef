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
	{"fortiap", &lazyre.Regexp{Expr: `fortiap|\bfap-?\d`}},
	{"watchguard-fireware", &lazyre.Regexp{Expr: `watchguard|fireware`}},
	{"draytek", &lazyre.Regexp{Expr: `draytek|\bvigor`}},
	{"zyxel", &lazyre.Regexp{Expr: `zyxel|zywall`}},
	{"cisco-spa", &lazyre.Regexp{Expr: `\bspa\d{3}|ciscospa`}},
	{"cisco-small-business", &lazyre.Regexp{Expr: `ciscosb|\bcbs\d{3}|\bsg\d{3}|\brv\d{3}|small business`}},
	{"arubaos-switch", &lazyre.Regexp{Expr: `procurve|arubaos-switch|\bj\d{4}a\b`}},
	{"arubaos", &lazyre.Regexp{Expr: `aruba-?instant|arubaos|aruba ap`}},
	{"netgear", &lazyre.Regexp{Expr: `netgear`}},
	{"tplink", &lazyre.Regexp{Expr: `tp-?link|jetstream`}},
	{"dlink", &lazyre.Regexp{Expr: `d-?link`}},
	{"swos", &lazyre.Regexp{Expr: `\bswos\b|\bcss\d{3}`}},
	{"ubiquiti-edgeswitch", &lazyre.Regexp{Expr: `edgeswitch`}},
	{"ubiquiti-edgeos", &lazyre.Regexp{Expr: `edgeos|edgerouter`}},
	{"ubiquiti-unifi", &lazyre.Regexp{Expr: `unifi|\buap-|\busw-|\budm`}},
	{"ubiquiti-airos", &lazyre.Regexp{Expr: `airos`}},
	{"ruckus", &lazyre.Regexp{Expr: `ruckus`}},
	{"hpe-ilo", &lazyre.Regexp{Expr: `\bilo\b|hpe-ilo|integrated lights-out`}},
	{"hp-printer", &lazyre.Regexp{Expr: `jetdirect|laserjet|officejet|deskjet|pagewide`}},
	{"brother-printer", &lazyre.Regexp{Expr: `brother`}},
	{"hikvision", &lazyre.Regexp{Expr: `hikvision`}},
	{"dahua", &lazyre.Regexp{Expr: `dahua`}},
	{"qnap-quts-hero", &lazyre.Regexp{Expr: `quts`}},
	{"qnap-qts", &lazyre.Regexp{Expr: `qnap|\bqts\b`}},
	{"apc-nmc", &lazyre.Regexp{Expr: `\bapc\b|powernet|american power conversion`}},
	{"ricoh", &lazyre.Regexp{Expr: `ricoh`}},
	{"kyocera", &lazyre.Regexp{Expr: `kyocera`}},
	{"canon", &lazyre.Regexp{Expr: `\bcanon`}},
	{"eaton", &lazyre.Regexp{Expr: `eaton`}},
	{"axis", &lazyre.Regexp{Expr: `\baxis\b`}},
	{"grandstream", &lazyre.Regexp{Expr: `grandstream`}},
}

var (
	reFortiAP  = &lazyre.Regexp{Expr: `(?i)v(\d+\.\d+(?:\.\d+)?)`}
	reProCurve = &lazyre.Regexp{Expr: `(?i)\b([a-z]{1,2})\.(\d{2})\.(\d{2})(?:\.(\d{4}))?`}
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
