package traffic

import (
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestReflectionForgedOneIncident: review 40's memcached reflection is one
// spoofed_source, High, from the first forged request (its time and its
// ARP proof) with the reflector and the amplification; not the first
// request's Medium and then the flood's High.
func TestReflectionForgedOneIncident(t *testing.T) {
	var got []inventory.Event
	for _, ev := range stagedEvents(t, "reflect-memcached-forged-gets-scapy.pcap.gz") {
		if ev.Type == inventory.EventSpoofedSource {
			got = append(got, ev)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d spoofed_source events, want 1: %v", len(got), got)
	}
	ev := got[0]
	if ev.Severity != inventory.SeverityHigh || ev.MAC.String() != "b8:27:eb:00:00:66" || len(ev.Evidence) != 3 {
		t.Fatalf("%s %s %v", ev.Severity, ev.MAC, ev.Evidence)
	}
	first := ev.Time.UTC().Format(time.RFC3339Nano)
	if !strings.Contains(ev.Evidence[0].Detail, "11211") || !strings.Contains(ev.Evidence[0].Detail, " at "+first+":") ||
		!strings.HasPrefix(ev.Evidence[1].Detail, "ARP binds 10.40.1.10") || !strings.Contains(ev.Evidence[2].Detail, "amplification") && !strings.Contains(ev.Summary, "amplification") {
		t.Errorf("%s %q %v", first, ev.Summary, ev.Evidence)
	}
}

// miraiSYNs feeds n SYNs from bot (10.0.0.66) through the gateway to
// public addresses spread over the IPv4 space, 5 ms apart, port 23 (2323
// one time in ten), seq the destination's address when mirai is set and
// another number otherwise; each address is sent rep SYNs.
func miraiSYNs(r *rig, at time.Time, bot net.HardwareAddr, n, rep int, mirai bool) {
	x := uint32(0x2545f491)
	for i := 0; i < n; {
		x = x*1664525 + 1013904223
		dst := netip.AddrFrom4([4]byte{byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)})
		if local(dst) || !dst.IsGlobalUnicast() {
			continue
		}
		port, seq := uint16(23), x
		if i%10 == 9 {
			port = 2323
		}
		if !mirai {
			seq = x*2654435761 + 12345
		}
		for range rep {
			r.feed(at, seqFrame(r.t, bot, "10.0.0.66", uint16(40000+i), gwMAC, dst.String(), port, seq, tcpFlags{syn: true}, nil))
			at = at.Add(5 * time.Millisecond)
		}
		i++
	}
}

// TestMiraiScanningTheInternet: a LAN host whose SYNs carry their public
// destination's address as sequence number (Mirai's scanner) is
// host_sweep Critical, an infected device, from miraiOutMin distinct
// addresses; fewer, one address's retransmissions, or outbound SYNs with
// stacks' sequence numbers raise nothing.
func TestMiraiScanningTheInternet(t *testing.T) {
	bot := hw("b8:27:eb:00:00:66")
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name       string
		n, rep     int
		mirai, hit bool
	}{
		{"mirai 300 targets", 300, 1, true, true},
		{"mirai at the threshold", miraiOutMin, 1, true, true},
		{"mirai one short", miraiOutMin - 1, 1, true, false},
		{"one address retransmitted", 1, 3 * miraiOutMin, true, false},
		{"office's outbound SYNs", 300, 1, false, false},
	}
	for _, c := range cases {
		r := newRig(t, Config{})
		miraiSYNs(r, at, bot, c.n, c.rep, c.mirai)
		var got []inventory.Event
		for _, ev := range r.all() {
			if ev.Severity.Rank() > inventory.SeverityInfo.Rank() {
				got = append(got, ev)
			}
		}
		if !c.hit {
			if len(got) != 0 {
				t.Errorf("%s: %v", c.name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Type != inventory.EventHostSweep || got[0].Severity != inventory.SeverityCritical || got[0].MAC.String() != "b8:27:eb:00:00:66" ||
			!strings.Contains(got[0].Summary, "infected device") || !strings.Contains(got[0].Evidence[0].Detail, "port 23: ") || !got[0].Time.Equal(at) {
			t.Errorf("%s: %v", c.name, got)
		}
	}
}
