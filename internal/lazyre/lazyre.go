// Package lazyre holds regular expressions that compile on first use.
//
// The rule tables of identity, snmp and lifecycle hold about 250 patterns; a
// compiled pattern keeps its program on the heap for good (together 1.2 MB
// of serve's live heap, issue 19), and most of them serve never runs on a
// LAN without SNMP agents or without a given vendor's devices. A pattern
// declared here costs its text until a match needs it. Patterns are
// constants of the repository, so a broken one is a build mistake: it panics
// on first use like regexp.MustCompile at init, and TestPatternsCompile
// compiles every literal given to New or written as a Regexp literal in the
// repository. Stdlib only.
package lazyre

import (
	"regexp"
	"sync"
	"sync/atomic"
)

// Regexp is a pattern compiled on its first match. It is safe for
// concurrent use.
type Regexp struct {
	// Expr is the pattern's text. A package-level pattern is a literal,
	// &lazyre.Regexp{Expr: `…`}, which the compiler lays out as 24 bytes
	// of data where a call of New was init code and an 88-byte object on
	// the heap (session 38). Set it there or through New, never after
	// the first use.
	Expr string
	st   atomic.Pointer[state] // nil until the first use
}

// state is what a Regexp builds on its first use: the prefilter, and the
// compiled pattern when a string passes it.
type state struct {
	once sync.Once
	re   *regexp.Regexp

	preOnce sync.Once
	pre     prefilter
}

// New returns expr uncompiled; the first method call compiles it and
// panics if it does not compile.
func New(expr string) *Regexp { return &Regexp{Expr: expr} }

// state returns r's state, made on the first call.
func (r *Regexp) state() *state {
	if s := r.st.Load(); s != nil {
		return s
	}
	r.st.CompareAndSwap(nil, new(state))
	return r.st.Load()
}

// Compiled returns the compiled pattern.
func (r *Regexp) Compiled() *regexp.Regexp {
	s := r.state()
	s.once.Do(func() { s.re = regexp.MustCompile(r.Expr) })
	return s.re
}

// String returns the pattern's source text.
func (r *Regexp) String() string { return r.Expr }

// MatchString is regexp.Regexp.MatchString; a string that lacks every
// word any match must contain (a prefilter read from the pattern's text)
// is refused without compiling the pattern.
func (r *Regexp) MatchString(s string) bool {
	return r.mayMatch(s) && r.Compiled().MatchString(s)
}

// mayMatch is false when s lacks every word any match must contain: the
// methods that find or replace answer as for no match without running
// the pattern (identification tries sysDescr and each vendor object
// against dozens of grammars, most of which name a word it lacks).
func (r *Regexp) mayMatch(s string) bool {
	st := r.state()
	st.preOnce.Do(func() { st.pre = newPrefilter(r.Expr) })
	return st.pre.mayMatch(s)
}

// FindString is regexp.Regexp.FindString.
func (r *Regexp) FindString(s string) string {
	if !r.mayMatch(s) {
		return ""
	}
	return r.Compiled().FindString(s)
}

// FindStringSubmatch is regexp.Regexp.FindStringSubmatch.
func (r *Regexp) FindStringSubmatch(s string) []string {
	if !r.mayMatch(s) {
		return nil
	}
	return r.Compiled().FindStringSubmatch(s)
}

// FindStringSubmatchIndex is regexp.Regexp.FindStringSubmatchIndex.
func (r *Regexp) FindStringSubmatchIndex(s string) []int {
	if !r.mayMatch(s) {
		return nil
	}
	return r.Compiled().FindStringSubmatchIndex(s)
}

// ReplaceAllString is regexp.Regexp.ReplaceAllString.
func (r *Regexp) ReplaceAllString(src, repl string) string {
	if !r.mayMatch(src) {
		return src
	}
	return r.Compiled().ReplaceAllString(src, repl)
}

// ExpandString is regexp.Regexp.ExpandString.
func (r *Regexp) ExpandString(dst []byte, template, src string, match []int) []byte {
	return r.Compiled().ExpandString(dst, template, src, match)
}

// FindAllStringSubmatch is regexp.Regexp.FindAllStringSubmatch.
func (r *Regexp) FindAllStringSubmatch(s string, n int) [][]string {
	if !r.mayMatch(s) {
		return nil
	}
	return r.Compiled().FindAllStringSubmatch(s, n)
}

// FindSubmatch is regexp.Regexp.FindSubmatch.
func (r *Regexp) FindSubmatch(b []byte) [][]byte { return r.Compiled().FindSubmatch(b) }
