package webui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/storage"
	"tend/webkit"
)

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
// forms.
func (s *Server) loginToken(c *gin.Context) string {
	return webkit.LoginToken(c, s.loginCSRFCookie, s.cfg.SecureCookies)
}

// renderLogin shows the form with a login CSRF token, reusing the browser's
// cookie when it has a good one so several tabs keep working.
func (s *Server) renderLogin(c *gin.Context, status int, username, message string) {
	s.shell.RenderLogin(c, status, webkit.LoginView{Layout: layout{AppName: s.cfg.SiteName, Home: homePath},
		LoginCSRF: s.loginToken(c), Username: username, Message: message})
}

// login checks the password and starts a session.
func (s *Server) login(c *gin.Context) {
	if !webkit.LoginTokenOK(c, s.loginCSRFCookie) {
		s.log.Debug("login refused", "reason", "csrf")
		s.renderLogin(c, http.StatusForbidden, "", "The sign-in form expired. Please try again.")
		return
	}
	username := strings.TrimSpace(c.PostForm("username"))
	limitName := username
	if storage.ValidateUserName(username) != nil {
		limitName = "" // one bucket for names that cannot exist
	}
	v, err := s.limiter.CheckPassword(webkit.ClientKey(c.RemoteIP()), limitName, c.PostForm("password"), func() (string, error) {
		u, err := s.st.User(username)
		if errors.Is(err, storage.ErrNotFound) {
			return "", nil
		}
		return u.PasswordHash, err
	})
	switch {
	case err != nil:
		s.fail(c, http.StatusInternalServerError, "Could not check your password.", err)
		return
	case v.Refused:
		s.loginRefused(c)
		s.renderLogin(c, http.StatusTooManyRequests, username, lockedMessage(v.Wait))
		return
	case !v.OK:
		// Only a known name is logged: people type passwords into the
		// user name field, and logs leave the box.
		known := ""
		if limitName != "" {
			if _, err := s.st.User(username); err == nil {
				known = username
			}
		}
		s.loginFailed(c, known, v.Wait)
		msg := "Wrong user name or password."
		if v.Wait > 0 {
			msg = lockedMessage(v.Wait)
		}
		s.renderLogin(c, http.StatusUnauthorized, username, msg)
		return
	}
	u := storage.User{Name: username}
	s.log.Info("login succeeded", "user", u.Name, "client", c.RemoteIP())
	s.audit(c, u.Name, "login", "", "")
	s.startSession(c, u.Name)
}

// startSession signs user in: a stored session (hash of the token only), the
// cookie, and the way on (JSON for scripts, the dashboard for browsers).
func (s *Server) startSession(c *gin.Context, user string) {
	token := webkit.NewToken()
	now := s.now()
	sess := storage.Session{
		TokenHash: webkit.HashToken(token),
		User:      user,
		CSRF:      webkit.NewToken(),
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
