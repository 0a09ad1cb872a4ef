package upstream

import (
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"tend/findings"
	"tend/inventory"
)

// Inputs is everything a summary is made of, computed by the box's other
// parts and handed over as values: upstream judges nothing itself.
type Inputs struct {
	Snapshot inventory.Snapshot  // devices and recent events
	Findings []inventory.Finding // the box's findings; only open ones travel
	Health   Health              // the site's score and its components
	Forecast Forecast            // lifecycle outlook
}

// deviceDigest identifies a device's reportable content, last_seen aside
// (it changes on every sweep; the hub sees liveness from the summaries).
func deviceDigest(d Device) string {
	d.LastSeen = time.Time{}
	b, _ := json.Marshal(d) // plain strings and times: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// newBoxID returns a random box id: 96 bits, shown as hex.
func newBoxID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// stateView is what the previous summary left behind.
type stateView struct {
	box     string
	lastSeq uint64
	lastAt  time.Time         // generated_at of the previous summary: events after it are new
	digests map[string]string // MAC → deviceDigest as last reported
}

type summaryMeta struct {
	site, version string
	now           time.Time
	interval      time.Duration
}

// actionFrom is the travelling form of an open finding.
func actionFrom(f inventory.Finding) Action {
	return Action{ID: f.ID, Rule: f.Rule, Severity: f.Severity, Device: f.Device, Title: f.Title,
		Action: f.Action, Evidence: f.Evidence, FirstSeen: f.FirstSeen.UTC()}
}

// problemsFrom groups the open findings one per problem (findings.Problems),
// most severe first, at most MaxActions of them, naming each device.
func problemsFrom(open []inventory.Finding, devs []inventory.Device, now time.Time) []Problem {
	byMAC := make(map[string]*inventory.Device, len(devs))
	for i := range devs {
		byMAC[devs[i].MAC.String()] = &devs[i]
	}
	ps := findings.Problems(open, devs, now)
	out := make([]Problem, 0, min(len(ps), MaxActions))
	for _, p := range ps[:min(len(ps), MaxActions)] {
		w := Problem{Key: p.Key, Rule: p.Rule, Severity: p.Severity, Title: p.Title, Action: p.Action, Evidence: p.Evidence,
			Devices: make([]ProblemDevice, 0, len(p.Devices)), Count: p.Count, FirstSeen: p.FirstSeen.UTC()}
		if w.Evidence == nil {
			w.Evidence = []inventory.Evidence{}
		}
		for _, k := range p.Devices {
			pd := ProblemDevice{Key: k}
			if d := byMAC[k]; d != nil {
				pd.Name = d.Name()
				if d.IP.IsValid() {
					pd.IP = d.IP.String()
				}
			} else if ip, ok := strings.CutPrefix(k, "ip:"); ok {
				pd.IP = ip
			}
			w.Devices = append(w.Devices, pd)
		}
		out = append(out, w)
	}
	return out
}

// eventFrom is the travelling form of an event.
func eventFrom(e inventory.Event) Event {
	w := Event{Time: e.Time.UTC(), Type: string(e.Type), Severity: e.Severity, Summary: e.Summary, Evidence: e.Evidence}
	if !e.MAC.IsZero() {
		w.MAC = e.MAC.String()
	}
	if e.IP.IsValid() {
		w.IP = e.IP.String()
	}
	return w
}

// buildSummary makes the next summary from the inputs and the previous
// state, and returns the device digests to store with it. It is pure.
func buildSummary(prev stateView, in Inputs, meta summaryMeta) (*Summary, map[string]string) {
	devs := in.Snapshot.Devices
	s := &Summary{
		Schema: SchemaVersion, Site: meta.site, Box: prev.box, BoxVersion: meta.version,
		GeneratedAt: meta.now.UTC(), Seq: prev.lastSeq + 1, FirstSeq: prev.lastSeq + 1, Coalesced: 1,
		Interval: int(meta.interval / time.Second),
		Health:   in.Health, Devices: len(devs), ByType: map[string]int{}, Forecast: in.Forecast,
		Actions: []Action{}, Changed: []Device{}, Removed: []string{}, Events: []Event{},
		Vulns: vulnSummary(devs), Hygiene: hygieneSummary(devs, meta.now),
	}
	if s.Health.Components == nil {
		s.Health.Components = []HealthComponent{}
	}
	if s.Forecast.Due == nil {
		s.Forecast.Due = []Due{}
	}
	var open []inventory.Finding
	for _, f := range in.Findings {
		if f.State == inventory.FindingOpen || f.State == "" {
			s.Actions = append(s.Actions, actionFrom(f))
			open = append(open, f)
		}
	}
	s.Problems = problemsFrom(open, devs, meta.now)
	slices.SortStableFunc(s.Actions, func(x, y Action) int { return y.Severity.Rank() - x.Severity.Rank() })
	if len(s.Actions) > MaxActions {
		s.Actions = s.Actions[:MaxActions]
	}
	for _, e := range in.Snapshot.Events {
		if e.Time.After(prev.lastAt) {
			s.Events = append(s.Events, eventFrom(e))
		}
	}
	slices.SortStableFunc(s.Events, func(x, y Event) int { return x.Time.Compare(y.Time) })
	if n := len(s.Events) - MaxEvents; n > 0 {
		s.Events, s.EventsOmitted = s.Events[n:], n
	}

	digests := make(map[string]string, len(devs))
	for _, d := range devs {
		t := string(d.Type)
		if t == "" {
			t = string(inventory.TypeUnknown)
		}
		s.ByType[t]++
		w := DeviceFrom(d)
		dg := deviceDigest(w)
		digests[w.MAC] = dg
		if old, known := prev.digests[w.MAC]; known && old == dg {
			continue
		}
		s.Changed = append(s.Changed, w)
	}
	for m := range prev.digests {
		if _, ok := digests[m]; !ok {
			s.Removed = append(s.Removed, m)
		}
	}
	slices.Sort(s.Removed)
	slices.SortFunc(s.Changed, func(x, y Device) int { return cmp.Compare(x.MAC, y.MAC) })
	if n := len(s.Changed) - MaxChanged; n > 0 {
		// Devices not sent keep their old digest, so the next summary
		// sends them.
		for _, d := range s.Changed[MaxChanged:] {
			if old, ok := prev.digests[d.MAC]; ok {
				digests[d.MAC] = old
			} else {
				delete(digests, d.MAC)
			}
		}
		s.Changed, s.ChangedOmitted = s.Changed[:MaxChanged], n
	}
	return s, digests
}
