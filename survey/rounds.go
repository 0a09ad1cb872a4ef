package survey

import (
	"context"
	"errors"
	"sync"
	"time"

	"tend/discovery"
	"tend/inventory"
)

// Rounds is `tend scan --every D --rounds N`: it runs the survey rounds
// times, every apart (jittered as serve's scanner is), hands each
// observation to apply and each round's result to after. It stops at the
// first error of a round, apply or after, and returns them joined.
func (p *Survey) Rounds(ctx context.Context, every time.Duration, rounds int, apply func(inventory.Observation) error, after func(Result) error) error {
	var (
		round  int
		runErr error
		mu     sync.Mutex // apply runs on several goroutines
	)
	discovery.Periodic{Every: every}.Loop(ctx, nil, func() bool {
		round++
		res, err := p.Run(ctx, func(o inventory.Observation) {
			if err := apply(o); err != nil {
				mu.Lock()
				runErr = errors.Join(runErr, err)
				mu.Unlock()
			}
		})
		mu.Lock()
		defer mu.Unlock()
		if runErr = errors.Join(err, runErr); runErr == nil {
			runErr = after(res)
		}
		return runErr == nil && round < rounds
	})
	return runErr
}
