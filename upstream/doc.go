// Package upstream carries each box's state to the provider's office: the
// summary wire format (versioned JSON, gzipped, signed with the site's key),
// and the push client that keeps undelivered summaries in a durable outbox.
// The hub that verifies, stores and serves them is package hub.
//
// # Wire format
//
// A summary is one JSON object (type Summary, schema in schema/summary-v1.json,
// compatibility rules in COMPATIBILITY.md), gzipped, and POSTed to
// /api/v1/summaries with these headers:
//
//	Content-Type: application/json
//	Content-Encoding: gzip
//	Tend-Site: <site name>
//	Idempotency-Key: <box id>:<sequence number>
//	Tend-Signature: hmac-sha256=<lower-case hex>
//
// The signature is HMAC-SHA256 (RFC 2104) with the site's key over
//
//	"tend-summary-v1\n" + site + "\n" + idempotency key + "\n" + gzipped body
//
// so the hub authenticates the exact bytes before it decompresses anything:
// an unauthenticated sender cannot make the hub inflate a gzip bomb. After
// verification the hub checks that the decoded summary names the same site,
// box and sequence number as the headers.
//
// # The answer, and the hub's decisions
//
// The hub answers with JSON (type Reply): the status, the newest sequence
// number it holds for the box and its clock. A box that sends
// "Tend-Decisions: 1" also gets the site's decisions taken at the hub
// (acknowledged, snoozed until a date, resolved; who, when, a note) on the
// actions it reports, at most MaxReplyDecisions, and the whole answer is
// then signed with the site's key in Tend-Signature over
//
//	"tend-reply-v1\n" + site + "\n" + idempotency key + "\n" + answer body
//
// DecodeReply keeps decisions only when that verifies. The box takes them
// into its findings when they are newer than the finding's own last state
// change (on the box's clock, corrected by the measured skew): see
// applyDecisions. An old box sends no header and gets none; an old hub
// ignores it and sends none.
//
// # Ordering, replay and idempotency
//
// Each box numbers its summaries 1, 2, 3… (the counter lives in the box's
// database with its random box id). The hub accepts a summary only if its
// sequence number is above the last one it stored for that box; it answers a
// re-send of the last stored summary (same idempotency key, same body) with
// 200 and "duplicate" without storing it again, and refuses anything else at
// or below the last number as a replay (409). Replay protection therefore
// needs no clocks: box and hub clocks may disagree by any amount. The hub
// records its own receive time as last_seen and shows the box's clock skew.
//
// # Outbox
//
// The box keeps summaries in its database (storage's outbox) until the hub
// acknowledges them, and sends them oldest first, one at a time. The outbox
// is bounded: past the bound the two oldest summaries after the head are
// merged into one (Coalesce), which keeps the newer state and the union of
// both device changes, removals and events, and says which sequence numbers
// it covers. Nothing is dropped silently; the head is never touched because
// it may be in flight. Failed sends (network errors, 5xx, 401 for a wrong
// key) keep the summary and are retried with exponential backoff from 1 s
// to 5 min, each wait drawn between half and all of the current backoff so
// a fleet of boxes does not retry in step. A 409 naming a sequence number
// at or above the summary's means the hub already holds it or newer: the
// summary is done with. Only a summary the hub calls malformed (400, 413)
// is given up, with an error in the log and a counter.
//
// # Inputs
//
// upstream judges nothing: cmd/tend hands the builder an inventory.Snapshot,
// the findings, the health score and the lifecycle forecast as values
// (Inputs), computed by the packages that own them.
//
// # Hub
//
// HubStore keeps sites, their keys, API tokens, devices and the last
// summaries in the hub's buntdb (below storage's "hub:" prefix); Hub serves
// the ingest endpoint, the fleet web UI (sessions, CSRF and CSP as on the
// box), the token-authenticated pull API and Prometheus metrics.
package upstream
