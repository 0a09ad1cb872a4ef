package snmp

import (
	"strings"
	"unicode"

	"tend/internal/lazyre"
)

// pointingRow reports a table cell of the maker's MIB whose row holds,
// in another column, a RowPointer (SNMPv2-TC) into its own table: a
// table listing instances of something (Opengear's ogEmdStatusTable, the
// environmental monitors attached to a console server, each named by
// its type, "EMD5000"), not the device's identity. A chassis or a shelf
// table's type column points elsewhere, at the maker's registration of
// the product (MRV's "1.3.6.1.4.1.629.200.1.2.30" beside "OD-16-HD") or
// nowhere ("0.0", Nokia's), and keeps its model.
func (vs *values) pointingRow(v value) bool {
	if v.name == "" || strings.HasSuffix(v.name, ".0") {
		return false
	}
	var arcs []string
	for n, w := range vs.walked {
		if w.pointer == "" || n == v.name {
			continue
		}
		if arcs == nil {
			arcs = strings.Split(v.name, ".")
		}
		if col := columnArc(arcs, strings.Split(n, ".")); col > 1 && arcs[col-1] == "1" && strings.HasPrefix(w.pointer, strings.Join(arcs[:col], ".")+".") {
			return true
		}
	}
	return false
}

// columnArc is, for the names of two objects of one table row (the same
// length, differing in one arc before the last, the column's, the row's
// index following it), the position of that arc; 0 for any other pair.
// pointingRow takes it for a column only after the entry's arc, 1: two
// sibling tables' same cell differ in the table's arc instead.
func columnArc(a, b []string) int {
	if len(a) != len(b) || len(a) < 3 {
		return 0
	}
	diff := 0
	for i := range a {
		if a[i] != b[i] {
			if diff > 0 {
				return 0
			}
			diff = i
		}
	}
	if diff == len(a)-1 {
		return 0
	}
	return diff
}

// portsLead is the product's name a description opens with before the
// ports it has ("Waveserver 40x10GE/10x40GE/4x100GE QSFP+/QSFP28, …").
var portsLead = &lazyre.Regexp{Expr: `^([A-Z][\w\-]*(?: [A-Z][\w\-]*){0,2}) \d+x\d+`}

// classNoun drops the row's class a chassis row's description ends with
// as a common noun ("MP-118 chassis", "SSR 8020 chassis": the product,
// then what the row is); a capitalised "Chassis" is the maker's product
// name's ("Aruba 8325 1-slot Chassis") and stays, as does a description
// with no number before it. A description too long for a model that
// lists the ports after the product's name names that product
// (portsLead).
func classNoun(s string) string {
	if m := portsLead.FindStringSubmatch(s); m != nil && len(s) > maxModelLen {
		if !productToken(m[1]) {
			return ""
		}
		return m[1]
	}
	if m, ok := strings.CutSuffix(s, " chassis"); ok && strings.ContainsFunc(m, unicode.IsDigit) {
		if rowLabel(strings.TrimSpace(m)) {
			return ""
		}
		return strings.TrimSpace(m)
	}
	return s
}

// rowModel is the model a chassis row's description names: classNoun's
// product, which notGeneric judges after the class noun is gone ("Unit 1
// chassis" leaves a row's label), unless it is the product's name a
// long description lists the ports after (portsLead's, judged there:
// "Waveserver").
func rowModel(s string) string {
	c := classNoun(s)
	if c != "" && len(s) > maxModelLen && portsLead.MatchString(s) {
		return c
	}
	return notGeneric(c)
}

// leadModel is classNoun's product when the row's description agrees
// with sysDescr's lead (descrLeadAgrees): a name without a digit stays
// ("USW GigaBit Ethernet Switch"), a bare class word does not.
func leadModel(s string) string {
	c := classNoun(s)
	if genericEntity.MatchString(c) {
		return ""
	}
	return c
}

// rowLabel reports what a chassis row's description leaves before
// " chassis" when it labels the row, not the product: a number first
// ("10-slot") or only the words of a size ("Fixed 1RU").
func rowLabel(m string) bool {
	if m == "" || m[0] >= '0' && m[0] <= '9' {
		return true
	}
	for _, w := range strings.Fields(m) {
		if !sizeWord.MatchString(w) {
			return false
		}
	}
	return true
}

var sizeWord = &lazyre.Regexp{Expr: `(?i)^(?:fixed|modular|\d+(?:ru|u)|\d*-?slots?|unit|stack|rack|\d+)$`}

// productToken reports a word of t that names a product: one with a
// digit, or one that is none of classWord's (a maker's name for it,
// "Waveserver"); "Managed Switch" or "MAIN UPS" names no product.
func productToken(t string) bool {
	for _, w := range strings.Fields(t) {
		if strings.ContainsFunc(w, unicode.IsDigit) || !classWord[strings.ToLower(strings.Trim(w, "-_.,"))] {
			return true
		}
	}
	return false
}

// classWord is a word of a device's class or place, not of a product's
// name.
var classWord = map[string]bool{"managed": true, "unmanaged": true, "smart": true, "switch": true, "switches": true, "router": true,
	"gigabit": true, "ethernet": true, "fast": true, "poe": true, "industrial": true, "layer": true, "network": true, "web": true,
	"l2": true, "l3": true, "stackable": true, "chassis": true, "system": true, "unit": true, "stack": true, "module": true,
	"ups": true, "pdu": true, "room": true, "rack": true, "site": true, "main": true, "server": true, "building": true,
	"floor": true, "office": true, "data": true, "center": true, "centre": true, "backup": true, "primary": true,
	"secondary": true, "core": true, "edge": true, "access": true, "lab": true, "test": true, "device": true, "power": true,
	"supply": true, "cabinet": true, "closet": true, "north": true, "south": true, "east": true, "west": true, "new": true, "old": true}

// orderedProduct is the product number sysDescr consists of when the
// chassis row's model name m is that number's ordering code: the same
// letters and digits without its hyphens, then a variant's digits
// ("PL1000IL0005" of PacketLight's "PL-1000IL"). Otherwise m.
func orderedProduct(m, descr string) string {
	p := strings.TrimSpace(descr)
	if !strings.Contains(p, "-") || strings.ContainsAny(p, " \t") || !hyphenatedPart(p) {
		return m
	}
	rest, ok := strings.CutPrefix(strings.ToUpper(m), strings.ToUpper(strings.ReplaceAll(p, "-", "")))
	if ok && len(rest) >= 2 && isDigits(rest) {
		return p
	}
	return m
}

// seriesMember is the series' member a description names by joining the
// series and its number with an underscore, as a software image is named
// ("ZXR10_5928" where "ZXR10" is the model read): "ZXR10 5928". "" when
// the description names none.
func seriesMember(series, descr string) string {
	if series == "" || strings.ContainsAny(series, " _") {
		return ""
	}
	for _, w := range strings.Fields(descr) {
		rest, ok := strings.CutPrefix(strings.TrimRight(w, ",;:"), series+"_")
		if ok && len(rest) >= 2 && strings.ContainsFunc(rest, unicode.IsDigit) && modelLike(series+" "+rest) {
			return series + " " + rest
		}
	}
	return ""
}

// productBeforeWord drops the word "Switch" a description puts between
// the product number and the model's name ("J8697A Switch 5406zl", the
// same switch as "J9625A 2620-24-PoEP Switch"): "J8697A 5406zl".
func productBeforeWord(s string) string {
	return strings.Replace(s, " Switch ", " ", 1)
}

// capitalProduct is a product's name in capitals, perhaps with a
// two-number generation ("MODULYS GP 2.0", "NETYS RT"): the way a maker
// writes its range, not an administrator's label ("Site", "Tampnet").
var capitalProduct = &lazyre.Regexp{Expr: `^[A-Z][A-Z0-9\-]{3,}(?: [A-Z0-9][A-Z0-9\-]*){0,2}(?: \d{1,2}\.\d{1,2})?$`}

// openingProduct is the identity group's first object when the serial
// (serial, the object after it) follows it directly and it is a
// product's name in capitals: a scalar group opening "model, serial"
// (Socomec's NetVision cards: "MODULYS GP 2.0", then "PD04405001").
// "" otherwise.
func (vs *values) openingProduct(serial, before value) string {
	if before.name == "" || vs.subtreeScalars == 0 || vs.subtree[0].name != before.name ||
		atoi(before.col())+1 != atoi(serial.col()) {
		return ""
	}
	t := tidy(before.text)
	if !capitalProduct.MatchString(t) || vs.hostPart(t) || strings.EqualFold(t, vs.sysName) || !productToken(t) || vs.sysLabel(t) {
		return ""
	}
	return t
}

// sysLabel reports t repeating sysLocation or sysContact, an
// administrator's words ("SERVER ROOM").
func (vs *values) sysLabel(t string) bool {
	for _, l := range vs.sysLabels {
		if l != "" && strings.EqualFold(tidy(l), t) {
			return true
		}
	}
	return false
}
