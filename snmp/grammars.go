package snmp

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"tend/internal/lazyre"
)

// More sysDescr grammars for the generic fallbacks (vendoroids.go's
// genericFirmware and genericModel), written from how vendors format
// sysDescr rather than from any one device.

// releaseFirmware reads release names of the shapes carrier gear uses:
// "R23.6", "R6.5.02r" (Nokia, Alcatel), "V7R1M0" (IBM i), "V200R010C00"
// (Huawei VRP); the PowerNet management cards' "AF1:v5.1.2", else
// "PF:v5.1.4" (APC, Dell and Schneider cards: AF1 is the application's
// firmware, the device's own, PF the card's operating system, MB the
// board; where LibreNMS names one version it is AF1's: Dell's rPDU,
// APC's EMS); a leading "<software>[<version>]" list.
var releaseFirmware = []source{
	{descr: true, re: &lazyre.Regexp{Expr: `\bAF1:\s*(v?\d+(?:\.\w+)+)`}},
	{descr: true, re: &lazyre.Regexp{Expr: `\bPF:\s*(v?\d+(?:\.\w+)+)`}},
	{descr: true, re: &lazyre.Regexp{Expr: `(?:^|[\s,;(])(R\d+\.\d+(?:\.\w+)*)(?:$|[\s,;)])`}},
	{descr: true, re: &lazyre.Regexp{Expr: `\b(V\d{1,3}R\d{1,3}(?:[CM]\d+)\w*)\b`}},
	{descr: true, re: &lazyre.Regexp{Expr: `^\s*[A-Za-z][\w\-]*\[v?(\d+(?:\.\d+)+)\]`}}, // "IPBS2[10.3.9], Bootcode[10.3.9], Hardware[…]": the software's, first
}

// osFirmware reads the version after an operating system's name, the
// way appliances print it: "GigaVUE-OS 5.16.00", "ACOS 4.1.0-P5",
// "NOS 6.07p1/…", "HiveOS 8.1r2a", "EOS version 4.15.3F" (the name ends
// in upper-case "OS": "eCos-3.0" is a library, not the firmware), and a
// "version" whose value starts with letters ("version NH62.YS.N636",
// a build's "Version: r13107_788_b947ce1af_beta"),
// tried after the software and firmware versions genericFirmware reads
// ("hardware version:V2.2.4" is not one).
var osFirmware = []source{
	{descr: true, re: &lazyre.Regexp{Expr: `(?:^|[\s,;(])[A-Za-z][\w\-]*OS[\s:]+(?:version\s+)?[vV]?(\d+(?:\.\w+)+(?:-\w+)*)`}},
	{descr: true, re: &lazyre.Regexp{Expr: `(?i)\bversion[\s:]+([A-Z]{1,4}\d+(?:(?:\.\w+){2,}|(?:_[^\W_]+){2,}))(?:$|[\s,;)])`}},
	// a description that is nothing but the version ("1.00(AAJZ.16)C0",
	// ZyNOS's release with its model code)
	{descr: true, re: &lazyre.Regexp{Expr: `^[vV]?(\d+\.\d+(?:\.\d+)*(?:\([A-Z]+\.\d+\)\w*)?)$`}},
}

// productCommaVersion is a description that is the product's name, a
// comma and the running version ("USW-Flex-XG, 6.2.14.13855", "EdgeSwitch
// 24-Port 250W, 1.0.1.4720839, Linux 3.6.5"), or whose first word is the
// product's hyphen-joined name and the second its version of three
// numbers or more ("VMware-vCenter-Server-Appliance 7.0.0.10100 generic
// build 16386292"): the agent's own statement, read before the ENTITY-MIB
// chassis row's revision, which may be a board's or the kernel's
// (Ubiquiti's "1.0.1.0" beside 6.2.14.13855, the vCenter appliance's
// "4.19.115-1.ph3-"); on setC the two disagree on those two agents only.
var productCommaVersion = source{descr: true, re: &lazyre.Regexp{Expr: `^[A-Za-z][^,]{2,39},\s*v?(\d+(?:\.\d+)+[\w\-]*)(?:,|$)|^[A-Z][A-Za-z]*(?:-[A-Za-z]+){2,}\s+v?(\d+(?:\.\d+){2,})\s`}}

// leadingPart reads a part number among the first words of sysDescr,
// after the maker's and series' names: "illustra IFS03D1OCWIT Network
// camera …", "Cambium cnWave V3000 Distribution Node, …", "RNX UPDU
// RN3214 (UPDU-Right), …". The token has capitals then a digit, and is
// not a version or an operating system, nor the software image's
// platform ("Cisco IOS Software, C2960S Software (…)").
var leadingPart = source{descr: true, re: &lazyre.Regexp{Expr: `^(?:[A-Za-z][\w.\-]*,? ){1,3}?([A-Z][A-Za-z]*-?\d[\w\-/+]*)(?:[,;]? (?:[^S]|S[^o])|[,;]?$)`}, fix: partNumber}

// identityScalars is how many of a subtree's first scalars
// guessScalarModel reads: the identity group; further on lie readings'
// and sensors' names ("Switch Sen 1", "LIN-1", "5 mA").
const identityScalars = 4

// versionShape is a version among a vendor's first objects: guess's
// dotted number, also with the build number, date or release tag vendors
// append ("1.17 Build 21091612", "V6.2  build 20080519", "5.36.0069Rel /
// 20.04.2022", "V23.03.01 (0025)", "6.1.1 (2019-04-18)", "7.05 1 Dec
// 2022", "v5.6.0-build1557 170727 (GA)", "1.12.0 rev 54574").
func versionShape(t string) bool {
	return dottedDigits(t) && (guessVersionRe.MatchString(t) || versionSuffixed.MatchString(t)) // both read a dotted number
}

var versionSuffixed = &lazyre.Regexp{Expr: `^[vV]?\d+(?:\.\d+){1,3}[\w\-.]*(?:\s+(?:(?i:build|rev)\s*[\w\-]+|\([\w.\-]+\)|/\s*\d+(?:\.\d+)+|\d{4}-\d\d-\d\d|\d{1,2} [A-Z][a-z]{2} \d{4}|\d{6}))+$`}

// modelFromSubtree picks the first of an unknown vendor's first objects
// shaped like a product name (modelLike), not an interface's name
// ("GE8", "XE25") nor the host's (sysName, a Linux banner's; sysName
// is the subtree's first object's name too when no banner names a host:
// a camera names itself after its model, which opens its maker's
// group, Hanwha's "SNO-7084R"), that is
// not the value the
// version guess takes, nor the serial guess's unless that is shaped like
// a product number too (modelLike, at most three runs of letters and
// digits: then the object is the model, and the serial refuses it as the
// model's name): vendor MIBs open their identity group
// with the model next to the serial and version ("PowerEdge C6525",
// "CP1000PFCLCD", "RS30-1602OOZZSDHPHH").
func (vs *values) modelFromSubtree(subtree []value) string {
	if !vs.guessed.ok {
		serial, version := vs.guess(guessSerial), vs.guess(guessVersion)
		if productNumber(serial) {
			serial = "" // the serial guess fell back on a product name ("EN1814", "PSR-1200-48"): the model's
		}
		vs.guessed = subtreeGuesses{ok: true, serial: serial, version: version}
	}
	serial, version := vs.guessed.serial, vs.guessed.version
	host, banner := vs.sysName, vs.submatch(linuxHost, vs.descr) // read once per values: the guesses call this for each object
	if banner != nil {
		host = banner[1]
	}
	controller := vs.match(controllerName, vs.descr)
	for i, v := range subtree {
		if i > 0 && vs.modelTextOf(subtree[i-1].text).otherMaker {
			continue // a component's model after its maker's name (a cellular modem's "Sierra Wireless, Incorporated", "MC7304")
		}
		if vs.componentRow(v) {
			continue // a port's or a module's row (an SFP's part number), not the device
		}
		m := vs.modelTextOf(v.text)
		if controller && (vs.match(processorName, m.text) || vs.match(processorBrand, m.text)) {
			continue // a management controller's MIB lists the server's processors before its model
		}
		if m.final {
			return m.t
		}
		if t := m.t; m.shaped && !v.zeroRow && t != serial && t != version && !vs.listed(v) && !vs.pointingRow(v) &&
			(!strings.EqualFold(t, host) && !strings.EqualFold(t, vs.sysName) || i == 0 && banner == nil) {
			return t
		}
	}
	return ""
}

// modelText is what modelFromSubtree reads of an object's text alone,
// whatever the object and the probe pass: each pass (up to four a
// device) asks it again of the same objects, a dozen expressions and
// tidy each time.
type modelText struct {
	_          [0]func() // not comparable: no equality function linked
	text       string    // guessText's
	t          string    // the candidate: text less the product grammars' words
	final      bool      // t is the model whatever the object: sysDescr repeated, a part named by its place
	shaped     bool      // t is shaped like a model, no port's, item's, sensor's or release's name
	otherMaker bool      // the text names another company than the agent's maker (otherMaker)
}

// modelTextOf is text's modelText, read once per values while the
// agent's sysObjectID and sysDescr stay (the maker's word, sysDescr's
// repeat depend on them).
func (vs *values) modelTextOf(text string) modelText {
	if vs.modelTextsOf != [2]string{vs.sysOID, vs.descr} {
		vs.modelTexts, vs.modelTextsOf = nil, [2]string{vs.sysOID, vs.descr}
	}
	if m, ok := vs.modelTexts[text]; ok {
		return m
	}
	m := vs.readModelText(text)
	if vs.modelTexts == nil {
		vs.modelTexts = make(map[string]modelText, len(vs.subtree))
	}
	vs.modelTexts[text] = m
	return m
}

// readModelText is modelTextOf, computed.
func (vs *values) readModelText(text string) modelText {
	m := modelText{otherMaker: vs.otherMaker(text)}
	t := vs.guessText(guessModel, text) // "IBM,8233-E8B": the maker's name before its type and model
	m.text = t
	if strings.EqualFold(t, vs.tidyDescr()) && repeatedName(t) {
		m.t, m.final = t, true // the maker's MIB repeats sysDescr: the product's display name
		return m
	}
	if s := vs.submatch(productBanner, t); s != nil {
		t = s[1] // the product of "<product> v <version>"
	} else if s := vs.submatch(revisionSuffix, t); s != nil {
		t = s[1] // the product of "<product> <hardware revision>"
	} else if s := vs.submatch(codeSuffix, t); s != nil {
		t = s[1] // the product of "<product> (<its code>)"
	} else if s := vs.submatch(describedPart, t); s != nil {
		t = cmp.Or(s[1], s[2], s[3]) // "<part> with <what it has>", "<options> - <part>", "<part> <n>*<component>+…"
		if hyphenatedPart(t) && unicode.IsLetter(rune(t[0])) {
			m.t, m.final = t, true // named a part by its place, digits or not ("RW-5550-0150")
			return m
		}
	}
	m.t = t
	m.shaped = t != "" && !vs.match(portName, t) && !vs.match(numberedItem, t) && !vs.match(sensorName, t) &&
		(modelLike(t) || codeModel(t) || t != tidy(text) && vs.match(typeModel, t)) && !vs.match(releaseShape, t)
	return m
}

// codeModel is a model's code of three or more short hyphenated groups,
// digits first, with a capital letter ("330-2-C1": the model, its
// revision and build, Forcepoint's appliances), which modelLike refuses
// for its digits: never a MAC address.
func codeModel(t string) bool {
	return shortGroups(t) && len(t) <= 12 && t[0] >= '0' && t[0] <= '9' && strings.ContainsFunc(t, unicode.IsUpper) &&
		!matches(macLike, t) && !macInside.MatchString(t)
}

// productNumber reports whether a serial guess is a product number's
// shape ("EN1814", "PSR-1200-48", "J9829A"), not a serial's
// ("2MZZZZZZZZZZ", "CG1906033412N0015").
func productNumber(serial string) bool {
	return modelLike(serial) && (alnumRuns(serial) <= 3 && !longLetterRun.MatchString(serial) || hyphenatedPart(serial))
}

// revisionSuffix is a product number and its hardware revision
// ("T2600G-28TS 3.0", TP-Link's), also labelled and lettered the way
// Raisecom's hardware model object gives it ("RAX711-C-DC/D-02 version
// A.02": a revision letter, a dot and a number).
var revisionSuffix = &lazyre.Regexp{Expr: `^([A-Z][\w\-/]*\d[\w\-/]*) (?:[vV]?\d{1,2}\.\d{1,2}|(?i:version|rev\.?|revision) [A-Z]?\.?\d{1,2}(?:\.\d{1,2})?)$`}

// codeSuffix is a product's name and, in parentheses, a hexadecimal code
// of its build or board ("TS 324 (047202CD)", CXR's terminal servers).
var codeSuffix = &lazyre.Regexp{Expr: `^([A-Z][\w\-]*(?: [\w\-]+){0,2}) \((?:[0-9A-F]{6,12})\)$`}

// describedPart is a part number and what it comes with ("ACS6048 with
// auxiliary port and dual power supply"), or a product's options and its
// part number after a dash ("RW5000/HSU/5550/F58/FCC/INT - RW-5550-0150"),
// or a part number and its components counted ("NSMPX-8000-10G
// 4*CPU+6*E1K+2*IX …", NetScaler's sysHardwareVersionDesc).
var describedPart = &lazyre.Regexp{Expr: `^([A-Z][\w\-/]*\d[\w\-/]*) (?:with|for) [a-z]|\S \- ([A-Z][\w\-]*\d[\w\-]*)$|^([A-Z][\w\-]*\d[\w\-]*) \d+\*[A-Za-z]\w*\+\d+\*`}

// repeatedName accepts a sysDescr the maker's MIB repeats as the model
// ("Dell UPS Rack 3750W High Efficiency Online HV" is both sysDescr and
// the UPS MIB's product name): a name of at most eight words with a
// digit, not a kernel banner, an operating system or a version.
func repeatedName(s string) bool {
	return len(s) <= 64 && len(strings.Fields(s)) <= 8 && strings.ContainsAny(s, "0123456789") &&
		!strings.ContainsAny(s, "#:()") && !linuxBanner.MatchString(s) && !osWord.MatchString(s) && !versionLike.MatchString(s)
}

// longLetterRun is eight capital letters in a row, a serial number's run
// ("LBNNTMRJ0003NP"), not a product number's prefix ("CP1000PFCLCD").
var longLetterRun = &lazyre.Regexp{Expr: `[A-Z]{8}`}

// processorName is a CPU's brand string ("Intel(R) Xeon(R) Gold 6426Y"):
// a server's MIB names its processors near its model.
var processorName = &lazyre.Regexp{Expr: `\((?:R|TM)\)`}

// hyphenatedPart reports a product number's shape: short groups joined
// by hyphens, none longer than ten ("EKI-7708G-4FP", "EP-54V-150W",
// "NRT-OP-PDU1-28", "DS-2CD2185FWD-I", "CW-24V2C458C1"), where a serial
// number is one run ("8WM8ST3") or a prefix and a long run
// ("FAZ-VMTM2201XXXX"): in setA and setC every upper-case serial-shaped
// vendor object with hyphens that is a serial number has a group of 12 or
// more, every one that is a model groups of at most 10 (but two).
func hyphenatedPart(s string) bool {
	parts := strings.Split(s, "-")
	return len(parts) >= 2 && !slices.ContainsFunc(parts, func(p string) bool { return p == "" || len(p) > 10 })
}

// alnumRuns counts the runs of letters and of digits in s: a product
// number has letters, digits and perhaps a suffix ("MC1550",
// "PSR-1200-48"), a serial number more ("E2NF3572D8XT", "FAZ-VMTM2201XXXX").
func alnumRuns(s string) int {
	n, last := 0, 0
	for _, r := range s {
		k := 0
		switch {
		case unicode.IsLetter(r):
			k = 1
		case unicode.IsDigit(r):
			k = 2
		}
		if k != 0 && k != last {
			n++
		}
		last = k
	}
	return n
}

// modelLike is the shape of a product name: 3 to 40 characters in at
// most four words, an upper-case letter and a digit, digits not the
// most of it nor a run of five (a serial number's), no dotted number
// (a version or a reading: "3.3V"), no label, list, path, address or
// interface name ("eth0", "PS1 Status", "Version 8.0n", "Sw1, PSA
// Normal", "sys/switch-A/fan-1"), no long lower-case token (a hash or
// an identifier: "vThunder3ac80f21f3ad31e1").
func modelLike(t string) bool {
	if len(t) < 3 || len(t) > 40 || !modelMix(t) { // the counts first: most text fails them, before a regular expression runs
		return false
	}
	return !(moreFields(t, 4) || strings.ContainsAny(t, ":@=,\\<>*\uFFFD") || strings.Count(t, "/") > 1 ||
		!strings.ContainsFunc(t, unicode.IsUpper) || dottedNumber.MatchString(t) || matches(macLike, t) || macInside.MatchString(t) ||
		matches(notModelWord, t) || len(t) >= 16 && !strings.Contains(t, " ") && strings.ContainsFunc(t, unicode.IsLower) && !namedPart(t))
}

// moreFields reports whether t has more than n words
// (len(strings.Fields(t)) > n), without cutting them.
func moreFields(t string, n int) bool {
	for range strings.FieldsSeq(t) {
		if n--; n < 0 {
			return true
		}
	}
	return false
}

// modelMix reports modelLike's mix of letters and digits: a digit, two
// letters or more, at most two digits in three characters of letters and
// digits, and no run of more than five digits.
func modelMix(t string) bool {
	digits, alnum, run, longest := 0, 0, 0, 0
	for _, r := range t {
		switch {
		case unicode.IsDigit(r):
			digits++
			alnum++
			run++
			longest = max(longest, run)
		case unicode.IsLetter(r):
			alnum++
			run = 0
		default:
			run = 0
		}
	}
	return digits > 0 && alnum-digits >= 2 && 3*digits <= 2*alnum && longest <= 5
}

// namedPart reports a long product name joined by hyphens, a capitalised
// name and a group of digits and letters ("FortiSwitch-424E-Fiber",
// "FortiGateRugged-60F-3G4G", "VS5704-1x32-Telnevia"), not an identifier or a hash
// ("vThunder3ac80f21f3ad31e1", "c0ed2a63-117c-6741-11d9da218714") nor a
// place and a number ("TechRoom-7705").
func namedPart(t string) bool {
	parts := strings.Split(t, "-")
	return len(parts) >= 2 && unicode.IsUpper(rune(t[0])) && slices.ContainsFunc(parts[1:], func(p string) bool {
		return strings.ContainsFunc(p, unicode.IsDigit) && strings.ContainsFunc(p, unicode.IsLetter)
	})
}

// linuxHost is the host's name in a Linux kernel banner ("Linux
// NTSCBOTNTP1 2.4.26-1 #0 …"), which the maker's MIB may repeat.
var linuxHost = &lazyre.Regexp{Expr: `^Linux (\S+) \d`}

// portName is a switch port's short name: gigabit (GE), fast (FE), ten
// gigabit (XE, TE) Ethernet and its number.
var portName = &lazyre.Regexp{Expr: `^[GFXT]E\d{1,3}$`}

var (
	macInside    = &lazyre.Regexp{Expr: `(?i)\b[0-9a-f]{2}(?:[:\-][0-9a-f]{2}){5}\b`} // "CMM4 0a-00-3e-e8-12-20": a name and an address
	dottedNumber = &lazyre.Regexp{Expr: `\d\.\d`}
	notModelWord = &lazyre.Regexp{Expr: `(?i)\b(?:version|status|port\d*|planar|channel|outlet\d*|slot|sensor|temp(?:erature)?s?(?:[_\-\d]\w*)?|humid\w*|board|location|interface|eth\d*|wlan\d*|local|user|admin|public|private|fan\d*|psu\d*|inlet|ambient|cpu\d*|voltage|battery|dimm\d*|disk\d*|input\d*|output\d*|class|percent|[kmgt]b|\d*rpm|v\d{3}r\d{3}\w*|\d+-?qam|[bq]psk)\b`}
)

// moreModel are model grammars tried after genericModel's: the platform
// ExtremeXOS and the like put in parentheses after the OS's name, which
// may hold parentheses itself ("ExtremeXOS (X480-24x(10G4X)) version …").
//
// Also a field of a semicolon-separated sysDescr that is a product and its
// version ("SAF microwave radio;CFIP Lumina FODU v2.64.33;Model:2;…"), and
// the platform IOS-like systems name before "Series Software" ("…
// Internetwork Operating System Software  AOCM3948 Series Software, …").
var moreModel = []source{
	// "<maker> <model> HW V<n> Firmware …": the product before its
	// hardware revision ("D-LINK DGS-F3008P-4S HW V1 Firmware V5.2…").
	{descr: true, re: &lazyre.Regexp{Expr: `^[A-Z][\w\-.]* ([A-Z][\w\-/+]*\d[\w\-/+]*) H/?W:? ?[Vv]?\d`}},
	// A dual-image banner: the product, then the primary and backup
	// images' releases ("Westermo Lynx, primary: v4.32.5, backup: …").
	{descr: true, re: &lazyre.Regexp{Expr: `^([^,]{3,40}), primary:\s*v?\d+(?:\.\d+)+\S*, backup:`}, fix: productName},
	{descr: true, re: &lazyre.Regexp{Expr: `^[A-Za-z]+ \(([A-Z][\w\-]*\d[\w\-]*\([\w\-]+\))\) version`}},
	{descr: true, re: &lazyre.Regexp{Expr: `;\s*([A-Za-z][^;:]{2,40}?) v\d+(?:\.\d+)+\s*(?:;|$)`}, fix: productName},
	{descr: true, re: &lazyre.Regexp{Expr: `Operating System Software\s+([A-Z][\w\-]*\d[\w\-]*) Series Software`}},
	// the IOS-like brand line BDCOM's switches and OLTs start with: the
	// brand, "(tm)", the model and "Software, Version" ("BDCOM(tm)
	// S2900-24S8C4X Software, Version 123539"); not NX-OS's "n5000, Software"
	{descr: true, re: &lazyre.Regexp{Expr: `^"?[A-Z][A-Za-z]*\(tm\) ([A-Z][\w\-]*\d[\w\-]*) Software, Version`}},
	// "<line> Series <what it is> <model>, <OS> <version>": the token
	// before the OS release ("Thunder Series Unified Application Service
	// Gateway TH5630, ACOS 4.1.0-P5,").
	{descr: true, re: &lazyre.Regexp{Expr: `^\w+ Series [^,]+? (\S+), [A-Z][A-Za-z]+ v?\d+\.\d`}, fix: partNumber},
	// A short description ending in a lower-case product code ("Terra
	// DVB-T/T2/C to IP streamer sti410C"); not an architecture (amd64).
	{descr: true, re: &lazyre.Regexp{Expr: `^[^,;:()]{10,70}\s([a-z]{2,5}\d{2,4}[A-Za-z]?)$`}, fix: partNumber},
	// Semicolon-separated fields that start with the product, then what
	// it is and its release ("; AXIS Q1656; Box Camera; 10.12.240; …").
	{descr: true, re: &lazyre.Regexp{Expr: `^\s*;\s*([A-Z][^;]{2,40}?)\s*;\s*[^;]+;\s*v?\d+(?:\.\d+)+\s*;`}},
	// "<maker> <product>; SN <serial>, …, SW <release>": the product
	// between the maker's word and the labelled fields ("SEH dongleserver
	// ProMAX; SN 00000000000000, HW 2.0, FW 0, SW 20.2.8").
	{descr: true, re: &lazyre.Regexp{Expr: `^[A-Z][A-Za-z]+ ([^;,]{3,40}?);\s*(?:SN|S/N|Serial(?: number)?)[:\s]`}, fix: productName},
	// "<maker> <product>, <train>.<release>, …" ("HP 1810-24G, PL.1.9,
	// eCos-3.0, …").
	{descr: true, re: &lazyre.Regexp{Expr: `^([^,]{3,60}), [A-Z]{1,3}\.\d+(?:\.\d+)+,`}},
	// An operating system's name, then the platform ("RouterOS RB433GL").
	{descr: true, re: &lazyre.Regexp{Expr: `^[A-Z][A-Za-z]*OS ([A-Z][\w\-+]*\d[\w\-+]*)$`}},
	// "<brand> <model> version <release>" after the system's name
	// ("MyPower (R) Operating System Software MyPower S3220 version
	// 6.6.4.1.3(R)").
	{descr: true, re: &lazyre.Regexp{Expr: `\b[A-Z][A-Za-z]+ ([A-Z][A-Za-z]*\d[\w\-]*) [Vv]ersion v?\d+\.\d`}, fix: partNumber},
	// Huawei VRP 3.x's banner: the product after the Quidway brand and
	// its series and class words ("… Release 0311P07 Quidway Series
	// Router AR28-31 Copyright …", "Feature 0121L01.Quidway Router
	// AR18-34E.", "Quidway S3928P-EI"); VRP 5 names it in parentheses.
	{descr: true, re: &lazyre.Regexp{Expr: `\bQuidway (?:Series )?(?:Router |Switch )?([A-Z][\w\-]*\d[\w\-]*)`}},
	// The maker, then the product's four-digit number and what it is
	// ("IBM 3584 UltraScaleable Tape Library 7420").
	{descr: true, re: &lazyre.Regexp{Expr: `^[A-Z][A-Za-z]+ (\d{4}) [A-Z][a-z]`}},
}

// machineType is the machine type a server's description labels (AIX:
// "Machine Type: 0x0800004c"): a hexadecimal code the system reports for
// its firmware's platform, not the type-model IBM sells it as
// ("8233-E8B", which IBM-AIX-MIB's aixSeMachineType holds, "IBM,8233-E8B").
// It answers after the maker's objects, for the agent that has none.
var machineType = source{descr: true, re: &lazyre.Regexp{Expr: `(?i)\bmachine type:\s*(\S+)`}}

// namedProduct takes a short sysDescr without a digit for the model when
// nothing else named one and it names something ("Peplink FusionHub",
// "Last Mile Gear CTM", "EdgeRouter Lite"): a word of it is a name (a
// capital letter, not one of the words devices describe themselves
// with), not only what the device is ("Switch", "Wireless Link", "FM
// Transmitter", "Network Management Card for UPS").
var namedProduct = source{descr: true, re: &lazyre.Regexp{Expr: `^([^\d,;:()\[\]#=/]{3,40})$`}, fix: properName}

func properName(s string) string {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 5 || osWord.MatchString(s) || notProduct.MatchString(s) ||
		len(words) == 1 && !strings.ContainsFunc(s[1:], unicode.IsUpper) { // one capitalised word is as often the maker's name ("Schleifenbauer")
		return ""
	}
	for _, w := range words {
		if strings.ContainsFunc(w, unicode.IsUpper) && !isGenericWord(strings.Trim(w, ".-")) {
			return s
		}
	}
	return ""
}

// notProduct marks a description of the agent software, a placeholder, an
// address or a company, not a product ("Viptela SNMP agent", "User
// input...", "Loop Telecom.").
var notProduct = &lazyre.Regexp{Expr: `(?i)(?:^|[\s_\-])(?:snmp|agent|software|operating|os|input|uninitialized|systemname|lwip|telecom|inc|ltd|corp|corporation|communications|technologies|technology)(?:$|[\s_\-.])|www\.|[.\-]$`}

// genericWord is a word devices describe themselves with in sysDescr
// instead of naming a product.
var genericWord = &lazyre.Regexp{Expr: `(?i)^(?:` + genericWords + `)$`}

// isGenericWord is genericWord.MatchString(w). ASCII text is looked up in
// lower case: the expression's two hundred alternatives, folded, took
// microseconds a word, for each word of each candidate of each guess.
// Other text, which case folding may map onto ASCII letters (the long s,
// the Kelvin sign), goes to the expression.
func isGenericWord(w string) bool {
	for i := range len(w) {
		if w[i] >= 0x80 {
			return genericWord.MatchString(w)
		}
	}
	return genericWordSet[strings.ToLower(w)]
}

// genericWordSet is genericWords, one a key.
var genericWordSet = func() map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Split(genericWords, "|") {
		set[w] = true
	}
	return set
}()

// genericWords is genericWord's alternatives.
const genericWords = `a|an|and|the|of|for|to|over|with|on|in|by|our|my|your|test|lab|dev|switch|switches|switched|stack|stacking|stackable|router|gateway|controller|transmitter|receiver|link|device|system|systems|agent|card|pdu|ups|camera|printer|server|appliance|firewall|interface|module|network|networks|management|managed|unmanaged|wireless|power|ethernet|fibre|fiber|channel|snmp|smart|metered|monitor|monitoring|sensor|sensors|web|access|point|ap|node|unit|radio|microwave|outdoor|indoor|high|capacity|packet|gigabit|fast|port|ports|video|videoconferencing|conferencing|phone|voip|storage|nas|raid|subsystem|platform|firmware|hardware|version|embedded|terminal|converter|media|fm|tv|digital|analog|generic|unknown|default|rack|environmental|environment|temperature|humidity|security|vpn|encoder|decoder|streamer|amplifier|modem|cpe|ont|olt|onu|bridge|repeater|extender|hub|console|kvm|bmc|host|computer|pc|workstation|cable|dsl|adsl|vdsl|optical|transport|multiplexer|timing|time|ntp|gps|clock|battery|charger|inverter|rectifier|solar|energy|meter|automation|alarm|door|intercom|speaker|display|projector|scanner|copier|mfp|multifunction|label|tape|library|disk|array|backup|remote|site|cellular|lte|wifi|wlan|lan|wan|poe|layer|core|edge|distribution|aggregation|industrial|service|services|solution|solutions|main|primary|secondary|backup|office|home|building|floor|room|closet|new|old|iot|id|valid|invalid|processor|no|not|none`

// tidyFirmware drops what a firmware string repeats of other fields: the
// product number it opens with before a v-version ("FortiGate-501E
// v5.6.4,build1575b1575,180425 (GA)", Fortinet's entPhysicalSoftwareRev),
// a build number given twice ("build1575b1575"), and the software's
// sentence around its version ("VRP (R) software, Version 8.200(CN),
// RELEASE 0000", Huawei's entPhysicalSoftwareRev: 8.200), and the build
// date after a bar ("V2.40(AAHN.0) | 11/14/2017", Zyxel's
// sysSwVersionString across its switches and firewalls: the release is
// the part before it).
func tidyFirmware(v string) string {
	if i := strings.LastIndex(v, " | "); i > 0 && barDate.MatchString(v[i:]) {
		v = v[:i]
	}
	if m := productBeforeVersion.FindStringSubmatch(v); m != nil {
		v = m[1]
	}
	if m := softwareSentence.FindStringSubmatch(v); m != nil {
		v = m[1]
	}
	if m := buildTwice.FindStringSubmatchIndex(v); m != nil && v[m[2]:m[3]] == v[m[4]:m[5]] {
		v = v[:m[3]] + v[m[1]:]
	}
	return v
}

var (
	productBeforeVersion = &lazyre.Regexp{Expr: `^[A-Z][A-Za-z]*-[\w\-]*\d[\w\-]*\s+([vV]\d+\.\d+.*)$`}
	buildTwice           = &lazyre.Regexp{Expr: `build(\d+)b(\d+)`}
	barDate              = &lazyre.Regexp{Expr: `^ \| \d{1,2}/\d{1,2}/\d{4}$`}
	// the number and an edition or region in parentheses, then a comma
	// or the end: not a Cisco IOS banner's "Version 12.2(55)SE", whose
	// parenthesised part is the release's own
	softwareSentence = &lazyre.Regexp{Expr: `(?i)\bsoftware,\s*version\s+v?(\d+(?:\.\d+)+)(?:\([A-Z]+\))?(?:,|$)`}
)

// bracketModel reads the product number a description gives in brackets
// among its first words, after the series' name and the part's code
// ("ALAXALA AX2430 AX-2430-24TE-B [AX2430S-24T] Switching software Ver.
// 11.1.C"): the bracketed token refines a model word before it (the same
// letters and first number, refinedInBrackets), unlike a release's code
// name ("Cisco IOS Software [Everest]"), a version glued to a product
// ("IPBS2[10.3.9]") or a build tag ("Version 5.3.4[Default]").
var bracketModel = source{descr: true, re: &lazyre.Regexp{Expr: `^((?:[A-Za-z][\w.\-/]* ){1,4}\[[A-Z][A-Za-z]*\d[\w\-/]*\])(?:\s|$)`}, fix: refinedInBrackets}

// modelStem is a model's letters and first number ("AX2430" of
// "AX2430S-24T").
var modelStem = &lazyre.Regexp{Expr: `^[A-Za-z]+\d+`}

// refinedInBrackets returns the bracketed last word of s when an earlier
// word has its stem (modelStem), else "".
func refinedInBrackets(s string) string {
	words := strings.Fields(s)
	model := strings.Trim(words[len(words)-1], "[]")
	stem := modelStem.FindString(model)
	for _, w := range words[:len(words)-1] {
		if stem != "" && modelStem.FindString(w) == stem {
			return model
		}
	}
	return ""
}

// copyrightBy is the holder a description's copyright notice names, its
// first word ("Copyright 2023 Infinera", "(c) 2000-2012 by FiberHome
// Networks Co., Ltd", "(c) Ciena (R) Corporation").
var copyrightBy = &lazyre.Regexp{Expr: `(?:[Cc]opyright|COPYRIGHT|\([Cc]\))\s*(?:\([Cc]\)\s*)?(?:\d{4}(?:\s*-\s*\d{4})?,?\s*)?(?:by\s+)?([A-Z][A-Za-z0-9]*(?:[.\-][A-Za-z0-9]+)*)`}

// copyrightMaker is the maker a description's copyright notice names when
// the holder is not the organisation the number is registered to (owner):
// the product's maker today, where the number's holder was bought or sold
// the line (Coriant's 42229 in Infinera's Groove, ECI's 1286 in Ribbon's
// Neptune, Northern Telecom's 562 in Ciena's 6500), or made it for the
// brand the notice names (H3C's 25506 in HP's 1920, "Copyright(c)2010-2015
// Hewlett-Packard Development Company"; Nortel's 45 in the Ethernet
// Routing Switches Avaya and then Extreme sold, "(c) Extreme Networks").
// When tend keeps a short name for ent, the holder counts only as a
// maker tend names (knownMaker), by that name; "" otherwise.
func copyrightMaker(descr string, ent int, owner string) string {
	if owner == "" {
		return ""
	}
	m := copyrightBy.FindStringSubmatch(descr)
	if m == nil || len(m[1]) < 3 || m[1] == "All" || strings.Contains(strings.ToLower(owner), strings.ToLower(m[1])) {
		return ""
	}
	if _, short := enterpriseNames()[ent]; short {
		return knownMaker(m[1])
	}
	return m[1]
}

// knownMaker is the short name of the one maker tend names whose short
// name, its first word, or the registry's name for its number is word
// ("Avaya"; "Extreme" of Extreme Networks; "Hewlett-Packard", 11's
// registrant, HP); "" for none or more than one. A parenthesised
// holder's ("Dell (Force10)") answers only to its whole name.
func knownMaker(word string) string {
	found := ""
	for n, name := range enterpriseNames() {
		first, rest, two := strings.Cut(name, " ")
		if !strings.EqualFold(name, word) && !(two && rest[0] != '(' && strings.EqualFold(first, word)) &&
			!strings.EqualFold(enterpriseRegistry().lookup(n), word) {
			continue
		}
		if found != "" && found != name {
			return ""
		}
		found = name
	}
	return found
}

// leadingMaker is the maker whose short name (enterprise_names.tsv) opens
// descr, for an agent that gave no sysObjectID to name it ("HP J9774A
// 2530-8G-PoEP Switch, …", "IBM PDU 46W1608(46M4003) …"), or whose
// number's holder sold the line ("Extreme BR-SLX9850-4 Router, SLX
// Operating System …" under Brocade's 1588): makers put their name
// first, the whole name or its first word (Extreme for Extreme Networks;
// not a parenthesised holder's, "Dell (Force10)", nor the Printer Working
// Group's, a standards body's). Not an agent's (net-snmp).
func leadingMaker(descr string) string {
	first, _, ok := strings.Cut(descr, " ")
	if !ok {
		return ""
	}
	byWord := ""
	for n, name := range enterpriseNames() {
		if agentOnly[n] || n == 2699 {
			continue
		}
		if len(descr) > len(name) && descr[len(name)] == ' ' && descr[:len(name)] == name {
			return name
		}
		if w, rest, two := strings.Cut(name, " "); two && w == first && rest[0] != '(' && (byWord == "" || name < byWord) {
			byWord = name
		}
	}
	return byWord
}
