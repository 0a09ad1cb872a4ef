package webui

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"tend/storage"
)

// tokenBytes is the entropy of session and CSRF tokens: 256 bits, beyond
// guessing (OWASP Session Management Cheat Sheet asks for at least 64).
const tokenBytes = 32

// ctxSession is the gin context key under which requireSession leaves the
// request's session.
const ctxSession = "webui.session"

// newToken returns a random URL-safe token.
func newToken() string {
	b := make([]byte, tokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// validToken reports whether v has the shape newToken produces, so junk
// cookies never reach storage.
func validToken(v string) bool {
	if len(v) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil
}

// hashToken is the storage key for a session token: storage keeps only the
// SHA-256, so reading the database does not let anyone sign in.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// tokensEqual compares in constant time.
func tokensEqual(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func sessionFrom(c *gin.Context) (storage.Session, bool) {
	v, ok := c.Get(ctxSession)
	if !ok {
		return storage.Session{}, false
	}
	sess, ok := v.(storage.Session)
	return sess, ok
}

// lookupSession finds the live session named by the request's cookie.
// ok is false when there is none; err only for a storage fault.
func (s *Server) lookupSession(r *http.Request) (sess storage.Session, ok bool, err error) {
	ck, err := r.Cookie(s.sessionCookie)
	if err != nil || !validToken(ck.Value) {
		return storage.Session{}, false, nil
	}
	sess, err = s.st.Session(hashToken(ck.Value))
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Session{}, false, nil
	}
	if err != nil {
		return storage.Session{}, false, err
	}
	if !s.now().Before(sess.Expires) {
		return storage.Session{}, false, nil
	}
	return sess, true, nil
}

// requireSession lets signed-in requests through. Browsers without a session
// are sent to the login page; JSON clients get 401, which scripts can act on.
func (s *Server) requireSession(c *gin.Context) {
	sess, ok, err := s.lookupSession(c.Request)
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not check your session.", err)
		return
	}
	if !ok {
		if wantsJSON(c.Request) {
			s.writeJSON(c, http.StatusUnauthorized, errorView{Message: "authentication required"})
			c.Abort()
			return
		}
		c.Redirect(http.StatusSeeOther, "/login")
		c.Abort()
		return
	}
	c.Set(ctxSession, sess)
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
	sess, _ := sessionFrom(c)
	token := c.GetHeader("X-CSRF-Token")
	if token == "" {
		token = c.PostForm("csrf")
	}
	if !tokensEqual(token, sess.CSRF) {
		s.fail(c, http.StatusForbidden, "The form had no valid security token. Reload the page and try again.", nil)
		return
	}
	c.Next()
}

// setCookie writes a cookie with the house rules: HttpOnly, SameSite=Strict,
// Path=/, Secure on TLS. maxAge < 0 deletes it; 0 makes it last the browser
// session.
func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.cfg.SecureCookies,
		SameSite: http.SameSiteStrictMode,
	})
}
