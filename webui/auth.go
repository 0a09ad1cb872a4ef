package webui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"tend/storage"
	"tend/webkit"
)

// ctxBearer marks a request authenticated by an API token.
const ctxBearer = "webui.bearer"

// ctxRole is the request's role: the signed-in user's, or the API token's
// scope.
const ctxRole = "webui.role"

// apiTokenPrefix marks tend's API tokens, so secret scanners and people
// recognise one in a script or a log.
const apiTokenPrefix = "tend_"

// NewAPIToken returns a new API token for `tend token create` and the
// hash storage keeps.
func NewAPIToken() (token, hash string) {
	token = apiTokenPrefix + webkit.NewToken()
	return token, webkit.HashToken(token)
}

// requireToken authenticates a request by "Authorization: Bearer <token>".
// Anything wrong is a 401 in JSON: only scripts send this header.
func (s *Server) requireToken(c *gin.Context, header string) {
	tok, ok := strings.CutPrefix(header, "Bearer ")
	rest, isOurs := strings.CutPrefix(tok, apiTokenPrefix)
	if !ok || !isOurs || !webkit.ValidToken(rest) {
		s.writeJSON(c, http.StatusUnauthorized, errorView{Message: "authentication required: Authorization: Bearer tend_…"})
		c.Abort()
		return
	}
	t, err := s.st.Token(webkit.HashToken(tok))
	if errors.Is(err, storage.ErrNotFound) {
		s.log.Info("api token refused", "client", c.RemoteIP())
		s.writeJSON(c, http.StatusUnauthorized, errorView{Message: "unknown or revoked API token"})
		c.Abort()
		return
	}
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not check your token.", err)
		return
	}
	webkit.SetSession(c, webkit.Session{User: "token:" + t.Name})
	c.Set(ctxBearer, true)
	c.Set(ctxRole, t.Role())
	c.Next()
}

func sessionFrom(c *gin.Context) (storage.Session, bool) {
	sess, ok := webkit.SessionOf(c)
	return toStorage(sess), ok
}

// lookupSession finds the live session named by the request's cookie
// (webkit.Sessions.Lookup: expiry and idle timeout). ok is false when there
// is none; err only for a storage fault.
func (s *Server) lookupSession(r *http.Request) (storage.Session, bool, error) {
	sess, ok, err := s.sessions.Lookup(r)
	return toStorage(sess), ok, err
}

// requireSession lets signed-in requests through (webkit's
// RequireSession), and requests with an API token (requireToken).
// Browsers without a session are sent to the login page; JSON clients get
// 401, which scripts can act on.
func (s *Server) requireSession(c *gin.Context) {
	if h := c.GetHeader("Authorization"); h != "" {
		s.requireToken(c, h)
		return
	}
	s.shell.RequireSession(s.sessions, s.userRole)(c)
}

// userRole reads the signed-in user's role on every request, so a change
// takes effect at once. A user gone (a race with DeleteUser, which ends
// sessions in its transaction) has no session.
func (s *Server) userRole(c *gin.Context, sess webkit.Session) (bool, error) {
	u, err := s.st.User(sess.User)
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	c.Set(ctxRole, u.Role)
	return true, nil
}

// need lets through requests whose role allows role (admin ⊇ technician ⊇
// read-only), and refuses the rest with 403 before the handler runs.
func (s *Server) need(role string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if have := c.GetString(ctxRole); !storage.RoleAllows(have, role) {
			sess, _ := sessionFrom(c)
			s.log.Info("request refused", "reason", "role", "user", sess.User, "role", have, "need", role, "path", c.FullPath())
			s.fail(c, http.StatusForbidden, "Your role ("+have+") does not allow this; it needs "+role+".", nil)
			return
		}
		c.Next()
	}
}

// sessionOnly refuses API tokens: the route is about a browser session
// (sign out, sign out everywhere), which a token does not have.
func (s *Server) sessionOnly(c *gin.Context) {
	if c.GetBool(ctxBearer) {
		s.fail(c, http.StatusForbidden, "API tokens have no session; revoke the token instead.", nil)
		return
	}
	c.Next()
}

// setCookie writes a cookie with the house rules (webkit.SetCookie).
func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	webkit.SetCookie(c, name, value, maxAge, s.cfg.SecureCookies)
}
