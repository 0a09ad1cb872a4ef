package snmp

import (
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"

	"tend/internal/lazyre"
)

// literalGuard is what every match of an expression holds: one of its
// literals (lits), each case-sensitive or, in a (?i) part, ASCII folded to
// lower case (fold). Read once per expression from its syntax tree
// (requiredLiterals), it spares values.submatch and values.match the
// regular expression engine on a text that holds none of them: sysDescr's
// grammars run on every device, and most name a word ("Copyright", "OS
// for ", ". Hardware: ") few descriptions hold, after a leading pattern
// lazyre's own prefilter cannot see past.
type literalGuard struct {
	lits []string
	fold []bool
}

// literalGuards are the expressions' guards, read when first asked for.
var literalGuards sync.Map // *lazyre.Regexp → literalGuard

// lacksLiterals reports that text holds none of the literals every match
// of re holds: then re cannot match it. False when re has no such
// literals, or for a folded one when text holds a rune whose case folds
// to an ASCII letter (foldSafe).
func lacksLiterals(re *lazyre.Regexp, text string) bool {
	g, ok := literalGuards.Load(re)
	if !ok {
		lits, fold := requiredLiterals(re.String())
		g, _ = literalGuards.LoadOrStore(re, literalGuard{lits, fold})
	}
	guard := g.(literalGuard)
	if len(guard.lits) == 0 {
		return false
	}
	for i, l := range guard.lits {
		if guard.fold[i] && (!foldSafe(text) || containsFold(text, l)) || !guard.fold[i] && strings.Contains(text, l) {
			return false
		}
	}
	return true
}

// requiredLiterals is a set of literals one of which every match of expr
// holds (nil when it knows none), fold marking those matched in any
// ASCII case (lower-cased).
func requiredLiterals(expr string) (lits []string, fold []bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, nil
	}
	set, ok := required(re.Simplify())
	if !ok {
		return nil, nil
	}
	for _, l := range set {
		lits, fold = append(lits, l.s), append(fold, l.fold)
	}
	return lits, fold
}

// literal is one of requiredLiterals' literals.
type literal struct {
	_    [0]func() // not comparable: no equality function linked
	s    string
	fold bool
}

// required is the literals one of which every match of n holds: a
// literal itself; a capture's, a repetition's of one or more; each
// alternative's together; the best of a concatenation's parts (the
// longest shortest literal).
func required(n *syntax.Regexp) ([]literal, bool) {
	switch n.Op {
	case syntax.OpLiteral:
		return literalOf(n)
	case syntax.OpCapture, syntax.OpPlus:
		return required(n.Sub[0])
	case syntax.OpRepeat:
		if n.Min >= 1 {
			return required(n.Sub[0])
		}
	case syntax.OpAlternate:
		var out []literal
		for _, s := range n.Sub {
			set, ok := required(s)
			if !ok {
				return nil, false
			}
			out = append(out, set...)
		}
		return out, len(out) > 0
	case syntax.OpConcat:
		return bestOf(n.Sub)
	}
	return nil, false
}

// literalOf is a literal node's text: as it is, or lower-cased when it
// folds case (ASCII only: none for another rune that folds).
func literalOf(n *syntax.Regexp) ([]literal, bool) {
	s := string(n.Rune)
	if s == "" {
		return nil, false
	}
	if n.Flags&syntax.FoldCase == 0 {
		return []literal{{s: s}}, true
	}
	for _, r := range n.Rune {
		if r >= utf8.RuneSelf {
			return nil, false
		}
	}
	return []literal{{s: strings.ToLower(s), fold: true}}, true
}

// bestOf is the set of a concatenation's parts whose shortest literal is
// longest (fewest literals on a tie): any part's is required.
func bestOf(subs []*syntax.Regexp) ([]literal, bool) {
	var best []literal
	bestLen := 0
	for _, s := range subs {
		set, ok := required(s)
		if !ok {
			continue
		}
		shortest := len(set[0].s)
		for _, l := range set[1:] {
			shortest = min(shortest, len(l.s))
		}
		if shortest > bestLen || shortest == bestLen && len(set) < len(best) {
			best, bestLen = set, shortest
		}
	}
	return best, best != nil
}
