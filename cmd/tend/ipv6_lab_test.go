package main

import (
	"context"
	"testing"
	"time"

	"tend/inventory"
	"tend/traffic"
)

// IPv6 attacks from thc-ipv6, a toolkit the detectors were not tuned on,
// in the watch lab: the lab's hosts get fd66::/64 besides link-local.

// ula6 gives the lab's gateway, PC, NAS and evil an address in fd66::/64
// (host .N at fd66::N) without duplicate address detection.
func ula6(t *testing.T, l *watchLab) map[string]string {
	t.Helper()
	addrs := map[string]string{"gw": "fd66::1", "pc": "fd66::10", "nas": "fd66::30", "evil": "fd66::66"}
	for dev, a := range addrs {
		if out, err := l.run(t.Context(), dev, "ip", "addr", "add", a+"/64", "dev", "eth0", "nodad"); err != nil {
			t.Fatalf("%s: ip addr add %s: %v\n%s", dev, a, err, out)
		}
	}
	return addrs
}

func TestWatchLabThcDADDenial(t *testing.T) {
	needLabRoot(t, "atk6-dos-new-ip6", "ping")
	l := startWatch(t, traffic.Config{Learning: time.Second})
	l.chatter(2*time.Second, "pc", "evil")
	// Not l.start under timeout: it ignores SIGTERM, and killed directly
	// (ip netns exec execs it) it cannot outlive the test.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	done := make(chan struct{})
	go func() { l.run(ctx, "evil", "atk6-dos-new-ip6", "eth0"); close(done) }()
	defer func() { cancel(); <-done }()
	time.Sleep(2 * time.Second)
	// The PC adds addresses; each duplicate address probe is answered by a forged MAC.
	for _, a := range []string{"fd66::a1", "fd66::a2", "fd66::a3"} {
		if out, err := l.run(t.Context(), "pc", "ip", "addr", "add", a+"/64", "dev", "eth0"); err != nil {
			t.Fatalf("ip addr add %s: %v\n%s", a, err, out)
		}
		time.Sleep(2 * time.Second)
	}
	ev := l.waitEvent(inventory.EventNDSpoof, "", 10*time.Second) // forged MACs: no culprit
	if ev.TargetMAC.String() != "3c:52:82:00:00:10" {
		t.Errorf("nd_spoof %+v, want the PC as target", ev)
	}
}

func TestWatchLabThcRedirect(t *testing.T) {
	needLabRoot(t, "atk6-redir6", "ping")
	l := startWatch(t, traffic.Config{Learning: time.Second})
	a := ula6(t, l)
	l.chatter(2*time.Second, "pc", "evil", "nas")
	l.start("pc", "ping", "-6", "-q", "-c", "20", "-i", "0.3", a["nas"])
	time.Sleep(time.Second)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	// A redirect forged as the gateway: the PC's traffic for the NAS through evil.
	if out, err := l.run(ctx, "evil", "atk6-redir6", "eth0", a["pc"], a["nas"], a["gw"], a["evil"]); err != nil {
		t.Fatalf("redir6: %v\n%s", err, out)
	}
	ev := l.waitEvent(inventory.EventNDSpoof, "b8:27:eb:00:00:66", 10*time.Second)
	if ev.TargetIP.String() != a["nas"] {
		t.Errorf("nd_spoof %+v, want the NAS's address as target", ev)
	}
}
