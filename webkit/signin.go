package webkit

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// LoginView is the sign-in page. LoginCSRF is the double-submit token:
// there is no session yet, so the form echoes a token that is also in a
// cookie.
type LoginView struct {
	Layout
	LoginCSRF string
	Username  string
	Message   string
}

// LoginFormAnswer is the sign-in form as JSON: the double-submit token a
// script must post back (with the cookie), and why the last attempt failed.
type LoginFormAnswer struct {
	CSRF  string `json:"csrf"`
	Error string `json:"error,omitempty"`
}

// RenderLogin shows the sign-in form (or its JSON face) with v's token and
// message.
func (s *Shell) RenderLogin(c *gin.Context, status int, v LoginView) {
	if v.Title == "" {
		v.Title = "Sign in"
	}
	s.Render(c, status, s.loginPage, v, LoginFormAnswer{CSRF: v.LoginCSRF, Error: v.Message})
}

// LockedMessage tells a refused client how long to wait.
func LockedMessage(wait time.Duration) string {
	secs := int((wait + time.Second - 1) / time.Second)
	return fmt.Sprintf("Too many failed sign-in attempts. Sign-in is locked; try again in %d seconds.", secs)
}

var _ = http.StatusOK
