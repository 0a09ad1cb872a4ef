package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// vrrpCrash plays a keepalived pair with their own MACs (no use_vmac): the
// master (gwMAC, priority 110) advertises 10.0.0.254 every second for
// masterAdverts seconds, having announced it, and falls silent (its link
// went down: no priority-0 advertisement); the backup (priority 100)
// becomes master 3.7 s after its last advertisement (Master_Down_Interval:
// three intervals and a skew of 0.61 s, as recorded) and claims the address
// with claim five times at once after its first advertisement, as
// keepalived does (garp_master_repeat 5), then advertises every second.
func vrrpCrash(t *testing.T, r *rig, masterAdverts int, backup net.HardwareAddr, claim func(at time.Time) []byte) {
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
	for i := 0; i < masterAdverts; i++ {
		r.feed(t0.Add(time.Duration(i)*time.Second), vrrpFrame(t, gwMAC, "10.0.0.1", 110))
	}
	up := t0.Add(time.Duration(masterAdverts-1)*time.Second + 3700*time.Millisecond)
	r.feed(up, vrrpFrame(t, backup, "10.0.0.11", 100))
	for i := 0; i < 5; i++ {
		at := up.Add(time.Duration(10+i) * time.Millisecond)
		r.feed(at, claim(at))
	}
	for i := 1; i < 5; i++ {
		r.feed(up.Add(time.Duration(i)*time.Second), vrrpFrame(t, backup, "10.0.0.11", 100))
	}
}

// TestVRRPCrashFailoverOwnMACs: a VRRP backup that becomes master after
// the master fell silent (no priority 0) takes the virtual address from
// three intervals on, before the hold time tend allowed (3 intervals + 1 s):
// its gratuitous ARPs move the address (failed with arp_spoof before the
// VRRP lapse). The same move made by unsolicited replies to one host, or
// from an owner whose only advertisement was one forged under its MAC, is
// still arp_spoof.
func TestVRRPCrashFailoverOwnMACs(t *testing.T) {
	backup := hw("f0:1f:af:00:00:11")
	garp := func(time.Time) []byte { return garpFrame(t, backup, "10.0.0.254") }
	r := newRig(t, Config{})
	for i := 0; i < 5; i++ { // the backup was master before (the recording: r1 restarted, r2 served, r1 preempted)
		r.feed(t0.Add(time.Duration(i-30)*time.Second), vrrpFrame(t, backup, "10.0.0.11", 100))
	}
	vrrpCrash(t, r, 6, backup, garp)
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("a VRRP failover after the master crashed raised %+v", evs)
	}
	// A backup never heard in the group claiming before the hold time is
	// an attacker that waited for a real failure as much as a first
	// failover: Medium naming it, and the address moving is arp_spoof as at
	// 981099b (fix28d: was quiet).
	r = newRig(t, Config{})
	vrrpCrash(t, r, 6, backup, garp)
	if evs := r.of(inventory.EventFHRPTakeover); len(evs) != 1 || evs[0].Severity != inventory.SeverityMedium || evs[0].MAC.String() != backup.String() {
		t.Fatalf("a first failover to a backup never heard raised %+v, want one Medium fhrp_takeover naming it", r.all())
	}
	r = newRig(t, Config{})
	vrrpCrash(t, r, 6, backup, func(time.Time) []byte {
		return arpFrame(t, layers.ARPReply, backup, "10.0.0.254", pcMAC, "10.0.0.10")
	})
	if len(r.of(inventory.EventARPSpoof)) == 0 {
		t.Fatalf("unsolicited replies poisoning one host with the virtual address raised %+v, want arp_spoof", r.all())
	}
	r = newRig(t, Config{})
	vrrpCrash(t, r, 1, backup, garp)
	if len(r.of(inventory.EventARPSpoof)) == 0 {
		t.Fatalf("a move from an owner with one advertisement raised %+v, want arp_spoof", r.all())
	}
}

// TestVRRPLiveMasterKeepsAddress: a lower-priority speaker advertising
// between a live master's advertisements (two intervals after one) is no
// master: a takeover, its gratuitous ARPs of the virtual address folded in
// (review 37a P12a; arp_spoof beside it before).
func TestVRRPLiveMasterKeepsAddress(t *testing.T) {
	r := newRig(t, Config{})
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
	for i := 0; i < 10; i++ {
		r.feed(t0.Add(time.Duration(i)*time.Second), vrrpFrame(t, gwMAC, "10.0.0.1", 110))
	}
	for i := 0; i < 5; i++ {
		at := t0.Add(2500*time.Millisecond + time.Duration(i)*time.Second)
		r.feed(at, vrrpFrame(t, evilMAC, "10.0.0.66", 100))
		r.feed(at.Add(10*time.Millisecond), garpFrame(t, evilMAC, "10.0.0.254"))
	}
	if len(r.of(inventory.EventFHRPTakeover)) == 0 || len(r.of(inventory.EventARPSpoof)) != 0 {
		t.Fatalf("gratuitous ARPs beside a live master raised %+v, want fhrp_takeover, the ARPs folded in (review 37a P12a)", r.all())
	}
}

// traceFrame is a UDP datagram from the PC through the gateway to dst's
// port at ttl, with traceroute's 32 bytes of payload.
func traceFrame(t testing.TB, dst string, port uint16, ttl uint8) []byte {
	ip := &layers.IPv4{Version: 4, TTL: ttl, Protocol: layers.IPProtocolUDP, SrcIP: ip4("10.0.0.10"), DstIP: ip4(dst)}
	udp := &layers.UDP{SrcPort: layers.UDPPort(40000 + port%1000), DstPort: layers.UDPPort(port)}
	udp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: pcMAC, DstMAC: gwMAC, EthernetType: layers.EthernetTypeIPv4}, ip, udp, gopacket.Payload(make([]byte, 32)))
}

// traceUnreachable is dst's port unreachable for frame, a datagram that
// reached it (its TTL as it arrived: ttl), relayed by the gateway.
func traceUnreachable(t testing.TB, dst string, frame []byte, ttl uint8) []byte {
	quoted := append([]byte(nil), frame[14:14+28]...)
	quoted[8] = ttl
	ip := &layers.IPv4{Version: 4, TTL: 62, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4(dst), DstIP: ip4("10.0.0.10")}
	return serialize(t, &layers.Ethernet{SrcMAC: gwMAC, DstMAC: pcMAC, EthernetType: layers.EthernetTypeIPv4}, ip,
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4CodePort)}, gopacket.Payload(quoted))
}

// traceroute plays Linux traceroute's default to n destinations two hops
// away, ten at once: 16 probes at once each (3 per TTL from 1, ports
// 33434 and up), the destination refusing every port that reached it;
// ttl0 is the first probes' TTL (1; 64 replays the same datagrams as a
// scan).
func traceroute(t *testing.T, r *rig, n int, ttl0 uint8) {
	for d := 0; d < n; d++ {
		dst := fmt.Sprintf("198.51.100.%d", d+1)
		at := t0.Add(time.Duration(d/10) * time.Second)
		for i := 0; i < 16; i++ {
			ttl := ttl0 + uint8(i/3)
			f := traceFrame(t, dst, uint16(33434+i), ttl)
			r.feed(at.Add(time.Duration(i)*100*time.Microsecond), f)
			if ttl >= 2 {
				r.feed(at.Add(time.Duration(i)*100*time.Microsecond+2*time.Millisecond), traceUnreachable(t, dst, f, ttl-1))
			}
		}
	}
}

// TestTracerouteToManyDestinations: a monitoring box's UDP traceroute to
// 60 destinations (traceroute's ports, TTLs from 1) is no scan or sweep,
// though each destination refuses a dozen ports (failed with port_scan of
// 38 hosts on the recording before traceProbe); the same datagrams at TTL
// 64 are still a scan.
func TestTracerouteToManyDestinations(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	r.feed(t0.Add(-time.Second), garpFrame(t, gwMAC, "10.0.0.1"))
	traceroute(t, r, 60, 1)
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("traceroute to 60 destinations raised %+v", evs)
	}
	r = newRig(t, Config{})
	traceroute(t, r, 60, 64)
	if len(r.of(inventory.EventPortScan))+len(r.of(inventory.EventHostSweep)) == 0 {
		t.Fatalf("the same datagrams at TTL 64 raised %+v, want a scan", r.all())
	}
}

// TestUDPServiceSweep: nmap -sU -Pn -p 53,123,161,137,500 of 30 hosts
// beyond the gateway sends each service's own request (not empty
// datagrams), most unanswered: a host_sweep (missed before
// udpServiceProbe). An SNMP poller asking 30 hosts' port 161 and a client
// asking its resolver and time server is none.
func TestUDPServiceSweep(t *testing.T) {
	ports := []uint16{53, 123, 161, 137, 500}
	r := newRig(t, Config{})
	for h := 0; h < 30; h++ {
		dst := fmt.Sprintf("198.51.100.%d", h+1)
		for i, port := range ports {
			at := t0.Add(time.Duration(h*5+i) * 200 * time.Millisecond)
			r.feed(at, udpFrame(t, evilMAC, "10.0.0.66", 41000, gwMAC, dst, port, make([]byte, 40)))
		}
	}
	if len(r.of(inventory.EventHostSweep)) != 1 {
		t.Fatalf("nmap -sU of 5 services of 30 hosts raised %+v, want one host_sweep", r.all())
	}
	r = newRig(t, Config{})
	for h := 0; h < 30; h++ {
		at := t0.Add(time.Duration(h) * time.Second)
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 41000, nasMAC, fmt.Sprintf("10.0.0.%d", 100+h), 161, make([]byte, 40)))
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 41001, gwMAC, "10.0.0.1", 53, make([]byte, 40)))
		r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", 41002, gwMAC, "10.0.0.1", 123, make([]byte, 48)))
	}
	if evs := r.of(inventory.EventHostSweep); len(evs) != 0 {
		t.Fatalf("an SNMP poller and its DNS and NTP raised %+v", evs)
	}
}

// TestSlowShortScan: nmap -T1 (or --scan-delay 15s) of ten ports of a host
// with none open collects ten refusals, a probe every 15 s: under the
// per-minute threshold and the 12 refusals of a long slow scan, but a list
// walked once (missed before slowOnce). A mail client's setup trying six
// ports of its server, and a client meeting eight closed ports with one of
// them again before the eighth (a retry), are none.
func TestSlowShortScan(t *testing.T) {
	probe := func(r *rig, at time.Time, src net.HardwareAddr, srcIP string, sport, port uint16) {
		r.feed(at, tcpFrame(t, src, srcIP, sport, nasMAC, "10.0.0.30", port, tcpFlags{syn: true}, nil))
		r.feed(at.Add(time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", port, src, srcIP, sport, tcpFlags{rst: true, ack: true}, nil))
	}
	r := newRig(t, Config{})
	for i, port := range []uint16{21, 22, 23, 25, 80, 110, 139, 443, 445, 3389} {
		probe(r, t0.Add(time.Duration(i)*15*time.Second), evilMAC, "10.0.0.66", 61000, port)
	}
	wantOne(t, r, inventory.EventPortScan, evilMAC.String(), "10.0.0.66")

	r = newRig(t, Config{})
	for i, port := range []uint16{465, 587, 993, 995, 143, 110} {
		probe(r, t0.Add(time.Duration(i)*2*time.Second), pcMAC, "10.0.0.10", uint16(50000+i), port)
	}
	if got := r.all(); len(got) != 0 {
		t.Fatalf("a mail client's setup raised %+v", got)
	}
	r = newRig(t, Config{})
	for i, port := range []uint16{8080, 8081, 8080, 8443, 9000, 9090, 3000, 5000, 8888} {
		probe(r, t0.Add(time.Duration(i)*20*time.Second), pcMAC, "10.0.0.10", uint16(50100+i), port)
	}
	if got := r.all(); len(got) != 0 {
		t.Fatalf("a client retrying raised %+v", got)
	}
}

// carpFrame is a CARP advertisement (OpenBSD's and pfSense's: IP protocol
// 112 to 224.0.0.18 like VRRP, version 2, type 1, vhid 5, advskew,
// authlen 7, advbase 1 s, an 8-byte counter and a 20-byte HMAC) from the
// virtual MAC 00:00:5e:00:01:05, as the master sends it, from srcIP.
func carpFrame(t testing.TB, srcIP string, advskew byte, counter uint64) []byte {
	body := make([]byte, 36)
	body[0], body[1], body[2], body[3], body[5] = 0x21, 5, advskew, 7, 1
	for i := range 8 {
		body[8+i] = byte(counter >> (56 - 8*i))
	}
	for i := range 20 {
		body[16+i] = byte(counter*31 + uint64(i)*97)
	}
	ip := &layers.IPv4{Version: 4, TTL: 255, Protocol: vrrpProtocol, SrcIP: ip4(srcIP), DstIP: ip4("224.0.0.18")}
	return serialize(t, &layers.Ethernet{SrcMAC: hw("00:00:5e:00:01:05"), DstMAC: hw("01:00:5e:00:00:12"), EthernetType: layers.EthernetTypeIPv4}, ip, gopacket.Payload(body))
}

// TestCARPFailoverVirtualMAC: a CARP pair (pfSense) holds the gateway
// address on the virtual MAC whichever node is master: the master falls
// silent, the backup advertises 3.5 s later from the same MAC and announces
// the address, the master comes back and preempts. The address never
// changes MAC: nothing to raise, as at 981099b.
func TestCARPFailoverVirtualMAC(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	vmac := hw("00:00:5e:00:01:05")
	at, n := t0, uint64(1)
	advertise := func(srcIP string, skew byte, count int) {
		for range count {
			r.feed(at, carpFrame(t, srcIP, skew, n))
			r.feed(at.Add(time.Millisecond), pingFrame(t, pcMAC, "10.0.0.10", vmac, "10.0.0.1", 56))
			at, n = at.Add(time.Second), n+1
		}
	}
	r.feed(at, garpFrame(t, vmac, "10.0.0.1"))
	advertise("10.0.0.2", 0, 10)
	at = at.Add(2500 * time.Millisecond) // the master is gone
	r.feed(at, garpFrame(t, vmac, "10.0.0.1"))
	advertise("10.0.0.3", 100, 10)
	r.feed(at, garpFrame(t, vmac, "10.0.0.1"))
	advertise("10.0.0.2", 0, 10)
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("a CARP failover raised %+v", evs)
	}
}

// TestTraceTTL30Discovery: nmap -sn -PU33500 --ttl 30 through the gateway
// (review 28d C1, C2): TTL 30 fits port 33500's hop, and the destinations'
// port unreachables come relayed by the gateway, but no probe started a
// trace at TTL 1 or 2, so 60 hosts beyond the gateway are a sweep; so are
// 60 LAN hosts reached through the gateway's MAC, even after a probe of
// each at TTL 1 (a LAN host is no traceroute's destination). Both were
// nothing with any fitting TTL to a router's MAC exempt. Review 28f: the
// same at TTL 2 (nmap --ttl 2), and a TTL-1 probe of each host before its
// TTL-30 one, are sweeps too: a trace starts at TTL 1 and climbs at most
// traceStep above the highest TTL it reached (both were nothing while any
// probe at TTL 2 or less started a trace and any later one continued it).
func TestTraceTTL30Discovery(t *testing.T) {
	for _, c := range []struct {
		name, net string
		ladder    bool
		ttl       uint8
	}{{"routed", "198.51.100.%d", false, 30}, {"LAN via the gateway", "10.0.0.%d", true, 30},
		{"routed at TTL 2", "198.51.100.%d", false, 2}, {"routed, TTL 1 then 30", "198.51.100.%d", true, 30}} {
		r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
		r.feed(t0, garpFrame(t, gwMAC, "10.0.0.1"))
		for d := 0; d < 60; d++ {
			dst := fmt.Sprintf(c.net, d+100)
			at := t0.Add(time.Duration(d) * 5 * time.Millisecond)
			if c.ladder {
				r.feed(at, traceFrame(t, dst, 33434, 1))
			}
			f := traceFrame(t, dst, 33500, c.ttl)
			f[14+20+4], f[14+20+5] = 0, 8 // empty, as nmap -PU sends: UDP length 8
			f = f[:14+28]
			r.feed(at.Add(time.Millisecond), f)
			r.feed(at.Add(2*time.Millisecond), traceUnreachable(t, dst, f, max(c.ttl, 3)-2)) // the hops on the way took 2
		}
		if len(r.of(inventory.EventHostSweep))+len(r.of(inventory.EventPortScan)) == 0 {
			t.Errorf("%s: UDP discovery of 60 hosts at TTL %d to 33500 raised %+v, want a sweep", c.name, c.ttl, r.all())
		}
	}
}

// TestVRRPShortIntervalSpacing: keepalived advertising every 3 s (VRRPv3),
// three adverts forged under its MAC 100 ms apart naming 100 ms right after
// a real one, a priority-200 claim 1.01 s later: a takeover of a live
// master, Critical (review 28d C3: was Medium when the three counted as
// "in a row" and the master's 1 s silence as its failure); adverts count
// toward a shorter interval one current interval apart only.
func TestVRRPShortIntervalSpacing(t *testing.T) {
	r := newRig(t, Config{})
	r.feed(t0, garpFrame(t, gwMAC, "10.0.0.254"))
	last := t0.Add(12 * time.Second)
	for at := t0; !at.After(last); at = at.Add(3 * time.Second) {
		r.feed(at, vrrp3Frame(t, gwMAC, "10.0.0.1", 110, 300))
	}
	for i := 0; i < 3; i++ {
		r.feed(last.Add(time.Millisecond+time.Duration(i)*100*time.Millisecond), vrrp3Frame(t, gwMAC, "10.0.0.1", 110, 10))
	}
	claim := last.Add(1210 * time.Millisecond)
	r.feed(claim, vrrp3Frame(t, evilMAC, "10.0.0.66", 200, 10))
	for i := 0; i < 5; i++ {
		r.feed(claim.Add(time.Duration(10+i)*time.Millisecond), garpFrame(t, evilMAC, "10.0.0.254"))
	}
	evs := r.of(inventory.EventFHRPTakeover)
	if len(evs) == 0 || evs[0].Severity != inventory.SeverityCritical {
		t.Errorf("three forged 100 ms adverts then a claim 1.01 s later raised %+v, want fhrp_takeover Critical", r.all())
	}
}

// TestVRRPResignOfNonMaster: a router that is not the master sends three
// priority-0 adverts over 12 s, then claims the live master's group at
// priority 200: a stranger's takeover (review 28d W2: the priority 0s made
// it known, its claim a known router's preemption, nothing raised); a
// priority 0 resigns the master's role only (RFC 5798 6.4.3).
func TestVRRPResignOfNonMaster(t *testing.T) {
	r := newRig(t, Config{})
	vrrpMaster(t, r, 20)
	for _, s := range []int{1, 7, 13} {
		r.feed(t0.Add(time.Duration(s)*time.Second+300*time.Millisecond), vrrpFrame(t, evilMAC, "10.0.0.66", 0))
	}
	vrrpClaim(t, r, t0.Add(15500*time.Millisecond), 200)
	if len(r.of(inventory.EventFHRPTakeover)) == 0 {
		t.Errorf("three priority-0 adverts from a backup, then its claim beside the live master, raised %+v, want fhrp_takeover", r.all())
	}
}
