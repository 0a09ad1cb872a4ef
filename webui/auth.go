package webui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"tend/storage"
	"tend/webkit"
)

// ctxSession is the gin context key under which requireSession leaves the
// request's session.
const ctxSession = "webui.session"

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
	c.Set(ctxSession, storage.Session{User: "token:" + t.Name})
	c.Set(ctxBearer, true)
	c.Set(ctxRole, t.Role())
	c.Next()
}

func sessionFrom(c *gin.Context) (storage.Session, bool) {
	v, ok := c.Get(ctxSession)
	if !ok {
		return storage.Session{}, false
	}
	sess, ok := v.(storage.Session)
	return sess, ok
}

// lookupSession finds the live session named by the request's cookie
// (webkit.Sessions.Lookup: expiry and idle timeout). ok is false when there
// is none; err only for a storage fault.
func (s *Server) lookupSession(r *http.Request) (storage.Session, bool, error) {
	sess, ok, err := s.sessions.Lookup(r)
	return toStorage(sess), ok, err
}

// requireSession lets signed-in requests through. Browsers without a session
// are sent to the login page; JSON clients get 401, which scripts can act on.
func (s *Server) requireSession(c *gin.Context) {
	if h := c.GetHeader("Authorization"); h != "" {
		s.requireToken(c, h)
		return
	}
	sess, ok, err := s.lookupSession(c.Request)
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not check your session.", err)
		return
	}
	var u storage.User
	if ok {
		// The role is read on every request, so a change takes effect at
		// once. A user gone (a race with DeleteUser, which ends sessions in
		// its transaction) has no session.
		u, err = s.st.User(sess.User)
		if errors.Is(err, storage.ErrNotFound) {
			ok = false
		} else if err != nil {
			s.fail(c, http.StatusInternalServerError, "Could not check your session.", err)
			return
		}
	}
	if !ok {
		s.shell.NotSignedIn(c)
		return
	}
	c.Set(ctxSession, sess)
	c.Set(ctxRole, u.Role)
	c.Next()
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

// requireCSRF checks every unsafe request against the session's CSRF token,
// sent in the form field "csrf" or the X-CSRF-Token header.
func (s *Server) requireCSRF(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	if c.GetBool(ctxBearer) {
		// A bearer token is no ambient credential: a browser never adds
		// it to a cross-site request by itself, so there is nothing to
		// forge.
		c.Next()
		return
	}
	sess, _ := sessionFrom(c)
	if !webkit.TokensEqual(webkit.CSRFToken(c), sess.CSRF) {
		s.fail(c, http.StatusForbidden, "The form had no valid security token. Reload the page and try again.", nil)
		return
	}
	c.Next()
}

// setCookie writes a cookie with the house rules (webkit.SetCookie).
func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	webkit.SetCookie(c, name, value, maxAge, s.cfg.SecureCookies)
}
