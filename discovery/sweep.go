package discovery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/mdlayher/arp"

	"tend/inventory"
)

// Sweep defaults.
const (
	// DefaultRate is arp-scan's default bandwidth (256,000 bit/s) in
	// minimum-size 64-byte frames: 500 requests/s. Polite on any LAN.
	DefaultRate = 500
	// DefaultWait is how long a pass listens after its last request. A host
	// on the same LAN answers within a few milliseconds; arp-scan waits 500ms
	// per try before retrying but sends on while it waits.
	DefaultWait = 250 * time.Millisecond
	// DefaultPasses: one more pass to the silent addresses catches hosts that
	// dropped the first broadcast; a third finds almost nothing more.
	DefaultPasses = 2
	// DefaultMinWait is the shortest a pass listens after its last request
	// when the LAN answers fast (see SweepConfig.MinWait).
	DefaultMinWait = 50 * time.Millisecond
	// rttFactor: a pass waits this many times the slowest reply seen so far.
	rttFactor = 4
)

// Send backoff: a transient send error (the kernel's transmit queue or the
// socket buffer is full: ENOBUFS, EAGAIN, ENOMEM) means the box, not the LAN,
// is the bottleneck. The sweep then pauses, halves its rate and tries the
// same address again; it never aborts for it.
const (
	// backoffFirst is the pause after the first transient error in a row;
	// every further one doubles it, up to backoffMax.
	backoffFirst = 5 * time.Millisecond
	backoffMax   = time.Second
	// sendRetries is how many transient errors in a row one address may
	// meet before the pass skips it (the next pass asks it again). A pass
	// so always progresses, and a sweep always ends.
	sendRetries = 8
	// slowestRate is the floor the rate halves down to, as a divisor of the
	// configured rate.
	slowestRate = 16
	// recoverAfter successful requests in a row speed the sweep up again by
	// a quarter, back to the configured rate at most.
	recoverAfter = 32
)

// readPoll bounds each blocking Read so the reader notices the end of a
// sweep even if the kick (a deadline in the past) races with its own reset.
const readPoll = 100 * time.Millisecond

// SweepConfig tunes a Sweeper; the zero value is the polite default.
type SweepConfig struct {
	// Rate is requests per second; 0 means DefaultRate. The sender never
	// goes faster on average: in any window of length T it sends at most
	// Rate*T+1+lateCredit*Rate (a catch-up after its timer fired late).
	Rate int
	// Wait is how long, at most, to listen for late replies after the last
	// request of each pass; 0 means DefaultWait.
	Wait time.Duration
	// MinWait makes the wait adapt to the LAN: a pass listens rttFactor
	// times the slowest round trip seen so far in this sweep, but at least
	// MinWait and at most Wait (a LAN that answers in a millisecond need not
	// be waited on for a quarter second; one slow host stretches the wait).
	// Before any reply the full Wait applies. 0 means DefaultMinWait;
	// negative turns adaptation off (always Wait).
	MinWait time.Duration
	// Passes over the targets; 0 means DefaultPasses. Every pass after the
	// first asks only the addresses that have not answered yet.
	Passes int
	// AllowPublic lets Sweep go outside the private ranges (see CheckScope).
	AllowPublic bool
	// Now stamps observations; nil means time.Now.
	Now func() time.Time
}

// Stats describes what a sweep did, for logs and the UI.
type Stats struct {
	Sent      int // requests written
	Replies   int // replies from target addresses, repeats included
	Hosts     int // distinct target addresses that answered
	Malformed int // frames the ARP decoder rejected (skipped)
	// SendErrors counts transient send errors (ENOBUFS, EAGAIN) the sweep
	// slowed down for and retried; Skipped counts addresses a pass gave up
	// on after sendRetries of them in a row (a later pass asks again).
	SendErrors int
	Skipped    int
	Duration   time.Duration // wall time of the whole sweep
	Passes     []PassStats
}

// PassStats is one pass of a sweep. Replies arriving during a pass's wait
// count for that pass, and a late one arriving during the next pass counts
// there.
type PassStats struct {
	Sent     int
	Replies  int
	NewHosts int
	Duration time.Duration
}

// Sweeper runs ARP sweeps. It holds no per-sweep state, so one Sweeper may
// run sweeps on several connections at once.
type Sweeper struct {
	cfg SweepConfig
	log *slog.Logger
}

// NewSweeper returns a Sweeper with cfg's zero fields defaulted.
func NewSweeper(cfg SweepConfig, log *slog.Logger) *Sweeper {
	if cfg.Rate <= 0 {
		cfg.Rate = DefaultRate
	}
	if cfg.Wait <= 0 {
		cfg.Wait = DefaultWait
	}
	if cfg.Passes <= 0 {
		cfg.Passes = DefaultPasses
	}
	if cfg.MinWait == 0 {
		cfg.MinWait = DefaultMinWait
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sweeper{cfg: cfg, log: log.With("component", "arp_sweep")}
}

// Sweep asks every host address of targets (network and broadcast addresses
// and the box's own addresses excepted) for its MAC, Passes times over, and
// calls found once for each new (IP, MAC) pair that answers, from a single
// goroutine, as soon as the reply arrives, so the caller can start on it at
// once. found must not block for long: replies queue in the socket meanwhile.
// A second MAC answering for the same address is reported too (duplicate IP
// or spoofing is worth knowing). Replies from outside targets are ignored.
//
// Sweep refuses targets CheckScope refuses. Cancelling ctx ends the sweep
// early and is not an error: Sweep returns the stats so far and nil. It
// returns only after its reader goroutine has stopped, so conn may be closed
// right after.
func (s *Sweeper) Sweep(ctx context.Context, conn Conn, targets []netip.Prefix, found func(inventory.Observation)) (Stats, error) {
	if err := CheckScope(targets, s.cfg.AllowPublic); err != nil {
		return Stats{}, err
	}
	if found == nil {
		found = func(inventory.Observation) {}
	}
	start := time.Now()
	own := conn.LocalAddrs()
	st := &sweepState{
		answered: make(map[netip.Addr]bool),
		sentAt:   make(map[netip.Addr]time.Time),
		seen:     make(map[string]bool),
		failed:   make(chan struct{}),
	}
	for _, a := range hostAddrs(targets) {
		if !slices.Contains(own, a) {
			st.answered[a] = false
			st.order = append(st.order, a)
		}
	}

	done := make(chan struct{})
	exited := make(chan struct{})
	go func() {
		defer close(exited)
		s.read(conn, st, own, found, done)
	}()
	stopReader := func() {
		close(done)
		_ = conn.SetReadDeadline(time.Unix(1, 0)) // kick a blocked Read
		<-exited
	}

	err := s.passes(ctx, conn, st)
	stopReader()
	stats := st.stats()
	stats.Duration = time.Since(start)
	if err == nil && st.readErr != nil {
		err = st.readErr
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		s.log.Info("arp sweep cancelled", "sent", stats.Sent, "hosts", stats.Hosts, "duration", stats.Duration)
		return stats, nil
	}
	if err != nil {
		return stats, err
	}
	s.log.Info("arp sweep done", "targets", len(st.order), "sent", stats.Sent, "hosts", stats.Hosts,
		"malformed", stats.Malformed, "send_errors", stats.SendErrors, "skipped", stats.Skipped,
		"duration", stats.Duration)
	return stats, nil
}

// passes runs the sending side: each pass paces requests to the addresses
// not yet answered, then listens for Wait.
func (s *Sweeper) passes(ctx context.Context, conn Conn, st *sweepState) error {
	sl := newSleeper(ctx, st)
	defer sl.timer.Stop()
	pace := newPacer(s.cfg.Rate)
	for pass := range s.cfg.Passes {
		todo := st.beginPass()
		if len(todo) == 0 {
			break
		}
		passStart := time.Now()
		err := s.send(conn, st, sl, pace, todo)
		if err == nil {
			err = sl.until(time.Now().Add(s.wait(st)))
		}
		ps := st.endPass(time.Since(passStart))
		s.log.Debug("arp sweep pass done", "pass", pass+1, "sent", ps.Sent, "replies", ps.Replies,
			"new_hosts", ps.NewHosts, "duration", ps.Duration, "err", err)
		if err != nil {
			return err
		}
	}
	return nil
}

// lateCredit is how far behind its schedule the sender may be and still
// catch up at once: a box whose timers fire late (a loaded machine wakes a
// sleeping sender 10 ms or more after it asked) keeps its rate instead of
// falling to one request per wake-up. It bounds the burst: at most
// lateCredit/interval requests more than the rate allows in any window.
const lateCredit = 20 * time.Millisecond

// send asks each address of todo once, paced. Deadline pacing: request i is
// due at next, and next advances by one interval from the previous due
// time, not from when the timer fired, so timer lateness (a quarter of a
// millisecond per sleep is common on Linux) does not add up. A request
// later than lateCredit (a stall, or a box so busy its timers fire later
// still) keeps lateCredit of credit and no more: the requests due meanwhile
// go at once, then the schedule restarts. That is the generic cell rate
// algorithm (ITU-T I.371) with a tolerance of lateCredit: no window of
// length T holds more than Rate*T+1+lateCredit/interval requests (11 more
// than the rate at the default 500/s, some 700 bytes on the wire). After
// the box's own queue filled up the tolerance is one interval: no burst
// while it recovers.
func (s *Sweeper) send(conn Conn, st *sweepState, sl *sleeper, pace *pacer, todo []netip.Addr) error {
	next := time.Now()
	for i, retries := 0, 0; i < len(todo); {
		ip := todo[i]
		if err := sl.until(next); err != nil {
			return err
		}
		sent := time.Now()
		if err := conn.Request(ip); err != nil {
			if !isTransientSend(err) {
				return fmt.Errorf("discovery: arp request for %s: %w", ip, err)
			}
			// The box's own queue is full: pause, halve the rate and
			// ask the same address again.
			retries++
			pace.slowDown()
			if st.countSendError() == 1 {
				s.log.Warn("arp sweep slowing down: the box cannot send as fast", "ip", ip, "err", err,
					"rate", pace.rate())
			}
			if retries > sendRetries {
				st.countSkipped()
				i, retries = i+1, 0
			}
			next = time.Now().Add(min(backoffFirst<<min(retries, 10), backoffMax))
			continue
		}
		st.countSent(ip, sent)
		pace.sent()
		i, retries = i+1, 0
		if credit := pace.credit(); sent.Sub(next) > credit {
			next = sent.Add(-credit)
		}
		next = next.Add(pace.interval)
	}
	return nil
}

// sleeper waits for a moment on one reusable timer, ending early when the
// sweep's context ends or its reader fails.
type sleeper struct {
	ctx   context.Context
	st    *sweepState
	timer *time.Timer
}

func newSleeper(ctx context.Context, st *sweepState) *sleeper {
	return &sleeper{ctx: ctx, st: st, timer: time.NewTimer(time.Hour)}
}

// until sleeps until t (not at all when t has passed) and returns the
// context's or the reader's error if either ended the sweep.
func (sl *sleeper) until(t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		select {
		case <-sl.ctx.Done():
			return sl.ctx.Err()
		case <-sl.st.failed:
			return sl.st.readErr
		default:
			return nil
		}
	}
	sl.timer.Reset(d)
	select {
	case <-sl.ctx.Done():
		return sl.ctx.Err()
	case <-sl.st.failed:
		return sl.st.readErr
	case <-sl.timer.C:
		return nil
	}
}

// pacer is the sender's current interval between requests: the configured
// rate, halved on every transient send error down to 1/slowestRate of it,
// and sped up again by a quarter after recoverAfter good sends in a row. It
// never goes faster than the configured rate.
type pacer struct {
	base, slowest, interval time.Duration
	streak                  int
}

func newPacer(rate int) *pacer {
	base := time.Second / time.Duration(rate)
	return &pacer{base: base, slowest: base * slowestRate, interval: base}
}

func (p *pacer) slowDown() {
	p.interval = min(p.interval*2, p.slowest)
	p.streak = 0
}

func (p *pacer) sent() {
	if p.interval == p.base {
		return
	}
	if p.streak++; p.streak >= recoverAfter {
		p.interval = max(p.interval*3/4, p.base)
		p.streak = 0
	}
}

// credit is how late the sender may fall behind its schedule and still
// catch up (see Sweeper.send): lateCredit at the configured rate, one
// interval while it is slowed down.
func (p *pacer) credit() time.Duration {
	if p.interval == p.base {
		return max(p.interval, lateCredit)
	}
	return p.interval
}

// rate is the current requests per second, for logs.
func (p *pacer) rate() int { return int(time.Second / p.interval) }

// isTransientSend tells a full transmit queue or socket buffer (worth a pause
// and a retry) from a failing socket.
func isTransientSend(err error) bool {
	return errors.Is(err, syscall.ENOBUFS) || errors.Is(err, syscall.EAGAIN) || // EAGAIN == EWOULDBLOCK
		errors.Is(err, syscall.ENOMEM) || errors.Is(err, syscall.EINTR)
}

// wait is how long the pass just sent listens for stragglers.
func (s *Sweeper) wait(st *sweepState) time.Duration {
	if s.cfg.MinWait < 0 {
		return s.cfg.Wait
	}
	st.mu.Lock()
	rtt := st.maxRTT
	st.mu.Unlock()
	if rtt <= 0 {
		return s.cfg.Wait
	}
	return min(max(rttFactor*rtt, s.cfg.MinWait), s.cfg.Wait)
}

// read reports replies until done is closed or the socket fails.
func (s *Sweeper) read(conn Conn, st *sweepState, own []netip.Addr, found func(inventory.Observation), done <-chan struct{}) {
	ownMAC := conn.HardwareAddr()
	for {
		select {
		case <-done:
			return
		default:
		}
		if err := conn.SetReadDeadline(time.Now().Add(readPoll)); err != nil {
			st.fail(fmt.Errorf("discovery: set arp read deadline: %w", err))
			return
		}
		p, _, err := conn.Read()
		if err != nil {
			switch {
			case isTimeout(err):
				continue
			case isSocketError(err):
				select {
				case <-done: // closed under us after the sweep ended
				default:
					st.fail(fmt.Errorf("discovery: read arp: %w", err))
				}
				return
			default:
				// mdlayher/arp returns decode errors for malformed frames
				// (short payloads, odd address lengths); one bad frame on
				// the LAN must not end the sweep.
				st.countMalformed()
				continue
			}
		}
		if p.Operation != arp.OperationReply || !p.SenderIP.Is4() || len(p.SenderHardwareAddr) == 0 ||
			slices.Equal(p.SenderHardwareAddr, ownMAC) || slices.Contains(own, p.SenderIP) ||
			isBroadcast(p.SenderHardwareAddr) {
			continue
		}
		if !st.reply(p.SenderIP, p.SenderHardwareAddr) {
			continue
		}
		if l, ok := conn.(learner); ok {
			if err := l.Learn(p.SenderIP, p.SenderHardwareAddr); err != nil {
				s.log.Debug("neighbour table not updated", "ip", p.SenderIP, "err", err)
			}
		}
		found(inventory.Observation{
			Time:   s.cfg.Now(),
			Source: inventory.SourceARP,
			MAC:    inventory.MAC(slices.Clone(p.SenderHardwareAddr)),
			IP:     p.SenderIP,
		})
	}
}

// learner is a Conn that can tell the box's kernel what a sweep heard
// (*ARPClient can).
type learner interface {
	Learn(ip netip.Addr, mac net.HardwareAddr) error
}

// sweepState is shared by the sender and the reader of one sweep.
type sweepState struct {
	order []netip.Addr // targets in sending order

	mu       sync.Mutex
	answered map[netip.Addr]bool // every target; true once it replied
	sentAt   map[netip.Addr]time.Time
	maxRTT   time.Duration   // slowest first reply seen, for the adaptive wait
	seen     map[string]bool // ip+mac pairs already reported
	pass     PassStats       // the pass in progress
	passes   []PassStats
	total    Stats
	readErr  error
	failed   chan struct{} // closed when readErr is set
}

func (st *sweepState) beginPass() []netip.Addr {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.pass = PassStats{}
	var todo []netip.Addr
	for _, a := range st.order {
		if !st.answered[a] {
			todo = append(todo, a)
		}
	}
	return todo
}

func (st *sweepState) endPass(d time.Duration) PassStats {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.pass.Duration = d
	st.passes = append(st.passes, st.pass)
	ps := st.pass
	st.pass = PassStats{} // replies after the last pass are counted in totals only
	return ps
}

func (st *sweepState) countSent(ip netip.Addr, at time.Time) {
	st.mu.Lock()
	st.sentAt[ip] = at
	st.pass.Sent++
	st.total.Sent++
	st.mu.Unlock()
}

// countSendError counts a transient send error and returns the count so far.
func (st *sweepState) countSendError() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.total.SendErrors++
	return st.total.SendErrors
}

func (st *sweepState) countSkipped() {
	st.mu.Lock()
	st.total.Skipped++
	st.mu.Unlock()
}

func (st *sweepState) countMalformed() {
	st.mu.Lock()
	st.total.Malformed++
	st.mu.Unlock()
}

// reply records a reply from ip and reports whether the (ip, mac) pair is new.
func (st *sweepState) reply(ip netip.Addr, mac net.HardwareAddr) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	answered, ok := st.answered[ip]
	if !ok {
		return false // not a target
	}
	st.pass.Replies++
	st.total.Replies++
	if !answered {
		if rtt := time.Since(st.sentAt[ip]); rtt > st.maxRTT && !st.sentAt[ip].IsZero() {
			st.maxRTT = rtt
		}
		st.answered[ip] = true
		st.pass.NewHosts++
		st.total.Hosts++
	}
	key := ip.String() + "/" + string(mac)
	if st.seen[key] {
		return false
	}
	st.seen[key] = true
	return true
}

func (st *sweepState) fail(err error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.readErr == nil {
		st.readErr = err
		close(st.failed)
	}
}

func (st *sweepState) stats() Stats {
	st.mu.Lock()
	defer st.mu.Unlock()
	s := st.total
	s.Passes = slices.Clone(st.passes)
	return s
}

// hostAddrs lists the host addresses of the IPv4 prefixes in order, without
// duplicates: all but the network and broadcast address, except in a /31
// (RFC 3021: both are hosts) and a /32.
func hostAddrs(prefixes []netip.Prefix) []netip.Addr {
	seen := make(map[netip.Addr]bool)
	var out []netip.Addr
	for _, p := range prefixes {
		p = p.Masked()
		first := p.Addr()
		size := uint64(1) << (32 - p.Bits())
		lo, hi := uint64(0), size-1
		if p.Bits() <= 30 {
			lo, hi = 1, size-2
		}
		base := first.As4()
		n := uint64(base[0])<<24 | uint64(base[1])<<16 | uint64(base[2])<<8 | uint64(base[3])
		for i := lo; i <= hi; i++ {
			v := n + i
			a := netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	return out
}

func isTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// isSocketError tells a failing socket (closed, interface gone) from a frame
// the decoder did not like: the socket wraps its errors in *net.OpError.
func isSocketError(err error) bool {
	var oe *net.OpError
	return errors.Is(err, net.ErrClosed) || errors.As(err, &oe)
}

func isBroadcast(mac net.HardwareAddr) bool {
	for _, b := range mac {
		if b != 0xff {
			return false
		}
	}
	return true
}
