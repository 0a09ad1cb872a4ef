package webui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"tend/storage"
	"tend/webkit"
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
	// The traffic watch's own view of the LAN (--gateway, --dhcp-server,
	// --ipv6-router): what its detectors take as legitimate.
	Gateway     string   `json:"gateway,omitempty"` // empty: the routing table's
	DHCPServers []string `json:"dhcp_servers,omitempty"`
	IPv6Routers []string `json:"ipv6_routers,omitempty"` // MACs
	// KnownScanners (--known-scanner): MACs, addresses or prefixes whose
	// scans, sweeps and SNMP community guesses are raised at info.
	KnownScanners []string `json:"known_scanners,omitempty"`
}

// settingsView is the settings page: the box's configuration, the users
// (add, remove) and the API tokens (revoke).
type settingsView struct {
	layout   `json:"-"`
	Box      *BoxSettings `json:"box,omitempty"`
	Users    []userRow    `json:"users"`
	Tokens   []tokenRow   `json:"tokens"`
	Sessions []sessionRow `json:"sessions"` // the signed-in user's own
	// Store is what the database did since start, including the new
	// devices it refused (past the cap, or a flood of passive MACs).
	Store storage.Stats `json:"store"`
	// Watch is the traffic watch's counters; nil when it is off.
	Watch    *WatchCounters `json:"watch,omitempty"`
	Me       string         `json:"-"`
	IsAdmin  bool           `json:"-"`
	NewToken string         `json:"new_token,omitempty"` // shown once, right after creation
	Roles    []string       `json:"-"`
}

// userRow is one user on the settings page.
type userRow struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// tokenRow is one API token: its name and scope, never the secret.
type tokenRow struct {
	Name  string `json:"name"`
	Scope string `json:"scope"`
}

// sessionRow is one of the user's sessions; Current marks this browser's.
type sessionRow struct {
	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"last_used"`
	Expires  time.Time `json:"expires"`
	Client   string    `json:"client,omitempty"`
	Current  bool      `json:"current"`
}

// WatchCounters is what the traffic watch counted since start and what it
// let go of to stay within its caps (traffic.WatchStats, for the settings
// page and its JSON).
type WatchCounters struct {
	Packets   uint64 `json:"packets"`
	Malformed uint64 `json:"malformed"`
	Hosts     int    `json:"hosts"` // tracked now
	// Dropped to stay bounded: frames of hosts beyond the host cap, hosts of
	// a frame or two let go from a nearly full table (a MAC flood's), ARP
	// and neighbour bindings let go from a full table, probes beyond the
	// tracker cap, events past the incident table's cap, repeats
	// inside the cooldown and new devices past 20 a window.
	HostsUntracked       uint64 `json:"hosts_untracked"`
	HostsEvicted         uint64 `json:"hosts_evicted"`
	BindingsEvicted      uint64 `json:"bindings_evicted"`
	TrackersDropped      uint64 `json:"trackers_dropped"`
	EventsDropped        uint64 `json:"events_dropped"`
	EventsSuppressed     uint64 `json:"events_suppressed"`
	NewDevicesSuppressed uint64 `json:"new_devices_suppressed"`
	// Dropped on the way: frames the kernel's ring lost, events and
	// observations the store did not keep up with.
	KernelDropped       uint64 `json:"kernel_dropped"`
	EventsQueueDropped  uint64 `json:"events_queue_dropped"`
	ObservationsDropped uint64 `json:"observations_dropped"`
}

// SetWatch hands the settings page the traffic watch's counters (serve
// starts the watch after the UI); safe while serving.
func (s *Server) SetWatch(counters func() WatchCounters) { s.watch.Store(&counters) }

func (s *Server) settingsPage(c *gin.Context) { s.renderSettings(c, http.StatusOK, "") }

// renderSettings shows the settings page; newToken is a token just created,
// shown this once.
func (s *Server) renderSettings(c *gin.Context, status int, newToken string) {
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
	view := settingsView{layout: s.layoutFor(c, "Settings", "settings"), Users: []userRow{}, Tokens: []tokenRow{}, Sessions: []sessionRow{}, Store: s.st.Stats(),
		Roles: []string{storage.RoleAdmin, storage.RoleTechnician, storage.RoleReadOnly}}
	view.Me = view.User
	view.IsAdmin = view.Role == storage.RoleAdmin
	view.NewToken = newToken
	if sess, ok := sessionFrom(c); ok && !c.GetBool(ctxBearer) {
		mine, err := s.st.SessionsOf(sess.User)
		if err != nil {
			s.fail(c, http.StatusInternalServerError, "Could not read your sessions.", err)
			return
		}
		for _, m := range mine {
			view.Sessions = append(view.Sessions, sessionRow{Created: m.Created, LastUsed: m.LastUsed, Expires: m.Expires, Client: m.Client, Current: m.TokenHash == sess.TokenHash})
		}
	}
	if f := s.watch.Load(); f != nil {
		w := (*f)()
		view.Watch = &w
	}
	if s.cfg.Settings != nil {
		b := s.cfg.Settings()
		view.Box = &b
	}
	for _, u := range users {
		view.Users = append(view.Users, userRow{Name: u.Name, Role: u.Role})
	}
	for _, t := range toks {
		view.Tokens = append(view.Tokens, tokenRow{Name: t.Name, Scope: t.Role()})
	}
	s.render(c, status, s.pages.settings, view, view)
}

// createToken makes an API token with the scope the form names (read-only
// when it names none) and shows it once.
func (s *Server) createToken(c *gin.Context) {
	name, scope := strings.TrimSpace(c.PostForm("name")), c.PostForm("scope")
	if scope == "" {
		scope = storage.RoleReadOnly
	}
	if storage.ValidateUserName(name) != nil || !storage.ValidRole(scope) {
		s.fail(c, http.StatusBadRequest, "Name the token with 1-64 letters, digits, '.', '_' or '-', and choose the scope read-only, technician or admin.", nil)
		return
	}
	tok, hash := NewAPIToken()
	if err := s.st.PutToken(storage.APIToken{Hash: hash, Name: name, Created: s.now().UTC(), Scope: scope}); err != nil {
		s.fail(c, http.StatusConflict, "Could not create the token (is the name taken?).", err)
		return
	}
	s.audit(c, "", "token_created", name, "scope "+scope)
	s.renderSettings(c, http.StatusCreated, tok)
}

// addUser creates another user (an engineer's colleague) with the role
// the form names; read-only when it names none.
func (s *Server) addUser(c *gin.Context) {
	name := strings.TrimSpace(c.PostForm("username"))
	if err := storage.ValidateUserName(name); err != nil {
		s.fail(c, http.StatusBadRequest, "Choose a user name of 1-64 letters, digits, '.', '_' or '-'.", err)
		return
	}
	role := c.PostForm("role")
	if role == "" {
		role = storage.RoleReadOnly
	}
	if !storage.ValidRole(role) {
		s.fail(c, http.StatusBadRequest, "Choose the role admin, technician or read-only.", nil)
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
	if err := s.st.PutUser(storage.User{Name: name, PasswordHash: hash, Created: s.now().UTC(), Role: role}); err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not save the user.", err)
		return
	}
	s.audit(c, "", "user_added", name, "role "+role)
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
	} else if errors.Is(err, storage.ErrLastAdmin) {
		s.fail(c, http.StatusConflict, "That is the last admin: make another user admin first.", err)
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

// setUserRole changes a user's role; the last admin stays admin.
func (s *Server) setUserRole(c *gin.Context) {
	name, role := c.PostForm("username"), c.PostForm("role")
	if !storage.ValidRole(role) {
		s.fail(c, http.StatusBadRequest, "Choose the role admin, technician or read-only.", nil)
		return
	}
	u, err := s.st.User(name)
	if errors.Is(err, storage.ErrNotFound) {
		s.fail(c, http.StatusNotFound, "There is no such user.", err)
		return
	} else if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not read the user.", err)
		return
	}
	u.Role = role
	if err := s.st.PutUser(u); errors.Is(err, storage.ErrLastAdmin) {
		s.fail(c, http.StatusConflict, "That is the last admin: make another user admin first.", err)
		return
	} else if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not save the user.", err)
		return
	}
	s.audit(c, "", "user_role_changed", name, "role "+role)
	s.settingsDone(c)
}

// endSessions signs the user out everywhere else ("sign out everywhere"
// keeps this browser unless the form says all=1).
func (s *Server) endSessions(c *gin.Context) {
	sess, _ := sessionFrom(c)
	keep := sess.TokenHash
	if c.PostForm("all") == "1" {
		keep = ""
	}
	n, err := s.st.DeleteSessionsOf(sess.User, keep)
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not end your sessions.", err)
		return
	}
	s.log.Info("sessions ended", "user", sess.User, "count", n, "kept_this_one", keep != "")
	s.audit(c, sess.User, "sessions_ended", sess.User, fmt.Sprintf("%d sessions", n))
	if keep == "" {
		s.setCookie(c, s.sessionCookie, "", -1)
	}
	s.settingsDone(c)
}

// changePassword sets the signed-in user's new password after checking the
// current one (limited like a sign-in). The new password ends every session
// of the user, this one included: sign in again with it.
func (s *Server) changePassword(c *gin.Context) {
	sess, _ := sessionFrom(c)
	attempt, wait := s.limiter.Admit(webkit.ClientKey(c.RemoteIP()), sess.User)
	if attempt == nil {
		s.fail(c, http.StatusTooManyRequests, lockedMessage(wait), nil)
		return
	}
	u, err := s.st.User(sess.User)
	if err != nil {
		attempt.Cancel()
		s.fail(c, http.StatusInternalServerError, "Could not read your account.", err)
		return
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(c.PostForm("current"))) != nil {
		attempt.Done(false)
		s.fail(c, http.StatusForbidden, "Your current password is wrong.", nil)
		return
	}
	attempt.Done(true)
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
	u.PasswordHash = hash
	if err := s.st.PutUser(u); err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not save the password.", err)
		return
	}
	s.log.Info("password changed", "user", u.Name, "client", c.RemoteIP())
	s.audit(c, u.Name, "password_changed", u.Name, "every session ended")
	s.setCookie(c, s.sessionCookie, "", -1)
	if wantsJSON(c.Request) {
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) settingsDone(c *gin.Context) {
	if wantsJSON(c.Request) {
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, "/settings")
}
