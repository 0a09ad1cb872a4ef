package webui

import "time"

// contentSecurityPolicy allows nothing but the box itself: no inline script
// or style, no frames, no plugins, forms only back to the box.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// maxBodyBytes bounds request bodies: the largest legitimate one is the
// login form.
const maxBodyBytes = 64 << 10

func iso(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}
