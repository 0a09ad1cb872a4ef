package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// garpFrame is m's gratuitous ARP for ip (a broadcast request, sender
// address = target address), as the kernel's arp_notify and scapy send.
func garpFrame(t testing.TB, m net.HardwareAddr, ip string) []byte {
	return arpFrame(t, layers.ARPRequest, m, ip, nil, ip)
}

// TestAnnouncerAskingOnceEarly: a MAC with no address of its own
// announcing the silent NAS's address once a second, which asks with it
// once before its third announcement (one MAC, or a fresh MAC every 20 s,
// each asking), or asks after two announcements at +3.1 s, when the
// address may move, and announces on every 2 s: each is raised once its
// announcements outlast handoverQuiet, naming the announcer. A bond
// failover that sends three gratuitous ARPs a second apart, asking with the
// address at once, then uses it, stays quiet.
func TestAnnouncerAskingOnceEarly(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	ask := func(m net.HardwareAddr) []byte {
		return arpFrame(t, layers.ARPRequest, m, "10.0.0.30", nil, "10.0.0.1")
	}
	t.Run("one MAC asking at +0.5 s", func(t *testing.T) {
		r := newRig(t, Config{Gateway: gw})
		at := r.baseline(t0, 30*time.Second).Add(10 * time.Second)
		var fs []timed
		for _, x := range every(at, time.Second, 30) {
			fs = append(fs, timed{x, garpFrame(t, evilMAC, "10.0.0.30")})
		}
		play(r, append(fs, timed{at.Add(500 * time.Millisecond), ask(evilMAC)}))
		if ev := wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), ""); ev.Time.After(at.Add(4 * time.Second)) {
			t.Errorf("raised at +%s", ev.Time.Sub(at))
		}
		notNaming(t, r, nasMAC)
	})
	t.Run("a fresh MAC every 20 s, each asking", func(t *testing.T) {
		r := newRig(t, Config{Gateway: gw})
		at := r.baseline(t0, 30*time.Second).Add(10 * time.Second)
		var fs []timed
		macs := make([]net.HardwareAddr, 4)
		for i := range 80 {
			m := hw(fmt.Sprintf("02:00:00:00:03:%02x", i/20))
			macs[i/20] = m
			fs = append(fs, timed{at.Add(time.Duration(i) * time.Second), garpFrame(t, m, "10.0.0.30")})
			if i%20 == 0 {
				fs = append(fs, timed{at.Add(time.Duration(i)*time.Second + 500*time.Millisecond), ask(m)})
			}
		}
		play(r, fs)
		for _, m := range macs {
			wantOneOf(t, r, inventory.EventARPSpoof, m.String())
		}
		notNaming(t, r, nasMAC)
	})
	t.Run("two announcements, asking at +3.1 s, announcing on", func(t *testing.T) {
		r := newRig(t, Config{Gateway: gw})
		at := r.baseline(t0, 30*time.Second).Add(10 * time.Second)
		fs := []timed{{at, garpFrame(t, evilMAC, "10.0.0.30")}, {at.Add(time.Second), garpFrame(t, evilMAC, "10.0.0.30")},
			{at.Add(3100 * time.Millisecond), ask(evilMAC)}}
		for _, x := range every(at.Add(4*time.Second), 2*time.Second, 20) {
			fs = append(fs, timed{x, garpFrame(t, evilMAC, "10.0.0.30")})
		}
		play(r, fs)
		if ev := wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), ""); ev.TargetMAC.String() != nasMAC.String() {
			t.Errorf("victim %s, want the NAS", ev.TargetMAC)
		}
		if b := r.e.arp[netip.MustParseAddr("10.0.0.30")]; b == nil || b.mac != mac(nasMAC) {
			t.Errorf("the address stays the announcer's: %+v", b)
		}
	})
	t.Run("a bond failover asking at once, three announcements a second apart", func(t *testing.T) {
		slaveB := hw("00:1b:21:aa:00:41")
		r := newRig(t, Config{Gateway: gw})
		at := r.baseline(t0, 30*time.Second).Add(10 * time.Second)
		fs := []timed{{at.Add(100 * time.Millisecond), ask(slaveB)}}
		for _, x := range every(at, time.Second, 3) {
			fs = append(fs, timed{x, garpFrame(t, slaveB, "10.0.0.30")})
		}
		for i := range 5 {
			fs = append(fs, timed{at.Add(time.Duration(3+i) * time.Second), pingFrame(t, slaveB, "10.0.0.30", gwMAC, "10.0.0.1", 56)},
				timed{at.Add(time.Duration(3+i)*time.Second + time.Millisecond), arpFrame(t, layers.ARPRequest, slaveB, "10.0.0.30", nil, fmt.Sprintf("10.0.0.%d", 10+i))})
		}
		play(r, fs)
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("a failover raised %+v", evs)
		}
		if b := r.e.arp[netip.MustParseAddr("10.0.0.30")]; b == nil || b.mac != mac(slaveB) {
			t.Errorf("the address did not move to the new card: %+v", b)
		}
	})
}
