package traffic

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// Session 25's false-alarm fixes (issue 14): ordinary client-LAN ARP and
// address shapes that raised.

// dhcpRequest builds client m's own REQUEST for addr (option 50), as it
// selects an offer or confirms its lease after a reboot.
func dhcpRequest(t testing.TB, m net.HardwareAddr, xid uint32, addr string) []byte {
	return dhcpClient(t, m, m, xid, layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{byte(layers.DHCPMsgTypeRequest)}),
		dhcpOpt(layers.DHCPOptRequestIP, addr))
}

// reshuffleDevice is a device of TestLeaseReshuffle: its MAC, its address
// before the DHCP server lost its leases and the one it is given after.
type reshuffleDevice struct {
	mac      net.HardwareAddr
	was, now string
}

// reshuffle is n devices of which device i moves from .150+i to the
// address device i+1 held (the last to a fresh one).
func reshuffle(n int) []reshuffleDevice {
	ds := make([]reshuffleDevice, n)
	for i := range ds {
		ds[i] = reshuffleDevice{hw(fmt.Sprintf("3c:52:82:00:09:%02x", i)), fmt.Sprintf("10.0.0.%d", 150+i), fmt.Sprintf("10.0.0.%d", 151+i)}
	}
	return ds
}

// settle feeds each device resolving the gateway from its address of before.
func settle(t *testing.T, r *rig, at time.Time, ds []reshuffleDevice) {
	for i, d := range ds {
		r.feed(at.Add(time.Duration(i)*time.Millisecond), arpFrame(t, layers.ARPRequest, d.mac, d.was, nil, "10.0.0.1"))
	}
}

// renumber feeds the devices rebooting at once after the server's restart:
// each DISCOVERs, then each REQUESTs its new address, then each resolves
// the gateway from it, in the order given.
func renumber(t *testing.T, r *rig, at time.Time, ds []reshuffleDevice) {
	for i, d := range ds {
		r.feed(at.Add(time.Duration(i)*time.Millisecond), dhcpDiscover(t, d.mac, d.mac, uint32(i)))
	}
	for i, d := range ds {
		r.feed(at.Add(time.Second+time.Duration(i)*time.Millisecond), dhcpRequest(t, d.mac, uint32(i), d.now))
	}
	for i, d := range ds {
		r.feed(at.Add(2*time.Second+time.Duration(i)*100*time.Millisecond), arpFrame(t, layers.ARPRequest, d.mac, d.now, nil, "10.0.0.1"))
	}
}

// TestLeaseReshuffle: a DHCP server that restarted with its leases lost
// hands twenty rebooting devices each an address another held a minute
// before; every device's DHCP client asked for its new address first, so
// nobody claims an address its owner still uses. The claimant taking the
// address before its owner is heard on the new one is quiet too (the
// owner's DISCOVER came first).
func TestLeaseReshuffle(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	for _, order := range []string{"in turn", "the claimant first"} {
		t.Run(order, func(t *testing.T) {
			r := newRig(t, Config{Gateway: gw})
			at := r.baseline(t0, 30*time.Second)
			ds := reshuffle(20)
			settle(t, r, at, ds)
			if order == "the claimant first" {
				for i, j := 0, len(ds)-1; i < j; i, j = i+1, j-1 {
					ds[i], ds[j] = ds[j], ds[i]
				}
			}
			renumber(t, r, at.Add(time.Minute), ds)
			if evs := r.all(); len(evs) != 0 {
				t.Fatalf("a lease reshuffle raised %d events: %+v", len(evs), evs)
			}
			if b := r.e.arp[netip.MustParseAddr("10.0.0.151")]; b == nil || b.mac != mac(ds[len(ds)-1].mac) && b.mac != mac(ds[0].mac) {
				t.Fatalf("10.0.0.151 is not its new holder's: %+v", b)
			}
		})
	}
}

// TestLeaseReshuffleNotExempt: the claim of an address whose owner's DHCP
// client did not give it up is still a conflict: no DHCP at all (addresses
// set by hand, or a poisoner), the owner renewing the same address, the
// owner claiming the address again after its DHCP, DHCP under the owner's
// client address from another MAC, the gateway's address, and a claimant
// whose own DHCP did not ask for the address its owner's gave up.
func TestLeaseReshuffleNotExempt(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	start := func() (*rig, time.Time) {
		r := newRig(t, Config{Gateway: gw})
		return r, r.baseline(t0, 30*time.Second)
	}
	// spoof: the attacker (its own address .66) claims the NAS's address.
	spoof := func(r *rig, at time.Time) {
		r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
		r.feed(at.Add(time.Second), arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.30", pcMAC, "10.0.0.10"))
		r.feed(at.Add(2*time.Second), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, "10.0.0.10"))
	}
	for _, tc := range []struct {
		name   string
		before func(r *rig, at time.Time)
	}{
		{"no DHCP", func(*rig, time.Time) {}},
		{"the owner renewing its address", func(r *rig, at time.Time) {
			r.feed(at, dhcpRequest(t, nasMAC, 1, "10.0.0.30"))
		}},
		{"the owner renewing with ciaddr", func(r *rig, at time.Time) {
			b := dhcpClient(t, nasMAC, nasMAC, 1, layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{byte(layers.DHCPMsgTypeRequest)}))
			copy(b[14+20+8+12:], ip4("10.0.0.30").To4()) // ciaddr (RFC 2131 4.3.2: RENEWING)
			r.feed(at, b)
		}},
		{"the owner claiming it after its DHCP", func(r *rig, at time.Time) {
			r.feed(at, dhcpDiscover(t, nasMAC, nasMAC, 1))
			r.feed(at.Add(time.Second), arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1"))
		}},
		{"DHCP for the owner from another MAC", func(r *rig, at time.Time) {
			r.feed(at, dhcpDiscover(t, evilMAC, nasMAC, 1))
			r.feed(at.Add(time.Second), dhcpClient(t, evilMAC, nasMAC, 1, layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{byte(layers.DHCPMsgTypeRequest)}),
				dhcpOpt(layers.DHCPOptRequestIP, "10.0.0.99")))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, at := start()
			tc.before(r, at)
			spoof(r, at.Add(5*time.Second))
			wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "10.0.0.66")
		})
	}
	t.Run("the gateway's address", func(t *testing.T) {
		r, at := start()
		r.feed(at, dhcpDiscover(t, gwMAC, gwMAC, 1))
		r.feed(at.Add(time.Second), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.30"))
		r.feed(at.Add(2*time.Second), arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.1", pcMAC, "10.0.0.10"))
		if evs := r.of(inventory.EventARPSpoof); len(evs) != 1 || evs[0].Severity != inventory.SeverityCritical {
			t.Fatalf("the gateway's address claimed after the gateway's DHCP: %+v", r.all())
		}
	})
	t.Run("a claimant whose DHCP did not ask for it", func(t *testing.T) {
		// The NAS's DHCP asked for another address; the attacker's did not
		// ask for the NAS's: the claim is poisoning, at once, and the NAS
		// claiming its address again is no conflict of its making.
		r, at := start()
		r.feed(at, dhcpDiscover(t, nasMAC, nasMAC, 1))
		r.feed(at.Add(time.Second), dhcpRequest(t, nasMAC, 1, "10.0.0.31"))
		spoof(r, at.Add(2*time.Second))
		wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "10.0.0.66")
		r.feed(at.Add(10*time.Second), arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1"))
		wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "10.0.0.66")
		notNaming(t, r, nasMAC)
	})
}

// notNaming fails t if an event names m as its culprit.
func notNaming(t *testing.T, r *rig, m net.HardwareAddr) {
	t.Helper()
	for _, ev := range r.all() {
		if ev.MAC.String() == m.String() {
			t.Errorf("%s names %s: %+v", ev.Type, m, ev)
		}
	}
}

// timed is a frame and when it is heard.
type timed struct {
	at    time.Time
	frame []byte
}

// play feeds fs in time order.
func play(r *rig, fs []timed) {
	slices.SortStableFunc(fs, func(a, b timed) int { return a.at.Compare(b.at) })
	for _, f := range fs {
		r.feed(f.at, f.frame)
	}
}

// nasActive is the NAS pinging the gateway from addr every 10 s for d
// from at, and resolving it each time if arp (else its cache holds it).
func nasActive(t *testing.T, at time.Time, d time.Duration, addr string, arp bool) []timed {
	var fs []timed
	for x := at; x.Before(at.Add(d)); x = x.Add(10 * time.Second) {
		fs = append(fs, timed{x.Add(time.Millisecond), pingFrame(t, nasMAC, addr, gwMAC, "10.0.0.1", 56)})
		if arp {
			fs = append(fs, timed{x, arpFrame(t, layers.ARPRequest, nasMAC, addr, nil, "10.0.0.1")})
		}
	}
	return fs
}

// poisonAt is arpspoof's reply telling the PC that .30 is at the
// attacker, at each of ats.
func poisonAt(t *testing.T, ats ...time.Time) []timed {
	fs := make([]timed, len(ats))
	for i, x := range ats {
		fs[i] = timed{x, arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.30", pcMAC, "10.0.0.10")}
	}
	return fs
}

// every is n times step apart from at.
func every(at time.Time, step time.Duration, n int) []time.Time {
	ts := make([]time.Time, n)
	for i := range ts {
		ts[i] = at.Add(time.Duration(i) * step)
	}
	return ts
}

// TestForgedLeaseThenPoisoning: DHCP forged under the victim's own MAC
// (its client giving the address up) does not hand the address to a
// poisoner whose own DHCP did not ask for it, though the victim, its
// neighbour cached, only sends IP; forged under both MACs, the victim's
// next claim of its address takes it back and the poisoner's next claim is
// arp_spoof naming the poisoner, never the victim.
func TestForgedLeaseThenPoisoning(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	for _, tc := range []struct {
		name   string
		own    string
		forged func(r *rig, at time.Time)
		step   time.Duration
	}{
		{"a forged DISCOVER", "", func(r *rig, at time.Time) { r.feed(at, dhcpDiscover(t, nasMAC, nasMAC, 1)) }, 2 * time.Second},
		{"a forged DISCOVER, its own address seen", "10.0.0.66", func(r *rig, at time.Time) { r.feed(at, dhcpDiscover(t, nasMAC, nasMAC, 1)) }, 2 * time.Second},
		{"a forged REQUEST for another address", "", func(r *rig, at time.Time) { r.feed(at, dhcpRequest(t, nasMAC, 1, "10.0.0.99")) }, 2 * time.Second},
		{"forged under both MACs", "", func(r *rig, at time.Time) {
			r.feed(at, dhcpDiscover(t, nasMAC, nasMAC, 1))
			r.feed(at, dhcpRequest(t, evilMAC, 2, "10.0.0.30"))
		}, 2 * time.Second},
		{"forged under both MACs, poisoning every 35 s", "", func(r *rig, at time.Time) {
			r.feed(at, dhcpDiscover(t, nasMAC, nasMAC, 1))
			r.feed(at, dhcpRequest(t, evilMAC, 2, "10.0.0.30"))
		}, 35 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: gw})
			at := r.baseline(t0, 30*time.Second)
			if tc.own != "" {
				r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, tc.own, nil, "10.0.0.1"))
			}
			tc.forged(r, at.Add(time.Second))
			both := strings.HasPrefix(tc.name, "forged under both")
			fs := append(nasActive(t, at.Add(5*time.Second), 20*tc.step, "10.0.0.30", both), poisonAt(t, every(at.Add(2*time.Second), tc.step, 20)...)...)
			play(r, fs)
			wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), tc.own)
			notNaming(t, r, nasMAC)
		})
	}
}

// TestForgedLeaseVictimSilentInARP: DHCP forged under both MACs, the
// victim sending only IP (its neighbours cached) for longer than
// ConflictWindow: its first claim of its address afterwards still takes it
// back, and the poisoner is named, not the victim.
func TestForgedLeaseVictimSilentInARP(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 30*time.Second)
	r.feed(at, dhcpDiscover(t, nasMAC, nasMAC, 1))
	r.feed(at, dhcpRequest(t, evilMAC, 2, "10.0.0.30"))
	fs := append(poisonAt(t, every(at.Add(time.Second), 2*time.Second, 200)...), nasActive(t, at.Add(2*time.Second), 6*time.Minute, "10.0.0.30", false)...)
	play(r, append(fs, timed{at.Add(6 * time.Minute), arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1")}))
	wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "")
	notNaming(t, r, nasMAC)
}

// TestPausingPoisoner: a poisoner re-announcing an active host's address
// every 35 s, or at random every 31 to 60 s, in replies or gratuitous ARP,
// is raised: its pauses do not begin new runs of claims (only a retaken
// address's rival's do).
func TestPausingPoisoner(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	rnd := rand.New(rand.NewPCG(25, 14))
	random := func(at time.Time) []time.Time {
		ts := []time.Time{at}
		for range 20 {
			at = at.Add(31*time.Second + time.Duration(rnd.Int64N(int64(29*time.Second))))
			ts = append(ts, at)
		}
		return ts
	}
	for _, tc := range []struct {
		name string
		ats  func(at time.Time) []time.Time
		garp bool
	}{
		{"replies every 35 s", func(at time.Time) []time.Time { return every(at, 35*time.Second, 20) }, false},
		{"replies every 31-60 s", random, false},
		{"gratuitous every 35 s", func(at time.Time) []time.Time { return every(at, 35*time.Second, 20) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Gateway: gw})
			at := r.baseline(t0, 30*time.Second)
			fs := poisonAt(t, tc.ats(at.Add(time.Second))...)
			if tc.garp {
				for i := range fs {
					fs[i].frame = arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, "10.0.0.30")
				}
			}
			play(r, append(fs, nasActive(t, at, 15*time.Minute, "10.0.0.30", true)...))
			wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "")
			notNaming(t, r, nasMAC)
		})
	}
}

// TestAnnouncerThatAsks: arpspoof's replies to the PC against a silent
// NAS, with one ARP request from the NAS's address as well, before the
// replies or among them: the replies nobody asked for are poisoning.
func TestAnnouncerThatAsks(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	for _, ask := range []time.Duration{time.Second, -500 * time.Millisecond, 3500 * time.Millisecond} {
		t.Run(fmt.Sprintf("asking at %s", ask), func(t *testing.T) {
			r := newRig(t, Config{Gateway: gw})
			at := r.baseline(t0, 30*time.Second)
			fs := append(poisonAt(t, every(at, 2*time.Second, 20)...),
				timed{at.Add(ask), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, "10.0.0.1")})
			play(r, fs)
			wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "")
			notNaming(t, r, nasMAC)
		})
	}
}

// dhcpDiscoverKeeping builds m's DISCOVER suggesting addr (option 50), as
// dhclient does with its recorded lease.
func dhcpDiscoverKeeping(t testing.TB, m net.HardwareAddr, xid uint32, addr string) []byte {
	return dhcpClient(t, m, m, xid, layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{byte(layers.DHCPMsgTypeDiscover)}),
		dhcpOpt(layers.DHCPOptRequestIP, addr))
}

// TestDiscoverKeepingAddress: a DISCOVER asking for the address the client
// holds (option 50) does not give it up: another MAC claiming it is a
// conflict at once, even if its own DHCP asked for the address too.
func TestDiscoverKeepingAddress(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	r := newRig(t, Config{Gateway: gw})
	at := r.baseline(t0, 30*time.Second)
	r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
	r.feed(at.Add(time.Second), dhcpDiscoverKeeping(t, nasMAC, 1, "10.0.0.30"))
	r.feed(at.Add(2*time.Second), dhcpRequest(t, evilMAC, 2, "10.0.0.30"))
	for i := range 3 {
		r.feed(at.Add(time.Duration(3+i)*time.Second), pingFrame(t, nasMAC, "10.0.0.30", gwMAC, "10.0.0.1", 56))
		r.feed(at.Add(time.Duration(3+i)*time.Second+time.Millisecond), arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.30", pcMAC, "10.0.0.10"))
	}
	wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "10.0.0.66")
}

// TestPoisoningAfterReshuffle: the NAS really moved to .31 (its DHCP asked
// for it); a poisoner claiming .30 at once is raised at once, named, not
// the NAS;
// the laptop the server gave .30 takes it quietly, and so does it with no
// poisoner while the NAS speaks on from .31.
func TestPoisoningAfterReshuffle(t *testing.T) {
	gw := netip.MustParseAddr("10.0.0.1")
	laptop := hw("3c:52:82:00:00:31")
	for _, own := range []string{"", "10.0.0.66", "none: no poisoner"} {
		t.Run("poisoner's address "+own, func(t *testing.T) {
			r := newRig(t, Config{Gateway: gw})
			at := r.baseline(t0, 30*time.Second)
			r.feed(at, dhcpDiscover(t, nasMAC, nasMAC, 1))
			r.feed(at.Add(time.Second), dhcpRequest(t, nasMAC, 1, "10.0.0.31"))
			fs := nasActive(t, at.Add(2*time.Second), 2*time.Minute, "10.0.0.31", true)
			fs = append(fs, timed{at.Add(30 * time.Second), dhcpRequest(t, laptop, 2, "10.0.0.30")})
			for _, x := range []time.Duration{31, 61, 91} {
				fs = append(fs, timed{at.Add(x * time.Second), arpFrame(t, layers.ARPRequest, laptop, "10.0.0.30", nil, "10.0.0.1")})
			}
			if own != "none: no poisoner" {
				if own != "" {
					r.feed(at.Add(2*time.Second), arpFrame(t, layers.ARPRequest, evilMAC, own, nil, "10.0.0.1"))
				}
				fs = append(fs, poisonAt(t, every(at.Add(3*time.Second), 2*time.Second, 50)...)...)
			}
			play(r, fs)
			notNaming(t, r, nasMAC)
			notNaming(t, r, laptop)
			if own == "none: no poisoner" {
				if evs := r.all(); len(evs) != 0 {
					t.Fatalf("a reshuffle raised %+v", evs)
				}
				return
			}
			if ev := wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), own); !ev.Time.Before(at.Add(30 * time.Second)) {
				t.Errorf("raised at %s, once the laptop appeared", ev.Time.Sub(at))
			}
		})
	}
}

// bondFailover feeds the address .30 moving to the card to: n gratuitous
// ARPs 100 ms apart (bonding's num_grat_arp: one peer notification per
// miimon tick, drivers/net/bonding/bond_main.c), then the card pinging
// the gateway and resolving five hosts over five seconds.
func bondFailover(t *testing.T, r *rig, at time.Time, to net.HardwareAddr, n int) {
	for i := range n {
		r.feed(at.Add(time.Duration(i)*100*time.Millisecond), arpFrame(t, layers.ARPRequest, to, "10.0.0.30", nil, "10.0.0.30"))
	}
	for i := range 5 {
		r.feed(at.Add(time.Duration(i+1)*time.Second), pingFrame(t, to, "10.0.0.30", gwMAC, "10.0.0.1", 56))
		r.feed(at.Add(time.Duration(i+1)*time.Second), arpFrame(t, layers.ARPRequest, to, "10.0.0.30", nil, fmt.Sprintf("10.0.0.%d", 10+i)))
	}
}

// TestBondFailoverGratuitousARPs: an active-backup failover that sends
// three or more gratuitous ARPs while the failed card is silent moves the
// address quietly, and so does one flapping back and forth within
// ConflictWindow; with the old card still speaking the announcements are
// a conflict, and a stranger announcing a silent owner's address is
// raised once it has announced for handoverQuiet without asking with the
// address, or once the owner speaks.
func TestBondFailoverGratuitousARPs(t *testing.T) {
	slaveB := hw("00:1b:21:aa:00:41")
	gw := netip.MustParseAddr("10.0.0.1")
	for _, n := range []int{3, 10} {
		t.Run(fmt.Sprintf("num_grat_arp %d, flapping", n), func(t *testing.T) {
			r := newRig(t, Config{Gateway: gw})
			at := r.baseline(t0, 30*time.Second)
			for i, card := range []net.HardwareAddr{slaveB, nasMAC, slaveB, nasMAC} {
				bondFailover(t, r, at.Add(time.Duration(i)*time.Minute), card, n)
				if evs := r.all(); len(evs) != 0 {
					t.Fatalf("failover %d to %s raised %+v", i+1, card, evs)
				}
			}
		})
	}
	t.Run("the old card still speaking", func(t *testing.T) {
		r := newRig(t, Config{Gateway: gw})
		at := r.baseline(t0, 30*time.Second)
		for i := range 3 {
			r.feed(at.Add(time.Duration(i)*100*time.Millisecond), arpFrame(t, layers.ARPRequest, slaveB, "10.0.0.30", nil, "10.0.0.30"))
			r.feed(at.Add(time.Duration(i)*100*time.Millisecond+time.Millisecond), pingFrame(t, nasMAC, "10.0.0.30", gwMAC, "10.0.0.1", 56))
		}
		wantOne(t, r, inventory.EventARPSpoof, slaveB.String(), "")
	})
	t.Run("a stranger announcing a silent owner's address", func(t *testing.T) {
		// arpspoof's rhythm (a reply every 2 s) with no address of its
		// own, never asking with the address: raised while the NAS is
		// silent, once its announcements outlast handoverQuiet.
		r := newRig(t, Config{Gateway: gw})
		at := r.baseline(t0, 30*time.Second)
		for i := range 3 {
			r.feed(at.Add(time.Duration(i)*2*time.Second), arpFrame(t, layers.ARPReply, evilMAC, "10.0.0.30", pcMAC, "10.0.0.10"))
		}
		wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "")
	})
	t.Run("a stranger announcing, then the owner speaking", func(t *testing.T) {
		// Three announcements 100 ms apart, as a failover sends, then a
		// request with the address: quiet while the NAS is silent, raised
		// at the stranger's next claim once the NAS answers.
		r := newRig(t, Config{Gateway: gw})
		at := r.baseline(t0, 30*time.Second)
		for i := range 3 {
			r.feed(at.Add(time.Duration(i)*100*time.Millisecond), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, "10.0.0.30"))
		}
		r.feed(at.Add(time.Second), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, "10.0.0.1"))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("raised before the owner spoke: %+v", evs)
		}
		r.feed(at.Add(2*time.Second), pingFrame(t, nasMAC, "10.0.0.30", pcMAC, "10.0.0.10", 56))
		r.feed(at.Add(2500*time.Millisecond), arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.30", nil, "10.0.0.30"))
		wantOne(t, r, inventory.EventARPSpoof, evilMAC.String(), "")
	})
}
