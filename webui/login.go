package webui

import (
	"errors"
	"net/http"
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

// signIn is the sign-in (webkit.Shell.SignIn) over the box's users.
func (s *Server) signIn() webkit.SignIn {
	return webkit.SignIn{
		Cookie: s.loginCSRFCookie, Limiter: s.limiter, Form: s.renderLogin, Refused: s.loginRefused,
		ValidName: func(name string) bool { return storage.ValidateUserName(name) == nil },
		Hash: func(name string) (string, error) {
			u, err := s.st.User(name)
			if errors.Is(err, storage.ErrNotFound) {
				return "", nil
			}
			return u.PasswordHash, err
		},
		Failed: func(c *gin.Context, name string, known bool, wait time.Duration) {
			if !known {
				name = ""
			}
			s.loginFailed(c, name, wait)
		},
		Start: func(c *gin.Context, name string) {
			s.log.Info("login succeeded", "user", name, "client", c.RemoteIP())
			s.audit(c, name, "login", "", "")
			s.startSession(c, name)
		},
	}
}

// startSession signs user in: a stored session (hash of the token only), the
// cookie, and the way on (JSON for scripts, the dashboard for browsers).
func (s *Server) startSession(c *gin.Context, user string) {
	sess, err := s.sessions.Start(c, user, s.loginCSRFCookie)
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not start your session.", err)
		return
	}
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
	if err := s.sessions.End(c, fromStorage(sess)); err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not end your session.", err)
		return
	}
	s.log.Info("logout", "user", sess.User)
	s.audit(c, sess.User, "logout", "", "")
	if wantsJSON(c.Request) {
		c.Status(http.StatusNoContent)
		return
	}
	c.Redirect(http.StatusSeeOther, "/login")
}
