package webui

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// scanAnswer is the JSON answer to POST /scan.
type scanAnswer struct {
	Status string `json:"status"`
}

// scan starts an active sweep through the function cmd/tend passed in, then
// sends the browser back to the device list, where results appear as they
// are stored.
func (s *Server) scan(c *gin.Context) {
	if s.cfg.ScanNow == nil {
		s.fail(c, http.StatusNotFound, "Scanning is not available on this box.", nil)
		return
	}
	sess, _ := sessionFrom(c)
	if err := s.cfg.ScanNow(c.Request.Context()); err != nil {
		s.fail(c, http.StatusInternalServerError, "The scan could not be started. The error has been logged.", err)
		return
	}
	s.log.Info("scan requested", "user", sess.User)
	s.audit(c, sess.User, "scan_requested", "", "")
	if wantsJSON(c.Request) {
		s.writeJSON(c, http.StatusAccepted, scanAnswer{Status: "started"})
		return
	}
	c.Redirect(http.StatusSeeOther, "/devices")
}
