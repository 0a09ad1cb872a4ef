// Package notify tells the provider about problems where it already works:
// signed webhooks, Slack, Microsoft Teams, email, syslog (and, later, PSA
// tickets). It turns the changes of a site's problem list into messages
// (triggered, updated, cleared), applies each outlet's policy (severities,
// rules, quiet hours, a minimum interval per problem) and delivers them
// through a durable per-outlet queue, in order, with backoff, so an outlet
// that is down gets every message when it returns.
//
// Outlets are configured as service URLs (see ParseURL), the style other Go
// tools use: webhook+https://…, slack+https://… (or slack+file:///path),
// teams+https://… (or teams+file:///path), smtp://…, smtps://…,
// syslog+udp|tcp|tls://…, connectwise+https://…, autotask+https://…,
// halopsa+https://…. Secrets come from files named in the URL and are held
// as inventory.Secret, never shown or logged.
//
// The box drives a Dispatcher with Update (one site); the hub with
// UpdateSite over a SiteQueue, per site, where an outlet's policy may name
// its sites and a PSA outlet map each site to its company.
//
// The package imports only inventory: the wiring converts findings'
// problems into Problem values and gives the dispatcher a Queue backed by
// storage.
package notify
