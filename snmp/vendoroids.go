package snmp

import (
	_ "embed"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gosnmp/gosnmp"
)

//go:generate go run ./internal/genvendoroids -corpus ../../shared/corpus/snmp/setC -out vendor_oids.tsv

// vendorOIDsTSV is the data-driven part of the rule table: per private
// enterprise, the vendor MIB objects that hold model, firmware and serial
// (see the file's header for how the rows were chosen).
//
//go:embed vendor_oids.tsv
var vendorOIDsTSV string

// vendorRows are one enterprise's objects per field, in file order, and
// the OS families each object was seen with.
type vendorRows struct {
	model, firmware, serial []string
	families                map[string][]string // OID → families
}

// vendorTable is the parsed vendor_oids.tsv, by enterprise.
type vendorTable map[int]*vendorRows

// vendorOIDs parses vendor_oids.tsv once; the file is embedded and
// tested, so a malformed line is a build mistake and panics.
var vendorOIDs = sync.OnceValue(func() vendorTable {
	m := vendorTable{}
	for line := range strings.SplitSeq(vendorOIDsTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 || !isDottedOID(f[2]) {
			panic("snmp: bad line in vendor_oids.tsv: " + line)
		}
		n, err := strconv.Atoi(f[0])
		if err != nil {
			panic("snmp: bad line in vendor_oids.tsv: " + line)
		}
		r := m[n]
		if r == nil {
			r = &vendorRows{families: map[string][]string{}}
			m[n] = r
		}
		if len(f) > 3 {
			r.families[f[2]] = strings.Split(f[3], ",")
		}
		switch f[1] {
		case "model":
			r.model = append(r.model, f[2])
		case "firmware":
			r.firmware = append(r.firmware, f[2])
		case "serial":
			r.serial = append(r.serial, f[2])
		default:
			panic("snmp: bad field in vendor_oids.tsv: " + line)
		}
	}
	return m
})

// Standard MIB objects read from every agent, after the family rules and
// the vendor rows: UPS-MIB (RFC 1628 upsIdent), RMON2 probe revisions
// (RFC 4502) and the Printer-MIB serial (RFC 3805).
const (
	upsIdentManufacturer = "1.3.6.1.2.1.33.1.1.1.0"
	upsIdentUPSSw        = "1.3.6.1.2.1.33.1.1.3.0"
)

var standardScalars = []string{upsIdentModel, upsIdentUPSSw, upsIdentAgentSw, probeSoftwareRev, prtSerial1}

// Generic sysDescr grammars for a firmware version, tried when nothing
// better answered: a version after a keyword ("Version 1.2.3",
// "Firmware: 4.5", "Rev. 2.0"), then a v-prefixed or bare dotted number.
// Linux kernel banners are left out: their number is the kernel's, not the
// appliance firmware's.
var genericFirmware = []source{
	sysDescr(`(?i)\b(?:sw_rev|sw)\s*[:=]\s*(?:version\s*)?([A-Za-z]{0,4}\d[\w.\-]*)`).then(trimDot),
	sysDescr(`(?i)\b(?:application software|software|firmware|sw|fw)[\s,:]+(?:version|ver|release|revision|rev)\b[\s:.=]*(v?\d+(?:[.\-_]\w+)+(?:\s?\(\w+(?:\.\w+)*\))?|V\d+R\d+\w*)`),
	sysDescr(`(?i)\b(?:fw_rev|fw|firmware)\s*[:=]\s*(?:version\s*)?([A-Za-z]{0,4}\d[\w.\-]*)`).then(trimDot),
	sysDescr(`\b(V\d{3}R\d{3}(?:C\d+)?\w*)\b`),
	sysDescr(`(?i)\b(?:firmware|software|sw|fw|os|image)?\s*(?:version|ver|release|revision|rev)\b[\s:.=]*v?(\d+(?:[.\-_]\w+)+(?:\s?\(\w+\))?)`),
	sysDescr(`(?i)\b(?:firmware|software|fw|sw)\b[\s:=]*v?(\d+(?:[.\-_]\w+)+)`),
	sysDescr(`(?:^|[^\w.])[vV](\d+(?:\.\w+)+(?:[\-_]\w+)*)`),
	sysDescr(`(?:^|[\s,;(_\-])(\d+\.\w+(?:\.\w+)*(?:[\-_]\w+)*)(?:$|[\s,;)]|\.(?:\s|$))`),
	sysDescr(`(?:^|[\s,;(])([A-Z]{1,2}\.\d{1,2}\.\d{1,2}(?:\.\d+)?)(?:$|[\s,;)])`),
}

// Generic sysDescr grammars for a model, tried after the vendor rows and
// the ENTITY-MIB chassis: a "Model:" field, the "MN:" (model number) of
// PowerNet-style management cards (APC, Schneider, Dell rPDUs),
// "running on <product>", a leading part number ("MS4026-AC, iBOS …", "WS6-DGS-1210-52/F1 6.10.007",
// "AT-GS950/24 Gigabit …"), and a short "<maker> <product> <version>"
// description that names a numbered product ("Alta Route10 1.4o").
var genericModel = []source{
	sysDescr(`(?i)\bmodel\s*[:=]\s*([^,;()]+?)\s*(?:[,;)]|$)`),
	sysDescr(`\bMN:\s*([A-Za-z0-9][\w\-]*)`),
	sysDescr(`running on (?:an? )?(?:[A-Z]\w+ Networks )?(.+?)\s*$`),
	sysDescr(`^(?:[A-Z][\w.]*,? (?:Inc\.?,? |Networks,? (?:Inc\.?,? )?|Corp\.? )?)?([A-Z][A-Za-z]*[\-/]?[A-Z0-9]*\d[\w\-/+]*)(?:,? |$)`).then(partNumber),
	sysDescr(`^(.{3,40})$`).then(shortProduct),
	sysDescr(`(?i)(?:\bhardware\s*[\[:=]|\bH/w)\s*([^\],;\s]+)`).then(partNumber),
	sysDescr(`(?i)\bseries\s*:\s*([^\s,;]+)`),
	sysDescr(`(?i)(?:^|;)\s*prod(?:uct)?\s*:\s*([^;,]+)`),
	sysDescr(`^([^,]{3,40}),\s*(?:(?:version|firmware|fw|ver)\s*:?\s*)?v?\d+(?:\.\w+)+[\w\-]*(?:[,\s]|$)`).then(productName),
	sysDescr(`(?i)\bmd\s*[:=]\s*([^,;()\s]+)`),
	sysDescr(`^([^;,]{3,40});`).then(numbered),
	sysDescr(`^([^,;()]{3,50}?)\s+v?\d+\.\d+(?:\.\w+)*\b`).then(productName),
	sysDescr(`\(([A-Z][A-Z0-9]*-[\w\-]*\d[\w\-]*)\)`).then(notImage),
	sysDescr(`, ([A-Z][A-Z0-9\-]*\d[\w\-]*), (?:Release|Version)\b`),
	sysDescr(`^[A-Za-z]+ \(([A-Z][\w\-]*\d[\w\-]*)\) version`),
	sysDescr(`(?i)\bsoftware \((?:cisco )?([^)]*?(?:series|\d{3,}[^)]*))\)`).then(notImage),
	sysDescr(`^[A-Z]\w+(?: [A-Z]\w+)?[.,] ([A-Z][\w\-/]*\d[\w\-/]*),`),
	sysDescr(`\s([A-Z][A-Z0-9]*-[\w\-]*\d[\w\-]*)$`).then(partNumber),
}

// productName accepts the "<product>" of "<product>, <version>": at most
// five words, not an operating system's name.
func productName(s string) string {
	if osWord.MatchString(s) || strings.ContainsAny(s, "#:()") || len(strings.Fields(s)) > 5 {
		return ""
	}
	return s
}

// numbered is productName for a product whose name has a digit.
func numbered(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return ""
	}
	return productName(s)
}

// trimDot drops the full stop a sentence puts after a version.
func trimDot(s string) string { return strings.TrimRight(s, ".-") }

// notImage rejects Cisco IOS image names ("C2960S-UNIVERSALK9-M"), which
// name software, not hardware.
func notImage(s string) string {
	if u := strings.ToUpper(s); strings.HasSuffix(u, "-M") || strings.Contains(u, "K9") {
		return ""
	}
	return s
}

// notGeneric rejects the class words agents put in entPhysicalDescr and
// entPhysicalName instead of a product ("Chassis", "Stack", "1").
func notGeneric(s string) string {
	if genericEntity.MatchString(s) || !strings.ContainsAny(s, "0123456789") {
		return ""
	}
	return s
}

var genericEntity = regexp.MustCompile(`(?i)^(chassis|stack|system|switch|unit|slot|module|board|mainboard|motherboard|network element|cpu|fan|psu|power supply)?[\s\-_.]*\d*$`)

// genericSerial reads a serial number sysDescr labels ("SN: 123",
// "S/N=000076.", "Serial number FFFF").
var genericSerial = sysDescr(`(?i)(?:\bS/?N|\bserial(?: ?(?:number|no\.?|#))?)\s*[:=#]?\s*([A-Za-z0-9][\w\-/]{3,}?)(?:$|[\s,;).]|\.\s)`)

// partNumber accepts a leading sysDescr token as a model when it looks
// like one: letters and digits, not a version, an OS or a bare word.
func partNumber(s string) string {
	if len(s) < 4 || versionLike.MatchString(s) || osWord.MatchString(s) {
		return ""
	}
	return s
}

var (
	versionLike = regexp.MustCompile(`^[vV]?\d+(?:\.\d+)+`)
	osWord      = regexp.MustCompile(`(?i)^(linux|windows|freebsd|sunos|aix|hp-ux|cisco|juniper|ubuntu|debian|darwin|openbsd|netbsd|vxworks|x86|i386|amd64)`)
	trailingVer = regexp.MustCompile(`(?i)[\s,]+(?:v(?:er(?:sion)?)?\.?\s*)?\d+(?:\.\w+)+\S*$`)
)

// shortProduct reads a short description as "<maker> <product>
// <version>": the version goes, and what remains counts when it names a
// numbered product in at most five words.
func shortProduct(s string) string {
	if osWord.MatchString(s) || strings.ContainsAny(s, "#:()") {
		return ""
	}
	t := trailingVer.ReplaceAllString(s, "")
	if w := strings.Fields(t); len(w) == 0 || len(w) > 5 || t == s && !strings.ContainsAny(t, "0123456789") {
		return ""
	}
	s = t
	return s
}

var linuxBanner = regexp.MustCompile(`^Linux \S+ \d`)

// fallbacks are the sources tried for each field after a rule's own: the
// enterprise's vendor rows, the ENTITY-MIB chassis row, then standard MIBs
// and (firmware) sysDescr grammars. For a generic rule (linux, freebsd,
// entity-mib) the vendor rows come before the rule's sources instead.
func fallbacks(ent int, vs *values) (vendor, standard [3][]source) {
	if r := vs.vendorTable()[ent]; r != nil {
		for i, oids := range [3][]string{r.model, r.firmware, r.serial} {
			for _, o := range oids {
				vendor[i] = append(vendor[i], scalar(o))
			}
		}
	}
	standard[0] = append([]source{entity(entColModel), scalar(upsIdentModel), {recog: recogModel}}, genericModel...)
	standard[0] = append(standard[0], entity(entColDescr).then(notGeneric), entity(entColName).then(notGeneric))
	standard[1] = []source{entity(entColSoftwareRev), entity(entColFirmwareRev), scalar(upsIdentUPSSw), scalar(upsIdentAgentSw), scalar(probeSoftwareRev), {recog: recogFirmware}}
	if !linuxBanner.MatchString(vs.descr) {
		standard[1] = append(standard[1], genericFirmware...)
	}
	standard[2] = []source{entity(entColSerial), scalar(prtSerial1), {recog: recogSerial}, genericSerial}
	if len(vs.subtree) > 0 {
		standard[1] = append(standard[1], source{guess: guessVersion})
		standard[2] = append(standard[2], source{guess: guessSerial})
	}
	return vendor, standard
}

// vendorScalars lists the vendor rows' objects for sysObjectID's
// enterprise.
func vendorScalars(sysObjectID string, table vendorTable) []string {
	ent, _ := enterprise(sysObjectID)
	r := table[ent]
	if r == nil {
		return nil
	}
	var out []string
	for _, l := range [][]string{r.model, r.firmware, r.serial} {
		out = append(out, l...)
	}
	return out
}

// vendorTable is the table identification reads: the embedded one unless
// a test gave another (TestIdentifySetC's held-out run).
func (vs *values) vendorTable() vendorTable {
	if vs.vendor != nil {
		return vs.vendor
	}
	return vendorOIDs()
}

// without returns the table less the objects seen only with the given
// OS families: what the generator would have drawn without them.
func (t vendorTable) without(drop func(family string) bool) vendorTable {
	out := vendorTable{}
	for ent, r := range t {
		keep := func(oids []string) []string {
			var k []string
			for _, o := range oids {
				if slices.ContainsFunc(r.families[o], func(f string) bool { return !drop(f) }) {
					k = append(k, o)
				}
			}
			return k
		}
		out[ent] = &vendorRows{model: keep(r.model), firmware: keep(r.firmware), serial: keep(r.serial), families: r.families}
	}
	return out
}

// vendorProbeRows is how many objects of an unknown enterprise's subtree
// identity reads: enough for the identity group most vendor MIBs start
// with (on setC's development families, the first 20 objects hold the
// serial on 38 % of devices and the firmware on 17 %).
const vendorProbeRows = 20

// vendorRoots are the subtrees identity probes when a field is still
// empty: first the product's own branch, the sysObjectID itself (vendors
// register a product's MIB under the OID its agent reports, as Dell's
// iDRAC at 674.10892.5 or Eaton's ePDU at 534.6.6.7 do), then the
// enterprise's root when the vendor table has no rows for it. Agent
// software such as net-snmp gets none: its subtree says nothing of the
// product.
func vendorRoots(sysObjectID string, table vendorTable) []string {
	ent, _ := enterprise(sysObjectID)
	if ent <= 0 || agentOnly[ent] {
		return nil
	}
	root := "1.3.6.1.4.1." + strconv.Itoa(ent)
	var roots []string
	if p := strings.TrimPrefix(sysObjectID, "."); strings.HasPrefix(p, root+".") && isDottedOID(p) {
		roots = append(roots, p)
	}
	if r := table[ent]; r == nil || len(r.model)+len(r.firmware)+len(r.serial) == 0 {
		roots = append(roots, root)
	}
	return roots
}

// addSubtree keeps the octet-string objects of a subtree probe that lie
// under its roots, at most vendorProbeRows per root, the first root's
// first: a GETBULK answer interleaves its columns.
func (vs *values) addSubtree(roots []string, vars []gosnmp.SnmpPDU) {
	for _, root := range roots {
		n := 0
		for _, v := range vars {
			if n == vendorProbeRows {
				break
			}
			if !strings.HasPrefix(strings.TrimPrefix(v.Name, "."), root+".") || v.Type != gosnmp.OctetString {
				continue
			}
			if val, ok := decodeValue(v); ok {
				vs.subtree = append(vs.subtree, val)
				n++
			}
		}
	}
}

// Shapes a guess picks from an unknown vendor's first objects: a version
// ("1.2.3", "v4.5.6-r2") and a serial number (6 to 24 letters and digits
// with a digit, not a MAC address, not a version).
var (
	guessVersionRe = regexp.MustCompile(`^[vV]?\d+(?:\.\d+){1,3}(?:[\-_.]?[\w()]+)*$`)
	guessSerialRe  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9\-]{5,23}$`)
	macLike        = regexp.MustCompile(`^(?:[0-9A-Fa-f]{2}[:\-]?){5}[0-9A-Fa-f]{2}$`)
)

const (
	guessVersion = 1
	guessSerial  = 2
)

// guess picks the first subtree value of the wanted shape. A version is
// not a reading ("33.953", "26.44": two numbers, the first above 19, the
// shape of a temperature or a voltage); a serial number is not a product
// name: not mixed case ("RAy3-24", "FortiVoice-500F") and not a word of
// sysDescr.
func (vs *values) guess(kind int) string {
	descr := strings.ToLower(vs.descr)
	for _, v := range vs.subtree {
		t := tidy(v.text)
		switch {
		case t == "":
		case kind == guessVersion && guessVersionRe.MatchString(t) && !readingLike(t):
			return t
		case kind == guessSerial && guessSerialRe.MatchString(t) && strings.ContainsAny(t, "0123456789") &&
			!macLike.MatchString(t) && !guessVersionRe.MatchString(t) && (!isDigits(t) || len(t) >= 7) &&
			!(strings.ToUpper(t) != t && strings.ToLower(t) != t) && !strings.Contains(descr, strings.ToLower(t)):
			return t
		}
	}
	return ""
}

// readingLike reports a two-part decimal number whose whole part is 20 to
// 999: a measurement, not a firmware version.
func readingLike(t string) bool {
	whole, frac, ok := strings.Cut(t, ".")
	if !ok || !isDigits(whole) || !isDigits(frac) || strings.Contains(frac, ".") {
		return false
	}
	n, err := strconv.Atoi(whole)
	return err == nil && n >= 20 && n < 1000 // 2020.6 is a release, by its year
}

func isDigits(s string) bool { return strings.Trim(s, "0123456789") == "" }
