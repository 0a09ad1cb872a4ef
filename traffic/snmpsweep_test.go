package traffic

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// sweepARP binds the seven hosts of the sweep to their MACs.
func sweepARP(t *testing.T, r *rig, at time.Time) {
	for h := range 7 {
		m := hw(fmt.Sprintf("02:00:00:00:01:%02x", h))
		if h == 0 {
			m = nasMAC
		}
		r.feed(at.Add(-time.Second), arpFrame(t, layers.ARPReply, m, fmt.Sprintf("10.0.0.%d", 30+h), evilMAC, "10.0.0.66"))
	}
}

// TestSNMPSweepOwnUnreachables: review 32c J2, a sweeper that answers its
// own probes with ICMP port unreachables, from its address or forged under
// each host's address from its MAC, is not lowered: only the probed host,
// from the MAC ARP binds to it, says it runs no agent. Fails without the
// source checks in snmpRefused (low).
func TestSNMPSweepOwnUnreachables(t *testing.T) {
	for _, forged := range []bool{false, true} {
		t.Run(fmt.Sprint("forged=", forged), func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			sweepARP(t, r, at)
			for i := range 30 {
				for h := range 7 {
					ip, m := fmt.Sprintf("10.0.0.%d", 30+h), hw(fmt.Sprintf("02:00:00:00:01:%02x", h))
					cport := uint16(40000 + i)
					when := at.Add(time.Duration(i*7+h) * 10 * time.Millisecond)
					r.feed(when, udpFrame(t, evilMAC, "10.0.0.66", cport, m, ip, 161, snmpGet(fmt.Sprintf("w%d", i))))
					from := "10.0.0.66"
					if forged {
						from = ip
					}
					r.feed(when.Add(time.Millisecond), portUnreachableQuoting(t, evilMAC, from, ip, "10.0.0.66", cport))
				}
			}
			r.e.Tick(at.Add(3 * time.Minute))
			evs := r.of(inventory.EventBruteForce)
			if len(evs) != 1 || evs[0].Severity == inventory.SeverityLow || evs[0].Severity == inventory.SeverityInfo {
				t.Fatalf("want one brute_force above low for the sweep, got %+v", evs)
			}
		})
	}
}

// portUnreachableQuoting is an ICMP port unreachable from the MAC frameMAC
// and the address from, quoting prober's datagram from cport to host:161.
func portUnreachableQuoting(t testing.TB, frameMAC net.HardwareAddr, from, host, prober string, cport uint16) []byte {
	quoted := udpFrame(t, evilMAC, prober, cport, frameMAC, host, 161, nil)[14:]
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolICMPv4, SrcIP: ip4(from), DstIP: ip4(prober)}
	return serialize(t, &layers.Ethernet{SrcMAC: frameMAC, DstMAC: evilMAC, EthernetType: layers.EthernetTypeIPv4}, ip,
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeDestinationUnreachable, layers.ICMPv4CodePort)}, gopacket.Payload(quoted))
}

// TestSNMPCommunitySweep: onesixtyone -c dict -i hosts (review 32b's
// onesixtyone-live.pcap) sends one word list to seven hosts; one runs an
// agent and answers, six answer each datagram ICMP port unreachable (RFC
// 792 3/3). One event for the sweep, naming the agent, the hosts counted;
// with no agent anywhere, one event at low.
func TestSNMPCommunitySweep(t *testing.T) {
	for _, agent := range []bool{true, false} {
		t.Run(fmt.Sprint("agent=", agent), func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			sweepARP(t, r, at)
			for i := range 30 {
				for h := range 7 {
					ip, m := fmt.Sprintf("10.0.0.%d", 30+h), hw(fmt.Sprintf("02:00:00:00:01:%02x", h))
					if h == 0 {
						m = nasMAC
					}
					cport := uint16(40000 + i)
					when := at.Add(time.Duration(i*7+h) * 10 * time.Millisecond)
					r.feed(when, udpFrame(t, evilMAC, "10.0.0.66", cport, m, ip, 161, snmpGet(fmt.Sprintf("w%d", i))))
					if h == 0 && agent && i == 3 {
						r.feed(when.Add(time.Millisecond), udpFrame(t, m, ip, 161, evilMAC, "10.0.0.66", cport, snmpGet("w3")))
					} else if h > 0 || !agent {
						r.feed(when.Add(time.Millisecond), portUnreachableFrom(t, m, ip, evilMAC, "10.0.0.66", cport, 161))
					}
				}
			}
			r.e.Tick(at.Add(3 * time.Minute))
			evs := r.of(inventory.EventBruteForce)
			if len(evs) != 1 {
				t.Fatalf("want one brute_force for the sweep, got %d: %+v", len(evs), evs)
			}
			ev := evs[0]
			want := map[bool]inventory.Severity{true: inventory.SeverityHigh, false: inventory.SeverityLow}[agent]
			if ev.Severity != want || ev.TargetIP.String() != "10.0.0.30" || !strings.Contains(ev.Summary, "a sweep of 7 hosts") ||
				!strings.Contains(fmt.Sprint(ev.Evidence), "no agent (ICMP port unreachable) on 10.0.0.31") {
				t.Errorf("event %+v, want %s on 10.0.0.30, the sweep of 7 hosts in evidence", ev, want)
			}
		})
	}
}
