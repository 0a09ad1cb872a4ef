package storage

import (
	"errors"
	"net/netip"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"tend/identity"
	"tend/inventory"
)

// TestApplyIdentityAbsorbs: when the fuser learns that a MAC is another
// device's (a phone's rotated randomised MAC, tied by its DHCP client
// identifier), Apply folds the old record into the canonical one and deletes
// it, in the same transaction as the observation.
func TestApplyIdentityAbsorbs(t *testing.T) {
	s := openMemory(t, Config{})
	phone := mac(t, "da:52:82:00:00:10")
	rotated := mac(t, "7a:11:22:33:44:55")
	ip := netip.MustParseAddr("10.0.0.20")
	if _, err := s.Apply(inventory.Observation{Time: t0, Source: inventory.SourceDHCP, MAC: phone, IP: ip, Hostname: "anna-phone", DHCPClientID: "ff00aa"},
		inventory.Observation{Time: t0.Add(time.Minute), Source: inventory.SourceARP, MAC: rotated, IP: ip}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.DeviceCount(); n != 2 {
		t.Fatalf("%d devices before fusion, want 2", n)
	}
	changed, err := s.Apply(inventory.Observation{Time: t0.Add(2 * time.Minute), Source: inventory.SourceDHCP, MAC: rotated, IP: ip, DHCPClientID: "ff00aa"})
	if err != nil {
		t.Fatal(err)
	}
	if changed == 0 {
		t.Errorf("changed %d; want a change", changed)
	}
	devs, err := s.Devices()
	if err != nil {
		t.Fatal(err)
	}
	if len(devs) != 1 || devs[0].MAC.String() != phone.String() || devs[0].Hostname != "anna-phone" {
		t.Fatalf("after fusion %+v, want the phone alone", devs)
	}
	if !devs[0].LastSeen.Equal(t0.Add(2 * time.Minute)) {
		t.Errorf("last seen %v, want the rotated MAC's sighting", devs[0].LastSeen)
	}
	if _, err := s.Device(rotated); err == nil {
		t.Error("the rotated MAC's record is still there")
	}
	if d, err := s.DeviceOf(rotated); err != nil || d.MAC.String() != phone.String() {
		t.Errorf("DeviceOf(rotated) = %s, %v; want the phone", d.MAC, err)
	}
}

func TestUpdateDevices(t *testing.T) {
	s := openMemory(t, Config{})
	a, b := mac(t, "00:1b:54:aa:bb:cc"), mac(t, "00:1b:54:aa:bb:cd")
	if _, err := s.Apply(inventory.Observation{Time: t0, MAC: a}, inventory.Observation{Time: t0.Add(time.Hour), MAC: b}); err != nil {
		t.Fatal(err)
	}
	n, err := s.UpdateDevices(func(d *inventory.Device) bool { return inventory.Offline(d, t0.Add(90*time.Minute), time.Hour) })
	if err != nil {
		t.Fatal(err)
	}
	da, _ := s.Device(a)
	db, _ := s.Device(b)
	if da.Online || da.StatusChanged.IsZero() {
		t.Errorf("a, silent 90 min with a 60 min window: online=%v changed=%v, want offline", da.Online, da.StatusChanged)
	}
	if !db.Online {
		t.Error("b, heard 30 min ago, went offline inside its window")
	}
	if n != 1 {
		t.Errorf("%d devices written, want only the one that went offline", n)
	}
}

func TestSiteTraffic(t *testing.T) {
	s := openMemory(t, Config{})
	a, b := mac(t, "00:1b:54:aa:bb:cc"), mac(t, "00:1b:54:aa:bb:cd")
	p1, p2 := t0, t0.Add(5*time.Minute)
	if err := s.PutHostStats(
		HostStat{MAC: a, Start: p1, Period: 5 * time.Minute, BytesOut: 100, BytesIn: 7},
		HostStat{MAC: b, Start: p1, Period: 5 * time.Minute, BytesOut: 50},
		HostStat{MAC: a, Start: p2, Period: 5 * time.Minute, BytesOut: 10},
		HostStat{MAC: b, Start: t0.Add(-time.Hour), Period: 5 * time.Minute, BytesOut: 999}, // before since
	); err != nil {
		t.Fatal(err)
	}
	got, err := s.SiteTraffic(t0)
	if err != nil {
		t.Fatal(err)
	}
	want := []SitePeriod{{Start: p1, Bytes: 150}, {Start: p2, Bytes: 10}}
	if len(got) != len(want) {
		t.Fatalf("site traffic %+v, want %+v", got, want)
	}
	for i := range want {
		if !got[i].Start.Equal(want[i].Start) || got[i].Bytes != want[i].Bytes {
			t.Errorf("period %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestOpenLocks: a second Open of the same database, as a second process
// would do (tend user add while tend serve runs), is refused with ErrInUse
// instead of writing changes the first would never see; Close releases it.
func TestOpenLocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tend.db")
	a, err := Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := Open(path, Config{}); !errors.Is(err, ErrInUse) {
		if b != nil {
			b.Close()
		}
		t.Fatalf("second open: %v, want ErrInUse", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := Open(path, Config{})
	if err != nil {
		t.Fatalf("open after close: %v", err)
	}
	b.Close()
}

// TestCloseUnlocksWhileForked: Close releases the lock even while another
// descriptor of the lock file's open file lives on, as in a child forked
// just before and not yet exec'd (a dup stands in for it): a CLI run
// right after a Close was refused with ErrInUse.
func TestCloseUnlocksWhileForked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tend.db")
	a, err := Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	child, err := syscall.Dup(int(a.lock.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(child)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := Open(path, Config{})
	if err != nil {
		t.Fatalf("open after close, the lock file still open in a child: %v", err)
	}
	b.Close()
}

// TestApplyClassifiesTheGateway: with the wiring's hint, the default gateway
// is a router from its first ARP sighting, though it answers nothing else;
// without the hint it stays unknown.
func TestApplyClassifiesTheGateway(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	for _, hinted := range []bool{false, true} {
		s := openMemory(t, Config{})
		if hinted {
			s.SetClassifyHints(identity.ClassifyHints{Gateways: []netip.Addr{gw}})
		}
		m := mac(t, "02:00:5e:00:53:01")
		if _, err := s.Apply(inventory.Observation{Time: t0, Source: inventory.SourceARP, MAC: m, IP: gw}); err != nil {
			t.Fatal(err)
		}
		d, err := s.Device(m)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]inventory.DeviceType{false: inventory.TypeUnknown, true: inventory.TypeRouter}[hinted]; d.Type != want {
			t.Errorf("hinted=%v: type %q, want %q (evidence %+v)", hinted, d.Type, want, d.TypeEvidence)
		}
	}
}
