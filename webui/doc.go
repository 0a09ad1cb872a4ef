// Package webui is the appliance's local web interface for onsite engineers:
// the device list and device pages, sign-in, and the JSON face of the same
// pages for scripts (send Accept: application/json).
//
// gin is only the router behind Handler; cmd/tend owns the http.Server, its
// timeouts, TLS (see webkit.EnsureCertificate) and graceful shutdown. Every route is
// listed in routes.go, each page has its own file and its own template set,
// parsed by New so a broken template stops start-up. Templates, CSS and icon
// are embedded; the UI works without JavaScript and loads nothing from
// outside the box.
//
// Security by default: every page but /login, /healthz and /static/ needs a
// session (a random 256-bit cookie token, stored only as its SHA-256), every
// POST needs a CSRF token (per session; /login uses a double-submit cookie),
// cross-site POSTs are refused by origin as well, failed sign-ins are
// throttled per client address and per user name, and every response carries
// a strict Content-Security-Policy and framing, sniffing and referrer headers.
package webui
