package storage

import (
	"errors"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/tidwall/buntdb"

	"tend/identity"
	"tend/inventory"
)

// ErrNotFound is returned when a device, user or session does not exist (or a
// session has expired), so callers can tell "absent" from "broken".
var ErrNotFound = errors.New("storage: not found")

// Key prefixes; see the schema in doc.go.
const (
	prefixDevice  = "device:"
	prefixUser    = "user:"
	prefixSession = "session:"
	prefixSetup   = "setup:"
	prefixFinding = "finding:"
	prefixOutbox  = "outbox:"
	prefixHub     = "hub:"

	keyUpstreamState = "upstream:state"
	prefixToken      = "token:"
	prefixAudit      = "audit:"

	indexDevicesByIP = "devices_by_ip"
)

// defaultLastSeenResolution is how far last_seen may lag behind the newest
// sighting before Apply writes it anyway. A minute is finer than anything the
// UI shows ("3 min ago") and turns a busy ARP table's stream of sightings into
// at most one write per device per minute.
const defaultLastSeenResolution = time.Minute

// Config tunes a Store. The zero value is the production default.
type Config struct {
	// LastSeenResolution is how much last_seen must advance before a sighting
	// that changes nothing else is written. Zero means one minute.
	LastSeenResolution time.Duration

	// Now is the clock used for session expiry. Nil means time.Now.
	Now func() time.Time

	// Limits bound the device records sightings may create (a cap, and a
	// rate for passive sightings); the zero value is identity's default.
	Limits identity.Limits
	// SyncEveryCommit fsyncs each commit before it returns (buntdb's
	// Always), for a caller that acknowledges writes to someone who then
	// forgets them: the hub answers a box only once its summary is on disk.
	// The box leaves it off (see open) to spare its flash.
	SyncEveryCommit bool
	// KeepFolded keeps the device each Apply wrote, decoded, so that the
	// next Apply touching it takes it as is instead of decoding the JSON
	// it wrote (a replay spent 7 % of its time decoding, issue 14). For
	// the short-lived store of replay, whose sightings carry capture
	// timestamps: a kept device's times still hold the monotonic clock
	// reading of a time.Now sighting, which a decoded one would not, and it
	// holds every device (about 2 kB each) beside its record.
	KeepFolded bool
	// DeferWrites keeps the devices Apply writes decoded until
	// WriteDeferred sets them (deferred.go): for replay's store, which
	// nothing reads before the end and every batch rewrites.
	DeferWrites bool
}

// Stats counts what the store did since Open, so the UI and tests can show
// that coalescing works.
type Stats struct {
	Observations uint64 `json:"observations"` // observations passed to Apply
	Writes       uint64 `json:"writes"`       // records set or deleted by any method: each appends to the file
	Coalesced    uint64 `json:"coalesced"`    // device updates Apply decided not to write
	Refused      uint64 `json:"refused"`      // new devices Apply refused: past the cap, or passive ones past the rate (Config.Limits)
	Expired      uint64 `json:"expired"`      // passive-only devices ExpirePassive deleted
	// MergerDropped counts the names, DHCP client identifiers and MAC links
	// the device merger let go at its cap (identity.Fuser.Dropped: a long
	// forged-MAC flood).
	MergerDropped uint64 `json:"merger_dropped"`
}

// Store is tend's database. It is safe for concurrent use.
type Store struct {
	db  *buntdb.DB
	cfg Config

	decoded decoded   // DevicesShared's decodings
	stats   statFiles // host rollups, beside the database (stats.go)

	fuser        *identity.Fuser // which device an observation is about; learns the stored devices at Open
	admit        *identity.Admitter
	rules        *identity.RuleCache // the fold's rule matches per text (ClassifyHints.Rules)
	devices      atomic.Int64        // device records stored
	refused      atomic.Uint64
	expired      atomic.Uint64
	registryOnce sync.Once
	reg          *identity.Registry // the MAC registry, decoded on first use (nil if it cannot be)
	hints        atomic.Pointer[identity.ClassifyHints]
	// classified holds, by device key, a hash of each record Apply wrote,
	// classified with the hints classifiedFor: a later batch that loads
	// the same bytes folds it without classifying it again first
	// (identity.FoldClassified), as the batch that wrote it would have.
	// Apply's transactions are serial (buntdb's write lock), and so is
	// every use of these.
	classified    map[string]uint64
	classifiedFor *identity.ClassifyHints
	recordSeed    maphash.Seed
	// folded holds, by device key, the device Apply last wrote there and
	// the record it wrote (Config.KeepFolded; nil otherwise), under the
	// same serial use as classified.
	folded map[string]foldedDevice
	// deferred holds, by device key, the devices Apply wrote but has not
	// set yet (Config.DeferWrites; nil otherwise), under the same serial
	// use as classified.
	deferred map[string]inventory.Device
	// scratch is Apply's working memory, reused from one transaction to
	// the next under the same serial use as classified (applyScratch).
	scratch applyScratch

	observations atomic.Uint64
	writes       atomic.Uint64
	coalesced    atomic.Uint64
	eventSeq     atomic.Uint64 // tells apart events stored in the same nanosecond
	lock         *os.File      // the database's lock file; nil in memory
	path         string        // the database file, for updateSynced's fsync
	recovered    *Recovery     // what this Open repaired, or nil
}

// SetClassifyHints tells the fold what the wiring knows of the LAN (its
// default gateways), for the devices classified from now on: the default
// gateway is a router or firewall even when it answers nothing.
func (s *Store) SetClassifyHints(h identity.ClassifyHints) { s.hints.Store(&h) }

// Open opens (or creates) the database at path; ":memory:" keeps everything
// in memory, for tests. Indexes are created on every Open because buntdb does
// not persist them.
func Open(path string, cfg Config) (*Store, error) {
	if cfg.LastSeenResolution <= 0 {
		cfg.LastSeenResolution = defaultLastSeenResolution
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	var lock *os.File
	var rec *Recovery // a repair of a damaged file (recover.go)
	created := false
	if path != ":memory:" {
		var err error
		if lock, err = lockFile(path); err != nil {
			return nil, err
		}
		if rec, created, err = prepare(path, cfg.Now()); err != nil {
			lock.Close()
			return nil, err
		}
		// buntdb creates files 0666; the file holds password hashes, so
		// create it owner-only first. (buntdb's shrink recreates the file
		// with the process umask: keep the data directory 0700.)
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
		if err != nil {
			lock.Close()
			return nil, fmt.Errorf("storage: create %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			lock.Close()
			return nil, fmt.Errorf("storage: create %s: %w", path, err)
		}
	}
	st, err := open(path, cfg)
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		return nil, err
	}
	st.lock = lock
	if err := st.afterOpen(rec, created); err != nil {
		st.Close()
		return nil, err
	}
	st.recovered = rec
	if err := st.migrateHostStats(); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// ErrInUse means another process has the database open. buntdb is one
// process's file: a second writer's changes would be invisible to the
// first, which could overwrite them when it compacts the file.
var ErrInUse = errors.New("the database is in use by another process")

// lockFile takes an exclusive, non-blocking lock on path's lock file
// (path + ".lock"); the kernel releases it when the process ends.
func lockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("storage: lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("storage: open %s: %w", path, ErrInUse)
		}
		return nil, fmt.Errorf("storage: lock %s: %w", path, err)
	}
	return f, nil
}

func open(path string, cfg Config) (*Store, error) {
	db, err := buntdb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", path, err)
	}
	var bc buntdb.Config
	if err := db.ReadConfig(&bc); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("storage: read config of %s: %w", path, err)
	}
	// EverySecond, on purpose: Always would fsync on every commit and wear
	// the flash out; Never could lose minutes of changes on power loss. One
	// second of sightings is cheap to re-learn.
	bc.SyncPolicy = buntdb.EverySecond
	if cfg.SyncEveryCommit {
		bc.SyncPolicy = buntdb.Always
	}
	if err := db.SetConfig(bc); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("storage: configure %s: %w", path, err)
	}
	if err := db.CreateIndex(indexDevicesByIP, prefixDevice+"*", lessDeviceIP); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("storage: create index %s: %w", indexDevicesByIP, err)
	}
	st := &Store{db: db, cfg: cfg, path: path, stats: newStatFiles(path), fuser: identity.NewFuser(), admit: identity.NewAdmitter(cfg.Limits), rules: identity.NewRuleCache(),
		classified: map[string]uint64{}, recordSeed: maphash.MakeSeed()}
	if cfg.KeepFolded {
		st.folded = map[string]foldedDevice{}
	}
	if cfg.DeferWrites {
		st.deferred = map[string]inventory.Device{}
	}
	devs, err := st.Devices()
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	for _, d := range devs {
		st.fuser.Learn(d)
	}
	st.devices.Store(int64(len(devs)))
	return st, nil
}

// registry returns the MAC registry, decoding it on first use: a store that
// never sees an observation (the hub's) never pays for it. A registry that
// cannot be decoded (a broken build) leaves vendors empty.
func (s *Store) registry() *identity.Registry {
	s.registryOnce.Do(func() {
		s.reg, _ = identity.OpenRegistry()
	})
	return s.reg
}

// Compact rewrites the database file without its dead records (buntdb's
// shrink, which also runs on its own as the file grows).
func (s *Store) Compact() error {
	if err := s.db.Shrink(); err != nil {
		return fmt.Errorf("storage: compact: %w", err)
	}
	return nil
}

// Close flushes pending writes to disk and closes the database.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.lock != nil {
		// Unlock before the close: a child forked meanwhile (exec closes
		// the descriptor only when it runs) shares the open file the lock
		// belongs to, and a close alone left it locked until that exec: a
		// CLI run right after saw ErrInUse (cmd/tend's tests, beside
		// tests that start processes, under load).
		syscall.Flock(int(s.lock.Fd()), syscall.LOCK_UN)
		s.lock.Close()
	}
	if err != nil {
		return fmt.Errorf("storage: close: %w", err)
	}
	return nil
}

// Stats returns the counters since Open.
func (s *Store) Stats() Stats {
	return Stats{
		Observations:  s.observations.Load(),
		Writes:        s.writes.Load(),
		Coalesced:     s.coalesced.Load(),
		Refused:       s.refused.Load(),
		Expired:       s.expired.Load(),
		MergerDropped: s.fuser.Dropped(),
	}
}

// update runs fn in one write transaction and, once it has committed, counts
// the records fn reports it wrote.
func (s *Store) update(fn func(tx *buntdb.Tx) (writes int, err error)) error {
	var n int
	err := s.db.Update(func(tx *buntdb.Tx) error {
		var err error
		n, err = fn(tx)
		return err
	})
	if err == nil {
		s.writes.Add(uint64(n))
	}
	return err
}

// OpenMemory opens the in-memory store scan and replay fold into: the same
// fold as serve's, with every sighting written (no last_seen coalescing,
// since nothing wears out).
func OpenMemory() (*Store, error) {
	return Open(":memory:", Config{LastSeenResolution: time.Nanosecond})
}

// OpenReplay is OpenMemory for replay: it also keeps each folded device
// decoded (Config.KeepFolded), since every sighting of a replay is written,
// and sets the records only when WriteDeferred is called
// (Config.DeferWrites).
func OpenReplay() (*Store, error) {
	return Open(":memory:", Config{LastSeenResolution: time.Nanosecond, KeepFolded: true, DeferWrites: true})
}

// OpenDir opens the database in a data directory (DIR/tend.db), making the
// directory (private to the service) on first use. A database a running
// tend holds is refused with advice for the command line.
func OpenDir(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("--data is required: the directory where tend keeps its database")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make data dir: %w", err)
	}
	st, err := Open(filepath.Join(dir, "tend.db"), Config{})
	if errors.Is(err, ErrInUse) {
		return nil, fmt.Errorf("%s is in use by a running tend (serve or hub): add users in its web UI (Settings), "+
			"or stop it, run this, and start it again: %w", dir, err)
	}
	return st, err
}
