package hub

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"tend/storage"
	"tend/upstream"
)

// keyForms are the ways a site key's bytes could show up in a file or a row.
func keyForms(t *testing.T, printable string) [][]byte {
	t.Helper()
	raw, err := upstream.ParseSiteKey(printable)
	if err != nil {
		t.Fatal(err)
	}
	return [][]byte{
		[]byte(printable), []byte(strings.TrimPrefix(printable, upstream.SiteKeyPrefix)), raw,
		[]byte(base64.StdEncoding.EncodeToString(raw)), []byte(base64.RawStdEncoding.EncodeToString(raw)),
		[]byte(hex.EncodeToString(raw)),
	}
}

func containsKey(t *testing.T, hay []byte, printable string) bool {
	for _, f := range keyForms(t, printable) {
		if bytes.Contains(hay, f) {
			return true
		}
	}
	return false
}

// pgDump is every row of the hub's PostgreSQL database, as text.
func pgDump(t *testing.T, url string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	res := conn.ExecParams(ctx, `SELECT key, value FROM hub_kv`, nil, nil, nil, nil).Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	var out bytes.Buffer
	for _, r := range res.Rows {
		out.WriteString(string(r[0]) + "\t" + string(r[1]) + "\n")
	}
	return out.Bytes()
}

// TestSiteKeysSealedAtRest: on both stores, keys of sites added before the
// hub had a master key are sealed on its first start with one (and the
// embedded file rewritten without them); keys added and rotated afterwards
// are never in the file or the rows; summaries signed with them are
// accepted; the master key file is 0600; a hub with another master key, or
// none, on the same database is refused with a clear error and a new
// site is not stored in clear.
func TestSiteKeysSealedAtRest(t *testing.T) {
	for _, kind := range []string{"embedded", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			dbPath := filepath.Join(dir, "hub.db")
			st, err := storage.Open(dbPath, storage.Config{Now: func() time.Time { return t0 }})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			hs, url := NewHubStore(st, func() time.Time { return t0 }, 0), ""
			if kind == "postgres" {
				url = startPostgres(t)
				hs = openPostgresStore(t, url, func() time.Time { return t0 })
			}
			dump := func() []byte {
				if kind == "postgres" {
					return pgDump(t, url)
				}
				b, err := os.ReadFile(dbPath)
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			old, err := hs.AddSite("old")
			if err != nil {
				t.Fatal(err)
			}
			if !containsKey(t, dump(), old) {
				t.Fatal("the test cannot see a key stored in clear")
			}

			data := filepath.Join(dir, "hubdata")
			if err := hs.SealKeys(data); err != nil {
				t.Fatal(err)
			}
			fi, err := os.Stat(filepath.Join(data, MasterKeyFile))
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("master key file mode %v, want 0600", fi.Mode().Perm())
			}
			added, err := hs.AddSite("Acme Dental")
			if err != nil {
				t.Fatal(err)
			}
			rotated, err := hs.RotateSiteKey("old")
			if err != nil {
				t.Fatal(err)
			}
			all := dump()
			for name, k := range map[string]string{"migrated": old, "added": added, "rotated": rotated} {
				if containsKey(t, all, k) {
					t.Errorf("the %s key is in the database in some form", name)
				}
			}
			if !bytes.Contains(all, []byte(sealedPrefix)) {
				t.Error("no sealed key record in the database")
			}
			mk, _ := os.ReadFile(filepath.Join(data, MasterKeyFile))
			if bytes.Contains(all, bytes.TrimSpace(mk)) {
				t.Error("the master key is in the database")
			}

			// Summaries signed with the sealed keys are accepted.
			for slug, k := range map[string]string{"old": rotated, "acme-dental": added} {
				raw, _ := upstream.ParseSiteKey(k)
				s := boxSummary(t, slug, t0, testSite(t, 3, t0))
				body, err := upstream.EncodeBody(s)
				if err != nil {
					t.Fatal(err)
				}
				idem := upstream.IdempotencyKey(s.Box, s.Seq)
				if _, err := hs.Ingest(slug, idem, upstream.Sign(raw, slug, idem, body), body); err != nil {
					t.Errorf("summary for %s with its sealed key: %v", slug, err)
				}
			}

			// A second start with the same file is fine; another key file,
			// or none, on the same database is refused.
			again := newHubStore(hs.db, hs.now, 0)
			if err := again.SealKeys(data); err != nil {
				t.Errorf("second start with the same master key: %v", err)
			}
			other := newHubStore(hs.db, hs.now, 0)
			if err := other.SealKeys(t.TempDir()); err == nil || !strings.Contains(err.Error(), "copy "+MasterKeyFile) {
				t.Errorf("a hub without the master key on a sealed database: %v", err)
			}
			otherDir := t.TempDir()
			os.WriteFile(filepath.Join(otherDir, MasterKeyFile), []byte(hex.EncodeToString(bytes.Repeat([]byte{7}, 32))), 0o600)
			if err := other.SealKeys(otherDir); err == nil || !strings.Contains(err.Error(), "is not the master key") {
				t.Errorf("a hub with another master key: %v", err)
			}
			if _, err := other.siteKey("old"); !errors.Is(err, ErrSealed) {
				t.Errorf("site key without the master key: %v, want ErrSealed", err)
			}
			if _, err := other.AddSite("plain"); !errors.Is(err, ErrSealed) {
				t.Errorf("a site added without the master key on a sealed database: %v, want ErrSealed", err)
			}
			os.Chmod(filepath.Join(otherDir, MasterKeyFile), 0o644)
			if err := other.SealKeys(otherDir); err == nil || !strings.Contains(err.Error(), "readable by others") {
				t.Errorf("a master key readable by others: %v", err)
			}
		})
	}
}

// TestSealedKeyBoundToSite: a sealed key copied into another site's record
// does not open (the slug is the additional data).
func TestSealedKeyBoundToSite(t *testing.T) {
	mk, err := newMasterKey(bytes.Repeat([]byte{1}, 32))
	if err != nil {
		t.Fatal(err)
	}
	rec := mk.seal("acme", upstream.NewSiteKey())
	if _, err := mk.open("acme", rec); err != nil {
		t.Fatal(err)
	}
	if _, err := mk.open("other", rec); err == nil {
		t.Error("acme's sealed key opened as other's")
	}
	for _, bad := range []string{sealedPrefix, sealedPrefix + "!!", rec[:len(rec)-4]} {
		if _, err := mk.open("acme", bad); err == nil {
			t.Errorf("malformed record %q opened", bad)
		}
	}
}

// FuzzSealedOpen: a damaged or forged sealed key record (the database is
// outside the hub's process) gives an error, never a panic or a key.
func FuzzSealedOpen(f *testing.F) {
	mk, err := newMasterKey(bytes.Repeat([]byte{3}, 32))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(mk.seal("acme", upstream.NewSiteKey()))
	f.Add(sealedPrefix)
	f.Add(sealedPrefix + "AAAA")
	f.Fuzz(func(t *testing.T, rec string) {
		if k, err := mk.open("acme", rec); err == nil {
			// Only a record this master key sealed for acme opens; a
			// fuzzer cannot forge a GCM tag.
			if _, perr := upstream.ParseSiteKey(k); perr != nil {
				t.Fatalf("opened to a non-key %q", k)
			}
		}
	})
}
