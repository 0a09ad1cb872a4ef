package webui

import (
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"tend/storage"
)

// fileFixture is a fixture over a real database file that was damaged
// before this start: damage gets the file's bytes and returns what the
// "disk" holds.
func fileFixture(t *testing.T, damage func([]byte) []byte) *fixture {
	t.Helper()
	clk := &clock{t: time.Now().Truncate(time.Second)}
	path := filepath.Join(t.TempDir(), "tend.db")
	st, err := storage.Open(path, storage.Config{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	for _, name := range []string{"alice", "bob", "carol"} {
		if err := st.PutUser(storage.User{Name: name, PasswordHash: string(hash), Created: clk.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, damage(b), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err = storage.Open(path, storage.Config{Now: clk.Now})
	if err != nil {
		t.Fatalf("start on a damaged database: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := New(Config{Now: clk.Now}, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, clock: clk, st: st, srv: srv, h: srv.Handler()}
}

// A box whose database lost its tail starts with what was valid and says,
// on every page, what it lost.
func TestRecoveryBanner(t *testing.T) {
	f := fileFixture(t, func(b []byte) []byte { return b[:len(b)-9] })
	s := f.login("alice") // alice was written before the damage
	page := f.do(request{path: "/", cookies: []*http.Cookie{s.cookie}})
	for _, want := range []string{"Data was lost", "was damaged", "tend.db.damaged-"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
}

// An emptied database is not a first run: setup says the data was lost.
func TestEmptiedDatabaseIsNotFirstRun(t *testing.T) {
	f := fileFixture(t, func([]byte) []byte { return nil })
	page := f.do(request{path: "/login"})
	if !strings.Contains(page.body, "Data was lost") || !strings.Contains(page.body, "an empty file") {
		t.Errorf("setup page after the database was emptied does not say so:\n%s", page.body)
	}
}
