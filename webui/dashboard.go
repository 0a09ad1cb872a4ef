package webui

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/findings"
	"tend/inventory"
	"tend/webkit"
)

// dashboardView is the site at a glance. As JSON: the score, its
// components, the counts and the top actions and events.
type dashboardView struct {
	layout         `json:"-"`
	Health         findings.Health `json:"health"`
	OpenBySeverity []severityCount `json:"open_by_severity"` // problems (one per remedy)
	OpenProblems   int             `json:"open_problems"`
	OpenFindings   int             `json:"open_findings"`   // the per-device findings they group
	DevicesByType  []typeCount     `json:"devices_by_type"` // devices on this LAN
	Devices        int             `json:"devices"`         // all, Remote included
	// Remote counts the devices known only from routers' ARP tables: hosts
	// in other subnets, a MAC and an address, which tend cannot identify
	// from this LAN. They are not in DevicesByType (never "unknown").
	Remote       int               `json:"remote_devices"`
	Vulns        vulnCounts        `json:"vulnerabilities"`
	TopActions   []actionRow       `json:"top_actions"`
	RecentEvents []inventory.Event `json:"recent_events"`
	Traffic      []TrafficPoint    `json:"traffic"`
	// Hygiene is the endpoints' protection, patches, backups and remote
	// access as the wire shows them (findings.HygieneSite).
	Hygiene inventory.HygieneSite `json:"hygiene"`

	Gauge        gauge         `json:"-"`
	ComponentBar []componentUI `json:"-"`
	SevBars      []bar         `json:"-"`
	TypeBars     []bar         `json:"-"`
	Chart        *lineChart    `json:"-"`
	EventRows    []eventRow    `json:"-"`
}

type severityCount struct {
	Severity inventory.Severity `json:"severity"`
	Count    int                `json:"count"`
}

type typeCount struct {
	Type  inventory.DeviceType `json:"type"`
	Count int                  `json:"count"`
}

// gauge is the health score drawn as a ring: an SVG circle whose stroke
// dash covers Score percent of the circumference.
type gauge struct {
	Score         int
	Dash, Gap     string
	Class         string // good, fair, poor
	Circumference string
}

type componentUI struct {
	findings.Component
	Width string // bar width in percent
	Class string
}

// bar is one horizontal bar of a bar chart.
type bar struct {
	Label string
	Count int
	Width string // percent of the widest
	Class string
	URL   string
}

// lineChart is a polyline over a fixed 600×160 viewBox.
type lineChart struct {
	Points   string // polyline points
	Area     string // closed polygon under the line
	MaxLabel string
	From, To string
}

type eventRow struct {
	inventory.Event
	DeviceURL string
}

func scoreClass(s int) string { return webkit.HealthLevel(s) }

func (s *Server) dashboardPage(c *gin.Context) {
	all, devs, ok := s.findingsAndDevices(c)
	if !ok {
		return
	}
	view := dashboardView{
		layout:       s.layoutFor(c, "Dashboard", "dashboard"),
		RecentEvents: []inventory.Event{},
		Traffic:      []TrafficPoint{},
	}
	s.summarise(&view, all, devs, s.now())
	if s.cfg.Events != nil {
		evs, err := s.cfg.Events(10)
		if err != nil {
			s.fail(c, http.StatusInternalServerError, "Could not read the events.", err)
			return
		}
		view.RecentEvents = append(view.RecentEvents, evs...)
	}
	if s.cfg.Traffic != nil {
		view.Traffic = append(view.Traffic, s.cfg.Traffic()...)
	}
	if wantsJSON(c.Request) {
		s.writeJSON(c, http.StatusOK, view)
		return
	}
	view.draw()
	s.render(c, http.StatusOK, s.pages.dashboard, view, view)
}

// summarise fills the view's score, counts and top actions from the
// findings and devices.
func (s *Server) summarise(view *dashboardView, all []inventory.Finding, devs []inventory.Device, now time.Time) {
	findings.Sort(all)
	names := make(map[string]string, len(devs))
	types := map[inventory.DeviceType]int{}
	for i := range devs {
		names[devs[i].MAC.String()] = devs[i].Name()
		if arpOnly(&devs[i]) {
			view.Remote++ // not on this LAN: counted apart, never "unknown"
			continue
		}
		types[cmp.Or(devs[i].Type, inventory.TypeUnknown)]++
	}
	view.Health = findings.Score(all, now)
	view.Devices = len(devs)
	view.Vulns = countVulns(devs)
	view.Hygiene = findings.HygieneSite(devs, now)
	view.TopActions = []actionRow{}
	sevs := map[inventory.Severity]int{}
	for i := range all {
		if findings.Active(&all[i], now) {
			view.OpenFindings++
		}
	}
	for _, r := range s.problemRows(all, devs, names, now) {
		sevs[r.Severity]++
		view.OpenProblems++
		if len(view.TopActions) < 8 {
			view.TopActions = append(view.TopActions, r)
		}
	}
	for _, sv := range severities {
		view.OpenBySeverity = append(view.OpenBySeverity, severityCount{sv, sevs[sv]})
	}
	for t, n := range types {
		view.DevicesByType = append(view.DevicesByType, typeCount{t, n})
	}
	slices.SortFunc(view.DevicesByType, func(a, b typeCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Type, b.Type))
	})
}

// draw computes the page's pictures: the gauge, the bars, the chart and
// the event rows.
func (view *dashboardView) draw() {
	view.Gauge = newGauge(view.Health.Score)
	for _, comp := range view.Health.Components {
		view.ComponentBar = append(view.ComponentBar, componentUI{Component: comp, Width: fmt.Sprint(comp.Score), Class: scoreClass(comp.Score)})
	}
	maxSev := 1
	for _, sc := range view.OpenBySeverity {
		maxSev = max(maxSev, sc.Count)
	}
	for _, sc := range view.OpenBySeverity {
		view.SevBars = append(view.SevBars, bar{Label: string(sc.Severity), Count: sc.Count, Width: pct(sc.Count, maxSev),
			Class: "sev-" + string(sc.Severity), URL: actionsURL("active", string(sc.Severity), "")})
	}
	maxType := 1
	for _, tc := range view.DevicesByType {
		maxType = max(maxType, tc.Count)
	}
	for _, tc := range view.DevicesByType {
		view.TypeBars = append(view.TypeBars, bar{Label: string(tc.Type), Count: tc.Count, Width: pct(tc.Count, maxType),
			Class: "badge-" + string(tc.Type), URL: "/devices?type=" + string(tc.Type)})
	}
	view.Chart = newLineChart(view.Traffic)
	for _, e := range view.RecentEvents {
		r := eventRow{Event: e}
		if !e.MAC.IsZero() {
			r.DeviceURL = deviceURL(e.MAC)
		}
		view.EventRows = append(view.EventRows, r)
	}
}

func pct(n, of int) string {
	if of <= 0 {
		return "0"
	}
	return fmt.Sprintf("%.1f", 100*float64(n)/float64(of))
}

// gaugeRadius is the ring's radius in the 120×120 viewBox.
const gaugeRadius = 52

func newGauge(score int) gauge {
	circ := 2 * math.Pi * gaugeRadius
	dash := circ * float64(score) / 100
	return gauge{Score: score, Dash: fmt.Sprintf("%.2f", dash), Gap: fmt.Sprintf("%.2f", circ-dash),
		Class: scoreClass(score), Circumference: fmt.Sprintf("%.2f", circ)}
}

// newLineChart scales points into the 600×160 chart, nil without data.
func newLineChart(pts []TrafficPoint) *lineChart {
	if len(pts) < 2 {
		return nil
	}
	const w, h = 600.0, 160.0
	t0, t1 := pts[0].Time, pts[len(pts)-1].Time
	span := t1.Sub(t0).Seconds()
	if span <= 0 {
		return nil
	}
	var top uint64 = 1
	for _, p := range pts {
		top = max(top, p.Bytes)
	}
	var line strings.Builder
	for i, p := range pts {
		x := w * p.Time.Sub(t0).Seconds() / span
		y := h - h*float64(p.Bytes)/float64(top)
		if i > 0 {
			line.WriteByte(' ')
		}
		fmt.Fprintf(&line, "%.1f,%.1f", x, y)
	}
	return &lineChart{
		Points:   line.String(),
		Area:     fmt.Sprintf("0,%.0f %s %.0f,%.0f", h, line.String(), w, h),
		MaxLabel: inventory.FormatBytes(top),
		From:     t0.Format("Jan 2 15:04"),
		To:       t1.Format("Jan 2 15:04"),
	}
}

// date formats a time.Time or *time.Time as YYYY-MM-DD ("" for zero or nil).
func date(v any) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x != nil {
			t = *x
		}
	}
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func speedLabel(bps uint64) string {
	switch {
	case bps == 0:
		return ""
	case bps >= 1e9:
		return fmt.Sprintf("%g Gbit/s", float64(bps)/1e9)
	case bps >= 1e6:
		return fmt.Sprintf("%g Mbit/s", float64(bps)/1e6)
	}
	return fmt.Sprintf("%d bit/s", bps)
}

// pctText is part of whole as "42 %", or "–" when there is no whole.
func pctText(part, whole int) string {
	if p := inventory.Percent(part, whole); p >= 0 {
		return fmt.Sprintf("%d %%", p)
	}
	return "–"
}
