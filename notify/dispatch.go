package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Queue is the durable store behind the outlets' queues (storage, through
// the wiring). Publish appends each outlet's messages in order and stores
// state in one transaction; Head returns ok false on an empty queue.
type Queue interface {
	Publish(state []byte, items map[string][][]byte) error
	State() ([]byte, error)
	Head(outlet string) (seq uint64, body []byte, ok bool, err error)
	Items(outlet string, limit int) (seqs []uint64, bodies [][]byte, err error)
	Delete(outlet string, seq uint64) error
	Len(outlet string) (int, error)
	// TicketStore keeps the PSA outlets' tickets with the queues.
	TicketStore
}

// Leaser is a Queue that several processes deliver from (hubs on one
// database): Lease claims the deliveries of outlet for holder for d from
// now, or renews holder's claim, and answers false while another holder's
// claim runs; d 0 gives holder's claim up. The dispatcher takes the lease
// before each send and gives it up when the queue is empty, so one message
// goes out once however many processes deliver.
type Leaser interface {
	Lease(outlet, holder string, d time.Duration) (bool, error)
}

// LeaseFor is how long a delivery lease lasts: longer than one send may
// take (a minute), so a holder renews it before it runs out; a holder
// that stopped leaves its outlets to another within it.
const LeaseFor = 2 * time.Minute

// SiteQueue is a Queue that keeps the problems last notified per site: the
// hub's, where one dispatcher serves every site. UpdateSite needs it.
type SiteQueue interface {
	Queue
	// PublishSite is Publish with the state of one site.
	PublishSite(site string, state []byte, items map[string][][]byte) error
	// SiteState is State for one site; nil when none.
	SiteState(site string) ([]byte, error)
}

// Config tunes the dispatcher; the zero value is the default.
type Config struct {
	// Site names the site in every message; Link is the web UI's base
	// URL, for links back ("" leaves them out).
	Site, Link string
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// MinBackoff and MaxBackoff bound the wait between attempts on an
	// outlet that fails, doubling from one to the other. Zero: 5 s and
	// 5 min.
	MinBackoff, MaxBackoff time.Duration
	// DigestAt is the local time of day the daily digest goes, in
	// minutes after midnight. Zero: 08:00.
	DigestAt int
	// Holder names this process in delivery leases (a Queue that is a
	// Leaser); one per process, kept across dispatchers.
	Holder string
}

// OutletStatus is what the UI shows of an outlet.
type OutletStatus struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"` // the URL without secrets
	Scheme      string    `json:"scheme"`
	Queued      int       `json:"queued"`
	Delivered   int       `json:"delivered"` // since start
	LastSent    time.Time `json:"last_sent,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`
	LastAnswer  string    `json:"last_answer,omitempty"`
	RetryAt     time.Time `json:"retry_at,omitzero"`
	Quiet       bool      `json:"quiet"` // in its quiet hours now
	Policy      Policy    `json:"policy"`
}

// Dispatcher turns problem-list changes into messages on each outlet's
// durable queue and delivers them.
type Dispatcher struct {
	cfg Config
	q   Queue
	eps []*Endpoint
	log *slog.Logger

	mu       sync.Mutex
	prev     map[string]Problem            // problems last notified; nil until loaded
	prevSite map[string]map[string]Problem // the same per site (UpdateSite), loaded on demand
	status   map[string]*OutletStatus
	lastSent map[string]map[string]time.Time // outlet → problem key → last enqueued
	wake     map[string]chan struct{}
}

// New returns a dispatcher over the endpoints, storing through q.
func New(cfg Config, q Queue, eps []*Endpoint, log *slog.Logger) *Dispatcher {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 5 * time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 5 * time.Minute
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = cfg.MinBackoff
	}
	if cfg.DigestAt <= 0 {
		cfg.DigestAt = 8 * 60
	}
	d := &Dispatcher{cfg: cfg, q: q, eps: eps, log: log.With("component", "notify"),
		status: map[string]*OutletStatus{}, lastSent: map[string]map[string]time.Time{}, wake: map[string]chan struct{}{},
		prevSite: map[string]map[string]Problem{}}
	_, sited := q.(SiteQueue)
	for _, e := range eps {
		d.status[e.ID] = &OutletStatus{ID: e.ID, Name: e.Name, Scheme: e.Scheme, Policy: e.Policy}
		d.lastSent[e.ID] = map[string]time.Time{}
		d.wake[e.ID] = make(chan struct{}, 1)
		if p, ok := e.Outlet.(*PSA); ok {
			p.bind(e.ID, q, sited)
		}
	}
	return d
}

// Endpoints returns the configured outlets.
func (d *Dispatcher) Endpoints() []*Endpoint { return d.eps }

// Update compares the site's active problems with those last notified and
// queues the messages the change calls for on every outlet whose policy
// takes them, together with the new state, in one durable write.
func (d *Dispatcher) Update(problems []Problem) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.prev == nil {
		prev, err := d.loadState(d.q.State)
		if err != nil {
			return err
		}
		d.prev = prev
	}
	cur, err := d.publish(d.prev, problems, d.cfg.Site, d.cfg.Link, d.q.Publish)
	if err != nil || cur == nil {
		return err
	}
	d.prev = cur
	return nil
}

// UpdateSite is Update for one site of many (the hub): the site's problems
// are compared with those last notified for that site, and link is the
// link back for its messages. The dispatcher's queue must be a SiteQueue.
// A problem whose key is in held (acknowledged, snoozed or resolved by a
// person) neither triggers nor updates: it stays as last notified.
func (d *Dispatcher) UpdateSite(site, link string, problems []Problem, held map[string]bool) error {
	sq, ok := d.q.(SiteQueue)
	if !ok {
		return fmt.Errorf("notify: the queue keeps no per-site state")
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	prev, ok := d.prevSite[site]
	if _, shared := d.q.(Leaser); !ok || shared { // shared: another process may have notified since
		var err error
		if prev, err = d.loadState(func() ([]byte, error) { return sq.SiteState(site) }); err != nil {
			return err
		}
		d.prevSite[site] = prev
	}
	cur, err := d.publish(prev, holdProblems(prev, problems, held), site, link, func(state []byte, items map[string][][]byte) error {
		return sq.PublishSite(site, state, items)
	})
	if err != nil || cur == nil {
		return err
	}
	d.prevSite[site] = cur
	return nil
}

// holdProblems replaces each held problem by its last notified state, or
// leaves it out when none was notified.
func holdProblems(prev map[string]Problem, problems []Problem, held map[string]bool) []Problem {
	if len(held) == 0 {
		return problems
	}
	out := make([]Problem, 0, len(problems))
	for _, p := range problems {
		if held[p.Key] {
			old, ok := prev[p.Key]
			if !ok {
				continue
			}
			p = old
		}
		out = append(out, p)
	}
	return out
}

func (d *Dispatcher) loadState(read func() ([]byte, error)) (map[string]Problem, error) {
	b, err := read()
	if err != nil {
		return nil, fmt.Errorf("notify: read state: %w", err)
	}
	prev := map[string]Problem{}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &prev); err != nil {
			d.log.Warn("notification state unreadable: starting afresh", "err", err)
			prev = map[string]Problem{}
		}
	}
	return prev, nil
}

// publish queues the messages from prev to problems and the new state
// through save; it returns the new state, nil when nothing changed. d.mu
// is held.
func (d *Dispatcher) publish(prev map[string]Problem, problems []Problem, site, link string, save func([]byte, map[string][][]byte) error) (map[string]Problem, error) {
	cur := make(map[string]Problem, len(problems))
	for _, p := range problems {
		cur[p.Key] = p
	}
	now := d.cfg.Now()
	msgs := Diff(prev, cur, site, link, now)
	if len(msgs) == 0 {
		return nil, nil
	}
	items := map[string][][]byte{}
	for _, e := range d.eps {
		for i := range msgs {
			m := &msgs[i]
			if !e.Policy.Allows(m) {
				continue
			}
			sk := m.Site + "\x00" + m.Key
			last := d.lastSent[e.ID][sk]
			if m.Status == StatusUpdated && e.Policy.MinInterval > 0 && now.Sub(last) < e.Policy.MinInterval {
				continue
			}
			b, err := json.Marshal(m)
			if err != nil {
				return nil, fmt.Errorf("notify: encode message: %w", err)
			}
			items[e.ID] = append(items[e.ID], b)
			d.lastSent[e.ID][sk] = now
		}
	}
	state, err := json.Marshal(cur)
	if err != nil {
		return nil, fmt.Errorf("notify: encode state: %w", err)
	}
	if err := save(state, items); err != nil {
		return nil, fmt.Errorf("notify: queue %d message(s): %w", len(msgs), err)
	}
	for id := range items {
		select {
		case d.wake[id] <- struct{}{}:
		default:
		}
	}
	d.log.Info("problems changed", "site", site, "messages", len(msgs), "outlets", len(items))
	return cur, nil
}

// Status returns every outlet's state, in configuration order.
func (d *Dispatcher) Status() []OutletStatus {
	now := d.cfg.Now()
	out := make([]OutletStatus, 0, len(d.eps))
	for _, e := range d.eps {
		n, err := d.q.Len(e.ID)
		d.mu.Lock()
		s := *d.status[e.ID]
		d.mu.Unlock()
		if err == nil {
			s.Queued = n
		}
		s.Quiet = e.Policy.Quiet(now)
		out = append(out, s)
	}
	return out
}

// Test sends a test message to the outlet with id straight away, past the
// queue and the policy, and returns its answer.
func (d *Dispatcher) Test(ctx context.Context, id string) (string, error) {
	for _, e := range d.eps {
		if e.ID != id {
			continue
		}
		m := TestMessage(d.cfg.Site, d.cfg.Now())
		m.Link = d.cfg.Link
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		ans, err := e.Outlet.Send(ctx, &m)
		d.mu.Lock()
		s := d.status[e.ID]
		s.LastAnswer = ans
		if err != nil {
			s.LastError, s.LastErrorAt = err.Error(), d.cfg.Now()
		}
		d.mu.Unlock()
		return ans, err
	}
	return "", fmt.Errorf("notify: no outlet %q", id)
}

// Run delivers every outlet's queue until ctx ends; cancellation is not an
// error.
func (d *Dispatcher) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, e := range d.eps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.deliver(ctx, e)
		}()
	}
	wg.Wait()
	return nil
}

// digester is an outlet that can send several messages as one.
type digester interface {
	SendDigest(ctx context.Context, ms []Message, site string, now time.Time) (string, error)
}

// maxDigest bounds the messages in one digest mail.
const maxDigest = 500

// deliver drains one outlet's queue in order: the head is deleted only once
// the outlet accepted it, so a failure retries the same message (with
// backoff) and nothing behind it overtakes it.
func (d *Dispatcher) deliver(ctx context.Context, e *Endpoint) {
	log := d.log.With("outlet", e.Name)
	backoff := d.cfg.MinBackoff
	var lastDigest time.Time
	for {
		wait := time.Duration(-1) // until woken
		now := d.cfg.Now()
		dg, isDigest := e.Outlet.(digester)
		isDigest = isDigest && isDailyDigest(e)
		switch {
		case e.Policy.Quiet(now):
			wait = time.Minute
		case isDigest && !d.digestDue(now, lastDigest):
			wait = time.Minute
		case !d.leased(e, log):
			wait = min(5*time.Second, d.cfg.MaxBackoff) // another process delivers: try again soon
		default:
			var sent int
			var ans string
			var err error
			if isDigest {
				sent, ans, err = d.sendDigest(ctx, e, dg, now)
				if err == nil {
					lastDigest = now
				}
			} else {
				sent, ans, err = d.sendHead(ctx, e)
				if sent == 0 && err == nil {
					d.release(e, log) // empty: the next news may go from another process
				}
			}
			if ctx.Err() != nil {
				return
			}
			wait, backoff = d.record(e, sent, ans, err, wait, backoff)
			if err != nil {
				log.Warn("notification not delivered; will retry", "err", err, "retry_in", wait)
			}
		}
		switch {
		case wait == 0:
			continue
		case wait > 0:
			// Backing off, quiet or waiting for the digest: news can
			// wait too (a wake stays buffered for later).
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		default:
			select {
			case <-ctx.Done():
				return
			case <-d.wake[e.ID]:
			}
		}
	}
}

// record notes one delivery attempt in the outlet's status and returns how
// long to wait before the next one and the backoff after it: after a
// failure, the backoff (or the outlet's Retry-After, if longer), doubled
// for next time; after messages went, none, since more may wait.
func (d *Dispatcher) record(e *Endpoint, sent int, ans string, err error, wait, backoff time.Duration) (time.Duration, time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.status[e.ID]
	if ans != "" {
		s.LastAnswer = ans
	}
	if err != nil {
		s.LastError, s.LastErrorAt = err.Error(), d.cfg.Now()
		wait = backoff
		var ra *RetryAfter
		if errors.As(err, &ra) && ra.After > wait {
			wait = ra.After
		}
		s.RetryAt = d.cfg.Now().Add(wait)
		return wait, min(backoff*2, d.cfg.MaxBackoff)
	}
	if sent > 0 {
		s.Delivered += sent
		s.LastSent, s.RetryAt = d.cfg.Now(), time.Time{}
		s.LastError = ""
		return 0, d.cfg.MinBackoff
	}
	return wait, backoff
}

func isDailyDigest(e *Endpoint) bool {
	m, ok := e.Outlet.(*Mail)
	return ok && m.Digest == "daily"
}

// digestDue reports whether a daily digest time has passed since the last
// digest (zero: none yet, so a restart sends what waits at once).
func (d *Dispatcher) digestDue(now, last time.Time) bool {
	at := time.Date(now.Year(), now.Month(), now.Day(), d.cfg.DigestAt/60, d.cfg.DigestAt%60, 0, 0, now.Location())
	if now.Before(at) {
		at = at.AddDate(0, 0, -1)
	}
	return last.Before(at)
}

// leased says whether this process may deliver e's messages now: always,
// unless the queue is shared (a Leaser) and another process holds e.
func (d *Dispatcher) leased(e *Endpoint, log *slog.Logger) bool {
	l, ok := d.q.(Leaser)
	if !ok {
		return true
	}
	got, err := l.Lease(e.ID, d.cfg.Holder, LeaseFor)
	if err != nil {
		log.Warn("notification lease not taken; will retry", "err", err)
		return false
	}
	return got
}

// release gives up this process's delivery lease of e, if any.
func (d *Dispatcher) release(e *Endpoint, log *slog.Logger) {
	if l, ok := d.q.(Leaser); ok {
		if _, err := l.Lease(e.ID, d.cfg.Holder, 0); err != nil {
			log.Warn("notification lease not given up", "err", err)
		}
	}
}

// sendHead sends the oldest queued message; sent is 0 on an empty queue.
func (d *Dispatcher) sendHead(ctx context.Context, e *Endpoint) (sent int, ans string, err error) {
	seq, body, ok, err := d.q.Head(e.ID)
	if err != nil || !ok {
		return 0, "", err
	}
	var m Message
	if err := json.Unmarshal(body, &m); err != nil {
		// A message this version cannot read would block the queue
		// for ever: drop it, loudly.
		d.log.Error("undecodable notification dropped", "outlet", e.Name, "seq", seq, "err", err)
		return 0, "", d.q.Delete(e.ID, seq)
	}
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	ans, err = e.Outlet.Send(sctx, &m)
	if err != nil {
		return 0, ans, err
	}
	return 1, ans, d.q.Delete(e.ID, seq)
}

// sendDigest sends everything queued as one mail.
func (d *Dispatcher) sendDigest(ctx context.Context, e *Endpoint, dg digester, now time.Time) (int, string, error) {
	seqs, bodies, err := d.q.Items(e.ID, maxDigest)
	if err != nil || len(seqs) == 0 {
		return 0, "", err
	}
	ms := make([]Message, 0, len(bodies))
	for i, b := range bodies {
		var m Message
		if err := json.Unmarshal(b, &m); err != nil {
			d.log.Error("undecodable notification dropped", "outlet", e.Name, "seq", seqs[i], "err", err)
			continue
		}
		ms = append(ms, m)
	}
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	ans, err := dg.SendDigest(sctx, ms, d.cfg.Site, now)
	if err != nil {
		return 0, ans, err
	}
	for _, s := range seqs {
		if err := d.q.Delete(e.ID, s); err != nil {
			return 0, ans, err
		}
	}
	return len(seqs), ans, nil
}
