package identity

import (
	"regexp/syntax"
	"strings"
	"testing"
)

// syntaxPrefix is the literal every match of p must start with, as
// regexp/syntax reads p: the case-sensitive literal right after the
// beginning-of-text anchor of a simplified concatenation; "" otherwise.
func syntaxPrefix(t *testing.T, p string) string {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		t.Fatalf("%q: %v", p, err)
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpBeginText {
		return ""
	}
	if lit := re.Sub[1]; lit.Op == syntax.OpLiteral && lit.Flags&syntax.FoldCase == 0 {
		return string(lit.Rune)
	}
	return ""
}

// TestAnchoredPrefix: the prefix recogDHCP skips patterns by is one every
// match has (a prefix of what regexp/syntax reads), for every Recog pattern
// and for the awkward cases; and it is not empty for most of the patterns,
// or skipping would save nothing.
func TestAnchoredPrefix(t *testing.T) {
	cases := map[string]string{
		`^abc`: "abc", `^abc?d`: "ab", `^ab*`: "a", `^ab+`: "a", `^ab{2}`: "a", `^a\.b\d`: "a.b",
		`^(?i)abc`: "", `(?i)^abc`: "", `abc`: "", `^abc|xyz`: "", `^a(b|c)`: "a", `^a[|]b`: "a",
		`^a[]|]b`: "a", `^é?x`: "", `^Cisco Systems Inc\. Wireless Phone`: "Cisco Systems Inc. Wireless Phone",
		`^a\|b|c`: "", `^a$`: "a", `^`: "",
	}
	for p, want := range cases {
		if got := anchoredPrefix(p); got != want {
			t.Errorf("anchoredPrefix(%q) = %q, want %q", p, got, want)
		}
	}
	var pats []string
	for p := range cases {
		pats = append(pats, p)
	}
	with := 0
	for _, r := range recogDHCPVendor {
		pats = append(pats, r.pattern)
		if anchoredPrefix(r.pattern) != "" {
			with++
		}
	}
	for _, p := range pats {
		if got, whole := anchoredPrefix(p), syntaxPrefix(t, p); !strings.HasPrefix(whole, got) {
			t.Errorf("anchoredPrefix(%q) = %q, not a prefix of regexp/syntax's %q", p, got, whole)
		}
	}
	if with < len(recogDHCPVendor)*3/4 {
		t.Errorf("only %d of %d Recog patterns have a prefix", with, len(recogDHCPVendor))
	}
}

// TestRecogPrefixSameMatches: skipping by prefix finds the same first
// pattern as trying them all, for every pattern's own literal text and
// for vendor classes seen in the corpus.
func TestRecogPrefixSameMatches(t *testing.T) {
	texts := []string{"MSFT 5.0", "android-dhcp-13", "udhcp 1.36.1", "dhcpcd-9.4.1", "", "Cisco AP c2702i",
		"AAPLBSDPC/i386/iMac16,2", "Canon iR-ADV C5540", "JNPR.IVE", "Polycom-VVX-D411", "AXIS,Network Camera,M3045-V,10.12.1"}
	for _, r := range recogDHCPVendor {
		texts = append(texts, anchoredPrefix(r.pattern), anchoredPrefix(r.pattern)+"x")
	}
	for _, s := range texts {
		want, got := -1, -1
		for i, r := range recogDHCP() {
			if want < 0 && r.re.Compiled().MatchString(s) {
				want = i
			}
			if got < 0 && r.match(s) {
				got = i
			}
		}
		if got != want {
			t.Errorf("%q: first match %d with prefixes, %d without", s, got, want)
		}
	}
}
