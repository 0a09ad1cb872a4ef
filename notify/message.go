package notify

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"tend/inventory"
)

// SchemaVersion names the webhook JSON schema; a receiver checks it before
// reading the rest. Fields are only ever added within a version.
const SchemaVersion = "tend.notify/v1"

// Status is where a problem stands in a message.
type Status string

// Statuses: triggered when a problem appears, updated when its severity,
// devices or title change, cleared when it is gone; test for the test-send
// button.
const (
	StatusTriggered Status = "triggered"
	StatusUpdated   Status = "updated"
	StatusCleared   Status = "cleared"
	StatusTest      Status = "test"
)

// Device is one device a problem covers, as a message names it.
type Device struct {
	Key  string `json:"key"` // MAC, or "ip:" address for a device known by address only
	Name string `json:"name,omitempty"`
	IP   string `json:"ip,omitempty"`
}

// Problem is what the wiring hands the dispatcher: one entry of the site's
// actions list (findings.Problem, flattened), with its stable key.
type Problem struct {
	Key      string               `json:"problem_key"`
	Rule     string               `json:"rule"`
	Severity inventory.Severity   `json:"severity"`
	Title    string               `json:"title"`
	Action   string               `json:"action"`
	Evidence []inventory.Evidence `json:"evidence"`
	Devices  []Device             `json:"devices"`
}

// Message is one notification: the webhook body (schema SchemaVersion) and
// what every other outlet renders from.
type Message struct {
	Schema string    `json:"schema"`
	ID     string    `json:"id"` // unique per message: receivers de-duplicate on it
	Time   time.Time `json:"time"`
	Site   string    `json:"site"`
	Status Status    `json:"status"`
	Problem
	Count int    `json:"count"` // len(Devices)
	Link  string `json:"link,omitempty"`
}

// Subject is a one-line summary for mail subjects, chat titles and syslog.
func (m *Message) Subject() string {
	return fmt.Sprintf("[%s] %s %s: %s", cmp.Or(m.Site, "tend"), strings.ToUpper(string(m.Severity)), m.Status, m.Title)
}

// Text is the plain-text body shared by mail and chat outlets.
func (m *Message) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nStatus: %s\nSeverity: %s\nSite: %s\nProblem: %s (%s)\n", m.Title, m.Status, m.Severity, m.Site, m.Key, m.Rule)
	if m.Action != "" {
		fmt.Fprintf(&b, "\nAction: %s\n", m.Action)
	}
	if len(m.Devices) > 0 {
		fmt.Fprintf(&b, "\nDevices (%d):\n", m.Count)
		for _, d := range m.Devices[:min(len(m.Devices), 50)] {
			fmt.Fprintf(&b, "  - %s\n", deviceLine(d))
		}
		if len(m.Devices) > 50 {
			fmt.Fprintf(&b, "  … and %d more\n", len(m.Devices)-50)
		}
	}
	if len(m.Evidence) > 0 {
		b.WriteString("\nEvidence:\n")
		for _, e := range m.Evidence[:min(len(m.Evidence), 20)] {
			fmt.Fprintf(&b, "  - %s: %s\n", e.Source, e.Detail)
		}
	}
	if m.Link != "" {
		fmt.Fprintf(&b, "\n%s\n", m.Link)
	}
	return b.String()
}

func deviceLine(d Device) string {
	s := cmp.Or(d.Name, strings.TrimPrefix(d.Key, "ip:"))
	if d.IP != "" && d.IP != s {
		s += " " + d.IP
	}
	if !strings.HasPrefix(d.Key, "ip:") && d.Key != s {
		s += " (" + d.Key + ")"
	}
	return s
}

// changed reports whether b says something a person should hear about
// compared with a: severity, title, or the set of devices.
func changed(a, b Problem) bool {
	if a.Severity != b.Severity || a.Title != b.Title {
		return true
	}
	return !slices.EqualFunc(a.Devices, b.Devices, func(x, y Device) bool { return x.Key == y.Key })
}

// Diff compares the problems last notified (prev) with the current ones
// and returns the messages the change calls for at now, cleared ones last;
// within a status, in key order so a diff is reproducible.
func Diff(prev, cur map[string]Problem, site, link string, now time.Time) []Message {
	var out []Message
	keys := func(m map[string]Problem) []string {
		ks := make([]string, 0, len(m))
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	mk := func(p Problem, st Status) Message {
		return Message{Schema: SchemaVersion, ID: fmt.Sprintf("%s-%s-%d", p.Key, st, now.UnixNano()), Time: now.UTC(), Site: site,
			Status: st, Problem: p, Count: len(p.Devices), Link: link}
	}
	for _, k := range keys(cur) {
		p := cur[k]
		old, ok := prev[k]
		switch {
		case !ok:
			out = append(out, mk(p, StatusTriggered))
		case changed(old, p):
			out = append(out, mk(p, StatusUpdated))
		}
	}
	for _, k := range keys(prev) {
		if _, ok := cur[k]; !ok {
			out = append(out, mk(prev[k], StatusCleared))
		}
	}
	return out
}

// TestMessage is what the test-send button sends.
func TestMessage(site string, now time.Time) Message {
	return Message{Schema: SchemaVersion, ID: fmt.Sprintf("test-%d", now.UnixNano()), Time: now.UTC(), Site: site, Status: StatusTest,
		Problem: Problem{Key: "test", Rule: "test", Severity: inventory.SeverityInfo, Title: "Test message from tend",
			Action: "Nothing to do: this checks the outlet works.", Evidence: []inventory.Evidence{}, Devices: []Device{}}}
}
