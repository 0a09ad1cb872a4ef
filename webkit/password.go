package webkit

import (
	"fmt"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Password rules of both web UIs. Cost 12 is above the OWASP Password
// Storage Cheat Sheet's minimum of 10 for bcrypt and takes about a quarter
// of a second on a desktop core, under a second on the arm64 boards the
// appliance runs on: a sign-in is rare, a stolen database should be slow
// to crack.
const (
	BcryptCost     = 12
	MinPasswordLen = 10 // characters; NIST SP 800-63B asks for at least 8
	MaxPasswordLen = 72 // bytes: bcrypt ignores anything beyond
)

// HashPassword returns the bcrypt hash to store for a new password. It
// refuses passwords shorter than 10 characters, and longer than bcrypt's
// 72-byte limit rather than silently ignoring the tail.
func HashPassword(pw string) (string, error) {
	if n := utf8.RuneCountInString(pw); n < MinPasswordLen {
		return "", fmt.Errorf("password too short: it has %d characters, use at least %d", n, MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return "", fmt.Errorf("password too long: it has %d bytes, bcrypt uses at most %d", len(pw), MaxPasswordLen)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), BcryptCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}
