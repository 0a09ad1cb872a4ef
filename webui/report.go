package webui

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"tend/findings"
	"tend/inventory"
	"tend/lifecycle"
)

// reportWindow is the period a client report looks back on: a quarter.
const reportWindow = 91 * 24 * time.Hour

// reportView is the printable client report for quarterly reviews: health,
// what was done, what is open, and whose support ends within a year.
type reportView struct {
	layout    `json:"-"`
	Generated time.Time       `json:"generated"`
	Since     time.Time       `json:"since"`
	Health    findings.Health `json:"health"`
	Devices   int             `json:"devices"`
	Done      []actionRow     `json:"done"`
	Open      []actionRow     `json:"open"` // one per problem
	Forecast  []forecastRow   `json:"forecast"`
	EOL       []forecastRow   `json:"eol"` // support already over
	// CatalogDate is the end-of-life catalog's date the verdicts rest on.
	CatalogDate string `json:"catalog_date,omitempty"`
	// Vulns counts devices by known-vulnerability verdict (vulns.go).
	Vulns vulnCounts `json:"vulnerabilities"`
	// Hygiene: protection, patches, backups and remote access seen from the wire.
	Hygiene inventory.HygieneSite `json:"hygiene"`

	Gauge        gauge         `json:"-"`
	ComponentBar []componentUI `json:"-"`
}

// forecastRow is a device whose security support ends (or ended).
type forecastRow struct {
	MAC     string    `json:"mac"`
	Name    string    `json:"name"`
	Product string    `json:"product"`
	Cycle   string    `json:"cycle"`
	EOL     time.Time `json:"eol"`
	Within  int       `json:"within_months,omitempty"` // 3, 6 or 12
	URL     string    `json:"-"`
}

func (s *Server) reportPage(c *gin.Context) {
	now := s.now()
	all, devs, ok := s.findingsAndDevices(c)
	if !ok {
		return
	}
	findings.Sort(all)
	names := make(map[string]string, len(devs))
	for i := range devs {
		names[devs[i].MAC.String()] = devs[i].Name()
	}
	view := reportView{
		layout:    s.layoutFor(c, "Client report", "report"),
		Generated: now, Since: now.Add(-reportWindow),
		Health: findings.Score(all, now), Devices: len(devs),
		Done: []actionRow{}, Open: []actionRow{},
	}
	view.Open = s.problemRows(all, devs, names, now)
	for i := range all {
		f := &all[i]
		if !findings.Active(f, now) && f.State == inventory.FindingResolved && f.StateAt.After(view.Since) {
			view.Done = append(view.Done, s.actionRow(*f, names, now))
		}
	}
	view.Forecast, view.EOL = lifecycleOutlook(devs, now)
	view.CatalogDate = catalogDate(devs)
	view.Vulns = countVulns(devs)
	view.Hygiene = findings.HygieneSite(devs, now)
	if wantsJSON(c.Request) {
		s.writeJSON(c, http.StatusOK, view)
		return
	}
	view.Gauge = newGauge(view.Health.Score)
	for _, comp := range view.Health.Components {
		view.ComponentBar = append(view.ComponentBar, componentUI{Component: comp, Width: pct(comp.Score, 100), Class: scoreClass(comp.Score)})
	}
	s.render(c, http.StatusOK, s.pages.report, view, view)
}

// lifecycleOutlook lists the devices whose security support ends within a
// year (lifecycle.Forecast, soonest first) and those already out of it.
func lifecycleOutlook(devs []inventory.Device, now time.Time) (forecast, eol []forecastRow) {
	verdicts := map[string]inventory.Lifecycle{}
	byMAC := map[string]*inventory.Device{}
	for i := range devs {
		d := &devs[i]
		if d.Lifecycle != nil {
			verdicts[d.MAC.String()] = *d.Lifecycle
			byMAC[d.MAC.String()] = d
		}
	}
	row := func(key string, end time.Time, within int) forecastRow {
		v, d := verdicts[key], byMAC[key]
		return forecastRow{MAC: key, Name: d.Name(), Product: v.Product, Cycle: v.Cycle, EOL: end, Within: within, URL: deviceURL(d.MAC)}
	}
	forecast, eol = []forecastRow{}, []forecastRow{}
	for _, due := range lifecycle.Forecast(verdicts, now) {
		forecast = append(forecast, row(due.Key, due.EOL, due.Within))
	}
	for key, v := range verdicts {
		if v.Status == inventory.StatusEOL {
			var end time.Time
			if v.EOL != nil {
				end = *v.EOL
			}
			eol = append(eol, row(key, end, 0))
		}
	}
	slices.SortFunc(eol, func(a, b forecastRow) int { return cmp.Or(a.EOL.Compare(b.EOL), cmp.Compare(a.MAC, b.MAC)) })
	return forecast, eol
}
