package webui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/findings"
	"tend/inventory"
	"tend/storage"
)

// maxActionRows bounds the cards drawn on the actions page (most severe
// first); the JSON answer has them all. Nobody works through more at once,
// and each card carries a form.
const maxActionRows = 300

// Filters of the actions page; the first is the default.
var stateFilters = []string{"active", "open", "acknowledged", "snoozed", "resolved", "all"}

var severities = []inventory.Severity{inventory.SeverityCritical, inventory.SeverityHigh, inventory.SeverityMedium, inventory.SeverityLow, inventory.SeverityInfo}

// actionsView is the ranked list of findings. As JSON: the filter and the
// findings in the contract's field names.
type actionsView struct {
	layout   `json:"-"`
	State    string              `json:"state"`
	Severity string              `json:"severity,omitempty"`
	Query    string              `json:"query,omitempty"`
	Count    int                 `json:"count"`
	Findings []inventory.Finding `json:"findings"`

	Rows       []actionRow  `json:"-"`
	StateTabs  []filterLink `json:"-"`
	SevTabs    []filterLink `json:"-"`
	Return     string       `json:"-"`
	SnoozeDate string       `json:"-"` // default snooze: a week
	Truncated  int          `json:"-"` // findings not drawn (beyond maxActionRows)
}

type filterLink struct {
	Label  string
	URL    string
	Active bool
	Count  int
	Class  string
}

// actionRow is one finding, preformatted.
type actionRow struct {
	inventory.Finding
	DeviceName string
	DeviceURL  string
	Active     bool
	// ProblemKey and Devices are set where a row stands for a problem
	// (the dashboard, the report): Devices is how many it covers.
	ProblemKey string `json:"problem_key,omitempty"`
	Devices    int    `json:"devices,omitempty"`
}

func actionsURL(state, sev, q string) string {
	v := url.Values{}
	if state != stateFilters[0] {
		v.Set("state", state)
	}
	if sev != "" {
		v.Set("severity", sev)
	}
	if q != "" {
		v.Set("q", q)
	}
	if len(v) == 0 {
		return "/actions"
	}
	return "/actions?" + v.Encode()
}

// stateMatches applies the state filter at now ("active" is what still
// needs doing, snoozes past their date included).
func stateMatches(f *inventory.Finding, state string, now time.Time) bool {
	switch state {
	case "active":
		return findings.Active(f, now)
	case "all":
		return true
	}
	return string(f.State) == state
}

// deviceNames maps MAC strings to display names, for finding rows.
func (s *Server) deviceNames() (map[string]string, error) {
	devs, err := s.devices()
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(devs))
	for i := range devs {
		m[devs[i].MAC.String()] = devs[i].Name()
	}
	return m, nil
}

func (s *Server) actionsPage(c *gin.Context) {
	all, err := s.st.Findings()
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the actions.", err)
		return
	}
	findings.Sort(all)
	now := s.now()
	state := c.Query("state")
	if !slices.Contains(stateFilters, state) {
		state = stateFilters[0]
	}
	sev := c.Query("severity")
	if !slices.Contains(severities, inventory.Severity(sev)) {
		sev = ""
	}
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > maxQueryLen {
		q = q[:maxQueryLen]
	}
	names, err := s.deviceNames()
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the devices.", err)
		return
	}
	terms := strings.Fields(strings.ToLower(q))
	view := actionsView{layout: s.layoutFor(c, "Actions", "actions"), State: state, Severity: sev, Query: q, Findings: []inventory.Finding{}}
	stateCount := map[string]int{}
	sevCount := map[inventory.Severity]int{}
	for i := range all {
		f := &all[i]
		if !matchesText(f, names[f.Device], terms) {
			continue
		}
		for _, st := range stateFilters {
			if stateMatches(f, st, now) {
				stateCount[st]++
			}
		}
		if !stateMatches(f, state, now) {
			continue
		}
		sevCount[f.Severity]++
		if sev != "" && string(f.Severity) != sev {
			continue
		}
		view.Findings = append(view.Findings, *f)
	}
	view.Count = len(view.Findings)
	if wantsJSON(c.Request) {
		s.writeJSON(c, http.StatusOK, view)
		return
	}
	for _, st := range stateFilters {
		view.StateTabs = append(view.StateTabs, filterLink{Label: st, URL: actionsURL(st, sev, q), Active: st == state, Count: stateCount[st]})
	}
	view.SevTabs = append(view.SevTabs, filterLink{Label: "any", URL: actionsURL(state, "", q), Active: sev == ""})
	for _, sv := range severities {
		view.SevTabs = append(view.SevTabs, filterLink{Label: string(sv), URL: actionsURL(state, string(sv), q), Active: string(sv) == sev,
			Count: sevCount[sv], Class: "sev-" + string(sv)})
	}
	for _, f := range view.Findings[:min(len(view.Findings), maxActionRows)] {
		view.Rows = append(view.Rows, s.actionRow(f, names, now))
	}
	view.Truncated = len(view.Findings) - len(view.Rows)
	view.Return = actionsURL(state, sev, q)
	view.SnoozeDate = now.AddDate(0, 0, 7).Format(time.DateOnly)
	s.render(c, http.StatusOK, s.pages.actions, view, view)
}

func (s *Server) actionRow(f inventory.Finding, names map[string]string, now time.Time) actionRow {
	r := actionRow{Finding: f, DeviceName: names[f.Device], Active: findings.Active(&f, now)}
	if mac, err := inventory.ParseMAC(f.Device); err == nil {
		r.DeviceURL = deviceURL(mac)
	}
	if r.DeviceName == "" {
		r.DeviceName = strings.TrimPrefix(f.Device, "ip:")
	}
	return r
}

func matchesText(f *inventory.Finding, name string, terms []string) bool {
	if len(terms) == 0 {
		return true
	}
	hay := strings.ToLower(f.Title + "\n" + f.Rule + "\n" + f.Device + "\n" + name + "\n" + f.Action)
	for _, t := range terms {
		if !strings.Contains(hay, t) {
			return false
		}
	}
	return true
}

// changeAction applies a person's decision to one finding: acknowledge,
// snooze (until a date), resolve or reopen, with a note.
func (s *Server) changeAction(c *gin.Context) {
	sess, _ := sessionFrom(c)
	now := s.now()
	ch := findings.Change{By: sess.User, Note: strings.TrimSpace(c.PostForm("note"))}
	switch c.PostForm("do") {
	case "acknowledge":
		ch.State = inventory.FindingAcknowledged
	case "resolve":
		ch.State = inventory.FindingResolved
	case "reopen":
		ch.State = inventory.FindingOpen
	case "snooze":
		ch.State = inventory.FindingSnoozed
		d, err := time.ParseInLocation(time.DateOnly, c.PostForm("until"), now.Location())
		if err != nil {
			s.fail(c, http.StatusBadRequest, "Give the date the snooze ends as YYYY-MM-DD.", err)
			return
		}
		ch.Until = d
	default:
		s.fail(c, http.StatusBadRequest, "Say what to do: acknowledge, snooze, resolve or reopen.", nil)
		return
	}
	f, err := s.st.UpdateFinding(c.Param("id"), func(f *inventory.Finding) error { return findings.Apply(f, ch, now) })
	switch {
	case errors.Is(err, storage.ErrNotFound):
		s.fail(c, http.StatusNotFound, "There is no such action.", err)
		return
	case errors.Is(err, findings.ErrBadChange):
		s.fail(c, http.StatusBadRequest, userMessage(err), err)
		return
	case err != nil:
		s.fail(c, http.StatusInternalServerError, "Could not save the change.", err)
		return
	}
	s.log.Info("finding state changed", "user", sess.User, "finding", f.ID, "state", f.State, "until", iso(f.Until))
	detail := f.StateNote
	if !f.Until.IsZero() {
		detail = strings.TrimSpace("until " + date(f.Until) + " " + detail)
	}
	s.audit(c, sess.User, "finding_"+string(f.State), f.ID, detail)
	if wantsJSON(c.Request) {
		s.writeJSON(c, http.StatusOK, f)
		return
	}
	c.Redirect(http.StatusSeeOther, localReturn(c.PostForm("return"), "/actions"))
}

// userMessage is the part of a findings.ErrBadChange error a person needs.
func userMessage(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "bad state change: "); i >= 0 {
		msg = msg[i+len("bad state change: "):]
	}
	return fmt.Sprintf("The change was refused: %s.", msg)
}

// localReturn accepts only paths on this box as a place to go back to, so a
// crafted form cannot redirect off-site.
func localReturn(p, def string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return def
	}
	return p
}
