package lifecycle

import (
	"log/slog"
	"sync"
	"time"

	"tend/inventory"
)

// CurrentConfig tunes a Current; the zero value judges with the embedded
// catalog, as of time.Now.
type CurrentConfig struct {
	// Path names a newer catalog file (in serve's data directory, or scan's
	// --catalog); "" for none. It is re-read whenever it changes.
	Path string
	// VulnPath names a newer vulnerability catalog file (vulns.json.gz
	// beside the end-of-life catalog file); "" for none. Same rules: newer
	// date wins, a damaged file is logged and ignored.
	VulnPath string
	// Now is the clock verdicts are judged at; nil means time.Now.
	Now func() time.Time
	// Log receives catalog changes; nil discards them.
	Log *slog.Logger
}

// Current is the end-of-life catalog in force: the embedded one, or a newer
// file (the hub pushes them into the appliance's data directory), re-read
// whenever the file changes so a pushed update applies without a restart.
// It is safe for concurrent use.
type Current struct {
	now   func() time.Time
	cat   *overridable[*Catalog]
	vulns *overridable[*VulnCatalog]

	cmu   sync.Mutex
	cache map[string]cachedVerdict // by MAC: Rejudge's last verdict
}

// cachedVerdict is a verdict and age estimate with what they were judged
// from: the device's identity, the catalog and the day.
type cachedVerdict struct {
	id      Facts
	catalog *Catalog
	vulns   *VulnCatalog
	day     time.Time
	v       *inventory.Lifecycle
	age     *inventory.Age
	vv      *inventory.Vulnerabilities
}

// maxCached bounds the verdict cache (twice the default device cap).
const maxCached = 20000

// fileStamp tells whether a file changed since it was last read.
type fileStamp struct {
	mod  time.Time
	size int64
}

// NewCurrent opens the embedded catalog and, when cfg.Path names an
// existing file, the override (used only when it is dated after the
// embedded one). A broken override file is logged and ignored: verdicts
// from the embedded catalog beat none.
func NewCurrent(cfg CurrentConfig) (*Current, error) {
	c, err := OpenCatalog()
	if err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	vc, err := OpenVulnCatalog()
	if err != nil {
		return nil, err
	}
	log := cfg.Log.With("component", "lifecycle")
	j := &Current{now: cfg.Now,
		cat:   newOverridable("catalog", c, cfg.Path, LoadCatalog, log),
		vulns: newOverridable("vulnerability catalog", vc, cfg.VulnPath, LoadVulnCatalog, log)}
	j.Catalog()
	j.Vulns()
	return j, nil
}

// Catalog returns the end-of-life catalog to judge with, re-reading the
// override file when its size or modification time changed.
func (j *Current) Catalog() *Catalog { return j.cat.get() }

// Vulns returns the vulnerability catalog to judge with, re-reading the
// override file when its size or modification time changed.
func (j *Current) Vulns() *VulnCatalog { return j.vulns.get() }

// Assess sets d's lifecycle verdict, age estimate and known-vulnerability
// verdict as of now.
func (j *Current) Assess(d *inventory.Device) {
	now := j.now()
	j.Catalog().Assess(d, now)
	j.Vulns().AssessVulns(d, now)
}

// Rejudge sets d's verdicts and age estimate as of today and reports
// whether any changed (so a caller writes only those devices). A verdict
// is derived from the device's identity (FactsOf), the catalogs in force
// and the day; while none of them changes, the cached verdict is reused, so
// judging every device every minute costs little.
func (j *Current) Rejudge(d *inventory.Device) bool {
	c, vc, now := j.Catalog(), j.Vulns(), j.now()
	id, day := FactsOf(*d), now.Truncate(24*time.Hour)
	key := d.MAC.String()
	j.cmu.Lock()
	e, ok := j.cache[key]
	j.cmu.Unlock()
	if !ok || e.id != id || e.catalog != c || e.vulns != vc || !e.day.Equal(day) {
		v := c.Judge(id, now)
		e = cachedVerdict{id: id, catalog: c, vulns: vc, day: day, v: &v, age: c.EstimateAge(id, now)}
		if vv, ok := vc.JudgeFactsVulns(id, now); ok {
			e.vv = &vv
		}
		j.cmu.Lock()
		if j.cache == nil || len(j.cache) >= maxCached {
			j.cache = map[string]cachedVerdict{}
		}
		j.cache[key] = e
		j.cmu.Unlock()
	}
	return inventory.Merge(d, inventory.Observation{MAC: d.MAC, Lifecycle: e.v, Age: e.age, Vulnerabilities: e.vv})
}

// Forecast lists the devices whose support ends within 12 months.
func (j *Current) Forecast(devs []inventory.Device) []DeviceDue {
	return ForecastDevices(devs, j.now())
}
