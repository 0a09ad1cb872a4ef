package snmp

import (
	"strings"

	"tend/internal/lazyre"
)

// comwareModel is the model a Comware sysDescr gives on a line of its
// own, between the platform's line and the copyright's (tidied: one
// line), less the maker's name that opens both: "H3C Comware Platform
// Software, Software Version 5.20 Release 2208\nH3C S5500-52C-EI\nCopyright
// (c) 2004-2010 Hangzhou H3C …" is S5500-52C-EI; "HP Comware Platform
// Software, Software Version 5.20.99 Release 2222P08\nHP A5500-24G EI
// Switch with 2 Interface Slots\r\nCopyright …" is A5500-24G EI Switch
// with 2 Interface Slots.
var comwareModel = source{descr: true, re: &lazyre.Regexp{Expr: `^(?:(?:New )?H3C|HPE?|Hewlett Packard Enterprise) Comware Platform Software, Software Version [\w.]+(?:,? (?:Release|Feature|ESS) \w+)? (?:(?:New )?H3C |HPE? |Hewlett Packard Enterprise )?(\S.*?) Copyright\b`},
	fix: func(s string) string {
		if w, _, _ := strings.Cut(s, " "); w == "Release" || w == "Feature" || w == "ESS" {
			return "" // the release, the optional part skipped: no model line
		}
		return s
	}}
