package snmp

import (
	"net/netip"
	"strings"

	"tend/internal/lazyre"
)

// redactionMask is the run of x's that masks a serial number's last
// characters where a recording was published ("NS083300xxxx",
// "FR60Fxxxxxxxxxxx", "CZXXXXXXXX" in LibreNMS's test data): the
// characters before it are a serial's capitals and digits. A lower-case
// run of three or more, or a capital one of four or more.
var redactionMask = &lazyre.Regexp{Expr: `^([A-Z0-9][A-Z0-9\-]*?)(x{3,}|X{4,})$`}

// unmasked is t with a redaction mask's x's as zeros, so that the serial
// number's shape tests judge the number, not the mask (whose lower case
// reads as a product name's mixed case, whose letters leave no digit). A
// mask after no serial's characters (all mask, a placeholder's word, a
// prefix too short or all zeros: maskedPrefix) is "".
func unmasked(t string) string {
	if !strings.HasSuffix(t, "xxx") && !strings.HasSuffix(t, "XXXX") {
		return t // the common case, without the expression
	}
	m := redactionMask.FindStringSubmatch(t)
	if m == nil {
		return t
	}
	if !maskedPrefix(strings.TrimRight(m[1], "X-"), m[2][0] == 'x') {
		return "" // a mask after no serial's characters: nothing to judge
	}
	return m[1] + strings.Repeat("0", len(m[2]))
}

// maskedPrefix reports whether p, the characters a redaction mask leaves,
// can begin a serial number: four or more with a digit, not all zeros,
// or exactly two capitals (HP's "CZXXXXXXXX"); never a placeholder's
// word ("SNXXXXXXXXXX", "TBDXXXXXXX", "NONEXXXX"). Before a lower-case
// mask, which only a publisher's redaction writes (an agent's own
// placeholder is in capitals), four capitals or more need no digit
// (Moxa's "TBBIxxxxxxxx").
func maskedPrefix(p string, lower bool) bool {
	if placeholderWord[p] || strings.Trim(p, "0-") == "" {
		return false
	}
	if len(p) == 2 {
		return p[0] >= 'A' && p[0] <= 'Z' && p[1] >= 'A' && p[1] <= 'Z'
	}
	return len(p) >= 4 && (strings.ContainsAny(p, "0123456789") || lower)
}

// placeholderWord is a word an agent gives for a serial it does not know.
var placeholderWord = map[string]bool{"SN": true, "NA": true, "N/A": true, "NO": true, "TBD": true, "NONE": true, "NULL": true,
	"UNKNOWN": true, "SERIAL": true, "EMPTY": true, "DEFAULT": true}

// osVersioned is the release sysDescr gives after the operating system's
// name ("Arista Networks EOS version 4.15.3F running on …", "DmOS
// version 9.0.0-345"), the generic entry's source like softwareLabelled:
// read before the chassis row's revisions only when the row's software
// revision is another release of the same line (its first number). The
// agent builds sysDescr from the image it booted; an
// entPhysicalSoftwareRev of the same line that differs names another
// image (the one installed for the next boot, or a supervisor's), and
// end-of-life and advisory matching need the running one.
var osVersioned = source{descr: true, unlessEntity: true}.then(osRelease)

// osNamed is an operating system's name and the release after it.
var osNamed = &lazyre.Regexp{Expr: `\b([A-Z][A-Za-z\-]*OS),? version v?(\d+(?:\.\w+)+)`}

// osRelease is the first release osNamed finds in d that is not a boot
// program's ("Acme server, BIOS version 4.2.1, XOS version 4.15.3F":
// the firmware that starts the machine, not the system it runs).
func osRelease(d string) string {
	for _, m := range osNamed.Compiled().FindAllStringSubmatchIndex(d, -1) {
		name := strings.ToLower(d[m[2]:m[3]])
		before := strings.Fields(strings.ToLower(d[:m[2]]))
		if name == "bios" || strings.HasPrefix(name, "boot") || len(before) > 0 && bootWord[strings.Trim(before[len(before)-1], ",;:()")] {
			continue
		}
		return d[m[4]:m[5]]
	}
	return ""
}

// bootWord is a word naming the program that starts a device.
var bootWord = map[string]bool{"bios": true, "boot": true, "bootrom": true, "boot-rom": true, "loader": true, "bootloader": true, "uefi": true}

// productSoftware is the release a description gives the product's
// software after its name, where the platform's own version comes first
// ("ZXR10 ROS Version V4.08.23 ZXR10_5928 Software, Version ZXR10 5900
// V2.8.23.A.19.P02": ROS is ZTE's router operating system, the second
// the switch's software release): "Software, Version", the product's
// words, then a V-numbered release of three numbers or more. The
// generic grammars would take the first "Version", the platform's.
var productSoftware = withoutParts([]source{{descr: true, re: &lazyre.Regexp{Expr: `\bSoftware,? Version (?:[A-Z0-9][\w\-]*\s+){1,3}[vV](\d+(?:\.\w+){2,})`}}})[0]

// stackTemplateRow reports whether the chassis row is the one Aricent's
// ISS (the switching stack behind stackSDKRevision) fills with its own
// defaults when the maker leaves it alone: named "ISS" after the stack,
// its revisions the stack's template (hardware 5.9.1, firmware 6.7.2,
// software 6.2.0 on all three SIAE ALFOplus agents of setC), none of
// them the product's. Makers that fill the row name it (Eltex's host
// name, "SCALANCE XC206-2SFP") and put their firmware in
// entPhysicalFirmwareRev; a template row's revisions are skipped, the
// maker's own objects answer or none.
func (vs *values) stackTemplateRow(chassis string) bool {
	return vs.entityText(entColDescr, chassis) == "Network Element" && vs.entityText(entColName, chassis) == "ISS"
}

// codeVersion is a firmware's part code then its release of three
// numbers or more, the whole object ("N50052  01.05.00", SIAE's
// ALFOplus firmware beside the ISS template row stackTemplateRow
// skips): the release, when no object of the maker's MIB holds a bare
// version or a labelled one.
var codeVersion = &lazyre.Regexp{Expr: `^([A-Z][A-Z0-9\-]{2,15})\s+v?(\d+(?:\.\d+){2,})$`}

// codeRelease sets *dst to the release codeVersion finds in t and
// reports whether it found one: not an address ("NTP-SERVER
// 192.168.100.200") nor a setting's or a reading's value ("TEMP
// 25.5.1"), whose label is a word of labelWord.
func codeRelease(t string, dst *string) bool {
	if cannotMatch(codeVersion, t) {
		return false
	}
	m := codeVersion.FindStringSubmatch(t)
	if m == nil || isAddress(m[2]) {
		return false
	}
	for _, w := range strings.Split(m[1], "-") {
		if labelWord[w] {
			return false
		}
	}
	*dst = m[2]
	return true
}

// isAddress reports an IP address ("192.168.1.10"), never a release.
func isAddress(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

// labelWord is a word labelling a setting or a reading, not a firmware.
var labelWord = map[string]bool{"IP": true, "IPV4": true, "IPV6": true, "GW": true, "GATEWAY": true, "NTP": true, "DNS": true, "SERVER": true,
	"TEMP": true, "MASK": true, "NETMASK": true, "SUBNET": true, "ADDR": true, "ADDRESS": true, "HOST": true, "ROUTE": true, "SNMP": true,
	"TRAP": true, "SYSLOG": true, "VOLT": true, "VOLTAGE": true, "HUMIDITY": true, "DATE": true, "TIME": true, "PORT": true}

// modelRelease is the release sysDescr gives right after the model found
// ("… PrintServer: Attached to MC873 Rev.07.87 …"): the model's own,
// where a description names two products with their releases (OKI's
// print server, "OkiLAN 9450g Rev.00.69", then the printer it serves);
// a fingerprint or a generic grammar would take the first, another
// product's. Read before Recog's fingerprints.
func (vs *values) modelRelease() source {
	return source{descr: true, sansParts: true}.then(func(d string) string { return releaseAfter(d, vs.model) })
}

// afterModel is a release label and its number just after a model's
// name: "Rev.07.87", "v2.1.3", "version 4.2", "Ver. 1.0.2".
var afterModel = &lazyre.Regexp{Expr: `^\s+(?:Rev\.?\s*|[vV]\.?|[Vv]ersion\s+|Ver\.?\s*)(\d+(?:\.\w+)+)`}

// releaseAfter is the release afterModel finds just after model, a word
// of descr; "" when model is too short to stand for the product or none
// follows it.
func releaseAfter(descr, model string) string {
	if len(model) < 3 {
		return ""
	}
	for i := strings.Index(descr, model); i >= 0; {
		end := i + len(model)
		if (i == 0 || !isWordByte(descr[i-1])) && (end == len(descr) || !isWordByte(descr[end])) {
			if m := afterModel.FindStringSubmatch(descr[end:]); m != nil && !isAddress(m[1]) {
				return m[1]
			}
		}
		j := strings.Index(descr[end:], model)
		if j < 0 {
			break
		}
		i = end + j
	}
	return ""
}

// isWordByte reports a byte a word goes on with: a letter, a digit, an
// underscore or a hyphen.
func isWordByte(b byte) bool {
	return b == '_' || b == '-' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
