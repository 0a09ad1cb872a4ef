// Package webkit holds the security plumbing the box's web UI (webui) and
// the provider's hub (upstream) share, so both answer with the same strict
// headers and throttle sign-ins the same way: the login rate limiter, the
// security-headers and body-limit middleware. It imports no tend package.
package webkit
