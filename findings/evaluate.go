package findings

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"tend/inventory"
)

// Input is everything the rules read. Only Snapshot is required; each other
// field feeds the rules that need it, and a rule whose input is missing
// stays silent rather than guessing.
type Input struct {
	// Snapshot is the site now: devices (with Health, Lifecycle, Age, Role)
	// and recent events. Snapshot.Time is "now" for every rule.
	Snapshot inventory.Snapshot

	// Previous is the snapshot the last evaluation saw, for the rules that
	// need a rate or a change: interface errors rising, a port near
	// capacity, unexpected reboots. Nil on the first evaluation.
	Previous *inventory.Snapshot

	// Hardware holds end-of-sale/support verdicts on devices' hardware, by
	// MAC in its canonical string form. Nil: read from each device's
	// Lifecycle.Hardware, where the lifecycle judge puts them.
	Hardware map[string]inventory.Lifecycle

	// BulkBytes reports how many bytes a device sent or received in
	// [since, until), from the passive traffic statistics. ok is false when
	// there are no statistics covering that window (no capture running, or
	// not for long enough), which keeps the backup-target rule silent.
	BulkBytes func(mac inventory.MAC, since, until time.Time) (bytes uint64, ok bool)

	// Config tunes the thresholds; the zero value is the default.
	Config Config
}

// Config holds the rules' thresholds. Zero fields take the defaults below,
// each chosen to match what providers' checklists use.
type Config struct {
	// EventWindow is how long an event keeps its finding open. Zero: 7 days,
	// a working week plus a weekend, so Friday's scan is still there Monday.
	EventWindow time.Duration
	// QuietAfter is how long an infrastructure device may go unseen before
	// it counts as gone quiet. Zero: 20 minutes (four sweeps at the default
	// 5-minute interval).
	QuietAfter time.Duration
	// LongUptime is when an uptime suggests the device is not being
	// patched (patching needs reboots). Zero: 365 days.
	LongUptime time.Duration
	// SupplyLowPercent is the printer supply level that needs ordering.
	// Zero: 10 %.
	SupplyLowPercent float64
	// DiskFullPercent is the storage use that needs attention. Zero: 90 %.
	DiskFullPercent float64
	// InterfaceErrors is how many new errors on one interface between two
	// evaluations count as rising. Zero: 100.
	InterfaceErrors uint64
	// CapacityPercent is the utilisation of a link that counts as near
	// capacity. Zero: 80 %.
	CapacityPercent float64
	// BackupWindow and BackupMinBytes: a backup target must move at least
	// BackupMinBytes within BackupWindow. Zero: 48 h and 100 MB.
	BackupWindow   time.Duration
	BackupMinBytes uint64
	// TriageAfter is how long an unidentified device may stay unlabelled
	// before it needs triage. Zero: 1 hour.
	TriageAfter time.Duration
	// Hygiene gaps (see hygiene.go): how long a learned product may go
	// unseen from an endpoint that is otherwise active, and on how many
	// days a product must have been seen before its absence counts. Zero:
	// 3 days for a protection heartbeat, 21 for OS updates, 7 for backups
	// (the hygiene corpus's suggested defaults); learning 3 days.
	ProtectionGap, UpdateGap, BackupGap time.Duration
	HygieneLearnDays                    int
	// RemoteAccessWindow is how recently a remote-access tool must have
	// been seen to be listed. Zero: 30 days.
	RemoteAccessWindow time.Duration
}

func (c Config) withDefaults() Config {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.EventWindow, 7*24*time.Hour)
	def(&c.QuietAfter, 20*time.Minute)
	def(&c.LongUptime, 365*24*time.Hour)
	def(&c.BackupWindow, 48*time.Hour)
	def(&c.TriageAfter, time.Hour)
	def(&c.ProtectionGap, 3*24*time.Hour)
	def(&c.UpdateGap, 21*24*time.Hour)
	def(&c.BackupGap, 7*24*time.Hour)
	def(&c.RemoteAccessWindow, 30*24*time.Hour)
	if c.HygieneLearnDays <= 0 {
		c.HygieneLearnDays = 3
	}
	if c.SupplyLowPercent <= 0 {
		c.SupplyLowPercent = 10
	}
	if c.DiskFullPercent <= 0 {
		c.DiskFullPercent = 90
	}
	if c.InterfaceErrors == 0 {
		c.InterfaceErrors = 100
	}
	if c.CapacityPercent <= 0 {
		c.CapacityPercent = 80
	}
	if c.BackupMinBytes == 0 {
		c.BackupMinBytes = 100 << 20
	}
	return c
}

// Category groups rules for the health score's components.
type Category string

// Categories, one per health score component.
const (
	CategorySecurity     Category = "security"     // intruders, insecure protocols, exposed management
	CategoryLifecycle    Category = "lifecycle"    // firmware and hardware support, age
	CategoryHealth       Category = "health"       // what devices report about themselves
	CategoryAvailability Category = "availability" // devices gone quiet, reboots, backups
	CategoryInventory    Category = "inventory"    // devices nobody has identified
)

// Rule is one check. Check returns the findings it raises for the input;
// Evaluate fills ID, Rule, State and times.
type Rule struct {
	Name     string
	Category Category
	Check    func(in *input) []inventory.Finding
}

// input is Input after defaults, with indexes the rules share.
type input struct {
	Input
	now     time.Time
	cfg     Config
	prev    map[string]*inventory.Device // Previous devices by MAC
	devices map[string]*inventory.Device // current devices by MAC
}

// Rules returns every rule, in a fixed order.
func Rules() []Rule { return slices.Clone(allRules) }

// CategoryOf returns the category of the named rule ("" if unknown).
func CategoryOf(rule string) Category {
	for _, r := range allRules {
		if r.Name == rule {
			return r.Category
		}
	}
	return ""
}

// Evaluate runs every rule over in and returns the findings, most severe
// first, then by rule and device. Each is open, seen first and last at the
// snapshot's time; Reconcile carries stored state over.
func Evaluate(in Input) []inventory.Finding {
	if in.Hardware == nil {
		in.Hardware = hardwareFromDevices(in.Snapshot.Devices)
	}
	x := &input{Input: in, now: in.Snapshot.Time, cfg: in.Config.withDefaults()}
	if x.now.IsZero() {
		x.now = time.Now()
	}
	x.devices = make(map[string]*inventory.Device, len(in.Snapshot.Devices))
	for i := range in.Snapshot.Devices {
		d := &in.Snapshot.Devices[i]
		x.devices[d.MAC.String()] = d
	}
	if in.Previous != nil {
		x.prev = make(map[string]*inventory.Device, len(in.Previous.Devices))
		for i := range in.Previous.Devices {
			d := &in.Previous.Devices[i]
			x.prev[d.MAC.String()] = d
		}
	}
	var out []inventory.Finding
	for _, r := range allRules {
		for _, f := range r.Check(x) {
			f.Rule = r.Name
			if f.ID == "" { // a rule may key its findings finer than per device
				f.ID = ID(r.Name, f.Device)
			}
			f.State = inventory.FindingOpen
			f.FirstSeen, f.LastSeen = x.now, x.now
			if f.Evidence == nil {
				f.Evidence = []inventory.Evidence{}
			}
			out = append(out, f)
		}
	}
	Sort(out)
	return out
}

// Sort orders findings most severe first, then by rule and device.
func Sort(fs []inventory.Finding) {
	slices.SortFunc(fs, func(a, b inventory.Finding) int {
		if c := cmp.Compare(b.Severity.Rank(), a.Severity.Rank()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		return cmp.Compare(a.Device, b.Device)
	})
}

// ID is the stable identity of a finding: the rule name and a hash of the
// device key (its MAC, or "" for a site-wide finding), so the same problem
// on the same device keeps its ID across runs and restarts, and the ID is
// safe in URLs and storage keys.
func ID(rule, device string) string {
	sum := sha256.Sum256([]byte(rule + "\x00" + device))
	return rule + "-" + hex.EncodeToString(sum[:6])
}
