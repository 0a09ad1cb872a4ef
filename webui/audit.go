package webui

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"tend/storage"
)

// maxAuditPage bounds the audit page.
const maxAuditPage = 500

// audit records what the request's user did. A storage fault is logged,
// never shown: the action itself already succeeded.
func (s *Server) audit(c *gin.Context, user, action, target, detail string) {
	if user == "" {
		if sess, ok := sessionFrom(c); ok {
			user = sess.User
		}
	}
	e := storage.AuditEntry{Time: s.now(), User: user, Action: action, Target: target, Detail: detail, Client: c.RemoteIP()}
	if err := s.st.Audit(e); err != nil {
		s.log.Error("audit failed", "action", action, "user", user, "err", err)
	}
}

// auditView is the audit log page; as JSON, the entries.
type auditView struct {
	layout  `json:"-"`
	Entries []storage.AuditEntry `json:"entries"`
}

func (s *Server) auditPage(c *gin.Context) {
	entries, err := s.st.AuditLog(maxAuditPage)
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the audit log.", err)
		return
	}
	if entries == nil {
		entries = []storage.AuditEntry{}
	}
	view := auditView{layout: s.layoutFor(c, "Audit log", "audit"), Entries: entries}
	s.render(c, http.StatusOK, s.pages.audit, view, view)
}
