package storage

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/buntdb"
)

const testHash = "$2a$12$abcdefghijklmnopqrstuv"

// writeDB makes a real database file with users and audit entries, closed
// cleanly, and returns its path and bytes.
func writeDB(t *testing.T) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tend.db")
	s, err := Open(path, Config{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := s.PutUser(User{Name: fmt.Sprintf("user%02d", i), PasswordHash: testHash, Created: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, b
}

func TestDamagedDatabase(t *testing.T) {
	tests := []struct {
		name string
		// damage returns the damaged file.
		damage func(b []byte) []byte
		// buntdbErr is what buntdb alone does with the file: the attack.
		buntdbErr  string // "" means buntdb opens it (and silently loses data)
		minUsers   int
		wantReason string
	}{
		{"truncated mid-record", func(b []byte) []byte { return b[:len(b)-7] }, "", 19, "cut short"},
		{"truncated to zero", func(b []byte) []byte { return nil }, "", 0, "empty file"},
		{"one bad framing byte", func(b []byte) []byte {
			i := nthRecord(b, 10)
			b[i] = 'X'
			return b
		}, "invalid database", 9, "bad header"},
		{"huge length field", func(b []byte) []byte {
			i := nthRecord(b, 12)
			// "*3\r\n$3\r\nset\r\n$<n>\r\n": make the key's length 9999999999.
			j := i + bytes.Index(b[i:], []byte("set\r\n$")) + len("set\r\n")
			end := j + bytes.IndexByte(b[j:], '\r')
			return append(append(append([]byte{}, b[:j]...), "$9999999999"...), b[end:]...)
		}, "skip", 11, "length field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, b := writeDB(t)
			damaged := tt.damage(bytes.Clone(b))
			if err := os.WriteFile(path, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			// The attack: buntdb on its own.
			if tt.buntdbErr != "skip" { // a 10 GB length would kill the test with OOM
				cp := filepath.Join(t.TempDir(), "copy.db")
				if err := os.WriteFile(cp, damaged, 0o600); err != nil {
					t.Fatal(err)
				}
				db, err := buntdb.Open(cp)
				switch {
				case tt.buntdbErr == "" && err != nil:
					t.Fatalf("buntdb refused: %v", err)
				case tt.buntdbErr != "" && (err == nil || !strings.Contains(err.Error(), tt.buntdbErr)):
					t.Fatalf("buntdb error %v, want %q", err, tt.buntdbErr)
				}
				if db != nil {
					db.Close()
				}
			}

			s, err := Open(path, Config{Now: func() time.Time { return t0 }})
			if err != nil {
				t.Fatalf("open a damaged database: %v", err)
			}
			defer s.Close()
			rec := s.Recovered()
			if rec == nil {
				t.Fatal("no recovery report")
			}
			if !strings.Contains(rec.Reason, tt.wantReason) {
				t.Errorf("reason %q, want %q", rec.Reason, tt.wantReason)
			}
			users, err := s.Users()
			if err != nil {
				t.Fatal(err)
			}
			if len(users) < tt.minUsers || len(users) > 20 {
				t.Errorf("%d users kept, want at least %d", len(users), tt.minUsers)
			}
			moved, err := os.ReadFile(rec.MovedTo)
			if err != nil || !bytes.Equal(moved, damaged) {
				t.Errorf("the damaged file was not kept as it was at %s: %v", rec.MovedTo, err)
			}
			if last := s.LastRecovery(); last == nil || last.MovedTo != rec.MovedTo {
				t.Errorf("LastRecovery = %+v", last)
			}
			t.Logf("%s: %s", tt.name, rec.Summary())
			if len(damaged) > 0 && tt.minUsers > 0 && len(rec.LostKinds) == 0 && tt.name != "truncated mid-record" {
				t.Errorf("no lost records counted: %+v", rec)
			}
			// Reopened, the repaired file is sound: no second report.
			s.Close()
			s2, err := Open(path, Config{Now: func() time.Time { return t0 }})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			if s2.Recovered() != nil {
				t.Errorf("repaired file damaged again: %+v", s2.Recovered())
			}
			if s2.LastRecovery() == nil {
				t.Error("the banner's report did not survive a restart")
			}
		})
	}
}

// A sound file, and a new one, are left alone.
func TestSoundDatabaseNotRepaired(t *testing.T) {
	path, b := writeDB(t)
	s, err := Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Recovered() != nil || s.LastRecovery() != nil {
		t.Errorf("sound file repaired: %+v", s.Recovered())
	}
	sc, err := ScanFile(path)
	if err != nil || sc.Damaged() || sc.Records < 21 || !sc.Marked {
		t.Errorf("scan of a sound file = %+v, %v (was %d bytes)", sc, err, len(b))
	}
	matches, _ := filepath.Glob(path + ".damaged-*")
	if len(matches) != 0 {
		t.Errorf("moved aside: %v", matches)
	}
}

// nthRecord returns the offset of the n-th record ("*" at a line start).
func nthRecord(b []byte, n int) int {
	seen := 0
	for i := range b {
		if b[i] == '*' && (i == 0 || b[i-1] == '\n') {
			if seen == n {
				return i
			}
			seen++
		}
	}
	panic(errors.New("too few records"))
}

// FuzzScan: any bytes scan without panicking or allocating past the file,
// and the valid prefix is itself sound.
func FuzzScan(f *testing.F) {
	f.Add([]byte("*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\nb\r\n"))
	f.Add([]byte("*2\r\n$3\r\ndel\r\n$9999999999\r\n"))
	f.Add([]byte("*1\r\n$7\r\nflushdb\r\n\x00\x00*9"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := scan(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		if s.Valid > s.Size || s.Valid < 0 {
			t.Fatalf("valid %d of %d", s.Valid, s.Size)
		}
		again, _ := scan(bytes.NewReader(b[:s.Valid]), s.Valid)
		if again.Valid != s.Valid || again.Records != s.Records {
			t.Fatalf("prefix rescans as %+v, was %+v", again, s)
		}
	})
}

// The audit log is capped by count whatever its age, and failed sign-ins
// from one address within a minute are one entry with a count.
func TestAuditBounded(t *testing.T) {
	now := t0
	s := openMemory(t, Config{Now: func() time.Time { return now }})
	for i := range auditMaxEntries + auditMaxEntries/5 {
		now = t0.Add(time.Duration(i) * time.Second)
		if err := s.Audit(AuditEntry{Action: "device_edited", User: "alice"}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.AuditLog(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) > auditMaxEntries+auditMaxEntries/10+10*auditTrimEvery {
		t.Errorf("%d audit entries kept, cap %d", len(all), auditMaxEntries)
	}
	if oldest := all[len(all)-1].Time; !oldest.After(t0.Add(time.Duration(auditMaxEntries/10) * time.Second)) {
		t.Errorf("oldest kept entry %v: the oldest were not the ones dropped", oldest)
	}
	// 1000 failed sign-ins from one address in a minute: one entry.
	now = t0.Add(48 * time.Hour)
	for i := range 1000 {
		now = t0.Add(48*time.Hour + time.Duration(i)*50*time.Millisecond)
		if err := s.AuditCounted(AuditEntry{Action: "login_failed", Client: "203.0.113.9"}); err != nil {
			t.Fatal(err)
		}
	}
	top, _ := s.AuditLog(3)
	if top[0].Action != "login_failed" || top[0].Count != 1000 || top[1].Action == "login_failed" {
		t.Errorf("newest entries %+v, want failed sign-ins aggregated per minute", top)
	}
}
