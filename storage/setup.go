package storage

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tidwall/buntdb"
)

// keySetupCode holds the one-time first-run setup code; there is at most one.
const keySetupCode = prefixSetup + "code"

// Errors of the first-run setup, so the UI can tell the person what to do.
var (
	// ErrSetupDone means a user exists: first-run setup is over for good.
	ErrSetupDone = errors.New("storage: setup already done: a user exists")
	// ErrSetupCodeWrong means the code given is not the stored one, or
	// there is no live code (none was made, it expired or was used).
	ErrSetupCodeWrong = errors.New("storage: setup code wrong or expired")
)

// SetupCode is the one-time code that lets whoever can read the box's
// console create the first admin account. Only the code's hash is stored,
// so a copy of the database does not reveal it.
type SetupCode struct {
	Hash    string    `json:"hash"` // lower-case hex SHA-256 of the normalised code
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// PutSetupCode stores c in place of any earlier code, until c.Expires
// (buntdb deletes it then by itself). It refuses once a user exists.
func (s *Store) PutSetupCode(c SetupCode) error {
	if !validTokenHash(c.Hash) {
		return errors.New("storage: put setup code: hash is not lower-case hex sha-256")
	}
	ttl := c.Expires.Sub(s.cfg.Now())
	if ttl <= 0 {
		return fmt.Errorf("storage: put setup code: already expired at %s", c.Expires.Format(time.RFC3339))
	}
	b, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("storage: encode setup code: %w", err)
	}
	err = s.update(func(tx *buntdb.Tx) (int, error) {
		if hasUsers(tx) {
			return 0, ErrSetupDone
		}
		_, _, err := tx.Set(keySetupCode, string(b), &buntdb.SetOptions{Expires: true, TTL: ttl})
		return 1, err
	})
	if err != nil {
		return fmt.Errorf("storage: put setup code: %w", err)
	}
	return nil
}

// SetupCode returns the live setup code, or ErrNotFound if there is none or
// it has expired.
func (s *Store) SetupCode() (SetupCode, error) {
	var c SetupCode
	err := s.db.View(func(tx *buntdb.Tx) error {
		var err error
		c, err = liveSetupCode(tx, s.cfg.Now())
		return err
	})
	if err != nil {
		return SetupCode{}, fmt.Errorf("storage: setup code: %w", err)
	}
	return c, nil
}

// DeleteSetupCode removes the setup code, if any.
func (s *Store) DeleteSetupCode() error {
	err := s.update(func(tx *buntdb.Tx) (int, error) {
		_, err := tx.Delete(keySetupCode)
		return 1, err
	})
	if err != nil && !errors.Is(err, buntdb.ErrNotFound) {
		return fmt.Errorf("storage: delete setup code: %w", err)
	}
	return nil
}

// HasUsers reports whether any user exists, which ends first-run setup.
func (s *Store) HasUsers() (bool, error) {
	var has bool
	err := s.db.View(func(tx *buntdb.Tx) error {
		has = hasUsers(tx)
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("storage: has users: %w", err)
	}
	return has, nil
}

// CompleteSetup creates the first user if codeHash matches the live setup
// code and no user exists yet, and deletes the code, all in one transaction:
// two browsers racing with the same code cannot both get an account.
// It returns ErrSetupDone once a user exists and ErrSetupCodeWrong for a
// wrong, expired or used code.
func (s *Store) CompleteSetup(codeHash string, u User) error {
	if err := ValidateUserName(u.Name); err != nil {
		return err
	}
	if !strings.HasPrefix(u.PasswordHash, "$2") {
		return fmt.Errorf("storage: complete setup for %s: password hash is not a bcrypt hash", u.Name)
	}
	u.Role = RoleAdmin // the first user manages the box
	b, err := json.Marshal(userRecord(u))
	if err != nil {
		return fmt.Errorf("storage: encode user %s: %w", u.Name, err)
	}
	err = s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		if hasUsers(tx) {
			return 0, ErrSetupDone
		}
		c, err := liveSetupCode(tx, s.cfg.Now())
		if errors.Is(err, ErrNotFound) {
			return 0, ErrSetupCodeWrong
		}
		if err != nil {
			return 0, err
		}
		if subtle.ConstantTimeCompare([]byte(c.Hash), []byte(codeHash)) != 1 {
			return 0, ErrSetupCodeWrong
		}
		if _, _, err := tx.Set(userKey(u.Name), string(b), nil); err != nil {
			return 0, err
		}
		if _, err := tx.Delete(keySetupCode); err != nil {
			return 0, err
		}
		return 2, nil
	})
	if err != nil {
		return fmt.Errorf("storage: complete setup for %s: %w", u.Name, err)
	}
	return nil
}

func hasUsers(tx *buntdb.Tx) bool {
	found := false
	_ = tx.AscendKeys(prefixUser+"*", func(string, string) bool {
		found = true
		return false
	})
	return found
}

// liveSetupCode reads the stored code; buntdb expires by the wall clock, and
// this honours an injected one too.
func liveSetupCode(tx *buntdb.Tx, now time.Time) (SetupCode, error) {
	val, err := tx.Get(keySetupCode)
	if errors.Is(err, buntdb.ErrNotFound) {
		return SetupCode{}, ErrNotFound
	}
	if err != nil {
		return SetupCode{}, err
	}
	var c SetupCode
	if err := json.Unmarshal([]byte(val), &c); err != nil {
		return SetupCode{}, fmt.Errorf("decode %s: %w", keySetupCode, err)
	}
	if !now.Before(c.Expires) {
		return SetupCode{}, ErrNotFound
	}
	return c, nil
}
