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
	before, last *inventory.Device
}

// sameSample reports whether b is the reading a already holds.
func sameSample(a, b *inventory.Device) bool {
	ua, ub := time.Duration(0), time.Duration(0)
	if a.SNMP != nil {
		ua = a.SNMP.Uptime
	}
	if b.SNMP != nil {
		ub = b.SNMP.Uptime
	}
	return ua == ub && reflect.DeepEqual(a.Health, b.Health)
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
		d := devs[i]
		key := d.MAC.String()
		seen[key] = true
		s := r.samples[key]
		switch {
		case s == nil:
			r.samples[key] = &samples{last: &d}
			continue
		case !sameSample(s.last, &d):
			s.before, s.last = s.last, &d
		}
		if s.before != nil {
			prev.Devices = append(prev.Devices, *s.before)
			if s.before.LastSeen.Before(prev.Time) {
				prev.Time = s.before.LastSeen
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
