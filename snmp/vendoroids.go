package snmp

import (
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"io"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/gosnmp/gosnmp"

	"tend/internal/lazyre"
)

// vendorOIDsGz is the data-driven part of the rule table: per private
// enterprise, the vendor MIB objects that hold model, firmware and serial,
// written by hand from the vendors' published MIBs (see vendor_oids.tsv's
// header). The binary embeds it gzipped (28.7 → 7.6 kB: the citations
// and comments are most of it); TestVendorOIDsGzipCurrent fails when the
// .gz is older than the .tsv.
//
//go:generate sh -c "gzip -9n < vendor_oids.tsv > vendor_oids.tsv.gz"
//go:embed vendor_oids.tsv.gz
var vendorOIDsGz []byte

// vendorOIDsText is vendor_oids.tsv, decompressed.
func vendorOIDsText() string {
	zr, err := gzip.NewReader(bytes.NewReader(vendorOIDsGz))
	if err != nil {
		panic("snmp: vendor_oids.tsv.gz: " + err.Error())
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		panic("snmp: vendor_oids.tsv.gz: " + err.Error())
	}
	return string(b)
}

// knowledge is what identification may use besides the standard MIBs:
// the zero value is everything tend has. The accuracy test's blind run
// narrows it to what tend would know without a family.
type knowledge struct {
	vendor vendorTable                             // nil: the embedded table
	rules  func(sysObjectID, descr string) []*rule // nil: candidates
}

func (k knowledge) candidates(sysObjectID, descr string) []*rule {
	if k.rules != nil {
		return k.rules(sysObjectID, descr)
	}
	return candidates(sysObjectID, descr)
}

// vendorRow is one line of vendor_oids.tsv: an object of an enterprise's
// MIB that holds one identity field (0 model, 1 firmware, 2 serial). A
// scalar's OID ends in .0; one table row the MIB names by its index
// (written COLUMN@INDEX: TIMETRA-CHASSIS-MIB's chassis row) is read as a
// scalar is; any other OID is a table column, whose first row that holds
// a value is read. re, when set, must match the value and its first group
// is taken.
type vendorRow struct {
	ent, field int
	oid        string
	re         *lazyre.Regexp
	instance   bool // oid is one row's instance (COLUMN@INDEX)
	// ups: the object is of the maker's UPS identity group (its name,
	// the citation's MIB::object, opens ups or xups: PowerNet-MIB's
	// upsBasicIdent, XUPS-MIB's xupsIdent, CPS-MIB's upsBaseIdent)
	ups bool
	// decoder is the parser a row names "=name" (vendorDecoders): how
	// the maker encodes a value no expression reads
	decoder string
}

// vendorDecoder is a parser vendor_oids.tsv names: the raw octets'
// decoding (octets) or the text's (fix).
type vendorDecoder struct {
	octets uint8
	fix    func(string) string
}

// vendorDecoders are the parsers a vendor row may name ("=digits").
var vendorDecoders = map[string]vendorDecoder{
	"digits":        {octets: octetsDigits},
	"bosch-version": {fix: boschVersion},
}

// octetsDigits decodes one decimal digit per octet (decimalOctets).
const octetsDigits = 1

// decimalOctets reads octets that each hold one decimal digit as their
// value, not as a character (Bosch's cameras write their serial number
// so: 00 04 04 08 … is "0448…"): six to 32 of them, not all zero; ""
// for anything else (a wrong field is worse than none).
func decimalOctets(b []byte) string {
	if len(b) < 6 || len(b) > 32 {
		return ""
	}
	out := make([]byte, len(b))
	zero := true
	for i, c := range b {
		if c > 9 {
			return ""
		}
		out[i], zero = '0'+c, zero && c == 0
	}
	if zero {
		return ""
	}
	return string(out)
}

// boschVersion writes Bosch's packed firmware number, eight decimal
// digits BBxxMMmm, as the release its cameras show, MM.mm.00BB
// ("24500793" is 7.93.0024, "02011040" 10.40.0002); "" for another shape.
func boschVersion(s string) string {
	if len(s) != 8 || !isDigits(s) {
		return ""
	}
	major, minor, build := atoi(s[4:6]), s[6:8], s[:2]
	return strconv.Itoa(major) + "." + minor + ".00" + build
}

// vendorTable is the parsed vendor_oids.tsv, by enterprise, in file order.
type vendorTable map[int][]vendorRow

func (t vendorTable) rows(ent int) []vendorRow { return t[ent] }

var vendorFields = map[string]int{"model": 0, "firmware": 1, "serial": 2}

// vendorOIDs parses vendor_oids.tsv once; the file is embedded and
// tested, so a malformed line is a build mistake and panics.
var vendorOIDs = sync.OnceValue(func() vendorTable {
	m := vendorTable{}
	for line := range strings.SplitSeq(vendorOIDsText(), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		n, err := strconv.Atoi(f[0])
		field, ok := vendorFields[f[min(1, len(f)-1)]]
		col, idx, instance := strings.Cut(f[min(2, len(f)-1)], "@")
		if len(f) < 3 || err != nil || !ok || !isDottedOID(col) || instance && !isDottedOID(idx) {
			panic("snmp: bad line in vendor_oids.tsv: " + line)
		}
		r := vendorRow{ent: n, field: field, oid: col, instance: instance}
		if len(f) > 4 {
			_, object, _ := strings.Cut(f[4], "::")
			r.ups = strings.HasPrefix(object, "ups") || strings.HasPrefix(object, "xups")
		}
		if instance {
			r.oid = col + "." + idx
		}
		if d, ok := strings.CutPrefix(f[min(3, len(f)-1)], "="); len(f) > 3 && ok {
			if _, known := vendorDecoders[d]; !known || !r.scalar() {
				panic("snmp: unknown parser or not a scalar in vendor_oids.tsv: " + line)
			}
			r.decoder = d
		} else if len(f) > 3 && f[3] != "" {
			r.re = lazyre.New(f[3])
		}
		m[n] = append(m[n], r)
	}
	return m
})

// scalar reports whether the row names a scalar (an OID ending .0) or
// one row's instance, read with a GET.
func (r vendorRow) scalar() bool { return r.instance || strings.HasSuffix(r.oid, ".0") }

func (r vendorRow) source() source {
	s := column(r.oid)
	if r.scalar() {
		s = scalar(r.oid)
	}
	s.re, s.vendor = r.re, true
	if d, ok := vendorDecoders[r.decoder]; ok {
		s.octets, s.fix = d.octets, d.fix
	}
	return s
}

// answered reports whether the agent answered the object a scalar or
// column source reads, whatever the text: the GET's answer, the walk's
// object (walked), a column's row.
func (vs *values) answered(s source) bool {
	if s.column != "" {
		return len(vs.column[s.column]) > 0
	}
	for _, o := range s.oids {
		_, ok := vs.scalar[o]
		_, walked := vs.walked[o]
		if ok || s.walked && vs.behindAgent && walked {
			return true
		}
	}
	return false
}

// scalarText is a one-object scalar source's text: the agent's answer to
// the GET, else (walked) the object the subtree probe walked; decoded
// from its raw octets when the source says how (octetsDigits).
func (vs *values) scalarText(s source) string {
	o := s.oids[0]
	v, ok := vs.scalar[o]
	raw, rawOK := vs.octets[o]
	if !ok && s.walked && vs.behindAgent {
		v, ok = vs.walked[o]
		raw, rawOK = vs.walkedOctets[o]
	}
	if !ok && !rawOK {
		return ""
	}
	if s.octets == octetsDigits {
		if !rawOK {
			raw = []byte(v.text)
		}
		return decimalOctets(raw)
	}
	return v.text
}

// Standard MIB objects read from every agent, after the family rules and
// the vendor rows: UPS-MIB (RFC 1628 upsIdent), RMON2 probe revisions
// (RFC 4502) and the Printer-MIB serial (RFC 3805).
const (
	upsIdentManufacturer = "1.3.6.1.2.1.33.1.1.1.0"
	upsIdentUPSSw        = "1.3.6.1.2.1.33.1.1.3.0"
	// LLDP-EXT-MED-MIB (ANSI/TIA-1057) inventory of the local device.
	lldpXMedLocSoftwareRev = "1.0.8802.1.1.2.1.5.4795.1.2.4.0"
	lldpXMedLocSerialNum   = "1.0.8802.1.1.2.1.5.4795.1.2.5.0"
	lldpXMedLocModelName   = "1.0.8802.1.1.2.1.5.4795.1.2.7.0"
)

// IEEE802dot11-MIB (IEEE Std 802.11, Annex C) dot11manufacturerProductVersion:
// an access point's or radio's firmware, in its first interface's row.
const dot11ProductVersion = "1.2.840.10036.3.1.2.1.4"

// SYSAPPL-MIB (RFC 2287) sysApplInstallPkgVersion: the version of the
// first application package installed. The agents that fill it are
// appliances listing their own product's packages (Cisco's Unified
// Communications servers: "Cisco Serviceability Reporter 11.5.1.15900-18",
// the platform's release, behind a Linux banner naming only the kernel).
const sysApplInstallPkgVersion = "1.3.6.1.2.1.54.1.1.1.1.4"

// NETWORK-SERVICES-MIB (RFC 2788) applVersion: the first network
// service application's version, which an appliance built around one
// service gives as its own (Allworx's phone system, 8.3.5.4).
const applVersion = "1.3.6.1.2.1.27.1.1.4"

// HOST-RESOURCES-MIB (RFC 2790) hrSWInstalledName. A host lists its
// packages there, hundreds of them; an appliance that lists one names
// its system image: "JUNOS Software Release [12.1X46-D86]" (soleSoftware).
const hrSWInstalledName = "1.3.6.1.2.1.25.6.3.1.2"

// soleSoftware is the release in hrSWInstalledName's only row, written
// as "<name> [<release>]".
var soleSoftware = source{column: hrSWInstalledName, sole: true}.match(`^[A-Za-z][\w\- ]* \[(\d[\w.\-]*)\]$`)

// standardColumns are the standard MIB table columns read from every
// agent beside the ENTITY-MIB's, their first rows.
var standardColumns = []string{dot11ProductVersion, sysApplInstallPkgVersion, applVersion, hrSWInstalledName}

var standardScalars = []string{upsIdentManufacturer, upsIdentModel, upsIdentUPSSw, upsIdentAgentSw, probeSoftwareRev, prtSerial1,
	lldpXMedLocModelName, lldpXMedLocSoftwareRev, lldpXMedLocSerialNum, hrDeviceType1, hrDeviceDescr1, jetdirectDeviceID}

// HOST-RESOURCES-MIB (RFC 2790): the first device's type; a printer's
// first device is the printer, its description the model.
const (
	hrDeviceType1   = "1.3.6.1.2.1.25.3.2.1.2.1"
	hrDevicePrinter = "1.3.6.1.2.1.25.3.1.5"
	hrDeviceOther   = "1.3.6.1.2.1.25.3.1.1"
)

// Generic sysDescr grammars for a firmware version, tried when nothing
// better answered: a version after a keyword ("Version 1.2.3",
// "Firmware: 4.5", "Rev. 2.0", "Version 15.0(2)SE11" with the release's
// train and rebuild, "Version 18r.1.00a" with a letter closing the first
// group, as Extreme's SLX and Brocade's NOS number releases), then a
// v-prefixed or bare dotted number
// (of at most four digits before its first dot: "402414.003" is a part
// number, Eltek's "WebPower(402414.003) 4.11").
// Linux kernel banners are left out: their number is the kernel's, not the
// appliance firmware's; so are the versions of the parts a description
// names after the firmware's ("HP 1820-8G Switch J9979A, PT.01.14, Linux
// 3.6.5-79c95a77, U-Boot 2012.10…", "PL.1.9, eCos-3.0", "SNMP V1.0").
var genericFirmware = withoutParts([]source{
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)\b(?:sw_rev|sw)\s*[:=]\s*(?:version\s*)?([A-Za-z]{0,4}\d[\w.\-]*)`}, fix: trimDot},
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)\b(?:application software|software|firmware|sw|fw)[\s,:]+(?:version|ver|release|revision|rev)\b[\s:.=]*(v?\d+(?:[.\-_]\w+)+(?:\s?\(\w+(?:\.\w+)*\))?|V\d+R\d+\w*)`}},
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)\b(?:fw_rev|fw|firmware)\s*[:=]\s*(?:version\s*)?([A-Za-z]{0,4}\d[\w.\-]*)`}, fix: trimDot},
	{descr: true, re: &lazyre.Regexp{Expr: `\b(V\d{3}R\d{3}(?:C\d+)?\w*)\b`}},
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)\b(?:firmware|software|sw|fw|os|image)?\s*(?:version|ver|release|revision|rev)\b[\s:.=]*v?(\d+[a-z]?(?:[.\-_]\w+)+(?:\(\w+\)\w*|\s\(\w+\))?)`}},
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)\b(?:firmware|software|fw|sw)\b[\s:=]*v?(\d+(?:[.\-_]\w+)+)`}},
	// a release an image or product name ends in after "_v" ("CMTS_V08.02.00.97,",
	// "GAM-12/24-C_v1.5.4", "PWT_v3.10.6", with the build after "_": IBM's
	// PDU firmware "OPDP_sIBM_v01.3_8", named before its FreeRTOS_4.2.1):
	// dotted numbers only, the word's end
	{descr: true, re: &lazyre.Regexp{Expr: `[A-Za-z\d]_[vV](\d+(?:\.\d+)+(?:_\d+)?)(?:$|[\s,;)])`}},
	{descr: true, re: &lazyre.Regexp{Expr: `(?:^|[^\w.])[vV](\d+(?:\.\w+)+(?:[\-_]\w+(?:\.\d+)*)*)`}},
	{descr: true, re: &lazyre.Regexp{Expr: `(?:^|[\s,;(_\-])(\d{1,4}\.\w+(?:\.\w+)*(?:[\-_]\w+)*)(?:$|[\s,;)]|\.(?:\s|$))`}},
	{descr: true, re: &lazyre.Regexp{Expr: `(?:^|[\s,;(])([A-Z]{1,2}\.\d{1,2}\.\d{1,2}(?:\.\d+)?)(?:$|[\s,;)])`}},
})

// partVersion is a part's name and version in a description: the kernel,
// the boot loader (a DOCSIS description's "BOOTR: V00.01.00"), a library, the SNMP agent; with the build the part
// gives in parentheses after it ("U-Boot 2013.01 (V1.0.1.29)", the boot
// loader's beside Aruba Instant On's InstantOn_1930_1.0.5.0); and the
// hardware's revision ("H/w ZBBNC2 Rev 1.01.06", "HW: Version 3").
var partVersion = &lazyre.Regexp{Expr: `(?i)\b(?:Linux(?: kernel| release:| [a-z][\w.\-]*)?|U-Boot|eCos|uClibc|BusyBox|SNMP(?: Agent)?)[\s\-]+v?\d+(?:\.\w+)+[\w\-+.]*(?:\s*\(v?\d+(?:\.\w+)+\))?|\bBOOTR:\s*[vV]?\d+(?:\.\w+)*|\b(?:H/?W|hardware)\b[\s:]*(?:[A-Z][\w\-]*\s+)?(?:version|ver|rev(?:ision)?)\b[\s:.]*[vV]?\d+(?:\.\w+)*`}

func withoutParts(srcs []source) []source {
	for i := range srcs {
		srcs[i] = srcs[i].withoutParts()
	}
	return srcs
}

// Generic sysDescr grammars for a model, tried after the vendor rows and
// the ENTITY-MIB chassis: a "Model:" field, the "MN:" (model number) of
// PowerNet-style management cards (APC, Schneider, Dell rPDUs),
// "running on <product>", a leading part number ("MS4026-AC, iBOS …", "WS6-DGS-1210-52/F1 6.10.007",
// "AT-GS950/24 Gigabit …", with a variant after a colon: "NetSpire
// CONAC01/4004:70FM r1.0"), and a short "<maker> <product> <version>"
// description that names a numbered product ("Alta Route10 1.4o").
var genericModel = []source{
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)\bmodel\s*[:=]\s*([^,;()]+?)\s*(?:[,;)]|$)`}},
	// What the device is, "model" and the product's code with a digit,
	// unlabelled ("Router model M1 1GEWAN 4GESW …", Teldat's; "Model
	// VS5792 CATV Optical Receiver"); a number alone is no code ("Family
	// 6 Model 3 Stepping", Windows's processor).
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)(?:^|\b[a-z]+ )model\s+([a-z][\w\-/]*\d[\w\-/]*)(?:\s|$)`}},
	// the product a PowerNet card's description names before the card's
	// revisions ("APC InRow DX 300mm (MB:v4.1.0 … MN:0N-9580AC …)"), not
	// the card itself ("APC Web/SNMP Management Card (MB:…"), before the
	// part number MN: gives
	{descr: true, re: &lazyre.Regexp{Expr: `^[A-Z][A-Za-z]* ([^()]{3,40}?) \(MB:`}, fix: apcProduct},
	{descr: true, re: &lazyre.Regexp{Expr: `\bMN:\s*([A-Za-z0-9][\w\-]*)`}},
	{descr: true, re: &lazyre.Regexp{Expr: `running on (?:an? )?(?:[A-Z]\w+ Networks )?(.+?)\s*$`}},
	{descr: true, re: &lazyre.Regexp{Expr: `\b[A-Za-z]*OS for ([\w\-]+)$`}, fix: partNumber}, // "Pica8, Inc. PicOS for as5812_54x": the platform
	// HPE's and Aruba's product number, then the product's description up
	// to "Swch" ("Aruba JL679A 6100 12G CL4 2SFP+ 139W Swch PL.10.08.1050"):
	// the name the switch's software shows, as chassisModel prefers it
	{descr: true, re: &lazyre.Regexp{Expr: `^[A-Z][A-Za-z]*(?: [A-Z]{2,4})? [A-Z]{1,2}\d{3,4}[A-Z] (.+?) Swch\b`}, fix: productName},
	bracketModel,
	numberedSwitch,
	releaseThenPart,
	{descr: true, re: &lazyre.Regexp{Expr: `^(?:[A-Z][A-Za-z.]*,? (?:Inc\.?,? |Networks,? (?:Inc\.?,? )?|Corp\.? )?)?([A-Z][A-Za-z]*[\-/]?[A-Z0-9]*\d[\w\-/+]*(?::\d+[A-Z]+)?)(?:,? |$)`}, fix: partNumber},
	source{descr: true, re: shortDescr}.then(shortProduct),
	// the sentence a NAS appliance's description gives its hardware in,
	// between its release's and its software's ("FreeNAS-11.3-U2.1
	// (6a6a2dfda7). Hardware: amd64 Intel(R) Core(TM) i5-7267U CPU @
	// 3.10GHz running at 3095. Software: FreeBSD …"): the machine as the
	// system names it, for want of a product (not Windows' "Hardware: x86
	// Family 6 … - Software:", which the Windows entries read)
	hardwareSentence,
	source{descr: true, re: hardwareLabelled}.then(partNumber),
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)\bseries\s*:\s*([^\s,;]+)`}},
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)(?:^|;)\s*prod(?:uct)?\s*:\s*([^;,]+)`}},
	{descr: true, re: &lazyre.Regexp{Expr: `^([^,]{3,40}),\s*(?:(?:version|firmware|fw|ver)\s*:?\s*)?v?\d+(?:\.\w+)+[\w\-]*(?:[,\s]|$)`}, fix: productName},
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)\bmd\s*[:=]\s*([^,;()\s]+)`}},
	{descr: true, re: &lazyre.Regexp{Expr: `^([^;,]{3,40});`}, fix: numbered},
	// "<OS> <release> (<channel>) <board>", LLDP's local description of
	// a RouterOS device ("MikroTik RouterOS 7.20.6 (stable) CRS305-1G-4S+").
	{descr: true, re: &lazyre.Regexp{Expr: `^[^()]{3,40}? v?\d+(?:\.\d+)+\S* \((?:stable|long-term|testing|development|beta)\) ([A-Za-z][\w\-+]*\d[\w\-+]*)$`}},
	{descr: true, re: &lazyre.Regexp{Expr: `^([^,;()]{3,50}?)\s+v?\d+\.\d+(?:\.\w+)*\b`}, fix: productName},
	{descr: true, re: &lazyre.Regexp{Expr: `\(([A-Z][A-Z0-9]*-[\w\-]*\d[\w\-]*)\)`}, fix: notImage},
	{descr: true, re: &lazyre.Regexp{Expr: `, ([A-Z][A-Z0-9\-]*\d[\w\-]*), (?:Release|Version)\b`}},
	{descr: true, re: &lazyre.Regexp{Expr: `^[A-Za-z]+ \(([A-Z][\w\-]*\d[\w\-]*)\) version`}},
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)\bsoftware \((?:cisco )?([^)]*?(?:series|\d{3,}[^)]*))\)`}, fix: notImage},
	{descr: true, re: &lazyre.Regexp{Expr: `^[A-Z]\w+(?: [A-Z]\w+)?[.,] ([A-Z][\w\-/]*\d[\w\-/]*),`}},
	{descr: true, re: &lazyre.Regexp{Expr: `\s([A-Z][A-Z0-9]*-[\w\-]*\d[\w\-]*)$`}, fix: partNumber},
	// "<maker> <number> <line> Copyright": the product before the
	// notice ("… Nokia 7705 SAR Copyright (c) 2000-2020 Nokia.").
	{descr: true, re: &lazyre.Regexp{Expr: `\s[A-Z][A-Za-z]+ (\d{3,5} [A-Z][A-Z0-9\-]*) Copyright\b`}},
	// IBM's and Lenovo's part numbers, two digits, a letter and four
	// digits ("IBM PDU 46W1608(46M4003) …": the unit's, then its
	// option's), and a description that ends in a product line's
	// two-capital name and its model ("IBM Networking Operating System
	// RackSwitch G8052").
	{descr: true, re: &lazyre.Regexp{Expr: `^(?:IBM|Lenovo) (?:[A-Za-z]+ ){0,2}(\d\d[A-Z]\d{4})\b`}},
	{descr: true, re: &lazyre.Regexp{Expr: `\s([A-Z][a-z]+[A-Z][a-z]+ [A-Z]\d{3,5})$`}},
}

// hardwareSentence is the sentence a NAS appliance's description names
// its machine in (genericModel).
var hardwareSentence = source{descr: true, re: &lazyre.Regexp{Expr: `\. Hardware: (\S.{2,79}?)\. Software: `}}

// productName accepts the "<product>" of "<product>, <version>": at most
// five words, not an operating system's name.
func productName(s string) string {
	if osWord.MatchString(s) || strings.ContainsAny(s, "#:()") || len(strings.Fields(s)) > 5 || hostName.MatchString(s) {
		return ""
	}
	return s
}

// hostName is a fully qualified host name, "localhost" or "hostname" (a
// redacted host's stand-in) among a description's words ("OPNsense
// OPNsense.7p.lan 18.1.1 …": the maker's name, then the host's; "Isilon
// OneFS hostname v7.1.1.8 …"), which no product name holds.
var hostName = &lazyre.Regexp{Expr: `(?i)(?:^|\s)(?:[A-Za-z][\w\-]*\.[\w\-]+\.[A-Za-z]{2,}|localhost|hostname)(?:$|\s)`}

// numbered is productName for a product whose name has a digit.
func numbered(s string) string {
	if !strings.ContainsAny(s, "0123456789") {
		return ""
	}
	return productName(s)
}

// trimDot drops the full stop a sentence puts after a version.
func trimDot(s string) string { return strings.TrimRight(s, ".-") }

// notChecksum rejects a bare number or a run of hexadecimal digits where
// a version belongs: UPS-MIB's upsIdentUPSSoftwareVersion holds a
// firmware's checksum on some UPSes ("692A950B", Tripp Lite's), and the
// agent's own version (upsIdentAgentSoftwareVersion) answers next.
func notChecksum(s string) string {
	if hexRun.MatchString(s) {
		return ""
	}
	return s
}

var hexRun = &lazyre.Regexp{Expr: `^(?:\d+|[0-9A-Fa-f]{6,})$`}

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

var genericEntity = &lazyre.Regexp{Expr: `(?i)^(chassis|stack|system|switch|unit|slot|module|board|mainboard|motherboard|network element|cpu|fan|psu|power supply)?[\s\-_.]*\d*$`}

// genericSerial reads a serial number sysDescr labels ("SN: 123",
// "S/N=000076.", "Serial number FFFFFFFFFF"): after a separator, with a
// digit or all hexadecimal; not "SN4971/1E15V" (a product), "SNMPv1" or
// the "Serial version" of "SSG5-Serial version 6.3.0r24.0".
var genericSerial = source{descr: true, re: labelledSerial} // one expression: cannotMatch rules on it

const serialLabelled = `(?i)(?:\bS/?N|\bserial(?: ?(?:number|no\.?|#))?)(?:\s*[:=#]\s*|\s+)([A-Za-z]*\d[\w\-/]{3,}?|[0-9A-F]{8,})(?:$|[\s,;).]|\.\s)`

// labelledSerial is genericSerial's grammar for a vendor object's text
// ("PDU System v1.05 (SN 1113016920004)").
var labelledSerial = &lazyre.Regexp{Expr: serialLabelled}

// shortDescr is a whole description of 3 to 40 characters on one line
// (genericModel's shortProduct).
var shortDescr = &lazyre.Regexp{Expr: `^(.{3,40})$`}

// hardwareLabelled is the hardware a description labels ("Hardware:
// X1", "H/W X1"; genericModel's).
var hardwareLabelled = &lazyre.Regexp{Expr: `(?i)(?:\bhardware\s*[\[:=]|\bH/w)\s*([^\],;\s]+)`}

// partNumber accepts a leading sysDescr token as a model when it looks
// like one: letters and digits, not a version, an OS or a bare word.
func partNumber(s string) string {
	s = gluedLabel.ReplaceAllString(s, "${1}")
	if len(s) < 4 || versionLike.MatchString(s) || osWord.MatchString(s) {
		return ""
	}
	return s
}

var (
	versionLike = &lazyre.Regexp{Expr: `^[vV]?\d+(?:\.\d+)+`}
	osWord      = &lazyre.Regexp{Expr: `(?i)^(linux|windows|freebsd|sunos|aix|hp-ux|cisco|juniper|ubuntu|debian|darwin|openbsd|netbsd|vxworks|x86|i386|amd64)`}
	trailingVer = &lazyre.Regexp{Expr: `(?i)[\s,]+(?:v(?:er(?:sion)?)?\.?\s*)?\d+(?:\.\w+)+\S*$`}
)

// gluedLabel is the label of the next field an agent runs into the
// part number without a space ("SN4971/1E15VHardware Release 3 Version
// 1, Software R6.10", Patton's SmartNode): the label is not the part's.
var gluedLabel = &lazyre.Regexp{Expr: `([0-9A-Z])(?:Hardware|Software|Firmware|Version|Release)$`}

// shortProduct reads a short description as "<maker> <product>
// <version>": the version goes, and what remains counts when it names a
// numbered product in at most five words.
func shortProduct(s string) string {
	if osWord.MatchString(s) || strings.ContainsAny(s, "#:();") {
		return ""
	}
	t := trailingRelease.ReplaceAllString(trailingVer.ReplaceAllString(s, ""), "")
	if w := strings.Fields(t); len(w) == 0 || len(w) > 5 || t == s && !strings.ContainsAny(t, "0123456789") {
		return ""
	}
	s = t
	return s
}

// trailingRelease is a release a short description ends with that
// trailingVer's dotted numbers miss: a labelled build ("Mimosa B5c
// Firmware v92329ce"), Huawei's VRP form ("Huawei Optix RTN
// V100R011C00SPC200") or an R-numbered release ("Nokia 1830 PSD 10G
// R23.6"). It is the firmware, not part of the model's name.
var trailingRelease = &lazyre.Regexp{Expr: `(?i)\s+(?:(?:firmware|software|fw|sw)\s+v?[\w.\-]+|V\d{3}R\d{3}\w*|R\d+(?:\.\d+)+)$`}

// managementCard is the description of an agent on a management card
// inside the device it reports (a UPS's or a PDU's network card).
var managementCard = &lazyre.Regexp{Expr: `(?i)\bmanagement card\b`}

var linuxBanner = &lazyre.Regexp{Expr: `^Linux \S+ \d`}

// fallbacks are the sources tried for each field after a rule's own: the
// enterprise's vendor rows, the ENTITY-MIB chassis row, then standard MIBs
// and (firmware) sysDescr grammars. For a generic rule (linux, freebsd,
// entity-mib) the vendor rows come before the rule's sources instead.
//
// The standard sources come as lists tried in turn, so that the grammar
// tables (half of them) are not copied into every device's lists.
func fallbacks(ent int, vs *values) (vendor [3][]source, standard [3][][]source) {
	return vs.vendorSources(ent), vs.standardSources()
}

// standardSources is fallbacks' standard sources by field, made once for
// what they are chosen by (standardKey): the passes of identify after
// the first probe of the maker's MIB choose the same. Their functions
// read the values when they run, not when made. The slices are shared:
// not to be written.
func (vs *values) standardSources() [3][][]source {
	k := standardKey{descr: vs.descr, chassis: vs.chassis(), scalars: len(vs.scalar), columns: len(vs.column),
		behindAgent: vs.behindAgent, subtree: len(vs.subtree) > 0, subtreeScalars: vs.subtreeScalars > 0}
	if vs.standardSrcs.ok && vs.standardSrcs.key == k {
		return vs.standardSrcs.srcs
	}
	srcs := [3][][]source{standardModel(vs), standardFirmware(vs), standardSerial(vs)}
	vs.standardSrcs = standardSrcs{ok: true, key: k, srcs: srcs}
	return srcs
}

// standardKey is what chooses the standard sources: sysDescr, the
// chassis row, how many scalars and columns were read (their objects,
// read before identify's first pass and never after), and whether the
// probe of the maker's MIB found objects, scalars among them, behind a
// software agent or not.
type standardKey struct {
	descr, chassis                       string
	scalars, columns                     int
	behindAgent, subtree, subtreeScalars bool
}

// standardSrcs is standardSources' answer for one key.
type standardSrcs struct {
	ok   bool
	key  standardKey
	srcs [3][][]source
}

// vendorSources is the enterprise's vendor rows as sources by field,
// made once per values: each pass of identify (up to four a device)
// reads the same rows. The slices are shared: not to be written.
func (vs *values) vendorSources(ent int) [3][]source {
	maker := vs.makerBehind(ent)
	if vs.vendorSrcs.ok && vs.vendorSrcs.ent == ent && vs.vendorSrcs.maker == maker {
		return vs.vendorSrcs.srcs
	}
	rows := vs.vendorTable().forAgent(ent)
	own := len(rows)
	if maker != 0 {
		rows = slices.Concat(rows, vs.vendorTable()[maker])
	}
	var n [3]int
	for _, r := range rows {
		n[r.field]++
	}
	var vendor [3][]source
	for i := range vendor {
		vendor[i] = make([]source, 0, n[i]) // one allocation each: a source is about 100 bytes
	}
	for i, r := range rows {
		src := r.source()
		src.walked = i >= own && len(src.oids) == 1
		vendor[r.field] = append(vendor[r.field], src)
	}
	vs.vendorSrcs = vendorSrcs{ok: true, ent: ent, maker: maker, srcs: vendor}
	return vendor
}

// makerBehind is the enterprise whose MIB the subtree probe found behind
// the software agent of enterprise ent (vs.maker), when the vendor table
// has rows for it: its scalars, read from the walk, come before the
// agent's banner's last resorts (a camera's model and serial over the
// kernel's architecture and a hardware revision a guess took). With no
// sysObjectID at all (unnamed), the enterprise the probe walked is the
// only maker there is, and its rows are read the same way (an agent whose
// sysObjectID is bogus keeps its own: "0.10.43…" is not missing). 0 when
// none.
func (vs *values) makerBehind(ent int) int {
	if !osAgent[ent] && !vs.unnamed || !vs.behindAgent || vs.maker <= 0 || vs.maker == ent || len(vs.vendorTable()[vs.maker]) == 0 {
		return 0
	}
	return vs.maker
}

// vendorSrcs is vendorSources' answer for one enterprise and the maker
// behind its agent.
type vendorSrcs struct {
	ok         bool
	ent, maker int
	srcs       [3][]source
}

// standardFirmware is fallbacks' firmware sources, in the order tried.
func standardFirmware(vs *values) [][]source {
	firmware := []source{entity(entColSoftwareRev), entity(entColFirmwareRev), scalar(upsIdentUPSSw).then(notChecksum), scalar(upsIdentAgentSw), scalar(probeSoftwareRev), scalar(lldpXMedLocSoftwareRev), column(dot11ProductVersion), column(sysApplInstallPkgVersion), column(applVersion), vs.modelRelease(), {recog: recogFirmware},
		// The chassis's description opening with its system's name and
		// version ("RouterOS 6.40.5 (stable) on RB952Ui-5ac2nD"); a first
		// word beginning "Li" is left out: the kernel's, as a USB
		// controller's row gives it ("Linux 5.6.3 xhci-hcd").
		entity(entColDescr).matching(systemVersionDescr)}
	lists := make([][]source, 1, 7)
	lists[0] = firmware
	if !linuxBanner.MatchString(vs.descr) {
		lists = append(lists, releaseFirmware, []source{productSoftware}, genericFirmware[:6], osFirmware, genericFirmware[6:])
	}
	lastFirmware := make([]source, 1, 2)
	lastFirmware[0] = soleSoftware
	if len(vs.subtree) > 0 {
		lastFirmware = append(lastFirmware, source{guess: guessVersion})
	}
	return append(lists, lastFirmware)
}

// standardSerial is fallbacks' serial sources, in the order tried.
func standardSerial(vs *values) [][]source {
	serial := make([]source, 0, 13) // one allocation: at most twelve
	serial = append(serial, entity(entColSerial), source{entity: entColDescr, re: labelledSerial, anyRow: true}, scalar(prtSerial1), scalar(lldpXMedLocSerialNum), source{recog: recogSerial})
	// A management card's description gives the card's serial number
	// ("APC Web/SNMP Management Card (… SN: ZA1349002368 …)"): the
	// device's in the maker's MIB comes first.
	card := managementCard.MatchString(vs.descr)
	if !card {
		serial = append(serial, genericSerial)
	}
	if len(vs.subtree) > 0 {
		serial = append(serial, source{guess: guessProductSerial}, source{guess: guessBesideModel}, source{guess: guessSerial})
	}
	if card && len(vs.subtree) > 0 {
		// the card's serial before a product number the guess falls back on
		serial = slices.Insert(serial, len(serial)-1, source{guess: guessSerialShaped}, genericSerial)
	} else if card {
		serial = append(serial, genericSerial)
	}
	if len(vs.subtree) > 0 {
		serial = append(serial, source{guess: guessMACSerial}, source{guess: guessBesideVersion})
	}
	return [][]source{serial}
}

// systemVersionDescr is the chassis's description opening with its
// system's name and version (fallbacks).
var systemVersionDescr = &lazyre.Regexp{Expr: `^(?:[A-KM-Z]|L[a-hj-z])[\w\-]*\s+v?(\d+(?:\.\d+){2,}[\w\-]*)(?:\s|$)`}

// standardModel is fallbacks' model sources, in the order tried: the
// standard MIBs' and the chassis row's, the maker's identity group,
// Recog, the sysDescr grammars, the product tables, the maker's deeper
// objects. Those that repeat what others heard (sysDescr, Recog, the
// product tables) are hearsay.
func standardModel(vs *values) [][]source {
	// Behind a software agent a kernel banner names the host, not a
	// product: the maker's MIB is read instead of its grammars.
	grammars := !vs.behindAgent || !linuxBanner.MatchString(vs.descr)
	models := append(make([]source, 0, 17), chassisModel(vs, vs.chassis())...) // one allocation: at most sixteen
	if vs.scalar[hrDeviceType1].text == hrDevicePrinter {
		models = append(models, scalar(hrDeviceDescr1).then(func(s string) string { return notDriver(dropMake(s)) }))
	}
	models = append(models, deviceIDModel, descrDeviceIDModel, printServerModel)
	models = append(models, scalar(upsIdentModel), scalar(lldpXMedLocModelName))
	// The chassis row's name when sysDescr names the same product
	// ("AR169F" of "Huawei AR169F Huawei Versatile Routing Platform";
	// the full "FSP150CC-XG116PRO (H)" sysDescr gives where the name is
	// its end, "XG116Pro(H)"): two objects agree, before a guess or a
	// fingerprint of the series.
	models = append(models, entity(entColName).then(func(s string) string {
		if modelLike(s) {
			return descrProduct(vs.descr, s)
		}
		return ""
	}))
	// A description that is nothing but a product number ("AN5516-01",
	// "PL-1000IL") names the product before the maker's first objects,
	// which may hold a release ("RP0700") or a part's number.
	models = append(models, source{descr: true, re: productNumberDescr}.then(func(s string) string {
		if !hyphenatedPart(s) || strings.EqualFold(s, vs.sysName) ||
			slices.ContainsFunc(vs.subtree, func(v value) bool { return strings.HasPrefix(tidy(v.text), s+"-") }) { // the maker's object names its variant ("EDS-G516E-T")
			return ""
		}
		return s
	}))
	models = append(models, comwareModel, makerDescribed(vs))
	if len(vs.subtree) > 0 {
		models = append(models, source{guess: guessProductModel}, source{guess: guessMakerModel})
	}
	if vs.subtreeScalars > 0 {
		models = append(models, source{guess: guessScalarModel})
	}
	// The chassis row's description names the product where sysDescr
	// names a series or what the device is ("OmniStack LS 6224P" for
	// "OmniStack LS 6200", "PowerConnect 2824" for "24-port 10/100/1000
	// Gigabit Switch"); one that repeats sysDescr leaves it to the
	// grammars.
	chassisDescr := entity(entColDescr).then(func(s string) string {
		if strings.EqualFold(tidy(s), vs.tidyDescr()) {
			return ""
		}
		return rowModel(s)
	})
	// A fingerprint's model without a digit names a product line
	// ("Sentry Switched CDU"): the vendor MIB's objects come first.
	models = append(models, source{recog: recogModel}.then(numbered), chassisDescr)
	lists := make([][]source, 1, 4)
	lists[0] = heard(models)
	if grammars {
		lists = append(lists, genericModelHeard, moreModelHeard)
	}
	models = append(make([]source, 0, 16), entity(entColDescr).then(func(s string) string { return rowModel(s) }), entity(entColName).then(notGeneric), entity(entColDescr).then(vs.makerDescribed)) // at most sixteen
	if grammars {
		models = append(models, leadingPart)
	}
	if vs.scalar[hrDeviceType1].text == hrDeviceOther {
		models = append(models, otherDeviceModel)
	}
	// the vendor's name for the platform: when nothing the agent says
	// names it; a MIB identifier ("ciscoUCSC220M4") after the subtree
	// guess, which may hold the part number (UCSC-C220-M4S)
	models = append(models, entity(entColModel), source{product: true}.then(notIdentifier))
	if len(vs.subtree) > 0 {
		models = append(models, source{guess: guessModel}, source{guess: guessNamedModel}, source{guess: guessBesideSerial})
	}
	if grammars {
		models = append(models, machineType)
	}
	models = append(models, source{product: true}.then(ciscoProductName), source{recog: recogModel}, namedProduct, vs.labelledName())
	if len(vs.subtree) > 0 {
		models = append(models, source{guess: guessBeforeVersion})
	}
	return append(lists, heard(models))
}

// heard marks the sources that repeat what others heard (sysDescr,
// Recog, the product tables) as hearsay, in place.
func heard(srcs []source) []source {
	for i, s := range srcs {
		srcs[i].hearsay = s.descr || s.recog != 0 || s.product
	}
	return srcs
}

// genericModelHeard and moreModelHeard are the model grammars as
// standardModel tries them, marked once.
var (
	genericModelHeard = heard(slices.Clone(genericModel))
	moreModelHeard    = heard(slices.Clone(moreModel))
)

// otherDeviceModel is an appliance's own first device, not a processor or
// an interface ("DS-860", a scanner's), when it is shaped like a model.
var otherDeviceModel = source{oids: []string{hrDeviceDescr1}, fix: func(s string) string {
	if modelLike(s) {
		return s
	}
	return ""
}}

// mibIdentifier is a MIB's descriptor for a product: lower-case first,
// then capitals or digits ("ciscoUCSC220M4", "fgt501E").
var mibIdentifier = &lazyre.Regexp{Expr: `^[a-z]+[A-Z0-9]\w*$`}

// notIdentifier drops a MIB identifier.
func notIdentifier(s string) string {
	if mibIdentifier.MatchString(s) {
		return ""
	}
	return s
}

// vendorReads lists the vendor rows' scalars and columns for
// sysObjectID's enterprise.
func vendorReads(sysObjectID string, table vendorTable) (scalars, columns []string) {
	ent, _ := enterprise(sysObjectID)
	for _, r := range table.forAgent(ent) {
		if r.scalar() {
			scalars = append(scalars, r.oid)
		} else {
			columns = append(columns, r.oid)
		}
	}
	return scalars, columns
}

// forAgent is the rows identification reads for an agent of enterprise
// ent: its own, and on an operating system's agent (Windows's SNMP
// service, net-snmp) also those of the server makers' management agents
// that run on it and report the machine (HP's Insight agents fill
// CPQSINFO-MIB's product name and serial number on a ProLiant whatever
// its OS).
func (t vendorTable) forAgent(ent int) []vendorRow {
	if !osAgent[ent] {
		return t[ent]
	}
	return slices.Concat(t[ent], t[hpEnterprise])
}

// osAgent are the enterprises of operating systems' own SNMP agents:
// Microsoft's, net-snmp's and its UC Davis ancestor's.
var osAgent = map[int]bool{311: true, 8072: true, 2021: true}

// hpEnterprise is Hewlett-Packard's (Compaq's) private enterprise number.
const hpEnterprise = 232

// vendorTable is the table identification reads: the embedded one unless
// a test gave another (TestIdentifySetC's held-out run).
func (vs *values) vendorTable() vendorTable {
	if vs.vendor != nil {
		return vs.vendor
	}
	return vendorOIDs()
}

// without returns the table less the rows drop names.
func (t vendorTable) without(drop func(vendorRow) bool) vendorTable {
	out := vendorTable{}
	for ent, rows := range t {
		out[ent] = slices.DeleteFunc(slices.Clone(rows), drop)
	}
	return out
}

// vendorProbeRows is how many objects of an unknown enterprise's subtree
// identity reads: enough for the identity group most vendor MIBs start
// with (on setC's development families, the first 20 objects hold the
// serial on 38 % of devices and the firmware on 17 %). 30 reach the
// identity group behind a first table of sensors or ports (Hirschmann,
// FS, Dantherm: development families blind 439→441 models, 501→502
// firmware, 257→261 serials); 40 add a few more but ask an agent for 80
// objects in one GETBULK, where some truncate or refuse. Instead, when the
// probe leaves a field empty and has not walked out of the maker's MIB,
// one continuation reads the next 30 (probeDeeper): development families
// blind 508→509 models, 550→555 firmware, 271→276 serials, for 259 more
// requests over setC's 1,115 devices.
const vendorProbeRows = 30

// vendorRoots are the subtrees identity probes when a field is still
// empty: first the product's own branch, the sysObjectID itself (vendors
// register a product's MIB under the OID its agent reports, as Dell's
// iDRAC at 674.10892.5 or Eaton's ePDU at 534.6.6.7 do), then the
// enterprise's root, also when the vendor table has rows for it: they
// were written for other products, and a field still empty is one they
// did not answer (on setC's development families scored without their
// own rows, serials 56 → 62 %). Agent software such as net-snmp, and an
// agent whose sysObjectID names no enterprise ("1.3.6.1.4.1.0", "0.0"),
// get agentRoots instead: their own subtree says nothing of the product.
func vendorRoots(sysObjectID string) []string {
	ent, _ := enterprise(sysObjectID)
	if agentOnly[ent] || ent <= 0 {
		return agentRoots
	}
	root := "1.3.6.1.4.1." + strconv.Itoa(ent)
	var roots []string
	if p := strings.TrimPrefix(sysObjectID, "."); below(p, root) && isDottedOID(p) {
		roots = append(roots, p)
	}
	return append(roots, root)
}

// agentRoots are where identity looks for the maker's own MIB on an
// agent whose sysObjectID names only its software (net-snmp on an
// appliance: a Teltonika router, a Grandstream adapter, an FM
// transmitter): the enterprises below UCD-SNMP's (2021), those between it
// and net-snmp's (8072), and those after. The agent software's own
// objects are skipped (addSubtree); what is left is the maker's, whose
// version and serial then come before the kernel's release (readFields).
var agentRoots = []string{"1.3.6.1.4.1", "1.3.6.1.4.1.2022", "1.3.6.1.4.1.8073"}

// addSubtree keeps the octet-string objects of a subtree probe that lie
// under its roots, at most vendorProbeRows per root, the first root's
// first: a GETBULK answer interleaves its columns. Under agentRoots it
// keeps only objects of other enterprises than the agent software's, once
// each, and marks the values as the maker's MIB behind a software agent.
// A table's decimal readings are left out (readingCells).
// Scalars come before table cells: a MIB's identity group is scalars
// (model, version, serial), its tables hold readings ("33.953", "3.280").
func (vs *values) addSubtree(roots []string, vars []gosnmp.SnmpPDU) {
	vs.addSubtreeN(roots, vars, vendorProbeRows)
}

// addSubtreeN is addSubtree keeping at most perRoot objects per root
// (the continuation's first and second probes together); it replaces
// what an earlier call kept.
func (vs *values) addSubtreeN(roots []string, vars []gosnmp.SnmpPDU, perRoot int) {
	before := vs.probed()
	defer vs.keepReadings(before)
	vs.subtree, vs.subtreeScalars, vs.behindAgent, vs.maker, vs.walkedOctets = nil, 0, false, 0, nil
	vs.guessed = subtreeGuesses{}
	x := vs.probeIndexFor(roots, vars)
	var once bool // each walked object's name once: vs.walked holds the very varbind's text
	vs.walked, once = x.walkedMap()
	behind := slices.Equal(roots, agentRoots)
	seen := map[string]bool{}
	var cells []value // table cells, after the scalars
	same, zeroRows := x.same, x.zeroRows
	for _, root := range roots {
		n := 0
		for _, v := range vars {
			if n == perRoot {
				break
			}
			name := strings.TrimPrefix(v.Name, ".")
			if !below(name, root) || v.Type != gosnmp.OctetString || seen[name] || x.reading(v.Name) {
				continue
			}
			ent, _, _ := strings.Cut(strings.TrimPrefix(name, "1.3.6.1.4.1."), ".")
			if behind && agentOnly[atoi(ent)] || selfIndexed(name, v.Value) {
				continue
			}
			if behind && vs.maker == 0 {
				vs.maker = atoi(ent)
			}
			if behind {
				vs.walkedOctets = keepOctets(vs.walkedOctets, v)
			}
			if val, ok := walkedValue(vs.walked, once, name, v); ok {
				seen[name], val.name = true, name
				if strings.HasSuffix(name, ".0") && !zeroRows[name] {
					vs.subtree = append(vs.subtree, val)
					vs.subtreeScalars++
				} else {
					val.repeated, val.zeroRow = same[name], zeroRows[name]
					cells = append(cells, val)
				}
				vs.behindAgent = behind
				n++
			}
		}
	}
	vs.subtree = append(vs.subtree, cells...)
	if !behind && len(vs.subtree) == 0 {
		vs.addNextEnterprise(roots[len(roots)-1], vars)
	}
}

// selfIndexed reports a table cell whose row index spells its own text
// (an OLT's ONUs listed by their serial numbers, "…12.85.66.78.84…" for
// "UBNT…"): an entry of a list of other devices keyed by name, not the
// device's own model or serial.
func selfIndexed(name string, val any) bool {
	b, ok := val.([]byte)
	if !ok || len(b) < 3 || len(b) > 64 {
		return false
	}
	// name ends with ".b0.b1….bn", compared arc by arc from the end
	// (no string built: this runs on each octet string of each probe)
	end := len(name)
	for i := len(b) - 1; i >= 0; i-- {
		dot := strings.LastIndexByte(name[:end], '.')
		if dot < 0 || !decimalArc(name[dot+1:end], b[i]) {
			return false
		}
		end = dot
	}
	return true
}

// decimalArc reports whether arc is c's decimal digits as strconv.Itoa
// writes them (no sign, no leading zero).
func decimalArc(arc string, c byte) bool {
	if arc == "" || len(arc) > 3 || arc[0] == '0' && len(arc) > 1 {
		return false
	}
	n := 0
	for i := range len(arc) {
		if arc[i] < '0' || arc[i] > '9' {
			return false
		}
		n = n*10 + int(arc[i]-'0')
	}
	return n == int(c)
}

// listed reports a table cell of the enterprise the walk ran into next
// (addNextEnterprise) whose column's other rows hold other names: an
// entry of a list (a storage array's LUNs "LUN-01", "LUN-02",
// "LUN-R640"), not the device's model.
func (vs *values) listed(v value) bool {
	i := strings.LastIndexByte(v.name, '.')
	if i < 0 || !v.elsewhere || strings.HasSuffix(v.name, ".0") {
		return false
	}
	col := v.name[:i+1]
	for n, o := range vs.walked {
		if n != v.name && strings.HasPrefix(n, col) && !strings.Contains(n[len(col):], ".") && !o.number && o.text != "" && o.text != v.text {
			return true
		}
	}
	return false
}

// walkedObject is one object of a probe's answer under its roots, by
// name, for besideModel: an octet string as text, an unsigned number as
// its decimal digits, other types (an object identifier, a counter, time
// ticks) by name only (probeIndex.walked).
func walkedObject(name string, v gosnmp.SnmpPDU) value {
	val := value{name: name}
	switch v.Type {
	case gosnmp.OctetString:
		val, _ = decodeValue(v)
		val.name = name
	case gosnmp.Integer, gosnmp.Gauge32, gosnmp.Uinteger32:
		if n, ok := pduUint(v); ok {
			val.text, val.number = strconv.FormatUint(n, 10), true
		}
	case gosnmp.IPAddress:
		val.address = true
	case gosnmp.ObjectIdentifier:
		val.pointer, _ = v.Value.(string)
		val.pointer = strings.TrimPrefix(val.pointer, ".")
	}
	return val
}

// walkedValue is decodeValue(v) for the octet string v named name, taken
// from the probe's map (walked, probeIndex) when v is the one object of that name
// it holds (once: no name walked twice), not decoded again (addSubtreeN
// reads each octet string of each probe).
func walkedValue(walked map[string]value, once bool, name string, v gosnmp.SnmpPDU) (value, bool) {
	if _, ok := v.Value.([]byte); ok && once && v.Type == gosnmp.OctetString {
		if w, ok := walked[name]; ok {
			return value{text: w.text}, true
		}
	}
	return decodeValue(v)
}

// addNextEnterprise keeps, when nothing answered under the agent's own
// enterprise, the octet strings of the enterprise the walk ran into next
// (at most vendorProbeRows, scalars first): a maker that registered a
// second enterprise puts its MIB there while sysObjectID names the first
// (Polycom's 2684 and 13885, Ubiquiti's 10002 and 41112, Avaya's 1916 and
// Nortel's 2272, Cisco's 9 and Airespace's 14179). The walk past an empty
// subtree costs no request: the GETBULK that found it empty returned
// them. Agent software's enterprises (net-snmp's) are skipped, as behind
// a software agent; the values count as the maker's MIB found elsewhere.
func (vs *values) addNextEnterprise(root string, vars []gosnmp.SnmpPDU) {
	const private = "1.3.6.1.4.1."
	own := atoi(strings.TrimPrefix(root, private))
	if !strings.HasPrefix(root, private) || own <= 0 {
		return
	}
	next, seen := -1, map[string]bool{}
	var scalars, cells []value
	vs.walked = maps.Clone(vs.walked) // the probe's index's, and the last pass's
	for _, v := range vars {
		name := strings.TrimPrefix(v.Name, ".")
		rest, ok := strings.CutPrefix(name, private)
		if !ok || v.Type != gosnmp.OctetString || seen[name] {
			continue
		}
		e, _, _ := strings.Cut(rest, ".")
		n := atoi(e)
		if n <= own || agentOnly[n] || next >= 0 && n != next {
			continue
		}
		val, ok := decodeValue(v)
		if !ok || len(scalars)+len(cells) == vendorProbeRows {
			continue
		}
		next, seen[name] = n, true
		val.name, val.elsewhere = name, true
		vs.walked[name] = val
		if strings.HasSuffix(name, ".0") {
			scalars = append(scalars, val)
		} else {
			cells = append(cells, val)
		}
	}
	vs.subtree, vs.subtreeScalars = append(scalars, cells...), len(scalars)
	vs.behindAgent = len(vs.subtree) > 0
}

// atoi is strconv.Atoi without the error: -1 for what is not a number.
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// Shapes a guess picks from an unknown vendor's first objects: a version
// ("1.2.3", "v4.5.6-r2", after one letter of the maker's: "s4.82-091002-1cb24s")
// and a serial number (6 to 32 letters and digits, 5 beside the model,
// with a digit, not a MAC address, not a version; 32 is
// entPhysicalSerialNum's size, RFC 6933, and Dell's part-and-serial
// numbers take 28).
var (
	guessVersionRe = &lazyre.Regexp{Expr: `^[A-Za-z]?\d+(?:\.\d+){1,3}(?:[\-_.+]?[\w()]+)*$`}
	macLike        = &lazyre.Regexp{Expr: `^(?:[0-9A-Fa-f]{12}|[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5})$`} // not "1113-8637-D091"
)

// numberedName is a port's, an outlet's or a slot's name and its number
// ("ETHER4", "OUTLET1", "SLOT-01"): a part of the device, not its serial.
var numberedName = &lazyre.Regexp{Expr: `^[A-Z]{3,}[\-_ ]?\d{1,2}$`}

// burnedInMAC reports a MAC address printed as text that a maker could
// have burned in: a run of twelve hexadecimal digits, six octets joined
// by colons or hyphens, or macGroups, not all decimal digits (one in 300 MAC
// addresses has no letter; twelve digits are a serial number). A bare
// run whose first octet has the multicast or the locally administered
// bit set (RFC 7042 section 2.1) is no such address: a serial number in
// hexadecimal ("A2002DED0259").
func burnedInMAC(t string) bool {
	if matches(macGroups, t) && !isDigits(strings.ReplaceAll(t, "-", "")) {
		return true
	}
	if !matches(macLike, t) || isDigits(t) {
		return false
	}
	if len(t) == 12 {
		b, err := strconv.ParseUint(t[:2], 16, 8)
		return err == nil && b&3 == 0
	}
	return true
}

// macGroups is a MAC address the way Huawei and H3C print it, three
// groups of four lower-case hexadecimal digits ("488e-ef71-6490"); an
// upper-case one is a serial number's shape ("2935-3BAB-7549").
var macGroups = &lazyre.Regexp{Expr: `^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$`}

// The kinds of guess, numbered in one block so that no two share a value.
const (
	guessVersion = iota + 1
	guessSerial
	// guessModel: a product name among an unknown vendor's first objects.
	guessModel
	// guessScalarModel is guessModel among the subtree's first
	// identityScalars scalars only, not a processor's name: the identity
	// group a vendor MIB opens with ("PowerEdge R540", APC's
	// upsBasicIdentModel "Smart-UPS 750", Cambium's "PMP 450"). It comes
	// before Recog's and the generic sysDescr grammars, which read a
	// management card's or a product line's name where the maker's MIB names
	// the device; the whole subtree, sensor and port tables included, stays
	// a last resort (on setC's development families scored blind, models
	// 447 → 459 of 660, all of setC 632 → 633).
	guessScalarModel
	// guessNamedModel is a product's name without a number among the
	// identity group's scalars, after every other model source but the
	// Linux architecture: "BIG-IP Virtual Edition", ABB's "PowerScale".
	guessNamedModel
	// guessSerialShaped is guessSerial without its last resort, a value
	// shaped like a product number too
	guessSerialShaped
	// guessMakerModel is a product the maker names after itself among
	// its first objects, scalars first ("Check Point 3200" behind the
	// appliance's disk and sensor tables): see makerModel.
	guessMakerModel
	// guessBesideModel is the serial number beside the object that
	// names the model found: see besideModel.
	guessBesideModel
	// guessMACSerial is a MAC address the maker's identity group gives
	// where a serial number would be: see macSerial.
	guessMACSerial
	// guessBesideSerial is a part number just after the object that
	// gives the serial number: see besideSerial.
	guessBesideSerial
	// guessBesideVersion is a unit's number in decimal digits just
	// before the object that gives the version: see besideVersion.
	guessBesideVersion
	// guessBeforeVersion is the product's name just before the object
	// that gives the version: see beforeVersion.
	guessBeforeVersion
	// guessProductModel and guessProductSerial are the model and the
	// serial number of a product line among the maker's objects: see
	// productLineFields.
	guessProductModel
	guessProductSerial
)

// guess picks the first subtree value of the wanted shape (twelve decimal
// digits are a serial number, not a MAC address: one in 300 MAC
// addresses has no hexadecimal letter). A version is
// not a reading ("33.953", "26.44": two numbers, the first above 19, the
// shape of a temperature or a voltage); a serial number is not a product
// name: not mixed case ("RAy3-24", "FortiVoice-500F") and not a word of
// sysDescr unless all digits (a description may end with the unit's
// number: "SFD 130128673", not a build's: "generic build 16386292"). Where no object is a bare serial, one a label
// names inside a longer text is taken ("PDU System v1.05 (SN 1113016920004)").
func (vs *values) guess(kind int) string {
	if st := vs.stamp(); st != vs.guessStamp {
		vs.guesses, vs.guessStamp = nil, st // the objects changed (addSubtreeN; a test sets them)
	}
	k := guessKey{kind, vs.model, vs.sysOID}
	if kind == guessModel {
		k.model = "" // modelFromSubtree reads the model found only through vs.guessed, kept for the pass
	}
	if g, ok := vs.guesses[k]; ok {
		return g
	}
	g := vs.guessAnew(kind)
	if vs.guesses == nil {
		vs.guesses = map[guessKey]string{}
	}
	vs.guesses[k] = g
	return g
}

// guessKey is what a guess's answer depends on besides the objects read,
// whose every change (probeStamp) clears values.guesses: the kind, the model found so
// far (the serial beside it, the parts it is not) and the agent's
// sysObjectID (the maker's name).
type guessKey struct {
	kind          int
	model, sysOID string
}

// guessAnew is guess, computed.
func (vs *values) guessAnew(kind int) string {
	if m, ok := vs.modelGuess(kind); ok {
		return m
	}
	if s, ok := vs.serialGuess(kind); ok {
		return s
	}
	shaped := kind == guessSerialShaped
	if shaped {
		kind = guessSerial
	}
	descr := strings.ToLower(vs.descr)
	modelShaped := "" // a serial's shape that is a product name's too
	labelled := ""    // a version after its label
	leading := ""     // a version of three numbers or more before other words
	short := ""       // a bare version of two numbers
	suffixed := ""    // a two-number version with a build or a date
	for i, v := range vs.subtree {
		t := vs.guessText(kind, v.text)
		if kind == guessSerial && vs.componentRow(v) {
			continue // a port's or a module's serial number (an SFP's), not the device's
		}
		switch {
		case t == "", kind == guessSerial && (zeroSerial(t) || v.repeated || vs.match(numberedName, t) || vs.repeatedText(t) || vs.serialCandidate(i, t, descr, labelled) && vs.anotherPart(v)): // a placeholder, a part's: the next object may hold the number
		case kind == guessVersion && (addressLike(t) || vs.match(dottedCodes, t)):
		case kind == guessVersion && vs.versionShaped(t):
			if t = vs.softwareAfter(i, t); strings.Count(t, ".") >= 2 {
				return t
			}
			if suffixed == "" && strings.ContainsAny(t, " (") {
				suffixed = t // "1.17 Build 21091612": a build or date names it a release
			}
			if short == "" {
				short = t // "2.4" may be a hardware revision: a longer version after it is the software's
			}
		case kind == guessVersion && short == "" && vs.match(releaseShape, t):
			short = t // "R80.10", "V100R011C00SPC200": a release by its name's shape
		case kind == guessVersion && labelled == "" && vs.versionLabelled(t, &labelled):
		case kind == guessVersion && leading == "" && vs.match(leadingVersion, t):
			leading = vs.submatch(leadingVersion, t)[1]
		case kind == guessSerial && vs.modelSerial(t):
			return t
		case kind == guessSerial && (len(t) >= 6 || vs.loneScalar(i, t)) && serialShape(t, descr):
			if !modelLike(t) {
				return t
			}
			if modelShaped == "" && !hyphenatedPart(t) { // "EDS-G516E-T", "S9610-36D-R": the product's number
				modelShaped = t
			}
		case kind == guessSerial && labelled == "" && vs.match(labelledSerial, t):
			labelled = vs.submatch(labelledSerial, t)[1]
		}
	}
	if kind == guessVersion {
		// A version named in a longer text ("RUT2XX_R_00.01.07.1",
		// "Ver11.10"), or one of three numbers or more that opens one
		// ("V.10.2.9.102 IPv6, IPSec, PBX from 2021/03/16"), before a bare
		// two-number one, which is as often a reading or a hardware
		// revision ("14.1", "0.36", Bintec's "1.0"), but not before one a
		// build or a date follows.
		return cmp.Or(suffixed, labelled, leading, short, vs.taggedVersion())
	}
	if shaped {
		return labelled
	}
	return cmp.Or(modelShaped, labelled)
}

// versionLabelled reports whether one of guess's labelled-version cases
// takes t, in their order, setting *labelled when the case reads a
// version from it (a case may take t and read none: the next object may
// hold the number).
func (vs *values) versionLabelled(t string, labelled *string) bool {
	switch {
	case vs.phrased(t, labelled):
	case vs.match(labelledVersion, t):
		// "Release 2.11", "Firmware: 1.4.2": the number after the label,
		// when no object holds a bare version
		if u := labelledVersion.ReplaceAllString(t, ""); versionShape(u) && !readingLike(u) {
			*labelled = u
		}
	case vs.match(productVersion, t):
		m := vs.submatch(productVersion, t)
		*labelled = m[1] + m[2]
	case vs.match(namedVersion, t):
		if u := vs.submatch(namedVersion, t)[1]; !readingLike(u) {
			*labelled = u
		}
	case vs.match(productBanner, t):
		*labelled = vs.submatch(productBanner, t)[2]
	case codeRelease(t, labelled) || vs.releaseNamed(t, labelled):
	default:
		return false
	}
	return true
}

// serialCandidate reports whether one of guess's serial cases would take
// the i-th object's text t (labelled: the labelled serial found so far):
// whether anotherPart, which costs more than them, need be asked.
func (vs *values) serialCandidate(i int, t, descr, labelled string) bool {
	return vs.modelSerial(t) || (len(t) >= 6 || vs.loneScalar(i, t)) && serialShape(t, descr) || labelled == "" && vs.match(labelledSerial, t)
}

// serialGuess answers the serial guesses that read the subtree their
// own way (guessBesideModel, guessMACSerial); ok is false for the others.
func (vs *values) serialGuess(kind int) (s string, ok bool) {
	switch kind {
	case guessBesideModel:
		return vs.besideModel(), true
	case guessMACSerial:
		return vs.macSerial(), true
	case guessBesideVersion:
		return vs.besideVersion(), true
	case guessProductSerial:
		_, s = vs.productLineFields()
		return s, true
	}
	return "", false
}

// macSerial is guessMACSerial's answer, the serial number's last resort:
// the first scalar opening a group of the maker's MIB (opensGroup) that
// is a burned-in MAC address, when no object had a serial number's shape. Makers that
// number their units by their MAC address put it in the serial's place
// (Patton's SmartNode "00A0BA0BD1EC", Ubiquiti's UISP Fiber OLT
// "04:18:d6:a2:fe:6a"); the plain guess refuses MAC addresses because a
// group that lists one beside the serial lists the serial too. Not a
// table's cell (a port's or a client's address), not one beside an IP
// address (a network settings group's: AKCP's sensorProbe lists its
// address, then its MAC), not a placeholder ("00:11:22:33:44:55", one
// digit repeated). One beside the object that names the model found is
// the unit's number too, wherever the group puts the pair (Silver Peak's
// identity group: version, model "ECS", then "00-1B-BC-AA-AA-AA").
func (vs *values) macSerial() string {
	for _, v := range vs.subtree[:vs.subtreeScalars] {
		t := tidy(v.text)
		if burnedInMAC(t) && !v.repeated && !placeholderMAC(t) && (opensGroup(v.name) || vs.besideModelObject(v.name)) &&
			!slices.ContainsFunc(vs.siblings(v.name), func(o value) bool { return o.address }) {
			return t
		}
	}
	return ""
}

// besideModelObject reports whether name is an object besideObjects
// finds beside one of the maker's objects whose text is the model found.
func (vs *values) besideModelObject(name string) bool {
	if len(vs.model) < 3 {
		return false
	}
	for _, v := range vs.subtree {
		if v.name != "" && strings.EqualFold(tidy(v.text), vs.model) &&
			slices.ContainsFunc(vs.besideObjects(v.name), func(n value) bool { return n.name == name }) {
			return true
		}
	}
	return false
}

// opensGroup reports a scalar that is its group's first or second
// object (…1.0, …2.0): where a MIB's identity group names the unit, its
// name and number first (Patton's "00A0BA0BD1EC" at 1.0, Ubiquiti's OLT
// name then its MAC at 2.0). A MAC address further down a group is a
// network setting (DrayTek's LanMac, 7367.3.8.0, after the model,
// firmware, build date and memory use), not the unit's number.
func opensGroup(name string) bool {
	arcs := strings.Split(name, ".")
	return len(arcs) >= 2 && arcs[len(arcs)-1] == "0" && (arcs[len(arcs)-2] == "1" || arcs[len(arcs)-2] == "2")
}

// placeholderMAC reports a MAC address a template or a redaction left:
// the digits counted up ("00:11:22:33:44:55") or one digit repeated.
func placeholderMAC(t string) bool {
	h := strings.ToLower(strings.NewReplacer(":", "", "-", "", ".", "").Replace(t))
	return h == "001122334455" || strings.Count(h, h[:1]) == len(h)
}

// serialShape reports whether t, an object of the maker's MIB, has a
// serial number's shape: see guess.
func serialShape(t, descr string) bool {
	t = unmasked(t)
	return serialChars(t) && strings.ContainsAny(t, "0123456789") &&
		!burnedInMAC(t) && !guessVersionRe.MatchString(t) && (!isDigits(t) || len(t) >= 7) &&
		!(strings.ToUpper(t) != t && strings.ToLower(t) != t) && (isDigits(t) && !buildNumber(descr, t) || !strings.Contains(descr, strings.ToLower(t))) &&
		!dateLike.MatchString(t) && !lowerName.MatchString(t) && !shortGroups(t) && !wordRun(t) && !dateStamped(t)
}

// serialChars reports a serial number's characters: 5 to 32 ASCII
// letters, digits and hyphens, a letter or digit first (the expression
// ^[A-Za-z0-9][A-Za-z0-9\-]{4,31}$, written out: it runs on each object
// for each serial guess).
func serialChars(t string) bool {
	if len(t) < 5 || len(t) > 32 {
		return false
	}
	for i := range len(t) {
		c := t[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' && i > 0) {
			return false
		}
	}
	return true
}

// shortGroups reports three or more hyphen-joined groups of at most three
// characters ("330-2-C1": a model, its revision and build), a code's
// shape, not a serial number's.
func shortGroups(t string) bool {
	n := 0 // strings.Split's groups, not cut: the guesses ask this of each object
	for p := range strings.SplitSeq(t, "-") {
		if len(p) > 3 {
			return false
		}
		n++
	}
	return n >= 3
}

// besideModel is guessBesideModel's answer: a serial number's shape in
// the object after, else before, the one of the maker's MIB that names
// the model found (its text, or a word of it), in the same row or group
// (the nearest column the walk found): a MIB lists a unit's model and
// serial number side by side (a PDU tower's row "KAXV1234567" before
// "CS-24V4-P32MA", a databus unit's model then its serial, jnxBoxDescr
// then jnxBoxSerialNo, a radio's model then its serial as a number). An
// earlier object the plain guess would take is as often a management
// card's serial or a production batch's. Beside the model five
// characters with a letter are a serial too (Juniper's "F8223"), and an unsigned
// number of seven digits or more, not a round one (a reading: a
// frequency in kHz, a memory's or a disk's bytes), or a serial and its revision's letter
// after spaces (Socomec's "YD17190028  A"), not a product number, nor a
// code that opens with the model's name (an order code).
func (vs *values) besideModel() string {
	if len(vs.model) < 3 {
		return ""
	}
	descr := strings.ToLower(vs.descr)
	code := cmp.Or(vs.fullCode(vs.model), vs.model) // the maker's code's part number ("UFI_S9510-28DC": "S9510-28DC-B")
	for _, v := range vs.subtree {
		if t := tidy(v.text); v.name == "" || !strings.EqualFold(t, vs.model) && !hasWord(t, vs.model) && t != code {
			continue
		}
		for _, n := range vs.besideObjects(v.name) {
			if vs.componentRow(n) {
				continue
			}
			t := tidy(n.text)
			u := t // a serial and its revision's letter ("YD17190028  A") as one
			if f := strings.Fields(t); len(f) == 2 && len(f[1]) == 1 {
				u = f[0] + f[1]
			}
			if n.number && len(t) >= 7 && !zeroSerial(t) && !roundNumber(t) ||
				!n.number && !n.repeated && !zeroSerial(u) && serialShape(u, descr) && (!modelLike(u) || alnumRuns(u) >= 6) && !productNumber(u) &&
					(len(u) >= 6 || strings.ContainsFunc(u, unicode.IsLetter)) && // "02-02": a revision or a date
					!strings.HasPrefix(strings.ToUpper(u), strings.ToUpper(vs.model)) { // "RUT950002XXX": the model's order code
				return t
			}
		}
	}
	return ""
}

// roundNumber reports a reading's or a limit's shape, not a serial
// number's: a multiple of 1000 (a frequency in kHz) or of 1024 (a
// disk's bytes), or one less than a power of two (2^31-1, a counter's
// maximum).
func roundNumber(t string) bool {
	n, err := strconv.ParseUint(t, 10, 64)
	return err != nil || n%1000 == 0 || n%1024 == 0 || n&(n+1) == 0
}

// besideObjects are the objects the probe walked in the nearest column
// after name's, then before it, in the same row or group (the same
// name but its next-to-last arc).
func (vs *values) besideObjects(name string) []value {
	last := strings.LastIndexByte(name, '.')
	if last < 0 {
		return nil
	}
	prefix, index := ".", name[last:] // the name less its last two arcs, with the dot; its last arc, with the dot
	col := atoi(name[:last])
	if j := strings.LastIndexByte(name[:last], '.'); j >= 0 {
		prefix, col = name[:j+1], atoi(name[j+1:last])
	}
	var after, before value
	for n := range vs.walkIdx().arcsBelow(prefix, 1) { // a column's number is one arc: the walk's names of two arcs below prefix, not all of them
		c, ok := strings.CutSuffix(n[len(prefix):], index)
		if !ok {
			continue
		}
		v := vs.walked[n]
		switch i := atoi(c); {
		case i > col && (after.name == "" || i < atoi(after.col())):
			after = v
		case i >= 0 && i < col && (before.name == "" || i > atoi(before.col())):
			before = v
		}
	}
	return []value{after, before}
}

// col is the next-to-last arc of the value's name, its column.
func (v value) col() string {
	i := strings.LastIndexByte(v.name, '.') // the arc before the last, not cut into arcs
	if i < 0 {
		return v.name
	}
	return v.name[strings.LastIndexByte(v.name[:i], '.')+1 : i]
}

// modelGuess is guess for the kinds that guess a model; ok is false for
// the others.
func (vs *values) modelGuess(kind int) (m string, ok bool) {
	switch kind {
	case guessModel:
		return vs.modelFromSubtree(vs.subtree), true
	case guessScalarModel:
		return vs.identityModel(), true
	case guessNamedModel:
		return vs.namedIdentity(), true
	case guessBesideSerial:
		return vs.besideSerial(), true
	case guessMakerModel:
		return vs.makerModel(), true
	case guessBeforeVersion:
		return vs.beforeVersion(), true
	case guessProductModel:
		m, _ = vs.productLineFields()
		return m, true
	}
	return "", false
}

// softwareAfter is the last version later in the i-th object's table row
// (rowSoftware), else the subtree's object after the i-th, t, when it is a
// longer version: a MIB that gives the hardware's revision and then the
// software's (DCN's "1.0.1" then "7.5.3.0(R0016.0036)"); else t. One of
// the same length keeps t (Helios IP's "2.22.0.31.8" before "2.8.0.17.1").
func (vs *values) softwareAfter(i int, t string) string {
	if n := vs.rowSoftware(vs.subtree[i].name); n != "" {
		return n
	}
	if i+1 < len(vs.subtree) {
		if n := tidy(vs.subtree[i+1].text); strings.Count(n, ".") > strings.Count(t, ".") && versionShape(n) && !readingLike(n) && !addressLike(n) {
			return n
		}
	}
	return t
}

// rowSoftware is the last version in a later column of the table row
// name lies in, "" when none: a unit's row lists its revisions hardware
// first, boot code next, the running software last (3Com's stack unit
// "2.03" then "3.00", Accton's unit "0.0.2.7", "1.0.0.4", then
// "1.0.2.3"). On setC, firmware 738 → 740 of 796; development families
// scored blind 592 → 593 of 657, held-out blind 127 → 128 of 139.
func (vs *values) rowSoftware(name string) string {
	arcs := strings.Split(name, ".")
	if len(arcs) < 3 || arcs[len(arcs)-1] == "0" {
		return ""
	}
	col := atoi(arcs[len(arcs)-2])
	prefix, index := strings.Join(arcs[:len(arcs)-2], ".")+".", "."+arcs[len(arcs)-1]
	best, bestCol := "", col
	for n, v := range vs.walked {
		rest, ok := strings.CutPrefix(n, prefix)
		c, ok2 := strings.CutSuffix(rest, index)
		if !ok || !ok2 || v.number || strings.Contains(c, ".") {
			continue
		}
		t := tidy(v.text)
		if i := atoi(c); i > bestCol && versionShape(t) && !readingLike(t) && !addressLike(t) {
			best, bestCol = t, i
		}
	}
	return best
}

// rowContinues reports whether later is the software's version that
// rowSoftware finds in the row of a walked cell that reads first: the
// first probe ended between a unit's hardware revision and its
// software's (Alpine's amplifier row "V1.0", then "V1.1.1"), which the
// continuation read.
func (vs *values) rowContinues(first, later string) bool {
	if first == "" || later == "" || first == later {
		return false
	}
	for n, v := range vs.walked {
		if !v.number && tidy(v.text) == first && vs.rowSoftware(n) == later {
			return true
		}
	}
	return false
}

// numberedItem is a part's or a reading's name and its number ("Module
// 1", "Switch Sen 1", "MainsVolt 1", "Klubbin RX1 Line_1", a storage
// pool's "Pool-1"), or a sensor's name after its number ("08-HD Max",
// "01-Inlet Ambient": HP's server sensors, which Check Point's appliance
// MIB lists as scalars), not a model.
var numberedItem = &lazyre.Regexp{Expr: `^[A-Za-z]+(?: [A-Za-z]+)* \d{1,2}$|\s\w+_\d{1,2}$|^[A-Z][a-z]+-\d{1,2}$|^\d{1,2}-[A-Z]`}

// namedIdentity is guessNamedModel's answer: the first of the identity
// group's scalars that is a product's name without a number (properName:
// "BIG-IP Virtual Edition", "PowerScale"), not the host's name (the
// maker's name first refuses).
func (vs *values) namedIdentity() string {
	group := vs.subtree[:min(vs.subtreeScalars, identityScalars)]
	// Among readings ("Sec Colo", "20.4", "OPEN") a name is a sensor's
	// place.
	if slices.ContainsFunc(group, func(v value) bool { t := tidy(v.text); return t != "" && readingLike(t) }) {
		return ""
	}
	for _, v := range group {
		t := tidy(v.text)
		if slices.ContainsFunc(group, func(o value) bool { return softwareOf(t, tidy(o.text)) }) {
			continue // the agent software's name, another object its version ("OMI" of "OMI SNMP V4.00")
		}
		if len(t) < 3 || len(t) > 40 || strings.ContainsAny(t, "0123456789<>&|") || vs.hostPart(t) || matches(notModelWord, t) ||
			slices.ContainsFunc(strings.Fields(t), func(w string) bool { return len(w) < 2 }) && !variantLetter.MatchString(t) || // "f X": noise
			isGenericWord(strings.Fields(t)[0]) || // a state ("On Hook", "No EDFA available")
			strings.Contains(t, " ") && strings.ToUpper(t) == t { // a site's label ("GOLF CLUB")

			continue
		}
		if properName(t) != "" {
			return t
		}
	}
	return ""
}

// productNumberDescr is a description that is nothing but a product
// number (standardModel); makerCommaProduct the numbered product after
// the maker's name and a comma, or between it and the system and release
// in brackets (makerDescribed).
var (
	productNumberDescr = &lazyre.Regexp{Expr: `^\s*([A-Z][A-Za-z0-9]*-[A-Za-z0-9\-]*\d[A-Za-z0-9\-]*)\s*$`}
	makerCommaProduct  = &lazyre.Regexp{Expr: `^[A-Z][\w.]*(?: [A-Z][\w.]*)?, ([A-Z][\w\-/]*\d[\w\-/]*),|` +
		`^[A-Z][\w.]* ([A-Z][A-Za-z]* \d{2,5}[A-Za-z]{0,2}|[A-Z][A-Za-z]*-?\d[\w\-/]*) \([A-Z][\w\-]*(?: [A-Z][a-z]+)? v?\d+(?:\.\d+)+[\w\-.]*\)$`}
)

// makerDescribed is the numbered product a description names after the
// maker's name and a comma ("Tait Communications, TB9300/TB7300, DMR
// Base Station, …") or before the system and its release in brackets,
// "<maker> <series> <number> (<system> [<edition>] <release>)", the
// grammar of SonicWall's line from SonicOS Enhanced to 7 ("SonicWALL TZ
// 670 (SonicOS 7.1.1-7058)", "SonicWALL NSA 220 (SonicOS Enhanced
// 5.8.1.2-20o)"): the maker's own words, tried before a guess among
// its first objects, which may be a channel's name ("LIN-1"), or a
// fingerprint that takes the bracket for the product. The maker is the
// first word of the sysObjectID's enterprise.
func makerDescribed(vs *values) source {
	return source{descr: true, re: makerCommaProduct}.then(func(s string) string {
		first, _, _ := strings.Cut(vs.tidyDescr(), " ")
		if maker := vs.makerWord(); maker == "" || !strings.EqualFold(strings.Trim(first, ",."), maker) {
			return ""
		}
		return partNumber(s)
	})
}

// makerWord is the first word of the sysObjectID's enterprise's name
// ("Tait" of "Tait Limited"), "" when shorter than three letters.
func (vs *values) makerWord() string {
	_, maker := enterprise(vs.sysOID)
	first, _, _ := strings.Cut(strings.TrimSpace(maker), " ")
	if first = strings.Trim(first, ",."); len(first) < 3 {
		return ""
	}
	return first
}

// makerModel is guessMakerModel's answer: the first of the maker's
// objects that opens with the maker's name (the enterprise's, the first
// word of it) and names a numbered product after it in at most five more
// words ("Check Point 3200", "Eaton 9PX 1000i RT 2U"), not a version or
// a reading.
func (vs *values) makerModel() string {
	first := vs.makerWord()
	if first == "" {
		return ""
	}
	for _, v := range vs.subtree {
		t := tidy(v.text)
		if makerNamed(t, first) {
			return t
		}
	}
	return ""
}

// makerNamed reports whether t is maker's word, then a numbered product
// in at most five words: see makerModel.
func makerNamed(t, maker string) bool {
	if len(t) > 48 || !openedBy(t, maker) {
		return false // before the words are cut: most objects name no maker
	}
	w := strings.Fields(t)
	if len(w) < 2 || len(w) > 6 {
		return false
	}
	rest := strings.Join(w[1:], " ")
	return strings.ContainsAny(rest, "0123456789") && !dottedNumber.MatchString(rest) && !strings.ContainsAny(rest, ":=,;()<>") &&
		!slices.ContainsFunc(w[1:], func(x string) bool { return versionShape(x) || readingLike(x) })
}

// openedBy reports whether t's first word (strings.Fields') is word in
// any case, without cutting the words.
func openedBy(t, word string) bool {
	for f := range strings.FieldsSeq(t) {
		return strings.EqualFold(f, word)
	}
	return false
}

// softwareOf reports whether the object o names t and a version after
// it: t is the name of the software whose version o gives.
func softwareOf(t, o string) bool {
	rest, ok := strings.CutPrefix(o, t+" ")
	if !ok {
		return false
	}
	return slices.ContainsFunc(strings.Fields(rest), func(w string) bool { return versionShape(w) })
}

// hostPart reports whether t is the host's name (sysName, a Linux
// banner's) or one of its hyphen-, dot- or underscore-joined parts
// ("ABB" of "ABB-acd364-201f0a"): a maker's default host name starts
// with its own.
func (vs *values) hostPart(t string) bool {
	hosts := []string{vs.sysName}
	if m := linuxHost.FindStringSubmatch(vs.descr); m != nil {
		hosts = append(hosts, m[1])
	}
	for _, h := range hosts {
		if strings.EqualFold(t, h) || slices.ContainsFunc(strings.FieldsFunc(h, func(r rune) bool { return r == '-' || r == '.' || r == '_' }),
			func(p string) bool { return strings.EqualFold(p, t) }) {
			return true
		}
	}
	return false
}

// identityModel is guessScalarModel's answer: the model among the
// identity group's scalars, not a processor's name nor a numbered part;
// one that sysDescr
// names as a word comes first ("DELL MD38xxi 0123": MD38xxi, not the
// serial number "ABCD123" before it).
func (vs *values) identityModel() string {
	group := slices.DeleteFunc(slices.Clone(vs.subtree[:min(vs.subtreeScalars, identityScalars)]),
		func(v value) bool { return vs.match(processorName, v.text) || vs.match(numberedItem, tidy(v.text)) }) // read once per values: each pass asks again
	descr := vs.tidyDescr()
	for _, v := range vs.subtree[:vs.subtreeScalars] {
		if m := vs.modelTextOf(v.text); m.final && strings.EqualFold(m.t, descr) && !dottedNumber.MatchString(m.t) && !vs.match(processorName, m.t) {
			// A scalar of the maker's MIB repeats sysDescr, a product's
			// name without a release that no grammar may read ("DINION IP starlight 8000 MP",
			// Bosch's 3967.1.1.5.1.0, the group's fifth): two objects
			// agree, before the group's first scalars (the unit's
			// configured name, a hardware revision).
			return m.t
		}
	}
	for _, v := range group {
		if t := tidy(v.text); vs.descrHead(t, descr) {
			return t // sysDescr's product text, before its attributes
		}
	}
	group = slices.DeleteFunc(group, func(v value) bool { return strings.EqualFold(tidy(v.text), descr) })
	for _, v := range group {
		if t := tidy(v.text); opensDescr(t, descr) {
			return t
		}
	}
	// The group opens with the maker's name and then the model, as
	// UPS-MIB's upsIdent does ("Minuteman", "E1500RTXL2U"): the model,
	// which the serial guess may take for its many runs.
	if len(group) >= 2 && makerShaped.MatchString(tidy(group[0].text)) && !vs.hostPart(tidy(group[0].text)) {
		if t := tidy(group[1].text); modelLike(t) && !strings.Contains(t, " ") && !vs.hostPart(t) {
			return t
		}
	}
	for _, v := range group {
		if hasWord(vs.descr, v.text) {
			if m := vs.modelFromSubtree([]value{v}); m != "" {
				return m
			}
		}
	}
	if m := vs.besideSerialOfTwo(group); m != "" {
		return m
	}
	if m := vs.modelFromSubtree(group); m != "" {
		return m
	}
	// A product number modelLike leaves to the readings for its many
	// digits is taken when it opens the identity group: letters, then
	// hyphenated numbers ("ML-60-30-18"), or one letter and three digits
	// ("R500", "T300": Ruckus's access points); one letter and four
	// digits is as often a short serial number there ("G0290",
	// Juniper's) and is left. On setA and setC, blind or not, the three
	// digits changed only Ruckus's models, both right.
	if len(group) > 0 {
		if t := tidy(group[0].text); shortPartNumber.MatchString(t) && !vs.hostPart(t) {
			return t
		}
	}
	return ""
}

// repeatedText reports whether a table's rows repeat t (a part's type
// or version on every row, "RP0700"): a scalar holding the same text
// names that too, not one device's serial.
func (vs *values) repeatedText(t string) bool {
	return slices.ContainsFunc(vs.subtree, func(v value) bool { return v.repeated && tidy(v.text) == t })
}

// makerShaped is a maker's name alone: one capitalised word of letters.
var makerShaped = &lazyre.Regexp{Expr: `^[A-Z][A-Za-z]{2,19}$`}

// shortPartNumber is the identity group's short product number, see
// identityModel.
var shortPartNumber = &lazyre.Regexp{Expr: `^(?:[A-Z]{2,4}(?:-\d{1,4}){2,3}|[A-Z]\d{3})$`}

// opensDescr reports whether the identity group's value t is the
// product's name sysDescr opens with, the rest of it the release and
// options ("DualSwitch 1000 BM+ I af Desk 2SFP" of "DualSwitch 1000 BM+ I
// af Desk 2SFP SECURE/SNMP/TELNET/WEB/V3.59"): a name of at most eight
// words with a digit, not a version, a kernel banner's start or a
// single word (modelFromSubtree reads those).
func opensDescr(t, descr string) bool {
	return len(t) >= 6 && len(t) <= 64 && strings.Contains(t, " ") && strings.HasPrefix(descr, t+" ") &&
		repeatedName(t) && !dottedNumber.MatchString(t) && !versionShape(strings.Fields(t)[0])
}

// buildNumber reports whether descr names the number n after a label
// of a build or version ("generic build 16386292"): then n is not the
// serial number a description may end with.
func buildNumber(descr, n string) bool {
	i := strings.Index(descr, n)
	if i < 0 {
		return false
	}
	return buildLabel.MatchString(descr[:i])
}

var buildLabel = &lazyre.Regexp{Expr: `(?i)\b(?:build|version|release|rev|ver|v)[\s:#.]*$`}

// releaseShape is a release named the way carrier and security gear
// names them, as a whole object: "R80.10" (Check Point, Nokia), "R6.5.02"
// (Alcatel), "V100R011C00SPC200" and "V200R010" (Huawei VRP), also
// after the product's code ("MA5603V800R018C10B085", SmartAX),
// releaseFirmware's sysDescr shapes.
var releaseShape = &lazyre.Regexp{Expr: `^(?:R\d{1,3}(?:\.\d+){1,3}[a-z]?|(?:[A-Z]{1,4}\d{3,5})?V\d{1,3}R\d{1,3}(?:C\d+)?\w*)$`}

// dottedCodes is eight numbers or more joined by dots and nothing else: an
// object identifier or a text spelled as its character codes
// ("49.57.50.46.49.54…", Dell OS10's "192.168…"), not a version.
var dottedCodes = &lazyre.Regexp{Expr: `^\d+(?:\.\d+){7,}$`}

// addressLike reports an IPv4 address a vendor MIB holds as text (the
// management, gateway or peer address: "10.45.125.89", "192.168.2.160"),
// which has a version's dotted shape: a private, loopback or link-local
// address, or one whose first number is 100 or more. A four-number
// version in public address space ("1.2.0.14") stays a version.
func addressLike(t string) bool {
	if strings.Trim(t, "0123456789.") != "" {
		return false // an IPv4 address is digits and dots (ParseAddr's error allocates: the guess asks this of each object)
	}
	a, err := netip.ParseAddr(t)
	return err == nil && a.Is4() && (a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.As4()[0] >= 100)
}

// taggedVersion is the first identity scalar taggedFirmware matches, "" when none does.
func (vs *values) taggedVersion() string {
	for _, v := range vs.subtree[:min(vs.subtreeScalars, identityScalars)] {
		if t := tidy(v.text); taggedFirmware.MatchString(t) {
			return t
		}
	}
	return ""
}

// taggedFirmware is an identity scalar's firmware in the maker's own
// shape, at most four words with a number first, that ends naming its
// firmware or build and the number ("DKT_F2_Firmware_v05_29",
// "B8.35Build03", "SWPTTDVBTT2_P3_1_02_157 build 1441109757", "7090 4.0
// 01.00.00 Build 2.9.0_p12"): the version guess's last resort, taken
// whole (on setC's development families scored blind, firmware 575 → 578
// of 657, held-out blind 122 → 123 of 139).
var taggedFirmware = &lazyre.Regexp{Expr: `(?i)^[\w.\-]*\d[\w.\-]*(?: [\w.\-]+){0,2}[ _]?(?:firmware|build)[ _]?v?\d[\w.\-]*$`}

// leadingVersion is a version of three numbers or more that words
// follow: a build date or tag ("4.9.00_b0016_Jan  8 2017", "1.6.2203
// 2024/03/19", "V.10.2.9.102 IPv6, …"); the guess takes the version
// when nothing better answers.
var leadingVersion = &lazyre.Regexp{Expr: `^(?:[vV]\.?)?(\d+(?:\.\d+){2,}[\w\-]*)\s+\S`}

// scientific is a number in scientific notation ("1.1E-5"): a reading.
var scientific = &lazyre.Regexp{Expr: `^\d+(?:\.\d+)?[eE][\-+]?\d+$`}

// sensorName is a voltage rail's name ("3.3VCC", "5VSB").
var sensorName = &lazyre.Regexp{Expr: `^\d+(?:\.\d+)?\s?V(?:CC|DD|BAT|SB|IN)$`}

// productVersion is a version the product's name leads
// ("TCW241-v1.252", "FXT201E-v7.4.5-build249", "RUT9_R_00.07.06.16"): the
// guess takes the version when no object holds a bare one.
var productVersion = &lazyre.Regexp{Expr: `^[A-Z][A-Za-z0-9]*\d[A-Za-z0-9]*[\-_][vV](\d+(?:\.\d+)+(?:-build\d+)?)$|^[A-Z][A-Z0-9]*_(?:[A-Z]{1,3}_)?(\d+(?:\.\d+){2,})$`}

// productBanner is a product's name, a "v" and its version, perhaps a
// build date after a dash or the build after a comma ("Tempus LX CDMA
// 6010-0042-000 v 5.70 - Wed Oct 1 04:39:21 UTC 2014", "CS121 v 5.14.50",
// "FortiSwitch-248D-FPOE v3.3.3,build4047,160219 (GA)", AKCP's
// "sensorProbe8 v2.0"): the guesses take the product for the model and
// the number for the version.
var productBanner = &lazyre.Regexp{Expr: `^([A-Za-z][\w\-+/]*(?: [\w\-+/]+){0,4}?)\s+[vV]\s*(\d+(?:\.\d+)+[\w\-]*)(?:\s+-\s.*|,\s?build.*)?$`}

// releaseNameVersion is one word that names a release by its suffix
// ("…Rel", "…Release", "…Build") and its number of three parts: a
// firmware's full name ("KomaracEngRel 22.9.12311", Albentia's).
var releaseNameVersion = &lazyre.Regexp{Expr: `^[A-Z][A-Za-z]*(?:Rel|Release|Build)\s+\d+\.\d+\.\d+$`}

// releaseNamed sets *dst to t when t is a release's name and number
// together (releaseNameVersion) and reports whether it was.
func (vs *values) releaseNamed(t string, dst *string) bool {
	if !vs.match(releaseNameVersion, t) {
		return false
	}
	*dst = t
	return true
}

// namedVersion is a product's name, a version label and the version
// ("Forcepoint NGFW version 6.10.10.26506", "Acme OS Release: 2.4.1"):
// the guess takes the number when no object holds a bare one.
var namedVersion = &lazyre.Regexp{Expr: `(?i)^[a-z][\w\-+ ]{1,40}?\s(?:version|release|firmware|ver\.?)\s*:?\s*v?(\d+(?:\.\d+)+[\w\-.]*)$`}

// lowerName is a lower-case name with a letter beyond hexadecimal
// ("fan1-speed", "rm145d-ap130": a sensor's or host's), not a serial.
var lowerName = &lazyre.Regexp{Expr: `^[a-z0-9\-]*[g-z][a-z0-9\-]*$`}

// labelledVersion is the label a vendor MIB's version string may start
// with; the guess takes what follows.
var labelledVersion = &lazyre.Regexp{Expr: `(?i)^(?:release|version|firmware|software|rel\.?|ver\.?|fw|sw)\s*:?\s*`}

// versionPhrases are a version inside a longer vendor object, whose
// first group the guess takes when no object holds a bare version: a
// version, build and date after commas, a product's name perhaps before
// it ("v7.0.6,build0366,220606 (GA.F)", "FortiSwitch-248D-FPOE
// v3.3.3,build4047,160219 (GA)", "v6.0.11(GA), build285, 2022.03.28"); a label and the version before other
// words ("Version 5.5 SG6000-M-2-5.5R3P7.bin 2017/11/08", "Rev 2.44d",
// "SW: L3E-09.1.03 CH: 1.04 BP: 101", a software level's name before it);
// a version a comma and a date follow ("1.0.7, Mon, 04 Dec 2017"); a
// system's short name, its version and a tag ("SFOS 17.5.5 MR-5", "DSM
// 7.1-42962"); an image's name, its platform and chip before the version
// and its build after ("XC.qca955x.v8.5.1.37185.180307.0931",
// ".v1.1.1-BETA2.00015.180314.0503"); a product's name and a region
// around the version ("BaiCE_BM_2.5.26.2_NA"), or a dot before it
// ("PrimeKeyAppliance.3.4.3"); a product's name and a VRP-style release
// ("SMU V500R001C10_02B19"); a
// product banner with a note in brackets ("PDU System v1.05 (SN 1113016920004)").
var versionPhrases = []*lazyre.Regexp{
	&lazyre.Regexp{Expr: `^(?:[A-Z][\w\-]*\s+)?([vV]\d+(?:\.\d+)+(?:\(\w+\))?,\s?build\s?\d+,\s?(?:\d{6}|\d{4}\.\d\d\.\d\d)(?:\s\([\w.\s]+\))?)$`},
	&lazyre.Regexp{Expr: `(?i)^(?:version|release|firmware|software|rev(?:ision)?|ver(?:fw|sw)?|fw|sw)\.?\s*:?\s*v?((?:[A-Z]\w{0,3}-)?\d+(?:\.\d+)+[a-z]?)(?:[\s,;]|$)`},
	&lazyre.Regexp{Expr: `^[vV]?(\d+(?:\.\d+){2,}),\s`},
	&lazyre.Regexp{Expr: `^[A-Z]{2,8}\s+(\d+(?:\.\d+){2,}|\d+\.\d+-\d{3,})(?:\s+[\w\-.]+)?$`},
	&lazyre.Regexp{Expr: `^(?:[\w\-]+\.){0,3}\.?[vV](\d+\.\d+\.\d+(?:-\w+)?(?:\.(?:\d+|[0-9a-f]{7,12})){0,4})$`},
	&lazyre.Regexp{Expr: `^[A-Z][A-Za-z0-9]*_(?:[A-Z]{1,3}_)?(\d+(?:\.\d+){2,})_[A-Z]{1,4}$`},
	&lazyre.Regexp{Expr: `^[A-Z][A-Za-z]+\.(\d+(?:\.\d+){2,})$`},
	&lazyre.Regexp{Expr: `^[A-Z]{2,8}[\-_](\d+(?:\.\d+){2,})(?:_\d{8})?$`},
	vrpPhrase,
	&lazyre.Regexp{Expr: `^[A-Z][\w\-+/]*(?: [\w\-+/]+){0,4}?\s+[vV]\s*(\d+(?:\.\d+)+[\w\-]*)\s+\([^()]*\)$`},
}

// vrpPhrase is a VRP release (V, three digits, R, three digits) after a
// name: the one version phrase without a dotted number.
var vrpPhrase = &lazyre.Regexp{Expr: `^[A-Z][\w\-]*\s+(V\d{3}R\d{3}(?:C\d+)?\w*)$`}

// phrased sets *dst to the version versionPhrases find in t and reports
// whether there was one, once per values and text.
func (vs *values) phrased(t string, dst *string) bool {
	v, ok := vs.phrases[t]
	if !ok {
		v = phraseVersion(t)
		if vs.phrases == nil {
			vs.phrases = map[string]string{}
		}
		vs.phrases[t] = v
	}
	*dst = v
	return *dst != ""
}

// phraseVersion is the version versionPhrases find in t, "" when none
// does or it reads as a measurement.
func phraseVersion(t string) string {
	dotted := dottedDigits(t) // every phrase but vrpPhrase reads a dotted number
	for _, re := range versionPhrases {
		if !dotted && re != vrpPhrase || cannotMatch(re, t) {
			continue
		}
		if m := re.FindStringSubmatch(t); m != nil && !readingLike(m[1]) {
			return m[1]
		}
	}
	return ""
}

// readingLike reports a measurement, not a firmware version: a two-part
// decimal number whose whole part is 20 to 999 or above 2100 (not a year), a number with a unit
// (a sensor's name or value: "3.3VCC", "1.8 V"), or only zeros.
func readingLike(t string) bool {
	return readingLikeBy(t, matches)
}

// versionShaped is versionShape(t) && !readingLike(t), the version
// guess's test of each object, with the expressions' answers read once
// per values (each pass of identify asks it of the same objects).
func (vs *values) versionShaped(t string) bool {
	return (vs.match(guessVersionRe, t) || vs.match(versionSuffixed, t)) && !readingLikeBy(t, vs.match)
}

// readingLikeBy is readingLike with its expressions matched by match.
func readingLikeBy(t string, match func(*lazyre.Regexp, string) bool) bool {
	if match(unitReading, t) || match(sensorName, t) || strings.Trim(t, "0.") == "" || match(scientific, t) {
		return true // "3.3VCC", "12.0 V", "0.000", "1.1E-5"
	}
	whole, frac, ok := strings.Cut(t, ".")
	if !ok || !isDigits(whole) || !isDigits(frac) || strings.Contains(frac, ".") {
		return false
	}
	n, err := strconv.Atoi(whole)
	return err == nil && n >= 20 && (n < 1000 || n > 2100) // 2020.6 is a release, by its year; 11250.00 a fan's speed
}

func isDigits(s string) bool { return strings.Trim(s, "0123456789") == "" }

// groupVersion is the firmware a maker's identity group gives in its own
// shape, which the version guess does not read ("CRDA103_261" after a
// UPS's model, "800Q.GS25700" between a library's model and serial, "03"
// after a maker's name and model): the first of the group's scalars that
// is one word with a digit, at most 20 characters, when the model or the
// serial found is another of them. Not a product number, an address, a
// date, a reading ("9600RPM"), more than six digits (an identifier's:
// "1874830543"), the host's name or a code of letters and a number
// (unitCode). On setC's development families scored blind, firmware 583
// → 591 of 657 (one wrong: FiberHome's hardware "WKE2.115.331R1A" where
// LibreNMS names "RP0700"), held-out blind 124 → 125 of 139.
func (vs *values) groupVersion(model, serial string) string {
	group := vs.subtree[:min(vs.subtreeScalars, identityScalars)]
	if !slices.ContainsFunc(group, func(v value) bool {
		t := tidy(v.text)
		return t != "" && (strings.EqualFold(t, model) || strings.EqualFold(t, serial))
	}) {
		return ""
	}
	for _, v := range group {
		t := tidy(v.text)
		switch {
		case t == "" || strings.EqualFold(t, model) || strings.EqualFold(t, serial) || strings.EqualFold(t, vs.sysName):
		case len(t) > 20 || strings.ContainsAny(t, " ,/:<>") || !strings.ContainsAny(t, "0123456789") || isDigits(t) && len(t) > 6 || readingLike(t):
		case addressLike(t) || burnedInMAC(t) || dateLike.MatchString(t) || hyphenatedPart(t) || modelLike(t) && !isDigits(t) || unitCode.MatchString(t) && !revisionCode.MatchString(t):
		default:
			return t
		}
	}
	return ""
}

// unitCode is letters and a number: a model's, a unit's or a host's code
// ("G20", "E03", "amplifier28"), unless the letters label a revision or a
// version ("rev2125", "V045").
var (
	unitCode     = &lazyre.Regexp{Expr: `^[A-Za-z]+\d+$`}
	revisionCode = &lazyre.Regexp{Expr: `^(?i:rev|ver|v)\d+$`}
)

// besideVersion is guessBesideVersion's answer, a last resort: the
// text of decimal digits in the object just before the one the version
// guess took, in the same group or row. A maker's identity group names
// the unit and then its software ("239" then "1.2.0.14", "21327" then
// "v8.6.07", "0051" then "1.0.5d"); the guess refuses so short a
// number anywhere else. Not a number-typed object (a reading, a count),
// not all zeros, not a round number.
func (vs *values) besideVersion() string {
	version := vs.guess(guessVersion)
	if version == "" {
		return ""
	}
	for _, v := range vs.subtree {
		if t := tidy(v.text); v.name == "" || t != version && strings.TrimPrefix(strings.ToLower(t), "v") != version {
			continue
		}
		before := vs.besideObjects(v.name)[1]
		t := tidy(before.text)
		if before.name == "" || before.number || len(t) < 3 || len(t) > 12 || !isDigits(t) || zeroSerial(t) || roundNumber(t) {
			return ""
		}
		return t
	}
	return ""
}

// besideSerial is guessBesideSerial's answer, a model's last resort: the
// part number in the object just after the one the serial guess took, in
// the same group or row, where no object had a product name's shape.
// Makers list a unit's serial and then its part number
// ("DW0123456789" then "60-000367-02"), digits in hyphenated groups that
// modelLike leaves to the readings for want of letters. Not a date.
func (vs *values) besideSerial() string {
	serial := vs.guess(guessSerial)
	if serial == "" {
		return ""
	}
	for _, v := range vs.subtree {
		if v.name == "" || tidy(v.text) != serial {
			continue
		}
		beside := vs.besideObjects(v.name)
		after, before := beside[0], beside[1]
		if t := tidy(after.text); after.name != "" && !after.number && numericPart.MatchString(t) {
			return t
		}
		if t := tidy(before.text); before.name != "" && !before.number && partOrderCode.MatchString(t) {
			return t // the order code before the serial ("MS440217PM-48G6+", Microsens's)
		}
		return vs.openingProduct(v, before)
	}
	return ""
}

// numericPart is a part number of digits alone, three hyphenated groups,
// the middle one of four digits or more ("60-000367-02",
// "186-2003-901"): no date's shape.
var numericPart = &lazyre.Regexp{Expr: `^\d{2,3}-\d{4,8}-\d{2,3}$`}

// variantLetter is a product's name and its variant's capital letter
// ("Smartpack S"), not noise ("f X").
var variantLetter = &lazyre.Regexp{Expr: `^[A-Z][a-z]{3,}[A-Za-z0-9]* [A-Z]$`}
