package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tidwall/buntdb"
)

// APIToken lets a script read and change the UI's JSON with
// "Authorization: Bearer". Only the token's SHA-256 is stored; Name says
// whose script it is (the name shows in logs and state changes).
//
// Scope is the role the token acts with (RoleReadOnly, RoleTechnician or
// RoleAdmin). A token stored before scopes existed, or created without one,
// is read-only: a script that only reads cannot be turned into one that
// changes things by stealing its token.
type APIToken struct {
	Hash    string    `json:"hash"`
	Name    string    `json:"name"` // same rules as user names
	Created time.Time `json:"created"`
	Scope   string    `json:"scope,omitempty"`
}

// Role is the token's scope as a role; read-only when unset.
func (t APIToken) Role() string {
	if t.Scope == "" {
		return RoleReadOnly
	}
	return t.Scope
}

func tokenKey(hash string) string { return prefixToken + hash }

// PutToken stores a new API token. A name is unique: creating a token for
// a name that has one fails, so a leaked token is revoked by deleting it.
func (s *Store) PutToken(t APIToken) error {
	if err := ValidateUserName(t.Name); err != nil {
		return err
	}
	if !validTokenHash(t.Hash) {
		return errors.New("storage: put token: hash is not lower-case hex sha-256")
	}
	if t.Scope == "" {
		t.Scope = RoleReadOnly
	}
	if !ValidRole(t.Scope) {
		return fmt.Errorf("storage: put token %s: unknown scope %q: say %s, %s or %s", t.Name, t.Scope, RoleReadOnly, RoleTechnician, RoleAdmin)
	}
	b, err := json.Marshal(t)
	if err != nil {
		return fmt.Errorf("storage: encode token %s: %w", t.Name, err)
	}
	err = s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		taken := false
		_ = tx.AscendKeys(prefixToken+"*", func(_, val string) bool {
			var o APIToken
			taken = json.Unmarshal([]byte(val), &o) == nil && o.Name == t.Name
			return !taken
		})
		if taken {
			return 0, fmt.Errorf("a token named %s exists: delete it first", t.Name)
		}
		_, _, err := tx.Set(tokenKey(t.Hash), string(b), nil)
		return 1, err
	})
	if err != nil {
		return fmt.Errorf("storage: put token %s: %w", t.Name, err)
	}
	return nil
}

// Token returns the token with this hash, or ErrNotFound.
func (s *Store) Token(hash string) (APIToken, error) {
	var t APIToken
	if !validTokenHash(hash) {
		return t, fmt.Errorf("storage: token: %w", ErrNotFound)
	}
	err := s.db.View(func(tx *buntdb.Tx) error {
		val, err := tx.Get(tokenKey(hash))
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(val), &t)
	})
	if errors.Is(err, buntdb.ErrNotFound) {
		return APIToken{}, fmt.Errorf("storage: token: %w", ErrNotFound)
	}
	if err != nil {
		return APIToken{}, fmt.Errorf("storage: read token: %w", err)
	}
	return t, nil
}

// Tokens lists the API tokens by name (hashes included: they are not
// secrets, but callers show only names).
func (s *Store) Tokens() ([]APIToken, error) {
	var out []APIToken
	err := s.db.View(func(tx *buntdb.Tx) error {
		var derr error
		err := tx.AscendKeys(prefixToken+"*", func(key, val string) bool {
			var t APIToken
			if derr = json.Unmarshal([]byte(val), &t); derr != nil {
				derr = fmt.Errorf("decode %s: %w", key, derr)
				return false
			}
			out = append(out, t)
			return true
		})
		if err != nil {
			return err
		}
		return derr
	})
	if err != nil {
		return nil, fmt.Errorf("storage: list tokens: %w", err)
	}
	slices.SortFunc(out, func(a, b APIToken) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// DeleteToken revokes the named token; ErrNotFound if there is none.
func (s *Store) DeleteToken(name string) error {
	err := s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		var key string
		_ = tx.AscendKeys(prefixToken+"*", func(k, val string) bool {
			var t APIToken
			if json.Unmarshal([]byte(val), &t) == nil && t.Name == name {
				key = k
				return false
			}
			return true
		})
		if key == "" {
			return 0, ErrNotFound
		}
		_, err := tx.Delete(key)
		return 1, err
	})
	if err != nil {
		return fmt.Errorf("storage: delete token %s: %w", name, err)
	}
	return nil
}
