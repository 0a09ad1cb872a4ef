package upstream

import (
	"sync"
	"time"
)

// Login throttling: after maxLoginFailures failed attempts within
// loginFailureWindow from one client address or against one user name, that
// key is locked for loginLockout. Per address stops one laptop guessing many
// names; per name stops many addresses guessing one password. Locked keys are
// refused before bcrypt runs, so a flood costs no CPU.
const (
	maxLoginFailures   = 5
	loginFailureWindow = 15 * time.Minute
	loginLockout       = time.Minute
	limiterPruneAt     = 4096 // entries before stale ones are swept
)

type attempts struct {
	failures    int
	first       time.Time // start of the current failure window
	lockedUntil time.Time
}

// limiter counts failed logins per key ("ip:…", "user:…").
type limiter struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*attempts
}

func newLimiter(now func() time.Time) *limiter {
	return &limiter{now: now, m: make(map[string]*attempts)}
}

// locked returns how long the most locked of keys stays locked, or zero.
func (l *limiter) locked(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range keys {
		if a := l.m[k]; a != nil && now.Before(a.lockedUntil) {
			wait = max(wait, a.lockedUntil.Sub(now))
		}
	}
	return wait
}

// fail records a failed attempt against every key and returns how long the
// caller is now locked out, or zero.
func (l *limiter) fail(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.m) >= limiterPruneAt {
		l.prune(now)
	}
	var wait time.Duration
	for _, k := range keys {
		a := l.m[k]
		if a == nil || now.Sub(a.first) > loginFailureWindow || (!a.lockedUntil.IsZero() && !now.Before(a.lockedUntil)) {
			a = &attempts{first: now}
			l.m[k] = a
		}
		a.failures++
		if a.failures >= maxLoginFailures && a.lockedUntil.IsZero() {
			a.lockedUntil = now.Add(loginLockout)
		}
		if now.Before(a.lockedUntil) {
			wait = max(wait, a.lockedUntil.Sub(now))
		}
	}
	return wait
}

// reset forgets the keys' failures after a successful login.
func (l *limiter) reset(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		delete(l.m, k)
	}
}

// prune drops entries whose window and lock are both over, bounding memory
// against a client cycling through made-up user names.
func (l *limiter) prune(now time.Time) {
	for k, a := range l.m {
		if now.Sub(a.first) > loginFailureWindow && !now.Before(a.lockedUntil) {
			delete(l.m, k)
		}
	}
}
