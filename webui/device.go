package webui

import (
	"cmp"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/findings"
	"tend/inventory"
	"tend/storage"
)

// deviceView is one device's page: its identity and the evidence behind it
// (what its SNMP agent said, which sensors saw it, its address history),
// its lifecycle verdict and age, its health, the actions and events about
// it, and the form for what a person knows about it. As JSON it is the
// device itself plus its findings and events.
type deviceView struct {
	layout
	Device   inventory.Device
	Name     string
	Type     string
	Findings []actionRow
	Events   []inventory.Event
	Roles    []roleOption
	Purchase string // YYYY-MM-DD or empty
	Return   string
	Snooze   string
	AgeBar   *ageBar
	Chart    *lineChart
}

// deviceAnswer is a device page as JSON.
type deviceAnswer struct {
	inventory.Device
	Findings []inventory.Finding `json:"findings"`
	Events   []inventory.Event   `json:"events"`
	Traffic  []TrafficPoint      `json:"traffic"`
}

type roleOption struct {
	Value, Label string
	Selected     bool
}

// roles a person can give a device; the findings rules read some of them.
var roles = []roleOption{
	{"", "none", false},
	{findings.RoleBackupTarget, "backup target", false},
	{"scanner", "sanctioned scanner", false},
	{"critical", "business critical", false},
}

// ageBar draws an age band on a 0-15 year axis with the replacement mark.
type ageBar struct {
	X, W  string // band, in percent of the axis
	Label string
}

// maxEventsPerDevice bounds the events listed on a device page.
const maxEventsPerDevice = 20

// devicePage shows one device, addressed by MAC in any common notation.
func (s *Server) devicePage(c *gin.Context) {
	mac, err := inventory.ParseMAC(c.Param("mac"))
	if err != nil {
		s.fail(c, http.StatusNotFound, "That is not a MAC address, so there is no such device.", err)
		return
	}
	d, err := s.st.Device(mac)
	if errors.Is(err, storage.ErrNotFound) {
		s.fail(c, http.StatusNotFound, fmt.Sprintf("No device with MAC address %s has been seen.", mac), nil)
		return
	}
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the device.", err)
		return
	}
	all, err := s.st.Findings()
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the actions.", err)
		return
	}
	findings.Sort(all)
	ans := deviceAnswer{Device: d, Findings: []inventory.Finding{}, Events: []inventory.Event{}, Traffic: []TrafficPoint{}}
	if s.cfg.DeviceTraffic != nil {
		ans.Traffic = append(ans.Traffic, s.cfg.DeviceTraffic(mac)...)
	}
	for _, f := range all {
		if f.Device == mac.String() {
			ans.Findings = append(ans.Findings, f)
		}
	}
	if s.cfg.Events != nil {
		evs, err := s.cfg.Events(maxEventsScan)
		if err != nil {
			s.fail(c, http.StatusInternalServerError, "Could not read the events.", err)
			return
		}
		for _, e := range evs {
			if (e.MAC.String() == mac.String() || e.TargetMAC.String() == mac.String()) && len(ans.Events) < maxEventsPerDevice {
				ans.Events = append(ans.Events, e)
			}
		}
	}
	if wantsJSON(c.Request) {
		s.writeJSON(c, http.StatusOK, ans)
		return
	}
	now := s.now()
	view := deviceView{
		layout: s.layoutFor(c, d.Name(), "devices"),
		Device: d,
		Name:   d.Name(),
		Type:   string(cmp.Or(d.Type, inventory.TypeUnknown)),
		Events: ans.Events,
		Return: deviceURL(d.MAC),
		Snooze: now.AddDate(0, 0, 7).Format(time.DateOnly),
		Chart:  newLineChart(ans.Traffic),
	}
	names := map[string]string{mac.String(): d.Name()}
	for _, f := range ans.Findings {
		view.Findings = append(view.Findings, s.actionRow(f, names, now))
	}
	for _, r := range roles {
		r.Selected = r.Value == d.Role
		view.Roles = append(view.Roles, r)
	}
	if d.Role != "" && !slices.ContainsFunc(roles, func(r roleOption) bool { return r.Value == d.Role }) {
		view.Roles = append(view.Roles, roleOption{Value: d.Role, Label: d.Role, Selected: true})
	}
	if d.PurchaseDate != nil {
		view.Purchase = d.PurchaseDate.Format(time.DateOnly)
	}
	if d.Age != nil {
		const axis = 15.0
		lo, hi := min(d.Age.MinYears, axis), min(max(d.Age.MaxYears, d.Age.MinYears), axis)
		view.AgeBar = &ageBar{X: fmt.Sprintf("%.1f", 100*lo/axis), W: fmt.Sprintf("%.1f", max(1, 100*(hi-lo)/axis)),
			Label: fmt.Sprintf("%.1f–%.1f years", d.Age.MinYears, d.Age.MaxYears)}
	}
	s.render(c, http.StatusOK, s.pages.device, view, ans)
}

// maxEventsScan is how many recent events a device page looks through.
const maxEventsScan = 2000

// editDevice saves what a person knows about a device: label, role and
// purchase date.
func (s *Server) editDevice(c *gin.Context) {
	mac, err := inventory.ParseMAC(c.Param("mac"))
	if err != nil {
		s.fail(c, http.StatusNotFound, "That is not a MAC address, so there is no such device.", err)
		return
	}
	n := storage.DeviceNotes{Label: strings.TrimSpace(c.PostForm("label")), Role: strings.TrimSpace(c.PostForm("role"))}
	if len(n.Label) > 200 || len(n.Role) > 200 || strings.ContainsAny(n.Label+n.Role, "\r\n") {
		s.fail(c, http.StatusBadRequest, "Label and role are one line of at most 200 characters.", nil)
		return
	}
	if p := strings.TrimSpace(c.PostForm("purchase_date")); p != "" {
		t, err := time.Parse(time.DateOnly, p)
		if err != nil || t.After(s.now()) || t.Year() < 1980 {
			s.fail(c, http.StatusBadRequest, "Give the purchase date as YYYY-MM-DD, not in the future.", err)
			return
		}
		n.PurchaseDate = &t
	}
	d, err := s.st.SetDeviceNotes(mac, n)
	if errors.Is(err, storage.ErrNotFound) {
		s.fail(c, http.StatusNotFound, fmt.Sprintf("No device with MAC address %s has been seen.", mac), nil)
		return
	}
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not save the device.", err)
		return
	}
	sess, _ := sessionFrom(c)
	s.log.Info("device edited", "user", sess.User, "mac", mac.String(), "label", n.Label, "role", n.Role)
	s.audit(c, sess.User, "device_edited", mac.String(), fmt.Sprintf("label %q, role %q, purchased %s", n.Label, n.Role, date(n.PurchaseDate)))
	if s.cfg.Refresh != nil {
		s.cfg.Refresh()
	}
	if wantsJSON(c.Request) {
		s.writeJSON(c, http.StatusOK, d)
		return
	}
	c.Redirect(http.StatusSeeOther, deviceURL(mac))
}

// Formatting helpers shared by the templates.

func ipString(ip netip.Addr) string {
	if !ip.IsValid() {
		return ""
	}
	return ip.String()
}

func joinSources(src []inventory.Source) string {
	parts := make([]string, len(src))
	for i, s := range src {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

// duration renders an SNMP uptime as days, hours and minutes.
func duration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	days := d / (24 * time.Hour)
	d -= days * 24 * time.Hour
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	if days > 0 {
		return fmt.Sprintf("%dd %dh %dm", days, h, m)
	}
	return fmt.Sprintf("%dh %dm", h, m)
}
