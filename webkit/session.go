package webkit

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"

	"github.com/gin-gonic/gin"
)

// TokenBytes is the entropy of session and CSRF tokens: 256 bits, beyond
// guessing (OWASP Session Management Cheat Sheet asks for at least 64).
const TokenBytes = 32

// NewToken returns a random URL-safe token.
func NewToken() string {
	b := make([]byte, TokenBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ValidToken reports whether v has the shape NewToken produces, so junk
// cookies never reach storage.
func ValidToken(v string) bool {
	if len(v) != base64.RawURLEncoding.EncodedLen(TokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil
}

// HashToken is the storage key for a token: stores keep only the SHA-256,
// so reading the database does not let anyone sign in.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// TokensEqual compares in constant time; an empty token equals nothing.
func TokensEqual(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// CookieName adds the __Host- prefix on TLS: browsers then refuse the
// cookie unless it is Secure, host-only and Path=/, so a sibling host on
// the client's domain cannot plant or overwrite it.
func CookieName(base string, secure bool) string {
	if secure {
		return "__Host-" + base
	}
	return base
}

// SetCookie writes a cookie with the house rules: HttpOnly,
// SameSite=Strict, Path=/, Secure on TLS. maxAge < 0 deletes it; 0 makes it
// last the browser session.
func SetCookie(c *gin.Context, name, value string, maxAge int, secure bool) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
}

// LoginToken returns the double-submit token of the sign-in form kept in
// the cookie name, reusing the browser's when it has a good one so several
// tabs keep working.
func LoginToken(c *gin.Context, name string, secure bool) string {
	if ck, err := c.Request.Cookie(name); err == nil && ValidToken(ck.Value) {
		return ck.Value
	}
	token := NewToken()
	SetCookie(c, name, token, 0, secure)
	return token
}

// LoginTokenOK reports whether the posted form's "csrf" matches the
// sign-in cookie name (the double submit: there is no session yet).
func LoginTokenOK(c *gin.Context, name string) bool {
	ck, err := c.Request.Cookie(name)
	return err == nil && ValidToken(ck.Value) && TokensEqual(c.PostForm("csrf"), ck.Value)
}

// CSRFToken is the token an unsafe request carries: the X-CSRF-Token
// header, or the form field "csrf".
func CSRFToken(c *gin.Context) string {
	if t := c.GetHeader("X-CSRF-Token"); t != "" {
		return t
	}
	return c.PostForm("csrf")
}
