package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"tend/storage"
	"tend/webkit"
)

// The hub's sign-ins live in its store (session:<token sha256 hex>, a
// webkit.Session), not in process memory: several hubs on one PostgreSQL
// share them, so a browser may reach any of them. HubStore is the
// webkit.SessionStore of the hub's pages.

var _ webkit.SessionStore = (*HubStore)(nil)

func noSession(err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("hub: session: %w", webkit.ErrNoSession)
	}
	return err
}

// PutSession stores a new session and drops the ones that have expired.
func (h *HubStore) PutSession(s webkit.Session) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("hub: encode session of %s: %w", s.User, err)
	}
	now := h.now()
	return h.db.update(func(tx kvTx) error {
		var gone []string
		err := tx.Ascend("session:", func(k, v string) bool {
			var old webkit.Session
			if json.Unmarshal([]byte(v), &old) != nil || !now.Before(old.Expires) {
				gone = append(gone, k)
			}
			return true
		})
		if err != nil {
			return err
		}
		for _, k := range gone {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return tx.Set("session:"+s.TokenHash, string(b))
	})
}

// Session returns the live session stored under tokenHash.
func (h *HubStore) Session(tokenHash string) (webkit.Session, error) {
	var s webkit.Session
	err := h.db.view(func(tx kvTx) error {
		v, err := tx.Get("session:" + tokenHash)
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(v), &s)
	})
	if err != nil {
		return webkit.Session{}, noSession(err)
	}
	if !h.now().Before(s.Expires) {
		return webkit.Session{}, fmt.Errorf("hub: session expired: %w", webkit.ErrNoSession)
	}
	s.TokenHash = tokenHash
	return s, nil
}

// DeleteSession ends one session.
func (h *HubStore) DeleteSession(tokenHash string) error {
	return h.db.update(func(tx kvTx) error {
		if _, err := tx.Get("session:" + tokenHash); err != nil {
			return noSession(err)
		}
		return tx.Delete("session:" + tokenHash)
	})
}

// TouchSession records the session's last use, for the idle timeout.
func (h *HubStore) TouchSession(tokenHash string, at time.Time) error {
	return h.db.update(func(tx kvTx) error {
		v, err := tx.Get("session:" + tokenHash)
		if err != nil {
			return noSession(err)
		}
		var s webkit.Session
		if err := json.Unmarshal([]byte(v), &s); err != nil {
			return fmt.Errorf("hub: session: %w", err)
		}
		s.LastUsed = at
		b, _ := json.Marshal(s)
		return tx.Set("session:"+tokenHash, string(b))
	})
}
