package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/tidwall/buntdb"
)

// validUserName keeps names safe inside keys, logs and URLs.
var validUserName = regexp.MustCompile(`^[a-zA-Z0-9._-]{1,64}$`)

// ValidateUserName reports why name cannot be a user name, or nil. Names are
// 1 to 64 characters of letters, digits, '.', '_' and '-', so they need no
// escaping in storage keys, log lines or URLs.
func ValidateUserName(name string) error {
	if !validUserName.MatchString(name) {
		return fmt.Errorf("storage: invalid user name %q: use 1-64 characters of a-z, A-Z, 0-9, '.', '_' or '-'", name)
	}
	return nil
}

// User is someone allowed to sign in to the web UI. The password hash never
// leaves the process in JSON: only storage persists it.
type User struct {
	Name         string    `json:"name"`
	PasswordHash string    `json:"-"` // bcrypt, as produced by webui.HashPassword
	Created      time.Time `json:"created"`
}

// userRecord is the stored form of a User, hash included.
type userRecord struct {
	Name         string    `json:"name"`
	PasswordHash string    `json:"password_hash"`
	Created      time.Time `json:"created"`
}

func userKey(name string) string { return prefixUser + name }

// PutUser creates the user or replaces it (a password change). The hash must
// be a bcrypt hash; storage never sees a clear password.
func (s *Store) PutUser(u User) error {
	if err := ValidateUserName(u.Name); err != nil {
		return err
	}
	if !strings.HasPrefix(u.PasswordHash, "$2") {
		return fmt.Errorf("storage: put user %s: password hash is not a bcrypt hash", u.Name)
	}
	b, err := json.Marshal(userRecord(u))
	if err != nil {
		return fmt.Errorf("storage: encode user %s: %w", u.Name, err)
	}
	err = s.update(func(tx *buntdb.Tx) (int, error) {
		_, _, err := tx.Set(userKey(u.Name), string(b), nil)
		return 1, err
	})
	if err != nil {
		return fmt.Errorf("storage: put user %s: %w", u.Name, err)
	}
	return nil
}

// User returns the named user, or ErrNotFound (also for names that could not
// exist, so a login form can pass whatever was typed).
func (s *Store) User(name string) (User, error) {
	if ValidateUserName(name) != nil {
		return User{}, fmt.Errorf("storage: user %q: %w", name, ErrNotFound)
	}
	var r userRecord
	err := s.db.View(func(tx *buntdb.Tx) error {
		val, err := tx.Get(userKey(name))
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(val), &r)
	})
	if errors.Is(err, buntdb.ErrNotFound) {
		return User{}, fmt.Errorf("storage: user %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("storage: read user %s: %w", name, err)
	}
	return User(r), nil
}

// Users returns every user ordered by name.
func (s *Store) Users() ([]User, error) {
	var out []User
	var decodeErr error
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixUser+"*", func(key, val string) bool {
			var r userRecord
			if err := json.Unmarshal([]byte(val), &r); err != nil {
				decodeErr = fmt.Errorf("decode %s: %w", key, err)
				return false
			}
			out = append(out, User(r))
			return true
		})
	})
	if err == nil {
		err = decodeErr
	}
	if err != nil {
		return nil, fmt.Errorf("storage: list users: %w", err)
	}
	return out, nil
}

// DeleteUser removes the user and, in the same transaction, every session
// they hold, so a removed engineer is signed out at once.
func (s *Store) DeleteUser(name string) error {
	if ValidateUserName(name) != nil {
		return fmt.Errorf("storage: delete user %q: %w", name, ErrNotFound)
	}
	err := s.update(func(tx *buntdb.Tx) (int, error) {
		if _, err := tx.Delete(userKey(name)); err != nil {
			return 0, err
		}
		// Collect first: buntdb forbids deleting while iterating.
		var keys []string
		err := tx.AscendKeys(prefixSession+"*", func(key, val string) bool {
			if gjsonUser(val) == name {
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
		return 1 + len(keys), nil
	})
	if errors.Is(err, buntdb.ErrNotFound) {
		return fmt.Errorf("storage: delete user %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("storage: delete user %s: %w", name, err)
	}
	return nil
}
