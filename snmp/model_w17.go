package snmp

import (
	"fmt"
	"slices"
	"strings"

	"tend/internal/lazyre"
	"tend/inventory"
)

// instanceName is a name an operator gives one of many units: words
// joined by underscores ending in a zero-padded ordinal ("AM3_RECT_01",
// an Eltek power system's name: the site, its role, its number). No
// product on setC is named so; hyphenated products may end in one
// ("AN5516-01").
var instanceName = &lazyre.Regexp{Expr: `^[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*_0\d{1,2}$`}

// companyName is a company's name with its legal form ("Sierra Wireless,
// Incorporated", "Acme Ltd.", "Ericsson AB"): the long forms in any case,
// the short ones as companies write them ("Co.", "AG", "AB", "S.A."), so
// that a part's word in capitals is no legal form. The name's words
// (group 1) before a form without a comma must be no device's words
// (companyLike): "Power Supply AB" and "Fan Module SA" are components.
var companyName = &lazyre.Regexp{Expr: `^([A-Z][\w&.\-]*(?: [\w&.\-]+)*?)(,?) (?:(?i:inc|incorporated|ltd|limited|llc|corp|corporation|gmbh|plc)\.?|Co\.|AG|AB|S\.A\.|SA|Oyj?|B\.?V\.)$`}

// companyWords is the words of t's name before its legal form when t is
// a company's name (companyName), nil otherwise.
func companyWords(t string) []string {
	if cannotMatch(companyName, t) {
		return nil
	}
	m := companyName.FindStringSubmatch(t)
	if m == nil {
		return nil
	}
	words := strings.Fields(strings.ReplaceAll(m[1], ",", " "))
	if m[2] != "," && slices.ContainsFunc(words, func(w string) bool { return isGenericWord(strings.Trim(w, ".-")) }) {
		return nil
	}
	return words
}

// commonCompanyWord is a word many companies' names share ("Sierra
// Wireless" and "Ruckus Wireless" are two makers).
var commonCompanyWord = &lazyre.Regexp{Expr: `(?i)^(?:co|inc|ltd|corp|technolog(?:y|ies)|communications?|electronics?|international|group|holdings?|industries|tech|telecom|` + genericWords + `)$`}

// otherMaker reports whether t names a company other than the agent's
// maker: an object after it in the maker's MIB describes a component
// another company made (Opengear's cellular modem table: its maker "Sierra
// Wireless, Incorporated", then its model "MC7304"), not the device. A
// word of the company's name that is a word of the enterprise's names
// (tend's, "HP", and the registry's) names the maker; without a name for
// the enterprise no company is another's.
func (vs *values) otherMaker(t string) bool {
	words := companyWords(tidy(t))
	if words == nil {
		return false
	}
	n, short := enterprise(vs.sysOID)
	registered := enterpriseRegistry().lookup(n)
	if short == "" && registered == "" {
		return false
	}
	return !slices.ContainsFunc(words, func(w string) bool {
		w = strings.Trim(w, ".()")
		return !commonCompanyWord.MatchString(w) && (makerWord(w, short) || makerWord(w, registered))
	})
}

// hostCounter is a host's name in the shape administrators number their
// machines in: lower-case letters (and hyphens) then a zero-padded counter
// ("labbdds01", "srv-web-02", BlueCat's sysDescr, which is the host's
// name). A product's name carries a capital or a number that is not an
// ordinal (the lower-case products on setC: "sti410C", "qfx5100-24q-2p",
// "as5812_54x", "vedge-1000").
var hostCounter = &lazyre.Regexp{Expr: `^[a-z][a-z\-]*[a-z]-?0\d{1,2}$`}

// driverName is the printer driver a printer's first hrDeviceDescr may
// name instead of the printer ("Generic 28C-1" on a Konica Minolta bizhub
// whose sysDescr names "bizhub C3110"): a driver for many models.
var driverName = &lazyre.Regexp{Expr: `(?i)^generic\b`}

// notDriver drops a generic driver's name.
func notDriver(s string) string {
	if driverName.MatchString(s) {
		return ""
	}
	return s
}

// dropSerialModel drops a model that holds the serial number found
// (holdsSerial), with evidence.
func (id *identity) dropSerialModel(vs *values) {
	if !holdsSerial(id.Model, id.Serial) {
		return
	}
	id.Evidence = append(id.Evidence, inventory.Evidence{Source: "serial",
		Detail: fmt.Sprintf("ignored model %.40q: holds the serial number %s, the unit's name, not a product's", id.Model, id.Serial)})
	id.Model, vs.model = "", ""
}

// holdsSerial reports whether a model of several words has the device's
// serial number for one of them ("SFD 130128673", Profline's sysDescr,
// whose unit number the maker's MIB repeats as the serial): the unit's
// name, not a product's.
func holdsSerial(model, serial string) bool {
	return len(serial) >= 6 && strings.Contains(model, " ") && hasWord(model, serial)
}

// typeModel is IBM's machine type and model ("8233-E8B": four digits, a
// hyphen, three capitals and digits), which the Open Firmware convention
// writes after the maker's name ("IBM,8233-E8B"); modelLike refuses it for
// its share of digits, so it counts only after that prefix.
var typeModel = &lazyre.Regexp{Expr: `^\d{4}-[A-Z0-9]*[A-Z][A-Z0-9]*$`}

// makerGeneric reports whether v is the maker's name and words any device
// describes itself with, no more ("ELTEK Power System", Eltek's sysDescr
// for every power system it makes): the line, not the product.
func makerGeneric(v, maker string) bool {
	words := strings.Fields(v)
	if len(words) < 2 || !makerWord(words[0], maker) {
		return false
	}
	for _, w := range words[1:] {
		if !isGenericWord(strings.Trim(w, ".,-")) {
			return false
		}
	}
	return true
}

// numberedSwitch is the product HPE's and Aruba's smaller switches name
// after the maker's words: its number and what it has, "Switch", then the
// product number, a comma and the release ("HP 1820-8G Switch J9979A,
// PT.01.14, …", "Aruba Instant On 1930 48G Class4 PoE 4SFP/SFP  370W
// Switch JL686A, InstantOn_1930_1.0.5.0 …"): the model is the product
// and its number, without the word "Switch" (LibreNMS's "1820-8G
// J9979A").
var numberedSwitch = source{descr: true, re: &lazyre.Regexp{Expr: `^[A-Z][A-Za-z]*(?: [A-Z][a-z]+)* (\d{4}[\w\-/+ ]*? Switch [A-Z]{1,2}\d{3,4}[A-Z]),`}, fix: func(s string) string {
	return strings.Join(slices.DeleteFunc(strings.Fields(s), func(w string) bool { return w == "Switch" }), " ")
}}

// releaseThenPart is the product number a description names right after
// the release it opens with ("R6.5.02r NFXS-E FANT-H NOKIA ISAM …": the
// ISAM's shelf, then its controller board).
// Words any description uses ("SNMP-AGENT", "SYSTEM-1") name no part.
var releaseThenPart = source{descr: true, re: &lazyre.Regexp{Expr: `^R\d+(?:\.\d+)+[a-z]? ([A-Z][A-Z0-9]*-[A-Z0-9]+) `}, fix: func(s string) string {
	if slices.ContainsFunc(strings.Split(s, "-"), func(w string) bool { return len(w) > 1 && isGenericWord(w) }) {
		return ""
	}
	return s
}}

// macTailName is the name a maker gives a unit by default: its product
// line's word, a hyphen or an underscore, then the last three octets of
// its MAC address ("WEBIO-06B8B7", W&T's web I/O boxes, 00:C0:3D:06:B8:B7).
// The hexadecimal digits switch between letters and digits at random,
// three times or more; a product code keeps its letters together
// ("WS-C4948E", "DB7001": two switches or fewer).
func macTailName(v string) bool {
	i := strings.LastIndexAny(v, "-_")
	if i < 3 || len(v)-i-1 != 6 || strings.IndexFunc(v[:i], func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return false
	}
	switches, prevDigit := 0, false
	for j, r := range v[i+1:] {
		digit := r >= '0' && r <= '9'
		if !digit && (r < 'A' || r > 'F') {
			return false
		}
		if j > 0 && digit != prevDigit {
			switches++
		}
		prevDigit = digit
	}
	return switches >= 3
}

// besideSerialOfTwo is the second of two product numbers that open the
// identity group when the serial number follows it ("ARC-8066",
// "ES-6642B", then the serial and the firmware: a storage subsystem's
// RAID controller, then the subsystem): the object beside the serial is
// the product the serial numbers. "" otherwise.
func (vs *values) besideSerialOfTwo(group []value) string {
	if len(group) < 3 {
		return ""
	}
	a, b := tidy(group[0].text), tidy(group[1].text)
	serial := vs.guess(guessSerial)
	if serial == "" || tidy(group[2].text) != serial || !modelLike(a) || !modelLike(b) || !hyphenatedPart(a) || !hyphenatedPart(b) || vs.hostPart(b) {
		return ""
	}
	return b
}

// partOrderCode is a maker's order code for a product: a few capitals, a run
// of five digits or more modelLike leaves to the serial numbers, perhaps
// letters, then hyphenated options ("MS440217PM-48G6+", a Microsens G6
// switch's, which its MIB lists just before the serial number).
var partOrderCode = &lazyre.Regexp{Expr: `^[A-Z]{1,4}\d{5,8}[A-Z]{0,3}(?:-[A-Z0-9+]+)+$`}

// labelledProduct is a sysName of words, a colon and a numbered product
// (labelledName).
var labelledProduct = &lazyre.Regexp{Expr: `^[A-Z][A-Za-z]+(?: [A-Za-z]+){0,3}: ([A-Z][A-Za-z0-9]*-?[A-Z0-9]*\d[\w\-]*)$`}

// labelledName is the product an agent's own sysName names after what the
// device is and a colon ("Sensor Gateway: SC-TS01", ServersCheck's): the
// agent wrote it, not an administrator, when every word before the colon
// is one of sysDescr's ("Temperature & Sensor Gateway"); an
// administrator's label ("Server Room: UPS-1", "Core Switch: C9300")
// names a place or a role. The last model source: what the agent says
// elsewhere comes first.
func (vs *values) labelledName() source {
	return scalar(oidSysName).matching(labelledProduct).then(func(s string) string {
		label, _, _ := strings.Cut(vs.sysName, ":")
		descr := strings.Fields(strings.ToLower(vs.descr))
		for _, w := range strings.Fields(strings.ToLower(label)) {
			if !slices.Contains(descr, w) {
				return ""
			}
		}
		return s
	})
}
