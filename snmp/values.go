package snmp

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gosnmp/gosnmp"

	"tend/inventory"
)

// MIB-II system group scalars, RFC 3418 section 2.
const (
	oidSysDescr    = "1.3.6.1.2.1.1.1.0"
	oidSysObjectID = "1.3.6.1.2.1.1.2.0"
	oidSysUpTime   = "1.3.6.1.2.1.1.3.0"
	oidSysContact  = "1.3.6.1.2.1.1.4.0"
	oidSysName     = "1.3.6.1.2.1.1.5.0"
	oidSysLocation = "1.3.6.1.2.1.1.6.0"
)

// systemOIDs is the one GET System sends.
var systemOIDs = []string{oidSysDescr, oidSysObjectID, oidSysUpTime, oidSysContact, oidSysName, oidSysLocation}

// maxText bounds any string taken from an agent. DisplayString is SIZE
// (0..255) (RFC 2579), but Cisco and Windows sysDescr values run longer, so
// allow some room without letting a hostile agent fill storage.
const maxText = 1024

// decodeSystem turns the varbinds of a system group GET into an SNMPSystem.
// Varbinds are matched by name, not position; missing ones, exceptions
// (noSuchObject, noSuchInstance, endOfMibView) and values of the wrong type
// leave the field empty. problems says what was wrong, for the debug log.
func decodeSystem(vars []gosnmp.SnmpPDU) (sys inventory.SNMPSystem, problems []string) {
	for _, v := range vars {
		name := strings.TrimPrefix(v.Name, ".")
		var err error
		switch name {
		case oidSysDescr:
			sys.SysDescr, err = decodeText(v)
		case oidSysContact:
			sys.SysContact, err = decodeText(v)
		case oidSysName:
			sys.SysName, err = decodeText(v)
		case oidSysLocation:
			sys.SysLocation, err = decodeText(v)
		case oidSysObjectID:
			sys.SysObjectID, err = decodeOID(v)
		case oidSysUpTime:
			sys.Uptime, err = decodeTicks(v)
		default:
			err = fmt.Errorf("unexpected varbind %q", name)
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
		}
	}
	return sys, problems
}

// errException reports that the agent has no value for the object; it is
// normal (not every agent fills sysContact), so it is not a problem.
func isException(t gosnmp.Asn1BER) bool {
	return t == gosnmp.NoSuchObject || t == gosnmp.NoSuchInstance || t == gosnmp.EndOfMibView || t == gosnmp.Null
}

func decodeText(v gosnmp.SnmpPDU) (string, error) {
	if isException(v.Type) {
		return "", nil
	}
	if v.Type != gosnmp.OctetString {
		return "", fmt.Errorf("type %s, want OctetString", v.Type)
	}
	switch b := v.Value.(type) {
	case []byte:
		return cleanText(b), nil
	case string:
		return cleanText([]byte(b)), nil
	}
	return "", fmt.Errorf("OctetString holding %T", v.Value)
}

// decodeOID accepts an OBJECT IDENTIFIER, or the dotted text of one in an
// OctetString (some agents get the type wrong), and returns it without the
// leading dot gosnmp adds.
func decodeOID(v gosnmp.SnmpPDU) (string, error) {
	if isException(v.Type) {
		return "", nil
	}
	var s string
	switch v.Type {
	case gosnmp.ObjectIdentifier:
		s, _ = v.Value.(string)
	case gosnmp.OctetString:
		s, _ = decodeText(v)
	default:
		return "", fmt.Errorf("type %s, want ObjectIdentifier", v.Type)
	}
	s = strings.TrimPrefix(strings.TrimSpace(s), ".")
	if !isDottedOID(s) {
		return "", fmt.Errorf("%q is not an object identifier", cleanText([]byte(s)))
	}
	return s, nil
}

func isDottedOID(s string) bool {
	if s == "" || len(s) > maxText {
		return false
	}
	for arc := range strings.SplitSeq(s, ".") {
		if arc == "" || strings.Trim(arc, "0123456789") != "" {
			return false
		}
	}
	return true
}

// decodeTicks reads sysUpTime, TimeTicks in hundredths of a second (RFC 2578
// section 7.1.8). Unsigned counters and non-negative integers are accepted
// from agents that mistype it.
func decodeTicks(v gosnmp.SnmpPDU) (time.Duration, error) {
	if isException(v.Type) {
		return 0, nil
	}
	var n uint64
	switch x := v.Value.(type) {
	case uint32:
		n = uint64(x)
	case uint:
		n = uint64(x)
	case uint64:
		n = x
	case int:
		if x < 0 {
			return 0, fmt.Errorf("negative uptime %d", x)
		}
		n = uint64(x)
	default:
		return 0, fmt.Errorf("type %s holding %T, want TimeTicks", v.Type, v.Value)
	}
	if n > 1<<32-1 {
		return 0, fmt.Errorf("uptime %d exceeds TimeTicks", n)
	}
	return time.Duration(n) * 10 * time.Millisecond, nil
}

// cleanText makes an agent's octets safe to store and show: it stops at the
// first NUL (C agents pad fixed buffers with NULs, sometimes then garbage),
// replaces invalid UTF-8 with U+FFFD, turns CR LF and CR into LF, other
// control characters (tabs, escapes that could drive a terminal) into
// spaces, trims, strips one pair of surrounding double quotes (recordings and
// some agents wrap sysDescr in them) and bounds the length.
func cleanText(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	if printableASCII(b) {
		return trimText(string(b)) // nothing to replace: identification decodes every object of each probe
	}
	s := strings.ToValidUTF8(string(b), "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return ' '
		}
		return r
	}, s)
	return trimText(s)
}

// printableASCII reports bytes from space to tilde only: text cleanText
// leaves as it is but for trimming.
func printableASCII(b []byte) bool {
	for _, c := range b {
		if c < ' ' || c > '~' {
			return false
		}
	}
	return true
}

// trimText is cleanText's end: the text trimmed, without one pair of
// surrounding double quotes, and bounded.
func trimText(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if len(s) > maxText {
		cut := maxText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = strings.TrimSpace(s[:cut])
	}
	return s
}

// pduUint reads any unsigned or non-negative integer value; other types,
// negative numbers and exceptions report false.
func pduUint(v gosnmp.SnmpPDU) (uint64, bool) {
	switch v.Type {
	case gosnmp.Integer, gosnmp.Counter32, gosnmp.Gauge32, gosnmp.TimeTicks, gosnmp.Counter64, gosnmp.Uinteger32:
	default:
		return 0, false
	}
	switch x := v.Value.(type) {
	case int:
		return uint64(x), x >= 0
	case int32:
		return uint64(x), x >= 0
	case int64:
		return uint64(x), x >= 0
	case uint:
		return uint64(x), true
	case uint32:
		return uint64(x), true
	case uint64:
		return x, true
	}
	return 0, false
}

// pduInt reads an INTEGER (or a small unsigned) as int; others report false.
func pduInt(v gosnmp.SnmpPDU) (int, bool) {
	switch x := v.Value.(type) {
	case int:
		if v.Type == gosnmp.Integer {
			return x, true
		}
	}
	if u, ok := pduUint(v); ok && u <= 1<<31-1 {
		return int(u), true
	}
	return 0, false
}

// hexWordText is t decoded when it is a run of "0xNN" byte words that
// spell printable ASCII, the way some agents print an octet string they
// hold as bytes (CyberPower PowerPanel's upsIdentUPSSoftwareVersion "0x43
// 0x52 0x30 0x31 …" for "CR01…"); t otherwise. Three words at least: one
// or two are as likely a code ("0x41" a register, a flag).
func hexWordText(t string) string {
	if len(t) < 14 || t[0] != '0' || t[1] != 'x' && t[1] != 'X' || (len(t)+1)%5 != 0 {
		return t
	}
	b := make([]byte, 0, (len(t)+1)/5)
	for i := 0; i < len(t); i += 5 {
		if t[i] != '0' || t[i+1] != 'x' && t[i+1] != 'X' || i+4 < len(t) && t[i+4] != ' ' {
			return t
		}
		n, err := strconv.ParseUint(t[i+2:i+4], 16, 8)
		if err != nil || n < 0x20 || n > 0x7e {
			return t
		}
		b = append(b, byte(n))
	}
	if d := trimText(string(b)); d != "" {
		return d
	}
	return t
}

// pduText reads an OctetString as clean text ("" for anything else).
func pduText(v gosnmp.SnmpPDU) string {
	s, err := decodeText(v)
	if err != nil {
		return ""
	}
	return s
}

// pduMAC reads a six-octet OctetString as a MAC address (nil otherwise,
// and for all zeros).
func pduMAC(v gosnmp.SnmpPDU) inventory.MAC {
	if v.Type != gosnmp.OctetString {
		return nil
	}
	var b []byte
	switch x := v.Value.(type) {
	case []byte:
		b = x
	case string:
		b = []byte(x)
	}
	if len(b) != 6 || bytes.Equal(b, make([]byte, 6)) {
		return nil
	}
	return inventory.MAC(bytes.Clone(b))
}

// decodeDateAndTime reads an SNMPv2-TC DateAndTime (RFC 2579): 8 octets
// (year, month, day, hour, minutes, seconds, deci-seconds) or 11 with the
// offset from UTC. All zeros (the "not known" agents send), impossible
// fields and years outside 1970..2200 report false.
func decodeDateAndTime(b []byte) (time.Time, bool) {
	if len(b) != 8 && len(b) != 11 {
		return time.Time{}, false
	}
	year := int(b[0])<<8 | int(b[1])
	mon, day, h, m, s, ds := int(b[2]), int(b[3]), int(b[4]), int(b[5]), int(b[6]), int(b[7])
	if year < 1970 || year > 2200 || mon < 1 || mon > 12 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60 || ds > 9 {
		return time.Time{}, false
	}
	loc := time.UTC
	// An offset whose direction is neither '+' nor '-' (VMware sends
	// zeros) is read as UTC.
	if len(b) == 11 && (b[8] == '+' || b[8] == '-') {
		if b[9] > 13 || b[10] > 59 {
			return time.Time{}, false
		}
		off := int(b[9])*3600 + int(b[10])*60
		if b[8] == '-' {
			off = -off
		}
		loc = time.FixedZone("", off)
	}
	t := time.Date(year, time.Month(mon), day, h, m, s, ds*100_000_000, loc)
	if t.Day() != day {
		return time.Time{}, false // 31 February and the like
	}
	return t, true
}
