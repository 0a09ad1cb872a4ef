package snmp

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:generate go run ./internal/genrecog -in ../../shared/corpus/recog/snmp_sysdescr.xml -out recog_sysdescr.tsv.gz

// recogGz is Rapid7 Recog's sysDescr fingerprints, reduced by
// internal/genrecog to what identity uses: gzip'd
// "pattern\tmodel\tfirmware\tserial\tmaker" lines, the fields as
// regexp.Expand templates (BSD-2-Clause, see THIRD_PARTY.md).
//
//go:embed recog_sysdescr.tsv.gz
var recogGz []byte

// recogPrint is one fingerprint: the sysDescr pattern and the templates
// of the fields it yields (model, firmware, serial), and the maker.
type recogPrint struct {
	lit    string // a literal every match contains, lower case ("" if none): a cheap test before re
	re     *regexp.Regexp
	fields [3]string
	maker  string
}

// recogPrints decodes and compiles the table on first use (identity of a
// device whose own rules left a field empty). The table is embedded and
// tested, so a bad line is a build mistake and panics.
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
		if len(f) != 5 {
			panic("snmp: bad line in recog_sysdescr.tsv.gz: " + line)
		}
		out = append(out, recogPrint{lit: requiredLiteral(f[0]), re: regexp.MustCompile(f[0]), fields: [3]string{f[1], f[2], f[3]}, maker: f[4]})
	}
	return out
})

// Fields a recog source reads, as indexes into recogPrint.fields.
const (
	recogModel    = 1
	recogFirmware = 2
	recogSerial   = 3
)

// recogMatch is what the fingerprints say of one sysDescr: per field the
// value of the first matching fingerprint that yields it.
type recogMatch struct {
	fields [3]string
	maker  string
}

// recog matches sysDescr against the fingerprints once per device.
func (vs *values) recog() *recogMatch {
	if vs.recogDone {
		return &vs.recogRes
	}
	vs.recogDone = true
	d := vs.descr
	if d == "" || len(d) > maxText {
		return &vs.recogRes
	}
	lower := strings.ToLower(d)
	for _, p := range recogPrints() {
		if vs.recogRes.fields[0] != "" && vs.recogRes.fields[1] != "" && vs.recogRes.fields[2] != "" {
			break
		}
		if p.lit != "" && !strings.Contains(lower, p.lit) {
			continue
		}
		m := p.re.FindStringSubmatchIndex(d)
		if m == nil {
			continue
		}
		if vs.recogRes.maker == "" {
			vs.recogRes.maker = p.maker
		}
		for i, t := range p.fields {
			if t != "" && vs.recogRes.fields[i] == "" {
				vs.recogRes.fields[i] = tidy(string(p.re.ExpandString(nil, t, d, m)))
			}
		}
	}
	if osWord.MatchString(vs.recogRes.fields[0]) || nonModel.MatchString(vs.recogRes.fields[0]) {
		vs.recogRes.fields[0] = "" // a fingerprint that captures the OS as its product
	}
	return &vs.recogRes
}

// nonModel are the product names some fingerprints capture that name
// software, not hardware.
var nonModel = regexp.MustCompile(`(?i)^(nx-os|ios|freenas|truenas|pfsense|routeros|junos)\b`)

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
