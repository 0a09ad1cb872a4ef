package snmp

import (
	"slices"
	"strings"
	"unicode"

	"tend/internal/lazyre"
)

// modelSansRelease is model without the firmware release it carries
// after the product's number, "" when it carries none: a grammar that
// reads sysDescr's words up to a punctuation mark takes the release
// along where the agent writes none between them (Asentria's "SiteBoss
// 572 2.12.570 STD", Dell's "PowerConnect 6248, 3.3.7.3, VxWorks",
// Inteno's "XG6846_4.12ITT01.99"), and a release is no part of a model:
// the same unit shows another model after an upgrade. The release must
// hold a dot (a bare number may be the product's: "Smart-UPS RT 3000
// 2200") and stand as words of its own (a space, comma, underscore or
// hyphen before it, a "v" allowed, nothing alphanumeric after it), and
// what is left must name a product by a number (letters and digits): a
// name without one is a line's or a system's, whose release sets it
// apart ("Apex Lynx-2.0.2", "RouterOS 6.40.5 (stable) on
// RB952Ui-5ac2nD"), so the model is kept whole.
func modelSansRelease(model, firmware string) string {
	if len(firmware) < 3 || !strings.ContainsAny(firmware, "0123456789") || !strings.Contains(firmware, ".") {
		return ""
	}
	i := strings.Index(model, firmware)
	if i <= 0 {
		return ""
	}
	if rest := model[i+len(firmware):]; rest != "" && (isAlnum(rune(rest[0])) || len(rest) > 1 && rest[0] == '.' && isAlnum(rune(rest[1]))) {
		return "" // "2.12" inside "2.12.570" or "2.125"
	}
	head := model[:i]
	if c := head[len(head)-1]; c == 'v' || c == 'V' {
		head = head[:len(head)-1]
	}
	if head == "" || !releaseSeparator(rune(head[len(head)-1])) {
		return "" // "XXX2.8": the number is the product's
	}
	head = strings.TrimFunc(head, releaseSeparator)
	if !strings.ContainsFunc(head, unicode.IsDigit) || !strings.ContainsFunc(head, unicode.IsLetter) {
		return ""
	}
	return head
}

// releaseSeparator is what a model's words and a release after them are
// written apart with.
func releaseSeparator(r rune) bool { return partBoundary(r) || r == ',' }

// systemOnPlatform is the platform a model names after a system's name,
// its release and perhaps the release's channel and the word "on", ""
// for any other model: an entity row that describes the chassis by what
// runs on it ("RouterOS 6.40.5 (stable) on RB952Ui-5ac2nD", MikroTik's
// ENTITY-MIB chassis row, whose board MIKROTIK-MIB's mtxrBoardName and
// sysDescr's "RouterOS <board>" name alone) gives the system's release,
// which belongs to the firmware, and the hardware, which is the model.
func systemOnPlatform(model string) string {
	m := systemOn.FindStringSubmatch(model)
	if m == nil || !strings.ContainsFunc(m[1], unicode.IsUpper) {
		return ""
	}
	return m[1]
}

var systemOn = &lazyre.Regexp{Expr: `^[A-Za-z][\w\-]*\s+v?\d+(?:\.\d+)+[\w\-.]*(?:\s+\([\w\s\-.]+\))?\s+on\s+([A-Za-z0-9][\w\-+/.]*)$`}

// lineUnit is the product sysDescr names by a line's name without a
// digit and the number after it ("TZ" and "SonicWALL TZ 210 (SonicOS
// Enhanced …)": TZ 210), "" when sysDescr puts no number right after the
// name: a fingerprint or a maker's object that names the line leaves the
// unit's number behind, which is what tells one product of the line
// from another.
func lineUnit(model, descr string) string {
	if len(model) < 2 || strings.ContainsFunc(model, unicode.IsDigit) {
		return ""
	}
	for i := 0; ; {
		j := strings.Index(descr[i:], model)
		if j < 0 {
			return ""
		}
		i += j + len(model)
		if i-len(model) > 0 && isAlnum(rune(descr[i-len(model)-1])) {
			continue // inside a longer word
		}
		if m := numberAfter.FindStringSubmatch(descr[i:]); m != nil {
			return model + " " + m[1]
		}
	}
}

// numberAfter is a unit's number right after its line's name: a space,
// then digits and perhaps a letter or two, then a word's end.
var numberAfter = &lazyre.Regexp{Expr: `^ (\d{2,5}[A-Za-z]{0,2})(?:[\s,;()]|$)`}

// agentWords are the words an agent's name adds after the product's
// ("TCW241 SNMP Agent"), the punctuation a description opens with
// ("=Meraki MR28 Cloud Managed AP") or the hyphen a cut-short one ends
// with ("NWA-", the line of Zyxel's NWA access points): no part of the
// model.
var agentWords = &lazyre.Regexp{Expr: `^[^\pL\pN]+|\s+SNMP Agent$|-+$`}

// tidyModel is model without agentWords, "" when it has none or nothing
// is left.
func tidyModel(model string) string {
	t := agentWords.ReplaceAllString(model, "")
	if t == model || len(t) < 2 {
		return ""
	}
	return t
}

// cardRow reports an ENTITY-MIB row whose description calls it a card
// ("8 ports GPON OLT line card.", "Type A switch management card."):
// a module (entPhysicalClass 9, RFC 6933) plugged into the chassis,
// whatever class the agent gives it. ZTE's C320 OLT classes its cards
// as chassis rows and its shelf as a container; the first card's model
// and serial are no more the device's than its power card's.
func (vs *values) cardRow(index string) bool {
	return cardDescr.MatchString(vs.entityText(entColDescr, index))
}

var cardDescr = &lazyre.Regexp{Expr: `(?i)\bcard\.?$`}

// hasWords reports v holding w's words (three letters or more in all)
// as a run of its own, hasWord for a w of more than one word. (A host's
// name of two words may be the product's own, a default the
// administrator kept: airFiber's "Wave Long-Range".)
func hasWords(v, w string) bool {
	ws := strings.Fields(tidy(w))
	if len(strings.Join(ws, " ")) < 3 {
		return false
	}
	vs := strings.Fields(v)
	for i := 0; i+len(ws) <= len(vs); i++ {
		if slices.EqualFunc(vs[i:i+len(ws)], ws, strings.EqualFold) {
			return true
		}
	}
	return false
}

// holdsLabel reports a model holding sysLocation or sysContact as words
// of its own (six letters or more: a short one, "Rack", may be a
// word of a product's name too): the place or person an
// administrator wrote ("Xmux Torrevieja" where sysLocation is
// "Torrevieja": the administrator set sysDescr to the device's name),
// which names no product.
func (vs *values) holdsLabel(model string) bool {
	for _, l := range vs.sysLabels {
		if len(tidy(l)) >= 6 && hasWords(model, l) {
			return true
		}
	}
	return false
}
