package storage

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

func storedFinding(id string, at time.Time) inventory.Finding {
	return inventory.Finding{ID: id, Rule: "scan", Severity: inventory.SeverityHigh, Device: "00:11:32:00:00:01",
		Title: "t", Evidence: []inventory.Evidence{{Source: "s", Detail: "d"}}, State: inventory.FindingOpen, FirstSeen: at, LastSeen: at}
}

func TestFindingsPersistAndUpdate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tend.db")
	st, err := Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	a, b := "scan-0123456789ab", "smbv1-0123456789ab"
	if err := st.ReplaceFindings(func(old []inventory.Finding) []inventory.Finding {
		if len(old) != 0 {
			t.Errorf("fresh store has %d findings", len(old))
		}
		return []inventory.Finding{storedFinding(a, at), storedFinding(b, at)}
	}); err != nil {
		t.Fatal(err)
	}
	// Same content a few seconds later: no writes.
	w := st.Stats().Writes
	if err := st.ReplaceFindings(func(old []inventory.Finding) []inventory.Finding {
		for i := range old {
			old[i].LastSeen = at.Add(5 * time.Second)
		}
		return old
	}); err != nil {
		t.Fatal(err)
	}
	if got := st.Stats().Writes; got != w {
		t.Errorf("unchanged findings cost %d writes", got-w)
	}
	f, err := st.UpdateFinding(a, func(f *inventory.Finding) error {
		f.State, f.StateBy, f.StateNote = inventory.FindingAcknowledged, "alice", "ordering a cable"
		return nil
	})
	if err != nil || f.State != inventory.FindingAcknowledged {
		t.Fatalf("update: %v %+v", err, f)
	}
	refuse := errors.New("no")
	if _, err := st.UpdateFinding(b, func(*inventory.Finding) error { return refuse }); !errors.Is(err, refuse) {
		t.Errorf("refused update: err = %v", err)
	}
	if _, err := st.UpdateFinding("scan-ffffffffffff", func(*inventory.Finding) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing finding: err = %v", err)
	}
	if _, err := st.Finding("../../etc"); !errors.Is(err, ErrNotFound) {
		t.Errorf("junk id: err = %v", err)
	}
	// Dropping b deletes it.
	if err := st.ReplaceFindings(func(old []inventory.Finding) []inventory.Finding {
		var keep []inventory.Finding
		for _, f := range old {
			if f.ID == a {
				keep = append(keep, f)
			}
		}
		return keep
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all, err := st.Findings()
	if err != nil || len(all) != 1 || all[0].StateNote != "ordering a cable" || all[0].StateBy != "alice" {
		t.Fatalf("after reopen: %v %+v", err, all)
	}
	if err := st.ReplaceFindings(func([]inventory.Finding) []inventory.Finding {
		return []inventory.Finding{storedFinding("bad id", at)}
	}); err == nil {
		t.Error("bad id stored")
	}
}

func TestSetDeviceNotes(t *testing.T) {
	st := openMemory(t, Config{})
	m := mac(t, "00:11:32:00:00:01")
	if _, err := st.SetDeviceNotes(m, DeviceNotes{Label: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unseen device: err = %v", err)
	}
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	if _, err := st.Apply(inventory.Observation{Time: at, MAC: m, Hostname: "nas", Source: inventory.SourceARP}); err != nil {
		t.Fatal(err)
	}
	bought := time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)
	if _, err := st.SetDeviceNotes(m, DeviceNotes{Label: "Backup NAS", Role: "backup_target", PurchaseDate: &bought}); err != nil {
		t.Fatal(err)
	}
	// A later sighting keeps what the person set.
	if _, err := st.Apply(inventory.Observation{Time: at.Add(time.Hour), MAC: m, Hostname: "nas2", Source: inventory.SourceARP}); err != nil {
		t.Fatal(err)
	}
	d, err := st.Device(m)
	if err != nil || d.Label != "Backup NAS" || d.Role != "backup_target" || d.PurchaseDate == nil || !d.PurchaseDate.Equal(bought) || d.Hostname != "nas2" {
		t.Fatalf("device: %v %+v", err, d)
	}
	if _, err := st.SetDeviceNotes(m, DeviceNotes{Label: string(make([]byte, 300))}); err == nil {
		t.Error("300-byte label accepted")
	}
}

func TestSetup(t *testing.T) {
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	st := openMemory(t, Config{Now: func() time.Time { return now }})
	hash := strings.Repeat("a", 64)
	if err := st.PutSetupCode(SetupCode{Hash: hash, Created: now, Expires: now.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	u := User{Name: "admin", PasswordHash: "$2a$12$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", Created: now}
	wrong := strings.Repeat("b", 64)
	if err := st.CompleteSetup(wrong, u); !errors.Is(err, ErrSetupCodeWrong) {
		t.Errorf("wrong code: err = %v", err)
	}
	if err := st.CompleteSetup(hash, u); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetupCode(); !errors.Is(err, ErrNotFound) {
		t.Errorf("code survives setup: err = %v", err)
	}
	u.Name = "mallory"
	if err := st.CompleteSetup(hash, u); !errors.Is(err, ErrSetupDone) {
		t.Errorf("second setup: err = %v", err)
	}
	if err := st.PutSetupCode(SetupCode{Hash: hash, Created: now, Expires: now.Add(time.Hour)}); !errors.Is(err, ErrSetupDone) {
		t.Errorf("new code after setup: err = %v", err)
	}
	if has, err := st.HasUsers(); err != nil || !has {
		t.Errorf("HasUsers = %v, %v", has, err)
	}
}

func TestDevicesShared(t *testing.T) {
	st := openMemory(t, Config{})
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	a, b := mac(t, "00:11:32:00:00:01"), mac(t, "00:11:32:00:00:02")
	if _, err := st.Apply(inventory.Observation{Time: at, MAC: a, Hostname: "one", Source: inventory.SourceARP},
		inventory.Observation{Time: at, MAC: b, Hostname: "two", Source: inventory.SourceARP}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // second time from the cache
		got, err := st.DevicesShared()
		want, _ := st.Devices()
		if err != nil || len(got) != 2 || got[0].Hostname != want[0].Hostname || got[1].Hostname != want[1].Hostname {
			t.Fatalf("DevicesShared = %v %+v", err, got)
		}
	}
	if _, err := st.SetDeviceNotes(b, DeviceNotes{Label: "changed"}); err != nil {
		t.Fatal(err)
	}
	got, _ := st.DevicesShared()
	if got[1].Label != "changed" {
		t.Errorf("stale device after a write: %+v", got[1])
	}
}

func TestAudit(t *testing.T) {
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	st := openMemory(t, Config{Now: func() time.Time { return at }})
	for i, a := range []string{"login", "finding_acknowledged", "device_edited"} {
		if err := st.Audit(AuditEntry{Time: at.Add(time.Duration(i) * time.Second), User: "alice", Action: a}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Audit(AuditEntry{User: "bob", Action: "logout"}); err != nil { // time from the clock
		t.Fatal(err)
	}
	got, err := st.AuditLog(2)
	if err != nil || len(got) != 2 || got[0].Action != "device_edited" || got[1].Action != "finding_acknowledged" {
		t.Fatalf("audit log: %v %+v", err, got)
	}
	all, _ := st.AuditLog(100)
	if len(all) != 4 || !slices.ContainsFunc(all, func(e AuditEntry) bool { return e.User == "bob" && e.Time.Equal(at) }) {
		t.Errorf("all entries (bob's timed by the clock): %+v", all)
	}
}
