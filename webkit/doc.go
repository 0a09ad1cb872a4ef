// Package webkit holds the security plumbing the box's web UI (webui) and
// the provider's hub share, so both answer with the same strict headers and
// throttle sign-ins the same way: the sign-in limiter (an attempt is counted
// before its password is checked; backoff per user and address and per
// address, a few concurrent checks per address, never a lock on a user name
// alone), the security-headers and body-limit middleware. It imports no
// tend package.
package webkit
