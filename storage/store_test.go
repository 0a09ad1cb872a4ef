package storage

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"tend/internal/testclock"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/tidwall/buntdb"

	"tend/inventory"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// addrEqual lets cmp compare netip.Addr, whose fields are unexported.
var addrEqual = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

// foldAdds ignores what the fold adds beyond inventory.Merge (presence,
// address history, classification), which TestFusion and TestPresence check.
var foldAdds = cmpopts.IgnoreFields(inventory.Device{}, "IPHistory", "Online", "StatusChanged", "TypeConfidence", "TypeEvidence", "SensorType")

func mac(t testing.TB, s string) inventory.MAC {
	t.Helper()
	m, err := inventory.ParseMAC(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func openMemory(t testing.TB, cfg Config) *Store {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = testclock.Now // the tests' one clock
	}
	s, err := Open(":memory:", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func TestApply(t *testing.T) {
	a := mac(t, "00:1b:54:aa:bb:cc")
	b := mac(t, "02:00:00:00:00:01")
	ip1, ip2 := netip.MustParseAddr("10.0.0.5"), netip.MustParseAddr("10.0.0.9")
	tests := []struct {
		name        string
		obs         []inventory.Observation
		wantChanged int
		want        []inventory.Device
	}{
		{
			name: "new device",
			obs:  []inventory.Observation{{Time: t0, Source: inventory.SourceARP, MAC: a, IP: ip1, Vendor: "Cisco Systems, Inc"}},
			// A Cisco MAC block alone is a weak guess at a router (identity's MAC registry rules).
			want: []inventory.Device{{MAC: a, IP: ip1, IPs: []netip.Addr{ip1}, Vendor: "Cisco Systems, Inc", Type: inventory.TypeRouter,
				FirstSeen: t0, LastSeen: t0, Sources: []inventory.Source{inventory.SourceARP},
				Profile: inventory.Profile{TypeConfidence: 0.2, TypeEvidence: []inventory.Evidence{{Source: "mac registry", Detail: "Cisco Systems, Inc"}}}}},
			wantChanged: 1,
		},
		{
			name: "observation without mac is ignored",
			obs:  []inventory.Observation{{Time: t0, Source: inventory.SourceARP, IP: ip1}},
		},
		{
			name: "one batch, two devices, one merged twice",
			obs: []inventory.Observation{
				{Time: t0, Source: inventory.SourceARP, MAC: a, IP: ip1},
				{Time: t0, Source: inventory.SourceARP, MAC: b, IP: ip2},
				{Time: t0.Add(time.Second), Source: inventory.SourceSNMP, MAC: a, Model: "WS-C3560", Type: inventory.TypeSwitch,
					SNMP: &inventory.SNMPSystem{Version: "2c", SysName: "core-sw"}},
			},
			want: []inventory.Device{
				{MAC: a, IP: ip1, IPs: []netip.Addr{ip1}, Vendor: "Cisco Systems, Inc", Type: inventory.TypeSwitch, Model: "WS-C3560",
					FirstSeen: t0, LastSeen: t0.Add(time.Second), Sources: []inventory.Source{inventory.SourceARP, inventory.SourceSNMP},
					SNMP: &inventory.SNMPSystem{Version: "2c", SysName: "core-sw"}},
				{MAC: b, RandomMAC: true, IP: ip2, IPs: []netip.Addr{ip2}, Type: inventory.TypeUnknown,
					FirstSeen: t0, LastSeen: t0, Sources: []inventory.Source{inventory.SourceARP}},
			},
			wantChanged: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openMemory(t, Config{})
			changed, err := s.Apply(tt.obs...)
			if err != nil {
				t.Fatal(err)
			}
			if changed != tt.wantChanged {
				t.Errorf("Apply changed = %d, want %d", changed, tt.wantChanged)
			}
			got, err := s.Devices()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, addrEqual, foldAdds); diff != "" {
				t.Errorf("Devices (-want +got):\n%s", diff)
			}
			if st := s.Stats(); st.Writes != uint64(len(tt.want)) || st.Observations != uint64(len(tt.obs)) {
				t.Errorf("Stats = %+v, want %d writes (one per device) and %d observations", st, len(tt.want), len(tt.obs))
			}
			n, err := s.DeviceCount()
			if err != nil || n != len(tt.want) {
				t.Errorf("DeviceCount = %d, %v; want %d", n, err, len(tt.want))
			}
		})
	}
}

func TestApplyCoalesces(t *testing.T) {
	s := openMemory(t, Config{LastSeenResolution: time.Minute})
	a := mac(t, "00:1b:54:aa:bb:cc")
	ip := netip.MustParseAddr("10.0.0.5")
	sighting := func(at time.Time) inventory.Observation {
		return inventory.Observation{Time: at, Source: inventory.SourceARP, MAC: a, IP: ip}
	}
	steps := []struct {
		name         string
		obs          inventory.Observation
		wantChanged  int
		wantWrites   uint64 // cumulative
		wantLastSeen time.Time
	}{
		{"first sighting is written", sighting(t0), 1, 1, t0},
		{"repeat within resolution is not", sighting(t0.Add(30 * time.Second)), 0, 1, t0},
		{"repeat at exactly the resolution is not", sighting(t0.Add(time.Minute)), 0, 1, t0},
		{"last_seen beyond resolution is written", sighting(t0.Add(61 * time.Second)), 0, 2, t0.Add(61 * time.Second)},
		{"a real change is written at once", inventory.Observation{Time: t0.Add(62 * time.Second), MAC: a, Hostname: "printer-2"}, 1, 3, t0.Add(62 * time.Second)},
	}
	for _, st := range steps {
		changed, err := s.Apply(st.obs)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if changed != st.wantChanged {
			t.Errorf("%s: changed = %d, want %d", st.name, changed, st.wantChanged)
		}
		if got := s.Stats().Writes; got != st.wantWrites {
			t.Errorf("%s: Stats().Writes = %d, want %d", st.name, got, st.wantWrites)
		}
		d, err := s.Device(a)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if !d.LastSeen.Equal(st.wantLastSeen) {
			t.Errorf("%s: stored last_seen = %s, want %s", st.name, d.LastSeen, st.wantLastSeen)
		}
	}
	if got := s.Stats().Coalesced; got != 2 {
		t.Errorf("Stats().Coalesced = %d, want 2", got)
	}
}

// An older sighting that moves first_seen back is a change Merge reports, so
// it is written even though last_seen does not advance.
func TestApplyWritesFirstSeenCorrection(t *testing.T) {
	s := openMemory(t, Config{})
	a := mac(t, "00:1b:54:aa:bb:cc")
	if _, err := s.Apply(inventory.Observation{Time: t0, MAC: a}); err != nil {
		t.Fatal(err)
	}
	changed, err := s.Apply(inventory.Observation{Time: t0.Add(-time.Hour), MAC: a})
	if err != nil || changed != 1 {
		t.Fatalf("Apply = %d, %v; want 1 change", changed, err)
	}
}

func TestDevicesOrderedByIP(t *testing.T) {
	s := openMemory(t, Config{})
	ips := []string{"10.0.0.10", "192.168.1.1", "10.0.0.9", "", "10.0.0.100", "fd00::1", "9.255.255.255"}
	var obs []inventory.Observation
	for i, ip := range ips {
		o := inventory.Observation{Time: t0, MAC: mac(t, fmt.Sprintf("00:00:5e:00:53:%02x", i))}
		if ip != "" {
			o.IP = netip.MustParseAddr(ip)
		}
		obs = append(obs, o)
	}
	if _, err := s.Apply(obs...); err != nil {
		t.Fatal(err)
	}
	devs, err := s.Devices()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range devs {
		if d.IP.IsValid() {
			got = append(got, d.IP.String())
		} else {
			got = append(got, "")
		}
	}
	want := []string{"", "9.255.255.255", "10.0.0.9", "10.0.0.10", "10.0.0.100", "192.168.1.1", "fd00::1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	// An IP change must move the device in the index.
	if _, err := s.Apply(inventory.Observation{Time: t0, MAC: mac(t, "00:00:5e:00:53:01"), IP: netip.MustParseAddr("10.0.0.1")}); err != nil {
		t.Fatal(err)
	}
	devs, _ = s.Devices()
	if devs[2].IP.String() != "10.0.0.1" {
		t.Errorf("after re-addressing, third device is %s, want 10.0.0.1", devs[2].IP)
	}
}

func TestDeviceNotFound(t *testing.T) {
	s := openMemory(t, Config{})
	for _, m := range []inventory.MAC{nil, mac(t, "00:1b:54:00:00:01")} {
		if _, err := s.Device(m); !errors.Is(err, ErrNotFound) {
			t.Errorf("Device(%q) error = %v, want ErrNotFound", m, err)
		}
	}
}

func TestPersistence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tend.db")
	a := mac(t, "00:1b:54:aa:bb:cc")
	b := mac(t, "00:1b:54:aa:bb:cd")
	hash := sessionHash(1)
	expires := testclock.Now().Add(time.Hour).Truncate(time.Second).UTC()

	s, err := Open(path, Config{Now: testclock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(
		inventory.Observation{Time: t0, Source: inventory.SourceARP, MAC: a, IP: netip.MustParseAddr("10.0.0.20")},
		inventory.Observation{Time: t0, Source: inventory.SourceARP, MAC: b, IP: netip.MustParseAddr("10.0.0.3")},
	); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(inventory.Observation{Time: t0.Add(time.Hour), MAC: a, Firmware: "15.2(7)E8"}); err != nil {
		t.Fatal(err)
	}
	user := User{Name: "alice", PasswordHash: "$2a$12$abcdefghijklmnopqrstuv", Created: t0, Role: RoleAdmin}
	if err := s.PutUser(user); err != nil {
		t.Fatal(err)
	}
	sess := Session{TokenHash: hash, User: "alice", CSRF: "csrf-token", Created: t0, Expires: expires, LastUsed: t0}
	if err := s.PutSession(sess); err != nil {
		t.Fatal(err)
	}
	wantDevs, err := s.Devices()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o600 {
		t.Errorf("database file mode = %v, want 0600: it holds password hashes", fi.Mode().Perm())
	}

	s, err = Open(path, Config{Now: testclock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	gotDevs, err := s.Devices() // through the index, rebuilt by Open
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantDevs, gotDevs, addrEqual); diff != "" {
		t.Errorf("devices after reopen (-want +got):\n%s", diff)
	}
	if len(gotDevs) != 2 || gotDevs[0].MAC.String() != b.String() || gotDevs[1].Firmware != "15.2(7)E8" {
		t.Errorf("devices after reopen = %+v; want b (10.0.0.3) then a with its firmware change", gotDevs)
	}
	gotUser, err := s.User("alice")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(user, gotUser); diff != "" {
		t.Errorf("user after reopen (-want +got):\n%s", diff)
	}
	gotSess, err := s.Session(hash)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sess, gotSess); diff != "" {
		t.Errorf("session after reopen (-want +got):\n%s", diff)
	}
}

func TestUserNames(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"alice", true},
		{"a", true},
		{"first.last_2-x", true},
		{"A1", true},
		{"", false},
		{"has space", false},
		{"colon:name", false},
		{"star*", false},
		{"ünïcode", false},
		{"x234567890123456789012345678901234567890123456789012345678901234", true},   // 64
		{"x2345678901234567890123456789012345678901234567890123456789012345", false}, // 65
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidateUserName(tt.name); (err == nil) != tt.ok {
				t.Errorf("ValidateUserName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
			}
		})
	}
}

func TestUsers(t *testing.T) {
	s := openMemory(t, Config{})
	const hash = "$2a$12$abcdefghijklmnopqrstuv"
	bob := User{Name: "bob", PasswordHash: hash, Created: t0, Role: RoleAdmin}
	alice := User{Name: "alice", PasswordHash: hash, Created: t0.Add(time.Hour), Role: RoleAdmin}
	for _, u := range []User{bob, alice} {
		if err := s.PutUser(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutUser(User{Name: "bad name", PasswordHash: hash}); err == nil {
		t.Error("PutUser accepted an invalid name")
	}
	if err := s.PutUser(User{Name: "carol", PasswordHash: "plaintext"}); err == nil {
		t.Error("PutUser accepted a value that is not a bcrypt hash")
	}
	got, err := s.Users()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]User{alice, bob}, got); diff != "" {
		t.Errorf("Users (-want +got):\n%s", diff)
	}
	for _, name := range []string{"carol", "not valid", ""} {
		if _, err := s.User(name); !errors.Is(err, ErrNotFound) {
			t.Errorf("User(%q) error = %v, want ErrNotFound", name, err)
		}
	}

	// Deleting a user signs them out everywhere, and only them.
	for i, u := range []string{"alice", "alice", "bob"} {
		if err := s.PutSession(Session{TokenHash: sessionHash(i), User: u, Expires: testclock.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteUser("alice"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser("alice"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second DeleteUser error = %v, want ErrNotFound", err)
	}
	for i, want := range []bool{false, false, true} {
		_, err := s.Session(sessionHash(i))
		if (err == nil) != want {
			t.Errorf("session %d after deleting alice: err = %v, want alive=%v", i, err, want)
		}
	}
}

func sessionHash(i int) string { return fmt.Sprintf("%064x", i+1) }

func TestSessions(t *testing.T) {
	now := t0
	clock := func() time.Time { return now }
	s := openMemory(t, Config{Now: clock})
	if err := s.PutUser(User{Name: "alice", PasswordHash: "$2a$12$x", Created: t0}); err != nil {
		t.Fatal(err)
	}
	good := Session{TokenHash: sessionHash(0), User: "alice", CSRF: "c", Created: t0, Expires: t0.Add(time.Hour), LastUsed: t0}

	bad := []struct {
		name string
		sess Session
	}{
		{"short hash", Session{TokenHash: "abc", User: "alice", Expires: t0.Add(time.Hour)}},
		{"upper-case hash", Session{TokenHash: fmt.Sprintf("%064X", 0xabc), User: "alice", Expires: t0.Add(time.Hour)}},
		{"unknown user", Session{TokenHash: sessionHash(1), User: "mallory", Expires: t0.Add(time.Hour)}},
		{"already expired", Session{TokenHash: sessionHash(2), User: "alice", Expires: t0}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.PutSession(tt.sess); err == nil {
				t.Error("PutSession succeeded")
			}
		})
	}

	if err := s.PutSession(good); err != nil {
		t.Fatal(err)
	}
	got, err := s.Session(good.TokenHash)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(good, got); diff != "" {
		t.Errorf("Session (-want +got):\n%s", diff)
	}
	// The buntdb item carries the TTL, so expired sessions leave the file.
	err = s.db.View(func(tx *buntdb.Tx) error {
		ttl, err := tx.TTL(sessionKey(good.TokenHash))
		if err != nil {
			return err
		}
		if ttl <= 59*time.Minute || ttl > time.Hour {
			t.Errorf("buntdb TTL = %s, want about an hour", ttl)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	now = t0.Add(time.Hour)
	if _, err := s.Session(good.TokenHash); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session after expiry error = %v, want ErrNotFound", err)
	}
	now = t0
	if err := s.DeleteSession(good.TokenHash); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(good.TokenHash); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session after delete error = %v, want ErrNotFound", err)
	}
	if err := s.DeleteSession(good.TokenHash); !errors.Is(err, ErrNotFound) {
		t.Errorf("second DeleteSession error = %v, want ErrNotFound", err)
	}
}

func TestConcurrentApply(t *testing.T) {
	s := openMemory(t, Config{})
	macs := make([][]inventory.MAC, 8)
	for g := range macs {
		for i := range 10 {
			macs[g] = append(macs[g], mac(t, fmt.Sprintf("00:00:5e:00:%02x:%02x", g, i)))
		}
	}
	var wg sync.WaitGroup
	for g := range macs {
		wg.Go(func() {
			for i := range 50 {
				o := inventory.Observation{Time: t0.Add(time.Duration(i) * time.Second), Source: inventory.SourceARP,
					MAC: macs[g][i%10], IP: netip.AddrFrom4([4]byte{10, 0, byte(g), byte(i % 10)})}
				if _, err := s.Apply(o); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n, err := s.DeviceCount(); err != nil || n != 80 {
		t.Errorf("DeviceCount = %d, %v; want 80", n, err)
	}
	if w := s.Stats().Writes; w != 80 {
		t.Errorf("Writes = %d, want 80: repeat sightings within a minute must coalesce", w)
	}
}
