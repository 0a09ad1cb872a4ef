package webui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/storage"
)

// BoxSettings is how the box is configured, as cmd/tend reports it for
// the settings page. Credentials appear only as counts: they are never
// shown back.
type BoxSettings struct {
	Interface       string        `json:"interface"`
	Subnets         []string      `json:"subnets"`
	ScanInterval    time.Duration `json:"scan_interval"`
	SNMPCommunities int           `json:"snmp_communities"` // how many are configured
	SNMPv3Users     int           `json:"snmp_v3_users"`
	Upstream        string        `json:"upstream,omitempty"`
	CertSHA256      string        `json:"cert_sha256,omitempty"`
}

// settingsView is the settings page: the box's configuration, the users
// (add, remove) and the API tokens (revoke).
type settingsView struct {
	layout `json:"-"`
	Box    *BoxSettings `json:"box,omitempty"`
	Users  []string     `json:"users"`
	Tokens []string     `json:"tokens"`
	// Store is what the database did since start, including the new
	// devices it refused (past the cap, or a flood of passive MACs).
	Store storage.Stats `json:"store"`
	Me    string        `json:"-"`
}

func (s *Server) settingsPage(c *gin.Context) {
	users, err := s.st.Users()
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the users.", err)
		return
	}
	toks, err := s.st.Tokens()
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the API tokens.", err)
		return
	}
	view := settingsView{layout: s.layoutFor(c, "Settings", "settings"), Users: []string{}, Tokens: []string{}, Store: s.st.Stats()}
	view.Me = view.User
	if s.cfg.Settings != nil {
		b := s.cfg.Settings()
		view.Box = &b
	}
	for _, u := range users {
		view.Users = append(view.Users, u.Name)
	}
	for _, t := range toks {
		view.Tokens = append(view.Tokens, t.Name)
	}
	s.render(c, http.StatusOK, s.pages.settings, view, view)
}

// addUser creates another user (an engineer's colleague). There are no
// roles: every user may do everything, as in `tend user add`.
func (s *Server) addUser(c *gin.Context) {
	name := strings.TrimSpace(c.PostForm("username"))
	if err := storage.ValidateUserName(name); err != nil {
		s.fail(c, http.StatusBadRequest, "Choose a user name of 1-64 letters, digits, '.', '_' or '-'.", err)
		return
	}
	if _, err := s.st.User(name); err == nil {
		s.fail(c, http.StatusConflict, fmt.Sprintf("A user named %s exists already.", name), nil)
		return
	}
	pw := c.PostForm("password")
	if pw != c.PostForm("password2") {
		s.fail(c, http.StatusBadRequest, "The two passwords differ.", nil)
		return
	}
	hash, err := s.hashPassword(pw)
	if err != nil {
		s.fail(c, http.StatusBadRequest, "The password must have 10 to 72 characters.", err)
		return
	}
	if err := s.st.PutUser(storage.User{Name: name, PasswordHash: hash, Created: s.now().UTC()}); err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not save the user.", err)
		return
	}
	s.audit(c, "", "user_added", name, "")
	s.settingsDone(c)
}

// deleteUser removes a user and signs them out everywhere; nobody removes
// themselves (or the last user), so the box never locks everyone out.
func (s *Server) deleteUser(c *gin.Context) {
	sess, _ := sessionFrom(c)
	name := c.PostForm("username")
	if name == sess.User {
		s.fail(c, http.StatusBadRequest, "You cannot remove yourself; ask another user, or use tend user delete on the box.", nil)
		return
	}
	if err := s.st.DeleteUser(name); errors.Is(err, storage.ErrNotFound) {
		s.fail(c, http.StatusNotFound, "There is no such user.", err)
		return
	} else if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not remove the user.", err)
		return
	}
	s.audit(c, "", "user_deleted", name, "")
	s.settingsDone(c)
}

// revokeToken deletes an API token by name.
func (s *Server) revokeToken(c *gin.Context) {
	name := c.PostForm("name")
	if err := s.st.DeleteToken(name); errors.Is(err, storage.ErrNotFound) {
		s.fail(c, http.StatusNotFound, "There is no such API token.", err)
		return
	} else if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not revoke the token.", err)
		return
	}
	s.audit(c, "", "token_revoked", name, "")
	s.settingsDone(c)
}

func (s *Server) settingsDone(c *gin.Context) {
	if wantsJSON(c.Request) {
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, "/settings")
}
