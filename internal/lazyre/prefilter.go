package lazyre

import (
	"iter"
	"strings"
)

// A prefilter answers most non-matches without compiling the pattern:
// the rule tables' patterns are mostly alternations of words, (?i)\b(a|b|c)
// or ^literal, and any match contains one of the words. Parsing a pattern
// is most of compiling it (tens of microseconds each, at first use at
// start-up), so the words are read from the pattern's text by the simple
// scanner below, which gives up (no prefilter) on any shape it does not
// know; TestPrefilterSound checks its words against the parsed pattern for
// every pattern in the repository.

// prefilter is the words one of which every match of a pattern contains.
type prefilter struct {
	words []string // nil: no prefilter, every string may match
	fold  bool     // words are lower case, matched ASCII-case-insensitively
}

// mayMatch reports whether s contains one of the words (always, without
// a prefilter, and for a case-insensitive pattern and a string that is not
// all ASCII, where Unicode case folding could match other bytes).
func (p *prefilter) mayMatch(s string) bool {
	if p.words == nil {
		return true
	}
	if p.fold {
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return true
			}
		}
	}
	for _, w := range p.words {
		if p.fold && containsFold(s, w) || !p.fold && strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// containsFold reports whether ASCII s contains lower-case ASCII w,
// ignoring ASCII case.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		j := 0
		for j < len(w) && lower(s[i+j]) == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// newPrefilter reads the words of expr: an optional (?i), an optional \b
// or ^, then either a group of alternatives (capturing or (?:), not
// repeated, with no | after it) or a sequence without a top-level |; each
// alternative's word is its literal start, up to the first metacharacter
// (less a character a ?, * or { makes optional).
func newPrefilter(expr string) prefilter {
	var p prefilter
	expr, p.fold = strings.CutPrefix(expr, "(?i)")
	if flagGroup(expr) {
		return prefilter{} // other flags anywhere (a quantifier after one applies to the character before), named groups
	}
	if rest, ok := strings.CutPrefix(expr, `\b`); ok {
		expr = rest
	} else {
		expr = strings.TrimPrefix(expr, "^")
	}
	alts := []string{expr}
	if strings.HasPrefix(expr, "(") {
		end := groupEnd(expr)
		if end < 0 || strings.ContainsAny(expr[end+1:min(end+2, len(expr))], "?*{") || len(split(expr[end+1:])) != 1 {
			return prefilter{} // unclosed, optional, or one alternative of several
		}
		inner := strings.TrimPrefix(expr[1:end], "?:")
		if strings.HasPrefix(inner, "?") {
			return prefilter{}
		}
		alts = split(inner)
	} else if s := split(expr); len(s) != 1 {
		return prefilter{}
	}
	for _, a := range alts {
		w := literalStart(a)
		if w == "" {
			return prefilter{}
		}
		if p.fold {
			w = strings.ToLower(w)
		}
		p.words = append(p.words, w)
	}
	return p
}

// flagGroup reports whether expr holds a group opened by "(?" other than
// a plain non-capturing "(?:": flags, which make no node of their own (so
// "ab(?i)?c" makes b optional), or a named group.
func flagGroup(expr string) bool {
	for {
		i := strings.Index(expr, "(?")
		if i < 0 {
			return false
		}
		if !strings.HasPrefix(expr[i:], "(?:") {
			return true
		}
		expr = expr[i+3:]
	}
}

// literalStart returns the literal characters a pattern starts with; a
// character a quantifier that allows none of it follows is left out.
func literalStart(a string) string {
	i := 0
	for i < len(a) && a[i] < 0x80 && !strings.ContainsRune(`\.+*?()|[]{}^$`, rune(a[i])) {
		i++
	}
	if i < len(a) && strings.ContainsRune("?*{", rune(a[i])) {
		i--
	}
	return a[:max(i, 0)]
}

// groupEnd returns the index of the parenthesis closing the group expr
// opens with, or -1.
func groupEnd(expr string) int {
	for i, depth := range structure(expr) {
		if i < 0 || expr[i] == ')' && depth == 0 {
			return i
		}
	}
	return -1
}

// split cuts expr at its top-level |, or returns nil if its brackets do
// not balance.
func split(expr string) []string {
	var parts []string
	start, open := 0, 0
	for i, depth := range structure(expr) {
		if i < 0 || depth < 0 {
			return nil
		}
		if open = depth; expr[i] == '(' {
			open++
		} else if expr[i] == '|' && depth == 0 {
			parts = append(parts, expr[start:i])
			start = i + 1
		}
	}
	if open != 0 {
		return nil
	}
	return append(parts, expr[start:])
}

// structure yields the index of every (, ) and | of expr that is neither
// escaped nor inside a bracket class, with the depth of groups it stands
// in: a group's ( and ) both stand at the depth outside it. It yields -1
// and stops where a class does not close, as the scanner then gives up.
func structure(expr string) iter.Seq2[int, int] {
	return func(yield func(i, depth int) bool) {
		depth := 0
		for i := 0; i < len(expr); i++ {
			switch expr[i] {
			case '\\':
				i++
			case '[':
				if i = classEnd(expr, i); i < 0 {
					yield(-1, depth)
					return
				}
			case '(', ')', '|':
				if expr[i] == ')' {
					depth--
				}
				if !yield(i, depth) {
					return
				}
				if expr[i] == '(' {
					depth++
				}
			}
		}
	}
}

// classEnd returns the index of the ] closing the class that opens at
// expr[i], or -1.
func classEnd(expr string, i int) int {
	i++
	if i < len(expr) && expr[i] == '^' {
		i++
	}
	if i < len(expr) && expr[i] == ']' {
		i++
	}
	for ; i < len(expr); i++ {
		switch expr[i] {
		case '\\':
			i++
		case '[':
			if i+1 < len(expr) && (expr[i+1] == ':' || expr[i+1] == '=' || expr[i+1] == '.') {
				return -1 // a POSIX class ([:digit:]) holds a ']' of its own: give up
			}
		case ']':
			return i
		}
	}
	return -1
}
