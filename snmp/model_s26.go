package snmp

import (
	"slices"
	"strings"
	"unicode"

	"tend/internal/lazyre"
)

// beforeVersion is guessBeforeVersion's answer, a model's last resort:
// the product's name in the maker's identity group, the nearest text
// object before the one the version guess took, in the same group of
// scalars. A maker's MIB lists a unit's product name and then its software's
// version (EDS's 1-wire servers: product name at 1.2.0, firmware version
// at 1.4.0; PPC's UPS agents: serial, model, then the version after a
// rating; DKT's gateways: model at 10.1.0, firmware at 10.2.0), as
// besideVersion reads the unit's number there. Numbers, empty objects,
// placeholders and the serial number found are stepped over; the first
// text met must be a name (productText) or the guess gives up: a
// location or a contact a group lists there is no model, and neither
// is anything further back.
func (vs *values) beforeVersion() string {
	version := vs.guess(guessVersion)
	if version == "" {
		return ""
	}
	serial := vs.guess(guessSerial)
	for _, v := range vs.subtree[:vs.subtreeScalars] {
		if t := tidy(v.text); v.name == "" || !strings.Contains(t, version) {
			continue
		}
		for _, b := range vs.objectsBefore(v.name) {
			t := tidy(b.text)
			if b.number || t == "" || isDigits(t) || zeroSerial(t) || t == serial || serialName(t) {
				continue
			}
			if vs.productText(t) {
				return t
			}
			return ""
		}
		return ""
	}
	return ""
}

// objectsBefore are the walked scalars of name's group before it, the
// nearest first: the same name but a smaller next-to-last arc.
func (vs *values) objectsBefore(name string) []value {
	arcs := strings.Split(name, ".")
	if len(arcs) < 2 {
		return nil
	}
	col := atoi(arcs[len(arcs)-2])
	prefix, index := strings.Join(arcs[:len(arcs)-2], ".")+".", "."+arcs[len(arcs)-1]
	var out []value
	for n, v := range vs.walked {
		rest, ok := strings.CutPrefix(n, prefix)
		c, ok2 := strings.CutSuffix(rest, index)
		if i := atoi(c); ok && ok2 && i >= 0 && i < col && isDigits(c) {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b value) int { return atoi(b.col()) - atoi(a.col()) })
	return out
}

// productText reports whether t, an object of the maker's identity
// group, reads as a product's name: at most six words and 48 characters
// with a letter, one word only with a digit or an inner capital (a lone
// capitalised word is as often a place or the maker's name); not a
// version, a reading, an address, a date, the host's name or an
// administrator's label, not a numbered part, not a part's or a port's
// word (notModelWord: "Interface", "Sensor") unless a converter's name
// (converterName), not a sentence or a label and its value, not a site's label in capitals (siteLabel) nor words in
// lower case (titled).
func (vs *values) productText(t string) bool {
	w := strings.Fields(t)
	if len(t) < 2 || len(t) > 48 || len(w) > 6 || !strings.ContainsFunc(t, unicode.IsLetter) ||
		len(w) == 1 && !strings.ContainsFunc(t, unicode.IsDigit) && (!strings.ContainsFunc(t[1:], unicode.IsUpper) || strings.ToUpper(t) == t) {
		return false
	}
	if versionShape(t) || readingLike(t) || addressLike(t) || burnedInMAC(t) || dateLike.MatchString(t) || dateStamped(t) ||
		matches(notModelWord, t) && !converterName.MatchString(t) || matches(numberedItem, t) || notProductText.MatchString(t) || vs.hostPart(t) ||
		siteLabel(w) || !titled(w) || strings.EqualFold(t, vs.makerWord()) {
		return false
	}
	return !slices.ContainsFunc(vs.sysLabels, func(l string) bool { return l != "" && strings.EqualFold(tidy(l), t) })
}

// converterName is a converter's or gateway's product name: one medium
// "to" another, then what the unit is ("Ethernet to 1-wire Interface",
// EDS's 1-wire servers; "Serial to Ethernet Adapter", "Modbus to BACnet
// Gateway"). Its "Interface" names the product, not one of its ports
// (notModelWord); a link's label ("Uplink to Core Interface") names no
// medium.
var converterName = &lazyre.Regexp{Expr: `(?i)^(?:` + medium + `) to (?:` + medium + `) (?:Interface|Adapter|Converter|Gateway|Bridge)$`}

// medium is a bus, a network or a serial line a converter joins.
const medium = `Ethernet|LAN|IP|Serial|RS-?(?:232|422|485)|USB|1-wire|One-?Wire|Modbus|BACnet|KNX|CAN|M-?Bus|Fiber|Fibre|Wi-?Fi|GPIB|I2C|SDI-12|Dry Contact`

// titled reports words a product's name is written in: each with a
// digit or a capital letter, or a joining word ("to", "of"); a word all
// in lower case is an administrator's label's ("Server room").
func titled(w []string) bool {
	return !slices.ContainsFunc(w, func(x string) bool {
		return !strings.ContainsFunc(x, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsUpper(r) }) && !joiningWord.MatchString(x)
	})
}

// joiningWord is a word that joins a name's others.
var joiningWord = &lazyre.Regexp{Expr: `^(?:a|an|and|the|of|for|to|with|on|in|by|over|&|\+|-|/)$`}

// siteLabel reports words of capital letters alone ("GOLF CLUB"): a
// site's label, not a product's name, which has a digit.
func siteLabel(w []string) bool {
	return len(w) > 1 && !slices.ContainsFunc(w, func(x string) bool { return strings.ToUpper(x) != x || strings.ContainsFunc(x, unicode.IsDigit) })
}

// notProductText is a text no product's name has: a sentence's or a
// label's punctuation, an address, a path or a web site.
var notProductText = &lazyre.Regexp{Expr: `[:;=@<>|\\!?]|https?|www\.|\.\s|\.$|^/`}
