package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tidwall/buntdb"
	"github.com/tidwall/gjson"

	"tend/internal/lazyre"
)

// validUserName keeps names safe inside keys, logs and URLs.
var validUserName = &lazyre.Regexp{Expr: `^[a-zA-Z0-9._-]{1,64}$`}

// ValidateUserName reports why name cannot be a user name, or nil. Names are
// 1 to 64 characters of letters, digits, '.', '_' and '-', so they need no
// escaping in storage keys, log lines or URLs.
func ValidateUserName(name string) error {
	if !validUserName.MatchString(name) {
		return fmt.Errorf("storage: invalid user name %q: use 1-64 characters of a-z, A-Z, 0-9, '.', '_' or '-'", name)
	}
	return nil
}

// Roles on the box, from most to least allowed. An admin manages users,
// API tokens, settings and outlets; a technician works the actions
// (acknowledge, snooze, resolve), edits device labels and roles and starts
// scans; read-only looks. A user stored before roles existed is an admin
// (every user could do everything then).
const (
	RoleAdmin      = "admin"
	RoleTechnician = "technician"
	RoleReadOnly   = "read-only"
)

// ErrLastAdmin refuses removing or demoting the last admin, so the box
// always has someone who can manage it.
var ErrLastAdmin = errors.New("storage: the last admin cannot be removed or demoted")

// ValidRole reports whether r is one of the roles.
func ValidRole(r string) bool {
	return r == RoleAdmin || r == RoleTechnician || r == RoleReadOnly
}

// RoleAllows reports whether role may do what needs: admin ⊇ technician ⊇
// read-only. An unknown role allows nothing beyond read-only.
func RoleAllows(role, need string) bool {
	rank := func(r string) int {
		switch r {
		case RoleAdmin:
			return 2
		case RoleTechnician:
			return 1
		}
		return 0
	}
	return rank(role) >= rank(need)
}

// User is someone allowed to sign in to the web UI. The password hash never
// leaves the process in JSON: only storage persists it.
type User struct {
	Name         string    `json:"name"`
	PasswordHash string    `json:"-"` // bcrypt, as produced by webui.HashPassword
	Created      time.Time `json:"created"`
	Role         string    `json:"role"` // RoleAdmin, RoleTechnician or RoleReadOnly; "" on input means admin
}

// userRecord is the stored form of a User, hash included.
type userRecord struct {
	Name         string    `json:"name"`
	PasswordHash string    `json:"password_hash"`
	Created      time.Time `json:"created"`
	Role         string    `json:"role,omitempty"`
}

// fromRecord is the User of a stored record; records from before roles are
// admins.
func fromRecord(r userRecord) User {
	if r.Role == "" {
		r.Role = RoleAdmin
	}
	return User(r)
}

// countAdmins counts the admins in tx, except the one named skip.
func countAdmins(tx *buntdb.Tx, skip string) int {
	n := 0
	_ = tx.AscendKeys(prefixUser+"*", func(_, val string) bool {
		var r userRecord
		if json.Unmarshal([]byte(val), &r) == nil && r.Name != skip && (r.Role == "" || r.Role == RoleAdmin) {
			n++
		}
		return true
	})
	return n
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
	if u.Role == "" {
		u.Role = RoleAdmin
	}
	if !ValidRole(u.Role) {
		return fmt.Errorf("storage: put user %s: unknown role %q: say %s, %s or %s", u.Name, u.Role, RoleAdmin, RoleTechnician, RoleReadOnly)
	}
	b, err := json.Marshal(userRecord(u))
	if err != nil {
		return fmt.Errorf("storage: encode user %s: %w", u.Name, err)
	}
	err = s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		old, gerr := tx.Get(userKey(u.Name))
		wasAdmin := gerr == nil && (gjson.Get(old, "role").String() == "" || gjson.Get(old, "role").String() == RoleAdmin)
		if wasAdmin && u.Role != RoleAdmin && countAdmins(tx, u.Name) == 0 {
			return 0, ErrLastAdmin
		}
		n := 1
		if gerr == nil && gjson.Get(old, "password_hash").String() != u.PasswordHash {
			// A new password ends every session the old one started.
			k, err := deleteSessionsOf(tx, u.Name, "")
			if err != nil {
				return 0, err
			}
			n += k
		}
		_, _, err := tx.Set(userKey(u.Name), string(b), nil)
		return n, err
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
	return fromRecord(r), nil
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
			out = append(out, fromRecord(r))
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
// they hold, so a removed engineer is signed out at once. The last admin
// cannot be removed (ErrLastAdmin).
func (s *Store) DeleteUser(name string) error {
	if ValidateUserName(name) != nil {
		return fmt.Errorf("storage: delete user %q: %w", name, ErrNotFound)
	}
	err := s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		val, err := tx.Get(userKey(name))
		if err != nil {
			return 0, err
		}
		if r := gjson.Get(val, "role").String(); (r == "" || r == RoleAdmin) && countAdmins(tx, name) == 0 {
			return 0, ErrLastAdmin
		}
		if _, err := tx.Delete(userKey(name)); err != nil {
			return 0, err
		}
		n, err := deleteSessionsOf(tx, name, "")
		return 1 + n, err
	})
	if errors.Is(err, buntdb.ErrNotFound) {
		return fmt.Errorf("storage: delete user %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("storage: delete user %s: %w", name, err)
	}
	return nil
}
