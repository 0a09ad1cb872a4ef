package snmp

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"tend/internal/lazyre"
)

func TestRequiredLiterals(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []string
	}{
		{`^[A-Z][A-Za-z]*OS ([A-Z][\w\-+]*\d[\w\-+]*)$`, []string{"OS "}},
		{`\s[A-Z][A-Za-z]+ (\d{3,5} [A-Z][A-Z0-9\-]*) Copyright\b`, []string{" Copyright"}},
		{`(?i)\bmachine type:\s*(\S+)`, []string{"machine type:"}},
		{`(?i)(?:\bhardware\s*[\[:=]|\bH/w)`, []string{"hardware", "h/w"}},
		{`abc|x?`, nil},
		{`(?:abc)*d`, []string{"d"}},
		{`(?:abcd){0,2}e`, []string{"e"}},
		{`(?:abcd){1,2}e`, []string{"abcd"}},
		{`(?i)\x{212A}elvin`, []string{"kelvin"}}, // folded: the Kelvin sign's text is not foldSafe
		{`(?i)ſerial`, []string{"serial"}},
		{`[`, nil},
	} {
		got, _ := requiredLiterals(c.expr)
		if !slices.Equal(got, c.want) {
			t.Errorf("requiredLiterals(%q) = %q, want %q", c.expr, got, c.want)
		}
	}
}

// TestLacksLiteralsSound holds lacksLiterals to never ruling out a text
// its expression matches, for every expression identification runs on
// setA's and setC's devices (their guards are read as they run), over
// a tenth of the corpus's octet strings, the descriptions, and random texts of
// the guards' literals in other cases, cut, or beside runes that fold to
// ASCII.
func TestLacksLiteralsSound(t *testing.T) {
	if testing.Short() {
		t.Skip("identifies every corpus device")
	}
	r := rand.New(rand.NewPCG(17, 18))
	var texts []string
	for _, s := range corpusTexts(t) {
		if r.IntN(10) == 0 { // a tenth: each text runs every expression
			texts = append(texts, s)
		}
	}
	for _, set := range []string{"setA", "setC"} {
		dir := setDir(t, set)
		for _, m := range readManifest(t, dir) {
			rec := loadRecording(t, filepath.Join(dir, m.File))
			o, err := newPoller(Config{}, nil, rec.session).Identify(context.Background(), everyIP)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, o.SNMP.SysDescr)
		}
	}
	var pieces []string
	exprs := map[*lazyre.Regexp]bool{}
	literalGuards.Range(func(k, v any) bool {
		exprs[k.(*lazyre.Regexp)] = true
		for _, l := range v.(literalGuard).lits {
			pieces = append(pieces, l, strings.ToUpper(l), l[:len(l)/2], l[len(l)/2:])
		}
		return true
	})
	pieces = append(pieces, " ", "1", "A", "ſ", "\u212a", "é", "-", ":", "v2.1", "\n")
	for range 5000 {
		var b strings.Builder
		for range 1 + r.IntN(6) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	ruled := 0
	for re := range exprs {
		for _, s := range texts {
			if lacksLiterals(re, s) {
				ruled++
				if re.MatchString(s) {
					t.Errorf("lacksLiterals(%s, %q) but it matches", re, s)
				}
			}
		}
	}
	if len(exprs) < 100 || ruled == 0 {
		t.Errorf("%d expressions guarded, %d texts ruled out", len(exprs), ruled)
	}
}
