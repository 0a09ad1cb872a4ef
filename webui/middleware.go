package webui

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// contentSecurityPolicy allows nothing but the box itself: no inline script
// or style, no frames, no plugins, forms only back to the box.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// maxBodyBytes bounds request bodies: the largest legitimate one is the
// login form.
const maxBodyBytes = 64 << 10

// sameOrigin refuses cross-site unsafe requests by Sec-Fetch-Site and Origin
// (net/http's CrossOriginProtection), a second wall behind the CSRF tokens.
func (s *Server) sameOrigin(c *gin.Context) {
	if err := s.origins.Check(c.Request); err != nil {
		s.fail(c, http.StatusForbidden, "Cross-site request refused.", err)
		return
	}
	c.Next()
}

// recoverPanics turns a handler panic into a logged 500 instead of a dropped
// connection.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			err := fmt.Errorf("panic: %v", r)
			if c.Writer.Written() {
				s.log.Error("handler panicked after writing", "path", c.Request.URL.Path, "err", err)
				c.Abort()
				return
			}
			s.fail(c, http.StatusInternalServerError, "Something went wrong on the box. The error has been logged.", err)
		}
	}()
	c.Next()
}

func (s *Server) notFound(c *gin.Context) {
	s.fail(c, http.StatusNotFound, "There is no page at this address.", nil)
}

func (s *Server) methodNotAllowed(c *gin.Context) {
	s.fail(c, http.StatusMethodNotAllowed, "This address does not accept that request method.", nil)
}

// healthz tells a supervisor the process serves HTTP; it needs no session
// and reveals nothing.
func (s *Server) healthz(c *gin.Context) {
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte("ok"))
}

// Time formatting for templates.

// ago renders how long ago t was, coarsely: engineers want "3 min ago", not
// seconds.
func (s *Server) ago(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := s.now().Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	default:
		return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
	}
}

func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("2006-01-02 15:04:05 MST")
}

func iso(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
