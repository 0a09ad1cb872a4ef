// Package webkit is the web shell both UIs stand on, the box's (webui) and
// the provider's hub: the page frame, sign-in and error templates with the
// one stylesheet and icon (embedded, served under content-hashed URLs),
// render-or-JSON and the one error answer (Shell), sessions over a store
// each UI brings (Sessions, SessionStore: idle and absolute end, a
// credential stamp that ends a changed password's sessions), CSRF tokens,
// the sign-in handler and its limiter (an attempt is counted before its
// password is checked; backoff per user and address and per address, a few
// concurrent checks per address, never a lock on a user name alone), the
// security-headers and body-limit middleware, the one health colour scale
// and the self-signed TLS certificate. The UIs add only their own pages and
// navigation. It imports no tend package.
package webkit
