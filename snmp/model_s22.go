package snmp

import (
	"strings"
	"unicode"
)

// descrProduct is the product name when descr (sysDescr) names the
// product the chassis row's name does, "" when it does not. Where name
// is one of descr's words (hasWord) it is name; where it is the end of
// a hyphen-joined product number descr gives, spelled with other
// capitals, spaces or hyphens (an ADVA shelf's entPhysicalName
// "XG116Pro(H)" and sysDescr's "FSP150CC-XG116PRO (H)", "GE114Pro" and
// "FSP 150-GE114Pro"), it is descr up to the end of the name: the
// product's full name, which the shelf's confirms, when that is shaped
// like a model (modelLike), else name. The match starts where a word or
// a hyphen-joined part of descr starts and ends where a word does, so a
// name never matches inside another number ("C2960" in "C2960S").
func descrProduct(descr, name string) string {
	if hasWord(descr, name) {
		return name
	}
	n := []rune(squashName(name))
	if len(n) < 6 {
		return ""
	}
	for i := 0; i < len(descr); i++ {
		if i > 0 && !partBoundary(rune(descr[i-1])) || partBoundary(rune(descr[i])) {
			continue
		}
		end, ok := squashedPrefix(descr[i:], n)
		if !ok || i+end < len(descr) && isAlnum(rune(descr[i+end])) {
			continue
		}
		if full := strings.TrimSpace(descr[:i+end]); modelLike(full) {
			return full
		}
		return name
	}
	return ""
}

// partBoundary is a separator between the words and hyphen-joined parts
// of a product's name.
func partBoundary(r rune) bool { return r == ' ' || r == '-' || r == '_' }

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// squashedPrefix reports whether s, squashed as squashName squashes,
// opens with n, and where in s the match ends.
func squashedPrefix(s string, n []rune) (end int, ok bool) {
	j := 0
	for i, r := range s {
		if j == len(n) {
			return i, true
		}
		if partBoundary(r) {
			continue
		}
		if unicode.ToLower(r) != n[j] {
			return 0, false
		}
		j++
	}
	return len(s), j == len(n)
}
