package traffic

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestOwnerSilentNotInjected: answers and resets under an address whose
// ARP-bound MAC never sends IP from it are no injection (review 32c D1-D3,
// K1): a Linux host's second NIC on the subnet (arp_ignore=1: the NAS
// never claims .31, which ARP binds to its second NIC, but replies from
// .31 through its first), and an LVS real server answering from the
// virtual address ARP binds to the director, which only forwards the
// client's query. Once the second NIC sends from .31 itself, a forged
// answer under .31 raises. Checked to fail without ownerSends (one
// name_poisoning and one reset_injection by the NAS).
func TestOwnerSilentNotInjected(t *testing.T) {
	nic2, director, real := hw("00:11:32:00:00:31"), hw("00:11:32:00:00:05"), hw("00:11:32:00:00:61")
	r, at := injectionRig(t)
	r.feed(at, arpFrame(t, layers.ARPReply, nic2, "10.0.0.31", pcMAC, "10.0.0.10"))
	r.feed(at, arpFrame(t, layers.ARPRequest, director, "10.0.0.5", nil, "10.0.0.1"))
	r.feed(at, arpFrame(t, layers.ARPReply, director, "10.0.0.53", pcMAC, "10.0.0.10"))
	r.feed(at, arpFrame(t, layers.ARPRequest, real, "10.0.0.61", nil, "10.0.0.1"))
	r.reset()
	for i := range 3 {
		id := uint16(0x6000 + i)
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 40002, nic2, "10.0.0.31", 53, spoofDNS(id, "")))
		r.feed(at, udpFrame(t, nasMAC, "10.0.0.31", 53, pcMAC, "10.0.0.10", 40002, spoofDNS(id, "10.0.0.40")))
		r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", 50100, nic2, "10.0.0.31", 8080, tcpFlags{syn: true}, nil))
		r.feed(at, tcpFrame(t, nasMAC, "10.0.0.31", 8080, pcMAC, "10.0.0.10", 50100, tcpFlags{rst: true, ack: true}, nil))
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 40003, director, "10.0.0.53", 53, spoofDNS(id, "")))
		r.feed(at, udpFrame(t, director, "10.0.0.10", 40003, real, "10.0.0.53", 53, spoofDNS(id, "")))
		r.feed(at, udpFrame(t, real, "10.0.0.53", 53, pcMAC, "10.0.0.10", 40003, spoofDNS(id, "10.0.0.80")))
		at = at.Add(time.Second)
	}
	if evs := append(r.of(inventory.EventNamePoisoning), r.of(inventory.EventResetInjection)...); len(evs) != 0 {
		t.Fatalf("a multihomed host's and an LVS real server's replies raised %+v", evs)
	}
	r.feed(at, udpFrame(t, nic2, "10.0.0.31", 53, pcMAC, "10.0.0.10", 40004, spoofDNS(0x6100, "10.0.0.40")))
	r.feed(at, udpFrame(t, nasMAC, "10.0.0.31", 53, pcMAC, "10.0.0.10", 40004, spoofDNS(0x6100, "10.0.0.30")))
	if evs := r.of(inventory.EventNamePoisoning); len(evs) != 1 || evs[0].MAC.String() != nasMAC.String() {
		t.Fatalf("want one name_poisoning by %s once .31's own MAC answers from it, got %+v", nasMAC, evs)
	}
}

// TestSilentHolderDefends: a host holding an address (nodad), silent
// before, that defends it against another's duplicate address probe and
// then uses it (answers a solicitation for it, sends from it) raises
// nothing, nor does a lone denial the capture ends within dadGather of
// (review 32c G1, dos-new-ip6-one-address-thc.pcap); a denier that stays
// away from the address a minute is nd_spoof (TestLoneDADDenial). Checked
// to fail without loneDADUse and the 60 s hold (one nd_spoof each).
func TestSilentHolderDefends(t *testing.T) {
	target := netip.MustParseAddr("fd32::10")
	prober, holder := hw("02:32:c0:00:00:20"), hw("02:32:c0:00:05:32")
	dad := icmp6Frame(t, prober, "::", hw("33:33:ff:00:00:10"), "ff02::1:ff00:10", 135, ndBody(false, target))
	deny := ndBody(false, target)
	deny[0] = 0x20
	answer := ndBody(false, target)
	answer[0] = 0x60 // solicited, override
	for _, tc := range []struct {
		name string
		use  []byte
	}{
		{"answers a solicitation", icmp6Frame(t, holder, target.String(), gwMAC, "fd32::1", 136, answer)},
		{"sends from it", icmp6Frame(t, holder, target.String(), gwMAC, "fd32::1", 129, []byte{0, 1, 0, 1})},
		{"capture ends", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			r.feed(t0.Add(5*time.Second), dad)
			r.feed(t0.Add(5*time.Second+30*time.Microsecond), icmp6Frame(t, holder, target.String(), hw("33:33:00:00:00:01"), "ff02::1", 136, deny))
			if tc.use != nil {
				r.feed(t0.Add(20*time.Second), tc.use)
				r.feed(t0.Add(70*time.Second), icmp6Frame(t, prober, "fe80::32:c0ff:fe00:20", hw("33:33:00:00:00:02"), "ff02::2", 133, []byte{0, 0, 0, 0}))
			}
			if got := r.of(inventory.EventNDSpoof); len(got) != 0 {
				t.Fatalf("a holder defending its address raised %v", got)
			}
		})
	}
}
