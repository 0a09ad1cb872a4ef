package snmp

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"

	"tend/internal/lazyre"
)

//go:generate go run ./internal/genrecog -in ../../shared/corpus/recog/snmp_sysdescr.xml -out recog_sysdescr.tsv.gz

// recogGz is Rapid7 Recog's sysDescr fingerprints, reduced by
// internal/genrecog to what identity uses: gzip'd
// "pattern\tmodel\tfirmware\tserial" lines, the fields as
// regexp.Expand templates (BSD-2-Clause, see THIRD_PARTY.md).
//
//go:embed recog_sysdescr.tsv.gz
var recogGz []byte

// recogPrint is one fingerprint: the sysDescr pattern and the templates
// of the fields it yields (model, firmware, serial).
type recogPrint struct {
	_      [0]func() // not comparable: no equality function linked
	lit    string    // a literal every match contains, lower case ("" if none): a cheap test before re
	re     *lazyre.Regexp
	fields [3]string
}

// recogPrints decodes the table on first use (identity of a device whose
// own rules left a field empty); a pattern compiles the first time a
// sysDescr holds its literal. The table is embedded and tested, so a bad
// line is a build mistake and panics.
var recogPrints = sync.OnceValue(func() []recogPrint {
	zr, err := gzip.NewReader(bytes.NewReader(recogGz))
	if err != nil {
		panic("snmp: recog_sysdescr.tsv.gz: " + err.Error())
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		panic("snmp: recog_sysdescr.tsv.gz: " + err.Error())
	}
	var out []recogPrint
	for line := range strings.SplitSeq(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			panic("snmp: bad line in recog_sysdescr.tsv.gz: " + line)
		}
		out = append(out, recogPrint{lit: requiredLiteral(f[0]), re: lazyre.New(f[0]), fields: [3]string{f[1], f[2], f[3]}})
	}
	return out
})

// Fields a recog source reads, as indexes into recogPrint.fields.
const (
	recogModel    = 1
	recogFirmware = 2
	recogSerial   = 3
)

// recogMatch is what the fingerprints said of one sysDescr: per field the
// value of the first matching fingerprint that yields it, once looked up.
type recogMatch struct {
	done   [3]bool
	fields [3]string
	// cands are the fingerprints whose literal sysDescr (candsOf) holds,
	// in order: the model's and the firmware's searches test the same
	// four hundred literals, once
	cands     []int
	candsOf   string
	candsDone bool
}

// recog gives one field (recogModel…) of sysDescr by the fingerprints,
// matching only those that yield it, once per device and field.
func (vs *values) recog(field int) string {
	i := field - 1
	if vs.recogRes.done[i] {
		return vs.recogRes.fields[i]
	}
	vs.recogRes.done[i] = true
	d := vs.descr
	if d == "" || len(d) > maxText {
		return ""
	}
	prints := recogPrints()
	for _, c := range vs.recogCands(d) {
		p := &prints[c]
		t := p.fields[i]
		if t == "" {
			continue
		}
		m := p.re.FindStringSubmatchIndex(d)
		if m == nil {
			continue
		}
		v := tidy(string(p.re.ExpandString(nil, t, d, m)))
		if field == recogModel && (osWord.MatchString(v) || nonModel.MatchString(v) || systemRelease.MatchString(v)) {
			v = "" // a fingerprint that captures the OS (and its release) as its product
		}
		vs.recogRes.fields[i] = v
		break
	}
	return vs.recogRes.fields[i]
}

// recogCands is the fingerprints whose literal (if any) sysDescr d
// holds, ignoring case, in order. The literals are looked up by the
// three bytes they open with (recogLits) at each position of d, not each
// searched for in d: four hundred searches a sysDescr cost more than the
// rest of the fingerprints' work.
func (vs *values) recogCands(d string) []int {
	if vs.recogRes.candsDone && vs.recogRes.candsOf == d {
		return vs.recogRes.cands
	}
	lower := strings.ToLower(d)
	prints, x := recogPrints(), recogLits()
	var hit [(recogMaxPrints + 63) / 64]uint64 // by fingerprint
	for _, c := range x.short {
		if p := prints[c]; p.lit == "" || strings.Contains(lower, p.lit) {
			hit[c/64] |= 1 << (c % 64)
		}
	}
	for i := 0; i+3 <= len(lower); i++ {
		for _, c := range x.byLead[litLead(lower[i:])] {
			if strings.HasPrefix(lower[i:], prints[c].lit) {
				hit[c/64] |= 1 << (c % 64)
			}
		}
	}
	var cands []int
	for c := range prints {
		if hit[c/64]&(1<<(c%64)) != 0 {
			cands = append(cands, c)
		}
	}
	vs.recogRes.cands, vs.recogRes.candsOf, vs.recogRes.candsDone = cands, d, true
	return cands
}

// recogMaxPrints bounds the fingerprints recogCands marks (406 in the
// table); recogLits panics past it, a build mistake the tests catch.
const recogMaxPrints = 1024

// litIndex files the fingerprints by their literals: those of three
// bytes or more by the first three (litLead), the others (none, or
// shorter) apart.
type litIndex struct {
	byLead map[uint32][]int
	short  []int
}

var recogLits = sync.OnceValue(func() litIndex {
	prints := recogPrints()
	if len(prints) > recogMaxPrints {
		panic("snmp: more fingerprints than recogMaxPrints")
	}
	x := litIndex{byLead: map[uint32][]int{}}
	for c, p := range prints {
		if len(p.lit) < 3 {
			x.short = append(x.short, c)
			continue
		}
		k := litLead(p.lit)
		x.byLead[k] = append(x.byLead[k], c)
	}
	return x
})

// litLead is s's first three bytes as one number (s has three or more).
func litLead(s string) uint32 { return uint32(s[0])<<16 | uint32(s[1])<<8 | uint32(s[2]) }

// systemRelease is a name and a release, a system's ("SonicOS
// 7.1.1-7058"): what a fingerprint written for an older banner captures
// from the bracket a newer one fills with the system ("SonicWALL
// <processor> (<product>)" over "SonicWALL TZ 670 (SonicOS
// 7.1.1-7058)"). A product's number has no dotted release.
var systemRelease = &lazyre.Regexp{Expr: `^[A-Za-z][\w\-]*\s+v?\d+(?:\.\d+)+[\w\-.]*$`}

// nonModel are the product names some fingerprints capture that name
// software, not hardware.
var nonModel = &lazyre.Regexp{Expr: `(?i)^(nx-os|ios|freenas|truenas|pfsense|routeros|junos)\b`}

// requiredLiteral is the longest ASCII literal of the pattern's top-level
// sequence, lower case: any text the pattern matches contains it (ignoring
// case), so a text without it is skipped without running the regexp.
func requiredLiteral(pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return ""
	}
	var subs []*syntax.Regexp
	switch re.Op {
	case syntax.OpConcat:
		subs = re.Sub
	case syntax.OpLiteral:
		subs = []*syntax.Regexp{re}
	}
	best := ""
	for _, s := range subs {
		if s.Op != syntax.OpLiteral {
			continue
		}
		l := string(s.Rune)
		if len(l) > len(best) && isASCII(l) {
			best = l
		}
	}
	return strings.ToLower(best)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
