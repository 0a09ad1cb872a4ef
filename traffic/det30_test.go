package traffic

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// traceExceeded is the first hop's (the gateway's, 10.0.0.1) time
// exceeded in transit for frame, a probe whose TTL ran out there.
func traceExceeded(t testing.TB, frame []byte) []byte {
	quoted := append([]byte(nil), frame[14:14+28]...)
	quoted[8] = 1
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4("10.0.0.1"), DstIP: ip4("10.0.0.10")}
	return serialize(t, &layers.Ethernet{SrcMAC: gwMAC, DstMAC: pcMAC, EthernetType: layers.EthernetTypeIPv4}, ip,
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeTimeExceeded, layers.ICMPv4CodeTTLExceeded)}, gopacket.Payload(quoted))
}

// tracerouteRuns plays Linux traceroute's default, runs times in a row,
// to each of dsts two hops away: 16 probes (3 a TTL from 1, ports 33434
// and up, the same each run), the first hop's time exceeded for TTL 1
// when exceeded, the destination's port unreachable for the other 13.
func tracerouteRuns(t *testing.T, r *rig, dsts []string, runs int, exceeded bool) {
	at := t0
	for run := 0; run < runs; run++ {
		for _, dst := range dsts {
			for i := 0; i < 16; i++ {
				ttl := uint8(1 + i/3)
				f := traceFrame(t, dst, uint16(33434+i), ttl)
				r.feed(at, f)
				switch {
				case ttl >= 2:
					r.feed(at.Add(time.Millisecond), traceUnreachable(t, dst, f, ttl-1))
				case exceeded:
					r.feed(at.Add(time.Millisecond), traceExceeded(t, f))
				}
				at = at.Add(2 * time.Millisecond)
			}
			at = at.Add(100 * time.Millisecond)
		}
	}
}

// TestTraceRouterFromTimeExceeded: with no gateway known (a replay without
// --gateway, no DHCP seen), Linux traceroute run 3 times to 6
// destinations beyond the prober's /24 (13 ports refused each run) is no
// scan: the time exceeded its TTL-1 probes draw makes the MAC they went to
// a router. It raised port_scan High before (the slow-scan count: 12
// refused ports; review 29a b4, b5). The same without any time exceeded,
// or to LAN addresses (the prober's /24) through the relaying MAC, still
// raises.
func TestTraceRouterFromTimeExceeded(t *testing.T) {
	var beyond, lan []string
	for i := 0; i < 6; i++ {
		beyond = append(beyond, fmt.Sprintf("198.51.100.%d", 10+i))
		lan = append(lan, fmt.Sprintf("10.0.0.%d", 100+i))
	}
	r := newRig(t, Config{})
	tracerouteRuns(t, r, beyond, 3, true)
	if evs := r.all(); len(evs) != 0 {
		t.Errorf("traceroute 3 times to 6 destinations, no gateway known, raised %+v", evs)
	}
	for _, c := range []struct {
		name     string
		dsts     []string
		exceeded bool
	}{{"no time exceeded", beyond, false}, {"LAN addresses", lan, true}} {
		r := newRig(t, Config{})
		tracerouteRuns(t, r, c.dsts, 3, c.exceeded)
		if len(r.of(inventory.EventPortScan)) == 0 {
			t.Errorf("%s: no port_scan", c.name)
		}
	}
}
