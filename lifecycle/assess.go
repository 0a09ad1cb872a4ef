package lifecycle

import (
	"strings"
	"time"

	"tend/internal/lazyre"
	"tend/inventory"
)

// mfgDateSources are the evidence sources an SNMP identity may report a
// manufacturing date under (ENTITY-MIB entPhysicalMfgDate, RFC 6933).
var mfgDateSources = map[string]bool{"entPhysicalMfgDate": true, "mfg_date": true}

var reISODate = &lazyre.Regexp{Expr: `\b(19|20)\d{2}-\d{2}-\d{2}\b`}

// FactsOf builds the identity Judge and EstimateAge read from what the
// inventory knows of a device: the identity fields SNMP (or a person)
// filled in when present, and always the raw sysDescr and sysObjectID, so
// a device whose agent answered only the system group is still judged
// from its sysDescr.
func FactsOf(d inventory.Device) Facts {
	id := Facts{
		Vendor: d.Vendor, Make: d.Make, Model: d.Model, OS: d.OS, Firmware: d.Firmware, Serial: d.Serial,
		FirstSeen: d.FirstSeen,
	}
	if d.SNMP != nil {
		id.SysDescr, id.SysObjectID = d.SNMP.SysDescr, d.SNMP.SysObjectID
		if d.SNMP.Uptime > 0 && !d.LastSeen.IsZero() {
			id.RunningSince = d.LastSeen.Add(-d.SNMP.Uptime)
		}
	}
	if d.PurchaseDate != nil {
		id.PurchaseDate = *d.PurchaseDate
	}
	for _, e := range d.Evidence {
		if !mfgDateSources[e.Source] {
			continue
		}
		if t, err := time.Parse(time.DateOnly, reISODate.FindString(e.Detail)); err == nil && t.Year() > 1980 {
			id.MfgDate = t
		}
	}
	return id
}

// Assess sets the device's lifecycle verdict and age estimate as of now.
// A device tend knows nothing about beyond its MAC address gets an unknown
// verdict that says so; its age is left unset when nothing dates it.
func (c *Catalog) Assess(d *inventory.Device, now time.Time) {
	id := FactsOf(*d)
	v := c.Judge(id, now)
	d.Lifecycle = &v
	d.Age = c.EstimateAge(id, now)
}

// DeviceDue is a device whose support ends soon, for the UI and summaries.
type DeviceDue struct {
	MAC    inventory.MAC `json:"mac"`
	Name   string        `json:"name"`
	What   string        `json:"what"` // "product cycle" or the hardware model, as judged
	EOL    time.Time     `json:"eol"`
	Within int           `json:"within_months"` // 3, 6 or 12
}

// ForecastDevices lists the devices whose end of support (software or
// hardware, whichever comes first, as Assess recorded it) falls after now
// and within 12 months, soonest first, each in the smallest of the 3-, 6-
// and 12-month horizons.
func ForecastDevices(devs []inventory.Device, now time.Time) []DeviceDue {
	verdicts := make(map[string]inventory.Lifecycle, len(devs))
	byKey := make(map[string]*inventory.Device, len(devs))
	for i := range devs {
		d := &devs[i]
		if d.Lifecycle == nil {
			continue
		}
		verdicts[d.MAC.String()] = *d.Lifecycle
		byKey[d.MAC.String()] = d
	}
	var out []DeviceDue
	for _, due := range Forecast(verdicts, now) {
		d := byKey[due.Key]
		v := d.Lifecycle
		what := strings.TrimSpace(v.Product + " " + v.Cycle)
		if hw := v.Hardware; hw != nil && hw.EOL != nil && hw.EOL.Equal(due.EOL) {
			what = hw.Product + " " + hw.Model
		}
		out = append(out, DeviceDue{MAC: d.MAC, Name: d.Name(), What: what, EOL: due.EOL, Within: due.Within})
	}
	return out
}
