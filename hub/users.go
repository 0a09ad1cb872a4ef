package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"tend/storage"
)

// Hub users live in the hub's store (user:<name>, hubUser), beside their
// roles (role:<name>) and sessions, so every hub process on one database
// signs in the same people. Users of a hub from before kept them in its
// process's own embedded store: ImportUsers copies them once.

type hubUser struct {
	Name         string    `json:"name"`
	PasswordHash string    `json:"password_hash"` // bcrypt
	Created      time.Time `json:"created"`
}

// UserInfo is a hub user as listed: no password hash.
type UserInfo struct {
	Name    string    `json:"name"`
	Role    string    `json:"role"`
	Site    string    `json:"site,omitempty"` // a client viewer's
	Created time.Time `json:"created"`
}

// ErrLastAdmin refuses deleting the hub's last admin.
var ErrLastAdmin = errors.New("hub: not the last admin")

// PutUser creates user with the bcrypt hash of a password, or gives an
// existing user a new one (which ends the sessions of the old: the
// session stamp is made from the hash).
func (h *HubStore) PutUser(name, hash string) error {
	if err := storage.ValidateUserName(name); err != nil {
		return err
	}
	if !strings.HasPrefix(hash, "$2") {
		return fmt.Errorf("hub: user %s: not a bcrypt hash", name)
	}
	return h.db.update(func(tx kvTx) error {
		u := hubUser{Name: name, PasswordHash: hash, Created: h.now().UTC()}
		if v, err := tx.Get("user:" + name); err == nil {
			var old hubUser
			if json.Unmarshal([]byte(v), &old) == nil && !old.Created.IsZero() {
				u.Created = old.Created
			}
		}
		b, _ := json.Marshal(u)
		return tx.Set("user:"+name, string(b))
	})
}

// UserHash is a user's password hash, or storage.ErrNotFound.
func (h *HubStore) UserHash(name string) (string, error) {
	if storage.ValidateUserName(name) != nil {
		return "", fmt.Errorf("hub: user %q: %w", name, storage.ErrNotFound)
	}
	var u hubUser
	err := h.db.view(func(tx kvTx) error {
		v, err := tx.Get("user:" + name)
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(v), &u)
	})
	return u.PasswordHash, err
}

// Users lists the hub's users by name, with their roles.
func (h *HubStore) Users() ([]UserInfo, error) {
	var out []UserInfo
	err := h.db.view(func(tx kvTx) error {
		roles := map[string]UserRole{}
		if err := tx.Ascend("role:", func(k, v string) bool {
			var r UserRole
			if json.Unmarshal([]byte(v), &r) == nil {
				roles[strings.TrimPrefix(k, "role:")] = r
			}
			return true
		}); err != nil {
			return err
		}
		return tx.Ascend("user:", func(_, v string) bool {
			var u hubUser
			if json.Unmarshal([]byte(v), &u) == nil {
				r, ok := roles[u.Name]
				if !ok {
					r.Role = RoleAdmin
				}
				out = append(out, UserInfo{Name: u.Name, Role: r.Role, Site: r.Site, Created: u.Created})
			}
			return true
		})
	})
	return out, err
}

// DeleteUser removes a user and its role; its sessions end with it (the
// stamp no longer resolves). The last admin stays (ErrLastAdmin).
func (h *HubStore) DeleteUser(name string) error {
	admins, err := h.otherAdmins(name)
	if err != nil {
		return err
	}
	if admins == 0 {
		return ErrLastAdmin
	}
	return h.db.update(func(tx kvTx) error {
		if err := tx.Delete("user:" + name); err != nil {
			return err
		}
		return tx.Delete("role:" + name)
	})
}

// ImportUsers copies the users of a hub's own embedded store st (where
// hubs kept them before) into the hub store, once per st (a mark in st
// says it was done: a user deleted since is not brought back); a user
// already in the hub store keeps its password. It returns how many it
// copied.
func (h *HubStore) ImportUsers(st *storage.Store) (int, error) {
	local := embedded{st}
	const mark = "meta:users-imported"
	err := local.view(func(tx kvTx) error { _, err := tx.Get(mark); return err })
	if !errors.Is(err, storage.ErrNotFound) {
		return 0, err
	}
	old, err := st.Users()
	if err != nil {
		return 0, err
	}
	n := 0
	err = h.db.update(func(tx kvTx) error {
		n = 0
		for _, u := range old {
			if _, err := tx.Get("user:" + u.Name); err == nil {
				continue
			}
			b, _ := json.Marshal(hubUser{Name: u.Name, PasswordHash: u.PasswordHash, Created: u.Created})
			if err := tx.Set("user:"+u.Name, string(b)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, local.update(func(tx kvTx) error { return tx.Set(mark, h.now().UTC().Format(time.RFC3339)) })
}

// AddUser is `tend hub user add`: it creates the user (or sets its new
// password) with the password on stdin's first line and, with role, gives
// it that role.
func (h *HubStore) AddUser(name, role, site string, stdin io.Reader, stderr io.Writer) error {
	if err := storage.ValidateUserName(name); err != nil {
		return err
	}
	// The password is stdin's first line (a terminal, a pipe, or a 0600
	// file given as stdin): never an argument.
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	b, err := io.ReadAll(io.LimitReader(stdin, 4096))
	pw, _, _ := strings.Cut(string(b), "\n")
	if pw = strings.TrimSuffix(pw, "\r"); pw == "" || err != nil {
		return fmt.Errorf("hub: no password (%v)", err)
	}
	hash, err := h.hashPassword(pw)
	if err != nil {
		return fmt.Errorf("hub: %w", err)
	}
	if role != "" {
		// Checked before the user exists: a bad role adds nobody.
		if err := validRole(UserRole{Role: role, Site: site}); err != nil {
			return err
		}
	}
	if err := h.PutUser(name, hash); err != nil {
		return err
	}
	if role != "" {
		if err := h.SetRole(name, UserRole{Role: role, Site: site}); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "user %s saved\n", name)
	return h.Audit("cli", "user add", name+" "+role+" "+site)
}
