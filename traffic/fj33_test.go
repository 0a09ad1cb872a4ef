package traffic

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// TestMACFloodAfterFoldedL2Flood (review 33c e-stp-tcn-then-macof,
// e-dhcp-starve-then-macof): macof started right after yersinia's BPDU or
// DISCOVER flood (no gap) rode on the fold decided from the incident's
// first 1,000 new senders; its own 1,000 new MACs (IPv4 unicast) raise
// mac_flood naming them, with the host table big enough or full (the
// senders it turns away count once each). A BPDU flood going on, with one
// host beyond the full table sending 3,000 frames, stays folded (checked:
// the macof cases fail without restSender/untrackedSender, no mac_flood).
func TestMACFloodAfterFoldedL2Flood(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxHosts int
		dhcp     bool
		macof    bool
	}{
		{"bpdu then macof", 0, false, true},
		{"bpdu then macof, table full", 1024, false, true},
		{"discover then macof", 0, true, true},
		{"bpdu, one host beyond the full table", 1024, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, MaxHosts: tc.maxHosts})
			at := r.baseline(t0, 2*time.Minute)
			for i := range 2000 {
				m := inventedMAC(i)
				if tc.dhcp {
					r.feed(at, dhcpDiscover(t, m, m, uint32(i)))
				} else {
					r.feed(at, tcnBPDU(m))
				}
				at = at.Add(time.Second / 3000)
			}
			for i := range 3000 {
				if tc.macof {
					r.feed(at, macofFrame(t, i))
				} else {
					r.feed(at, tcnBPDU(inventedMAC(5000+i)))
					r.feed(at, pingFrame(t, net.HardwareAddr{0x00, 0x50, 0x56, 0x33, 0x00, 0x99}, "10.0.0.99", gwMAC, "10.0.0.1", 56))
				}
				at = at.Add(time.Second / 2000)
			}
			r.feed(at.Add(90*time.Second), pingFrame(t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56))
			f := r.of(inventory.EventMACFlood)
			if !tc.macof {
				if len(f) != 0 {
					t.Fatalf("mac_flood %+v", f)
				}
				return
			}
			if len(f) != 1 || !strings.Contains(fmt.Sprint(f[0].Evidence), "first 5e:00:00:00:11:22") {
				t.Fatalf("want one mac_flood naming macof's MACs, got %+v", f)
			}
			if tc.dhcp && len(r.of(inventory.EventDHCPStarvation)) != 1 {
				t.Errorf("dhcp_starvation %+v", r.of(inventory.EventDHCPStarvation))
			}
		})
	}
}

// TestDHCPv6RelayedAndPaced (review 33c g-dhcp6-relayforward-forged,
// g-dhcp6-starve-14pps-onemac): flood_dhcpc6's Solicits wrapped in
// Relay-Forwards (547 to 547) from one MAC count toward the 500 DUIDs in
// 2 s and name the relaying MAC (checked: fails without dhcp6Relayed,
// nothing); Solicits from one MAC at 14 new DUIDs a second (under 32 in
// 2 s) are the starvation by the minute (checked: fails without
// dhcp6SlowClient). A relay forwarding 200 clients over 2 s, 40 of them
// in one second, and a host re-soliciting under its one DUID raise nothing.
func TestDHCPv6RelayedAndPaced(t *testing.T) {
	relay := hw("00:25:90:33:00:01")
	for _, tc := range []struct {
		name    string
		n       int
		every   time.Duration
		relayed bool
		duids   int // distinct DUIDs cycled through; 0: one each
		culprit string
	}{
		{"forged relay", 3000, time.Second / 2000, true, 0, relay.String()},
		{"one MAC at 14 a second", 300, time.Second / 14, false, 0, evilMAC.String()},
		{"relay of 200 clients", 200, time.Second / 100, true, 0, "-"},
		{"relay of 40 clients in a second", 40, time.Second / 40, true, 0, "-"},
		{"host re-soliciting", 300, time.Second / 14, false, 1, "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute})
			at := r.baseline(t0, 2*time.Minute)
			for i := range tc.n {
				d := i
				if tc.duids != 0 {
					d = i % tc.duids
				}
				if tc.relayed {
					r.feed(at, dhcp6Msg(t, relay, "fe80::1", 547, 547, 12, inventedMAC(d)))
				} else {
					r.feed(at, dhcp6Msg(t, evilMAC, "fe80::66", 546, 547, dhcp6Solicit, inventedMAC(d)))
				}
				at = at.Add(tc.every)
			}
			if tc.culprit == "-" {
				if ev := r.of(inventory.EventDHCPStarvation); len(ev) != 0 {
					t.Fatalf("raised %+v", ev)
				}
				return
			}
			wantOne(t, r, inventory.EventDHCPStarvation, tc.culprit, "")
		})
	}
}

// TestTFTPNewClientOtherFile (review 33c f-tftp-two-clients-nopxe,
// f-tftp-config-read-from-pxe-server): after a client read pxelinux.0 and
// the server's event was reported, another client reading startup-config
// 28 s later is its own Medium event naming that client and file, with or
// without a PXE offer (checked: fails without tftpLateRead, dropped by the
// server's quiet key); later boot-storm clients reading the offered boot
// file and the files the earlier clients read stay the one event.
func TestTFTPNewClientOtherFile(t *testing.T) {
	rrq := func(r *rig, at time.Time, i int, file string) {
		r.feed(at, udpFrame(t, clientMAC(i), clientIP(i), uint16(2000+i), nasMAC, "10.0.0.30", 69, []byte("\x00\x01"+file+"\x00octet\x00")))
	}
	for _, tc := range []struct {
		name  string
		pxe   bool
		storm bool
	}{
		{"pxe offer", true, false},
		{"no offer", false, false},
		{"boot storm after the report", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			if tc.pxe {
				r.feed(at, dhcpAnswer(t, gwMAC, "10.0.0.1", clientMAC(0), clientIP(0), 2, append(scope("255.255.255.0", "10.0.0.1", "10.0.0.1"),
					layers.NewDHCPOption(layers.DHCPOpt(66), []byte("10.0.0.30")), layers.NewDHCPOption(layers.DHCPOpt(67), []byte("pxelinux.0")))...))
			}
			rrq(r, at.Add(time.Second), 0, "pxelinux.0")
			rrq(r, at.Add(2*time.Second), 0, "vmlinuz")
			at = at.Add(30 * time.Second)
			if tc.storm {
				for i := 1; i < 30; i++ {
					rrq(r, at.Add(time.Duration(i)*time.Second), i, "pxelinux.0")
					rrq(r, at.Add(time.Duration(i)*time.Second+time.Millisecond), i, "vmlinuz")
				}
			} else {
				rrq(r, at, 66, "startup-config")
			}
			ev := r.of(inventory.EventInsecureProtocol)
			if tc.storm {
				if len(ev) != 1 {
					t.Fatalf("want the one event, got %+v", ev)
				}
				return
			}
			if len(ev) != 2 || ev[1].Severity != inventory.SeverityMedium || !strings.Contains(ev[1].Summary, `"startup-config" read by`) || ev[1].TargetIP.String() != clientIP(66) {
				t.Fatalf("want a Medium event naming the new client and file, got %+v", ev)
			}
		})
	}
}

// TestTFTPNewClientOtherFileInsideGather (review 33c, session 33's open
// case): inside the first tftpGather of a PXE boot storm, another client's
// first request is startup-config, neither the offered boot file nor a
// file a booting client read: its own Medium naming it, and the boot's Low
// event lists neither that file nor its client. Without a PXE offer the
// read joins the server's event as before. (Fails without tftpEarlyRead:
// one Low event, "3 files read by 6 clients".)
func TestTFTPNewClientOtherFileInsideGather(t *testing.T) {
	rrq := func(r *rig, at time.Time, i int, file string) {
		r.feed(at, udpFrame(t, clientMAC(i), clientIP(i), uint16(2000+i), nasMAC, "10.0.0.30", 69, []byte("\x00\x01"+file+"\x00octet\x00")))
	}
	for _, pxe := range []bool{true, false} {
		t.Run(fmt.Sprintf("pxe offer %v", pxe), func(t *testing.T) {
			r := newRig(t, Config{Learning: time.Minute, Gateway: netip.MustParseAddr("10.0.0.1")})
			at := r.baseline(t0, 2*time.Minute)
			if pxe {
				r.feed(at, dhcpAnswer(t, gwMAC, "10.0.0.1", clientMAC(0), clientIP(0), 2, append(scope("255.255.255.0", "10.0.0.1", "10.0.0.1"),
					layers.NewDHCPOption(layers.DHCPOpt(66), []byte("10.0.0.30")), layers.NewDHCPOption(layers.DHCPOpt(67), []byte("pxelinux.0")))...))
			}
			rrq(r, at.Add(time.Second), 0, "pxelinux.0")
			rrq(r, at.Add(2*time.Second), 0, "vmlinuz")
			rrq(r, at.Add(3*time.Second), 66, "startup-config")
			rrq(r, at.Add(3*time.Second+time.Millisecond), 66, "running-config")
			for i := 1; i < 5; i++ {
				rrq(r, at.Add(time.Duration(3+i)*time.Second), i, "pxelinux.0")
				rrq(r, at.Add(time.Duration(3+i)*time.Second+time.Millisecond), i, "vmlinuz")
			}
			r.e.Flush()
			ev := r.of(inventory.EventInsecureProtocol)
			if !pxe {
				if len(ev) != 1 || !strings.Contains(ev[0].Summary, "read by 6 clients") {
					t.Fatalf("want the one event of 6 clients, got %+v", ev)
				}
				return
			}
			if len(ev) != 2 || ev[0].Severity != inventory.SeverityMedium || !strings.Contains(ev[0].Summary, `"startup-config" read by`) || ev[0].TargetIP.String() != clientIP(66) {
				t.Fatalf("want a Medium event naming the new client and file, got %+v", ev)
			}
			if ev[1].Severity != inventory.SeverityLow || !strings.Contains(ev[1].Summary, "2 files read by 5 clients") {
				t.Errorf("want the boot's Low event without the attacker's reads, got %+v", ev[1])
			}
		})
	}
}
