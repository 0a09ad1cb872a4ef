package hub

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"tend/storage"
	"tend/webkit"
)

// TestHubUsers: users live in the hub store on both stores: a hub's users
// from its own embedded store are copied once (a user deleted since is not
// brought back), `user add` takes the password from stdin and refuses a
// short one, a deleted user's session ends, the last admin stays.
func TestHubUsers(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		old, err := storage.Open(filepath.Join(t.TempDir(), "old.db"), storage.Config{})
		if err != nil {
			t.Fatal(err)
		}
		defer old.Close()
		hash, _ := bcrypt.GenerateFromPassword([]byte("legacy-password"), bcrypt.MinCost)
		if err := old.PutUser(storage.User{Name: "legacy", PasswordHash: string(hash)}); err != nil {
			t.Fatal(err)
		}
		if n, err := th.data.ImportUsers(old); n != 1 || err != nil {
			t.Fatalf("import: %d users, %v; want 1", n, err)
		}
		if code, c := signInFrom(t, th, "192.0.2.1", "legacy", "legacy-password"); code != http.StatusSeeOther || c == nil {
			t.Errorf("the imported user signs in: %d", code)
		}

		if err := th.data.AddUser("tech", RoleTechnician, "", strings.NewReader("short\n"), io.Discard); err == nil {
			t.Error("a 5-character password was taken")
		}
		if err := th.data.AddUser("tech", RoleTechnician, "", strings.NewReader("a-long-password\n"), io.Discard); err != nil {
			t.Fatal(err)
		}
		users, err := th.data.Users()
		if err != nil || len(users) != 2 || users[0].Name != "legacy" || users[0].Role != RoleAdmin || users[1].Role != RoleTechnician {
			t.Errorf("users: %+v %v", users, err)
		}
		code, session := signInFrom(t, th, "192.0.2.2", "tech", "a-long-password")
		if code != http.StatusSeeOther || session == nil {
			t.Fatalf("tech signs in: %d", code)
		}
		page := func() int {
			req := httptest.NewRequest(http.MethodGet, "https://hub.test/sites", nil)
			req.AddCookie(session)
			w := httptest.NewRecorder()
			th.hub.Handler().ServeHTTP(w, req)
			return w.Code
		}
		if c := page(); c != http.StatusOK {
			t.Errorf("tech's session: %d", c)
		}
		if err := th.data.DeleteUser("legacy"); !errors.Is(err, ErrLastAdmin) {
			t.Errorf("deleting the last admin: %v", err)
		}
		if err := th.data.DeleteUser("tech"); err != nil {
			t.Fatal(err)
		}
		if c := page(); c == http.StatusOK {
			t.Error("a deleted user's session still opens the fleet page")
		}
		if err := th.data.DeleteUser("tech"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("deleting a user twice: %v", err)
		}

		if err := old.PutUser(storage.User{Name: "tech", PasswordHash: string(hash)}); err != nil {
			t.Fatal(err)
		}
		if n, err := th.data.ImportUsers(old); n != 0 || err != nil {
			t.Errorf("a second import copied %d users (%v): a deleted user came back", n, err)
		}
	})
}

// productCost checks that user's stored hash is bcrypt at the product's
// cost (the other tests hash at the cheapest, cheapHash).
func productCost(t *testing.T, dir, user string) {
	t.Helper()
	hs, done, err := OpenAdminData(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	h, err := hs.UserHash(user)
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost != webkit.BcryptCost {
		t.Errorf("%s's bcrypt cost = %d, %v; want the product's %d", user, cost, err, webkit.BcryptCost)
	}
}

// TestHubUserCommands: `tend hub user add|list|delete` on the embedded
// store, the password on stdin.
func TestHubUserCommands(t *testing.T) {
	dir := t.TempDir()
	run := func(what, name, role, stdin string) (string, error) {
		var out, errb bytes.Buffer
		err := AdminCommand(context.Background(), "", dir, what, name, role, "", strings.NewReader(stdin), &out, &errb)
		return out.String() + errb.String(), err
	}
	if out, err := run("user add", "ann", "", "ann-password-1\n"); err != nil || !strings.Contains(out, "user ann saved") {
		t.Fatalf("user add: %q %v", out, err)
	}
	productCost(t, dir, "ann")
	if _, err := run("user add", "bob", "read-only", ""); err == nil {
		t.Error("user add without a password on stdin worked")
	}
	if _, err := run("user add", "bob", "read-only", "bob-password-1\n"); err != nil {
		t.Fatal(err)
	}
	out, err := run("user list", "", "", "")
	if err != nil || !strings.Contains(out, "ann   admin") || !strings.Contains(out, "bob   read-only") {
		t.Errorf("user list:\n%s %v", out, err)
	}
	if _, err := run("user delete", "ann", "", ""); !errors.Is(err, ErrLastAdmin) {
		t.Errorf("deleting the last admin: %v", err)
	}
	if _, err := run("user delete", "bob", "", ""); err != nil {
		t.Fatal(err)
	}
	if out, _ := run("user list", "", "", ""); strings.Contains(out, "bob") {
		t.Errorf("bob listed after delete:\n%s", out)
	}
}
