package webui

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/storage"
	"tend/webkit"
)

// First-run setup: a fresh box has no users and no default password.
// `tend serve` makes a one-time setup code, stores only its hash, writes the
// code to DATA/setup-code (0600, which the appliance image prints on the
// console) and logs it. Whoever can read the console or the logs proves it
// by typing the code into the first-run form at /login, which creates the
// first admin and destroys the code.

// setupAlphabet is Crockford's base32 without the letters people misread
// (I, L, O, U): 32 symbols, 5 bits each.
const setupAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// setupCodeLen is 16 symbols = 80 bits, far beyond guessing within a
// code's lifetime even without the login limiter.
const setupCodeLen = 16

// SetupCodeLifetime is how long a setup code works; serve makes a new one
// when it lapses while no user exists.
const SetupCodeLifetime = 24 * time.Hour

// NewSetupCode returns a fresh code for a person ("7K2M-Q9XD-…") and the
// hash to store.
func NewSetupCode() (code, hash string) {
	b := make([]byte, setupCodeLen)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	var sb strings.Builder
	for i, v := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(setupAlphabet[int(v)%len(setupAlphabet)]) // 256 is a multiple of 32: no bias
	}
	code = sb.String()
	return code, SetupCodeHash(code)
}

// SetupCodeHash is the stored form of a code as typed: case, spaces and
// dashes do not matter, and the look-alikes O/I/L read as 0/1/1.
func SetupCodeHash(code string) string {
	norm := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t':
			return -1
		case 'o', 'O':
			return '0'
		case 'i', 'I', 'l', 'L':
			return '1'
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, code)
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:])
}

// setupView is the first-run form, shown at /login while no user exists.
type setupView struct {
	layout
	LoginCSRF string
	Username  string
	Message   string
	CodeFile  string
}

// setupFormAnswer is the form as JSON.
type setupFormAnswer struct {
	Setup bool   `json:"setup"` // true: post code, username, password to /setup
	CSRF  string `json:"csrf"`
	Error string `json:"error,omitempty"`
}

func (s *Server) needsSetup() (bool, error) {
	has, err := s.st.HasUsers()
	return !has, err
}

// renderSetup shows the first-run form.
func (s *Server) renderSetup(c *gin.Context, status int, username, message string) {
	token := s.loginToken(c)
	view := setupView{
		layout:    layout{AppName: s.cfg.SiteName, Home: homePath, Title: "First-run setup", Banner: s.recoveryBanner()},
		LoginCSRF: token, Username: username, Message: message, CodeFile: s.cfg.SetupCodeFile,
	}
	s.render(c, status, s.pages.setup, view, setupFormAnswer{Setup: true, CSRF: token, Error: message})
}

// setup creates the first admin from the setup code.
func (s *Server) setup(c *gin.Context) {
	if !webkit.LoginTokenOK(c, s.loginCSRFCookie) {
		s.renderSetup(c, http.StatusForbidden, "", "The form expired. Please try again.")
		return
	}
	need, err := s.needsSetup()
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Could not check for users.", err)
		return
	}
	if !need {
		c.Redirect(http.StatusSeeOther, "/login")
		return
	}
	username := strings.TrimSpace(c.PostForm("username"))
	password := c.PostForm("password")
	if err := storage.ValidateUserName(username); err != nil {
		s.renderSetup(c, http.StatusBadRequest, "", "Choose a user name of 1-64 letters, digits, '.', '_' or '-'.")
		return
	}
	if password != c.PostForm("password2") {
		s.renderSetup(c, http.StatusBadRequest, username, "The two passwords differ.")
		return
	}
	// The setup code is limited like a password: counted before it is
	// checked, under a name no user can have.
	attempt, wait := s.limiter.Admit(webkit.ClientKey(c.RemoteIP()), "setup code") // no user name has a space
	if attempt == nil {
		s.renderSetup(c, http.StatusTooManyRequests, username, lockedMessage(wait))
		return
	}
	codeHash := SetupCodeHash(c.PostForm("code"))
	// Check the code before paying for bcrypt, so wrong guesses cost
	// nothing; CompleteSetup checks again inside its transaction.
	err = storage.ErrSetupCodeWrong
	if live, lerr := s.st.SetupCode(); lerr == nil && webkit.TokensEqual(live.Hash, codeHash) {
		hash, herr := s.hashPassword(password)
		if herr != nil {
			attempt.Cancel()
			s.renderSetup(c, http.StatusBadRequest, username, "The password must have 10 to 72 characters.")
			return
		}
		err = s.st.CompleteSetup(codeHash, storage.User{Name: username, PasswordHash: hash, Created: s.now().UTC()})
	}
	switch {
	case errors.Is(err, storage.ErrSetupCodeWrong):
		wait := attempt.Done(false)
		s.log.Info("setup refused", "reason", "code", "client", c.RemoteIP())
		msg := "That setup code is wrong or has expired. Read it again from the box's console or " + s.setupCodeWhere() + "."
		if wait > 0 {
			msg = lockedMessage(wait)
		}
		s.renderSetup(c, http.StatusUnauthorized, username, msg)
		return
	case errors.Is(err, storage.ErrSetupDone):
		attempt.Cancel()
		c.Redirect(http.StatusSeeOther, "/login")
		return
	case err != nil:
		attempt.Cancel()
		s.fail(c, http.StatusInternalServerError, "Could not create the account.", err)
		return
	}
	attempt.Done(true)
	if s.cfg.SetupCodeFile != "" {
		if err := os.Remove(s.cfg.SetupCodeFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			s.log.Error("remove setup code file failed", "path", s.cfg.SetupCodeFile, "err", err)
		}
	}
	s.log.Info("first admin created", "user", username, "client", c.RemoteIP())
	s.audit(c, username, "setup_admin_created", username, "first-run setup code used")
	s.startSession(c, username)
}

func (s *Server) setupCodeWhere() string {
	if s.cfg.SetupCodeFile != "" {
		return s.cfg.SetupCodeFile
	}
	return "the service log"
}

// recoveryBanner says what a recent database repair lost, so a box whose
// database was emptied does not look like a new one at setup.
func (s *Server) recoveryBanner() string {
	if r := s.st.LastRecovery(); r != nil {
		return r.Summary()
	}
	return ""
}
