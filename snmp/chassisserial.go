package snmp

import (
	"strings"

	"tend/internal/lazyre"
)

// serialShaped is an entPhysicalModelName in a serial number's or a
// manufacturing part's shape: ten or more capitals and digits without a
// separator, with a letter and a run of seven digits or more
// ("FP1ZZ5654001A", the part number an Edgecore switch's ONIE EEPROM
// holds, which Cumulus Linux reports as the chassis's model); a product's
// digits come in shorter runs ("DCS7050TX128"). chassisModel then reads
// the row's description first, as for an order code. On setC the chassis
// rows' model names of that shape are this one; none that names the
// product is.
func serialShaped(s string) bool {
	return len(s) >= 10 && serialCode.MatchString(s) && strings.ContainsFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' })
}

var serialCode = lazyre.New(`^[A-Z0-9]*[0-9]{7}[A-Z0-9]*$`)
