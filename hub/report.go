package hub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-pdf/fpdf"

	"tend/upstream"
)

// ActionNote is what the hub remembers of an action for reports.
type ActionNote struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Severity string    `json:"severity"`
	Device   string    `json:"device,omitempty"`
	LastSeen time.Time `json:"last_seen"`
	// Problem is the key of the problem the box grouped the action in
	// (summary schema 1.1), ProblemTitle its title; empty: its own.
	Problem      string `json:"problem,omitempty"`
	ProblemTitle string `json:"problem_title,omitempty"`
}

// ReportItem is one problem in a report: the actions of one remedy that
// were fixed (or opened) in the range, with their devices.
type ReportItem struct {
	Key      string   `json:"key"`
	Title    string   `json:"title"`
	Severity string   `json:"severity"`
	Devices  []string `json:"devices"` // MACs; empty for a site-wide action
	Count    int      `json:"count"`   // actions (devices) it covers
	IDs      []string `json:"ids"`     // the actions' ids
}

// reportItems groups notes one per problem, most severe first.
func reportItems(notes []ActionNote) []ReportItem {
	out := []ReportItem{}
	at := map[string]int{}
	for _, n := range notes {
		key, title := n.Problem, n.ProblemTitle
		if key == "" {
			key, title = n.ID, n.Title
		}
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, ReportItem{Key: key, Title: title, Severity: n.Severity, Devices: []string{}})
		}
		it := &out[i]
		it.Count++
		it.IDs = append(it.IDs, n.ID)
		if n.Device != "" {
			it.Devices = append(it.Devices, n.Device)
		}
		if severityRank(n.Severity) > severityRank(it.Severity) {
			it.Severity = n.Severity
		}
	}
	slices.SortFunc(out, func(a, b ReportItem) int {
		if c := severityRank(b.Severity) - severityRank(a.Severity); c != 0 {
			return c
		}
		return cmpString(a.Title, b.Title)
	})
	return out
}

// Report is the client report of one site over a date range, from its
// history: what was fixed, what changed, what is coming, how health went.
type Report struct {
	Provider     string         `json:"provider"`
	Site         string         `json:"site"` // display name
	Slug         string         `json:"slug"`
	From         time.Time      `json:"from"`
	To           time.Time      `json:"to"`
	Points       int            `json:"points"`
	HealthStart  int            `json:"health_start"`
	HealthEnd    int            `json:"health_end"`
	HealthMin    int            `json:"health_min"`
	HealthAvg    int            `json:"health_avg"`
	Fixed        []ReportItem   `json:"fixed"` // open at the start (or since), closed by the end; one per problem
	New          []ReportItem   `json:"new"`   // opened during the range, still open; one per problem
	DevicesStart int            `json:"devices_start"`
	DevicesEnd   int            `json:"devices_end"`
	ByTypeChange map[string]int `json:"devices_by_type_change"`
	Coming       []upstream.Due `json:"coming"` // support ends within 12 months of the end
	Trend        template.HTML  `json:"-"`
}

// BuildReport makes a site's report for [from, to].
func (h *HubStore) BuildReport(provider, site string, from, to time.Time) (Report, error) {
	s, err := h.Site(site)
	if err != nil {
		return Report{}, err
	}
	pts, err := h.History(site, from, to)
	if err != nil {
		return Report{}, err
	}
	r := Report{Provider: provider, Site: s.Label(), Slug: s.Name, From: from, To: to, Points: len(pts),
		Fixed: []ReportItem{}, New: []ReportItem{}, ByTypeChange: map[string]int{}, Coming: []upstream.Due{}}
	if len(pts) == 0 {
		r.Trend = chart(nil, "no history")
		return r, nil
	}
	r.figures(pts)
	fixed, opened, err := h.actionChanges(site, pts)
	if err != nil {
		return r, fmt.Errorf("hub: report of %s: %w", site, err)
	}
	r.Fixed, r.New = reportItems(fixed), reportItems(opened)
	for _, d := range s.Forecast.Due {
		if d.EOL.Before(to.AddDate(1, 0, 0)) {
			r.Coming = append(r.Coming, d)
		}
	}
	r.Trend = chart(pts, "Health of "+r.Site+" from "+from.Format(time.DateOnly)+" to "+to.Format(time.DateOnly))
	return r, nil
}

// figures fills the report's health and device figures from its points
// (at least one).
func (r *Report) figures(pts []Point) {
	first, last := pts[0], pts[len(pts)-1]
	r.HealthStart, r.HealthEnd, r.HealthMin = first.Health, last.Health, 100
	sum := 0
	for _, p := range pts {
		sum += p.Health
		r.HealthMin = min(r.HealthMin, p.Health)
	}
	r.HealthAvg = sum / len(pts)
	r.DevicesStart, r.DevicesEnd = first.Devices, last.Devices
	for t, n := range last.ByType {
		if d := n - first.ByType[t]; d != 0 {
			r.ByTypeChange[t] = d
		}
	}
	for t, n := range first.ByType {
		if _, ok := last.ByType[t]; !ok && n != 0 {
			r.ByTypeChange[t] = -n
		}
	}
}

// actionChanges are the actions open at some point of pts and closed at
// its end (fixed), or open at its end but not at its start (opened), with
// what the site's action notes say of them, by ID.
func (h *HubStore) actionChanges(site string, pts []Point) (fixed, opened []ActionNote, err error) {
	set := func(ids []string) map[string]bool {
		m := make(map[string]bool, len(ids))
		for _, id := range ids {
			m[id] = true
		}
		return m
	}
	openAtStart, openAtEnd := set(pts[0].Open), set(pts[len(pts)-1].Open)
	everOpen := map[string]bool{}
	for _, p := range pts {
		for _, id := range p.Open {
			everOpen[id] = true
		}
	}
	notes := map[string]ActionNote{}
	err = h.db.view(func(tx kvTx) error {
		return tx.Ascend("act:"+site+":", func(_, v string) bool {
			var n ActionNote
			if json.Unmarshal([]byte(v), &n) == nil {
				notes[n.ID] = n
			}
			return true
		})
	})
	if err != nil {
		return nil, nil, err
	}
	note := func(id string) ActionNote {
		if n, ok := notes[id]; ok {
			return n
		}
		return ActionNote{ID: id, Title: id}
	}
	for id := range everOpen {
		switch {
		case !openAtEnd[id]:
			fixed = append(fixed, note(id))
		case !openAtStart[id]:
			opened = append(opened, note(id))
		}
	}
	byID := func(a, b ActionNote) int { return cmpString(a.ID, b.ID) }
	slices.SortFunc(fixed, byID) // the same report, the same order
	slices.SortFunc(opened, byID)
	return fixed, opened, nil
}

func severityRank(s string) int {
	return slices.Index([]string{"info", "low", "medium", "high", "critical"}, s)
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// reportRange is the request's range: ?from&to, or the last full quarter.
func (h *Hub) reportRange(c *gin.Context) (time.Time, time.Time, error) {
	if c.Query("from") == "" && c.Query("to") == "" {
		now := h.cfg.Now().UTC()
		q := (int(now.Month()) - 1) / 3 * 3 // this quarter's first month, 0-based
		end := time.Date(now.Year(), time.Month(q+1), 1, 0, 0, 0, 0, time.UTC)
		return end.AddDate(0, -3, 0), end.Add(-time.Second), nil
	}
	return dateRange(c.Query("from"), c.Query("to"), h.cfg.Now(), 90)
}

func (h *Hub) report(c *gin.Context) (Report, bool) {
	from, to, err := h.reportRange(c)
	if err != nil {
		h.fail(c, http.StatusBadRequest, "The date range is not valid: "+err.Error(), nil)
		return Report{}, false
	}
	r, err := h.data.BuildReport(h.cfg.Title, c.Param("name"), from, to)
	if err != nil {
		h.fail(c, http.StatusNotFound, "There is no such site.", err)
		return Report{}, false
	}
	return r, true
}

// reportPage is the client report as HTML to print (JSON on request).
func (h *Hub) reportPage(c *gin.Context) {
	r, ok := h.report(c)
	if !ok {
		return
	}
	view := struct {
		hubLayout
		Report
	}{h.layoutFor(c, "Report: "+r.Site, "sites"), r}
	h.render(c, http.StatusOK, "report", view, r)
}

// reportPDF is the client report as a PDF download.
func (h *Hub) reportPDF(c *gin.Context) {
	r, ok := h.report(c)
	if !ok {
		return
	}
	b, err := r.PDF()
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not make the PDF.", err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.pdf"`, r.Slug, r.To.Format(time.DateOnly)))
	c.Data(http.StatusOK, "application/pdf", b)
}

// PDF renders the report with fpdf's core fonts (Latin-1 through its
// translator: other scripts print as '?').
func (r Report) PDF() ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(r.To) // reproducible: the same report, the same bytes
	pdf.SetModificationDate(r.To)
	pdf.SetCatalogSort(true)
	pdf.SetTitle("Network report: "+r.Site, true)
	pdf.SetAuthor(r.Provider, true)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.CellFormat(0, 9, tr("Network report: "+r.Site), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 6, tr(fmt.Sprintf("%s to %s, prepared by %s", r.From.Format("2 January 2006"), r.To.Format("2 January 2006"), r.Provider)), "", 1, "L", false, 0, "")
	pdf.Ln(3)
	head := func(s string) {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.CellFormat(0, 7, tr(s), "", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
	}
	line := func(s string) { pdf.MultiCell(0, 5, tr(s), "", "L", false) }
	head("Health")
	if r.Points == 0 {
		line("No summaries were received in this period.")
	} else {
		line(fmt.Sprintf("Health went from %d to %d (lowest %d, average %d) over %d summaries.", r.HealthStart, r.HealthEnd, r.HealthMin, r.HealthAvg, r.Points))
		line(fmt.Sprintf("Devices: %d at the start, %d at the end.", r.DevicesStart, r.DevicesEnd))
	}
	head(fmt.Sprintf("Fixed (%d)", len(r.Fixed)))
	item := func(a ReportItem) {
		s := fmt.Sprintf("- [%s] %s", a.Severity, a.Title)
		if a.Count > 1 {
			s += fmt.Sprintf(" (%d devices)", a.Count)
		}
		line(s)
	}
	for _, a := range r.Fixed {
		item(a)
	}
	head(fmt.Sprintf("New and still open (%d)", len(r.New)))
	for _, a := range r.New {
		item(a)
	}
	head(fmt.Sprintf("Coming: support ends within a year (%d)", len(r.Coming)))
	for _, d := range r.Coming {
		line(fmt.Sprintf("- %s (%s): %s", d.Name, d.Product, d.EOL.Format(time.DateOnly)))
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("hub: report pdf: %w", err)
	}
	return buf.Bytes(), nil
}
