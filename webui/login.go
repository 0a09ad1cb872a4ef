package webui

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"tend/storage"
	"tend/webkit"
)

// dummyHash is a bcrypt hash (cost 12, like real ones) of a password nobody
// uses. Checking unknown user names against it makes them take as long as
// known ones, so response time does not reveal which names exist.
const dummyHash = "$2a$12$N9VCIEeSlR7iQfBmnC9ApuF6O0WT7jjFcP.c.Qwr1H93p.9rbmVLi"

// loginFormAnswer is the sign-in form as JSON (the shell's).
type loginFormAnswer = webkit.LoginFormAnswer

// loginAnswer is the JSON answer to a successful sign-in, so a script can
// make further POSTs with the session's CSRF token.
type loginAnswer struct {
	User string `json:"user"`
	CSRF string `json:"csrf"`
}

// loginPage shows the sign-in form, or sends a signed-in browser on.
func (s *Server) loginPage(c *gin.Context) {
	if _, ok, _ := s.lookupSession(c.Request); ok {
		c.Redirect(http.StatusSeeOther, homePath)
		return
	}
	need, err := s.needsSetup()
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not check for users.", err)
		return
	}
	if need {
		s.renderSetup(c, http.StatusOK, "", "")
		return
	}
	s.renderLogin(c, http.StatusOK, "", "")
}

// homePath is where a sign-in lands: the dashboard.
const homePath = "/"

// loginToken returns the double-submit token for the sign-in and setup
// forms, reusing the browser's cookie when it has a good one so several
// tabs keep working.
func (s *Server) loginToken(c *gin.Context) string {
	if ck, err := c.Request.Cookie(s.loginCSRFCookie); err == nil && validToken(ck.Value) {
		return ck.Value
	}
	token := newToken()
	s.setCookie(c, s.loginCSRFCookie, token, 0)
	return token
}

// renderLogin shows the form with a login CSRF token, reusing the browser's
// cookie when it has a good one so several tabs keep working.
func (s *Server) renderLogin(c *gin.Context, status int, username, message string) {
	s.shell.RenderLogin(c, status, webkit.LoginView{Layout: layout{AppName: s.cfg.SiteName, Home: homePath},
		LoginCSRF: s.loginToken(c), Username: username, Message: message})
}

// login checks the password and starts a session.
func (s *Server) login(c *gin.Context) {
	ck, err := c.Request.Cookie(s.loginCSRFCookie)
	if err != nil || !validToken(ck.Value) || !tokensEqual(c.PostForm("csrf"), ck.Value) {
		s.log.Debug("login refused", "reason", "csrf")
		s.renderLogin(c, http.StatusForbidden, "", "The sign-in form expired. Please try again.")
		return
	}
	username := strings.TrimSpace(c.PostForm("username"))
	password := c.PostForm("password")
	limitName := username
	if storage.ValidateUserName(username) != nil {
		limitName = "" // one bucket for names that cannot exist
	}
	// The attempt is counted now, before bcrypt runs, so concurrent
	// guesses cannot all be checked before the first failure is recorded.
	attempt, wait := s.limiter.Admit(clientKey(c.RemoteIP()), limitName)
	if attempt == nil {
		s.loginRefused(c)
		s.renderLogin(c, http.StatusTooManyRequests, username, lockedMessage(wait))
		return
	}

	u, err := s.st.User(username)
	hash := u.PasswordHash
	switch {
	case errors.Is(err, storage.ErrNotFound):
		hash = dummyHash
	case err != nil:
		attempt.Cancel()
		s.fail(c, http.StatusInternalServerError, "Could not check your password.", err)
		return
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || u.Name == "" {
		wait := attempt.Done(false)
		// Only a known name is logged: people type passwords into the
		// user name field, and logs leave the box.
		s.loginFailed(c, u.Name, wait)
		msg := "Wrong user name or password."
		if wait > 0 {
			msg = lockedMessage(wait)
		}
		s.renderLogin(c, http.StatusUnauthorized, username, msg)
		return
	}

	attempt.Done(true)
	s.log.Info("login succeeded", "user", u.Name, "client", c.RemoteIP())
	s.audit(c, u.Name, "login", "", "")
	s.startSession(c, u.Name)
}

// startSession signs user in: a stored session (hash of the token only), the
// cookie, and the way on (JSON for scripts, the dashboard for browsers).
func (s *Server) startSession(c *gin.Context, user string) {
	token := newToken()
	now := s.now()
	sess := storage.Session{
		TokenHash: hashToken(token),
		User:      user,
		CSRF:      newToken(),
		Created:   now,
		Expires:   now.Add(s.cfg.SessionLifetime),
		LastUsed:  now,
		Client:    c.RemoteIP(),
	}
	if err := s.st.PutSession(sess); err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not start your session.", err)
		return
	}
	s.setCookie(c, s.sessionCookie, token, int(s.cfg.SessionLifetime/time.Second))
	s.setCookie(c, s.loginCSRFCookie, "", -1)
	if wantsJSON(c.Request) {
		s.writeJSON(c, http.StatusOK, loginAnswer{User: user, CSRF: sess.CSRF})
		return
	}
	c.Redirect(http.StatusSeeOther, homePath)
}

// clientKey is the limiter's name for a client address. An IPv6 host can
// pick any address in its /64, so the whole /64 counts as one client.
func clientKey(remote string) string {
	a, err := netip.ParseAddr(remote)
	if err != nil {
		return remote
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64) // cannot fail for an IPv6 address
		return p.String()
	}
	return a.String()
}

func lockedMessage(wait time.Duration) string { return webkit.LockedMessage(wait) }

// logout ends the session on the server, not just in the browser, so a
// copied cookie stops working too.
func (s *Server) logout(c *gin.Context) {
	sess, _ := sessionFrom(c)
	if err := s.st.DeleteSession(sess.TokenHash); err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.fail(c, http.StatusInternalServerError, "Could not end your session.", err)
		return
	}
	s.log.Info("logout", "user", sess.User)
	s.audit(c, sess.User, "logout", "", "")
	s.setCookie(c, s.sessionCookie, "", -1)
	if wantsJSON(c.Request) {
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, "/login")
}
