package webui

import (
	"cmp"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"tend/inventory"
	"tend/webkit"
)

// maxQueryLen bounds the search text; nothing longer matches a device.
const maxQueryLen = 200

// deviceTypes are the choices of the type filter, as in design.md.
var deviceTypes = []string{"router", "switch", "firewall", "ap", "printer", "nas", "ups", "server", "workstation",
	"phone", "camera", "hypervisor", "iot", "unknown"}

// Sort keys for the device list; the first is the default.
var sortKeys = []string{"ip", "name", "vendor", "type", "last_seen"}

// devicesView is the device list. As JSON it is the same struct: the query,
// counts and the matching devices in the contract's field names.
type devicesView struct {
	layout  `json:"-"`
	Query   string             `json:"query"`
	Type    string             `json:"type,omitempty"`
	Vuln    string             `json:"vuln,omitempty"` // the vulnerability filter (vulns.go)
	Sort    string             `json:"sort"`
	Total   int                `json:"total"` // devices stored
	Count   int                `json:"count"` // devices matching the query
	Devices []inventory.Device `json:"devices"`
	// CatalogDate is the date of the end-of-life catalog the support
	// verdicts rest on, shown wherever verdicts are.
	CatalogDate string `json:"catalog_date,omitempty"`

	Columns  []column      `json:"-"`
	Rows     []deviceRow   `json:"-"`
	RowsHTML template.HTML `json:"-"` // the table body, see rowsHTML
	ClearURL string        `json:"-"`
	CSVURL   string        `json:"-"`
	Types    []string      `json:"-"`
	Vulns    []string      `json:"-"`
}

// column is a table header; sortable columns link to their sort.
type column struct {
	Label  string
	URL    string // empty: not sortable
	Active bool
	Dir    string // aria-sort value when active
}

// deviceRow is one table row, preformatted so the template stays simple.
type deviceRow struct {
	URL       string
	Name      string
	IP        string
	MAC       string
	RandomMAC bool
	Vendor    string
	Type      string
	MakeModel string
	Firmware  string
	Lifecycle string // the verdict's status, "" when none
	Vulns     string // the vulnerability cell (vulnCell), "" when none
	VulnClass string
	Serial    string
	Sources   string
	// Last seen, preformatted: three template function calls per row
	// would be a third of the page's rendering time at 2,000 devices.
	LastSeenISO, LastSeenWhen, LastSeenAgo string
}

// deviceList is the device list a request asks for.
type deviceList struct {
	total      int
	devs       []inventory.Device
	query      string
	sortKey    string
	typeFilter string
	vulnFilter string
}

// deviceList reads, filters (?q= words, ?type=) and sorts (?sort=) the
// devices.
func (s *Server) deviceList(c *gin.Context) (deviceList, error) {
	all, err := s.devices()
	if err != nil {
		return deviceList{}, err
	}
	l := deviceList{total: len(all)}
	l.query = strings.TrimSpace(c.Query("q"))
	if len(l.query) > maxQueryLen {
		l.query = l.query[:maxQueryLen]
	}
	l.sortKey = c.Query("sort")
	if !slices.Contains(sortKeys, l.sortKey) {
		l.sortKey = sortKeys[0]
	}
	if t := c.Query("type"); t != "" && len(t) <= 32 {
		l.typeFilter = t
		all = slices.DeleteFunc(all, func(d inventory.Device) bool { return typeOrRemote(&d) != t })
	}
	if v := c.Query("vuln"); slices.Contains(vulnFilters, v) {
		l.vulnFilter = v
		all = filterVulns(all, v)
	}
	l.devs = filterDevices(all, l.query)
	sortDevices(l.devs, l.sortKey)
	return l, nil
}

// typeOrRemote is what the type filter matches: "remote" for a host known
// only from a router's ARP table (the dashboard counts those apart), else
// the device's type.
func typeOrRemote(d *inventory.Device) string {
	if arpOnly(d) {
		return "remote"
	}
	return string(cmp.Or(d.Type, inventory.TypeUnknown))
}

// devicesPage lists the inventory: ?q= filters on any text field (every word
// must match), ?type= on the device type, ?sort= orders by a column.
func (s *Server) devicesPage(c *gin.Context) {
	l, err := s.deviceList(c)
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the device list.", err)
		return
	}
	devs := l.devs
	view := devicesView{
		layout:  s.layoutFor(c, "Devices", "devices"),
		Query:   l.query,
		Type:    l.typeFilter,
		Vuln:    l.vulnFilter,
		Sort:    l.sortKey,
		Total:   l.total,
		Count:   len(devs),
		Devices: devs,

		CatalogDate: catalogDate(devs),
	}
	if wantsJSON(c.Request) {
		if view.Devices == nil {
			view.Devices = []inventory.Device{}
		}
		s.writeJSON(c, http.StatusOK, view)
		return
	}
	view.Types = deviceTypes
	view.Vulns = vulnFilters
	view.Columns = columns(l.query, l.sortKey, l.typeFilter)
	view.ClearURL = listURL("", l.sortKey, "")
	view.CSVURL = strings.Replace(listURL(l.query, l.sortKey, l.typeFilter), "/devices", "/devices.csv", 1)
	view.Rows = make([]deviceRow, len(devs))
	for i := range devs {
		view.Rows[i] = s.newDeviceRow(&devs[i])
	}
	view.RowsHTML = rowsHTML(view.Rows)
	s.render(c, http.StatusOK, s.pages.devices, view, view)
}

func (s *Server) newDeviceRow(d *inventory.Device) deviceRow {
	vulns, vulnClass := vulnCell(d)
	return deviceRow{
		Vulns:     vulns,
		VulnClass: vulnClass,
		URL:       deviceURL(d.MAC),
		Name:      d.Name(),
		IP:        ipString(d.IP),
		MAC:       d.MAC.String(),
		RandomMAC: d.RandomMAC,
		Vendor:    d.Vendor,
		Type:      string(cmp.Or(d.Type, inventory.TypeUnknown)),
		MakeModel: strings.TrimSpace(d.Make + " " + d.Model),
		Firmware:  d.Firmware,
		Lifecycle: lifecycleStatus(d),
		Serial:    d.Serial,
		Sources:   joinSources(d.Sources),

		LastSeenISO:  iso(d.LastSeen),
		LastSeenWhen: webkit.When(d.LastSeen),
		LastSeenAgo:  s.shell.Ago(d.LastSeen),
	}
}

func deviceURL(mac inventory.MAC) string { return "/devices/" + mac.String() }

// listURL is the device list with a query and sort, default sort omitted.
func listURL(query, sortKey, typ string) string {
	v := url.Values{}
	if query != "" {
		v.Set("q", query)
	}
	if sortKey != sortKeys[0] {
		v.Set("sort", sortKey)
	}
	if typ != "" {
		v.Set("type", typ)
	}
	if len(v) == 0 {
		return "/devices"
	}
	return "/devices?" + v.Encode()
}

func columns(query, sortKey, typ string) []column {
	cols := []struct{ label, key string }{
		{"Name", "name"}, {"IP", "ip"}, {"MAC", ""}, {"Vendor", "vendor"}, {"Type", "type"},
		{"Make / model", ""}, {"Firmware", ""}, {"Support", ""}, {"Vulnerabilities", ""}, {"Serial", ""}, {"Sources", ""}, {"Last seen", "last_seen"},
	}
	out := make([]column, len(cols))
	for i, col := range cols {
		out[i] = column{Label: col.label}
		if col.key != "" {
			out[i].URL = listURL(query, col.key, typ)
			out[i].Active = col.key == sortKey
			out[i].Dir = "ascending"
			if col.key == "last_seen" {
				out[i].Dir = "descending"
			}
		}
	}
	return out
}

// filterDevices keeps the devices matching every word of query, case
// insensitively, in any text field. A word that looks like part of a MAC
// address matches whatever separators it was typed with.
func filterDevices(all []inventory.Device, query string) []inventory.Device {
	terms := strings.Fields(strings.ToLower(query))
	if len(terms) == 0 {
		return all
	}
	var out []inventory.Device
	var hay strings.Builder
	for i := range all {
		d := &all[i]
		hay.Reset()
		for _, f := range searchFields(d) {
			hay.WriteString(strings.ToLower(f))
			hay.WriteByte('\n')
		}
		text := hay.String()
		macHex := strings.ReplaceAll(d.MAC.String(), ":", "")
		if allMatch(terms, text, macHex) {
			out = append(out, *d)
		}
	}
	return out
}

func allMatch(terms []string, text, macHex string) bool {
	for _, t := range terms {
		if strings.Contains(text, t) {
			continue
		}
		if h := macDigits(t); h != "" && strings.Contains(macHex, h) {
			continue
		}
		return false
	}
	return true
}

// macDigits returns term without MAC separators if what is left is hex
// (at least four digits, so short words do not match every address).
func macDigits(term string) string {
	h := strings.Map(func(r rune) rune {
		switch {
		case r == ':' || r == '-' || r == '.':
			return -1
		case r >= '0' && r <= '9', r >= 'a' && r <= 'f':
			return r
		}
		return '!'
	}, term)
	if len(h) < 4 || strings.ContainsRune(h, '!') {
		return ""
	}
	return h
}

func searchFields(d *inventory.Device) []string {
	f := []string{d.Name(), d.MAC.String(), d.Vendor, d.Hostname, string(d.Type), d.Make, d.Model,
		d.OS, d.Firmware, d.Serial, joinSources(d.Sources)}
	for _, ip := range d.IPs {
		f = append(f, ip.String())
	}
	if d.IP.IsValid() {
		f = append(f, d.IP.String())
	}
	if d.SNMP != nil {
		f = append(f, d.SNMP.SysName, d.SNMP.SysDescr, d.SNMP.SysLocation, d.SNMP.SysContact, d.SNMP.SysObjectID)
	}
	return f
}

// sortDevices orders devs (which arrive in IP order from storage) by key.
// The sort is stable, so ties stay in IP order; empty values and unknown
// types go last, newest sightings first.
func sortDevices(devs []inventory.Device, key string) {
	emptyLast := func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "":
			return 1
		case b == "":
			return -1
		}
		return strings.Compare(strings.ToLower(a), strings.ToLower(b))
	}
	var by func(a, b *inventory.Device) int
	switch key {
	case "name":
		by = func(a, b *inventory.Device) int { return emptyLast(a.Name(), b.Name()) }
	case "vendor":
		by = func(a, b *inventory.Device) int { return emptyLast(a.Vendor, b.Vendor) }
	case "type":
		known := func(d *inventory.Device) string {
			if d.Type == inventory.TypeUnknown {
				return ""
			}
			return string(d.Type)
		}
		by = func(a, b *inventory.Device) int { return emptyLast(known(a), known(b)) }
	case "last_seen":
		by = func(a, b *inventory.Device) int { return b.LastSeen.Compare(a.LastSeen) }
	default: // "ip": storage order already
		return
	}
	slices.SortStableFunc(devs, func(a, b inventory.Device) int { return by(&a, &b) })
}

// rowsHTML writes the device table's body directly, every value escaped
// with html.EscapeString (text and quoted attributes alike). At 2,000
// devices html/template's per-field reflection and contextual escaping
// were two thirds of the page's rendering time; this is the same markup
// the template produced, an order of magnitude faster.
func rowsHTML(rows []deviceRow) template.HTML {
	var b strings.Builder
	b.Grow(len(rows) * 700)
	e := html.EscapeString
	for i := range rows {
		r := &rows[i]
		b.WriteString("\n<tr>\n<td class=\"name\"><a href=\"")
		b.WriteString(e(r.URL))
		b.WriteString("\">")
		b.WriteString(e(r.Name))
		b.WriteString("</a></td>\n<td class=\"mono\">")
		b.WriteString(e(r.IP))
		b.WriteString("</td>\n<td class=\"mono\">")
		b.WriteString(e(r.MAC))
		if r.RandomMAC {
			b.WriteString(` <span class="tag" title="Locally administered (randomised) address: the vendor is unknown">rand</span>`)
		}
		b.WriteString("</td>\n<td>")
		b.WriteString(e(r.Vendor))
		b.WriteString("</td>\n<td><span class=\"badge badge-")
		b.WriteString(classSafe(r.Type))
		b.WriteString("\">")
		b.WriteString(e(r.Type))
		b.WriteString("</span></td>\n<td>")
		b.WriteString(e(r.MakeModel))
		b.WriteString("</td>\n<td class=\"mono\">")
		b.WriteString(e(r.Firmware))
		b.WriteString("</td>\n<td>")
		if r.Lifecycle != "" {
			b.WriteString("<span class=\"tag lc-")
			b.WriteString(classSafe(r.Lifecycle))
			b.WriteString("\">")
			b.WriteString(e(strings.ReplaceAll(r.Lifecycle, "_", " ")))
			b.WriteString("</span>")
		}
		b.WriteString("</td>\n<td>")
		if r.Vulns != "" {
			b.WriteString("<span class=\"sev sev-")
			b.WriteString(classSafe(r.VulnClass))
			b.WriteString("\">")
			b.WriteString(e(r.Vulns))
			b.WriteString("</span>")
		}
		b.WriteString("</td>\n<td class=\"mono\">")
		b.WriteString(e(r.Serial))
		b.WriteString("</td>\n<td class=\"muted\">")
		b.WriteString(e(r.Sources))
		b.WriteString("</td>\n<td class=\"nowrap\"><time datetime=\"")
		b.WriteString(e(r.LastSeenISO))
		b.WriteString("\" title=\"")
		b.WriteString(e(r.LastSeenWhen))
		b.WriteString("\">")
		b.WriteString(e(r.LastSeenAgo))
		b.WriteString("</time></td>\n</tr>")
	}
	return template.HTML(b.String()) //nolint:gosec // every value above is escaped
}

// classSafe keeps only [a-z0-9_-] of a value used inside a class name.
func classSafe(v string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return -1
	}, v)
}

// devices returns every device in storage order for the pages to filter
// and sort. storage.DevicesShared decodes only records that changed since
// the last listing (decoding 2,000 records was most of the device page's
// time); the slice is the caller's, the devices' inner slices are shared
// and never modified here.
func (s *Server) devices() ([]inventory.Device, error) {
	devs, err := s.st.DevicesShared()
	if err != nil {
		return nil, err
	}
	return slices.Clone(devs), nil
}

// findingsAndDevices reads the findings and the devices a page shows; on
// an error it answers the request itself (ok false).
func (s *Server) findingsAndDevices(c *gin.Context) (all []inventory.Finding, devs []inventory.Device, ok bool) {
	all, err := s.st.Findings()
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the actions.", err)
		return nil, nil, false
	}
	if devs, err = s.devices(); err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the devices.", err)
		return nil, nil, false
	}
	return all, devs, true
}

func lifecycleStatus(d *inventory.Device) string {
	if d.Lifecycle == nil || d.Lifecycle.Status == inventory.StatusUnknown {
		return ""
	}
	return string(d.Lifecycle.Status)
}

// catalogDate is the newest end-of-life catalog date among the devices'
// verdicts ("" when none is judged): the judge stamps every verdict.
func catalogDate(devs []inventory.Device) string {
	d := ""
	for i := range devs {
		if l := devs[i].Lifecycle; l != nil && l.CatalogDate > d {
			d = l.CatalogDate
		}
	}
	return d
}
