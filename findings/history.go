package findings

import (
	"reflect"
	"sync"
	"time"

	"tend/inventory"
)

// samples are a device's two most recent distinct health readings: rates
// (errors rising, link load, reboots) come from these two, whatever the
// evaluation interval, so a 5-minute poll read every minute is still a
// 5-minute rate, and the finding holds steady between polls.
type samples struct {
	before, last *reading
}

// reading is what the rate rules read of a device's past reading (LastSeen,
// SNMP uptime, Health): the history keeps that much, not every device's
// whole record (a 752-byte Device and its strings: 0.8 MB or more with
// 1,000 devices).
type reading struct {
	lastSeen time.Time
	uptime   time.Duration
	snmp     bool // the device had SNMP (uptime is then its sysUpTime)
	health   *inventory.Health
}

func readingOf(d *inventory.Device) *reading {
	r := &reading{lastSeen: d.LastSeen, health: d.Health}
	if d.SNMP != nil {
		r.snmp, r.uptime = true, d.SNMP.Uptime
	}
	return r
}

// device is the reading as Input.Previous carries it.
func (r *reading) device(mac inventory.MAC) inventory.Device {
	d := inventory.Device{MAC: mac, LastSeen: r.lastSeen, Health: r.health}
	if r.snmp {
		d.SNMP = &inventory.SNMPSystem{Uptime: r.uptime}
	}
	return d
}

// sameSample reports whether b is the reading a already holds.
func sameSample(a, b *reading) bool {
	return a.uptime == b.uptime && reflect.DeepEqual(a.health, b.health)
}

// History keeps each device's two most recent distinct health readings, so
// rates come from real polls whatever the evaluation interval. The zero
// value is ready; it is safe for concurrent use.
type History struct {
	mu      sync.Mutex
	samples map[string]*samples // by MAC
}

// Previous updates the history with devs and returns the snapshot of each
// device's reading before its latest, for Input.Previous (nil when there is
// none yet).
func (r *History) Previous(devs []inventory.Device, now time.Time) *inventory.Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.samples == nil {
		r.samples = map[string]*samples{}
	}
	prev := &inventory.Snapshot{Time: now}
	seen := make(map[string]bool, len(devs))
	for i := range devs {
		d := readingOf(&devs[i])
		key := devs[i].MAC.String()
		seen[key] = true
		s := r.samples[key]
		switch {
		case s == nil:
			r.samples[key] = &samples{last: d}
			continue
		case !sameSample(s.last, d):
			s.before, s.last = s.last, d
		}
		if s.before != nil {
			prev.Devices = append(prev.Devices, s.before.device(devs[i].MAC))
			if s.before.lastSeen.Before(prev.Time) {
				prev.Time = s.before.lastSeen
			}
		}
	}
	for key := range r.samples {
		if !seen[key] {
			delete(r.samples, key)
		}
	}
	if len(prev.Devices) == 0 {
		return nil
	}
	return prev
}
