package snmp

import (
	"strconv"

	"tend/internal/lazyre"
)

// datedBuild is a firmware build stamped with the date it was built,
// as six digits (YYMMDD), then the builder's or branch's letters and the
// build's number: Schleifenbauer's databus firmware "180914PL1760" (built
// 2018-09-14, sdbDevIdFirmwareVersion, three columns before the unit's
// serial "SVNL00655429"). Serial numbers that open with six digits do not
// open with a calendar date ("684624H197019306", "448102AA1A64",
// "581254X1919216" on setC): the date's month and day must be real.
var datedBuild = &lazyre.Regexp{Expr: `^(\d{2})(\d{2})(\d{2})[A-Z]{1,3}\d{3,}$`}

// dateStamped reports whether t is a dated build (datedBuild), never a
// serial number.
func dateStamped(t string) bool {
	m := datedBuild.FindStringSubmatch(t)
	if m == nil {
		return false
	}
	month, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	return month >= 1 && month <= 12 && day >= 1 && day <= 31
}
