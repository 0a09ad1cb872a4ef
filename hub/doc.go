// Package hub is the provider's collector, `tend hub`: it takes the signed
// summaries each box pushes (package upstream holds the wire format and the
// push client), keeps every site's latest state, devices and summaries in
// its store, and serves the fleet pages, the pull API and /metrics.
//
// The hub faces the internet. Ingest authenticates the site and signature
// before it inflates or parses anything, and everything it decodes is
// bounded (see upstream's limits).
package hub
