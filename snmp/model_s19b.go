package snmp

import (
	"fmt"
	"strings"
	"unicode"

	"tend/internal/lazyre"
	"tend/inventory"
)

// agentModel replaces a model that names the SNMP agent's own software
// with the product the maker's identity group opens with. A management
// card describes itself in sysDescr ("NetVision-8") and its maker's MIB
// gives the card's firmware as that name and a version ("Net Vision 8
// v8.00", productBanner's shape): the name is the agent's, and the
// identity group's first object, a product's name in capitals just
// before the serial number (openingProduct: "NETYS RT", then
// "2D22451188"), is the device's. Without such an opening product the
// model stays: a device may name itself with its firmware's version
// ("sensorProbe8 v2.0").
func (id *identity) agentModel(vs *values) {
	if id.Model == "" || !vs.agentSoftware(id.Model) {
		return
	}
	m := vs.besideSerial()
	if m == "" || sameName(m, id.Model) || vs.agentSoftware(m) {
		return
	}
	id.Evidence = append(id.Evidence, inventory.Evidence{Source: "guessed from the vendor MIB's first objects",
		Detail: fmt.Sprintf("model %s: the identity group's product; %s is the agent's software, whose version the maker's MIB gives", m, id.Model)})
	id.Model, id.hearsayModel, id.fallbackModel, id.groupModel = m, false, false, true
}

// agentSoftware reports whether an object of the maker's MIB gives name
// with a version after it, the way an agent names its own firmware
// ("Net Vision 8 v8.00" for "NetVision-8"): spaces, hyphens and case
// aside, the product productBanner reads is name.
func (vs *values) agentSoftware(name string) bool {
	want := squashed(name)
	for _, v := range vs.subtree {
		if want == "" || !strings.HasPrefix(squashed(v.text), want) {
			continue // cheap before the expression: identify runs it per read
		}
		if m := productBanner.FindStringSubmatch(tidy(v.text)); m != nil && sameName(m[1], name) {
			return true
		}
	}
	return false
}

// sameName reports whether a and b are one name written two ways: the
// same letters and digits, case, spaces and punctuation aside.
func sameName(a, b string) bool {
	x := squashed(a)
	return x != "" && x == squashed(b)
}

// squashed is s's letters and digits, in lower case.
func squashed(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// lineMember replaces a hearsay model, a product line sysDescr names
// ("Nokia 1830 PSS"), with the numbered member of that line the maker's
// objects name ("PSS8", a shelf table's first row): the line's last
// word, of three letters or more, then the member's number. namesNumbered
// does the same for a line without a number, among the deeper objects.
func (id *identity) lineMember(vs *values) {
	if !id.hearsayModel || len(vs.subtree) == 0 || !lineNamed(vs.subtree, id.Model) {
		return
	}
	m := vs.guess(guessModel)
	if !lineNumbered(m, id.Model) {
		return
	}
	id.Evidence = append(id.Evidence, inventory.Evidence{Source: "guessed from the vendor MIB's first objects",
		Detail: fmt.Sprintf("model %s: the member of the line %s the maker's objects name", m, id.Model)})
	id.Model, id.hearsayModel = m, false
}

// lineNamed reports whether an object of subtree opens with line's last
// word: lineMember's guess is read only then.
func lineNamed(subtree []value, line string) bool {
	w := strings.Fields(line)
	if len(w) < 2 {
		return false
	}
	last := strings.ToUpper(w[len(w)-1])
	for _, v := range subtree {
		if strings.HasPrefix(strings.ToUpper(tidy(v.text)), last) {
			return true
		}
	}
	return false
}

// lineNumbered reports whether model is line's last word, of three
// letters or more, and a number after it ("PSS8" of "Nokia 1830 PSS"),
// a product's name of one word.
func lineNumbered(model, line string) bool {
	w := strings.Fields(line)
	if len(w) < 2 || !modelLike(model) || strings.Contains(model, " ") {
		return false
	}
	last := w[len(w)-1]
	if len(last) < 3 || strings.IndexFunc(last, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
		return false
	}
	rest, ok := strings.CutPrefix(strings.ToUpper(model), strings.ToUpper(last))
	return ok && rest != "" && rest[0] >= '0' && rest[0] <= '9'
}

// configuredProduct is the product code a configuration string opens
// with, too long for a model: the code, then its options joined by
// hyphens, the ports among them counted ("F710-1U-Dual-512GB-2x1GE-2x100GE
// QSFP+-300TB SSD", a storage node's: F710). "" for any other text.
func configuredProduct(t string) string {
	if len(t) <= 40 {
		return ""
	}
	m := configuredLead.FindStringSubmatch(t)
	if m == nil {
		return ""
	}
	return m[1]
}

// configuredLead is a product code of capitals and digits, then
// hyphenated options up to a port count ("2x1GE").
var configuredLead = lazyre.New(`^([A-Z][A-Z0-9]*\d[A-Z0-9]*)-(?:[\w+]+-)*\d+x\d+[A-Za-z]`)
