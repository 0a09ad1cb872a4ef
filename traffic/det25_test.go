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
// client address from another MAC, the gateway's address, and the old
// owner speaking from the address again after it was handed on.
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
	t.Run("the old owner speaking from it again", func(t *testing.T) {
		// Its DHCP asked for another address, yet it claims the old one
		// after it was handed on: two devices use one address.
		r, at := start()
		r.feed(at, dhcpDiscover(t, nasMAC, nasMAC, 1))
		r.feed(at.Add(time.Second), dhcpRequest(t, nasMAC, 1, "10.0.0.31"))
		spoof(r, at.Add(2*time.Second))
		if evs := r.all(); len(evs) != 0 {
			t.Fatalf("the handed-on address raised before its old owner spoke: %+v", evs)
		}
		r.feed(at.Add(10*time.Second), arpFrame(t, layers.ARPRequest, nasMAC, "10.0.0.30", nil, "10.0.0.1"))
		if len(r.all()) == 0 {
			t.Fatal("the old owner claiming the address again raised nothing")
		}
	})
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
