package webui

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/findings"
	"tend/inventory"
)

// problemsView is the actions list with one entry per problem: where one
// remedy covers many devices (a default community on 40 devices), one
// entry with its devices and count, under the stable key alerts and
// tickets follow. Each device's own finding stays on the actions page and
// its device page, where its state is changed.
type problemsView struct {
	layout   `json:"-"`
	All      bool               `json:"all"` // resolved problems included
	Count    int                `json:"count"`
	Findings int                `json:"findings"` // the findings they group
	Problems []findings.Problem `json:"problems"`

	Rows []problemRow `json:"-"`
}

type problemRow struct {
	findings.Problem
	Devices []problemDevice
	More    int
}

type problemDevice struct{ Name, URL string }

// maxProblemDevices bounds the device links drawn per problem; the JSON
// answer has them all.
const maxProblemDevices = 30

func (s *Server) problemsPage(c *gin.Context) {
	all, devs, ok := s.findingsAndDevices(c)
	if !ok {
		return
	}
	view := problemsView{layout: s.layoutFor(c, "Problems", "actions"), All: c.Query("all") == "1"}
	ps := findings.Problems(all, devs, s.now())
	if !view.All {
		ps = findings.ActiveProblems(ps)
	}
	view.Problems = ps
	if view.Problems == nil {
		view.Problems = []findings.Problem{}
	}
	view.Count = len(ps)
	for _, p := range ps {
		view.Findings += len(p.Findings)
	}
	if wantsJSON(c.Request) {
		s.writeJSON(c, http.StatusOK, view)
		return
	}
	names := make(map[string]string, len(devs))
	for i := range devs {
		names[devs[i].MAC.String()] = devs[i].Name()
	}
	for _, p := range ps {
		r := problemRow{Problem: p, More: max(0, len(p.Devices)-maxProblemDevices)}
		for _, k := range p.Devices[:min(len(p.Devices), maxProblemDevices)] {
			d := problemDevice{Name: names[k]}
			if d.Name == "" {
				d.Name = strings.TrimPrefix(k, "ip:")
			}
			if mac, err := inventory.ParseMAC(k); err == nil {
				d.URL = deviceURL(mac)
			}
			r.Devices = append(r.Devices, d)
		}
		view.Rows = append(view.Rows, r)
	}
	s.render(c, http.StatusOK, s.pages.problems, view, view)
}

// problemRows is the active findings one row per problem, most severe
// first, for the dashboard and the report: the problem's first finding
// stands for it, titled and ranked for the whole set, with its device
// count.
func (s *Server) problemRows(all []inventory.Finding, devs []inventory.Device, names map[string]string, now time.Time) []actionRow {
	byID := make(map[string]*inventory.Finding, len(all))
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	ps := findings.ActiveProblems(findings.Problems(all, devs, now))
	rows := make([]actionRow, 0, len(ps))
	for _, p := range ps {
		var f *inventory.Finding
		for _, id := range p.Findings {
			if g := byID[id]; g != nil && findings.Active(g, now) {
				f = g
				break
			}
		}
		if f == nil {
			continue
		}
		r := s.actionRow(*f, names, now)
		r.Title, r.Severity, r.ProblemKey, r.Devices = p.Title, p.Severity, p.Key, p.Count
		if p.Count > 1 {
			r.DeviceName, r.DeviceURL = "", ""
		}
		rows = append(rows, r)
	}
	return rows
}
