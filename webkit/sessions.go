package webkit

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Session is a signed-in browser. Stores keep it under the SHA-256 of its
// token (HashToken), so a copy of the database does not let anyone sign in.
type Session struct {
	TokenHash string    `json:"-"` // the key
	User      string    `json:"user"`
	CSRF      string    `json:"csrf"`             // the token every POST must echo
	Created   time.Time `json:"created"`          //
	Expires   time.Time `json:"expires"`          // the absolute end, whatever the use
	LastUsed  time.Time `json:"last_used"`        // for the idle timeout
	Client    string    `json:"client,omitempty"` // the address that signed in
	// Stamp is the user's credential stamp when the session started (see
	// SessionsConfig.Stamp): a session whose stamp no longer matches ended
	// with the password it was started by.
	Stamp string `json:"stamp,omitempty"`
}

// ErrNoSession is what a SessionStore answers (wrapped or not) for a
// session it does not have.
var ErrNoSession = errors.New("webkit: no such session")

// SessionStore keeps sessions; each UI brings its own (the box's storage,
// the hub's store, which several hub processes share).
type SessionStore interface {
	// PutSession stores a new session until its Expires.
	PutSession(Session) error
	// Session returns the live session stored under tokenHash, or an
	// error that Is ErrNoSession.
	Session(tokenHash string) (Session, error)
	// DeleteSession removes one; a missing one Is ErrNoSession.
	DeleteSession(tokenHash string) error
	// TouchSession records that the session was used at.
	TouchSession(tokenHash string, at time.Time) error
}

// touchEvery is how stale a session's last use may get before a request
// writes it again: the idle timeout is minutes long, and each touch is a
// write.
const touchEvery = time.Minute

// SessionsConfig tunes Sessions.
type SessionsConfig struct {
	Store    SessionStore
	Now      func() time.Time
	Lifetime time.Duration // the absolute end; zero means 12 hours
	Idle     time.Duration // ended when unused this long; zero means an hour
	Secure   bool          // TLS: Secure cookies with the __Host- prefix
	Cookie   string        // the session cookie's base name
	// Stamp (optional) returns the user's current credential stamp, for
	// instance a hash of the password hash: a new password (or a removed
	// user, answered with an error that Is ErrNoSession) ends every
	// session started before, in every process.
	Stamp func(user string) (string, error)
	Log   *slog.Logger
}

// Sessions signs browsers in and out over a SessionStore.
type Sessions struct {
	cfg    SessionsConfig
	cookie string
}

// NewSessions returns sessions kept in cfg.Store.
func NewSessions(cfg SessionsConfig) *Sessions {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Lifetime <= 0 {
		cfg.Lifetime = 12 * time.Hour
	}
	if cfg.Idle <= 0 {
		cfg.Idle = time.Hour
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Sessions{cfg: cfg, cookie: CookieName(cfg.Cookie, cfg.Secure)}
}

// CookieName is the session cookie's name.
func (s *Sessions) CookieName() string { return s.cookie }

// Lookup finds the live session named by the request's cookie: ok is
// false when there is none (expired, idle too long, its password changed);
// err only for a store fault.
func (s *Sessions) Lookup(r *http.Request) (sess Session, ok bool, err error) {
	ck, err := r.Cookie(s.cookie)
	if err != nil || !ValidToken(ck.Value) {
		return Session{}, false, nil
	}
	sess, err = s.cfg.Store.Session(HashToken(ck.Value))
	if errors.Is(err, ErrNoSession) {
		return Session{}, false, nil
	}
	if err != nil {
		return Session{}, false, err
	}
	now := s.cfg.Now()
	if !now.Before(sess.Expires) {
		return Session{}, false, nil
	}
	reason := ""
	if now.Sub(sess.LastUsed) >= s.cfg.Idle {
		reason = "idle"
	} else if s.cfg.Stamp != nil {
		stamp, err := s.cfg.Stamp(sess.User)
		switch {
		case errors.Is(err, ErrNoSession):
			reason = "user removed"
		case err != nil:
			return Session{}, false, err
		case !TokensEqual(stamp, sess.Stamp):
			reason = "password changed"
		}
	}
	if reason != "" {
		// End it on the server too, so the cookie is dead.
		if err := s.cfg.Store.DeleteSession(sess.TokenHash); err != nil && !errors.Is(err, ErrNoSession) {
			return Session{}, false, err
		}
		s.cfg.Log.Info("session ended", "reason", reason, "user", sess.User)
		return Session{}, false, nil
	}
	if now.Sub(sess.LastUsed) >= touchEvery {
		if err := s.cfg.Store.TouchSession(sess.TokenHash, now); errors.Is(err, ErrNoSession) {
			return Session{}, false, nil
		} else if err != nil {
			return Session{}, false, err
		}
	}
	return sess, true, nil
}

// Start signs user in from the request's client: a stored session (the
// token's hash only), the cookie, and the sign-in form's cookie cleared
// (loginCookie).
func (s *Sessions) Start(c *gin.Context, user, loginCookie string) (Session, error) {
	token, now := NewToken(), s.cfg.Now()
	sess := Session{TokenHash: HashToken(token), User: user, CSRF: NewToken(), Created: now,
		Expires: now.Add(s.cfg.Lifetime), LastUsed: now, Client: c.RemoteIP()}
	if s.cfg.Stamp != nil {
		stamp, err := s.cfg.Stamp(user)
		if err != nil {
			return Session{}, fmt.Errorf("webkit: start session of %s: %w", user, err)
		}
		sess.Stamp = stamp
	}
	if err := s.cfg.Store.PutSession(sess); err != nil {
		return Session{}, err
	}
	SetCookie(c, s.cookie, token, int(s.cfg.Lifetime/time.Second), s.cfg.Secure)
	SetCookie(c, loginCookie, "", -1, s.cfg.Secure)
	return sess, nil
}

// End signs the session out on the server, not just in the browser, so a
// copied cookie stops working too.
func (s *Sessions) End(c *gin.Context, sess Session) error {
	if err := s.cfg.Store.DeleteSession(sess.TokenHash); err != nil && !errors.Is(err, ErrNoSession) {
		return err
	}
	SetCookie(c, s.cookie, "", -1, s.cfg.Secure)
	return nil
}

// ctxSession is the gin context key of the request's session.
const ctxSession = "webkit.session"

// SetSession makes sess the request's session (an API token's stand-in, too).
func SetSession(c *gin.Context, sess Session) { c.Set(ctxSession, sess) }

// SessionOf returns the request's session, set by RequireSession.
func SessionOf(c *gin.Context) (Session, bool) {
	s, ok := c.Value(ctxSession).(Session)
	return s, ok
}

// RequireSession lets signed-in requests through with their session
// (SessionOf); the rest get NotSignedIn. check (optional) may still turn a
// live session away (false: the user is gone) or fail (a store fault).
func (s *Shell) RequireSession(ss *Sessions, check func(c *gin.Context, sess Session) (bool, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		sess, ok, err := ss.Lookup(c.Request)
		if err == nil && ok && check != nil {
			ok, err = check(c, sess)
		}
		if err != nil {
			s.Fail(c, http.StatusInternalServerError, "Could not check your session.", err)
			return
		}
		if !ok {
			s.NotSignedIn(c)
			return
		}
		SetSession(c, sess)
		c.Next()
	}
}

// RequireCSRF checks every unsafe request against the session's CSRF
// token, sent in the form field "csrf" or the X-CSRF-Token header. exempt
// (optional) lets a request through unchecked: one with a bearer token,
// which a browser never adds to a cross-site request by itself.
func (s *Shell) RequireCSRF(exempt func(c *gin.Context) bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		switch m := c.Request.Method; {
		case m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions, exempt != nil && exempt(c):
			c.Next()
			return
		}
		sess, _ := SessionOf(c)
		if !TokensEqual(CSRFToken(c), sess.CSRF) {
			s.Fail(c, http.StatusForbidden, "The form had no valid security token. Reload the page and try again.", nil)
			return
		}
		c.Next()
	}
}
