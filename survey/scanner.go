package survey

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"tend/discovery"
	"tend/inventory"
)

// Scanner runs a survey on a jittered interval, or at once when asked
// (the UI's "scan now"), and hands each pass's observations to Apply in
// one batch.
type Scanner struct {
	Survey   *Survey
	Interval time.Duration // mean time between passes (jittered by discovery.DefaultJitter)
	// Apply stores a pass's observations and says how many devices changed.
	Apply func(obs ...inventory.Observation) (int, error)
	// Swept, when set, runs after each pass is stored.
	Swept func()
	Log   *slog.Logger

	trigger chan struct{}
	once    sync.Once
}

func (s *Scanner) init() { s.once.Do(func() { s.trigger = make(chan struct{}, 1) }) }

// ScanNow asks for a pass without waiting for it; a request while one is
// already queued is merged with it.
func (s *Scanner) ScanNow(context.Context) error {
	s.init()
	select {
	case s.trigger <- struct{}{}:
	default:
	}
	return nil
}

// Run surveys until ctx ends; cancellation is not an error.
func (s *Scanner) Run(ctx context.Context) error {
	s.init()
	discovery.Periodic{Every: s.Interval}.Loop(ctx, s.trigger, func() bool { s.pass(ctx); return true })
	return nil
}

func (s *Scanner) pass(ctx context.Context) {
	var (
		mu    sync.Mutex
		batch []inventory.Observation
	)
	res, err := s.Survey.Run(ctx, func(o inventory.Observation) {
		mu.Lock()
		batch = append(batch, o)
		mu.Unlock()
	})
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		s.Log.Error("sweep failed", "err", err)
		return
	}
	changed, err := s.Apply(batch...)
	if err != nil {
		s.Log.Error("store observations", "err", err)
		return
	}
	s.Log.Info("sweep done", "hosts", res.Sweep.Hosts, "snmp", res.SNMP, "changed", changed, "arp_sent", res.Sweep.Sent, "seconds", res.Duration.Seconds())
	if s.Swept != nil {
		s.Swept()
	}
}
