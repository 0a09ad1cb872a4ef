package traffic

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// spoofRig is a baseline office where the attacker has spoken under its
// own address 10.0.0.66.
func spoofRig(t *testing.T) (*rig, time.Time) {
	r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 2*time.Minute)
	r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
	return r, at.Add(time.Second)
}

// TestLANDSYNRaised: one SYN whose source is its destination (LAND) is a
// spoofed_source naming the sender's MAC and own address, at any rate
// (review 33b i_land: 30 at 3/s raised nothing). Checked to fail without
// spoofedTCP (nothing raised).
func TestLANDSYNRaised(t *testing.T) {
	r, at := spoofRig(t)
	r.feed(at, tcpFrame(t, evilMAC, "10.0.0.30", 80, nasMAC, "10.0.0.30", 80, tcpFlags{syn: true}, nil))
	evs := r.of(inventory.EventSpoofedSource)
	if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].IP != netip.MustParseAddr("10.0.0.66") || !strings.Contains(evs[0].Summary, "LAND") {
		t.Fatalf("want one LAND spoofed_source by %s at 10.0.0.66, got %+v", evilMAC, r.all())
	}
}

// TestOffLinkSYNSourcesRaised: SYNs at 2/s under 20 public sources from a
// LAN host are a spoofed_source (review 33b s04_halfopen_slow); a second
// router forwarding real clients' SYNs, each handshake's ACK after it,
// stays quiet. Checked to fail without spoofedTCP (nothing raised).
func TestOffLinkSYNSourcesRaised(t *testing.T) {
	r, at := spoofRig(t)
	for i := range 20 {
		src := fmt.Sprintf("%d.%d.7.9", 20+i, 3*i+1)
		r.feed(at.Add(time.Duration(i)*500*time.Millisecond), tcpFrame(t, evilMAC, src, uint16(1000+i), nasMAC, "10.0.0.30", 80, tcpFlags{syn: true}, nil))
	}
	evs := r.of(inventory.EventSpoofedSource)
	if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].IP != netip.MustParseAddr("10.0.0.66") || evs[0].TargetIP != netip.MustParseAddr("10.0.0.30") {
		t.Fatalf("want one spoofed_source by %s at 10.0.0.66 toward 10.0.0.30, got %+v", evilMAC, r.all())
	}
}

// TestForwardedSYNSourcesQuiet: a router (a VPN server at 10.0.0.20)
// forwarding 20 remote clients' connections to the NAS, each SYN's ACK a
// round trip later acknowledging the NAS's SYN+ACK, is no spoofer.
func TestForwardedSYNSourcesQuiet(t *testing.T) {
	r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, 2*time.Minute)
	vpn := hw("02:00:00:00:00:20")
	r.feed(at, arpFrame(t, layers.ARPRequest, vpn, "10.0.0.20", nil, "10.0.0.1"))
	for i := range 20 {
		src, when := fmt.Sprintf("%d.%d.7.9", 20+i, 3*i+1), at.Add(time.Duration(i)*500*time.Millisecond)
		r.feed(when, tcpSeqFrame(t, vpn, src, uint16(1000+i), nasMAC, "10.0.0.30", 445, tcpFlags{syn: true}, 7, 0, nil))
		r.feed(when.Add(time.Millisecond), tcpSeqFrame(t, nasMAC, "10.0.0.30", 445, vpn, src, uint16(1000+i), tcpFlags{syn: true, ack: true}, uint32(5000*i), 8, nil))
		r.feed(when.Add(30*time.Millisecond), tcpSeqFrame(t, vpn, src, uint16(1000+i), nasMAC, "10.0.0.30", 445, tcpFlags{ack: true}, 8, uint32(5000*i)+1, nil))
	}
	if evs := r.of(inventory.EventSpoofedSource); len(evs) != 0 {
		t.Fatalf("want no spoofed_source from a router forwarding handshakes, got %+v", evs)
	}
}

// TestFraggleIsSmurf: UDP to the echo and chargen ports of the broadcast
// address under the PC's address, 20 a second, is a flood naming the
// sender toward the PC, as a smurf is (review 33b i_fraggle). Checked to
// fail without fraggleUDP (nothing raised).
func TestFraggleIsSmurf(t *testing.T) {
	r, at := spoofRig(t)
	for i := range 80 {
		port := uint16(7 + 12*(i%2))
		r.feed(at.Add(time.Duration(i)*50*time.Millisecond), udpFrame(t, evilMAC, "10.0.0.10", port, bcast, "10.0.0.255", port, []byte("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")))
	}
	evs := r.of(inventory.EventFlood)
	if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].TargetIP != netip.MustParseAddr("10.0.0.10") || !strings.Contains(evs[0].Summary, "fraggle") {
		t.Fatalf("want one fraggle flood by %s toward 10.0.0.10, got %+v", evilMAC, r.all())
	}
}

// TestTinyFragmentScanNoRawIPFlood: a SYN scan of 1,200 ports in 8-byte
// fragments (nmap -f) is a port scan whose evidence says so, and no raw
// IP flood (review 33b n06_frag, n07_mtu8: one per target). Checked to
// fail without tinyTCPKind (a raw IP flood) and fragEvidence.
func TestTinyFragmentScanNoRawIPFlood(t *testing.T) {
	r, at := spoofRig(t)
	for i := range 1200 {
		for _, f := range fragments(t, evilMAC, "10.0.0.66", 40000, nasMAC, "10.0.0.30", uint16(1+i), tcpFlags{syn: true}, uint16(i+1), 8) {
			r.feed(at.Add(time.Duration(i)*200*time.Microsecond), f)
		}
	}
	r.e.Flush()
	if evs := r.of(inventory.EventFlood); len(evs) != 0 {
		t.Fatalf("want no flood from a fragmented scan, got %+v", evs)
	}
	evs := r.of(inventory.EventPortScan)
	if len(evs) != 1 || !strings.Contains(fmt.Sprint(evs[0].Evidence), "tiny fragments, RFC 1858") {
		t.Fatalf("want one port_scan saying tiny fragments, got %+v", r.all())
	}
}

// TestLANDScanWordedAsLAND: SYNs under the target's own address across its
// ports are worded as LAND in the port scan's evidence, not as an idle
// scan through the target, and the probes are counted past the
// threshold (review 33b i_landscan, n01b_idle). Checked to fail without
// forgedProbes and refreshProbes.
func TestLANDScanWordedAsLAND(t *testing.T) {
	r, at := spoofRig(t)
	r.feed(at, arpFrame(t, layers.ARPReply, nasMAC, "10.0.0.30", pcMAC, "10.0.0.10"))
	for p := range 100 {
		r.feed(at.Add(time.Duration(p)*20*time.Millisecond), tcpFrame(t, evilMAC, "10.0.0.30", uint16(p+1), nasMAC, "10.0.0.30", uint16(p+1), tcpFlags{syn: true}, nil))
	}
	r.e.Flush()
	evs := r.of(inventory.EventPortScan)
	if len(evs) != 1 {
		t.Fatalf("want one port_scan, got %+v", r.all())
	}
	ev := fmt.Sprint(evs[0].Evidence)
	if !strings.Contains(ev, "a LAND attack") || strings.Contains(ev, "idle scan") || !strings.Contains(ev, "SYN/connect 100") {
		t.Fatalf("want LAND wording and 100 probes, got %s", ev)
	}
}
