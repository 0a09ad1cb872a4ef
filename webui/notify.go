package webui

import (
	"strings"
	"time"

	"tend/findings"
	"tend/inventory"
	"tend/notify"
	"tend/storage"
)

// ActiveProblems is what the notification outlets should know as of now:
// the store's active problems (the actions page's list) in notify's
// vocabulary.
func ActiveProblems(st *storage.Store) func(now time.Time) ([]notify.Problem, error) {
	return func(now time.Time) ([]notify.Problem, error) {
		fs, err := st.Findings()
		if err != nil {
			return nil, err
		}
		devs, err := st.Devices()
		if err != nil {
			return nil, err
		}
		return notifyProblems(findings.ActiveProblems(findings.Problems(fs, devs, now)), devs), nil
	}
}

// notifyProblems flattens findings' problems into notify's vocabulary,
// naming each device.
func notifyProblems(ps []findings.Problem, devs []inventory.Device) []notify.Problem {
	byKey := make(map[string]*inventory.Device, len(devs))
	for i := range devs {
		byKey[devs[i].MAC.String()] = &devs[i]
	}
	out := make([]notify.Problem, 0, len(ps))
	for _, p := range ps {
		np := notify.Problem{Key: p.Key, Rule: p.Rule, Severity: p.Severity, Title: p.Title, Action: p.Action, Evidence: p.Evidence, Devices: []notify.Device{}}
		for _, k := range p.Devices {
			nd := notify.Device{Key: k}
			if d := byKey[k]; d != nil {
				nd.Name = d.Name()
				if d.IP.IsValid() {
					nd.IP = d.IP.String()
				}
			} else if ip, ok := strings.CutPrefix(k, "ip:"); ok {
				nd.IP = ip
			}
			np.Devices = append(np.Devices, nd)
		}
		out = append(out, np)
	}
	return out
}
