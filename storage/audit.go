package storage

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tidwall/buntdb"
)

// auditRetention is how long audit entries are kept: a year of who did
// what covers any quarterly or annual review.
const auditRetention = 365 * 24 * time.Hour

// AuditEntry records one thing a person (or script) did in the UI.
type AuditEntry struct {
	Time   time.Time `json:"time"`
	User   string    `json:"user"`   // user name, "token:<name>", or "" before sign-in
	Action string    `json:"action"` // e.g. "login", "login_failed", "finding_acknowledged", "device_edited"
	Target string    `json:"target,omitempty"`
	Detail string    `json:"detail,omitempty"`
	Client string    `json:"client,omitempty"` // the client's address
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
		return 1, err
	})
	if err != nil {
		return fmt.Errorf("storage: audit %s: %w", e.Action, err)
	}
	return nil
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
