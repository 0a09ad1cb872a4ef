package webkit

import (
	"sync"
	"time"
)

// Login throttling: after MaxLoginFailures failed attempts within
// LoginFailureWindow from one client address or against one user name, that
// key is locked for LoginLockout. Per address stops one laptop guessing many
// names; per name stops many addresses guessing one password. Locked keys are
// refused before bcrypt runs, so a flood costs no CPU.
const (
	MaxLoginFailures   = 5
	LoginFailureWindow = 15 * time.Minute
	LoginLockout       = time.Minute
	limiterPruneAt     = 4096 // entries before stale ones are swept
)

type attempts struct {
	failures    int
	first       time.Time // start of the current failure window
	lockedUntil time.Time
}

// Limiter counts failed logins per key ("ip:…", "user:…").
type Limiter struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*attempts
}

// NewLimiter returns an empty limiter on the clock now.
func NewLimiter(now func() time.Time) *Limiter {
	return &Limiter{now: now, m: make(map[string]*attempts)}
}

// Locked returns how long the most locked of keys stays locked, or zero.
func (l *Limiter) Locked(keys ...string) time.Duration {
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

// Fail records a failed attempt against every key and returns how long the
// caller is now locked out, or zero.
func (l *Limiter) Fail(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.m) >= limiterPruneAt {
		l.prune(now)
	}
	var wait time.Duration
	for _, k := range keys {
		a := l.m[k]
		if a == nil || now.Sub(a.first) > LoginFailureWindow || (!a.lockedUntil.IsZero() && !now.Before(a.lockedUntil)) {
			a = &attempts{first: now}
			l.m[k] = a
		}
		a.failures++
		if a.failures >= MaxLoginFailures && a.lockedUntil.IsZero() {
			a.lockedUntil = now.Add(LoginLockout)
		}
		if now.Before(a.lockedUntil) {
			wait = max(wait, a.lockedUntil.Sub(now))
		}
	}
	return wait
}

// Reset forgets the keys' failures after a successful login.
func (l *Limiter) Reset(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		delete(l.m, k)
	}
}

// prune drops entries whose window and lock are both over, bounding memory
// against a client cycling through made-up user names.
func (l *Limiter) prune(now time.Time) {
	for k, a := range l.m {
		if now.Sub(a.first) > LoginFailureWindow && !now.Before(a.lockedUntil) {
			delete(l.m, k)
		}
	}
}
