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
// with 2 Interface Slots. The smaller switches' banner opens with the
// model, perhaps after the maker's name, and the word "Switch" before
// the software's version ("1920-16G Switch Software Version 5.20.99,
// Release 1108", "HP V1910-24G Switch Software Version 5.20, Release
// 1513", "H3C S1850-10P Switch Software Version …"): the model is what
// comes before.
var comwareModel = source{descr: true, re: &lazyre.Regexp{Expr: `^(?:(?:New )?H3C|HPE?|Hewlett Packard Enterprise) Comware Platform Software, Software Version [\w.]+(?:,? (?:Release|Feature|ESS) \w+)? (?:(?:New )?H3C |HPE? |Hewlett Packard Enterprise )?(\S.*?) Copyright\b|` +
	`^(?:(?:H3C|HPE?|3Com) )?([A-Z]{0,2}\d{3,4}[A-Z]{0,2}(?:-[A-Za-z0-9+]+)*) Switch Software Version \d`},
	fix: func(s string) string {
		if w, _, _ := strings.Cut(s, " "); w == "Release" || w == "Feature" || w == "ESS" {
			return "" // the release, the optional part skipped: no model line
		}
		return s
	}}
