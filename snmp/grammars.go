package snmp

import (
	"strings"
	"unicode"

	"tend/internal/lazyre"
)

// More sysDescr grammars for the generic fallbacks (vendoroids.go's
// genericFirmware and genericModel), written from how vendors format
// sysDescr rather than from any one device.

// releaseFirmware reads release names of the shapes carrier gear uses:
// "R23.6", "R6.5.02r" (Nokia, Alcatel), "V7R1M0" (IBM i), "V200R010C00"
// (Huawei VRP); the PowerNet management cards' "PF:v5.1.4"
// (APC, Dell and Schneider cards: PF is the firmware, MB the board); a
// leading "<software>[<version>]" list.
var releaseFirmware = []source{
	sysDescr(`\bPF:\s*(v?\d+(?:\.\w+)+)`),
	sysDescr(`(?:^|[\s,;(])(R\d+\.\d+(?:\.\w+)*)(?:$|[\s,;)])`),
	sysDescr(`\b(V\d{1,3}R\d{1,3}(?:[CM]\d+)\w*)\b`),
	sysDescr(`^\s*[A-Za-z][\w\-]*\[v?(\d+(?:\.\d+)+)\]`), // "IPBS2[10.3.9], Bootcode[10.3.9], Hardware[…]": the software's, first
}

// osFirmware reads the version after an operating system's name, the
// way appliances print it: "GigaVUE-OS 5.16.00", "ACOS 4.1.0-P5",
// "NOS 6.07p1/…", "HiveOS 8.1r2a", "EOS version 4.15.3F" (the name ends
// in upper-case "OS": "eCos-3.0" is a library, not the firmware), and a
// "version" whose value starts with letters ("version NH62.YS.N636"),
// tried after the software and firmware versions genericFirmware reads
// ("hardware version:V2.2.4" is not one).
var osFirmware = []source{
	sysDescr(`(?:^|[\s,;(])[A-Za-z][\w\-]*OS[\s:]+(?:version\s+)?[vV]?(\d+(?:\.\w+)+(?:-\w+)*)`),
	sysDescr(`(?i)\bversion[\s:]+([A-Z]{1,4}\d+(?:\.\w+){2,})(?:$|[\s,;)])`),
}

// leadingPart reads a part number among the first words of sysDescr,
// after the maker's and series' names: "illustra IFS03D1OCWIT Network
// camera …", "Cambium cnWave V3000 Distribution Node, …", "RNX UPDU
// RN3214 (UPDU-Right), …". The token has capitals then a digit, and is
// not a version or an operating system, nor the software image's
// platform ("Cisco IOS Software, C2960S Software (…)").
var leadingPart = sysDescr(`^(?:[A-Za-z][\w.\-]*,? ){1,3}?([A-Z][A-Za-z]*-?\d[\w\-/+]*)(?:[,;]? (?:[^S]|S[^o])|[,;]?$)`).then(partNumber)

// guessModel is guess's third kind: a product name among an unknown
// vendor's first objects.
const guessModel = 3

// versionShape is a version among a vendor's first objects: guess's
// dotted number, also with the build number, date or release tag vendors
// append ("1.17 Build 21091612", "V6.2  build 20080519", "5.36.0069Rel /
// 20.04.2022", "V23.03.01 (0025)", "6.1.1 (2019-04-18)", "7.05 1 Dec
// 2022", "v5.6.0-build1557 170727 (GA)", "1.12.0 rev 54574").
func versionShape(t string) bool {
	return guessVersionRe.MatchString(t) || versionSuffixed.MatchString(t)
}

var versionSuffixed = lazyre.New(`^[vV]?\d+(?:\.\d+){1,3}[\w\-.]*(?:\s+(?:(?i:build|rev)\s*[\w\-]+|\([\w.\-]+\)|/\s*\d+(?:\.\d+)+|\d{4}-\d\d-\d\d|\d{1,2} [A-Z][a-z]{2} \d{4}|\d{6}))+$`)

// modelFromSubtree picks the first of an unknown vendor's first objects
// shaped like a product name (modelLike) that is not the value the
// serial or version guesses take: vendor MIBs open their identity group
// with the model next to the serial and version ("PowerEdge C6525",
// "CP1000PFCLCD", "RS30-1602OOZZSDHPHH").
func (vs *values) modelFromSubtree() string {
	serial, version := vs.guess(guessSerial), vs.guess(guessVersion)
	for _, v := range vs.subtree {
		if t := tidy(v.text); t != "" && t != serial && t != version && modelLike(t) {
			return t
		}
	}
	return ""
}

// modelLike is the shape of a product name: 3 to 40 characters in at
// most four words, an upper-case letter and a digit, digits not the
// most of it nor a run of five (a serial number's), no dotted number
// (a version or a reading: "3.3V"), no label, list, path, address or
// interface name ("eth0", "PS1 Status", "Version 8.0n", "Sw1, PSA
// Normal", "sys/switch-A/fan-1"), no long lower-case token (a hash or
// an identifier: "vThunder3ac80f21f3ad31e1").
func modelLike(t string) bool {
	if len(t) < 3 || len(t) > 40 || len(strings.Fields(t)) > 4 || strings.ContainsAny(t, ":@=,\\<>*\uFFFD") || strings.Count(t, "/") > 1 ||
		!strings.ContainsFunc(t, unicode.IsUpper) || dottedNumber.MatchString(t) || macLike.MatchString(t) ||
		notModelWord.MatchString(t) || len(t) >= 16 && !strings.Contains(t, " ") && strings.ContainsFunc(t, unicode.IsLower) {
		return false
	}
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

var (
	dottedNumber = lazyre.New(`\d\.\d`)
	notModelWord = lazyre.New(`(?i)\b(?:version|status|port|channel|outlet|slot|sensor|temp\w*|humid\w*|board|location|interface|eth\d*|wlan\d*|local|user|admin|public|private)\b`)
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
	sysDescr(`^[A-Za-z]+ \(([A-Z][\w\-]*\d[\w\-]*\([\w\-]+\))\) version`),
	sysDescr(`;\s*([A-Za-z][^;:]{2,40}?) v\d+(?:\.\d+)+\s*(?:;|$)`).then(productName),
	sysDescr(`Operating System Software\s+([A-Z][\w\-]*\d[\w\-]*) Series Software`),
	// "<line> Series <what it is> <model>, <OS> <version>": the token
	// before the OS release ("Thunder Series Unified Application Service
	// Gateway TH5630, ACOS 4.1.0-P5,").
	sysDescr(`^\w+ Series [^,]+? (\S+), [A-Z][A-Za-z]+ v?\d+\.\d`).then(partNumber),
	// A short description ending in a lower-case product code ("Terra
	// DVB-T/T2/C to IP streamer sti410C"); not an architecture (amd64).
	sysDescr(`^[^,;:()]{10,70}\s([a-z]{2,5}\d{2,4}[A-Za-z]?)$`).then(partNumber),
	// Semicolon-separated fields that start with the product, then what
	// it is and its release ("; AXIS Q1656; Box Camera; 10.12.240; …").
	sysDescr(`^\s*;\s*([A-Z][^;]{2,40}?)\s*;\s*[^;]+;\s*v?\d+(?:\.\d+)+\s*;`),
	// "<maker> <product>, <train>.<release>, …" ("HP 1810-24G, PL.1.9,
	// eCos-3.0, …").
	sysDescr(`^([^,]{3,60}), [A-Z]{1,3}\.\d+(?:\.\d+)+,`),
	// An operating system's name, then the platform ("RouterOS RB433GL").
	sysDescr(`^[A-Z][A-Za-z]*OS ([A-Z][\w\-+]*\d[\w\-+]*)$`),
	// The machine type a server's description labels (AIX: "Machine
	// Type: 0x0800004c").
	sysDescr(`(?i)\bmachine type:\s*(\S+)`),
}
