package main

import (
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"tend/inventory"
	"tend/storage"
)

// TestServeIdentityAndPresence: through the store as serve wires it, a
// device is classified and tracked as it is stored, a MAC that turns out to
// be the same device is folded into it, and the presence check marks a
// device offline only once it has been silent past the window.
func TestServeIdentityAndPresence(t *testing.T) {
	st, err := storage.Open(":memory:", storage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	mac := func(s string) inventory.MAC {
		m, err := inventory.ParseMAC(s)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	sw, chassis := mac("00:1b:54:00:00:07"), mac("00:1b:54:00:00:01")
	printer := mac("00:80:77:00:00:20")
	if _, err := st.Apply(
		inventory.Observation{Time: t0, Source: inventory.SourceARP, MAC: printer, IP: netip.MustParseAddr("10.0.0.20"),
			Make: "Brother", Model: "MFC-L2710DW"},
		inventory.Observation{Time: t0, Source: inventory.SourceARP, MAC: sw, IP: netip.MustParseAddr("10.0.0.2")},
		inventory.Observation{Time: t0.Add(time.Minute), Source: inventory.SourceLLDP, MAC: sw, ChassisMAC: chassis,
			Capabilities: []string{"bridge"}, Hostname: "core-sw"},
	); err != nil {
		t.Fatal(err)
	}
	devs, err := st.Devices()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]inventory.Device{}
	for _, d := range devs {
		byName[d.Name()] = d
	}
	p, ok := byName["MFC-L2710DW (10.0.0.20)"] // no host name: model and address
	if !ok {
		t.Fatalf("no printer among %d devices", len(devs))
	}
	if p.Type != inventory.TypePrinter || !p.Online {
		t.Errorf("printer stored as type %q online=%v, want printer, online", p.Type, p.Online)
	}
	if s, ok := byName["core-sw"]; !ok || s.Type != inventory.TypeSwitch {
		t.Errorf("switch stored as %+v, want type switch", s)
	}
	if len(devs) != 2 {
		t.Errorf("%d devices, want 2: the chassis MAC and the port MAC are one switch", len(devs))
	}

	// A device heard only passively is judged on the presence tick, not
	// only after the next sweep.
	nas := mac("00:11:32:00:00:30")
	if _, err := st.Apply(inventory.Observation{Time: t0, Source: inventory.SourceSSDP, MAC: nas, Make: "Synology", Model: "DS216j"}); err != nil {
		t.Fatal(err)
	}
	j := testJudge(t, "")
	pr := &storage.Presence{Store: st, Grace: 10 * time.Minute, Now: func() time.Time { return t0.Add(5 * time.Minute) },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), After: func() {
			if _, err := st.UpdateDevices(j.Rejudge); err != nil {
				t.Error(err)
			}
		}}
	pr.Check()
	if d, _ := st.Device(printer); !d.Online {
		t.Error("printer went offline inside its window")
	}
	if d, _ := st.Device(nas); d.Lifecycle == nil {
		t.Errorf("the passively heard NAS has no verdict after the presence tick: %+v", d)
	} else {
		t.Logf("passive NAS verdict %+v age %+v", *d.Lifecycle, d.Age)
	}
	pr.Now = func() time.Time { return t0.Add(11 * time.Minute) }
	pr.Check()
	if d, _ := st.Device(printer); d.Online {
		t.Error("printer silent for 11 minutes with a 10-minute window is still online")
	}
}

// TestUserAddRefusedWhileServing: the CLI refuses to write a database a
// running tend has open (it would not see the change), and says what to do.
func TestUserAddRefusedWhileServing(t *testing.T) {
	dir := t.TempDir()
	st, err := openStore(dir) // as tend serve holds it
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out, errOut strings.Builder
	err = run(t.Context(), []string{"user", "add", "--data", dir, "--name", "bob", "--password-stdin"},
		strings.NewReader("a long enough passphrase\n"), &out, &errOut)
	if err == nil || !errors.Is(err, storage.ErrInUse) || !strings.Contains(err.Error(), "web UI") {
		t.Fatalf("user add while serving: %v, want a refusal pointing to the web UI", err)
	}
	if _, err := st.User("bob"); err == nil {
		t.Error("bob was added behind the running process's back")
	}
}
