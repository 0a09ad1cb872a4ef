package snmp

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
)

// enterprisesTSV is a compact table of IANA private enterprise numbers: the
// makers tend meets on a client's LAN. It is hand-kept from the IANA
// registry; an unknown number still shows as its number in evidence.
//
//go:embed enterprises.tsv
var enterprisesTSV string

var enterprises = sync.OnceValue(func() map[int]string {
	m := make(map[int]string)
	for line := range strings.SplitSeq(enterprisesTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		num, name, ok := strings.Cut(line, "\t")
		n, err := strconv.Atoi(num)
		if !ok || err != nil {
			panic("snmp: bad line in enterprises.tsv: " + line)
		}
		m[n] = name
	}
	return m
})

// enterprise returns the private enterprise number under
// 1.3.6.1.4.1 that sysObjectID lies in, and its maker's name ("" when the
// table does not know it, or the OID is not under enterprises).
func enterprise(sysObjectID string) (int, string) {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(sysObjectID, "."), "1.3.6.1.4.1.")
	if !ok {
		return 0, ""
	}
	num, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return 0, ""
	}
	return n, enterprises()[n]
}
