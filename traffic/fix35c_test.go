package traffic

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// feedWaiting feeds n clients from ownMAC(first) on, 50 ms apart, each
// sending a DISCOVER, getting an OFFER and sending its REQUEST tries
// times, 3 s apart under the same transaction id (busybox udhcpc's
// retransmission), never acknowledged: a client a slow server has not
// served yet.
func feedWaiting(t *testing.T, r *rig, first, n, tries int) {
	for i := range n {
		m, at := ownMAC(first+i), t0.Add(time.Duration(i)*50*time.Millisecond)
		ip := fmt.Sprintf("10.0.2.%d", 10+i)
		xid := uint32(5000 + first + i)
		r.feed(at, dhcpDiscover(t, m, m, xid))
		r.feed(at.Add(500*time.Millisecond), dhcpReply(t, gwMAC, "10.0.0.1", m, ip, "10.0.0.1", 2))
		for k := range tries {
			r.feed(at.Add(time.Second+time.Duration(k)*3*time.Second), dhcpRequestFor(t, m, ip, xid))
		}
	}
}

// TestStarvationSlowServerPowerCut (review 35b dhcp_power_cut_talk): 100
// real clients at once, the server offering to all but acknowledging 56
// within the minute; the other 44 retransmit their REQUESTs. They are
// waiting on the server, not forged: no starvation. The same 44 sending
// one REQUEST each and never again are what a tool's clients look like
// (raised), and 70 retransmitting clients never acknowledged behind 20
// real ones are too many for the few to speak for (raised). The summary
// counts the MACs one by one and calls none forged.
func TestStarvationSlowServerPowerCut(t *testing.T) {
	for _, c := range []struct {
		name                 string
		real, waiting, tries int
		want                 int
	}{
		{"56 served, 44 retransmitting", 56, 44, 3, 0},
		{"56 served, 44 asking once", 56, 44, 1, 1},
		{"20 served, 70 retransmitting", 20, 70, 3, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, Config{})
			feedClients(t, r, 0, c.real, true, true)
			feedWaiting(t, r, 100, c.waiting, c.tries)
			r.baseline(t0.Add(15*time.Second), 3*time.Minute)
			evs := r.of(inventory.EventDHCPStarvation)
			if len(evs) != c.want {
				t.Fatalf("%d dhcp_starvation events, want %d", len(evs), c.want)
			}
			if c.want == 0 {
				return
			}
			n := c.real + c.waiting
			if s := evs[0].Summary; !strings.HasPrefix(s, fmt.Sprintf("%d client hardware addresses ", n)) || strings.Contains(s, "forged") {
				t.Errorf("summary %q: want the %d MACs counted one by one, none called forged", s, n)
			}
		})
	}
}

// crawlRound: a source resolves 50 live hosts one by one (ARP request,
// the host's reply) and connects to port 80 of each: the even ones accept
// it (and get what page does to them), the odd ones refuse with a RST.
func crawlRound(t *testing.T, r *rig, page func(at time.Time, h net.HardwareAddr, ip string, port uint16)) {
	src := hw("00:50:56:35:01:82")
	for i := range 50 {
		h, ip := hw(fmt.Sprintf("00:50:56:35:02:%02x", i)), fmt.Sprintf("10.0.0.%d", 101+i)
		at := t0.Add(time.Duration(i) * 200 * time.Millisecond)
		port := uint16(40000 + i)
		r.feed(at, arpFrame(t, layers.ARPRequest, src, "10.0.0.230", nil, ip))
		r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, h, ip, src, "10.0.0.230"))
		r.feed(at.Add(2*time.Millisecond), tcpFrame(t, src, "10.0.0.230", port, h, ip, 80, tcpFlags{syn: true}, nil))
		if i%2 == 1 {
			r.feed(at.Add(3*time.Millisecond), tcpFrame(t, h, ip, 80, src, "10.0.0.230", port, tcpFlags{rst: true, ack: true}, nil))
			continue
		}
		r.feed(at.Add(3*time.Millisecond), tcpFrame(t, h, ip, 80, src, "10.0.0.230", port, tcpFlags{syn: true, ack: true}, nil))
		page(at.Add(4*time.Millisecond), h, ip, port)
	}
}

// TestWebFetchFanOutLow (review 35b crawler): a crawler's ARP sweep of
// live hosts, each serving a page or refusing, is Low; the same sweep
// with the accepted connections left unasked (a connect probe) or reset
// (a SYN probe), or with no connection at all (nmap -sn), stays High.
func TestWebFetchFanOutLow(t *testing.T) {
	src := hw("00:50:56:35:01:82")
	for _, tc := range []struct {
		name string
		page func(r *rig) func(at time.Time, h net.HardwareAddr, ip string, port uint16)
		want inventory.Severity
	}{
		{"HTTP GET answered", func(r *rig) func(time.Time, net.HardwareAddr, string, uint16) {
			return func(at time.Time, h net.HardwareAddr, ip string, port uint16) {
				r.feed(at, tcpFrame(t, src, "10.0.0.230", port, h, ip, 80, tcpFlags{ack: true, psh: true}, []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")))
				r.feed(at.Add(time.Millisecond), tcpFrame(t, h, ip, 80, src, "10.0.0.230", port, tcpFlags{ack: true, psh: true}, []byte("HTTP/1.1 200 OK\r\n\r\nhi")))
			}
		}, inventory.SeverityLow},
		{"accepted, never asked", func(r *rig) func(time.Time, net.HardwareAddr, string, uint16) {
			return func(at time.Time, h net.HardwareAddr, ip string, port uint16) {
				r.feed(at, tcpFrame(t, src, "10.0.0.230", port, h, ip, 80, tcpFlags{ack: true, fin: true}, nil))
			}
		}, inventory.SeverityHigh},
		{"accepted, reset", func(r *rig) func(time.Time, net.HardwareAddr, string, uint16) {
			return func(at time.Time, h net.HardwareAddr, ip string, port uint16) {
				r.feed(at, tcpFrame(t, src, "10.0.0.230", port, h, ip, 80, tcpFlags{rst: true}, nil))
			}
		}, inventory.SeverityHigh},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			crawlRound(t, r, tc.page(r))
			r.baseline(t0.Add(11*time.Second), 3*time.Minute)
			evs := r.of(inventory.EventHostSweep)
			if len(evs) != 1 || evs[0].Severity != tc.want {
				t.Fatalf("want one host_sweep %s, got %+v", tc.want, evs)
			}
			if fetch := strings.Contains(evs[0].Summary, "web fetch fan-out"); fetch != (tc.want == inventory.SeverityLow) {
				t.Errorf("summary %q: fetch fan-out named %v", evs[0].Summary, fetch)
			}
		})
	}
	t.Run("ARP sweep alone", func(t *testing.T) {
		r := newRig(t, Config{})
		for i := range 50 {
			h, ip := hw(fmt.Sprintf("00:50:56:35:02:%02x", i)), fmt.Sprintf("10.0.0.%d", 101+i)
			at := t0.Add(time.Duration(i) * 200 * time.Millisecond)
			r.feed(at, arpFrame(t, layers.ARPRequest, src, "10.0.0.230", nil, ip))
			r.feed(at.Add(time.Millisecond), arpFrame(t, layers.ARPReply, h, ip, src, "10.0.0.230"))
		}
		r.baseline(t0.Add(11*time.Second), 3*time.Minute)
		if evs := r.of(inventory.EventHostSweep); len(evs) != 1 || evs[0].Severity != inventory.SeverityHigh {
			t.Fatalf("want one host_sweep high, got %+v", evs)
		}
	})
}

// TestSNMPPollsPerManager (review 35b nagios_undeclared: 50 Medium events
// for one setting): a manager polling 12 agents with "public" makes one
// event on the manager, counting the agents and naming each with its MAC
// for the finding per agent; one agent polled stays the pair's event on
// the agent.
func TestSNMPPollsPerManager(t *testing.T) {
	answer := snmpGet("public")
	answer[bytes.IndexByte(answer, 0xa0)] = 0xa2 // a GetResponse: the agent's answer names it
	r := newRig(t, Config{})
	at := t0
	for round := range 2 {
		for i := range 12 {
			agent, ip := hw(fmt.Sprintf("02:35:0c:00:01:%02x", i)), fmt.Sprintf("10.0.0.%d", 100+i)
			r.feed(at, udpFrame(t, pcMAC, "10.0.0.10", uint16(40000+round), agent, ip, 161, snmpGet("public")))
			r.feed(at.Add(time.Millisecond), udpFrame(t, agent, ip, 161, pcMAC, "10.0.0.10", uint16(40000+round), answer))
			at = at.Add(30 * time.Millisecond)
		}
	}
	evs := r.of(inventory.EventInsecureProtocol)
	if len(evs) != 1 || evs[0].MAC.String() != pcMAC.String() || evs[0].Severity != inventory.SeverityMedium {
		t.Fatalf("polls of 12 agents: want one medium insecure_protocol on the manager %s, got %d: %+v", pcMAC, len(evs), evs)
	}
	if s := evs[0].Summary; !strings.HasPrefix(s, "snmp polls from ") || !strings.Contains(s, "of 12 agents") {
		t.Errorf("summary %q lacks the agents counted", s)
	}
	named := ""
	for _, v := range evs[0].Evidence {
		if v.Source == "snmp agents" {
			named = v.Detail
		}
	}
	if strings.Count(named, ", ")+1 != 12 || !strings.Contains(named, "02:35:0c:00:01:0b 10.0.0.111") {
		t.Errorf("snmp agents evidence %q: want all 12 agents by MAC and address", named)
	}
	r = newRig(t, Config{})
	r.feed(t0, udpFrame(t, pcMAC, "10.0.0.10", 40000, nasMAC, "10.0.0.30", 161, snmpGet("public")))
	r.feed(t0.Add(time.Millisecond), udpFrame(t, nasMAC, "10.0.0.30", 161, pcMAC, "10.0.0.10", 40000, answer))
	ev := wantOne(t, r, inventory.EventInsecureProtocol, nasMAC.String(), "10.0.0.30")
	if ev.TargetIP.String() != "10.0.0.10" || !strings.HasPrefix(ev.Summary, "snmp between ") {
		t.Errorf("one agent polled: %+v, want the pair's event naming the manager as target", ev)
	}
}

// TestScanIncidentSpan (review 35b openvas_declared): a scan of three
// hosts in parallel, all crossing the threshold in its first second and
// probed for 8 s more, is dated from its first probe to its last, not to
// the last crossing.
func TestScanIncidentSpan(t *testing.T) {
	r := newRig(t, Config{})
	for step := range 90 {
		at := t0.Add(time.Duration(step) * 100 * time.Millisecond)
		for h := range 3 {
			dst := fmt.Sprintf("10.0.0.%d", 100+h)
			r.feed(at, tcpFrame(t, evilMAC, "10.0.0.66", 50000, hw(fmt.Sprintf("02:35:0d:00:00:%02x", h)), dst, uint16(1000+step), tcpFlags{syn: true}, nil))
		}
	}
	r.baseline(t0.Add(20*time.Second), time.Minute)
	evs := r.of(inventory.EventPortScan)
	if len(evs) != 1 {
		t.Fatalf("want one port_scan, got %d: %+v", len(evs), evs)
	}
	want := fmt.Sprintf("between %s and %s (8.9s)", t0.UTC().Format(time.RFC3339), t0.Add(8900*time.Millisecond).UTC().Format(time.RFC3339))
	if s := evs[0].Summary; !strings.Contains(s, "port-scanned 3 hosts") || !strings.Contains(s, want) {
		t.Errorf("summary %q: want the span %q…", s, want)
	}
}
