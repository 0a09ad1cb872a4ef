package webui

import "tend/webkit"

// Password rules: the web shell's (webkit.HashPassword), shared with the hub.
const (
	minPasswordLen = webkit.MinPasswordLen
	maxPasswordLen = webkit.MaxPasswordLen
)

// HashPassword returns the bcrypt hash to store for a new password, for
// `tend user add` (webkit.HashPassword's rules).
func HashPassword(pw string) (string, error) { return webkit.HashPassword(pw) }
