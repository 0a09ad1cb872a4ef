// Package storage owns tend's buntdb database: the key schema, its indexes and
// every read and write. No other package imports buntdb, so the schema can
// change in one place.
//
// # Key schema
//
// All values are JSON. Keys are lower-case prefixes followed by one canonical
// identifier:
//
//	device:<mac>          inventory.Device, mac in canonical form "00:1b:54:aa:bb:cc"; its hygiene field
//	                      (hygiene-table matches only) is written by PutHygiene alone
//	user:<name>           {"name", "password_hash" (bcrypt), "created", "role"}; name is 1-64 of
//	                      [a-zA-Z0-9._-]; role admin, technician or read-only (absent: admin)
//	session:<sha256 hex>  {"user", "csrf", "created", "expires", "last_used", "client"}; the key is the SHA-256 of the
//	                      session token in lower-case hex (the token itself is never stored),
//	                      and the item carries a buntdb TTL so it disappears on expiry
//	event:<ns>:<seq>      inventory.Event; ns is the event time in unix nanoseconds (20 digits)
//	                      and seq a 6-digit counter, so key order is time order; PruneEvents
//	                      keeps 90 days and at most 20000 events
//	sitestat:<s>          decimal bytes all hosts sent in the rollup period starting at unix second s
//	                      (12 digits); the hosts' own rollups (HostStat) are files beside the database,
//	                      <db>.hoststats/<UTC day>/<bucket: MAC last byte &0x3f, hex>.jsonl, not in memory; PruneHostStats
//	                      keeps 30 days of both,
//	                      summed per hour past 3 days (hoststat:<mac>:<s> keys of old versions move there at Open)
//	setup:code            {"hash", "created", "expires"}: the one-time first-run setup code
//	                      that lets the first admin be created while no user exists; hash is
//	                      the SHA-256 of the normalised code in lower-case hex (the code itself
//	                      is never stored), the item carries a buntdb TTL, and it is deleted
//	                      in the same transaction that creates the first user
//	finding:<id>          inventory.Finding with its workflow state; id is findings.ID (rule
//	                      name, "-", 12 hex digits), safe in keys and URLs
//	outbox:<seq>          {"seq", "body" (base64 of the gzipped summary, opaque to storage)}: a summary
//	                      waiting for the hub; seq is zero-padded to 20 digits so key order is
//	                      sequence order (Enqueue, OutboxHead, OutboxDelete)
//	upstream:state        {"box_id", "last_seq", "last_at", "digests" (mac → digest)}: the push
//	                      client's bookkeeping, written in the same transaction as each outbox item
//	hub:<rest>            the hub's records (sites, keys, tokens, summaries, devices per site);
//	                      storage gives the hub a transaction confined to this prefix (HubUpdate,
//	                      HubView) and upstream's hub.go documents the keys below it
//	token:<sha256 hex>    {"hash", "name", "created", "scope"}: an API token for Authorization: Bearer; the
//	                      key is the SHA-256 of the token (the token itself is never stored)
//	audit:<unix ns>-<hex> {"time", "user", "action", "target", "detail", "client"}: who did what in
//	                      the UI; 20-digit zero-padded nanoseconds so key order is time order;
//	                      a buntdb TTL of one year, at most 10000 entries; "count" on entries
//	                      aggregated per client and minute (AuditCounted)
//	meta:created          when tend created the file: an existing file without any records
//	                      lost them (recover.go), it is not a first run
//	meta:recovery         Recovery: what the last repair of a damaged file lost (TTL 7 days)
//
// # Indexes
//
// buntdb persists only set and delete commands, not index definitions, so
// Open recreates every index each time:
//
//	devices_by_ip   device:*   ordered by the device's current IP address (numeric, not
//	                           lexical: 10.0.0.9 before 10.0.0.10), devices without an
//	                           address first, ties broken by key (MAC)
//
// # The fold
//
// Apply is the one place an observation becomes part of a device: it fills
// the vendor from the MAC registry, resolves the observation to its device
// with the store's identity.Fuser (seeded from the stored devices at Open),
// absorbs device records that turned out to be the same thing, and merges,
// tracks and classifies (identity.Fold), all in one transaction. New device
// records are bounded (Config.Limits: a cap, and a rate for passive
// sightings); what was refused is counted in Stats, and ExpirePassive drops
// passive-only devices that went silent.
//
// # Writes and flash wear
//
// The appliance stores its data on flash (SD card, eMMC). Sensors report
// every sighting, but Apply only writes a device when inventory.Merge reports
// a change a person would care about, or when last_seen has advanced by more
// than Config.LastSeenResolution. The file is synced once a second
// (buntdb.EverySecond), not after every commit: at most one second of
// sightings can be lost on power failure, and those are re-learned on the next
// sweep. Writes that cannot be re-learned (users, tokens, action state,
// queued summaries, setup) are fsynced before they return (sync.go).
//
// # Damage
//
// Open scans the file before buntdb reads it (recover.go): a damaged file is
// moved aside and its valid prefix kept, never silently cut, never a reason
// to fail start-up, never an allocation of what a length field claims.
package storage
