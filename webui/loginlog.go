package webui

import (
	"time"

	"github.com/gin-gonic/gin"

	"tend/storage"
)

// loginFailed records a wrong password. The audit log keeps one entry per
// client address per minute with a count (storage.AuditCounted), so a
// guessing client cannot flood it; the log line says whether the pair is
// now backing off.
func (s *Server) loginFailed(c *gin.Context, knownUser string, wait time.Duration) {
	s.log.Info("login failed", "user", knownUser, "user_known", knownUser != "", "client", c.RemoteIP(), "locked", wait > 0)
	e := storage.AuditEntry{Time: s.now(), User: knownUser, Action: "login_failed", Client: c.RemoteIP()}
	if err := s.st.AuditCounted(e); err != nil {
		s.log.Error("audit failed", "action", e.Action, "err", err)
	}
}

// loginRefused notes an attempt the limiter turned away before any
// password check. It is neither audited nor logged one by one (a flood of
// them costs nothing and must not fill the disk); the limiter counts them.
func (s *Server) loginRefused(c *gin.Context) {
	s.log.Debug("login refused", "reason", "limited", "client", c.RemoteIP())
}
