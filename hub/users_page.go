package hub

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"tend/storage"
)

// The admin's pages: users (add with a setup link, change role, new link,
// delete) with the audit log, API tokens (list, revoke), and a site's key
// (rotate) and the site itself (delete). Every write is a POST through the
// shell's session and CSRF checks, requireRole refuses it to non-admins,
// and each handler checks the role again (h.admin) so a GET of these pages
// is 403 for them too. Every write is audited.

// usersView is the Users page.
type usersView struct {
	hubLayout `json:"-"`
	Users     []UserInfo   `json:"users"`
	Audit     []AuditEntry `json:"audit"`
	// The setup link made just now, a secret shown once: never in the JSON.
	LinkUser, Link string   `json:"-"`
	LinkIsPath     bool     `json:"-"` // no --public-url: Link is the path alone
	Done           string   `json:"done,omitempty"`
	FormError      string   `json:"error,omitempty"`
	Roles          []string `json:"-"`
}

// auditShown is how many of the newest audit entries the Users page shows.
const auditShown = 100

func (h *Hub) usersPage(c *gin.Context) {
	if h.admin(c) {
		h.renderUsers(c, http.StatusOK, usersView{})
	}
}

func (h *Hub) renderUsers(c *gin.Context, status int, v usersView) {
	var err error
	if v.Users, err = h.data.Users(); err == nil {
		v.Audit, err = h.data.AuditLog(auditShown)
	}
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the users.", err)
		return
	}
	v.hubLayout = h.layoutFor(c, "Users", "users")
	v.Roles = []string{RoleAdmin, RoleTechnician, RoleReadOnly, RoleClient}
	h.render(c, status, "users", v, v)
}

// formRole is the role posted by the users page's forms (the site only
// for a client viewer).
func formRole(c *gin.Context) UserRole {
	r := UserRole{Role: c.PostForm("role")}
	if r.Role == RoleClient {
		r.Site = strings.TrimSpace(c.PostForm("site"))
	}
	return r
}

// setupURL is the link a new user opens to choose a password, on the
// hub's --public-url. Without one it is the path alone (and the page says
// to put the hub's address in front): never the request's Host header,
// which a reverse proxy rewrites and a client may forge.
func (h *Hub) setupURL(tok string) string {
	return h.cfg.PublicURL + "/setup/" + tok
}

// addUser creates a user with a role and shows its setup link once.
func (h *Hub) addUser(c *gin.Context) {
	if !h.admin(c) {
		return
	}
	name, r := strings.TrimSpace(c.PostForm("name")), formRole(c)
	tok, err := h.data.NewSetupLink(name, &r)
	if err != nil {
		h.renderUsers(c, http.StatusBadRequest, usersView{FormError: err.Error()})
		return
	}
	h.auditBy(c, "user add", strings.TrimSpace(name+" "+r.Role+" "+r.Site))
	h.renderUsers(c, http.StatusOK, usersView{LinkUser: name, Link: h.setupURL(tok), LinkIsPath: h.cfg.PublicURL == ""})
}

// userLink gives a user a new setup link (a password reset): its password
// and sessions end at once.
func (h *Hub) userLink(c *gin.Context) {
	if !h.admin(c) {
		return
	}
	name := c.Param("name")
	tok, err := h.data.NewSetupLink(name, nil)
	if h.userWriteFailed(c, name, err) {
		return
	}
	h.auditBy(c, "user link", name)
	h.renderUsers(c, http.StatusOK, usersView{LinkUser: name, Link: h.setupURL(tok), LinkIsPath: h.cfg.PublicURL == ""})
}

func (h *Hub) userRole(c *gin.Context) {
	if !h.admin(c) {
		return
	}
	name, r := c.Param("name"), formRole(c)
	if h.userWriteFailed(c, name, h.data.ChangeRole(name, r)) {
		return
	}
	h.auditBy(c, "user role", strings.TrimSpace(name+" "+r.Role+" "+r.Site))
	h.renderUsers(c, http.StatusOK, usersView{Done: name + " is now " + r.Role + "."})
}

func (h *Hub) deleteUser(c *gin.Context) {
	if !h.admin(c) {
		return
	}
	name := c.Param("name")
	if h.userWriteFailed(c, name, h.data.DeleteUser(name)) {
		return
	}
	h.auditBy(c, "user delete", name)
	h.renderUsers(c, http.StatusOK, usersView{Done: name + " was deleted."})
}

// userWriteFailed answers a failed write to a user: 404 for no such user,
// 400 with the reason otherwise.
func (h *Hub) userWriteFailed(c *gin.Context, name string, err error) bool {
	if err == nil {
		return false
	}
	if _, e := h.data.UserHash(name); errors.Is(e, storage.ErrNotFound) {
		h.fail(c, http.StatusNotFound, "There is no such user.", nil)
		return true
	}
	h.renderUsers(c, http.StatusBadRequest, usersView{FormError: err.Error()})
	return true
}

// auditBy records an act of the signed-in user.
func (h *Hub) auditBy(c *gin.Context, action, target string) {
	sess, _ := h.session(c)
	h.log.Info("admin act", "action", action, "target", target, "by", sess.User)
	h.audit(sess.User, action, target)
}
