package webkit

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// The attack: 50 wrong passwords sent at once. The old limiter asked
// "locked?" first and counted failures only after bcrypt, so all 50 were
// checked. Now each is counted when admitted and only a few run at once.
func TestLimiterConcurrentGuesses(t *testing.T) {
	c := newClock()
	l := NewLimiter(c.Now)
	const guesses = 50
	var (
		wg       sync.WaitGroup
		tried    sync.WaitGroup // every guess has asked before any finishes
		mu       sync.Mutex
		admitted []*Attempt
	)
	tried.Add(guesses)
	for range guesses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, _ := l.Admit("198.51.100.7", "alice")
			tried.Done()
			if a != nil {
				mu.Lock()
				admitted = append(admitted, a)
				mu.Unlock()
			}
		}()
	}
	tried.Wait()
	wg.Wait()
	if len(admitted) > MaxConcurrentChecks {
		t.Errorf("%d of %d concurrent guesses reached the password check, want at most %d", len(admitted), guesses, MaxConcurrentChecks)
	}
	for _, a := range admitted {
		a.Done(false)
	}

	// Now the same 50 as fast as the checks finish: at most the pair's
	// free failures are checked before backoff refuses the rest.
	c2 := newClock()
	l2 := NewLimiter(c2.Now)
	checked := 0
	for range guesses {
		if a, wait := l2.Admit("198.51.100.7", "alice"); a != nil {
			checked++
			a.Done(false)
		} else if wait <= 0 {
			t.Fatal("refused with no wait")
		}
	}
	if checked != PairFreeFailures {
		t.Errorf("%d sequential guesses checked, want %d", checked, PairFreeFailures)
	}
	if n, r := l2.Checked(); n != PairFreeFailures || r != guesses-PairFreeFailures {
		t.Errorf("Checked() = %d, %d", n, r)
	}
}

// The attack: a stranger on the LAN guesses alice's password until she is
// locked out. The lock holds the stranger's address only.
func TestLimiterAttackerDoesNotLockOutUser(t *testing.T) {
	c := newClock()
	l := NewLimiter(c.Now)
	for range 200 {
		if a, _ := l.Admit("203.0.113.66", "alice"); a != nil {
			a.Done(false)
		}
		c.Advance(100 * time.Millisecond)
	}
	if a, _ := l.Admit("203.0.113.66", "alice"); a != nil {
		t.Fatal("the attacker is still admitted after 200 guesses in 20 s")
	}
	a, wait := l.Admit("192.0.2.10", "alice")
	if a == nil {
		t.Fatalf("alice from her own address refused for %v", wait)
	}
	a.Done(true)
	// And the attacker's other guesses, against other names, are limited
	// across users too.
	c2 := newClock()
	l2 := NewLimiter(c2.Now)
	checked := 0
	for i := range 100 {
		if a, _ := l2.Admit("203.0.113.66", fmt.Sprintf("user%d", i)); a != nil {
			checked++
			a.Done(false)
		}
	}
	if checked != AddrFreeFailures {
		t.Errorf("one address checked %d names, want %d", checked, AddrFreeFailures)
	}
	if a, _ := l2.Admit("203.0.113.67", "user1"); a == nil {
		t.Error("another address refused")
	}
}

func TestLimiterBackoff(t *testing.T) {
	c := newClock()
	l := NewLimiter(c.Now)
	for range PairFreeFailures {
		a, _ := l.Admit("10.0.0.9", "bob")
		a.Done(false)
	}
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second} {
		a, wait := l.Admit("10.0.0.9", "bob")
		if a != nil || wait != want {
			t.Fatalf("backoff %d: admitted %v, wait %v, want %v", i, a != nil, wait, want)
		}
		c.Advance(wait)
		if a, _ = l.Admit("10.0.0.9", "bob"); a == nil {
			t.Fatalf("backoff %d: refused after waiting", i)
		}
		a.Done(false)
	}
	for range 40 {
		c.Advance(BackoffMax)
		if a, _ := l.Admit("10.0.0.9", "bob"); a != nil {
			a.Done(false)
		}
	}
	if _, wait := l.Admit("10.0.0.9", "bob"); wait != BackoffMax {
		t.Errorf("wait = %v, want the cap %v", wait, BackoffMax)
	}
	c.Advance(ForgetAfter + time.Second)
	if a, _ := l.Admit("10.0.0.9", "bob"); a == nil {
		t.Error("not forgotten after an hour")
	}
}

func TestLimiterSuccessAndCancel(t *testing.T) {
	c := newClock()
	l := NewLimiter(c.Now)
	for range 3 {
		for range PairFreeFailures - 1 {
			a, _ := l.Admit("10.0.0.9", "bob")
			a.Done(false)
		}
		a, _ := l.Admit("10.0.0.9", "bob")
		if a == nil {
			t.Fatal("refused before the free failures were used")
		}
		a.Done(true) // forgets the pair
	}
	// A storage fault is no guess.
	for range 3 * PairFreeFailures {
		a, _ := l.Admit("10.0.0.9", "carol")
		if a == nil {
			t.Fatal("cancelled attempts were counted")
		}
		a.Cancel()
	}
	// An attempt never finished frees its slot after checkTimeout.
	for range MaxConcurrentChecks {
		if a, _ := l.Admit("10.0.0.8", "dave"); a == nil {
			t.Fatal("refused")
		}
	}
	if a, wait := l.Admit("10.0.0.8", "erin"); a != nil || wait != busyWait {
		t.Fatalf("third concurrent check: admitted %v wait %v", a != nil, wait)
	}
	c.Advance(checkTimeout)
	if a, _ := l.Admit("10.0.0.8", "erin"); a == nil {
		t.Fatal("abandoned slots never freed")
	}
}

// A client cycling addresses (an IPv6 host has a /64 of them, but one /64
// is one key; a botnet has many) cannot grow the limiter without bound,
// and losing old history never refuses a fresh address.
func TestLimiterBounded(t *testing.T) {
	c := newClock()
	l := NewLimiter(c.Now)
	for i := range 5 * limiterMaxEntries {
		addr := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		a, _ := l.Admit(addr, fmt.Sprintf("name%d", i))
		if a == nil {
			t.Fatalf("fresh address %s refused", addr)
		}
		a.Done(false)
	}
	l.mu.Lock()
	n := len(l.pairs) + len(l.addrs) + len(l.checks)
	l.mu.Unlock()
	if n > 2*limiterMaxEntries {
		t.Errorf("%d entries after %d addresses, bound %d", n, 5*limiterMaxEntries, 2*limiterMaxEntries)
	}
}
