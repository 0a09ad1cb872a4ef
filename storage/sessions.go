package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/tidwall/buntdb"
	"github.com/tidwall/gjson"
)

// Session is a signed-in browser. It is stored under the SHA-256 of the
// session token, so a copy of the database does not let anyone sign in.
type Session struct {
	TokenHash string    `json:"-"` // lower-case hex SHA-256 of the cookie token; the key
	User      string    `json:"user"`
	CSRF      string    `json:"csrf"` // per-session token every POST must echo
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`          // the absolute end, whatever the use
	LastUsed  time.Time `json:"last_used"`        // for the idle timeout; see TouchSession
	Client    string    `json:"client,omitempty"` // the address that signed in
}

func sessionKey(tokenHash string) string { return prefixSession + tokenHash }

// validTokenHash reports whether h is 64 lower-case hex digits (SHA-256).
func validTokenHash(h string) bool {
	if len(h) != 64 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func gjsonUser(val string) string { return gjson.Get(val, "user").String() }

// PutSession stores a session until s.Expires; buntdb deletes it then by
// itself. The user must exist, checked in the same transaction so a session
// cannot outlive a concurrent DeleteUser.
func (s *Store) PutSession(sess Session) error {
	if !validTokenHash(sess.TokenHash) {
		return errors.New("storage: put session: token hash is not lower-case hex sha-256")
	}
	ttl := sess.Expires.Sub(s.cfg.Now())
	if ttl <= 0 {
		return fmt.Errorf("storage: put session for %s: already expired at %s", sess.User, sess.Expires.Format(time.RFC3339))
	}
	if sess.LastUsed.IsZero() {
		sess.LastUsed = sess.Created
	}
	b, err := json.Marshal(sess)
	if err != nil {
		return fmt.Errorf("storage: encode session for %s: %w", sess.User, err)
	}
	err = s.update(func(tx *buntdb.Tx) (int, error) {
		if ValidateUserName(sess.User) != nil {
			return 0, ErrNotFound
		}
		if _, err := tx.Get(userKey(sess.User)); err != nil {
			if errors.Is(err, buntdb.ErrNotFound) {
				return 0, ErrNotFound
			}
			return 0, err
		}
		_, _, err := tx.Set(sessionKey(sess.TokenHash), string(b), &buntdb.SetOptions{Expires: true, TTL: ttl})
		return 1, err
	})
	if errors.Is(err, ErrNotFound) {
		return fmt.Errorf("storage: put session: user %q: %w", sess.User, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("storage: put session for %s: %w", sess.User, err)
	}
	return nil
}

// Session returns the live session stored under tokenHash, or ErrNotFound if
// there is none or it has expired.
func (s *Store) Session(tokenHash string) (Session, error) {
	if !validTokenHash(tokenHash) {
		return Session{}, fmt.Errorf("storage: session: %w", ErrNotFound)
	}
	var sess Session
	err := s.db.View(func(tx *buntdb.Tx) error {
		val, err := tx.Get(sessionKey(tokenHash))
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(val), &sess)
	})
	if errors.Is(err, buntdb.ErrNotFound) {
		return Session{}, fmt.Errorf("storage: session: %w", ErrNotFound)
	}
	if err != nil {
		return Session{}, fmt.Errorf("storage: read session: %w", err)
	}
	// buntdb expires by the wall clock; this honours an injected one too.
	if !s.cfg.Now().Before(sess.Expires) {
		return Session{}, fmt.Errorf("storage: session: expired: %w", ErrNotFound)
	}
	sess.TokenHash = tokenHash
	return sess, nil
}

// DeleteSession removes a session (sign-out). Deleting a session that does
// not exist returns ErrNotFound.
func (s *Store) DeleteSession(tokenHash string) error {
	if !validTokenHash(tokenHash) {
		return fmt.Errorf("storage: delete session: %w", ErrNotFound)
	}
	err := s.update(func(tx *buntdb.Tx) (int, error) {
		_, err := tx.Delete(sessionKey(tokenHash))
		return 1, err
	})
	if errors.Is(err, buntdb.ErrNotFound) {
		return fmt.Errorf("storage: delete session: %w", ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("storage: delete session: %w", err)
	}
	return nil
}

// deleteSessionsOf deletes every session of user in tx except the one
// stored under keepHash ("" keeps none), and returns how many went.
func deleteSessionsOf(tx *buntdb.Tx, user, keepHash string) (int, error) {
	// Collect first: buntdb forbids deleting while iterating.
	var keys []string
	err := tx.AscendKeys(prefixSession+"*", func(key, val string) bool {
		if gjsonUser(val) == user && key != sessionKey(keepHash) {
			keys = append(keys, key)
		}
		return true
	})
	if err != nil {
		return 0, err
	}
	for _, k := range keys {
		if _, err := tx.Delete(k); err != nil && !errors.Is(err, buntdb.ErrNotFound) {
			return 0, err
		}
	}
	return len(keys), nil
}

// DeleteSessionsOf signs user out everywhere except the session stored
// under keepHash ("" signs out that one too), and returns how many
// sessions ended.
func (s *Store) DeleteSessionsOf(user, keepHash string) (int, error) {
	var n int
	err := s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		var err error
		n, err = deleteSessionsOf(tx, user, keepHash)
		return n, err
	})
	if err != nil {
		return 0, fmt.Errorf("storage: end sessions of %s: %w", user, err)
	}
	return n, nil
}

// SessionsOf returns user's live sessions, newest first, with their token
// hashes (the key, not the token) so the caller can mark the current one.
func (s *Store) SessionsOf(user string) ([]Session, error) {
	var out []Session
	now := s.cfg.Now()
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixSession+"*", func(key, val string) bool {
			if gjsonUser(val) != user {
				return true
			}
			var sess Session
			if json.Unmarshal([]byte(val), &sess) != nil || !now.Before(sess.Expires) {
				return true
			}
			sess.TokenHash = key[len(prefixSession):]
			out = append(out, sess)
			return true
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: sessions of %s: %w", user, err)
	}
	slices.SortFunc(out, func(a, b Session) int { return b.Created.Compare(a.Created) })
	return out, nil
}

// TouchSession records that the session was used at, for the idle timeout.
// Callers touch at most once a minute per session: each touch is a write.
func (s *Store) TouchSession(tokenHash string, at time.Time) error {
	if !validTokenHash(tokenHash) {
		return fmt.Errorf("storage: touch session: %w", ErrNotFound)
	}
	err := s.update(func(tx *buntdb.Tx) (int, error) {
		val, err := tx.Get(sessionKey(tokenHash))
		if err != nil {
			return 0, err
		}
		var sess Session
		if err := json.Unmarshal([]byte(val), &sess); err != nil {
			return 0, err
		}
		sess.LastUsed = at
		ttl := sess.Expires.Sub(s.cfg.Now())
		if ttl <= 0 {
			return 0, buntdb.ErrNotFound
		}
		b, err := json.Marshal(sess)
		if err != nil {
			return 0, err
		}
		_, _, err = tx.Set(sessionKey(tokenHash), string(b), &buntdb.SetOptions{Expires: true, TTL: ttl})
		return 1, err
	})
	if errors.Is(err, buntdb.ErrNotFound) {
		return fmt.Errorf("storage: touch session: %w", ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("storage: touch session: %w", err)
	}
	return nil
}
