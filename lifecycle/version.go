package lifecycle

import (
	"strconv"
	"strings"
	"time"

	"tend/internal/lazyre"
)

// CompareVersions orders two version strings of the same grammar, returning
// -1, 0 or +1. It splits them into runs of digits and runs of letters and
// compares digit runs as numbers and letter runs case-insensitively, so
// "17.9.4a" > "17.9.4", "10.1.14-h20" > "10.1.14-h3", "12.2(55)SE12" >
// "12.2(55)SE9"; a version that is a prefix of another is older ("7.20" <
// "7.20.1") unless what follows is a pre-release word ("7.21beta2" <
// "7.21rc1" < "7.21"). Punctuation only separates.
//
// At each position the kinds rank pre-release word < end of version <
// other letters < number, and equal kinds compare by value, so the order
// is total and transitive.
func CompareVersions(a, b string) int {
	return compareTokens(tokens(a), tokens(b)) // vulnversion.go
}

// Token kinds, in the order they rank at one position.
const (
	kindPre    = iota // alpha, beta, rc…: before the release it names
	kindEnd           // the version has ended
	kindLetter        // a suffix that comes after: "a" rebuilds, "-h" hotfixes, trains
	kindNum
)

type token struct {
	_     [0]func() // not comparable: no equality function linked
	n     uint64
	s     string
	kind  int8
	large bool // digits too long for n; compared as text by length
}

func (t token) compare(u token) int {
	if t.kind != u.kind {
		return cmpInt(int(t.kind), int(u.kind))
	}
	switch t.kind {
	case kindEnd:
		return 0
	case kindNum:
		if t.large || u.large {
			if len(t.s) != len(u.s) {
				return cmpInt(len(t.s), len(u.s))
			}
			return strings.Compare(t.s, u.s)
		}
		switch {
		case t.n < u.n:
			return -1
		case t.n > u.n:
			return 1
		}
		return 0
	}
	return strings.Compare(t.s, u.s)
}

// preRelease are the words that mark a version before the release it
// names ("7.21beta2", "7.2.0-rc1").
var preRelease = map[string]bool{"alpha": true, "beta": true, "rc": true, "pre": true, "preview": true, "dev": true}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func tokens(v string) []token {
	var out []token
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case isDigit(c):
			j := i
			for j < len(v) && isDigit(v[j]) {
				j++
			}
			s := strings.TrimLeft(v[i:j], "0")
			if s == "" {
				s = "0"
			}
			n, err := strconv.ParseUint(s, 10, 64)
			out = append(out, token{kind: kindNum, n: n, s: s, large: err != nil})
			i = j
		case isLetter(c):
			j := i
			for j < len(v) && isLetter(v[j]) {
				j++
			}
			w := strings.ToLower(v[i:j])
			kind := int8(kindLetter)
			if preRelease[w] {
				kind = kindPre
			}
			out = append(out, token{kind: kind, s: w})
			i = j
		default:
			i++
		}
	}
	return out
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// Family names a version grammar: how one vendor writes its versions and
// how a version maps to a release cycle in the catalog.
type Family string

// The grammars tend knows.
const (
	FamilyFortiOS    Family = "fortios"
	FamilyIOSXE      Family = "cisco-ios-xe"
	FamilyIOS        Family = "cisco-ios"
	FamilyNXOS       Family = "cisco-nx-os"
	FamilyRouterOS   Family = "routeros"
	FamilyDSM        Family = "synology-dsm"
	FamilyESXi       Family = "vmware-esxi"
	FamilyWindows    Family = "windows"
	FamilyPANOS      Family = "pan-os"
	FamilyJunos      Family = "junos"
	FamilyLinux      Family = "linux-kernel"
	FamilyFreeBSD    Family = "freebsd"
	FamilyPfSense    Family = "pfsense"
	FamilyOPNsense   Family = "opnsense"
	FamilyTrueNAS    Family = "truenas"
	FamilyOpenWrt    Family = "openwrt"
	FamilySophos     Family = "sophos-firewall"
	FamilyProxmoxVE  Family = "proxmox-ve"
	FamilySonicOS    Family = "sonicos"
	FamilyArubaOSCX  Family = "arubaos-cx"
	FamilyWindowsSrv Family = "windows-server"
)

// Release is a version read from a device, in its family's grammar.
type Release struct {
	Family  Family
	Version string // canonical: leading zeros dropped ("17.09.04a" → "17.9.4a")
	Cycle   string // the catalog's cycle name, "" when only the catalog can tell (Windows builds)
	Build   string // a build number, when the grammar carries one
	// Base is the release of the OS underneath an appliance (FreeBSD under
	// pfSense), which the catalog may track when the appliance is not.
	Base *Release
	// Built is a build date the version string carries (FortiOS "230926").
	Built time.Time
}

var (
	reFortiOS  = &lazyre.Regexp{Expr: `(?i)\bv?(\d{1,2})\.(\d{1,2})\.(\d{1,3})(?:\s*,\s*build\s*(\d{1,5}))?(?:\s*,\s*(\d{6}))?`}
	reIOSXE    = &lazyre.Regexp{Expr: `(?i)(?:version\s+|IOSXE\s+|IOS-XE\s+|^\s*)(0?[3]|1[6-9]|2\d)\.0?(\d{1,2})\.0?(\d{1,3})([a-z]{0,2})\b`}
	reIOS      = &lazyre.Regexp{Expr: `(?:^|[\s,])(\d{1,2})\.(\d{1,2})\((\d{1,3}[a-z]?)\)([A-Z]{0,4})(\d{0,3})([a-z]?)`}
	reNXOS     = &lazyre.Regexp{Expr: `(\d{1,2})\.(\d{1,2})\((\d{1,3}[a-z]?)\)([A-Z]?\d*)`}
	reDotted   = &lazyre.Regexp{Expr: `(?:^|[^\d.])(\d{1,4})\.(\d{1,4})(?:\.(\d{1,5}))?(?:\.(\d{1,6}))?((?:beta|rc)\d+)?`}
	reDSM      = &lazyre.Regexp{Expr: `(?i)(?:DSM\s*)?\b(\d)\.(\d)(?:\.(\d))?-(\d{3,6})(?:\s+Update\s+(\d+))?`}
	reESXi     = &lazyre.Regexp{Expr: `(?i)(?:ESXi\s+)?\b(\d)\.(\d)(?:\.(\d))?(?:\s+(?:build-?|build\s+)(\d{4,9}))?`}
	reESXiBld  = &lazyre.Regexp{Expr: `(?i)build[- ]?(\d{4,9})`}
	reWinBuild = &lazyre.Regexp{Expr: `(?i)(?:Windows Version\s+(\d+)\.(\d+)\s+\(Build\s+(\d{3,5})|\b(10|6)\.(\d)\.(\d{4,5})\b)`}
	rePANOS    = &lazyre.Regexp{Expr: `\b(\d{1,2})\.(\d{1,2})\.(\d{1,3})(?:-h(\d{1,3}))?(?:-c(\d+))?\b`}
	reJunos    = &lazyre.Regexp{Expr: `\b(\d{1,2})\.(\d)([RXSDIBF])([\w.-]*)`}
	reJunosX   = &lazyre.Regexp{Expr: `^(X\d+)`}
	reKernel   = &lazyre.Regexp{Expr: `\bLinux\s+(?:[^\s\d]\S*\s+)?(\d)\.(\d{1,2})(?:\.(\d{1,3}))?`}
	reKernelV  = &lazyre.Regexp{Expr: `^(\d)\.(\d{1,2})(?:\.(\d{1,3}))?`}
	reFreeBSD  = &lazyre.Regexp{Expr: `FreeBSD\s+(?:\S+\s+)?(\d{1,2})\.(\d)-(RELEASE|STABLE|RC\d|BETA\d|PRERELEASE)(?:-p(\d+))?`}
	rePfSense  = &lazyre.Regexp{Expr: `(?i)pfSense(?:\s+|-)(?:CE\s+|Plus\s+)?(\d)\.(\d{1,2})(?:\.(\d{1,2}))?(?:-(RELEASE|p\d+))?(?:-p(\d+))?`}
	reOPNsense = &lazyre.Regexp{Expr: `(?i)OPNsense\s+(\d{2})\.(\d)(?:\.(\d{1,2}))?(?:_(\d+))?`}
	reTrueNAS  = &lazyre.Regexp{Expr: `(?i)(?:TrueNAS|FreeNAS)(?:-SCALE|-CORE)?[- ](\d{2})\.(\d{1,2})(?:\.(\d{1,2}))?(?:-U(\d{1,2})(?:\.(\d))?)?`}
	reOpenWrt  = &lazyre.Regexp{Expr: `(?i)OpenWrt\s+(\d{2})\.(\d{2})(?:\.(\d{1,2}))?`}
	reSophos   = &lazyre.Regexp{Expr: `(?i)SFOS\s+(\d{2})\.(\d)\.(\d)(?:\s+MR-?(\d+))?`}
	rePVE      = &lazyre.Regexp{Expr: `(?i)pve-manager/(\d)\.(\d)(?:\.(\d{1,2}))?`}
	reSonicOS  = &lazyre.Regexp{Expr: `(?i)SonicOS\s+(?:Enhanced\s+)?(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?-(\d+[a-z]?)?`}
	reCX       = &lazyre.Regexp{Expr: `\b([A-Z]{2})\.(\d{2})\.(\d{2})\.(\d{4})\b`}
)

// Parse reads a version in family f's grammar from s, which may be the
// bare version or a whole sysDescr. It reports false when s holds no
// version in that grammar. Untrusted device strings are fine: it never
// panics and does not allocate beyond the result.
func Parse(f Family, s string) (Release, bool) {
	if len(s) > 4096 {
		s = s[:4096]
	}
	r := Release{Family: f}
	g, ok := grammars[f]
	if !ok || !g.parse(s, &r) {
		return r, false
	}
	return r, true
}

// grammar is how one family writes its versions: how to read one from a
// device's string and, for the vulnerability matcher, the family's own
// rules where the generic ones (CompareVersions' order, the release cycle
// as the train) do not fit. A nil hook means the generic rule.
type grammar struct {
	parse func(s string, r *Release) bool // fills r, false when s holds no version
	// product is the vulnerability catalog's key for the family; "" for
	// the families the catalog leaves out on purpose (Windows, the Linux
	// kernel, FreeBSD: their CVEs run to thousands).
	product string
	// train sets the matcher's train and build from the release read.
	train func(v *VulnVersion, rel Release)
	// bound reads what a catalog bound carries beside its version (an
	// ESXi or DSM build, the train an ESXi CPE names).
	bound func(b *boundVersion, raw string)
	// ownTrain is the train a catalog bound's version belongs to; nil reads
	// the bound as a device version.
	ownTrain func(b boundVersion) string
	// compare orders the device's version against a bound where the
	// version alone does not (by build); decided false falls through to
	// the generic comparison.
	compare func(v VulnVersion, b boundVersion) (c int, comparable, decided bool)
	// sameTrain reports whether a bound applies to the device's train at
	// all (lettered trains); nil: every bound does.
	sameTrain func(v VulnVersion, b boundVersion) bool
}

// grammars is the table of the families tend reads, and byProduct finds a
// family by its vulnerability catalog key. (Set in init: some grammars
// call Parse for a base family.)
var (
	grammars  map[Family]*grammar
	byProduct map[string]Family
)

func init() {
	grammars = map[Family]*grammar{
		FamilyFortiOS:    {parse: parseFortiOS, product: "fortios"},
		FamilyIOSXE:      {parse: parseIOSXE, product: "cisco-ios-xe", sameTrain: sameLetteredTrainXE},
		FamilyIOS:        {parse: parseIOS, product: "cisco-ios", train: iosTrain, ownTrain: iosOwnTrain, sameTrain: sameIOSTrain},
		FamilyNXOS:       {parse: parseNXOS, product: "cisco-nx-os", train: nxosTrain},
		FamilyRouterOS:   {parse: parseRouterOS, product: "routeros", train: majorTrain},
		FamilyDSM:        {parse: parseDSM, product: "synology-dsm", train: dsmBuild, bound: dsmBound, compare: compareDSM},
		FamilyESXi:       {parse: parseESXi, product: "vmware-esxi", train: esxiBuild, bound: esxiBound, compare: compareESXi},
		FamilyWindows:    {parse: parseWindows},
		FamilyWindowsSrv: {parse: parseWindows},
		FamilyPANOS:      {parse: parsePANOS, product: "pan-os"},
		FamilyJunos:      {parse: parseJunos, product: "junos"},
		FamilyLinux:      {parse: parseLinux},
		FamilyFreeBSD:    {parse: parseFreeBSD},
		FamilyPfSense:    {parse: parsePfSense, product: "pfsense"},
		FamilyOPNsense:   {parse: parseOPNsense, product: "opnsense"},
		FamilyTrueNAS:    {parse: parseTrueNAS, product: "truenas"},
		FamilyOpenWrt:    {parse: parseOpenWrt, product: "openwrt"},
		FamilySophos:     {parse: parseSophos, product: "sophos-sfos"},
		FamilyProxmoxVE:  {parse: parseProxmoxVE, product: "proxmox-ve"},
		FamilySonicOS:    {parse: parseSonicOS, product: "sonicos"},
		FamilyArubaOSCX:  {parse: parseArubaOSCX, product: "arubaos-cx"},
	}
	byProduct = map[string]Family{}
	for f, g := range grammars {
		if g.product != "" {
			byProduct[g.product] = f
		}
	}
}

func parseFortiOS(s string, r *Release) bool {
	m := reFortiOS.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2], m[3])
	r.Cycle = join(m[1], m[2])
	r.Build = trimZeros(m[4])
	if m[5] != "" {
		if t, err := time.Parse("060102", m[5]); err == nil {
			r.Built = t
		}
	}
	return true
}

func parseIOSXE(s string, r *Release) bool {
	m := reIOSXE.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2], m[3]) + strings.ToLower(m[4])
	r.Cycle = join(m[1], m[2])
	return true
}

func parseIOS(s string, r *Release) bool {
	m := reIOS.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	// 12.2(55)SE12: major.minor(rebuild)TRAIN maintenance.
	r.Version = join(m[1], m[2]) + "(" + m[3] + ")" + m[4] + m[5] + m[6]
	r.Cycle = join(m[1], m[2])
	return true
}

func parseNXOS(s string, r *Release) bool {
	m := reNXOS.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2]) + "(" + m[3] + ")" + m[4]
	r.Cycle = join(m[1], m[2]) + "-nxos"
	return true
}

func parseRouterOS(s string, r *Release) bool {
	m := reDotted.FindStringSubmatch(s)
	if m == nil || m[4] != "" {
		return false
	}
	r.Version = join(m[1], m[2], m[3]) + m[5]
	r.Cycle = join(m[1], m[2])
	return true
}

func parseDSM(s string, r *Release) bool {
	m := reDSM.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2], m[3]) + "-" + trimZeros(m[4])
	r.Cycle = join(m[1], m[2])
	r.Build = trimZeros(m[4])
	if m[5] != "" {
		r.Version += " Update " + trimZeros(m[5])
	}
	return true
}

func parseESXi(s string, r *Release) bool {
	m := reESXi.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	third := m[3]
	if third == "" {
		third = "0"
	}
	r.Version = join(m[1], m[2], third)
	r.Cycle = join(m[1], m[2])
	r.Build = trimZeros(m[4])
	if r.Build == "" {
		if b := reESXiBld.FindStringSubmatch(s); b != nil {
			r.Build = trimZeros(b[1])
		}
	}
	return true
}

func parseWindows(s string, r *Release) bool {
	m := reWinBuild.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	maj, mnr, bld := m[1], m[2], m[3]
	if m[3] == "" {
		maj, mnr, bld = m[4], m[5], m[6]
	}
	b, _ := strconv.Atoi(bld)
	// Windows 10 and later report NT 6.3 to old SNMP agents; build
	// 10240 (Windows 10 1507) and above are NT 10.0.
	if b >= 10240 {
		maj, mnr = "10", "0"
	}
	r.Version = join(maj, mnr, bld)
	r.Build = trimZeros(bld)
	return true
}

func parsePANOS(s string, r *Release) bool {
	m := rePANOS.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2], m[3])
	if m[4] != "" {
		r.Version += "-h" + trimZeros(m[4])
	}
	r.Cycle = join(m[1], m[2])
	return true
}

func parseJunos(s string, r *Release) bool {
	m := reJunos.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2]) + m[3] + m[4]
	r.Cycle = join(m[1], m[2])
	if m[3] == "X" { // 15.1X53-D59.4: the X53 train is its own cycle
		if x := reJunosX.FindStringSubmatch(m[3] + m[4]); x != nil {
			r.Cycle += x[1]
		}
	}
	return true
}

func parseLinux(s string, r *Release) bool {
	m := reKernel.FindStringSubmatch(s)
	if m == nil {
		m = reKernelV.FindStringSubmatch(strings.TrimSpace(s))
		if m == nil {
			return false
		}
	}
	third := m[3]
	if third == "" {
		third = "0"
	}
	r.Version = join(m[1], m[2], third)
	r.Cycle = join(m[1], m[2])
	return true
}

func parseFreeBSD(s string, r *Release) bool {
	m := reFreeBSD.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2]) + "-" + m[3]
	if m[4] != "" {
		r.Version += "-p" + trimZeros(m[4])
	}
	r.Cycle = join(m[1], m[2])
	return true
}

func parsePfSense(s string, r *Release) bool {
	m := rePfSense.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2], m[3])
	r.Cycle = join(m[1], m[2])
	if b, ok := Parse(FamilyFreeBSD, s); ok {
		r.Base = &b
	}
	return true
}

func parseOPNsense(s string, r *Release) bool {
	m := reOPNsense.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2], m[3])
	if m[4] != "" {
		r.Version += "_" + trimZeros(m[4])
	}
	r.Cycle = join(m[1], m[2])
	if b, ok := Parse(FamilyFreeBSD, s); ok {
		r.Base = &b
	}
	return true
}

func parseTrueNAS(s string, r *Release) bool {
	m := reTrueNAS.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2], m[3])
	if m[4] != "" {
		r.Version += "-U" + join(m[4], m[5])
	}
	r.Cycle = join(m[1], m[2])
	if b, ok := Parse(FamilyFreeBSD, s); ok {
		r.Base = &b
	}
	return true
}

func parseOpenWrt(s string, r *Release) bool {
	m := reOpenWrt.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = m[1] + "." + m[2]
	if m[3] != "" {
		r.Version += "." + trimZeros(m[3])
	}
	r.Cycle = m[1] + "." + m[2]
	return true
}

func parseSophos(s string, r *Release) bool {
	m := reSophos.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2], m[3])
	if m[4] != "" {
		r.Version += " MR" + trimZeros(m[4])
	}
	r.Cycle = join(m[1], m[2])
	return true
}

func parseProxmoxVE(s string, r *Release) bool {
	m := rePVE.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2], m[3])
	r.Cycle = trimZeros(m[1])
	return true
}

func parseSonicOS(s string, r *Release) bool {
	m := reSonicOS.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = join(m[1], m[2], m[3], m[4])
	if m[5] != "" {
		r.Version += "-" + m[5]
	}
	r.Cycle = join(m[1], m[2])
	return true
}

func parseArubaOSCX(s string, r *Release) bool {
	m := reCX.FindStringSubmatch(s)
	if m == nil {
		return false
	}
	r.Version = m[1] + "." + m[2] + "." + m[3] + "." + m[4]
	r.Cycle = trimZeros(m[2]) + "." + trimZeros(m[3])
	return true
}

// join joins the non-empty parts with dots, dropping leading zeros.
func join(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(trimZeros(p))
	}
	return b.String()
}

// trimZeros drops leading zeros from a number that may carry a letter
// suffix ("04a" → "4a"), keeping a lone "0".
func trimZeros(s string) string {
	t := strings.TrimLeft(s, "0")
	if t == "" || !isDigit(t[0]) {
		if s == "" {
			return ""
		}
		return "0" + t
	}
	return t
}
