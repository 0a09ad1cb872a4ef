package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"tend/storage"
)

// Roles at the hub. A user without a role record is an admin (the hub's
// users before roles were all admins).
const (
	RoleAdmin      = "admin"      // users, sites, keys, tokens, outlets
	RoleTechnician = "technician" // acknowledge, snooze, resolve
	RoleReadOnly   = "read-only"  // every site's pages, no changes
	RoleClient     = "client"     // one site's pages and report, nothing else
)

// UserRole is a hub user's role; Site is the one site a client viewer sees.
type UserRole struct {
	Role string `json:"role"`
	Site string `json:"site,omitempty"`
}

const hubCtxRole = "hub.role"

// SetRole gives user a role (site: the client viewer's site).
func (h *HubStore) SetRole(user string, r UserRole) error {
	if err := validRole(r); err != nil {
		return err
	}
	if storage.ValidateUserName(user) != nil {
		return fmt.Errorf("hub: invalid user name %q", user)
	}
	return h.db.update(func(tx kvTx) error { return setRoleTx(tx, user, r) })
}

// validRole checks a role: one of the four, with a site for a client viewer only.
func validRole(r UserRole) error {
	if !slices.Contains([]string{RoleAdmin, RoleTechnician, RoleReadOnly, RoleClient}, r.Role) {
		return fmt.Errorf("hub: unknown role %q (admin, technician, read-only, client)", r.Role)
	}
	if (r.Role == RoleClient) != (r.Site != "") {
		return errors.New("hub: a client viewer needs its site, and only a client viewer has one")
	}
	return nil
}

// Role returns user's role: admin when none was set.
func (h *HubStore) Role(user string) (UserRole, error) {
	r := UserRole{Role: RoleAdmin}
	err := h.db.view(func(tx kvTx) error {
		v, err := tx.Get("role:" + user)
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(v), &r)
	})
	return r, err
}

// requireRole loads the signed-in user's role and enforces it: a client
// viewer reaches only its own site's page and report (anything else is
// 404, as if it did not exist); only admins POST (except signing out),
// and technicians decide on a site's actions.
func (h *Hub) requireRole(c *gin.Context) {
	sess, _ := h.session(c)
	r, err := h.data.Role(sess.User)
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not check your role.", err)
		return
	}
	c.Set(hubCtxRole, r)
	path := c.Request.URL.Path
	if path == "/logout" {
		c.Next()
		return
	}
	if r.Role == RoleClient {
		own := "/sites/" + r.Site
		switch {
		case path == "/" || path == "/sites":
			c.Redirect(http.StatusSeeOther, own)
			c.Abort()
			return
		case c.Request.Method == http.MethodGet && (path == own || strings.HasPrefix(path, own+"/report")):
			c.Next()
			return
		case path == own+"/actions":
			h.fail(c, http.StatusForbidden, "Your role ("+r.Role+") cannot decide on actions.", nil)
			return
		}
		h.fail(c, http.StatusNotFound, "There is no page at this address.", nil)
		return
	}
	decide := r.Role == RoleTechnician && c.FullPath() == "/sites/:name/actions"
	if c.Request.Method == http.MethodPost && r.Role != RoleAdmin && !decide {
		h.fail(c, http.StatusForbidden, "Your role ("+r.Role+") cannot change the hub's sites or tokens.", nil)
		return
	}
	c.Next()
}
