//go:build ignore

// The package the standard library vendors as golang.org/x/net/idna, in the
// shipped binary: scripts/template-overlay.sh copies this file into it
// without the build line above, keeps punycode.go and drops its other files.

// Package idna, in tend's shipped binary, is the standard library's
// vendored golang.org/x/net/idna cut to what net/http calls (Lookup.ToASCII
// and ToASCII, only for a host name that is not all ASCII) without its
// Unicode tables (UTS #46 mapping, NFC normalisation and the bidi rule:
// 0.2 MB of the binary). A non-ASCII label is lower-cased and Punycode
// encoded (punycode.go, unchanged); labels that the full mapping would have
// changed otherwise (compatibility forms other than full-width ASCII,
// unnormalised text) are encoded as typed rather than mapped, and the
// Unicode rules beyond that (bidi, joiners, disallowed code points) are not
// checked; ASCII keeps STD3's letters, digits and hyphens and a label's
// hyphens UTS #46's CheckHyphens.
package idna

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

const acePrefix = "xn--"

// A Profile converts host names; both of tend's are the same lookup.
type Profile struct{ lookup bool }

var (
	// Lookup is the profile net/http converts a request's host with.
	Lookup = &Profile{lookup: true}
	// Punycode encodes without mapping.
	Punycode = &Profile{}
)

// ToASCII is Punycode.ToASCII.
func ToASCII(s string) (string, error) { return Punycode.ToASCII(s) }

// ToASCII converts a host name to its ASCII (A-label) form.
func (p *Profile) ToASCII(s string) (string, error) {
	if p.lookup {
		s = strings.Map(lookupMap, s)
	}
	labels := strings.Split(s, ".")
	for i, l := range labels {
		ascii := true
		for _, r := range l {
			if r >= utf8.RuneSelf {
				ascii = false
			} else if p.lookup && !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return s, runeError(r) // STD3 rules: letters, digits and hyphens
			}
		}
		if p.lookup && l != "" && (l[0] == '-' || l[len(l)-1] == '-' || len(l) >= 4 && l[2:4] == "--" && !(ascii && l[:2] == "xn")) {
			return s, &labelError{l, "V2"} // UTS #46 CheckHyphens
		}
		if ascii {
			continue
		}
		a, err := encode(acePrefix, l)
		if err != nil {
			return s, err
		}
		labels[i] = a
	}
	return strings.Join(labels, "."), nil
}

// lookupMap is the part of UTS #46's mapping the Lookup profile keeps:
// full stops to '.', full-width ASCII to ASCII, and lower case.
func lookupMap(r rune) rune {
	switch {
	case r == '\u3002' || r == '\uff0e' || r == '\uff61':
		return '.'
	case r >= '\uff01' && r <= '\uff5e':
		r -= 0xfee0
	}
	return unicode.ToLower(r)
}

type labelError struct{ label, code_ string }

func (e labelError) code() string { return e.code_ }
func (e labelError) Error() string {
	return fmt.Sprintf("idna: invalid label %q", e.label)
}

type runeError rune

func (e runeError) code() string { return "P1" }
func (e runeError) Error() string {
	return fmt.Sprintf("idna: disallowed rune %U", e)
}
