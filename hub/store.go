package hub

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"tend/storage"
	"tend/upstream"
	"tend/webkit"
)

// The hub's records, below storage's "hub:" prefix (all values JSON):
//
//	site:<name>               SiteStatus: the site's latest state and counters, without its
//	                          actions and problems when it says "parts_apart", without its
//	                          health components and forecast list when it says "state_apart"
//	parts:<name>              siteParts: those actions and problems as the box last sent them,
//	                          written only when they change (most of a site's state, ~55 KB of
//	                          a 250-device site's; rewriting them made most of an ingest's writes)
//	state:<name>              siteState: the site's health, device types and forecast as the box
//	                          last sent them, written only when they change (the site record
//	                          then holds what changes with every summary: ~1 KB, was ~8 KB)
//	list:<name>               SiteStatus without actions, problems, health components and the
//	                          forecast's device list: what the fleet page, /api/sites, /metrics and
//	                          the CSV read (about 1 KB of a site record's ~33 KB), written with site:
//	meta:list                 "1" once every site has its list record (listRecords)
//	tpend: tot: tday: ord: due: the fleet page's totals, order and stale deadlines, kept with the
//	                          list record (totals.go)
//	fday:<YYYY-MM-DD>:<name>  dayFigures: the site's health that day, for the fleet's trend
//	fleetday:<YYYY-MM-DD>     Point: the fleet's average of a finished day (FleetHistory)
//	count:<name>              siteCounters: created, summaries, coalesced, the last summary's
//	                          actions/problems hashes and open count (read and written by each ingest)
//	user:<name>               hubUser: a hub user and its bcrypt hash (users.go); role:<name> its role
//	key:<name>                the site's key, sealed with the hub's master key (sealed.go;
//	                          in clear only before the hub first started with one; never served)
//	meta:master               the master key's identifier (not the key)
//	box:<name>:<box>          boxRecord: last sequence number and body digest per box
//	sum:<name>:<20-digit n>   SummaryRecord n of the site (1, 2, 3… in receive order), the last
//	                          Retain of them kept
//	dev:<name>:<mac>          Device as last reported by the site
//	dec:<name>:<action key>   Decision: acknowledged, snoozed or resolved at the hub (decisions.go)
//	gram: fc: meta:index      the search's and the forecast page's records (search.go)
//	token:<sha256 hex>        tokenRecord: an API token, stored by its SHA-256 only
//	session:<sha256 hex>      webkit.Session: a signed-in browser, by its token's SHA-256 (sessions.go)

// Errors of Ingest; the hub maps them to HTTP statuses.
var (
	ErrUnknownSite = errors.New("upstream: unknown site")
	ErrReplay      = errors.New("upstream: summary replayed or out of order")
	ErrSeqJump     = errors.New("hub: sequence number jumps too far")
)

// MaxSeqJump bounds how far one summary's sequence number may run ahead of
// the box's last: a year of one-minute summaries. Without it a key holder
// could claim a box id with the largest number and have every later
// summary of the real box refused as a replay.
const MaxSeqJump = 1 << 19

// SiteStatus is what the hub knows about a site: the latest summary's
// state and the hub's own bookkeeping.
type SiteStatus struct {
	Name        string            `json:"name"`         // the slug: wire format, URLs, keys
	DisplayName string            `json:"display_name"` // what people read; Label falls back to Name
	Created     time.Time         `json:"created"`
	LastSeen    time.Time         `json:"last_seen"` // hub clock at the last accepted summary; zero = never
	Summaries   int               `json:"summaries"` // accepted summaries
	Box         string            `json:"box"`
	BoxVersion  string            `json:"box_version"`
	Seq         uint64            `json:"seq"`
	GeneratedAt time.Time         `json:"generated_at"` // box clock
	SkewSeconds int64             `json:"clock_skew_seconds"`
	Interval    int               `json:"interval_seconds"`
	Health      upstream.Health   `json:"health"`
	Devices     int               `json:"devices"`
	ByType      map[string]int    `json:"devices_by_type"`
	Forecast    upstream.Forecast `json:"forecast"`
	Actions     []upstream.Action `json:"actions,omitempty"` // per device (SiteHeads: nil)
	// Problems are the open actions one per problem, as the box grouped
	// them (summary schema 1.1; nil from older boxes, and in SiteHeads).
	Problems  []upstream.Problem `json:"problems,omitempty"`
	Critical  int                `json:"critical_actions"`
	Coalesced int                `json:"coalesced"` // summaries the box merged in its outbox, in total
	// OpenActions is len(Actions), also where Actions is left out
	// (SiteHeads).
	OpenActions int `json:"open_actions"`
	// Hygiene is the latest summary's protection and update shares (nil:
	// the box sends none).
	Hygiene *upstream.Hygiene `json:"hygiene,omitempty"`
	// Broken says why the stored state could not be read (the site is
	// listed, flagged, with what could be read); empty when all is well.
	Broken string `json:"broken,omitempty"`

	// Vulns is the site's known-vulnerability exposure (KEV devices); nil
	// until its box sends one.
	Vulns *upstream.VulnSummary `json:"vulnerabilities,omitempty"`

	// PartsApart is only stored: a site: record with it has no actions
	// and problems, they are in its parts: record. One without it, from a
	// hub before parts: records, holds them itself. Always false once read.
	PartsApart bool `json:"parts_apart,omitempty"`
	// StateApart is only stored, as PartsApart: a site: record with it
	// has no health components and no forecast list, its state: record
	// has them (with the device types). Always false once read.
	StateApart bool `json:"state_apart,omitempty"`
}

// SummaryRecord is one accepted summary as the hub keeps it: the headline
// figures plus the signed body exactly as received.
type SummaryRecord struct {
	N           int       `json:"n"`
	Received    time.Time `json:"received"`
	Box         string    `json:"box"`
	Seq         uint64    `json:"seq"`
	FirstSeq    uint64    `json:"first_seq"`
	Coalesced   int       `json:"coalesced"`
	GeneratedAt time.Time `json:"generated_at"`
	Health      int       `json:"health"`
	Devices     int       `json:"devices"`
	Actions     int       `json:"actions"`
	Changed     int       `json:"changed"`
	Removed     int       `json:"removed"`
	Events      int       `json:"events"`
	Body        []byte    `json:"body,omitempty"` // gzipped JSON, base64 in JSON
}

type boxRecord struct {
	LastSeq  uint64    `json:"last_seq"`
	Digest   string    `json:"digest"`    // SHA-256 of the last accepted body
	LastSeen time.Time `json:"last_seen"` // hub clock at its last accepted summary
	Interval int       `json:"interval_seconds"`
}

// boxActive is how long after a site's newest summary a box that has gone
// quiet still counts: three of its intervals, at least ten minutes. A box
// that started over under a new id leaves its old id's devices behind;
// they stop being listed once the old id has been quiet this long.
func boxActive(interval int) time.Duration {
	return max(3*time.Duration(interval)*time.Second, 10*time.Minute)
}

type tokenRecord struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
	Scope   string    `json:"scope,omitempty"` // ScopeRead (the default) or ScopeAdmin
}

// DefaultRetain is how many summaries the hub keeps per site.
const DefaultRetain = 1000

// HubStore is the hub's data, over the embedded store (storage's buntdb)
// or PostgreSQL: the same records either way (see kv).
type HubStore struct {
	db     kv
	now    func() time.Time
	retain int

	mu     sync.RWMutex
	keys   map[string][]byte // site → key, loaded on demand
	master *masterKey        // seals site keys at rest (SealKeys); nil: keys in clear

	// hashPassword is webkit.HashPassword (bcrypt at webkit.BcryptCost);
	// tests that add and sign in many users swap in bcrypt's cheapest cost.
	hashPassword func(string) (string, error)
}

// NewHubStore returns the hub's data over st. now nil means time.Now;
// retain 0 means DefaultRetain.
func NewHubStore(st *storage.Store, now func() time.Time, retain int) *HubStore {
	return newHubStore(embedded{st}, now, retain)
}

func newHubStore(db kv, now func() time.Time, retain int) *HubStore {
	if now == nil {
		now = time.Now
	}
	if retain <= 0 {
		retain = DefaultRetain
	}
	return &HubStore{db: db, now: now, retain: retain, keys: map[string][]byte{}, hashPassword: webkit.HashPassword}
}

// Label is the name to show: the display name, or the slug.
func (s SiteStatus) Label() string {
	if s.DisplayName != "" {
		return s.DisplayName
	}
	return s.Name
}

// AddSite creates a site named name and returns its new key in printable
// form. A name that is not a valid slug ("Acme Dental") becomes the display
// name and Slug(name) the slug.
func (h *HubStore) AddSite(name string) (string, error) {
	_, key, err := h.AddNamedSite(name, "")
	return key, err
}

// AddNamedSite creates a site with a display name and a slug (empty: one
// derived from the display name) and returns the slug and the new key.
func (h *HubStore) AddNamedSite(display, slug string) (string, string, error) {
	if err := ValidateDisplayName(display); err != nil {
		return "", "", err
	}
	if slug == "" {
		slug = display
		if upstream.ValidateSiteName(slug) != nil {
			slug = Slug(display)
		}
	}
	if err := upstream.ValidateSiteName(slug); err != nil {
		return "", "", err
	}
	name := slug
	key := upstream.NewSiteKey()
	st := SiteStatus{Name: name, DisplayName: display, Created: h.now().UTC(), ByType: map[string]int{}, Actions: []upstream.Action{},
		Health: upstream.Health{Components: []upstream.HealthComponent{}}, Forecast: upstream.Forecast{Due: []upstream.Due{}}}
	b, _ := json.Marshal(st)
	err := h.db.update(func(tx kvTx) error {
		if _, err := tx.Get("site:" + name); err == nil {
			return fmt.Errorf("upstream: site %q exists already", name)
		}
		if err := firstSiteMark(tx); err != nil {
			return err
		}
		if err := tx.Set("site:"+name, string(b)); err != nil {
			return err
		}
		cnt, _ := json.Marshal(siteCounters{Created: st.Created, DisplayName: display})
		if err := tx.Set("count:"+name, string(cnt)); err != nil {
			return err
		}
		if err := setHead(tx, st); err != nil {
			return err
		}
		rec, err := h.sealedRecord(tx, name, key)
		if err != nil {
			return err
		}
		return tx.Set("key:"+name, rec)
	})
	if err != nil {
		return "", "", err
	}
	return name, key, nil
}

// siteKey returns a site's raw key.
func (h *HubStore) siteKey(name string) ([]byte, error) {
	if upstream.ValidateSiteName(name) != nil {
		return nil, fmt.Errorf("%w %q", ErrUnknownSite, name)
	}
	h.mu.RLock()
	k, ok := h.keys[name]
	h.mu.RUnlock()
	if ok {
		return k, nil
	}
	var rec string
	var err error
	if one, ok := h.db.(interface{ getOne(string) (string, error) }); ok {
		rec, err = one.getOne("key:" + name)
	} else {
		err = h.db.view(func(tx kvTx) error { rec, err = tx.Get("key:" + name); return err })
	}
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("%w %q", ErrUnknownSite, name)
	}
	if err != nil {
		return nil, err
	}
	printable, err := h.openRecord(name, rec)
	if err != nil {
		return nil, err
	}
	k, err = upstream.ParseSiteKey(printable)
	if err != nil {
		return nil, err
	}
	if h.db.cacheKeys() {
		h.mu.Lock()
		h.keys[name] = k
		h.mu.Unlock()
	}
	return k, nil
}

// readPrefix calls fn with each key with prefix and its value, read in
// one view. On PostgreSQL a read of at most one chunk of keys is one
// statement outside a transaction (one round trip, not a view's two; a
// statement reads one snapshot): what the handler reads after each
// summary (SweepDecisions).
func (h *HubStore) readPrefix(prefix string, fn func(k, v string)) error {
	if one, ok := h.db.(interface {
		scanOne(string) ([][][]byte, bool, error)
	}); ok {
		rows, complete, err := one.scanOne(prefix)
		if err != nil || complete {
			for _, r := range rows {
				fn(string(r[0]), string(r[1]))
			}
			return err
		}
	}
	return h.db.view(func(tx kvTx) error {
		return tx.Ascend(prefix, func(k, v string) bool { fn(k, v); return true })
	})
}

// NewToken creates an API token named name and returns it; only its hash
// is stored.
func (h *HubStore) NewToken(name string) (string, error) {
	if err := upstream.ValidateSiteName(name); err != nil {
		return "", fmt.Errorf("upstream: token name: %w", err)
	}
	tok := "tht1_" + strings.TrimPrefix(upstream.NewSiteKey(), upstream.SiteKeyPrefix)
	b, _ := json.Marshal(tokenRecord{Name: name, Created: h.now().UTC(), Scope: ScopeRead})
	err := h.db.update(func(tx kvTx) error { return tx.Set("token:"+tokenHash(tok), string(b)) })
	if err != nil {
		return "", err
	}
	return tok, nil
}

func tokenHash(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// CheckToken returns the token's name, or ErrNotFound.
func (h *HubStore) CheckToken(tok string) (string, error) {
	if tok == "" || len(tok) > 200 {
		return "", storage.ErrNotFound
	}
	var rec tokenRecord
	err := h.db.view(func(tx kvTx) error {
		v, err := tx.Get("token:" + tokenHash(tok))
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(v), &rec)
	})
	return rec.Name, err
}

// IngestResult says what happened to an accepted summary.
type IngestResult struct {
	Duplicate bool   // a re-send of the last stored summary: not stored again
	LastSeq   uint64 // the newest sequence number stored for the box

	// decisions are the site's dec: records (by key) as read just after
	// the summary was stored, on PostgreSQL in the same round trip as its
	// commit (nil: not read; sweepDecisions reads them).
	decisions map[string]string
}

// Ingest verifies a summary as it arrived (site header, idempotency key,
// signature header, gzipped body) and stores it. It authenticates the bytes
// before it inflates them.
func (h *HubStore) Ingest(site, idem, signature string, body []byte) (IngestResult, error) {
	if len(body) > upstream.MaxBodyBytes {
		return IngestResult{}, fmt.Errorf("%w: %d bytes", upstream.ErrTooLarge, len(body))
	}
	key, err := h.siteKey(site)
	if err != nil {
		return IngestResult{}, err
	}
	return h.ingestWithKey(key, site, idem, signature, body)
}

// ingestWithKey is Ingest with the site's key looked up already (the
// handler looks it up before it reads the body).
func (h *HubStore) ingestWithKey(key []byte, site, idem, signature string, body []byte) (IngestResult, error) {
	if len(body) > upstream.MaxBodyBytes {
		return IngestResult{}, fmt.Errorf("%w: %d bytes", upstream.ErrTooLarge, len(body))
	}
	if err := upstream.Verify(key, site, idem, body, signature); err != nil {
		return IngestResult{}, err
	}
	box, seq, ok := upstream.ParseIdempotencyKey(idem)
	if !ok {
		return IngestResult{}, fmt.Errorf("%w: idempotency key %q", upstream.ErrInvalid, idem)
	}
	s, err := upstream.DecodeForHub(body)
	if err != nil {
		return IngestResult{}, err
	}
	defer s.Release() // what store writes are copies
	if s.Site != site || s.Box != box || s.Seq != seq {
		return IngestResult{}, fmt.Errorf("%w: body names %s/%s#%d, headers %s/%s#%d", upstream.ErrInvalid, s.Site, s.Box, s.Seq, site, box, seq)
	}
	return h.store(s, body)
}

// decodeState decodes the state parts of a summary into their types, so
// what is stored is what this hub can read back: a part that does not
// decode refuses the summary rather than break the fleet view later.
// Actions and problems are decoded only when big is set (partHashes).
func decodeState(s *upstream.HubSummary, st *SiteStatus, big bool) error {
	for _, part := range []struct {
		name string
		raw  json.RawMessage
		dst  any
		big  bool
	}{{"health", s.Health, &st.Health, false}, {"devices_by_type", s.ByType, &st.ByType, false},
		{"forecast", s.Forecast, &st.Forecast, false}, {"actions", s.Actions, &st.Actions, true},
		{"vulnerabilities", s.Vulns, &st.Vulns, false}, {"problems", s.Problems, &st.Problems, true}} {
		if part.big != big || (part.name == "vulnerabilities" || part.name == "problems") && part.raw == nil {
			continue // a box older than the vulnerability catalog, or than schema 1.1
		}
		if err := json.Unmarshal(part.raw, part.dst); err != nil {
			return fmt.Errorf("%w: %s: %v", upstream.ErrInvalid, part.name, err)
		}
	}
	if big {
		if st.Actions == nil {
			st.Actions = []upstream.Action{}
		}
		if len(st.Problems) > upstream.MaxActions {
			return fmt.Errorf("%w: more than %d problems", upstream.ErrTooLarge, upstream.MaxActions)
		}
		st.OpenActions = len(st.Actions)
		return nil
	}
	if len(s.Hygiene) > 0 {
		st.Hygiene = &upstream.Hygiene{}
		if err := json.Unmarshal(s.Hygiene, st.Hygiene); err != nil {
			return fmt.Errorf("%w: hygiene: %v", upstream.ErrInvalid, err)
		}
	}
	stateDefaults(st)
	return nil
}

// stateDefaults gives a site's state parts the empty form of a part left
// out, or sent as null.
func stateDefaults(st *SiteStatus) {
	if st.ByType == nil {
		st.ByType = map[string]int{}
	}
	if st.Forecast.Due == nil {
		st.Forecast.Due = []upstream.Due{}
	}
	if st.Health.Components == nil {
		st.Health.Components = []upstream.HealthComponent{}
	}
}

// siteCounters is the small record ingest reads back each time.
type siteCounters struct {
	DisplayName string    `json:"display_name,omitempty"`
	Created     time.Time `json:"created"`
	Summaries   int       `json:"summaries"`
	Coalesced   int       `json:"coalesced"`
	// Parts and OpenActions are of the last accepted summary (partHashes).
	Parts       partHashes `json:"parts"`
	OpenActions int        `json:"open_actions,omitempty"`
	// PartsApart: the site's parts: record holds the actions and problems
	// Parts hashes. False in a store from before parts: records (or
	// after an older hub wrote this record): the next ingest writes it.
	PartsApart bool `json:"parts_apart,omitempty"`
	// Forecast hashes the last accepted summary's forecast as received
	// (as partHashes do): its fc: records are rewritten when it changes.
	Forecast string `json:"forecast,omitempty"`
	// State hashes the last accepted summary's health, device types,
	// vulnerabilities and hygiene (stateHash): with Forecast, when both
	// are unchanged an ingest decodes none of them (keepState) and
	// writes no state: record. Empty in a store from before state:
	// records (or after an older hub wrote this record): the next
	// ingest decodes them and writes the record.
	State string `json:"state,omitempty"`
}

// apart says which of a site's parts are in records of their own: its
// actions and problems (parts:), its health, device types and forecast
// (state:).
type apart struct{ parts, state bool }

// siteState is a state: record: a site's health, device types and
// forecast, the bytes its box sent (checked when they first came:
// siteCounters.State).
type siteState struct {
	Health   upstream.Health   `json:"health"`
	ByType   map[string]int    `json:"devices_by_type"`
	Forecast upstream.Forecast `json:"forecast"`
}

// siteParts is a parts: record: a site's actions and problems, the bytes
// its box sent (checked when they first came: partHashes).
type siteParts struct {
	Actions  []upstream.Action  `json:"actions"`
	Problems []upstream.Problem `json:"problems,omitempty"`
}

// partHashes are the SHA-256 (first 16 bytes, hex) of a summary's actions
// and problems as received: most of a summary's state and half the cost of
// an ingest to decode. When both are byte-equal to the site's previous
// summary's (the usual case) they are not decoded again: they were checked
// when they came, the parts: record has them as received (writeRecords),
// and today's history point, the previous summary's, has their counts
// already (pointOf). The first summary of a day decodes them, for the
// day's action notes, and so does one whose day: point is not the
// previous summary's (its time is not the list record's LastSeen: the
// hub's clock went back).
type partHashes struct {
	Actions  string `json:"actions,omitempty"`
	Problems string `json:"problems,omitempty"`
}

// hash16 is the first 16 bytes of b's SHA-256, in hex (partHashes).
func hash16(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

func (h *HubStore) store(s *upstream.HubSummary, body []byte) (IngestResult, error) {
	now := h.now().UTC()
	sums := partSums{parts: partHashes{Actions: hash16(s.Actions)}, forecast: hash16(s.Forecast), state: stateHash(s)}
	if s.Problems != nil { // nil from a box older than schema 1.1
		sums.parts.Problems = hash16(s.Problems)
	}
	sum := sha256.Sum256(body)
	digest := hex.EncodeToString(sum[:])
	var res IngestResult
	var decisions afterRead
	err := h.db.updateSite(func(tx kvTx) error {
		res = IngestResult{} // a run again after a conflict (40001) starts afresh
		if p, ok := tx.(interface{ prefetch(...string) error }); ok {
			if err := p.prefetch("box:"+s.Site+":"+s.Box, "count:"+s.Site, dayKey(s.Site, now), "list:"+s.Site,
				fdayPrefix(now.Format(time.DateOnly))+s.Site, pendKey(s.Site)); err != nil {
				return err
			}
		}
		if r, ok := tx.(interface{ readAfterCommit(*afterRead) }); ok {
			decisions = afterRead{prefix: decPrefix(s.Site)}
			r.readAfterCommit(&decisions)
		}
		br, err := checkSeq(tx, s, digest, &res)
		if err != nil || res.Duplicate {
			return err
		}
		v, err := tx.Get("count:" + s.Site)
		if err != nil {
			return err
		}
		var cnt siteCounters
		if err := json.Unmarshal([]byte(v), &cnt); err != nil {
			return fmt.Errorf("decode counters of %s: %w", s.Site, err)
		}
		today, err := todayPoint(tx, s.Site, now)
		if err != nil {
			return err
		}
		prev, err := oldHead(tx, s.Site)
		if err != nil {
			return err
		}
		head, writes, err := stateOf(s, sums, &cnt, today, prev)
		if err != nil {
			return err
		}
		head.Name, head.DisplayName, head.Created, head.LastSeen, head.Summaries = s.Site, cnt.DisplayName, cnt.Created, now, cnt.Summaries
		head.Box, head.BoxVersion, head.Seq, head.GeneratedAt = s.Box, s.BoxVersion, s.Seq, s.GeneratedAt
		head.SkewSeconds, head.Interval = int64(s.GeneratedAt.Sub(now)/time.Second), s.Interval
		head.Devices, head.Critical, head.Coalesced = s.Devices, s.Critical, cnt.Coalesced
		if err := storeDevices(tx, s, br.LastSeq > 0); err != nil {
			return err
		}
		if err := recordHistory(tx, head, now, today); err != nil {
			return err
		}
		if err := h.writeRecords(tx, s, body, &head, prev, cnt, writes.apart, boxRecord{LastSeq: s.Seq, Digest: digest, LastSeen: now, Interval: s.Interval}); err != nil {
			return err
		}
		if writes.forecast {
			if err := setForecast(tx, s.Site, head.Forecast.Due); err != nil {
				return err
			}
		}
		res.LastSeq = s.Seq
		return nil
	})
	if err == nil && decisions.ok && decisions.complete {
		res.decisions = make(map[string]string, len(decisions.rows))
		for _, r := range decisions.rows {
			res.decisions[string(r[0])] = string(r[1])
		}
	}
	return res, err
}

// partSums are the hashes of a summary's parts as received (partHashes,
// siteCounters.Forecast and State).
type partSums struct {
	parts           partHashes
	forecast, state string
}

// recordWrites says which of a site's records kept apart an ingest
// rewrites (its parts changed), and whether its forecast's fc: record.
type recordWrites struct {
	apart
	forecast bool
}

// stateOf is the state an accepted summary gives its site, with cnt (the
// site's counters before it) moved on to it. Parts byte-equal to the
// site's previous summary's are not decoded again (partHashes,
// siteCounters.State): what they give is in that summary's list record
// (prev) and history point (today), when today's point is that summary's.
func stateOf(s *upstream.HubSummary, sums partSums, cnt *siteCounters, today *storedPoint, prev *SiteStatus) (SiteStatus, recordWrites, error) {
	last := today != nil && prev != nil && prev.Broken == "" && today.Time.Equal(prev.LastSeen)
	var state SiteStatus
	if last && cnt.State == sums.state && cnt.Forecast == sums.forecast {
		keepState(&state, prev)
	} else if err := decodeState(s, &state, false); err != nil {
		return state, recordWrites{}, err
	}
	if !last || sums.parts.Actions == "" || cnt.Parts != sums.parts {
		if err := decodeState(s, &state, true); err != nil {
			return state, recordWrites{}, err
		}
	} else {
		state.OpenActions = cnt.OpenActions
	}
	cnt.Summaries++
	if s.Coalesced > 1 {
		cnt.Coalesced += s.Coalesced - 1
	}
	w := recordWrites{apart: apart{parts: !cnt.PartsApart || cnt.Parts != sums.parts, state: cnt.State != sums.state || cnt.Forecast != sums.forecast},
		forecast: cnt.Forecast != sums.forecast}
	cnt.Parts, cnt.OpenActions, cnt.PartsApart, cnt.Forecast, cnt.State = sums.parts, state.OpenActions, true, sums.forecast, sums.state
	return state, w, nil
}

// keepState is the state of a summary whose health, device types,
// forecast, vulnerabilities and hygiene are byte-equal to the previous
// summary's: what that summary's list record (prev) holds. Health
// components and the forecast's list stay nil: the history point takes
// the components of today's point (pointOf), the list is in the state:
// record and fc:, written when it came.
func keepState(st *SiteStatus, prev *SiteStatus) {
	st.Health = upstream.Health{Score: prev.Health.Score}
	st.ByType, st.Forecast, st.Vulns, st.Hygiene = prev.ByType, prev.Forecast, prev.Vulns, prev.Hygiene
	st.Forecast.Due = nil
	if st.ByType == nil {
		st.ByType = map[string]int{}
	}
}

// stateHash is siteCounters.State of s: the first 16 bytes of the SHA-256
// of its health, device types, vulnerabilities and hygiene as received,
// each after its length (a part left out has none).
func stateHash(s *upstream.HubSummary) string {
	h := sha256.New()
	var n [8]byte
	for _, part := range [][]byte{s.Health, s.ByType, s.Vulns, s.Hygiene} {
		binary.LittleEndian.PutUint64(n[:], uint64(len(part)))
		h.Write(n[:])
		h.Write(part)
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])[:16])
}

// checkSeq reads the box's record and refuses a replayed, out-of-order or
// too far ahead summary; a re-sent last summary sets res.Duplicate.
func checkSeq(tx kvTx, s *upstream.HubSummary, digest string, res *IngestResult) (boxRecord, error) {
	var br boxRecord
	bkey := "box:" + s.Site + ":" + s.Box
	if v, err := tx.Get(bkey); err == nil {
		if err := json.Unmarshal([]byte(v), &br); err != nil {
			return br, fmt.Errorf("decode %s: %w", bkey, err)
		}
	} else if !errors.Is(err, storage.ErrNotFound) {
		return br, err
	}
	res.LastSeq = br.LastSeq
	switch {
	case s.Seq == br.LastSeq && digest == br.Digest:
		res.Duplicate = true
	case s.Seq <= br.LastSeq:
		return br, fmt.Errorf("%w: %s/%s#%d, the hub holds #%d", ErrReplay, s.Site, s.Box, s.Seq, br.LastSeq)
	case s.Seq-br.LastSeq > MaxSeqJump:
		return br, fmt.Errorf("%w: %s/%s#%d after #%d (at most %d ahead)", ErrSeqJump, s.Site, s.Box, s.Seq, br.LastSeq, MaxSeqJump)
	}
	return br, nil
}

// storeDevices writes the summary's changed devices and deletes its
// removed ones. A box's first summary (or everything since it, merged)
// lists every device it has: it replaces the box's table, so a box whose
// database was reset leaves no ghosts. A box the hub has no record of
// (known false) has no devices stored: no range read.
func storeDevices(tx kvTx, s *upstream.HubSummary, known bool) error {
	prefix := devPrefix(s.Site, s.Box)
	if s.FirstSeq == 1 && s.ChangedOmitted == 0 && known {
		keep := make(map[string]bool, len(s.MACs))
		for _, m := range s.MACs {
			keep[m] = true
		}
		var stale []string
		if err := tx.Ascend(prefix, func(k, _ string) bool {
			if !keep[strings.TrimPrefix(k, prefix)] {
				stale = append(stale, k)
			}
			return true
		}); err != nil {
			return err
		}
		for _, k := range stale {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
	}
	for i, d := range s.Changed {
		if err := tx.Set(prefix+s.MACs[i], string(d)); err != nil {
			return err
		}
	}
	for _, mac := range s.Removed {
		if err := tx.Delete(prefix + mac); err != nil {
			return err
		}
	}
	return nil
}

// writeRecords writes an accepted summary's site, list, counters,
// summary and box records, its parts: and state: records when parts says
// (they changed), and drops the summary past the retention. prev is the
// site's list record before (nil: none).
func (h *HubStore) writeRecords(tx kvTx, s *upstream.HubSummary, body []byte, head, prev *SiteStatus, cnt siteCounters, parts apart, br boxRecord) error {
	list, err := setHeadOver(tx, *head, prev)
	if err != nil {
		return err
	}
	// The site record is the list record with its two flags, SiteStatus's
	// last fields: what json.Marshal makes of it, without encoding it again.
	stJSON := list[:len(list)-1] + `,"parts_apart":true,"state_apart":true}`
	// As the box sent them, checked when they first came (this
	// summary's decodeState, or the one whose hashes they match).
	if parts.parts {
		b := make([]byte, 0, len(s.Actions)+len(s.Problems)+32)
		b = append(append(b, `{"actions":`...), s.Actions...)
		if s.Problems != nil {
			b = append(append(b, `,"problems":`...), s.Problems...)
		}
		if err := tx.Set("parts:"+s.Site, string(append(b, '}'))); err != nil {
			return err
		}
	}
	if parts.state {
		b := make([]byte, 0, len(s.Health)+len(s.ByType)+len(s.Forecast)+48)
		b = append(append(b, `{"health":`...), s.Health...)
		b = append(append(b, `,"devices_by_type":`...), s.ByType...)
		b = append(append(b, `,"forecast":`...), s.Forecast...)
		if err := tx.Set("state:"+s.Site, string(append(b, '}'))); err != nil {
			return err
		}
	}
	rec := SummaryRecord{N: cnt.Summaries, Received: br.LastSeen, Box: s.Box, Seq: s.Seq, FirstSeq: s.FirstSeq, Coalesced: s.Coalesced,
		GeneratedAt: s.GeneratedAt, Health: s.Score, Devices: s.Devices, Actions: s.ActionCount,
		Changed: len(s.Changed), Removed: len(s.Removed), Events: len(s.Events), Body: body}
	cntJSON, _ := marshalString(cnt)
	recJSON, _ := marshalString(rec)
	brJSON, _ := marshalString(br)
	for _, kv := range [][2]string{{"site:" + s.Site, stJSON}, {"count:" + s.Site, cntJSON},
		{sumKey(s.Site, rec.N), recJSON}, {"box:" + s.Site + ":" + s.Box, brJSON}} {
		if err := tx.Set(kv[0], kv[1]); err != nil {
			return err
		}
	}
	if old := rec.N - h.retain; old > 0 {
		return tx.Delete(sumKey(s.Site, old))
	}
	return nil
}

// devPrefix is where the devices of one box of a site live.
func devPrefix(site, box string) string { return "dev:" + site + ":" + box + ":" }

func sumKey(site string, n int) string { return fmt.Sprintf("sum:%s:%020d", site, n) }

// Sites returns every site, by name.
func (h *HubStore) Sites() ([]SiteStatus, error) {
	var out []SiteStatus
	err := h.db.view(func(tx kvTx) error {
		parts, state := map[string]int{}, map[string]int{} // site → its index in out, for its parts: and state: records
		if err := tx.Ascend("site:", func(k, v string) bool {
			name := strings.TrimPrefix(k, "site:")
			st, ap := decodeSite(name, v)
			if ap.parts {
				parts[name] = len(out)
			}
			if ap.state {
				state[name] = len(out)
			}
			out = append(out, st)
			return true
		}); err != nil {
			return err
		}
		for _, x := range []struct {
			prefix string
			at     map[string]int
			add    func(*SiteStatus, string)
		}{{"parts:", parts, addParts}, {"state:", state, addState}} {
			if len(x.at) == 0 {
				continue
			}
			if err := tx.Ascend(x.prefix, func(k, v string) bool {
				if i, ok := x.at[strings.TrimPrefix(k, x.prefix)]; ok {
					x.add(&out[i], v)
				}
				return true
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("upstream: list sites: %w", err)
	}
	return out, nil
}

// SiteHeads is Sites without each site's actions, problems, health
// components and forecast list (OpenActions counts the actions): the read
// of the fleet page, /api/sites, /metrics and the CSV. It reads the small
// list records ingest writes, not the sites' whole records.
func (h *HubStore) SiteHeads() ([]SiteStatus, error) {
	if err := h.listRecords(); err != nil {
		return nil, fmt.Errorf("upstream: list sites: %w", err)
	}
	var out []SiteStatus
	err := h.db.view(func(tx kvTx) error {
		return tx.Ascend("list:", func(k, v string) bool {
			out = append(out, decodeHead(strings.TrimPrefix(k, "list:"), v))
			return true
		})
	})
	if err != nil {
		return nil, fmt.Errorf("upstream: list sites: %w", err)
	}
	return out, nil
}

// headOf is a site's list record: s without its long lists.
func headOf(s SiteStatus) SiteStatus {
	s.Actions, s.Problems, s.Health.Components, s.Forecast.Due = nil, nil, nil, nil
	return s
}

// setHead writes s's list record and its health of the day for the
// fleet's trend (dayFigures), in the transaction that writes its record.
func setHead(tx kvTx, s SiteStatus) error {
	prev, err := oldHead(tx, s.Name)
	if err != nil {
		return err
	}
	_, err = setHeadOver(tx, s, prev)
	return err
}

// setHeadOver is setHead with the site's list record before read
// already (prev, nil: none); it returns the list record written.
func setHeadOver(tx kvTx, s SiteStatus, prev *SiteStatus) (string, error) {
	head := headOf(s)
	b, err := marshalString(head)
	if err != nil {
		return "", fmt.Errorf("encode list record of %s: %w", s.Name, err)
	}
	if err := errors.Join(tx.Set("list:"+s.Name, b), indexHead(tx, prev, &head, b)); err != nil {
		return "", err
	}
	if s.LastSeen.IsZero() {
		return b, nil
	}
	return b, setDayFigures(tx, s.Name, dayFigures{Health: s.Health.Score, Devices: s.Devices, EOL: s.Forecast.EOL}, s.LastSeen)
}

// marshalString is json.Marshal's text as a string, not a copy of it:
// the bytes Marshal returns are its own and never written again, and the
// records an ingest writes were a fifth of what it allocated, half of
// that copies.
func marshalString(v any) (string, error) {
	b, err := json.Marshal(v)
	return unsafe.String(unsafe.SliceData(b), len(b)), err
}

// decodeHead reads a list record; one that does not decode lists the
// site flagged, as decodeSite does.
func decodeHead(name, v string) SiteStatus {
	var st SiteStatus
	if err := upstream.CheckDepth([]byte(v), upstream.MaxDepth); err != nil {
		return SiteStatus{Name: name, Broken: err.Error()}
	}
	if err := json.Unmarshal([]byte(v), &st); err != nil {
		return SiteStatus{Name: name, Broken: fmt.Sprintf("stored state unreadable: %v", err)}
	}
	if st.Name == "" {
		st.Name = name
	}
	return st
}

// listRecords writes the list records (and the fleet trend's day figures
// of the last 90 days) of a store from before they existed, once.
func (h *HubStore) listRecords() error {
	err := h.db.view(func(tx kvTx) error { _, err := tx.Get("meta:list"); return err })
	if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	now := h.now()
	return h.db.update(func(tx kvTx) error {
		if _, err := tx.Get("meta:list"); err == nil {
			return nil // another hub did it
		}
		// Only sites without a list record have their whole record read:
		// every site has a count: record (small), and a store made since
		// list records exist has a list record for each (reading 10,000
		// sites' whole records, 330 MB, outlasted pgOpTimeout).
		listed := map[string]bool{}
		var missing []string
		if err := tx.Ascend("list:", func(k, _ string) bool { listed[strings.TrimPrefix(k, "list:")] = true; return true }); err != nil {
			return err
		}
		if err := tx.Ascend("count:", func(k, _ string) bool {
			if name := strings.TrimPrefix(k, "count:"); !listed[name] {
				missing = append(missing, name)
			}
			return true
		}); err != nil {
			return err
		}
		var sites []SiteStatus
		for _, name := range missing {
			v, err := tx.Get("site:" + name)
			if errors.Is(err, storage.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			st, ap := decodeSite(name, v)
			if err := readApart(tx, name, &st, ap); err != nil { // the list record counts the open actions
				return err
			}
			sites = append(sites, st)
		}
		for _, s := range sites {
			if err := setHead(tx, s); err != nil {
				return err
			}
			var days []Point
			if err := tx.Ascend("day:"+s.Name+":", func(k, v string) bool {
				var p Point
				if k >= dayKey(s.Name, now.Add(-HistoryFull-24*time.Hour)) && json.Unmarshal([]byte(v), &p) == nil {
					days = append(days, p)
				}
				return true
			}); err != nil {
				return err
			}
			for _, p := range days {
				if err := setDayFigures(tx, s.Name, dayFigures{Health: p.Health, Devices: p.Devices, EOL: p.EOL}, p.Time); err != nil {
					return err
				}
			}
		}
		if err := tx.Delete("meta:fleet-totals"); err != nil { // the page records are built again from these
			return err
		}
		return tx.Set("meta:list", "1")
	})
}

// Site returns one site, or storage.ErrNotFound.
func (h *HubStore) Site(name string) (SiteStatus, error) {
	var st SiteStatus
	if upstream.ValidateSiteName(name) != nil {
		return st, fmt.Errorf("upstream: site %q: %w", name, storage.ErrNotFound)
	}
	err := h.db.view(func(tx kvTx) error {
		var err error
		st, err = readSite(tx, name)
		return err
	})
	return st, err
}

// readSite is a site's record with the records it keeps apart, or
// storage.ErrNotFound.
func readSite(tx kvTx, name string) (SiteStatus, error) {
	v, err := tx.Get("site:" + name)
	if err != nil {
		return SiteStatus{}, err
	}
	st, ap := decodeSite(name, v)
	return st, readApart(tx, name, &st, ap)
}

// readApart adds the site's parts: and state: records to st, those ap
// says it has (none: never ingested).
func readApart(tx kvTx, name string, st *SiteStatus, ap apart) error {
	for _, x := range []struct {
		on  bool
		key string
		add func(*SiteStatus, string)
	}{{ap.parts, "parts:" + name, addParts}, {ap.state, "state:" + name, addState}} {
		if !x.on {
			continue
		}
		v, err := tx.Get(x.key)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		x.add(st, v)
	}
	return nil
}

// decodeSite reads a site record; ap says which of its parts are in
// records of their own (addParts, addState). One that does not decode
// (written by an older hub, or damaged) still lists the site, flagged
// Broken, so one bad record never takes the fleet view down with it.
func decodeSite(name, v string) (st SiteStatus, ap apart) {
	if err := upstream.CheckDepth([]byte(v), upstream.MaxDepth); err != nil {
		return SiteStatus{Name: name, Broken: err.Error()}, ap
	}
	if err := json.Unmarshal([]byte(v), &st); err != nil {
		return SiteStatus{Name: name, Broken: fmt.Sprintf("stored state unreadable: %v", err)}, ap
	}
	if st.Name == "" {
		st.Name = name
	}
	st.OpenActions = len(st.Actions)
	ap = apart{parts: st.PartsApart, state: st.StateApart}
	st.PartsApart, st.StateApart = false, false
	return st, ap
}

// addParts puts a parts: record's actions and problems into st; one that
// does not decode flags the site Broken, as decodeSite does.
func addParts(st *SiteStatus, v string) {
	var p siteParts
	if err := upstream.CheckDepth([]byte(v), upstream.MaxDepth); err != nil {
		st.Broken = err.Error()
		return
	}
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		st.Broken = fmt.Sprintf("stored actions unreadable: %v", err)
		return
	}
	st.Actions, st.Problems, st.OpenActions = p.Actions, p.Problems, len(p.Actions)
}

// addState puts a state: record's health, device types and forecast into
// st, as decodeState would have decoded them from the summary; one that
// does not decode flags the site Broken.
func addState(st *SiteStatus, v string) {
	var p siteState
	if err := upstream.CheckDepth([]byte(v), upstream.MaxDepth); err != nil {
		st.Broken = err.Error()
		return
	}
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		st.Broken = fmt.Sprintf("stored health and forecast unreadable: %v", err)
		return
	}
	st.Health, st.ByType, st.Forecast = p.Health, p.ByType, p.Forecast
	stateDefaults(st)
}

// SiteDevices returns the devices a site last reported, by MAC.
func (h *HubStore) SiteDevices(name string) ([]upstream.Device, error) {
	var out []upstream.Device
	err := h.db.view(func(tx kvTx) error {
		boxes := map[string]boxRecord{}
		var newest time.Time
		if err := tx.Ascend("box:"+name+":", func(k, v string) bool {
			var br boxRecord
			_ = json.Unmarshal([]byte(v), &br)
			boxes[strings.TrimPrefix(k, "box:"+name+":")] = br
			if br.LastSeen.After(newest) {
				newest = br.LastSeen
			}
			return true
		}); err != nil {
			return err
		}
		var derr error
		err := tx.Ascend("dev:"+name+":", func(k, v string) bool {
			box, _, _ := strings.Cut(strings.TrimPrefix(k, "dev:"+name+":"), ":")
			if br := boxes[box]; newest.Sub(br.LastSeen) > boxActive(br.Interval) {
				return true // a box that went quiet (or started over under a new id)
			}
			// Stored as the box sent it (authenticated, checked to be an
			// object with a MAC): a field of a type this hub does not
			// expect leaves that field empty rather than hide the device.
			var d upstream.Device
			if upstream.CheckDepth([]byte(v), upstream.MaxDepth) == nil {
				_ = json.Unmarshal([]byte(v), &d)
			}
			if d.MAC == "" {
				_, d.MAC, _ = strings.Cut(strings.TrimPrefix(k, "dev:"+name+":"), ":")
			}
			out = append(out, d)
			return true
		})
		return errors.Join(err, derr)
	})
	return out, err
}

// Summaries returns up to limit of a site's newest summaries, newest first,
// without their bodies unless withBody.
func (h *HubStore) Summaries(name string, limit int, withBody bool) ([]SummaryRecord, error) {
	var out []SummaryRecord
	err := h.db.view(func(tx kvTx) error {
		var derr error
		err := tx.Descend("sum:"+name+":", func(k, v string) bool {
			var r SummaryRecord
			if derr = json.Unmarshal([]byte(v), &r); derr != nil {
				return false
			}
			if !withBody {
				r.Body = nil
			}
			out = append(out, r)
			return limit <= 0 || len(out) < limit
		})
		return errors.Join(err, derr)
	})
	return out, err
}

// Fleet sums the lifecycle forecast over all sites and lists every device
// due within 12 months, soonest first.
type Fleet struct {
	Sites       int       `json:"sites"`
	Devices     int       `json:"devices"`
	EOL         int       `json:"eol"`
	EOL12Months int       `json:"eol_12_months"`
	Critical    int       `json:"critical_actions"`
	Due         []SiteDue `json:"due"`
	// DueTotal counts every device due; the forecast page lists the
	// soonest forecastListed of them (Due), each site's page its own.
	DueTotal int `json:"due_total"`

	// KEVDevices counts devices affected by a CISA known-exploited CVE
	// across all sites, KEVSites the sites that have any.
	KEVDevices int `json:"kev_devices"`
	KEVSites   int `json:"kev_sites"`
}

// SiteDue is a Due with its site.
type SiteDue struct {
	Site string `json:"site"`
	upstream.Due
}

// FleetOf sums sites.
func FleetOf(sites []SiteStatus) Fleet {
	f := Fleet{Sites: len(sites), Due: []SiteDue{}}
	for _, s := range sites {
		f.Devices += s.Devices
		f.EOL += s.Forecast.EOL
		f.EOL12Months += s.Forecast.EOL12Months
		f.Critical += s.Critical
		if s.Vulns != nil && s.Vulns.KEVDevices > 0 {
			f.KEVDevices += s.Vulns.KEVDevices
			f.KEVSites++
		}
		for _, d := range s.Forecast.Due {
			f.Due = append(f.Due, SiteDue{Site: s.Name, Due: d})
		}
	}
	slices.SortFunc(f.Due, dueBefore)
	f.DueTotal = len(f.Due)
	return f
}

// dueBefore orders due devices soonest first, then by site and MAC: a
// total order, so a list cut at any length is the same list's head.
func dueBefore(a, b SiteDue) int {
	if c := a.EOL.Compare(b.EOL); c != 0 {
		return c
	}
	if c := strings.Compare(a.Site, b.Site); c != 0 {
		return c
	}
	return strings.Compare(a.MAC, b.MAC)
}
