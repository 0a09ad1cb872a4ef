package notify

import (
	"context"
	"time"
)

// Watch runs the deliveries and, every `every` (at least a second),
// compares the problems active now with what the outlets were told (Update),
// until ctx ends; cancellation is not an error.
func (d *Dispatcher) Watch(ctx context.Context, every time.Duration, active func(now time.Time) ([]Problem, error)) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(ctx)
	}()
	t := time.NewTicker(max(every, time.Second))
	defer t.Stop()
	for {
		ps, err := active(d.cfg.Now())
		if err == nil {
			err = d.Update(ps)
		}
		if err != nil {
			d.log.Error("compare problems for notification", "err", err)
		}
		select {
		case <-ctx.Done():
			<-done
			return nil
		case <-t.C:
		}
	}
}
