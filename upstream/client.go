package upstream

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"tend/inventory"
	"tend/storage"
)

// Defaults of the push client.
const (
	DefaultInterval    = 5 * time.Minute
	DefaultOutboxLimit = 2000 // a week of five-minute summaries
	minBackoff         = time.Second
	maxBackoff         = 5 * time.Minute
	// SummaryPath is where the hub takes summaries.
	SummaryPath = "/api/v1/summaries"
)

// ClientConfig configures the push client.
type ClientConfig struct {
	URL         string        // the hub's base URL; https only
	Site        string        // the site's name at the hub
	Key         []byte        // the site's key (ParseSiteKey)
	Interval    time.Duration // time between summaries; 0 means DefaultInterval
	OutboxLimit int           // summaries kept while the hub is away; 0 means DefaultOutboxLimit
	HTTP        *http.Client  // carries the TLS settings; nil means a default client
	Version     string        // tend's version, reported to the hub

	// Inputs gathers what a summary is made of. cmd/tend passes a
	// function over storage, findings and lifecycle.
	Inputs func(ctx context.Context) (Inputs, error)

	Now func() time.Time // nil means time.Now
	Log *slog.Logger
}

// ClientStats counts what the client did since it started.
type ClientStats struct {
	Made       int    `json:"made"`       // summaries made and queued
	Delivered  int    `json:"delivered"`  // accepted by the hub (stored or duplicate)
	Merged     int    `json:"merged"`     // outbox merges past the bound
	Dropped    int    `json:"dropped"`    // refused by the hub for good (logged at error level)
	Superseded int    `json:"superseded"` // the hub already held a newer summary of this box
	Failures   int    `json:"failures"`   // failed attempts
	LastError  string `json:"last_error,omitempty"`
	SkewSecs   int64  `json:"clock_skew_seconds"` // hub clock minus box clock at the last answer
}

// Client makes summaries on an interval, keeps them in the store's outbox
// and pushes them to the hub, oldest first.
type Client struct {
	cfg  ClientConfig
	st   *storage.Store
	log  *slog.Logger
	http *http.Client
	url  string

	mu      sync.Mutex // serialises Enqueue and guards stats
	stats   ClientStats
	trigger chan struct{}
}

// Trigger asks Run for a summary now instead of at the next interval, for
// example when the first sweep has found the LAN's devices. It does not
// wait; requests while one is pending merge.
func (c *Client) Trigger() {
	select {
	case c.trigger <- struct{}{}:
	default:
	}
}

// HubName is the hub's URL as the settings page shows it: scheme, host
// and path only, never a user, password or query that may carry a secret;
// "" for none or a URL that does not parse.
func HubName(hubURL string) string {
	u, err := url.Parse(hubURL)
	if hubURL == "" || err != nil || u.Host == "" {
		return ""
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// NewClient checks cfg and returns a client over st.
func NewClient(cfg ClientConfig, st *storage.Store) (*Client, error) {
	// The errors name the URL as HubName shows it: a user, password or
	// query in it stays out of logs.
	u, err := url.Parse(cfg.URL)
	switch {
	case err != nil:
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the whole URL
		}
		return nil, fmt.Errorf("upstream: hub url: %w", err)
	case u.Scheme != "https":
		return nil, fmt.Errorf("upstream: hub url %q: only https is allowed (summaries leave the client's network)", HubName(cfg.URL))
	case u.Host == "":
		return nil, fmt.Errorf("upstream: hub url %q has no host", HubName(cfg.URL))
	}
	if err := ValidateSiteName(cfg.Site); err != nil {
		return nil, err
	}
	if len(cfg.Key) != siteKeyBytes {
		return nil, errors.New("upstream: site key missing or of the wrong length")
	}
	if cfg.Inputs == nil {
		return nil, errors.New("upstream: no inputs function")
	}
	if cfg.Interval <= 0 {
		cfg.Interval = DefaultInterval
	}
	if cfg.OutboxLimit <= 0 {
		cfg.OutboxLimit = DefaultOutboxLimit
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	if hc.Timeout == 0 {
		c := *hc
		c.Timeout = 30 * time.Second
		hc = &c
	}
	return &Client{cfg: cfg, st: st, log: cfg.Log.With("component", "upstream"), http: hc,
		url: strings.TrimSuffix(u.String(), "/") + SummaryPath, trigger: make(chan struct{}, 1)}, nil
}

// Stats returns the counters.
func (c *Client) Stats() ClientStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Enqueue makes the next summary and puts it in the outbox, with the state
// it was made from, in one transaction. It returns the summary's number.
func (c *Client) Enqueue(ctx context.Context) (uint64, error) {
	in, err := c.cfg.Inputs(ctx)
	if err != nil {
		return 0, fmt.Errorf("upstream: gather summary inputs: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	prev, err := c.st.UpstreamState()
	if err != nil {
		return 0, err
	}
	if prev.BoxID == "" {
		prev.BoxID = newBoxID()
	}
	now := c.cfg.Now()
	s, digests := buildSummary(stateView{box: prev.BoxID, lastSeq: prev.LastSeq, lastAt: prev.LastAt, digests: prev.Digests},
		in, summaryMeta{site: c.cfg.Site, version: c.cfg.Version, now: now, interval: c.cfg.Interval})
	body, err := EncodeBody(s)
	if err != nil {
		return 0, err
	}
	// Events are selected by the box's own clock; if it steps back, keep
	// the newest moment already covered so no event is sent twice.
	lastAt := now
	if lastAt.Before(prev.LastAt) {
		lastAt = prev.LastAt
	}
	merged, err := c.st.Enqueue(storage.UpstreamState{BoxID: prev.BoxID, LastSeq: s.Seq, LastAt: lastAt, Digests: digests},
		body, c.cfg.OutboxLimit, Coalesce)
	if err != nil {
		return 0, err
	}
	c.stats.Made++
	c.stats.Merged += merged
	if merged > 0 {
		c.log.Warn("hub unreachable for long: outbox past its bound, older summaries merged", "merges", merged, "limit", c.cfg.OutboxLimit)
	}
	c.log.Debug("summary queued", "seq", s.Seq, "bytes", len(body), "changed", len(s.Changed), "devices", s.Devices)
	return s.Seq, nil
}

// Reply is the hub's answer to a summary.
type Reply struct {
	Status  string    `json:"status"` // "stored" or "duplicate"; or the error
	Error   string    `json:"error"`
	LastSeq uint64    `json:"last_seq"` // the newest sequence number the hub holds for the box
	HubTime time.Time `json:"hub_time"`
	// Decisions are the site's decisions at the hub, for a box that asked
	// (HeaderDecisions) from a hub that knows them; see decisions.go.
	Decisions *HubDecisions `json:"decisions,omitempty"`
}

// errRetry marks a failure worth retrying later.
var errRetry = errors.New("hub did not take the summary; will retry")

// Flush sends queued summaries, oldest first, until the outbox is empty or
// a send fails. It returns how many the hub took.
func (c *Client) Flush(ctx context.Context) (int, error) {
	sent := 0
	for {
		it, err := c.st.OutboxHead()
		if errors.Is(err, storage.ErrNotFound) {
			return sent, nil
		}
		if err != nil {
			return sent, err
		}
		if err := c.send(ctx, it); err != nil {
			c.mu.Lock()
			c.stats.Failures++
			c.stats.LastError = err.Error()
			c.mu.Unlock()
			return sent, err
		}
		if err := c.st.OutboxDelete(it.Seq); err != nil {
			return sent, err
		}
		sent++
	}
}

// send posts one summary. nil means the outbox item is done with: taken by
// the hub, or refused for good (then logged and counted, never silent).
func (c *Client) send(ctx context.Context, it storage.OutboxItem) error {
	prev, err := c.st.UpstreamState()
	if err != nil {
		return err
	}
	idem := IdempotencyKey(prev.BoxID, it.Seq)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(it.Body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("User-Agent", "tend/"+c.cfg.Version)
	req.Header.Set(HeaderSite, c.cfg.Site)
	req.Header.Set(HeaderIdempotency, idem)
	req.Header.Set(HeaderSignature, Sign(c.cfg.Key, c.cfg.Site, idem, it.Body))
	req.Header.Set(HeaderDecisions, strconv.Itoa(DecisionsVersion))
	sentAt := c.cfg.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %v", errRetry, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, MaxReplyBytes))
	// An unparsable body leaves r empty; the status decides.
	r, rerr := DecodeReply(c.cfg.Key, c.cfg.Site, idem, b, resp.Header.Get(HeaderSignature))
	var skew time.Duration
	if !r.HubTime.IsZero() {
		rtt := c.cfg.Now().Sub(sentAt)
		skew = r.HubTime.Sub(sentAt.Add(rtt / 2)).Round(time.Second)
		c.mu.Lock()
		c.stats.SkewSecs = int64(skew / time.Second)
		c.mu.Unlock()
		if skew > time.Minute || skew < -time.Minute {
			c.log.Debug("box and hub clocks disagree (harmless: ordering uses sequence numbers)", "skew", skew)
		}
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		c.mu.Lock()
		c.stats.Delivered++
		c.mu.Unlock()
		c.log.Debug("summary delivered", "seq", it.Seq, "status", r.Status)
		c.takeDecisions(r, rerr, skew)
		return nil
	case resp.StatusCode == http.StatusConflict && r.LastSeq >= it.Seq:
		// The hub holds this or a newer summary of this box already (an
		// answer lost on the way, or a box database restored from backup).
		c.mu.Lock()
		c.stats.Superseded++
		c.mu.Unlock()
		c.log.Warn("hub already holds a newer summary of this box; skipping", "seq", it.Seq, "hub_last_seq", r.LastSeq)
		return nil
	case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusRequestEntityTooLarge:
		c.drop(it, resp.StatusCode, r)
		return nil
	default:
		msg := r.Error
		if msg == "" {
			msg = strings.TrimSpace(string(b))
		}
		return fmt.Errorf("%w: %s: %s", errRetry, resp.Status, msg)
	}
}

func (c *Client) drop(it storage.OutboxItem, status int, r Reply) {
	c.mu.Lock()
	c.stats.Dropped++
	c.mu.Unlock()
	c.log.Error("hub refused a summary for good; dropping it", "seq", it.Seq, "status", status, "error", r.Error, "hub_last_seq", r.LastSeq)
}

// Run makes a summary now and then every interval (jittered by ±5%) or
// when triggered, and
// delivers the outbox after each, retrying failures with exponential
// backoff and full jitter. It returns when ctx ends.
func (c *Client) Run(ctx context.Context) error {
	backoff := time.Duration(0)
	next := c.cfg.Now()
	for {
		if !c.cfg.Now().Before(next) {
			if _, err := c.Enqueue(ctx); err != nil && ctx.Err() == nil {
				c.log.Error("make summary", "err", err)
			}
			jitter := time.Duration(rand.Int64N(int64(c.cfg.Interval/10) + 1))
			next = c.cfg.Now().Add(c.cfg.Interval - c.cfg.Interval/20 + jitter)
		}
		wait := next.Sub(c.cfg.Now())
		if _, err := c.Flush(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			backoff = min(max(2*backoff, minBackoff), maxBackoff)
			retry := backoff/2 + time.Duration(rand.Int64N(int64(backoff/2)+1))
			if retry < wait {
				wait = retry
			}
			c.log.Warn("hub unreachable; summaries wait in the outbox", "err", err, "retry_in", retry.Round(time.Millisecond))
		} else {
			backoff = 0
		}
		t := time.NewTimer(max(wait, 0))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-c.trigger:
			t.Stop()
			next = c.cfg.Now()
		case <-t.C:
		}
	}
}

// takeDecisions stores the hub's decisions of an answer in the box's
// findings (applyDecisions). A reply whose decisions do not verify is
// logged; the summary was delivered all the same.
func (c *Client) takeDecisions(r Reply, rerr error, skew time.Duration) {
	if rerr != nil {
		c.log.Warn("hub's answer: decisions not taken", "err", rerr)
		return
	}
	if r.Decisions == nil || len(r.Decisions.Items) == 0 {
		return
	}
	devs, err := c.st.Devices()
	if err != nil {
		c.log.Error("take the hub's decisions: read devices", "err", err)
		return
	}
	n := 0
	err = c.st.ReplaceFindings(func(stored []inventory.Finding) []inventory.Finding {
		out, changed := applyDecisions(stored, devs, r.Decisions.Items, skew, c.cfg.Now())
		n = changed
		return out
	})
	switch {
	case err != nil:
		c.log.Error("take the hub's decisions", "err", err)
	case n > 0:
		c.log.Info("hub decisions taken into the actions", "findings", n, "decisions", len(r.Decisions.Items), "omitted", r.Decisions.Omitted)
	}
}
