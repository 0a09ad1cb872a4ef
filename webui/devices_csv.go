package webui

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// devicesCSV exports the device list as filtered and sorted on the page, for
// spreadsheets and client reports. Cells that a spreadsheet would run as a
// formula are defused (OWASP CSV injection).
func (s *Server) devicesCSV(c *gin.Context) {
	list, err := s.deviceList(c)
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the device list.", err)
		return
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"mac", "ip", "name", "label", "role", "vendor", "type", "make", "model", "os", "firmware", "serial", "lifecycle", "first_seen", "last_seen", "sources"})
	for i := range list.devs {
		d := &list.devs[i]
		lc := ""
		if d.Lifecycle != nil {
			lc = string(d.Lifecycle.Status)
		}
		_ = w.Write([]string{d.MAC.String(), ipString(d.IP), cell(d.Name()), cell(d.Label), cell(d.Role), cell(d.Vendor), string(d.Type),
			cell(d.Make), cell(d.Model), cell(d.OS), cell(d.Firmware), cell(d.Serial), lc,
			d.FirstSeen.UTC().Format(time.RFC3339), d.LastSeen.UTC().Format(time.RFC3339), joinSources(d.Sources)})
	}
	w.Flush()
	c.Header("Content-Disposition", `attachment; filename="`+csvName(s.cfg.SiteName, s.now())+`"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// cell prefixes a quote to values a spreadsheet would evaluate.
func cell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func csvName(site string, now time.Time) string {
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, site)
	return "devices-" + safe + "-" + now.Format("2006-01-02") + ".csv"
}
