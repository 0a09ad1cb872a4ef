package snmp

import (
	"strings"

	"tend/internal/lazyre"
)

// cannotMatch reports, for a few of the guesses' costliest expressions
// (issue 13: each runs over every object of the maker's MIB, and the
// backtracker spends a microsecond on a miss), that text lacks what
// every match of re holds: a label's word, a separator, a digit at an
// end, a dotted number, a length. It is never true of a text re matches (TestCannotMatchSound); of
// the others, false for any it does not know. Case-insensitive
// expressions are ruled on text without the two runes Unicode folds to
// ASCII letters (foldSafe): "ſ" matches "s", the Kelvin sign "k".
func cannotMatch(re *lazyre.Regexp, text string) bool {
	switch re {
	case labelledSerial: // "S/N", "SN" or "serial", any case
		return foldSafe(text) && !containsFold(text, "sn") && !containsFold(text, "s/n") && !containsFold(text, "serial")
	case namedVersion: // "version" or "ver", "release" or "firmware", any case, and a dotted number
		return !dottedDigits(text) || foldSafe(text) && !containsFold(text, "ver") && !containsFold(text, "release") && !containsFold(text, "firmware")
	case productBanner: // a letter first, then a space and a v before the dotted number
		return !startsLetter(text) || !spaceThenV(text) || !dottedDigits(text)
	case guessVersionRe, versionSuffixed, leadingVersion: // a dotted number
		return !dottedDigits(text)
	case describedPart: // " with " or " for ", " - " or a "*"
		return !strings.Contains(text, " with ") && !strings.Contains(text, " for ") && !strings.Contains(text, " - ") && !strings.Contains(text, "*")
	case numberedItem: // a number at one end
		return text == "" || !isDigit(text[0]) && !isDigit(text[len(text)-1])
	case numberedName: // three capitals first, a digit last
		return len(text) < 4 || !upperASCII(text[0]) || !upperASCII(text[1]) || !upperASCII(text[2]) || !isDigit(text[len(text)-1])
	case releaseShape, vrpPhrase: // a capital first (R, V or a product's code before V), an R
		return text == "" || !upperASCII(text[0]) || !strings.Contains(text, "R")
	case macLike: // twelve digits, or six pairs and five separators
		return len(text) != 12 && len(text) != 17
	case macGroups: // three groups of four and two hyphens
		return len(text) != 14
	case unitReading, sensorName: // a number first
		return text == "" || !isDigit(text[0])
	case codeVersion: // a dotted number
		return !dottedDigits(text)
	case companyName: // a capital first, a space, a legal form's last letter or dot last
		return len(text) < 4 || !upperASCII(text[0]) || !strings.Contains(text, " ") || !strings.Contains("cCdDpPnNhH.GBAyjV", text[len(text)-1:])
	case notModelWord: // one of its words' letters, any case, or a "v" and a digit
		return foldSafe(text) && !notModelLead(text)
	case hardwareLabelled: // "hardware" or "h/w", any case
		return foldSafe(text) && !containsFold(text, "hardware") && !containsFold(text, "h/w")
	case shortDescr: // 3 to 40 characters (of at most 4 bytes), no line break
		return len(text) < 3 || len(text) > 160 || strings.Contains(text, "\n")
	case codeSuffix: // a capital first, " (", ")" last
		return len(text) < 10 || !upperASCII(text[0]) || text[len(text)-1] != ')' || !strings.Contains(text, " (")
	case revisionSuffix: // a capital first, a space, a digit last
		return text == "" || !upperASCII(text[0]) || !isDigit(text[len(text)-1]) || !strings.Contains(text, " ")
	case productVersion: // a capital first, then "_", or "-v" or "-V", and a dotted number
		return text == "" || text[0] < 'A' || text[0] > 'Z' || !dottedDigits(text) ||
			!strings.Contains(text, "_") && !strings.Contains(text, "-v") && !strings.Contains(text, "-V")
	}
	return false
}

// notModelLeads are, by first letter, what every match of notModelWord
// holds of one of its words (lower-case): the word, or a "v" and a
// digit (a VRP release, not here: notModelLead reads it).
var notModelLeads = func() (leads [26][]string) {
	for _, w := range strings.Fields(`version status port planar channel outlet slot sensor temp humid board location interface
		eth wlan local user admin public private fan psu inlet ambient cpu voltage battery dimm disk input output class percent
		kb mb gb tb rpm qam psk`) {
		leads[w[0]-'a'] = append(leads[w[0]-'a'], w)
	}
	return leads
}()

// notModelLead reports whether ASCII s holds, in any case, a word of
// notModelLeads or a "v" and a digit: one pass, trying at each letter
// the few words it opens (containsFold per word read s forty times).
func notModelLead(s string) bool {
	for i := 0; i < len(s); i++ {
		c := lowerASCII(s[i])
		if c < 'a' || c > 'z' {
			continue
		}
		if c == 'v' && i+1 < len(s) && isDigit(s[i+1]) {
			return true
		}
		for _, w := range notModelLeads[c-'a'] {
			if len(s)-i >= len(w) && prefixFold(s[i:], w) {
				return true
			}
		}
	}
	return false
}

// prefixFold reports whether ASCII s opens with w, lower-case ASCII, in
// any case.
func prefixFold(s, w string) bool {
	for j := 0; j < len(w); j++ {
		if lowerASCII(s[j]) != w[j] {
			return false
		}
	}
	return true
}

// foldSafe reports text whose case-insensitive matches containsFold
// finds: none of the two non-ASCII runes whose simple case folding
// (unicode.SimpleFold, which (?i) follows) reaches an ASCII letter, U+017F
// (long s) and U+212A (the Kelvin sign); other bytes of 0x80 and above
// never equal an ASCII letter's (TestFoldSafeRunes holds the two).
func foldSafe(s string) bool {
	return asciiText(s) || !strings.Contains(s, "\u017f") && !strings.Contains(s, "\u212a")
}

// asciiText reports a text of ASCII bytes only.
func asciiText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// containsFold reports whether ASCII s holds w, lower-case ASCII, in any
// case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := 0
		for j < len(w) && lowerASCII(s[i+j]) == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// dottedDigits reports a digit, a dot and a digit: what \d+(?:\.\d+)+
// matches, in every version expression but a VRP release's.
func dottedDigits(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i+1] == '.' && isDigit(s[i]) && isDigit(s[i+2]) {
			return true
		}
	}
	return false
}

// matches is re.MatchString(text), skipping what cannotMatch rules out.
func matches(re *lazyre.Regexp, text string) bool {
	return !cannotMatch(re, text) && re.MatchString(text)
}

func upperASCII(c byte) bool { return c >= 'A' && c <= 'Z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// startsLetter reports an ASCII letter first.
func startsLetter(s string) bool {
	return s != "" && (s[0]|0x20 >= 'a' && s[0]|0x20 <= 'z')
}

// spaceThenV reports a "v" or "V" right after white space (\s: tab, line
// feed, form feed, carriage return, space).
func spaceThenV(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i]|0x20 == 'v' {
			switch s[i-1] {
			case ' ', '\t', '\n', '\f', '\r':
				return true
			}
		}
	}
	return false
}
