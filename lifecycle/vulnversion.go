package lifecycle

import (
	"strings"

	"tend/internal/lazyre"
)

// vulnProductFor maps a version grammar to the vulnerability catalog's
// product key ("" for the families the catalog leaves out on purpose).
func vulnProductFor(f Family) string {
	if g, ok := grammars[f]; ok {
		return g.product
	}
	return string(f)
}

// VulnVersion is a device's version as the vulnerability matcher compares
// it: canonical, lower-case, with its release train and build.
type VulnVersion struct {
	Product string // catalog product key
	Raw     string // what the device reported
	Version string // canonical and lower-case ("17.9.4a", "12.2(55)se12", "10.1.14-h20")
	// Train is the release train fixes are looked for in: FortiOS, PAN-OS,
	// IOS XE, Junos, ESXi, DSM "major.minor"; classic IOS "12.2se";
	// RouterOS the major version.
	Train string
	// Build orders releases where the dotted version does not: the DSM
	// build ("69057", "69057-3" with Update 3) and the ESXi build.
	Build string

	key, trainKey, buildKey []token  // tokens of Version, Train and Build, for fast comparison
	g                       *grammar // the product's grammar; nil when read generically
}

// prepare tokenises the version once, so comparing it against thousands of
// catalog bounds allocates nothing.
func (v VulnVersion) prepare() VulnVersion {
	v.key, v.trainKey, v.buildKey = tokens(v.Version), tokens(v.Train), tokens(v.Build)
	return v
}

// compareTokens orders two tokenised versions as CompareVersions does.
func compareTokens(ta, tb []token) int {
	for i := range max(len(ta), len(tb)) {
		var x, y token
		if i < len(ta) {
			x = ta[i]
		} else {
			x.kind = kindEnd
		}
		if i < len(tb) {
			y = tb[i]
		} else {
			y.kind = kindEnd
		}
		if c := x.compare(y); c != 0 {
			return c
		}
	}
	return 0
}

var (
	reGeneric  = &lazyre.Regexp{Expr: `(?i)v?(\d+(?:[.\-_()]\w+)*)`}
	reIOSTrain = &lazyre.Regexp{Expr: `^(\d+\.\d+)\([^)]*\)([a-z]*)`}
	reESXiCPE  = &lazyre.Regexp{Expr: `(?i)^esxi(\d)(\d)(?:u\w*)?-(\d{5,9})$`}
	reDSMCPE   = &lazyre.Regexp{Expr: `^(\d+)\.(\d+)(?:\.\d+)?-(\d{3,6})(?:-(\d+))?$`}
	reEarlier  = &lazyre.Regexp{Expr: `(?i)^(\S+)\s+and\s+(?:earlier|older|prior)`}
)

// ParseVulnVersion reads a device's version string for the vulnerability
// catalog's product key: through the lifecycle grammar where there is
// one ("v7.2.6,build1575" → 7.2.6 in train 7.2), otherwise as a generic
// version token. It reports false when the string holds no version.
func ParseVulnVersion(product, raw string) (VulnVersion, bool) {
	v := VulnVersion{Product: product, Raw: raw}
	if f, ok := byProduct[product]; ok {
		g := grammars[f]
		rel, ok := Parse(f, raw)
		if !ok || rel.Version == "" {
			return v, false
		}
		v.Version, v.Train, v.g = strings.ToLower(rel.Version), strings.ToLower(rel.Cycle), g
		if g.train != nil {
			g.train(&v, rel)
		}
		return v.prepare(), true
	}
	s := strings.TrimSpace(raw)
	if len(s) > 256 {
		s = s[:256]
	}
	if ver, ok := parseSpecial(product, s); ok {
		v.Version = ver
		v.Train = genericTrain(ver)
		return v.prepare(), true
	}
	m := reGeneric.FindStringSubmatch(s)
	if m == nil {
		return v, false
	}
	v.Version = strings.ToLower(m[1])
	v.Train = genericTrain(v.Version)
	return v.prepare(), true
}

// genericTrain is the first two numeric components of a version (after
// a leading train letter: ProCurve "w.15.08" is in "15.8").
func genericTrain(s string) string {
	n, parts := 0, []string{}
	for i, t := range tokens(s) {
		if t.kind != kindNum {
			if i == 0 {
				continue
			}
			break
		}
		parts = append(parts, t.s)
		if n++; n == 2 {
			break
		}
	}
	return strings.Join(parts, ".")
}

// normCatalogVersion brings a catalog version into the device form for
// exact comparison: lower case, leading zeros dropped in dotted numbers.
func normCatalogVersion(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || !isDigit(s[0]) {
		return s
	}
	// "17.09.04a" → "17.9.4a"; leave parenthesised IOS forms alone.
	if strings.ContainsAny(s, "()") || !strings.Contains(s, ".0") {
		return s
	}
	var b strings.Builder
	for i, p := range strings.Split(s, ".") {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(trimZeros(p))
	}
	return b.String()
}

// boundVersion is a catalog version bound prepared for comparison.
type boundVersion struct {
	raw   string // as the catalog writes it, for evidence
	ver   string // normalised
	build string // ESXi or DSM build carried by the bound
	train string // the train the bound names, when it names one
	// ownTrain is the train the bound's version belongs to, by the
	// product's grammar ("" when it cannot be read).
	ownTrain string
	// iosTrain and letters serve sameTrainFamily.
	iosTrain, letters string
	hasIOS            bool

	key, trainKey, buildKey []token
}

func prepBound(product, s string) boundVersion {
	b := boundVersion{raw: s, ver: normCatalogVersion(s)}
	g := grammars[byProduct[product]] // nil for a product read generically
	if g != nil && g.bound != nil {
		g.bound(&b, s)
	}
	b.key, b.trainKey, b.buildKey = tokens(b.ver), tokens(b.train), tokens(b.build)
	if m := reIOSTrain.FindStringSubmatch(b.ver); m != nil {
		b.iosTrain, b.hasIOS = m[1]+m[2], true
	}
	b.letters = trailingLetters(b.ver)
	if g != nil && g.ownTrain != nil {
		b.ownTrain = g.ownTrain(b)
	} else if w, ok := ParseVulnVersion(product, s); ok {
		b.ownTrain = w.Train
	} else if g != nil {
		// A grammar that reads the device's banner ("SonicOS Enhanced
		// 6.5.4.12-101n") need not read the bare version a catalog
		// writes ("6.5.4.12-101n and earlier"): its train is then the
		// first two numbers, as the families' cycles are.
		b.ownTrain = genericTrain(b.ver)
	}
	return b
}

// cmpBound compares the device's version with a bound, -1/0/+1; false when
// the two cannot be compared (an ESXi bound given as a build against a
// device that reported none).
func cmpBound(v VulnVersion, b boundVersion) (int, bool) {
	if v.g != nil && v.g.compare != nil {
		if c, comparable, decided := v.g.compare(v, b); decided {
			return c, comparable
		}
	}
	// "7.0.1" against "7.0.1-5035": the bound names a build of the very
	// release the device reported without one.
	if len(b.ver) > len(v.Version)+1 && strings.HasPrefix(b.ver, v.Version) && b.ver[len(v.Version)] == '-' && isDigit(b.ver[len(v.Version)+1]) {
		return 0, false
	}
	return compareTokens(v.key, b.key), true
}

// sameTrainFamily reports whether a range bound can be compared with the
// device's version at all (the grammar's sameTrain).
func sameTrainFamily(v VulnVersion, b boundVersion) bool {
	return v.g == nil || v.g.sameTrain == nil || v.g.sameTrain(v, b)
}

// The families' own rules for the vulnerability matcher (grammar's hooks).

// iosTrain: classic IOS fixes are looked for in "12.2se", the release and
// its train letters.
func iosTrain(v *VulnVersion, _ Release) {
	if m := reIOSTrain.FindStringSubmatch(v.Version); m != nil {
		v.Train = m[1] + m[2]
	}
}

func iosOwnTrain(b boundVersion) string { return b.iosTrain }

// sameIOSTrain: classic IOS names its trains in letters, so a lettered
// bound applies only to a version of the same train.
func sameIOSTrain(v VulnVersion, b boundVersion) bool { return !b.hasIOS || b.iosTrain == v.Train }

// sameLetteredTrainXE: IOS XE 3.x names its trains in letters too ("3.16.4s"
// is not in [3.1.0sg, 3.2.2sg]).
func sameLetteredTrainXE(v VulnVersion, b boundVersion) bool {
	if !strings.HasPrefix(b.ver, "3.") || !strings.HasPrefix(v.Version, "3.") {
		return true
	}
	return b.letters == trailingLetters(v.Version)
}

func nxosTrain(v *VulnVersion, _ Release) { v.Train = strings.TrimSuffix(v.Train, "-nxos") }

// majorTrain: RouterOS fixes are per major version.
func majorTrain(v *VulnVersion, _ Release) { v.Train, _, _ = strings.Cut(v.Train, ".") }

// dsmBuild: DSM releases order by build, then update ("69057-3").
func dsmBuild(v *VulnVersion, rel Release) {
	ver, upd, _ := strings.Cut(v.Version, " update ")
	v.Version, v.Build = ver, rel.Build
	if upd != "" && v.Build != "" {
		v.Build += "-" + upd
	}
}

func dsmBound(b *boundVersion, _ string) {
	if m := reDSMCPE.FindStringSubmatch(b.ver); m != nil {
		b.build = m[3]
		if m[4] != "" {
			b.build += "-" + m[4]
		}
	}
}

func compareDSM(v VulnVersion, b boundVersion) (int, bool, bool) {
	if b.build != "" && v.Build != "" {
		return compareTokens(v.buildKey, b.buildKey), true, true
	}
	return 0, false, false
}

func esxiBuild(v *VulnVersion, rel Release) { v.Build = rel.Build }

// esxiBound reads an ESXi CPE ("ESXi80U3-24022510": train 8.0, a build).
func esxiBound(b *boundVersion, raw string) {
	if m := reESXiCPE.FindStringSubmatch(raw); m != nil {
		b.build, b.train, b.ver = m[3], m[1]+"."+m[2], m[1]+"."+m[2]
	}
}

func compareESXi(v VulnVersion, b boundVersion) (int, bool, bool) {
	if b.build != "" {
		if v.Build == "" {
			return 0, false, true
		}
		if v.Train != b.train {
			return compareTokens(v.trainKey, b.trainKey), true, true
		}
		return compareTokens(v.buildKey, b.buildKey), true, true
	}
	// ESXi CPE versions are major.minor: "7.0" covers every 7.0 update.
	return compareTokens(v.trainKey, b.key), true, true
}

func trailingLetters(s string) string {
	i := len(s)
	for i > 0 && isLetter(s[i-1]) {
		i--
	}
	return s[i:]
}
