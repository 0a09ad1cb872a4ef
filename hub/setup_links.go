package hub

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"tend/storage"
	"tend/upstream"
)

// A user added in the UI gets a one-time setup link, not a password the
// admin chose: the admin never knows the user's password (nothing to
// repeat over the phone, nothing left in a chat), the link works once and
// for SetupLinkLifetime, and until it is used the account has only a
// random password nobody knows. The store keeps the SHA-256 of the link's
// token (setup:<hash>), never the token; the record names the password
// hash the link replaces, so a newer link, a password set since or the
// user's removal ends it.

// SetupLinkLifetime is how long a setup link works.
const SetupLinkLifetime = 24 * time.Hour

// ErrSetupLink is the one answer to an unknown, used, superseded or
// expired setup link.
var ErrSetupLink = errors.New("hub: this setup link is not valid (used, replaced or expired): ask an admin for a new one")

type setupRecord struct {
	User    string    `json:"user"`
	Hash    string    `json:"hash"` // the user's password hash when the link was made
	Expires time.Time `json:"expires"`
}

// NewSetupLink gives user a random password nobody knows (which ends its
// sessions and any earlier link) and returns the token of a link that
// sets its password once. With a role it creates the user with that role
// in one transaction (refused when the user exists: a user without a role
// record would be an admin); without, the user must exist.
func (h *HubStore) NewSetupLink(user string, role *UserRole) (string, error) {
	if err := storage.ValidateUserName(user); err != nil {
		return "", err
	}
	create := role != nil
	if create {
		if err := validRole(*role); err != nil {
			return "", err
		}
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret) // never fails (crypto/rand)
	// MinCost: 256 random bits cannot be guessed at any cost.
	placeholder, err := bcrypt.GenerateFromPassword(secret, bcrypt.MinCost)
	if err != nil {
		return "", fmt.Errorf("hub: setup link: %w", err)
	}
	tok := "tsu1_" + strings.TrimPrefix(upstream.NewSiteKey(), upstream.SiteKeyPrefix)
	now := h.now().UTC()
	rec, _ := json.Marshal(setupRecord{User: user, Hash: string(placeholder), Expires: now.Add(SetupLinkLifetime)})
	err = h.db.update(func(tx kvTx) error {
		u := hubUser{Name: user, Created: now}
		switch v, err := tx.Get("user:" + user); {
		case err == nil && create:
			return fmt.Errorf("hub: user %s already exists", user)
		case err == nil:
			if err := json.Unmarshal([]byte(v), &u); err != nil {
				return fmt.Errorf("hub: user %s: %w", user, err)
			}
		case errors.Is(err, storage.ErrNotFound) && !create:
			return fmt.Errorf("hub: user %q: %w", user, storage.ErrNotFound)
		case !errors.Is(err, storage.ErrNotFound):
			return err
		}
		// Expired links, and this user's earlier one, go.
		if _, err := deleteWhere(tx, "setup:", func(_, v string) bool {
			var r setupRecord
			return json.Unmarshal([]byte(v), &r) != nil || r.User == user || !now.Before(r.Expires)
		}); err != nil {
			return err
		}
		u.PasswordHash = string(placeholder)
		b, _ := json.Marshal(u)
		if err := tx.Set("user:"+user, string(b)); err != nil {
			return err
		}
		if create {
			if err := setRoleTx(tx, user, *role); err != nil {
				return err
			}
		}
		return tx.Set("setup:"+tokenHash(tok), string(rec))
	})
	if err != nil {
		return "", err
	}
	return tok, nil
}

// SetupLinkUser is the user a setup link is for, or ErrSetupLink.
func (h *HubStore) SetupLinkUser(tok string) (string, error) {
	var user string
	err := h.db.view(func(tx kvTx) error {
		var err error
		user, _, err = h.checkSetup(tx, tok)
		return err
	})
	return user, err
}

// checkSetup reads the link of tok and its user's record, and checks the
// link still holds.
func (h *HubStore) checkSetup(tx kvTx, tok string) (string, hubUser, error) {
	var r setupRecord
	var u hubUser
	if !strings.HasPrefix(tok, "tsu1_") || len(tok) > 100 {
		return "", u, ErrSetupLink
	}
	v, err := tx.Get("setup:" + tokenHash(tok))
	if errors.Is(err, storage.ErrNotFound) {
		return "", u, ErrSetupLink
	}
	if err != nil {
		return "", u, err
	}
	if err := json.Unmarshal([]byte(v), &r); err != nil || !h.now().UTC().Before(r.Expires) {
		return "", u, ErrSetupLink
	}
	v, err = tx.Get("user:" + r.User)
	if errors.Is(err, storage.ErrNotFound) {
		return "", u, ErrSetupLink
	}
	if err != nil {
		return "", u, err
	}
	if err := json.Unmarshal([]byte(v), &u); err != nil || u.PasswordHash != r.Hash {
		return "", u, ErrSetupLink
	}
	return r.User, u, nil
}

// UseSetupLink sets the password (its bcrypt hash) of the link's user and
// ends the link; it returns the user.
func (h *HubStore) UseSetupLink(tok, hash string) (string, error) {
	if !strings.HasPrefix(hash, "$2") {
		return "", errors.New("hub: setup link: not a bcrypt hash")
	}
	var user string
	err := h.db.update(func(tx kvTx) error {
		name, u, err := h.checkSetup(tx, tok)
		if err != nil {
			return err
		}
		user, u.PasswordHash = name, hash
		b, _ := json.Marshal(u)
		if err := tx.Delete("setup:" + tokenHash(tok)); err != nil {
			return err
		}
		return tx.Set("user:"+name, string(b))
	})
	return user, err
}

// ChangeRole gives an existing user a role; the hub's last admin stays an
// admin (ErrLastAdmin).
func (h *HubStore) ChangeRole(user string, r UserRole) error {
	admins, err := h.otherAdmins(user)
	if err != nil {
		return err
	}
	if r.Role != RoleAdmin && admins == 0 {
		return ErrLastAdmin
	}
	return h.SetRole(user, r)
}

// setRoleTx writes user's role r (checked by validRole) in tx; a client
// viewer's site must exist.
func setRoleTx(tx kvTx, user string, r UserRole) error {
	if r.Site != "" {
		if _, err := tx.Get("site:" + r.Site); err != nil {
			return fmt.Errorf("hub: role of %s: site %q: %w", user, r.Site, err)
		}
	}
	b, _ := json.Marshal(r)
	return tx.Set("role:"+user, string(b))
}

// otherAdmins counts the admins other than user, who must exist.
func (h *HubStore) otherAdmins(user string) (int, error) {
	users, err := h.Users()
	if err != nil {
		return 0, err
	}
	admins, found := 0, false
	for _, u := range users {
		if u.Role == RoleAdmin && u.Name != user {
			admins++
		}
		found = found || u.Name == user
	}
	if !found {
		return 0, fmt.Errorf("hub: user %q: %w", user, storage.ErrNotFound)
	}
	return admins, nil
}

// deleteWhere deletes the records under prefix that drop picks and
// returns how many.
func deleteWhere(tx kvTx, prefix string, drop func(key, val string) bool) (int, error) {
	var del []string
	if err := tx.Ascend(prefix, func(k, v string) bool {
		if drop(k, v) {
			del = append(del, k)
		}
		return true
	}); err != nil {
		return 0, err
	}
	for _, k := range del {
		if err := tx.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(del), nil
}
