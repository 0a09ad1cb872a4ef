package webui

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/inventory"
	"tend/storage"
)

// deviceView is one device's page: its identity and the evidence behind it
// (what its SNMP agent said, which sensors saw it, its address history). As
// JSON it is the device itself.
type deviceView struct {
	layout
	Device inventory.Device
	Name   string
	Type   string
}

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
	view := deviceView{
		layout: s.layoutFor(c, d.Name(), "devices"),
		Device: d,
		Name:   d.Name(),
		Type:   string(d.Type),
	}
	if view.Type == "" {
		view.Type = string(inventory.TypeUnknown)
	}
	s.render(c, http.StatusOK, s.pages.device, view, d)
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
