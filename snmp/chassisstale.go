package snmp

import (
	"strings"

	"tend/internal/lazyre"
)

// statedModel are the sysDescr grammars in which an agent states its
// model in so many words: "running on an Arista Networks DCS-7050TX-128",
// "Series: S4048-ON", read as genericModel reads them; here they
// go before a chassis row that describes other hardware (staleChassis).
var statedModel = []source{
	{descr: true, re: &lazyre.Regexp{Expr: `running on (?:an? )?(?:[A-Z]\w+ Networks )?(\S+)\s*$`}, fix: partNumber},
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)\bseries\s*:\s*([^\s,;]+)`}, fix: partNumber},
}

// descrVersion is a release number among sysDescr's words: digits, a dot
// and more, as operating systems print their own.
var descrVersion = &lazyre.Regexp{Expr: `\b\d+\.\d+[\w.()\-]*`}

// staleChassis reports whether the ENTITY-MIB chassis row describes
// other hardware than the agent's own sysDescr: the row's software
// revision is a release and sysDescr names another one, never the row's
// (Arista's "EOS version 4.15.3F running on … DCS-7050TX-128" beside a
// chassis row of a DCS-7050S-52 running 4.18.10M; Dell's "Application
// Software Version: 9.9(0.0P9) Series: S4048-ON" beside an MXL blade's
// row at 9.13(0.2)). A device's running software is one release: the
// row that disagrees is a stale or copied inventory, and the model the
// agent states about itself is the one to name.
func (vs *values) staleChassis(chassis string) bool {
	rev := tidy(vs.entityText(entColSoftwareRev, chassis))
	if chassis == "" || !descrVersion.MatchString(rev) {
		return false
	}
	descr := strings.ToLower(vs.descr)
	if strings.Contains(descr, strings.ToLower(rev)) {
		return false
	}
	for _, v := range descrVersion.Compiled().FindAllString(vs.descr, -1) {
		if strings.Contains(strings.ToLower(rev), strings.ToLower(strings.TrimRight(v, ".-"))) {
			return false // the row's release spelled longer ("15.2(4)E7" of "15.2(4)E")
		}
	}
	return descrVersion.MatchString(vs.descr)
}

// makerDescribed accepts a chassis row's description that names the
// maker and then its product in words, without a number ("Cumulus
// Networks VX Chassis"): the maker's first word opens it, at least two
// more words follow and one of them is neither the maker's nor a class
// word. notGeneric wants a digit, which such a name lacks.
func (vs *values) makerDescribed(s string) string {
	_, maker := enterprise(vs.sysOID)
	first, _, _ := strings.Cut(strings.TrimSpace(maker), " ")
	first = strings.Trim(first, ",.")
	w := strings.Fields(s)
	if len(first) < 3 || len(w) < 3 || len(w) > 6 || !strings.EqualFold(w[0], first) || strings.EqualFold(tidy(s), vs.tidyDescr()) {
		return ""
	}
	for _, x := range w[1:] {
		if !makerWord(x, maker) && !genericEntity.MatchString(x) {
			return tidy(s)
		}
	}
	return ""
}
