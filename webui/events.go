package webui

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"tend/inventory"
)

// maxEventsPage bounds the events timeline.
const maxEventsPage = 500

// eventsView is the events timeline. As JSON: the filter and the events.
type eventsView struct {
	layout   `json:"-"`
	Type     string            `json:"type,omitempty"`
	Severity string            `json:"severity,omitempty"`
	Count    int               `json:"count"`
	Events   []inventory.Event `json:"events"`

	Available bool         `json:"-"`
	Rows      []eventRow   `json:"-"`
	TypeTabs  []filterLink `json:"-"`
}

// eventTypes are the filters offered: every type a sensor raises.
var eventTypes = inventory.EventTypes

// eventsPage lists recent events, newest first: ?type= and ?severity=
// (at least) filter.
func (s *Server) eventsPage(c *gin.Context) {
	view := eventsView{layout: s.layoutFor(c, "Events", "events"), Events: []inventory.Event{}, Available: s.cfg.Events != nil}
	if t := c.Query("type"); slices.Contains(eventTypes, inventory.EventType(t)) {
		view.Type = t
	}
	if sv := c.Query("severity"); slices.Contains(severities, inventory.Severity(sv)) {
		view.Severity = sv
	}
	seen := map[inventory.EventType]bool{} // types among the recent events: only those get a tab
	if s.cfg.Events != nil {
		evs, err := s.cfg.Events(maxEventsScan)
		if err != nil {
			s.fail(c, http.StatusInternalServerError, "Could not read the events.", err)
			return
		}
		floor := inventory.Severity(view.Severity).Rank()
		for _, e := range evs {
			seen[e.Type] = true
			if (view.Type != "" && string(e.Type) != view.Type) || (view.Severity != "" && e.Severity.Rank() < floor) {
				continue
			}
			if len(view.Events) < maxEventsPage {
				view.Events = append(view.Events, e)
			}
		}
	}
	view.Count = len(view.Events)
	if wantsJSON(c.Request) {
		s.writeJSON(c, http.StatusOK, view)
		return
	}
	eventsURL := func(typ string) string {
		v := url.Values{}
		if typ != "" {
			v.Set("type", typ)
		}
		if view.Severity != "" {
			v.Set("severity", view.Severity)
		}
		if len(v) == 0 {
			return "/events"
		}
		return "/events?" + v.Encode()
	}
	view.TypeTabs = append(view.TypeTabs, filterLink{Label: "all", URL: eventsURL(""), Active: view.Type == ""})
	for _, t := range eventTypes {
		if !seen[t] && string(t) != view.Type {
			continue
		}
		view.TypeTabs = append(view.TypeTabs, filterLink{Label: strings.ReplaceAll(string(t), "_", " "), URL: eventsURL(string(t)), Active: string(t) == view.Type})
	}
	for _, e := range view.Events {
		r := eventRow{Event: e}
		if !e.MAC.IsZero() {
			r.DeviceURL = deviceURL(e.MAC)
		}
		view.Rows = append(view.Rows, r)
	}
	s.render(c, http.StatusOK, s.pages.events, view, view)
}
