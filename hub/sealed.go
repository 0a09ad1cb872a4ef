package hub

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"tend/storage"
)

// Site keys at rest. Each "key:<site>" record holds the site's key sealed
// with AES-256-GCM under the hub's master key, the site's slug as
// additional data (a sealed key copied to another site's record does not
// open). The master key is 32 random bytes in MasterKeyFile in the hub's
// data directory (0600), made on the hub's first start; "meta:master"
// holds its identifier (a hash of it, never the key), so a hub started
// with another master key on a shared database refuses to start instead
// of failing every summary.
//
// A database from before sealing holds keys in clear; SealKeys seals them
// on the hub's first start with a master key, in one transaction.

// MasterKeyFile is the master key's file name in the hub's data directory.
const MasterKeyFile = "hub-master.key"

// sealedPrefix marks a sealed key record: "sealed1:" + base64(nonce ‖ ciphertext ‖ tag).
const sealedPrefix = "sealed1:"

const masterKeyBytes = 32

// masterKey seals and opens site keys.
type masterKey struct {
	aead cipher.AEAD
	id   string // identifies the key (SHA-256 of a label and the key, 16 hex digits)
}

func newMasterKey(raw []byte) (*masterKey, error) {
	if len(raw) != masterKeyBytes {
		return nil, fmt.Errorf("hub: master key is %d bytes, want %d", len(raw), masterKeyBytes)
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append([]byte("tend hub master key id\x00"), raw...))
	return &masterKey{aead: aead, id: hex.EncodeToString(sum[:8])}, nil
}

func (m *masterKey) seal(site, printable string) string {
	nonce := make([]byte, m.aead.NonceSize())
	_, _ = rand.Read(nonce) // never fails (Go 1.24+)
	out := m.aead.Seal(nonce, nonce, []byte(printable), []byte(site))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out)
}

func (m *masterKey) open(site, rec string) (string, error) {
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(rec, sealedPrefix))
	if err != nil || len(raw) < m.aead.NonceSize()+m.aead.Overhead() {
		return "", fmt.Errorf("hub: sealed key of %q is malformed", site)
	}
	n := m.aead.NonceSize()
	pt, err := m.aead.Open(nil, raw[:n], raw[n:], []byte(site))
	if err != nil {
		return "", fmt.Errorf("hub: sealed key of %q does not open with this hub's master key", site)
	}
	return string(pt), nil
}

// ErrSealed is siteKey's answer when the database's keys are sealed and
// this HubStore has no master key (SealKeys was not called).
var ErrSealed = errors.New("hub: site keys are sealed and this hub has no master key")

// loadMasterKey reads the master key file; nil when it does not exist.
func loadMasterKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("hub: master key: %w", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("hub: master key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("hub: master key %s is readable by others (mode %v): make it 0600 (chmod 600) and consider rotating the site keys", path, fi.Mode().Perm())
	}
	raw, err := hex.DecodeString(string(bytes.TrimSpace(b)))
	if err != nil || len(raw) != masterKeyBytes {
		return nil, fmt.Errorf("hub: master key %s is malformed (want %d hex-encoded bytes)", path, masterKeyBytes)
	}
	return raw, nil
}

// SealKeys gives h the master key in dir (MasterKeyFile) and seals every
// site key still in clear. With no key file it makes one (0600), unless
// the database's keys are already sealed by another hub's key: then the
// error says to copy that hub's file. A key file that is not the one the
// database's keys are sealed with is refused.
func (h *HubStore) SealKeys(dir string) error {
	if dir == "" {
		return errors.New("hub: the master key needs the hub's data directory (--data)")
	}
	path := filepath.Join(dir, MasterKeyFile)
	raw, err := loadMasterKey(path)
	if err != nil {
		return err
	}
	created := false
	if raw == nil {
		if raw, err = h.createMasterKey(dir, path); err != nil {
			return err
		}
		created = true
	}
	mk, err := newMasterKey(raw)
	if err != nil {
		return err
	}
	migrated := 0
	err = h.db.update(func(tx kvTx) error {
		migrated, err = sealClearKeys(tx, mk, path)
		return err
	})
	if err != nil {
		if created {
			os.Remove(path)
		}
		return err
	}
	h.mu.Lock()
	h.master = mk
	h.mu.Unlock()
	if e, ok := h.db.(embedded); ok && migrated > 0 {
		// buntdb appends: the clear keys stay in the file until it is
		// rewritten. (PostgreSQL's dead row versions stay on disk until
		// reused: rotate keys that were ever stored in clear.)
		if err := e.st.Compact(); err != nil {
			return fmt.Errorf("hub: rewrite the database without clear keys: %w", err)
		}
	}
	return nil
}

// createMasterKey makes a new master key at path (0600), unless the
// database's site keys are sealed with one already: then that hub's
// file has to be copied here.
func (h *HubStore) createMasterKey(dir, path string) ([]byte, error) {
	var have string
	err := h.db.view(func(tx kvTx) error {
		var err error
		have, err = tx.Get("meta:master")
		return err
	})
	switch {
	case err == nil:
		return nil, fmt.Errorf("hub: this database's site keys are sealed with master key %s and %s does not exist: copy %s from a hub that uses this database (keep it 0600)", have, path, MasterKeyFile)
	case !errors.Is(err, storage.ErrNotFound):
		return nil, err
	}
	raw := make([]byte, masterKeyBytes)
	_, _ = rand.Read(raw)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("hub: master key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("hub: master key: %w", err)
	}
	_, werr := f.WriteString(hex.EncodeToString(raw) + "\n")
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("hub: master key: %w", err)
	}
	return raw, nil
}

// sealClearKeys records mk as the database's master key (or checks it is
// the one recorded) and seals the site keys stored in clear; it returns
// how many it sealed.
func sealClearKeys(tx kvTx, mk *masterKey, path string) (int, error) {
	have, err := tx.Get("meta:master")
	switch {
	case err == nil && have != mk.id:
		return 0, fmt.Errorf("hub: %s (key %s) is not the master key this database's site keys are sealed with (%s): use that hub's %s", path, mk.id, have, MasterKeyFile)
	case err == nil:
	case errors.Is(err, storage.ErrNotFound):
		if err := tx.Set("meta:master", mk.id); err != nil {
			return 0, err
		}
	default:
		return 0, err
	}
	type rec struct{ site, val string }
	var clear []rec
	if err := tx.Ascend("key:", func(k, v string) bool {
		if !strings.HasPrefix(v, sealedPrefix) {
			clear = append(clear, rec{strings.TrimPrefix(k, "key:"), v})
		}
		return true
	}); err != nil {
		return 0, err
	}
	for _, r := range clear {
		if err := tx.Set("key:"+r.site, mk.seal(r.site, r.val)); err != nil {
			return 0, err
		}
	}
	return len(clear), nil
}

// sealedRecord is the value to store for site's key: sealed when h has a
// master key; in clear only in a database whose keys were never sealed.
func (h *HubStore) sealedRecord(tx kvTx, site, printable string) (string, error) {
	h.mu.RLock()
	mk := h.master
	h.mu.RUnlock()
	if mk != nil {
		return mk.seal(site, printable), nil
	}
	if _, err := tx.Get("meta:master"); err == nil {
		return "", ErrSealed
	} else if !errors.Is(err, storage.ErrNotFound) {
		return "", err
	}
	return printable, nil
}

// openRecord is the printable key in a "key:" record.
func (h *HubStore) openRecord(site, rec string) (string, error) {
	h.mu.RLock()
	mk := h.master
	h.mu.RUnlock()
	sealed := strings.HasPrefix(rec, sealedPrefix)
	switch {
	case mk == nil && sealed:
		return "", ErrSealed
	case mk == nil:
		return rec, nil
	case !sealed:
		// Never written by a hub with a master key: SealKeys sealed
		// every clear key at start.
		return "", fmt.Errorf("hub: the key of %q is stored in clear in a sealed database: restart a hub to seal it", site)
	}
	return mk.open(site, rec)
}
