package webkit

import (
	"sync"
	"time"
)

// Sign-in throttling. An attempt is counted when it is admitted, before the
// password is checked, so a burst of concurrent guesses cannot all reach
// bcrypt before the first failure is recorded. Three limits hold at once:
//
//   - per (user, address): PairFreeFailures failures, then each further
//     attempt waits twice as long as the one before (BackoffBase doubling up
//     to BackoffMax);
//   - per address across every user name: AddrFreeFailures failures, then the
//     same backoff, so one client cannot spread its guesses over many names;
//   - per address, at most MaxConcurrentChecks password checks at a time.
//
// There is deliberately no limit on a user name alone: it would let anyone
// on the LAN lock the engineer out. A correct password from an address that
// has not failed is therefore never refused because someone else failed.
// State is forgotten ForgetAfter the last failure; refused attempts are not
// counted (they cost no bcrypt), so a client hammering a locked pair does
// not extend the lock of a real user behind the same address forever.
const (
	PairFreeFailures    = 5
	AddrFreeFailures    = 20
	BackoffBase         = time.Second
	BackoffMax          = 15 * time.Minute
	ForgetAfter         = time.Hour
	MaxConcurrentChecks = 2

	// checkTimeout frees a concurrency slot whose attempt was never
	// finished (a caller that returned early); a bcrypt check takes a
	// quarter of a second.
	checkTimeout = 30 * time.Second
	// busyWait is what a client told "too many checks at once" waits.
	busyWait = time.Second
	// limiterMaxEntries bounds memory against clients cycling made-up
	// names or IPv6 addresses; past it forgotten entries are swept, then
	// arbitrary ones (which only ever makes the limiter more lenient).
	limiterMaxEntries = 8192
)

// counter is the failure history of one pair or one address.
type counter struct {
	n    int       // failures, including admitted attempts not yet finished
	last time.Time // the latest admitted attempt or failure
}

// wait is how long after last the next attempt must wait, given free
// failures before backoff starts.
func (c *counter) wait(now time.Time, free int) time.Duration {
	if c == nil || c.n < free {
		return 0
	}
	d := BackoffMax
	if shift := c.n - free; shift < 20 {
		d = min(BackoffBase<<shift, BackoffMax)
	}
	return max(0, c.last.Add(d).Sub(now))
}

// Limiter decides whether a sign-in attempt may check its password. It is
// safe for concurrent use.
type Limiter struct {
	now func() time.Time

	mu      sync.Mutex
	pairs   map[string]*counter    // user + "\x00" + address
	addrs   map[string]*counter    // address
	checks  map[string][]time.Time // address → start of each running check
	checked int                    // attempts admitted since start, for tests and metrics
	refused int                    // attempts refused since start
}

// NewLimiter returns an empty limiter on the clock now (nil means time.Now).
func NewLimiter(now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{
		now:    now,
		pairs:  make(map[string]*counter),
		addrs:  make(map[string]*counter),
		checks: make(map[string][]time.Time),
	}
}

// Attempt is one admitted password check. Exactly one of Done or Cancel
// must be called when the check is over.
type Attempt struct {
	l          *Limiter
	user, addr string
	start      time.Time
	finished   bool
}

func pairKey(user, addr string) string { return user + "\x00" + addr }

// Admit asks to check a password of user from addr (the client key: an IPv4
// address or an IPv6 /64). It returns the attempt, already counted as a
// failure, or nil and how long the client must wait. user may be "" for a
// secret that belongs to no user (the setup code).
func (l *Limiter) Admit(addr, user string) (*Attempt, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	l.forgetIfOld(now, user, addr)

	pk := pairKey(user, addr)
	p, a := l.pairs[pk], l.addrs[addr]
	wait := max(p.wait(now, PairFreeFailures), a.wait(now, AddrFreeFailures))
	running := l.running(addr, now)
	if wait == 0 && running >= MaxConcurrentChecks {
		wait = busyWait
	}
	if wait > 0 {
		l.refused++
		return nil, wait
	}
	if p == nil {
		p = &counter{}
		l.pairs[pk] = p
	}
	if a == nil {
		a = &counter{}
		l.addrs[addr] = a
	}
	p.n++
	p.last = now
	a.n++
	a.last = now
	l.checks[addr] = append(l.checks[addr], now)
	l.checked++
	return &Attempt{l: l, user: user, addr: addr, start: now}, 0
}

// running drops the address's timed-out checks and returns how many remain.
func (l *Limiter) running(addr string, now time.Time) int {
	cs := l.checks[addr]
	live := cs[:0]
	for _, t := range cs {
		if now.Sub(t) < checkTimeout {
			live = append(live, t)
		}
	}
	if len(live) == 0 {
		delete(l.checks, addr)
		return 0
	}
	l.checks[addr] = live
	return len(live)
}

// release frees one of the address's concurrency slots.
func (l *Limiter) release(a *Attempt) {
	cs := l.checks[a.addr]
	for i, t := range cs {
		if t.Equal(a.start) {
			l.checks[a.addr] = append(cs[:i], cs[i+1:]...)
			break
		}
	}
	if len(l.checks[a.addr]) == 0 {
		delete(l.checks, a.addr)
	}
}

// Done ends the attempt. ok (the password was right) forgets the pair's
// failures and takes this attempt back from the address's count; a wrong
// password leaves it counted. It returns how long the next attempt of the
// same pair must wait.
func (a *Attempt) Done(ok bool) time.Duration {
	if a == nil {
		return 0
	}
	l := a.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if a.finished {
		return 0
	}
	a.finished = true
	l.release(a)
	now := l.now()
	pk := pairKey(a.user, a.addr)
	if ok {
		delete(l.pairs, pk)
		l.uncount(a.addr)
		return 0
	}
	p, ad := l.pairs[pk], l.addrs[a.addr]
	if p != nil {
		p.last = now
	}
	if ad != nil {
		ad.last = now
	}
	return max(p.wait(now, PairFreeFailures), ad.wait(now, AddrFreeFailures))
}

// Cancel ends an attempt whose password was never judged (a storage fault):
// it is taken back from both counts.
func (a *Attempt) Cancel() {
	if a == nil {
		return
	}
	l := a.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if a.finished {
		return
	}
	a.finished = true
	l.release(a)
	if p := l.pairs[pairKey(a.user, a.addr)]; p != nil && p.n > 0 {
		p.n--
	}
	l.uncount(a.addr)
}

func (l *Limiter) uncount(addr string) {
	if c := l.addrs[addr]; c != nil {
		if c.n--; c.n <= 0 {
			delete(l.addrs, addr)
		}
	}
}

// Checked returns how many attempts were admitted to a password check and
// how many were refused since the limiter was made.
func (l *Limiter) Checked() (checked, refused int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.checked, l.refused
}

// sweep forgets state older than ForgetAfter once the maps grow large.
func (l *Limiter) sweep(now time.Time) {
	if len(l.pairs)+len(l.addrs) < limiterMaxEntries {
		return
	}
	for k, c := range l.pairs {
		if now.Sub(c.last) > ForgetAfter {
			delete(l.pairs, k)
		}
	}
	for k, c := range l.addrs {
		if now.Sub(c.last) > ForgetAfter {
			delete(l.addrs, k)
		}
	}
	for k := range l.checks {
		l.running(k, now)
	}
	// Still full: drop arbitrary entries. Losing history only makes the
	// limiter more lenient, never refuses a real user.
	for k := range l.pairs {
		if len(l.pairs)+len(l.addrs) < limiterMaxEntries/2 {
			break
		}
		delete(l.pairs, k)
	}
	for k := range l.addrs {
		if len(l.pairs)+len(l.addrs) < limiterMaxEntries/2 {
			break
		}
		delete(l.addrs, k)
	}
}

// forgetIfOld drops a counter whose last failure is older than ForgetAfter,
// so an old history does not keep backing off.
func (l *Limiter) forgetIfOld(now time.Time, user, addr string) {
	if p := l.pairs[pairKey(user, addr)]; p != nil && now.Sub(p.last) > ForgetAfter {
		delete(l.pairs, pairKey(user, addr))
	}
	if a := l.addrs[addr]; a != nil && now.Sub(a.last) > ForgetAfter {
		delete(l.addrs, addr)
	}
}
