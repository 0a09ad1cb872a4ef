package snmp

import (
	"slices"
	"strings"
	"unicode"
)

// LLDP-MIB (IEEE 802.1AB) local system data: lldpLocSysDesc, "the textual
// description of the local system", which agents fill with the sysDescr
// they would otherwise give ("ProCurve J8697A Switch 5406zl, revision
// K.15.04.0015m, ROM K.15.28"; "Juniper Networks, Inc. mx480 , version
// 12.1R2.2").
const lldpLocSysDesc = "1.0.8802.1.1.2.1.3.4.0"

// thinDescr reports whether a sysDescr describes nothing: empty, or at
// most three words without a digit that name no release ("community
// list", "<private>", "Switch"). Only then is lldpLocSysDesc asked for,
// in the identity GET the agent answers anyway.
func thinDescr(d string) bool {
	return len(strings.Fields(d)) <= 3 && strings.IndexFunc(d, unicode.IsDigit) < 0
}

// lldpDescribed reads lldpLocSysDesc as the sysDescr when sysDescr is
// thin and the LLDP description is not (it names a number): the rules
// are matched again against it and the objects the new candidates name
// that were not asked for are read (one more GET, on such agents only).
// It returns the candidates to identify with.
func (vs *values) lldpDescribed(sess session, k knowledge, sysOID string, cands []*rule, asked []string) []*rule {
	d := tidy(vs.scalar[lldpLocSysDesc].text)
	if d == "" || thinDescr(d) {
		return cands
	}
	vs.descr = d
	cands = k.candidates(sysOID, d)
	scalars, _ := reads(sysOID, cands, vs.vendorTable())
	var more []string
	for _, o := range scalars {
		if _, ok := vs.scalar[o]; !ok && !slices.Contains(asked, o) {
			more = append(more, o)
		}
	}
	if len(more) > 0 {
		vars, _ := getAll(sess, more)
		vs.addScalars(vars)
	}
	return cands
}
