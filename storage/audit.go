package storage

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tidwall/buntdb"
)

// Audit retention: entries expire after auditRetention (a year of who did
// what covers any quarterly or annual review), and at most auditMaxEntries
// are kept: past it the oldest are dropped, so a flood of anything cannot
// fill the flash.
const (
	auditRetention  = 365 * 24 * time.Hour
	auditMaxEntries = 10000
	auditTrimEvery  = 16
)

// AuditEntry records one thing a person (or script) did in the UI.
type AuditEntry struct {
	Time   time.Time `json:"time"`
	User   string    `json:"user"`   // user name, "token:<name>", or "" before sign-in
	Action string    `json:"action"` // e.g. "login", "login_failed", "finding_acknowledged", "device_edited"
	Target string    `json:"target,omitempty"`
	Detail string    `json:"detail,omitempty"`
	Client string    `json:"client,omitempty"` // the client's address
	Count  int       `json:"count,omitempty"`  // for aggregated entries: how many times in the minute
}

// auditKey orders entries by time: zero-padded Unix nanoseconds and a
// random suffix so two entries in one nanosecond both survive.
func auditKey(t time.Time) string {
	var r [4]byte
	_, _ = rand.Read(r[:]) // crypto/rand.Read never fails (Go 1.24+)
	return fmt.Sprintf("%s%020d-%s", prefixAudit, t.UnixNano(), hex.EncodeToString(r[:]))
}

// Audit appends an entry; it expires after a year.
func (s *Store) Audit(e AuditEntry) error {
	if e.Time.IsZero() {
		e.Time = s.cfg.Now()
	}
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("storage: encode audit entry: %w", err)
	}
	err = s.update(func(tx *buntdb.Tx) (int, error) {
		_, _, err := tx.Set(auditKey(e.Time), string(b), &buntdb.SetOptions{Expires: true, TTL: auditRetention})
		if err != nil {
			return 0, err
		}
		n, err := trimAudit(tx)
		return 1 + n, err
	})
	if err != nil {
		return fmt.Errorf("storage: audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditCounted records e as one of many alike: every entry with the same
// action and client within the same minute is one record whose Count
// grows, so a flood of failed sign-ins writes one entry per address per
// minute instead of one per attempt.
func (s *Store) AuditCounted(e AuditEntry) error {
	if e.Time.IsZero() {
		e.Time = s.cfg.Now()
	}
	minute := e.Time.Truncate(time.Minute)
	sum := sha256.Sum256([]byte(e.Action + "\x00" + e.Client))
	key := fmt.Sprintf("%s%020d-%s", prefixAudit, minute.UnixNano(), hex.EncodeToString(sum[:4]))
	err := s.update(func(tx *buntdb.Tx) (int, error) {
		e.Count = 1
		if old, err := tx.Get(key); err == nil {
			var prev AuditEntry
			if json.Unmarshal([]byte(old), &prev) == nil {
				e.Count = prev.Count + 1
				e.Time = prev.Time
				if prev.User != e.User {
					e.User = ""
				}
			}
		}
		b, err := json.Marshal(e)
		if err != nil {
			return 0, err
		}
		if _, _, err := tx.Set(key, string(b), &buntdb.SetOptions{Expires: true, TTL: auditRetention}); err != nil {
			return 0, err
		}
		n, err := trimAudit(tx)
		return 1 + n, err
	})
	if err != nil {
		return fmt.Errorf("storage: audit %s: %w", e.Action, err)
	}
	return nil
}

// trimAudit drops the oldest entries beyond auditMaxEntries once they are
// over it by a tenth. Counting walks the audit keys, so only one append in
// auditTrimEvery (at random) counts: the log stays within the cap plus a
// tenth and a few, and an append costs a count only now and then.
func trimAudit(tx *buntdb.Tx) (int, error) {
	var r [1]byte
	_, _ = rand.Read(r[:]) // crypto/rand.Read never fails (Go 1.24+)
	if int(r[0])%auditTrimEvery != 0 {
		return 0, nil
	}
	n := 0
	_ = tx.AscendKeys(prefixAudit+"*", func(_, _ string) bool { n++; return true })
	if n <= auditMaxEntries+auditMaxEntries/10 {
		return 0, nil
	}
	var drop []string
	_ = tx.AscendKeys(prefixAudit+"*", func(k, _ string) bool {
		drop = append(drop, k)
		return len(drop) < n-auditMaxEntries
	})
	for _, k := range drop {
		if _, err := tx.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(drop), nil
}

// AuditLog returns up to limit entries, newest first.
func (s *Store) AuditLog(limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.db.View(func(tx *buntdb.Tx) error {
		var derr error
		err := tx.DescendKeys(prefixAudit+"*", func(key, val string) bool {
			var e AuditEntry
			if derr = json.Unmarshal([]byte(val), &e); derr != nil {
				derr = fmt.Errorf("decode %s: %w", key, derr)
				return false
			}
			out = append(out, e)
			return len(out) < limit
		})
		if err != nil {
			return err
		}
		return derr
	})
	if err != nil {
		return nil, fmt.Errorf("storage: audit log: %w", err)
	}
	return out, nil
}
