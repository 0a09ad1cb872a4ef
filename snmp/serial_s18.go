package snmp

import (
	"strings"

	"tend/internal/lazyre"
)

// redactionMask is the lower-case x run that masks a serial
// number's last characters where a recording was published ("NS083300xxxx",
// "FR60Fxxxxxxxxxxx" in LibreNMS's test data): the
// characters before it are a serial's capitals and digits.
var redactionMask = lazyre.New(`^([A-Z0-9][A-Z0-9\-]*?)(x{3,})$`)

// unmasked is t with a redaction mask's x's as capitals, so that the
// serial number's shape tests judge the number, not the mask (whose
// lower case reads as a product name's mixed case).
func unmasked(t string) string {
	if !strings.HasSuffix(t, "xxx") {
		return t // the common case, without the expression
	}
	m := redactionMask.FindStringSubmatch(t)
	if m == nil || !strings.ContainsAny(m[1], "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return t
	}
	return m[1] + strings.ToUpper(m[2])
}

// osVersioned is the release sysDescr gives after the operating system's
// name ("Arista Networks EOS version 4.15.3F running on …", "DmOS
// version 9.0.0-345"), the generic entry's source like softwareLabelled:
// read before the chassis row's revisions only when the row's software
// revision is another release of the same line (its first number). The
// agent builds sysDescr from the image it booted; an
// entPhysicalSoftwareRev of the same line that differs names another
// image (the one installed for the next boot, or a supervisor's), and
// end-of-life and advisory matching need the running one.
var osVersioned = func() source {
	s := sysDescr(`\b[A-Z][A-Za-z\-]*OS,? version v?(\d+(?:\.\w+)+)`)
	s.unlessEntity = true
	return s
}()
