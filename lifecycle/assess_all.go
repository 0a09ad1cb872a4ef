package lifecycle

import (
	"runtime"
	"sync"
	"sync/atomic"

	"tend/inventory"
)

// AssessAll is Assess for every device of devs, spread over the machine's
// cores: `tend scan` judges its whole LAN after the sweep, and on a busy
// box two threads get twice the CPU share one gets.
func (j *Current) AssessAll(devs []inventory.Device) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(devs)) {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(devs)); i = next.Add(1) - 1 {
				j.Assess(&devs[i])
			}
		})
	}
	wg.Wait()
}
