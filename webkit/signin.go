package webkit

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"
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

// dummyHash is a bcrypt hash (cost 12, like real ones) of a password nobody
// uses. Checking unknown user names against it makes them take as long as
// known ones, so response time does not reveal which names exist.
const dummyHash = "$2a$12$N9VCIEeSlR7iQfBmnC9ApuF6O0WT7jjFcP.c.Qwr1H93p.9rbmVLi"

// Verdict is the outcome of one sign-in attempt.
type Verdict struct {
	OK      bool          // the password was right
	Refused bool          // the limiter refused the attempt before any check
	Wait    time.Duration // refused or locked: how long the client must wait
}

// CheckPassword judges one sign-in attempt from addr (ClientKey) for the
// limiter's name (the user name, or "" for names that cannot exist). The
// attempt is counted before bcrypt runs, so concurrent guesses cannot all
// be checked before the first failure is recorded. hash returns the
// user's bcrypt hash, "" for an unknown user (checked against a dummy
// hash, so the answer takes as long); an error from it is a fault, and
// the attempt is not counted.
func (l *Limiter) CheckPassword(addr, name, password string, hash func() (string, error)) (Verdict, error) {
	attempt, wait := l.Admit(addr, name)
	if attempt == nil {
		return Verdict{Refused: true, Wait: wait}, nil
	}
	h, err := hash()
	if err != nil {
		attempt.Cancel()
		return Verdict{}, err
	}
	known := h != ""
	if !known {
		h = dummyHash
	}
	if bcrypt.CompareHashAndPassword([]byte(h), []byte(password)) != nil || !known {
		return Verdict{Wait: attempt.Done(false)}, nil
	}
	attempt.Done(true)
	return Verdict{OK: true}, nil
}

// ClientKey is the limiter's name for a client address. An IPv6 host can
// pick any address in its /64, so the whole /64 counts as one client.
func ClientKey(remote string) string {
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

// SignIn is what a UI's sign-in needs besides the shell.
type SignIn struct {
	Cookie  string // the sign-in form's double-submit cookie
	Limiter *Limiter
	// ValidName reports whether a user of that name could exist; all other
	// names share one limiter bucket.
	ValidName func(name string) bool
	// Hash returns the user's bcrypt hash, "" for no such user.
	Hash func(name string) (string, error)
	// Form shows the sign-in form with a status and a message.
	Form func(c *gin.Context, status int, name, message string)
	// Refused (optional) notes an attempt refused before any check.
	Refused func(c *gin.Context)
	// Failed notes a wrong password; known says whether the user exists
	// (only a known name may be logged: people type passwords into the
	// user name field). wait > 0: the pair is now locked for that long.
	Failed func(c *gin.Context, name string, known bool, wait time.Duration)
	// Start signs name in (a session and the way on).
	Start func(c *gin.Context, name string)
}

// SignIn is the POST /login handler: the double-submit token, then the
// password under the limiter (CheckPassword), then si.Start.
func (s *Shell) SignIn(si SignIn) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !LoginTokenOK(c, si.Cookie) {
			s.log.Debug("login refused", "reason", "csrf")
			si.Form(c, http.StatusForbidden, "", "The sign-in form expired. Please try again.")
			return
		}
		name := strings.TrimSpace(c.PostForm("username"))
		limitName := name
		if !si.ValidName(name) {
			limitName = "" // one bucket for names that cannot exist
		}
		known := false
		v, err := si.Limiter.CheckPassword(ClientKey(c.RemoteIP()), limitName, c.PostForm("password"), func() (string, error) {
			h, err := si.Hash(name)
			known = h != ""
			return h, err
		})
		switch {
		case err != nil:
			s.Fail(c, http.StatusInternalServerError, "Could not check your password.", err)
		case v.Refused:
			if si.Refused != nil {
				si.Refused(c)
			}
			si.Form(c, http.StatusTooManyRequests, name, LockedMessage(v.Wait))
		case !v.OK:
			si.Failed(c, name, known, v.Wait)
			msg := "Wrong user name or password."
			if v.Wait > 0 {
				msg = LockedMessage(v.Wait)
			}
			si.Form(c, http.StatusUnauthorized, name, msg)
		default:
			si.Start(c, name)
		}
	}
}

// NotSignedIn answers a request that needs a session and has none: 401
// for JSON clients, which scripts can act on; browsers go to sign-in.
func (s *Shell) NotSignedIn(c *gin.Context) {
	if WantsJSON(c.Request) {
		s.WriteJSON(c, http.StatusUnauthorized, ErrorView{Message: "authentication required"})
	} else {
		c.Redirect(http.StatusSeeOther, "/login")
	}
	c.Abort()
}
