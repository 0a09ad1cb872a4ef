package traffic

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

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
