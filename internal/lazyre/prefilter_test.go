package lazyre

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
)

// TestPrefilterSound checks, for every pattern in the repository the
// scanner reads words from, against the parsed pattern that every match
// contains one of the words: no string the prefilter refuses can match.
func TestPrefilterSound(t *testing.T) {
	with := 0
	for _, p := range repoPatterns(t) {
		pre := newPrefilter(p.expr)
		if pre.words == nil {
			continue
		}
		with++
		re, err := syntax.Parse(p.expr, syntax.Perl)
		if err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		if !covered(re, pre) {
			t.Errorf("%s: %q: words %q are not what every match contains", p.path, p.expr, pre.words)
		}
	}
	// Most rule tables' patterns are word alternations.
	if with < 100 {
		t.Errorf("%d repository patterns have a prefilter, want at least 100", with)
	}
}

// covered reports whether every string n matches contains one of pre's
// words, as far as it can tell from the parse (false when it cannot).
func covered(n *syntax.Regexp, pre prefilter) bool {
	if coversAll(prefixes(n, pre.fold), pre) {
		return true
	}
	switch n.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return covered(n.Sub[0], pre)
	case syntax.OpRepeat:
		return n.Min >= 1 && covered(n.Sub[0], pre)
	case syntax.OpAlternate:
		for _, s := range n.Sub {
			if !covered(s, pre) {
				return false
			}
		}
		return true
	case syntax.OpConcat:
		return concatCovered(n.Sub, pre)
	}
	return false
}

// prefixes returns strings one of which every match of n starts with
// (lower-cased when fold): the finite language of n's leading parts.
func prefixes(n *syntax.Regexp, fold bool) []string {
	if set, ok := exact(n, fold); ok {
		return set
	}
	switch n.Op {
	case syntax.OpCapture, syntax.OpPlus:
		return prefixes(n.Sub[0], fold)
	case syntax.OpRepeat:
		if n.Min >= 1 {
			return prefixes(n.Sub[0], fold)
		}
	case syntax.OpAlternate:
		var all []string
		for _, s := range n.Sub {
			all = append(all, prefixes(s, fold)...)
		}
		return all
	case syntax.OpConcat:
		run := []string{""}
		for _, s := range n.Sub {
			set, ok := exact(s, fold)
			if !ok {
				return product(run, prefixes(s, fold))
			}
			run = product(run, set)
		}
		return run
	}
	return []string{""}
}

// concatCovered: a concatenation is covered when one part is, or when
// one run of parts of finite languages is, as their product.
func concatCovered(subs []*syntax.Regexp, pre prefilter) bool {
	run := []string{""}
	for _, s := range subs {
		if covered(s, pre) {
			return true
		}
		set, ok := exact(s, pre.fold)
		if !ok || len(run)*len(set) > 4096 {
			if coversAll(run, pre) {
				return true
			}
			run = []string{""}
			continue
		}
		run = product(run, set)
	}
	return coversAll(run, pre)
}

// exact returns the finite language of n (zero-width assertions match the
// empty string), lower-cased when fold, if it is small.
func exact(n *syntax.Regexp, fold bool) ([]string, bool) {
	switch n.Op {
	case syntax.OpLiteral:
		if n.Flags&syntax.FoldCase != 0 && !fold {
			return nil, false
		}
		s := string(n.Rune)
		if fold {
			s = strings.ToLower(s)
		}
		return []string{s}, true
	case syntax.OpEmptyMatch, syntax.OpBeginText, syntax.OpBeginLine, syntax.OpEndText, syntax.OpEndLine,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpCharClass:
		return classSet(n, fold)
	case syntax.OpCapture:
		return exact(n.Sub[0], fold)
	case syntax.OpQuest:
		s, ok := exact(n.Sub[0], fold)
		return append(s, ""), ok
	case syntax.OpAlternate:
		var all []string
		for _, s := range n.Sub {
			set, ok := exact(s, fold)
			if !ok {
				return nil, false
			}
			all = append(all, set...)
		}
		return all, true
	case syntax.OpConcat:
		run := []string{""}
		for _, s := range n.Sub {
			set, ok := exact(s, fold)
			if !ok || len(run)*len(set) > 4096 {
				return nil, false
			}
			run = product(run, set)
		}
		return run, true
	}
	return nil, false
}

// classSet enumerates a small character class.
func classSet(n *syntax.Regexp, fold bool) ([]string, bool) {
	var set []string
	for i := 0; i < len(n.Rune); i += 2 {
		if n.Rune[i+1]-n.Rune[i] > 16 {
			return nil, false
		}
		for r := n.Rune[i]; r <= n.Rune[i+1]; r++ {
			s := string(r)
			if fold {
				s = strings.ToLower(s)
			}
			set = append(set, s)
		}
	}
	slices.Sort(set)
	return slices.Compact(set), len(set) <= 32
}

func product(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// coversAll reports whether every string of set contains one of pre's
// words (case-insensitively when fold: set is lower-cased then).
func coversAll(set []string, pre prefilter) bool {
	for _, s := range set {
		if !slices.ContainsFunc(pre.words, func(w string) bool { return strings.Contains(s, w) }) {
			return false
		}
	}
	return true
}

func TestPrefilterWords(t *testing.T) {
	for _, tt := range []struct {
		expr  string
		words []string
		fold  bool
	}{
		{`(?i)\b(fortinet|palo alto|check point)`, []string{"fortinet", "palo alto", "check point"}, true},
		{`(?i)\b(avm (gmbh|audiovisuelles)|cyber ?power|microsoft corporation.*hyper)`, []string{"avm ", "cyber", "microsoft corporation"}, true},
		{`(?i)^cisco systems`, []string{"cisco systems"}, true},
		{`^Linux (\S+)`, []string{"Linux "}, false},
		{`(?:WS-C\d|Nexus)`, []string{"WS-C", "Nexus"}, false},
		{`(?i)\b(WS-C\d|[ab]x)`, nil, false}, // an alternative without a word
		{`(?i)(foo|bar)?baz`, nil, false},    // optional group
		{`(?i)(foo|bar)|baz`, nil, false},    // alternatives outside the group
		{`foo|bar`, nil, false},              // top-level alternatives
		{`(?s)foo`, nil, false},              // other flags
		{`^(?i)foo`, nil, false},             // flags inside
		{`(?P<x>foo)`, nil, false},           // named group
		{`a?b`, nil, false},                  // an optional first character
		{`(foo[|)]x|bar)`, []string{"foo", "bar"}, false},
		{`(foo`, nil, false},
	} {
		p := newPrefilter(tt.expr)
		if !slices.Equal(p.words, tt.words) || (p.words != nil && p.fold != tt.fold) {
			t.Errorf("newPrefilter(%q) = %q fold %v, want %q fold %v", tt.expr, p.words, p.fold, tt.words, tt.fold)
		}
	}
}

func TestMatchStringPrefilter(t *testing.T) {
	r := New(`(?i)\b(synology|qnap)`)
	for s, want := range map[string]bool{
		"Synology Incorporated": true, "QNAP Systems": true, "SYNOLOGY": true, "Intel Corporate": false,
		"xsynology": false, // the word is there, \b is not: the regexp decides
		"Kſnology":  false, // not ASCII: the regexp decides
	} {
		if got := r.MatchString(s); got != want {
			t.Errorf("MatchString(%q) = %v, want %v", s, got, want)
		}
	}
	// A refused string leaves the pattern uncompiled.
	r = New(`(?i)\b(synology|qnap)`)
	if r.MatchString("Intel Corporate") || compiled(r) {
		t.Errorf("a string without the words compiled the pattern")
	}
}

// FuzzPrefilter: a string the prefilter refuses never matches.
func FuzzPrefilter(f *testing.F) {
	exprs := []string{
		`(?i)\b(fortinet|palo alto|check point)`,
		`(?i)\b(avm (gmbh|audiovisuelles)|cyber ?power|microsoft corporation.*hyper)`,
		`(?i)^cisco systems`, `^Linux (\S+)`, `(?:WS-C\d|Nexus)`, `(foo[|)]x|bar)`, `(a[[:digit:])(]|b)`,
	}
	for _, s := range []string{"Fortinet, Inc.", "CyberPower", "cisco SYSTEMS", "Linux 5.10", "ws-c2960", "foo|x", "Check\u212aPoint"} {
		f.Add(s)
	}
	res := make([]*regexp.Regexp, len(exprs))
	pres := make([]prefilter, len(exprs))
	for i, e := range exprs {
		res[i], pres[i] = regexp.MustCompile(e), newPrefilter(e)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := range exprs {
			if !pres[i].mayMatch(s) && res[i].MatchString(s) {
				t.Errorf("%q matches %q, which its prefilter refused", exprs[i], s)
			}
		}
	})
}

// TestCoveredRefuses: the soundness check fails words that miss a match.
func TestCoveredRefuses(t *testing.T) {
	for expr, words := range map[string][]string{
		`(?i)\b(foo|bar)`: {"foo"},
		`(?i)a(bc|d+)`:    {"abc"},
		`x?yz`:            {"xyz"},
	} {
		re, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		if covered(re, prefilter{words: words, fold: true}) {
			t.Errorf("covered(%q, %q) = true, want false", expr, words)
		}
	}
}

// TestPOSIXClassNotRefused: a bracket expression holding a POSIX class
// ends at its own ']', not the class's: the prefilter gives up rather than
// refuse "b", which (a[[:digit:])(]|b) matches.
func TestPOSIXClassNotRefused(t *testing.T) {
	expr := `(a[[:digit:])(]|b)`
	if p := newPrefilter(expr); !p.mayMatch("b") || !New(expr).MatchString("b") {
		t.Errorf("%q refused %q, which it matches", expr, "b")
	}
}

// TestFindPrefilter: the methods that find or replace answer a string
// without the words as regexp does for no match, without compiling the
// pattern, and a string with them as regexp does.
func TestFindPrefilter(t *testing.T) {
	const expr = `(?i)\b(?:firmware|software)\s+v?(\d+(?:\.\d+)+)`
	std := regexp.MustCompile(expr)
	for _, s := range []string{"zaporojskoe-olt", "Firmware v1.2.3", "xfirmware 1.2", "SOFTWARE 4.5 and software 6.7", ""} {
		r := New(expr)
		if got, want := r.FindString(s), std.FindString(s); got != want {
			t.Errorf("FindString(%q) = %q, want %q", s, got, want)
		}
		if got, want := r.FindStringSubmatch(s), std.FindStringSubmatch(s); !slices.Equal(got, want) || (got == nil) != (want == nil) {
			t.Errorf("FindStringSubmatch(%q) = %q, want %q", s, got, want)
		}
		if got, want := r.FindStringSubmatchIndex(s), std.FindStringSubmatchIndex(s); !slices.Equal(got, want) || (got == nil) != (want == nil) {
			t.Errorf("FindStringSubmatchIndex(%q) = %v, want %v", s, got, want)
		}
		if got, want := r.FindAllStringSubmatch(s, -1), std.FindAllStringSubmatch(s, -1); len(got) != len(want) || (got == nil) != (want == nil) {
			t.Errorf("FindAllStringSubmatch(%q) = %q, want %q", s, got, want)
		}
		if got, want := r.ReplaceAllString(s, "<$1>"), std.ReplaceAllString(s, "<$1>"); got != want {
			t.Errorf("ReplaceAllString(%q) = %q, want %q", s, got, want)
		}
	}
	r := New(expr)
	r.FindString("zaporojskoe-olt")
	r.FindStringSubmatch("zaporojskoe-olt")
	r.FindStringSubmatchIndex("zaporojskoe-olt")
	r.FindAllStringSubmatch("zaporojskoe-olt", -1)
	r.ReplaceAllString("zaporojskoe-olt", "")
	if compiled(r) {
		t.Errorf("a string without the words compiled the pattern")
	}
}

// TestFlagGroupQuantifier: a quantifier after a flag group applies to the
// character before it, so no word may be required there (found by fuzzing
// in review: "ab(?i)?c" matches "ac").
func TestFlagGroupQuantifier(t *testing.T) {
	for _, tc := range []struct{ expr, in string }{
		{"ab(?i)?c", "ac"},
		{"0(?)*", "ac"},
		{"(?i)ab(?s)?c", "AC"},
	} {
		want, err := regexp.Compile(tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		re := New(tc.expr)
		if got, w := re.MatchString(tc.in), want.MatchString(tc.in); got != w {
			t.Errorf("%q.MatchString(%q) = %v, regexp says %v", tc.expr, tc.in, got, w)
		}
		if got, w := re.FindString(tc.in), want.FindString(tc.in); got != w {
			t.Errorf("%q.FindString(%q) = %q, regexp says %q", tc.expr, tc.in, got, w)
		}
		if got, w := re.ReplaceAllString(tc.in, "<>"), want.ReplaceAllString(tc.in, "<>"); got != w {
			t.Errorf("%q.ReplaceAllString(%q) = %q, regexp says %q", tc.expr, tc.in, got, w)
		}
	}
}
