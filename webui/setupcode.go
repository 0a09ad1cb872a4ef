package webui

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tend/storage"
	"tend/webkit"
)

// SetupCodeFile is the first-run code's file in the data directory. The
// appliance image prints it on the console: keep the name.
const SetupCodeFile = "setup-code"

// EnsureSetupCode makes sure a box without users has a live one-time setup
// code whose clear text is in DATA/setup-code (0600) and in the log, and
// that a box with users has no such file. Storage keeps only the hash.
func EnsureSetupCode(st *storage.Store, dataDir string, log *slog.Logger) error {
	path := filepath.Join(dataDir, SetupCodeFile)
	has, err := st.HasUsers()
	if err != nil {
		return err
	}
	if has {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("webui: remove stale setup code %s: %w", path, err)
		}
		return nil
	}
	// A live code matching the file stays: restarts must not invalidate
	// what is on the console.
	if b, err := os.ReadFile(path); err == nil {
		if live, err := st.SetupCode(); err == nil && live.Hash == SetupCodeHash(strings.TrimSpace(string(b))) {
			return nil
		}
	}
	code, hash := NewSetupCode()
	now := time.Now().UTC()
	if err := st.PutSetupCode(storage.SetupCode{Hash: hash, Created: now, Expires: now.Add(SetupCodeLifetime)}); err != nil {
		return err
	}
	if err := webkit.WriteFileAtomic(path, []byte(code+"\n"), 0o600); err != nil {
		return err
	}
	// The code itself is never logged (logs leave the box): the console
	// and the 0600 file are enough.
	log.Warn("no users yet: open the web ui and create the first administrator with the one-time setup code shown on the console and in the setup code file",
		"file", path, "expires", now.Add(SetupCodeLifetime).Format(time.RFC3339))
	return nil
}

// SaveUser stores a user with the password's hash (tend user add): a
// password reset keeps the user's role when role is "" (and ends their
// sessions); a new user without a role is an administrator. A user exists
// now, so first-run setup is over: the setup code goes.
func SaveUser(st *storage.Store, dataDir, name, password, role string) error {
	if err := storage.ValidateUserName(name); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if old, err := st.User(name); err == nil && role == "" {
		role = old.Role
	}
	if err := st.PutUser(storage.User{Name: name, PasswordHash: hash, Created: time.Now().UTC(), Role: role}); err != nil {
		return err
	}
	if err := st.DeleteSetupCode(); err != nil {
		return err
	}
	if err := os.Remove(filepath.Join(dataDir, SetupCodeFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("user add: remove the first-run setup code: %w", err)
	}
	return nil
}

// SetupCodeKeeper keeps the first-run setup code fresh while no user
// exists (run it before each findings pass); it logs what fails.
func SetupCodeKeeper(st *storage.Store, dataDir string, log *slog.Logger) func() {
	return func() {
		if err := EnsureSetupCode(st, dataDir, log); err != nil {
			log.Error("first-run setup code", "err", err)
		}
	}
}
