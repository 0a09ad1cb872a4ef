package hub

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/storage"
	"tend/upstream"
	"tend/webkit"
)

// Ingest.

func (h *Hub) refuse(c *gin.Context, status int, reason, msg string, lastSeq uint64, err error) {
	h.mu.Lock()
	h.refused[reason]++
	h.mu.Unlock()
	h.log.Warn("summary refused", "reason", reason, "site", c.GetHeader(upstream.HeaderSite), "key", c.GetHeader(upstream.HeaderIdempotency), "client", c.RemoteIP(), "err", err)
	h.writeJSON(c, status, upstream.Reply{Status: "refused", Error: msg, LastSeq: lastSeq, HubTime: h.cfg.Now().UTC()})
}

// refusedUnauthorized is the one answer to an unknown site and to a bad
// signature, so a sender without a key cannot tell which site names exist.
const refusedUnauthorized = "unknown site or bad signature"

// admit takes an ingest slot for addr: false (and the reason) when addr or
// the hub as a whole is reading as many summaries as it may.
func (h *Hub) admit(addr string) (ok bool, reason string) {
	h.mu.Lock()
	if h.posting[addr] >= h.cfg.MaxIngestPerAddress {
		h.mu.Unlock()
		return false, "busy_address"
	}
	h.posting[addr]++
	h.mu.Unlock()
	select {
	case h.ingestSlots <- struct{}{}:
		return true, ""
	default:
		h.leave(addr, false)
		return false, "busy"
	}
}

// leave gives back what admit took.
func (h *Hub) leave(addr string, slot bool) {
	if slot {
		<-h.ingestSlots
	}
	h.mu.Lock()
	if h.posting[addr]--; h.posting[addr] <= 0 {
		delete(h.posting, addr)
	}
	h.mu.Unlock()
}

// ingest takes one summary from a box. Everything that can be checked
// before the body is read is checked first (encoding, declared length,
// the site), each post holds one of a bounded number of slots, and the
// body is read into a buffer capped at upstream.MaxBodyBytes.
func (h *Hub) ingest(c *gin.Context) {
	addr := webkit.ClientKey(c.RemoteIP())
	ok, reason := h.admit(addr)
	if !ok {
		c.Header("Retry-After", "10")
		status, msg := http.StatusServiceUnavailable, "the hub is busy; try again shortly"
		if reason == "busy_address" {
			status, msg = http.StatusTooManyRequests, "too many summaries in flight from your address"
		}
		h.refuse(c, status, reason, msg, 0, nil)
		return
	}
	defer h.leave(addr, true)
	if c.GetHeader("Content-Encoding") != "gzip" {
		h.refuse(c, http.StatusUnsupportedMediaType, "invalid", "the body must be gzipped JSON", 0, nil)
		return
	}
	if c.Request.ContentLength > upstream.MaxBodyBytes {
		h.refuse(c, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("the body is over %d bytes", upstream.MaxBodyBytes), 0, nil)
		return
	}
	site := c.GetHeader(upstream.HeaderSite)
	key, err := h.data.siteKey(site)
	if err != nil {
		if errors.Is(err, ErrUnknownSite) {
			h.refuse(c, http.StatusUnauthorized, "unknown_site", refusedUnauthorized, 0, err)
			return
		}
		h.log.Error("look up site key", "err", err)
		h.writeJSON(c, http.StatusInternalServerError, upstream.Reply{Status: "error", Error: "the hub could not check the site", HubTime: h.cfg.Now().UTC()})
		return
	}
	buf := h.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer h.bufs.Put(buf)
	if _, err := buf.ReadFrom(http.MaxBytesReader(c.Writer, c.Request.Body, upstream.MaxBodyBytes)); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.refuse(c, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("the body is over %d bytes", upstream.MaxBodyBytes), 0, err)
			return
		}
		h.refuse(c, http.StatusBadRequest, "invalid", "the body could not be read", 0, err)
		return
	}
	res, err := h.data.ingestWithKey(key, site, c.GetHeader(upstream.HeaderIdempotency), c.GetHeader(upstream.HeaderSignature), bytes.Clone(buf.Bytes()))
	switch {
	case err == nil:
	case errors.Is(err, ErrUnknownSite):
		h.refuse(c, http.StatusUnauthorized, "unknown_site", refusedUnauthorized, 0, err)
		return
	case errors.Is(err, upstream.ErrBadSignature):
		h.refuse(c, http.StatusUnauthorized, "bad_signature", refusedUnauthorized, 0, err)
		return
	case errors.Is(err, ErrReplay):
		h.refuse(c, http.StatusConflict, "replay", "the hub holds this or a newer summary of the box", res.LastSeq, err)
		return
	case errors.Is(err, ErrSeqJump):
		h.refuse(c, http.StatusBadRequest, "seq_jump", err.Error(), res.LastSeq, err)
		return
	case errors.Is(err, upstream.ErrTooLarge):
		h.refuse(c, http.StatusRequestEntityTooLarge, "too_large", err.Error(), 0, err)
		return
	case errors.Is(err, upstream.ErrInvalid):
		h.refuse(c, http.StatusBadRequest, "invalid", err.Error(), 0, err)
		return
	default:
		h.log.Error("store summary", "err", err)
		h.writeJSON(c, http.StatusInternalServerError, upstream.Reply{Status: "error", Error: "the hub could not store the summary", HubTime: h.cfg.Now().UTC()})
		return
	}
	status := "stored"
	if res.Duplicate {
		status = "duplicate"
	}
	h.mu.Lock()
	h.accepted++
	h.mu.Unlock()
	h.answerStored(c, key, site, upstream.Reply{Status: status, LastSeq: res.LastSeq, HubTime: h.cfg.Now().UTC()}, res.decisions)
}

// answerStored answers a stored summary. Its decisions are swept
// (SweepDecisions; records are the site's dec: records as the ingest read
// them, nil: not read) and, for a box that asked, those that hold travel
// in the answer, signed with the site's key (upstream.DecodeReply). A
// failed sweep is logged: the summary is stored and the box gets the
// decisions after its next one.
func (h *Hub) answerStored(c *gin.Context, key []byte, site string, r upstream.Reply, records map[string]string) {
	ds, err := h.data.sweepDecisions(site, h.cfg.Now(), records)
	if err != nil {
		h.log.Error("sweep decisions after a summary", "site", site, "err", err)
	}
	if c.GetHeader(upstream.HeaderDecisions) != strconv.Itoa(upstream.DecisionsVersion) || err != nil {
		h.writeJSON(c, http.StatusOK, r)
		return
	}
	r.Decisions = wireDecisions(ds)
	b, err := json.Marshal(r)
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not encode the answer.", err)
		return
	}
	c.Header(upstream.HeaderSignature, upstream.SignReply(key, site, c.GetHeader(upstream.HeaderIdempotency), b))
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}

// Site views.

// SiteView is a site as the API and the pages show it.
type SiteView struct {
	SiteStatus
	Stale bool `json:"stale"` // has not reported for longer than expected (or never)
}

func (h *Hub) staleAfter(s SiteStatus) time.Duration {
	if h.cfg.StaleAfter > 0 {
		return h.cfg.StaleAfter
	}
	return max(3*time.Duration(s.Interval)*time.Second, 10*time.Minute)
}

func (h *Hub) view(s SiteStatus) SiteView {
	return SiteView{SiteStatus: s, Stale: s.LastSeen.IsZero() || h.cfg.Now().Sub(s.LastSeen) > h.staleAfter(s)}
}

// siteViews is every site's list record (SiteHeads), for the fleet-wide
// views.
func (h *Hub) siteViews() ([]SiteView, error) { return h.views(h.data.SiteHeads) }

func (h *Hub) views(read func() ([]SiteStatus, error)) ([]SiteView, error) {
	sites, err := read()
	if err != nil {
		return nil, err
	}
	out := make([]SiteView, len(sites))
	for i, s := range sites {
		out[i] = h.view(s)
	}
	return out, nil
}

// API.

// apiSites lists the sites: all of them by name, as always, or, with
// page, per_page or q, one page of them worst first (sortWorstFirst),
// with X-Total-Count (the sites q matched).
func (h *Hub) apiSites(c *gin.Context) {
	if c.Query("page") != "" || c.Query("per_page") != "" || c.Query("q") != "" {
		h.apiSitesPage(c)
		return
	}
	v, err := h.siteViews()
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the sites.", err)
		return
	}
	h.writeJSON(c, http.StatusOK, v)
}

// Page sizes of the fleet page and of /api/sites?page=.
const (
	SitesPerPage    = 50
	MaxSitesPerPage = 500
)

// sitesPager is where a page of the fleet list is.
type sitesPager struct {
	Query       string
	Page, Pages int    // 1-based; Pages is at least 1
	Matched     int    // sites the query matched
	Prev, Next  string // links to the neighbouring pages, "" at the ends
	First, Last int    // 1-based positions of the page's first and last site
}

// pageSites filters sites (sorted already) by q, a case-insensitive part
// of the site's display name or slug, and returns page number page
// (1-based, "" or bad: 1; past the end: the last) of per (default
// SitesPerPage, at most MaxSitesPerPage).
func pageSites(sites []SiteView, q, page, per string) ([]SiteView, sitesPager) {
	q = strings.TrimSpace(q)
	matched := sites
	if q != "" {
		lq := strings.ToLower(q)
		matched = nil
		for _, s := range sites {
			if strings.Contains(strings.ToLower(s.Label()), lq) || strings.Contains(s.Name, lq) {
				matched = append(matched, s)
			}
		}
	}
	pg, lo, hi := newPager(q, page, per, len(matched))
	return matched[lo:hi], pg
}

// newPager is where page number page (1-based, "" or bad: 1; past the
// end: the last) of per (default SitesPerPage, at most MaxSitesPerPage)
// is among matched sites: the pager and the page's bounds.
func newPager(q, page, per string, matched int) (pg sitesPager, lo, hi int) {
	pg, perPage := sitesPager{Query: q, Page: 1, Matched: matched}, SitesPerPage
	if n, err := strconv.Atoi(per); err == nil && n > 0 {
		perPage = min(n, MaxSitesPerPage)
	}
	if n, err := strconv.Atoi(page); err == nil && n > 0 {
		pg.Page = n
	}
	pg.Pages = max(1, (matched+perPage-1)/perPage)
	pg.Page = min(pg.Page, pg.Pages)
	lo, hi = (pg.Page-1)*perPage, min(pg.Page*perPage, matched)
	pg.First, pg.Last = min(lo+1, hi), hi
	rest := ""
	if perPage != SitesPerPage {
		rest = "&per_page=" + strconv.Itoa(perPage)
	}
	if q != "" {
		rest += "&q=" + url.QueryEscape(q)
	}
	if pg.Page > 1 {
		pg.Prev = "/sites?page=" + strconv.Itoa(pg.Page-1) + rest
	}
	if pg.Page < pg.Pages {
		pg.Next = "/sites?page=" + strconv.Itoa(pg.Page+1) + rest
	}
	return pg, lo, hi
}

// sortWorstFirst orders sites stale first, then by lowest health, then
// most critical actions, then by slug (so pages do not overlap).
func sortWorstFirst(sites []SiteView) { slices.SortFunc(sites, worse) }

// worse is sortWorstFirst's order.
func worse(a, b SiteView) int {
	switch {
	case a.Stale != b.Stale:
		if a.Stale {
			return -1
		}
		return 1
	case a.Health.Score != b.Health.Score:
		return a.Health.Score - b.Health.Score
	case a.Critical != b.Critical:
		return b.Critical - a.Critical
	}
	return strings.Compare(a.Name, b.Name)
}

// siteDetail is one site with its devices, for the API and the page.
type siteDetail struct {
	SiteView
	DeviceList []upstream.Device          `json:"device_list"`
	Recent     []SummaryRecord            `json:"recent_summaries"`
	Due        []upstream.Due             `json:"-"`
	Comps      []upstream.HealthComponent `json:"-"`
	Trend      template.HTML              `json:"-"`         // health over the last 90 days
	Decisions  map[string]Decision        `json:"decisions"` // by action key: those holding now
}

func (h *Hub) siteDetail(c *gin.Context) (siteDetail, bool) {
	s, err := h.data.Site(c.Param("name"))
	if errors.Is(err, storage.ErrNotFound) {
		h.fail(c, http.StatusNotFound, "There is no such site.", nil)
		return siteDetail{}, false
	}
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the site.", err)
		return siteDetail{}, false
	}
	devs, err := h.data.SiteDevices(s.Name)
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the site's devices.", err)
		return siteDetail{}, false
	}
	recent, err := h.data.Summaries(s.Name, 20, false)
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the site's summaries.", err)
		return siteDetail{}, false
	}
	if devs == nil {
		devs = []upstream.Device{}
	}
	if recent == nil {
		recent = []SummaryRecord{}
	}
	now := h.cfg.Now()
	hist, err := h.data.History(s.Name, now.Add(-HistoryFull), now)
	if err != nil {
		h.log.Warn("read site history", "site", s.Name, "err", err) // the page stands without its chart
	}
	decs, err := h.data.Decisions(s.Name, liveKeys(s), now)
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the site's decisions.", err)
		return siteDetail{}, false
	}
	return siteDetail{SiteView: h.view(s), DeviceList: devs, Recent: recent, Due: s.Forecast.Due, Comps: s.Health.Components,
		Trend: chart(hist, "Health of "+s.Label()+" over the last 90 days"), Decisions: decs}, true
}

func (h *Hub) apiSite(c *gin.Context) {
	if d, ok := h.siteDetail(c); ok {
		h.writeJSON(c, http.StatusOK, d)
	}
}

// apiSummaries lists a site's summaries, newest first: ?limit=N (default
// 100), ?body=1 to include each signed body (base64 of the gzipped JSON).
func (h *Hub) apiSummaries(c *gin.Context) {
	if _, err := h.data.Site(c.Param("name")); err != nil {
		h.fail(c, http.StatusNotFound, "There is no such site.", err)
		return
	}
	limit := 100
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > DefaultRetain {
			h.fail(c, http.StatusBadRequest, fmt.Sprintf("limit must be 1 to %d", DefaultRetain), nil)
			return
		}
		limit = n
	}
	recs, err := h.data.Summaries(c.Param("name"), limit, c.Query("body") == "1")
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the summaries.", err)
		return
	}
	if recs == nil {
		recs = []SummaryRecord{}
	}
	h.writeJSON(c, http.StatusOK, recs)
}

// csvCell defuses spreadsheet formulas (OWASP CSV injection): device names
// come from the client's network.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeCSV(c *gin.Context, name string, rows [][]string) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Status(http.StatusOK)
	w := csv.NewWriter(c.Writer)
	for _, r := range rows {
		for i := range r {
			r[i] = csvCell(r[i])
		}
		_ = w.Write(r)
	}
	w.Flush()
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func (h *Hub) apiSitesCSV(c *gin.Context) {
	v, err := h.siteViews()
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the sites.", err)
		return
	}
	rows := [][]string{{"name", "health", "devices", "critical_actions", "actions", "eol", "eol_12_months", "last_seen", "stale", "summaries", "box_version"}}
	for _, s := range v {
		rows = append(rows, []string{s.Name, strconv.Itoa(s.Health.Score), strconv.Itoa(s.Devices), strconv.Itoa(s.Critical),
			strconv.Itoa(s.OpenActions), strconv.Itoa(s.Forecast.EOL), strconv.Itoa(s.Forecast.EOL12Months),
			rfc3339(s.LastSeen), strconv.FormatBool(s.Stale), strconv.Itoa(s.Summaries), s.BoxVersion})
	}
	writeCSV(c, "sites.csv", rows)
}

func (h *Hub) apiDevicesCSV(c *gin.Context) {
	d, ok := h.siteDetail(c)
	if !ok {
		return
	}
	rows := [][]string{{"site", "mac", "ip", "hostname", "type", "vendor", "make", "model", "os", "firmware", "serial", "lifecycle", "eol", "first_seen", "last_seen"}}
	for _, x := range d.DeviceList {
		rows = append(rows, []string{d.Name, x.MAC, x.IP, x.Hostname, x.Type, x.Vendor, x.Make, x.Model, x.OS, x.Firmware, x.Serial,
			x.Lifecycle, rfc3339(x.EOL), rfc3339(x.FirstSeen), rfc3339(x.LastSeen)})
	}
	writeCSV(c, d.Name+"-devices.csv", rows)
}

// apiSummariesCSV lists a site's kept summaries, newest first.
func (h *Hub) apiSummariesCSV(c *gin.Context) {
	name := c.Param("name")
	if _, err := h.data.Site(name); err != nil {
		h.fail(c, http.StatusNotFound, "There is no such site.", err)
		return
	}
	recs, err := h.data.Summaries(name, 0, false)
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the summaries.", err)
		return
	}
	rows := [][]string{{"site", "n", "received", "box", "first_seq", "seq", "coalesced", "generated_at", "health", "devices", "actions", "changed", "removed", "events"}}
	for _, r := range recs {
		rows = append(rows, []string{name, strconv.Itoa(r.N), rfc3339(r.Received), r.Box, strconv.FormatUint(r.FirstSeq, 10), strconv.FormatUint(r.Seq, 10),
			strconv.Itoa(r.Coalesced), rfc3339(r.GeneratedAt), strconv.Itoa(r.Health), strconv.Itoa(r.Devices), strconv.Itoa(r.Actions),
			strconv.Itoa(r.Changed), strconv.Itoa(r.Removed), strconv.Itoa(r.Events)})
	}
	writeCSV(c, name+"-summaries.csv", rows)
}

// metrics is the Prometheus text exposition format, by hand: a dozen
// gauges do not need a client library.
func (h *Hub) metrics(c *gin.Context) {
	v, err := h.siteViews()
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the sites.", err)
		return
	}
	var b strings.Builder
	gauge := func(name, help, typ string, value func(SiteView) float64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
		for _, s := range v {
			fmt.Fprintf(&b, "%s{site=%q} %g\n", name, s.Name, value(s))
		}
	}
	b01 := func(x bool) float64 {
		if x {
			return 1
		}
		return 0
	}
	gauge("tend_site_health", "Site health score, 0-100, from the latest summary.", "gauge", func(s SiteView) float64 { return float64(s.Health.Score) })
	gauge("tend_site_devices", "Devices the site's box knows.", "gauge", func(s SiteView) float64 { return float64(s.Devices) })
	gauge("tend_site_critical_actions", "Open critical actions.", "gauge", func(s SiteView) float64 { return float64(s.Critical) })
	gauge("tend_site_open_actions", "Open actions of any severity.", "gauge", func(s SiteView) float64 { return float64(s.OpenActions) })
	gauge("tend_site_eol_devices", "Devices out of security support.", "gauge", func(s SiteView) float64 { return float64(s.Forecast.EOL) })
	gauge("tend_site_eol_12_months_devices", "Devices whose security support ends within 12 months.", "gauge", func(s SiteView) float64 { return float64(s.Forecast.EOL12Months) })
	gauge("tend_site_last_seen_timestamp_seconds", "Hub time of the latest accepted summary (0: never).", "gauge", func(s SiteView) float64 {
		if s.LastSeen.IsZero() {
			return 0
		}
		return float64(s.LastSeen.Unix())
	})
	gauge("tend_site_stale", "1 when the site has not reported for longer than expected.", "gauge", func(s SiteView) float64 { return b01(s.Stale) })
	gauge("tend_site_summaries_total", "Summaries accepted from the site.", "counter", func(s SiteView) float64 { return float64(s.Summaries) })
	h.mu.Lock()
	fmt.Fprintf(&b, "# HELP tend_hub_summaries_accepted_total Summaries accepted since the hub started.\n# TYPE tend_hub_summaries_accepted_total counter\ntend_hub_summaries_accepted_total %d\n", h.accepted)
	fmt.Fprintf(&b, "# HELP tend_hub_summaries_refused_total Summaries refused since the hub started, by reason.\n# TYPE tend_hub_summaries_refused_total counter\n")
	reasons := []string{"bad_signature", "invalid", "replay", "too_large", "unknown_site"}
	for _, r := range reasons {
		fmt.Fprintf(&b, "tend_hub_summaries_refused_total{reason=%q} %d\n", r, h.refused[r])
	}
	h.mu.Unlock()
	c.Data(http.StatusOK, "text/plain; version=0.0.4; charset=utf-8", []byte(b.String()))
}

// Pages.

type sitesView struct {
	hubLayout
	Sites     []SiteView // the page's
	Total     int        // sites in the fleet
	Pager     sitesPager
	Fleet     Fleet
	Stale     int
	NewSite   string // name of a site just added
	NewKey    string // its key, shown once
	NewToken  string
	TokenName string
	FormError string
	Trend     template.HTML // the fleet's average health per day, 90 days
}

func (h *Hub) sitesPage(c *gin.Context) { h.renderSites(c, http.StatusOK, sitesView{}) }

func (h *Hub) sitePage(c *gin.Context) {
	d, ok := h.siteDetail(c)
	if !ok {
		return
	}
	l := h.layoutFor(c, d.Name, "sites")
	view := struct {
		hubLayout
		siteDetail
		CanDecide bool   // admin or technician: the actions' forms
		SnoozeTo  string // the snooze's default date, a week on
	}{l, d, l.Role == RoleAdmin || l.Role == RoleTechnician, h.cfg.Now().AddDate(0, 0, 7).Format(time.DateOnly)}
	h.render(c, http.StatusOK, "site", view, d)
}

// forecastPage lists every site's devices due within 12 months from the
// fc: records and the fleet's sums from the page records (search.go,
// totals.go), not from the sites' whole records.
func (h *Hub) forecastPage(c *gin.Context) {
	tot, _, err := h.data.fleetTotals(h.cfg.Now().UTC().Format(time.DateOnly))
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the sites.", err)
		return
	}
	due, total, err := h.data.ForecastDue(forecastListed)
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the forecast.", err)
		return
	}
	f := Fleet{Sites: tot.Sites, Devices: tot.Devices, EOL: tot.EOL, EOL12Months: tot.EOL12Months, Critical: tot.Critical,
		KEVDevices: tot.KEVDevices, KEVSites: tot.KEVSites, Due: due, DueTotal: total}
	view := struct {
		hubLayout
		Fleet
	}{h.layoutFor(c, "Forecast", "forecast"), f}
	h.render(c, http.StatusOK, "forecast", view, f)
}

// addSite creates a site from the fleet page and shows its key once.
func (h *Hub) addSite(c *gin.Context) {
	name, key, err := h.data.AddNamedSite(strings.TrimSpace(c.PostForm("name")), "")
	if err != nil {
		h.renderSites(c, http.StatusBadRequest, sitesView{FormError: err.Error()})
		return
	}
	sess, _ := h.session(c)
	h.log.Info("site added", "site", name, "by", sess.User)
	h.audit(sess.User, "site add", name)
	h.renderSites(c, http.StatusOK, sitesView{NewSite: name, NewKey: key})
}

// addToken creates an API token from the fleet page and shows it once.
func (h *Hub) addToken(c *gin.Context) {
	name := strings.TrimSpace(c.PostForm("name"))
	tok, err := h.data.NewToken(name)
	if err != nil {
		h.renderSites(c, http.StatusBadRequest, sitesView{FormError: err.Error()})
		return
	}
	sess, _ := h.session(c)
	h.log.Info("api token created", "name", name, "by", sess.User)
	h.audit(sess.User, "token create", name)
	h.renderSites(c, http.StatusOK, sitesView{NewToken: tok, TokenName: name})
}

// audit records an administrative act; a failure is logged, not shown
// (the act itself has happened).
func (h *Hub) audit(actor, action, target string) {
	if err := h.data.Audit(actor, action, target); err != nil {
		h.log.Error("write audit log", "action", action, "target", target, "err", err)
	}
}
