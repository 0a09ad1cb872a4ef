package webui

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"tend/notify"
)

// Outlets is what the outlets page needs of the notification dispatcher.
type Outlets interface {
	Status() []notify.OutletStatus
	Test(ctx context.Context, id string) (answer string, err error)
}

// outletsView is Settings → Outlets: each outlet (its URL without secrets),
// its policy, queue and last error, and a test-send button whose result
// shows the outlet's answer.
type outletsView struct {
	layout  `json:"-"`
	Outlets []notify.OutletStatus `json:"outlets"`
	// The last test send, when the page answers one.
	Tested     string `json:"tested,omitempty"`
	TestAnswer string `json:"test_answer,omitempty"`
	TestError  string `json:"test_error,omitempty"`
}

func (s *Server) outletsView(c *gin.Context) outletsView {
	v := outletsView{layout: s.layoutFor(c, "Outlets", "settings"), Outlets: []notify.OutletStatus{}}
	if s.cfg.Outlets != nil {
		v.Outlets = s.cfg.Outlets.Status()
	}
	return v
}

func (s *Server) outletsPage(c *gin.Context) {
	v := s.outletsView(c)
	if wantsJSON(c.Request) {
		s.writeJSON(c, http.StatusOK, v)
		return
	}
	s.render(c, http.StatusOK, s.pages.outlets, v, v)
}

// testOutlet sends a test message through one outlet now and shows its
// answer (or its error) on the page.
func (s *Server) testOutlet(c *gin.Context) {
	if s.cfg.Outlets == nil {
		s.fail(c, http.StatusNotFound, "No outlets are configured.", nil)
		return
	}
	id := c.PostForm("id")
	known := false
	for _, o := range s.cfg.Outlets.Status() {
		known = known || o.ID == id
	}
	if !known {
		s.fail(c, http.StatusNotFound, "There is no such outlet.", nil)
		return
	}
	sess, _ := sessionFrom(c)
	ctx, cancel := context.WithTimeout(c.Request.Context(), 40*time.Second)
	defer cancel()
	ans, err := s.cfg.Outlets.Test(ctx, id)
	detail := "ok"
	if err != nil {
		detail = "failed"
	}
	s.audit(c, sess.User, "outlet_test", id, detail)
	v := s.outletsView(c)
	v.Tested, v.TestAnswer = id, ans
	status := http.StatusOK
	if err != nil {
		v.TestError = err.Error()
		status = http.StatusBadGateway
	}
	if wantsJSON(c.Request) {
		s.writeJSON(c, status, v)
		return
	}
	s.render(c, status, s.pages.outlets, v, v)
}
