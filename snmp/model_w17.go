package snmp

import (
	"strings"

	"tend/internal/lazyre"
)

// hostCounter is a host's name in the shape administrators number their
// machines in: lower-case letters (and hyphens) then a zero-padded counter
// ("labbdds01", "srv-web-02", BlueCat's sysDescr, which is the host's
// name). A product's name carries a capital or a number that is not an
// ordinal (the lower-case products on setC: "sti410C", "qfx5100-24q-2p",
// "as5812_54x", "vedge-1000").
var hostCounter = lazyre.New(`^[a-z][a-z\-]*[a-z]-?0\d{1,2}$`)

// driverName is the printer driver a printer's first hrDeviceDescr may
// name instead of the printer ("Generic 28C-1" on a Konica Minolta bizhub
// whose sysDescr names "bizhub C3110"): a driver for many models.
var driverName = lazyre.New(`(?i)^generic\b`)

// notDriver drops a generic driver's name.
func notDriver(s string) string {
	if driverName.MatchString(s) {
		return ""
	}
	return s
}

// holdsSerial reports whether a model of several words has the device's
// serial number for one of them ("SFD 130128673", Profline's sysDescr,
// whose unit number the maker's MIB repeats as the serial): the unit's
// name, not a product's.
func holdsSerial(model, serial string) bool {
	return len(serial) >= 6 && strings.Contains(model, " ") && hasWord(model, serial)
}

// typeModel is IBM's machine type and model ("8233-E8B": four digits, a
// hyphen, three capitals and digits), which the Open Firmware convention
// writes after the maker's name ("IBM,8233-E8B"); modelLike refuses it for
// its share of digits, so it counts only after that prefix.
var typeModel = lazyre.New(`^\d{4}-[A-Z0-9]*[A-Z][A-Z0-9]*$`)
