package hub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"tend/internal/lazyre"
	"tend/inventory"
	"tend/notify"
	"tend/storage"
	"tend/upstream"
)

// The hub's notification records, beside the sites' (same store, embedded
// or PostgreSQL):
//
//	notify:q:<outlet>:<20-digit seq>       notifyItem: one message waiting for one outlet,
//	                                       in delivery order
//	notify:seq:<outlet>                    the outlet's last sequence number (decimal)
//	notify:state:<site>                    the site's problems last notified (notify's JSON),
//	                                       written with the messages their change produced
//	notify:ticket:<outlet>:<site>:<key>    the PSA ticket id opened for a site's problem
//
// Embedded, each write is fsynced before it returns; PostgreSQL commits
// are durable.
const (
	notifyQueuePrefix  = "notify:q:"
	notifySeqPrefix    = "notify:seq:"
	notifyStatePrefix  = "notify:state:"
	notifyTicketPrefix = "notify:ticket:"
)

var validOutletID = &lazyre.Regexp{Expr: `^[a-z0-9]{1,32}$`}

type notifyItem struct {
	Seq  uint64 `json:"seq"`
	Body []byte `json:"body"`
}

// notifyQueue is notify.SiteQueue over the hub's store.
type notifyQueue struct{ db kv }

func (q notifyQueue) update(fn func(tx kvTx) error) error {
	if e, ok := q.db.(embedded); ok {
		return e.st.HubUpdateSynced(func(tx *storage.HubTx) error { return fn(embeddedTx{tx}) })
	}
	return q.db.update(fn)
}

// leasedQueue is notifyQueue on a database several hubs may share: an
// outlet's messages go out from the hub that holds its lease,
//
//	notify:lease:<outlet>   noteLease: holder and expiry
//
// so two hubs with --notify on one database send each message once; and a
// site's messages are queued only if its state is still the one they were
// compared with (the dispatcher reads it afresh each time from a Leaser),
// so two hubs comparing one summary queue its news once.
type leasedQueue struct {
	notifyQueue
	now func() time.Time

	mu     sync.Mutex
	read   map[string]string // site → its state as last read
	pinned map[string][]byte // site → its state read before its problems (Pin)
}

// Pin reads a site's state before the scan reads its problems: the
// dispatcher's read that follows (UpdateSite) gets this state, not a newer
// one, so a state another hub published after this one read the problems
// fails the publish (errNotifyRace: compared again next scan) instead of
// being compared with older problems (a "cleared" for a problem that is
// not, then "triggered" again).
func (q *leasedQueue) Pin(site string) error {
	b, err := q.notifyQueue.SiteState(site)
	if err != nil {
		return err
	}
	q.mu.Lock()
	q.pinned[site] = b
	q.mu.Unlock()
	return nil
}

// SiteState implements notify.SiteQueue, noting what it read; a pinned
// state is the answer once.
func (q *leasedQueue) SiteState(site string) ([]byte, error) {
	q.mu.Lock()
	if b, ok := q.pinned[site]; ok {
		delete(q.pinned, site)
		q.read[site] = string(b)
		q.mu.Unlock()
		return b, nil
	}
	q.mu.Unlock()
	b, err := q.notifyQueue.SiteState(site)
	if err == nil {
		q.mu.Lock()
		q.read[site] = string(b)
		q.mu.Unlock()
	}
	return b, err
}

// PublishSite implements notify.SiteQueue: only over the state last read.
func (q *leasedQueue) PublishSite(site string, state []byte, items map[string][][]byte) error {
	q.mu.Lock()
	expect, ok := q.read[site]
	q.mu.Unlock()
	if !ok {
		return errNotifyRace // never read: read first
	}
	if err := q.publishIf(notifyStatePrefix+site, &expect, state, items); err != nil {
		return err
	}
	if state != nil {
		q.mu.Lock()
		q.read[site] = string(state)
		q.mu.Unlock()
	}
	return nil
}

type noteLease struct {
	Holder string    `json:"holder"`
	Until  time.Time `json:"until"`
}

// Lease implements notify.Leaser.
func (q *leasedQueue) Lease(outlet, holder string, d time.Duration) (bool, error) {
	got := false
	err := q.db.update(func(tx kvTx) error {
		got = false // a run that failed to commit (40001) and is run again held nothing
		now := q.now()
		var l noteLease
		if v, err := tx.Get("notify:lease:" + outlet); err == nil {
			if json.Unmarshal([]byte(v), &l) == nil && l.Holder != holder && now.Before(l.Until) {
				return nil // another hub's, still running
			}
		} else if !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		if d <= 0 && l.Holder != holder {
			return nil // giving up a lease it does not hold
		}
		b, _ := json.Marshal(noteLease{Holder: holder, Until: now.Add(d)})
		got = true
		return tx.Set("notify:lease:"+outlet, string(b))
	})
	return got, err
}

func checkOutlet(id string) error {
	if !validOutletID.MatchString(id) {
		return fmt.Errorf("hub: outlet id %q is not 1-32 lower-case letters and digits", id)
	}
	return nil
}

func notifyQueueKey(outlet string, seq uint64) string {
	return fmt.Sprintf("%s%s:%020d", notifyQueuePrefix, outlet, seq)
}

// PublishSite appends each outlet's messages and stores the site's state in
// one transaction: a crash leaves both or neither.
func (q notifyQueue) PublishSite(site string, state []byte, items map[string][][]byte) error {
	return q.publish(notifyStatePrefix+site, state, items)
}

// Publish is PublishSite for the hub itself (no site): unused by the hub's
// dispatcher, which is driven per site, but part of notify.Queue.
func (q notifyQueue) Publish(state []byte, items map[string][][]byte) error {
	return q.publish(notifyStatePrefix+"-", state, items)
}

func (q notifyQueue) publish(stateKey string, state []byte, items map[string][][]byte) error {
	return q.publishIf(stateKey, nil, state, items)
}

// errNotifyRace: another hub published a site's notifications since this
// one read its state; the next scan compares again.
var errNotifyRace = errors.New("hub: another hub notified this site meanwhile; comparing again")

// publishIf is publish when the stored state is still *expect (nil
// expect: whatever it is).
func (q notifyQueue) publishIf(stateKey string, expect *string, state []byte, items map[string][][]byte) error {
	for outlet := range items {
		if err := checkOutlet(outlet); err != nil {
			return err
		}
	}
	err := q.update(func(tx kvTx) error {
		if expect != nil {
			cur, err := tx.Get(stateKey)
			if err != nil && !errors.Is(err, storage.ErrNotFound) {
				return err
			}
			if cur != *expect {
				return errNotifyRace
			}
		}
		for outlet, bodies := range items {
			if len(bodies) == 0 {
				continue
			}
			seq := uint64(0)
			if v, err := tx.Get(notifySeqPrefix + outlet); err == nil {
				if seq, err = strconv.ParseUint(v, 10, 64); err != nil {
					return fmt.Errorf("decode %s%s: %w", notifySeqPrefix, outlet, err)
				}
			} else if !errors.Is(err, storage.ErrNotFound) {
				return err
			}
			for _, b := range bodies {
				seq++
				v, err := json.Marshal(notifyItem{Seq: seq, Body: b})
				if err != nil {
					return err
				}
				if err := tx.Set(notifyQueueKey(outlet, seq), string(v)); err != nil {
					return err
				}
			}
			if err := tx.Set(notifySeqPrefix+outlet, strconv.FormatUint(seq, 10)); err != nil {
				return err
			}
		}
		if state == nil {
			return nil
		}
		return tx.Set(stateKey, string(state))
	})
	if err != nil {
		return fmt.Errorf("hub: queue notifications: %w", err)
	}
	return nil
}

// SiteState returns the site's state PublishSite stored last; nil if none.
func (q notifyQueue) SiteState(site string) ([]byte, error) { return q.get(notifyStatePrefix + site) }

// State is SiteState for the hub itself (see Publish).
func (q notifyQueue) State() ([]byte, error) { return q.get(notifyStatePrefix + "-") }

func (q notifyQueue) get(key string) ([]byte, error) {
	var out []byte
	err := q.db.view(func(tx kvTx) error {
		v, err := tx.Get(key)
		if errors.Is(err, storage.ErrNotFound) {
			return nil
		}
		out = []byte(v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("hub: read %s: %w", key, err)
	}
	return out, nil
}

// Items returns up to limit of the oldest messages waiting for outlet.
func (q notifyQueue) Items(outlet string, limit int) ([]uint64, [][]byte, error) {
	if err := checkOutlet(outlet); err != nil {
		return nil, nil, err
	}
	var seqs []uint64
	var bodies [][]byte
	var derr error
	err := q.db.view(func(tx kvTx) error {
		return tx.Ascend(notifyQueuePrefix+outlet+":", func(k, v string) bool {
			var it notifyItem
			if derr = json.Unmarshal([]byte(v), &it); derr != nil {
				derr = fmt.Errorf("decode %s: %w", k, derr)
				return false
			}
			seqs, bodies = append(seqs, it.Seq), append(bodies, it.Body)
			return limit <= 0 || len(seqs) < limit
		})
	})
	if err = errors.Join(err, derr); err != nil {
		return nil, nil, fmt.Errorf("hub: read notification queue %s: %w", outlet, err)
	}
	return seqs, bodies, nil
}

// Head returns the oldest message waiting for outlet; ok false when none.
func (q notifyQueue) Head(outlet string) (uint64, []byte, bool, error) {
	seqs, bodies, err := q.Items(outlet, 1)
	if err != nil || len(seqs) == 0 {
		return 0, nil, false, err
	}
	return seqs[0], bodies[0], true, nil
}

// Delete removes a delivered message.
func (q notifyQueue) Delete(outlet string, seq uint64) error {
	if err := checkOutlet(outlet); err != nil {
		return err
	}
	if err := q.update(func(tx kvTx) error { return tx.Delete(notifyQueueKey(outlet, seq)) }); err != nil {
		return fmt.Errorf("hub: delete notification %s/%d: %w", outlet, seq, err)
	}
	return nil
}

// Len returns how many messages wait for outlet.
func (q notifyQueue) Len(outlet string) (int, error) {
	seqs, _, err := q.Items(outlet, 0)
	return len(seqs), err
}

// Ticket returns the PSA ticket outlet opened for problem (notify passes
// "<site>:<problem key>" at the hub).
func (q notifyQueue) Ticket(outlet, problem string) (string, bool, error) {
	if err := checkOutlet(outlet); err != nil {
		return "", false, err
	}
	v, err := q.get(notifyTicketPrefix + outlet + ":" + problem)
	return string(v), v != nil, err
}

// PutTicket remembers (or, with an empty id, forgets) a PSA ticket id.
func (q notifyQueue) PutTicket(outlet, problem, id string) error {
	if err := checkOutlet(outlet); err != nil {
		return err
	}
	k := notifyTicketPrefix + outlet + ":" + problem
	err := q.update(func(tx kvTx) error {
		if id == "" {
			return tx.Delete(k)
		}
		return tx.Set(k, id)
	})
	if err != nil {
		return fmt.Errorf("hub: store ticket of %s: %w", problem, err)
	}
	return nil
}

// ParseOutlets checks every --notify URL given to the hub, so it refuses to
// start on a bad one with a message naming the parameter (and never the
// secret); the same URL twice is refused too.
func ParseOutlets(urls []string, o notify.ParseOptions) ([]*notify.Endpoint, error) {
	return notify.ParseURLs(urls, o)
}

// NotifyConfig tunes the hub's notifier; the zero value is the default.
type NotifyConfig struct {
	// Link is the hub's URL as the provider reaches it, for links to a
	// site's page in messages ("" leaves them out).
	Link string
	// Every is how often the sites' problems are compared with what the
	// outlets were told; zero: 10 s.
	Every time.Duration
	// MinBackoff and MaxBackoff bound an outlet's retries (see notify.Config).
	MinBackoff, MaxBackoff time.Duration
	// Now is the clock; nil: time.Now.
	Now func() time.Time
	// Parse is how the outlets added in the UI are parsed (as --notify's).
	Parse notify.ParseOptions
}

// Notifier raises notifications from the problems in the summaries the hub
// ingests: per site and problem key, triggered, updated and cleared, each
// outlet with its policy (which sites, severities, rules) and its durable
// queue in the hub's store. Outlets come from the command line and from
// the Outlets page (kept in the store); an outlet added later hears of the
// changes from then on.
type Notifier struct {
	cfg   NotifyConfig
	sites *HubStore
	base  []*notify.Endpoint // from the command line
	log   *slog.Logger

	mu      sync.Mutex
	d       *notify.Dispatcher
	eps     []*notify.Endpoint // base, then those added in the UI
	fromUI  map[string]bool    // outlet id → added in the UI (removable there)
	loaded  bool               // the UI's outlets were read from the store
	runCtx  context.Context    // Run's; nil when not running
	stopRun context.CancelFunc // stops the current dispatcher's deliveries
	runDone chan struct{}
	seen    map[string]uint64    // site → the summaries count last compared
	wake    map[string]time.Time // site → when a snooze at the hub ends: compare again
	holder  string               // this hub in delivery leases (random)
	leased  *leasedQueue         // the dispatcher's queue on a shared database, else nil
	// afterProblems, in tests, runs between reading a site's problems and
	// comparing them (another hub's scan in between).
	afterProblems func(site string)
	scans         uint64 // Scan calls begun (tests wait for Run's first)
}

// The outlets added in the UI, beside the queues:
//
//	notify:outlet:<id>   the outlet's service URL as entered (secrets only by file)
const notifyOutletPrefix = "notify:outlet:"

// NewNotifier returns a notifier over the hub's data and the command
// line's outlets.
func NewNotifier(cfg NotifyConfig, sites *HubStore, eps []*notify.Endpoint, log *slog.Logger) *Notifier {
	if cfg.Every <= 0 {
		cfg.Every = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log = log.With("component", "hub-notify")
	for _, e := range eps {
		log.Info("notification outlet", "outlet", e.Name, "id", e.ID)
	}
	n := &Notifier{cfg: cfg, sites: sites, base: eps, log: log, seen: map[string]uint64{}, wake: map[string]time.Time{}, fromUI: map[string]bool{},
		holder: strings.TrimPrefix(upstream.NewSiteKey(), upstream.SiteKeyPrefix)[:16]}
	n.eps = eps
	n.d = n.dispatcher(eps)
	return n
}

func (n *Notifier) dispatcher(eps []*notify.Endpoint) *notify.Dispatcher {
	var q notify.SiteQueue = notifyQueue{n.sites.db}
	if !n.sites.db.cacheKeys() { // a database other hubs may share: deliver under a lease
		lq := &leasedQueue{notifyQueue: notifyQueue{n.sites.db}, now: n.cfg.Now, read: map[string]string{}, pinned: map[string][]byte{}}
		q, n.leased = lq, lq
	}
	return notify.New(notify.Config{Now: n.cfg.Now, MinBackoff: n.cfg.MinBackoff, MaxBackoff: n.cfg.MaxBackoff, Holder: n.holder}, q, eps, n.log)
}

// load reads the outlets added in the UI once; n.mu is held.
func (n *Notifier) load() error {
	if n.loaded {
		return nil
	}
	var raws []string
	err := n.sites.db.view(func(tx kvTx) error {
		return tx.Ascend(notifyOutletPrefix, func(_, v string) bool { raws = append(raws, v); return true })
	})
	if err != nil {
		return fmt.Errorf("hub: read outlets: %w", err)
	}
	eps := slices.Clone(n.base)
	for _, raw := range raws {
		e, err := notify.ParseURL(raw, n.cfg.Parse)
		if err != nil {
			// A secret file gone since: say so, keep the others.
			n.log.Error("outlet added in the UI cannot be used", "err", err)
			continue
		}
		if slices.ContainsFunc(eps, func(x *notify.Endpoint) bool { return x.ID == e.ID }) {
			continue
		}
		n.fromUI[e.ID] = true
		eps = append(eps, e)
	}
	n.loaded = true
	n.swap(eps)
	return nil
}

// swap replaces the dispatcher by one over eps, restarting deliveries if
// they run; n.mu is held. Queues and states are in the store, so nothing
// is lost: a message being sent is deleted only once the outlet took it.
func (n *Notifier) swap(eps []*notify.Endpoint) {
	if n.stopRun != nil {
		n.stopRun()
		<-n.runDone
		n.stopRun = nil
	}
	n.eps, n.d = eps, n.dispatcher(eps)
	if n.runCtx != nil {
		ctx, cancel := context.WithCancel(n.runCtx)
		done := make(chan struct{})
		n.stopRun, n.runDone = cancel, done
		d := n.d
		go func() {
			defer close(done)
			d.Run(ctx)
		}()
	}
}

// OutletRow is an outlet as the Outlets page shows it.
type OutletRow struct {
	notify.OutletStatus
	// FromUI is true for an outlet added on the Outlets page (it can be
	// removed there); the command line's stay until the hub restarts
	// without them.
	FromUI bool `json:"from_ui"`
}

// Outlets returns the outlets' state for the UI; nil on a nil notifier.
func (n *Notifier) Outlets() []OutletRow {
	if n == nil {
		return nil
	}
	n.mu.Lock()
	if err := n.load(); err != nil {
		n.log.Error("load outlets", "err", err)
	}
	d, ui := n.d, maps.Clone(n.fromUI)
	n.mu.Unlock()
	var out []OutletRow
	for _, s := range d.Status() {
		out = append(out, OutletRow{OutletStatus: s, FromUI: ui[s.ID]})
	}
	return out
}

// AddOutlet checks a service URL as --notify does, keeps it in the store
// and starts delivering to it.
func (n *Notifier) AddOutlet(raw string) (*notify.Endpoint, error) {
	e, err := notify.ParseURL(raw, n.cfg.Parse)
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.load(); err != nil {
		return nil, err
	}
	if slices.ContainsFunc(n.eps, func(x *notify.Endpoint) bool { return x.ID == e.ID }) {
		return nil, fmt.Errorf("%s is already an outlet", e.Name)
	}
	if err := n.sites.db.update(func(tx kvTx) error { return tx.Set(notifyOutletPrefix+e.ID, strings.TrimSpace(raw)) }); err != nil {
		return nil, fmt.Errorf("hub: store outlet: %w", err)
	}
	n.fromUI[e.ID] = true
	n.swap(append(slices.Clone(n.eps), e))
	n.log.Info("notification outlet added", "outlet", e.Name, "id", e.ID)
	return e, nil
}

// ErrNotRemovable means the outlet came from the command line.
var ErrNotRemovable = errors.New("hub: the outlet comes from the command line (--notify); restart the hub without it")

// RemoveOutlet stops an outlet added in the UI and drops its queue.
func (n *Notifier) RemoveOutlet(id string) error {
	if err := checkOutlet(id); err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.load(); err != nil {
		return err
	}
	i := slices.IndexFunc(n.eps, func(x *notify.Endpoint) bool { return x.ID == id })
	if i < 0 {
		return fmt.Errorf("hub: no outlet %q: %w", id, storage.ErrNotFound)
	}
	if !n.fromUI[id] {
		return ErrNotRemovable
	}
	eps := slices.Delete(slices.Clone(n.eps), i, i+1)
	n.swap(eps) // deliveries to it stop before its queue goes
	err := notifyQueue{n.sites.db}.update(func(tx kvTx) error {
		var keys []string
		if err := tx.Ascend(notifyQueuePrefix+id+":", func(k, _ string) bool { keys = append(keys, k); return true }); err != nil {
			return err
		}
		if err := tx.Ascend(notifyTicketPrefix+id+":", func(k, _ string) bool { keys = append(keys, k); return true }); err != nil {
			return err
		}
		for _, k := range append(keys, notifySeqPrefix+id, notifyOutletPrefix+id, "notify:lease:"+id) {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("hub: remove outlet %s: %w", id, err)
	}
	delete(n.fromUI, id)
	n.log.Info("notification outlet removed", "id", id)
	return nil
}

// Test sends a test message through one outlet and returns its answer.
func (n *Notifier) Test(ctx context.Context, id string) (string, error) {
	n.mu.Lock()
	d := n.d
	n.mu.Unlock()
	return d.Test(ctx, id)
}

// Run compares and delivers until ctx ends; cancellation is not an error.
func (n *Notifier) Run(ctx context.Context) error {
	n.mu.Lock()
	n.runCtx = ctx
	if n.loaded {
		n.swap(n.eps) // start deliveries
	} else if err := n.load(); err != nil { // load starts them
		n.log.Error("load outlets", "err", err)
		n.swap(n.eps)
	}
	n.mu.Unlock()
	t := time.NewTicker(n.cfg.Every)
	defer t.Stop()
	for {
		if err := n.Scan(); err != nil {
			n.log.Error("compare problems for notification", "err", err)
		}
		select {
		case <-ctx.Done():
			n.mu.Lock()
			if n.stopRun != nil {
				n.stopRun()
				<-n.runDone
				n.stopRun = nil
			}
			n.runCtx = nil
			n.mu.Unlock()
			return nil
		case <-t.C:
		}
	}
}

// Scan hands the dispatcher the problems of every site whose latest summary
// it has not compared yet. A site that fails is logged and retried on the
// next scan; the others go on. Without outlets it does nothing.
func (n *Notifier) Scan() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.scans++
	if err := n.load(); err != nil {
		return err
	}
	if len(n.eps) == 0 {
		return nil
	}
	sites, err := n.sites.SiteHeads()
	if err != nil {
		return err
	}
	var errs []error
	now := n.sites.now()
	for _, s := range sites {
		seen, ok := n.seen[s.Name]
		w, snoozed := n.wake[s.Name]
		if s.Summaries == 0 || s.Broken != "" || (ok && seen == uint64(s.Summaries) && (!snoozed || now.Before(w))) {
			continue
		}
		var err error
		if n.leased != nil {
			err = n.leased.Pin(s.Name) // the state these problems are compared with
		}
		var ps []notify.Problem
		if err == nil {
			ps, err = n.siteProblems(s)
		}
		if err == nil && n.afterProblems != nil {
			n.afterProblems(s.Name)
		}
		var held map[string]bool
		if err == nil {
			held, err = n.held(s.Name, ps, now)
		}
		if err == nil {
			err = n.d.UpdateSite(s.Name, n.siteLink(s.Name), ps, held)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("site %s: %w", s.Name, err))
			continue
		}
		n.seen[s.Name] = uint64(s.Summaries)
	}
	return errors.Join(errs...)
}

// held is the keys of the site's problems that a person acknowledged,
// snoozed or resolved at the hub: alerting does not go on about them. The
// earliest end of a snooze among them is when Scan compares the site again.
func (n *Notifier) held(site string, ps []notify.Problem, now time.Time) (map[string]bool, error) {
	live := make([]string, len(ps))
	for i, p := range ps {
		live[i] = p.Key
	}
	ds, err := n.sites.Decisions(site, live, now)
	held := make(map[string]bool, len(ds))
	delete(n.wake, site)
	for k, d := range ds {
		held[k] = true
		if w, ok := n.wake[site]; d.State == DecisionSnoozed && (!ok || d.Until.Before(w)) {
			n.wake[site] = d.Until
		}
	}
	return held, err
}

func (n *Notifier) siteLink(site string) string {
	if n.cfg.Link == "" {
		return ""
	}
	return strings.TrimSuffix(n.cfg.Link, "/") + "/sites/" + url.PathEscape(site)
}

// siteProblems reads the problems of the site's latest summary: the
// box's own grouping (schema 1.1), or, from an older box, each open action
// as its own problem under its finding id.
func (n *Notifier) siteProblems(s SiteStatus) ([]notify.Problem, error) {
	recs, err := n.sites.Summaries(s.Name, 1, true)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("no summary stored")
	}
	sum, err := upstream.DecodeBody(recs[0].Body)
	if err != nil {
		return nil, fmt.Errorf("decode summary %d: %w", recs[0].N, err)
	}
	if sum.Problems != nil {
		return problemsOf(sum.Problems), nil
	}
	return n.actionProblems(s.Name, sum.Actions)
}

// problemsOf is the summary's problems in notify's vocabulary.
func problemsOf(ps []upstream.Problem) []notify.Problem {
	out := make([]notify.Problem, 0, len(ps))
	for _, p := range ps {
		np := notify.Problem{Key: p.Key, Rule: p.Rule, Severity: p.Severity, Title: p.Title, Action: p.Action,
			Evidence: p.Evidence, Devices: make([]notify.Device, 0, len(p.Devices))}
		if np.Evidence == nil {
			np.Evidence = []inventory.Evidence{}
		}
		for _, d := range p.Devices {
			np.Devices = append(np.Devices, notify.Device{Key: d.Key, Name: d.Name, IP: d.IP})
		}
		out = append(out, np)
	}
	return out
}

// actionProblems makes one problem per action of a 1.0 summary, naming
// the device from the site's device table.
func (n *Notifier) actionProblems(site string, as []upstream.Action) ([]notify.Problem, error) {
	devs, err := n.sites.SiteDevices(site)
	if err != nil {
		return nil, err
	}
	byMAC := make(map[string]upstream.Device, len(devs))
	for _, d := range devs {
		byMAC[d.MAC] = d
	}
	out := make([]notify.Problem, 0, len(as))
	for _, a := range as {
		p := notify.Problem{Key: a.ID, Rule: a.Rule, Severity: a.Severity, Title: a.Title, Action: a.Action,
			Evidence: a.Evidence, Devices: []notify.Device{}}
		if p.Evidence == nil {
			p.Evidence = []inventory.Evidence{}
		}
		if a.Device != "" {
			d := byMAC[a.Device]
			name := d.Label
			for _, s := range []string{d.Hostname, d.Model} {
				if name == "" {
					name = s
				}
			}
			p.Devices = append(p.Devices, notify.Device{Key: a.Device, Name: name, IP: d.IP})
		}
		out = append(out, p)
	}
	return out, nil
}
