package lifecycle

import (
	"log/slog"
	"sync"
	"time"

	"tend/internal/follow"
	"tend/inventory"
)

// CurrentConfig tunes a Current; the zero value judges with the embedded
// catalog, as of time.Now.
type CurrentConfig struct {
	// Path names a newer catalog file (in serve's data directory, or scan's
	// --catalog); "" for none. It is re-read whenever it changes.
	Path string
	// VulnPath names a newer vulnerability catalog file (vulns.json.gz,
	// beside the end-of-life catalog file: the chunked form the generator
	// writes, or JSON bzip2, gzip or plain, whatever the name says; see
	// LoadVulnCatalog); "" for none. Same rules: newer date wins, a
	// damaged file is logged and ignored.
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
	cat   *follow.File // of *Catalog
	vulns *follow.File // of *VulnCatalog

	cmu   sync.Mutex
	cache map[string]cachedVerdict // by MAC's bytes: Rejudge's last verdict
}

// cachedVerdict is a verdict and age estimate with what they were judged
// from: a hash of the device's identity (not the identity itself, which
// would keep every device's strings alive), the catalogs and the day.
type cachedVerdict struct {
	id      uint64 // factsHash of the identity
	catalog *Catalog
	vulns   *VulnCatalog
	day     int64 // Unix seconds of the day's start
	v       *inventory.Lifecycle
	age     *inventory.Age
	vv      *inventory.Vulnerabilities
}

// factsHash hashes every field of id (FNV-1a, 64 bits), times by their
// instant, so a cached verdict is reused only for the same identity.
func factsHash(id Facts) uint64 {
	h := uint64(14695981039346656037)
	add := func(b byte) { h = (h ^ uint64(b)) * 1099511628211 }
	for _, s := range [...]string{id.Vendor, id.Make, id.Model, id.OS, id.Firmware, id.Serial, id.SysDescr, id.SysObjectID} {
		for i := 0; i < len(s); i++ {
			add(s[i])
		}
		add(0)
	}
	for _, t := range [...]time.Time{id.MfgDate, id.FirstSeen, id.RunningSince, id.PurchaseDate} {
		var n uint64
		if !t.IsZero() {
			add(1)
			n = uint64(t.UnixNano())
		}
		for i := range 8 {
			add(byte(n >> (8 * i)))
		}
	}
	return h
}

// maxCached bounds the verdict cache (twice the default device cap).
const maxCached = 20000

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
		cat: follow.New(follow.Config{What: "catalog", Path: cfg.Path, Builtin: c, Log: log,
			Load: func(p string) (any, error) { return LoadCatalog(p) }, Date: func(c any) time.Time { return c.(*Catalog).Date() }}),
		vulns: follow.New(follow.Config{What: "vulnerability catalog", Path: cfg.VulnPath, Builtin: vc, Log: log,
			Load: func(p string) (any, error) { return LoadVulnCatalog(p) }, Date: func(c any) time.Time { return c.(*VulnCatalog).Date() }})}
	j.Catalog()
	j.Vulns()
	return j, nil
}

// Catalog returns the end-of-life catalog to judge with, re-reading the
// override file when its size or modification time changed.
func (j *Current) Catalog() *Catalog { return j.cat.Get().(*Catalog) }

// Vulns returns the vulnerability catalog to judge with, re-reading the
// override file when its size or modification time changed.
func (j *Current) Vulns() *VulnCatalog { return j.vulns.Get().(*VulnCatalog) }

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
	id, day := FactsOf(*d), now.Truncate(24*time.Hour).Unix()
	h := factsHash(id)
	j.cmu.Lock()
	e, ok := j.cache[string(d.MAC)]
	j.cmu.Unlock()
	if !ok || e.id != h || e.catalog != c || e.vulns != vc || e.day != day {
		v := c.Judge(id, now)
		e = cachedVerdict{id: h, catalog: c, vulns: vc, day: day, v: &v, age: c.EstimateAge(id, now)}
		if vv, ok := vc.JudgeFactsVulns(id, now); ok {
			e.vv = &vv
		}
		j.cmu.Lock()
		if j.cache == nil || len(j.cache) >= maxCached {
			j.cache = map[string]cachedVerdict{}
		}
		j.cache[string(d.MAC)] = e
		j.cmu.Unlock()
	}
	return inventory.Merge(d, inventory.Observation{MAC: d.MAC, Lifecycle: e.v, Age: e.age, Vulnerabilities: e.vv})
}

// Forecast lists the devices whose support ends within 12 months.
func (j *Current) Forecast(devs []inventory.Device) []DeviceDue {
	return ForecastDevices(devs, j.now())
}
