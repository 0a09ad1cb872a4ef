package webui

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Password rules. Cost 12 is above the OWASP Password Storage Cheat Sheet's
// minimum of 10 for bcrypt and takes about a quarter of a second on a
// desktop core, under a second on the arm64 boards the appliance runs on: a
// sign-in is rare, a stolen database should be slow to crack.
const (
	bcryptCost     = 12
	minPasswordLen = 10 // characters; NIST SP 800-63B asks for at least 8
	maxPasswordLen = 72 // bytes: bcrypt ignores anything beyond
)

// HashPassword returns the bcrypt hash to store for a new password, for
// `tend user add`. It refuses passwords shorter than 10 characters, and
// longer than bcrypt's 72-byte limit rather than silently ignoring the tail.
func HashPassword(pw string) (string, error) {
	if n := utf8.RuneCountInString(pw); n < minPasswordLen {
		return "", fmt.Errorf("webui: password too short: it has %d characters, use at least %d", n, minPasswordLen)
	}
	if len(pw) > maxPasswordLen {
		return "", fmt.Errorf("webui: password too long: it has %d bytes, bcrypt uses at most %d", len(pw), maxPasswordLen)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcryptCost)
	if err != nil {
		return "", fmt.Errorf("webui: hash password: %w", err)
	}
	return string(h), nil
}
