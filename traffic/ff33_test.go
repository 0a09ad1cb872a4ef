package traffic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestSNMPTrapStormPerManager: twelve agents sending v2c traps with the
// default community to one manager's 162 within a second (review 33a s11,
// a trap storm after a power event) are one insecure_protocol on the
// manager counting and listing the agents, not twelve; the community is
// only named as the default. One agent's traps stay the pair's event, on
// the agent. Checked to fail without snmptraps.go (12 events).
func TestSNMPTrapStormPerManager(t *testing.T) {
	trap := []byte{0x30, 0x0d, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c', 0xa7, 0x00}
	r := newRig(t, Config{})
	at := t0
	for round := range 3 {
		for i := range 12 {
			agent := hw(fmt.Sprintf("02:33:0a:00:01:%02x", i))
			r.feed(at, udpFrame(t, agent, fmt.Sprintf("10.0.0.%d", 100+i), uint16(40000+round*12+i), pcMAC, "10.0.0.10", 162, trap))
			at = at.Add(20 * time.Millisecond)
		}
	}
	evs := r.of(inventory.EventInsecureProtocol)
	if len(evs) != 1 || evs[0].MAC.String() != pcMAC.String() || evs[0].TargetIP.IsValid() || evs[0].Severity != inventory.SeverityMedium {
		t.Fatalf("trap storm of 12 agents: want one medium insecure_protocol on the manager %s, got %d: %+v", pcMAC, len(evs), evs)
	}
	if s := evs[0].Summary; !strings.Contains(s, "from 12 agents") || !strings.Contains(s, "port 162") {
		t.Errorf("summary %q lacks the agents counted or the manager's port", s)
	}
	if d := evs[0].Evidence[0].Detail; !strings.Contains(d, "10.0.0.100") || !strings.Contains(d, "4 more") || !strings.Contains(d, `default community "public"`) {
		t.Errorf("evidence %q lacks the agents listed or the default community", d)
	}
	r = newRig(t, Config{})
	r.feed(t0, udpFrame(t, nasMAC, "10.0.0.30", 36100, pcMAC, "10.0.0.10", 162, trap))
	r.feed(t0.Add(time.Second), udpFrame(t, nasMAC, "10.0.0.30", 36101, pcMAC, "10.0.0.10", 162, trap))
	ev := wantOne(t, r, inventory.EventInsecureProtocol, nasMAC.String(), "10.0.0.30")
	if ev.TargetIP.String() != "10.0.0.10" || !strings.Contains(ev.Summary, "(agent, traps to port 162)") {
		t.Errorf("one agent's traps: %+v, want the pair's event naming the manager as target", ev)
	}
}

// fanOutRound feeds an admin host ARPing each of 30 hosts and, when
// server is not nil, one SSH connection to each: the server's version
// line, KEXINIT, its key exchange reply with NEWKEYS, then encrypted
// segments of the sizes in server and client, and both FINs.
func fanOutRound(r *rig, server, client []int) {
	t, at := r.t, t0
	for i := range 30 {
		host, ip := hw(fmt.Sprintf("02:33:0b:00:00:%02x", i)), fmt.Sprintf("10.0.0.%d", 100+i)
		r.feed(at, arpFrame(t, 1, evilMAC, "10.0.0.66", nil, ip))
		r.feed(at.Add(time.Millisecond), arpFrame(t, 2, host, ip, evilMAC, "10.0.0.66"))
		at = at.Add(1500 * time.Millisecond)
		if server == nil {
			continue
		}
		cport, d := uint16(50000+i), time.Duration(0)
		c := func(f tcpFlags, b []byte) {
			d += time.Millisecond
			r.feed(at.Add(d), tcpFrame(t, evilMAC, "10.0.0.66", cport, host, ip, 22, f, b))
		}
		s := func(f tcpFlags, b []byte) {
			d += time.Millisecond
			r.feed(at.Add(d), tcpFrame(t, host, ip, 22, evilMAC, "10.0.0.66", cport, f, b))
		}
		ack := tcpFlags{ack: true, psh: true}
		c(tcpFlags{syn: true}, nil)
		s(tcpFlags{syn: true, ack: true}, nil)
		c(ack, []byte("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"))
		s(ack, []byte("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"))
		s(ack, sshPacket(20, 1070))
		s(ack, append(sshPacket(31, 180), sshPacket(21, 0)...))
		for j := range max(len(server), len(client)) {
			if j < len(client) {
				c(ack, make([]byte, client[j]))
			}
			if j < len(server) {
				s(ack, make([]byte, server[j]))
			}
		}
		s(tcpFlags{fin: true, ack: true}, nil)
		c(tcpFlags{fin: true, ack: true}, nil)
	}
}

// TestAdminFanOutLow: an Ansible-like fan-out (review 33a s14a: OpenSSH
// key logins running uptime on 30 hosts, 924 bytes sent and 936 answered
// after the key exchange) is a host_sweep Low "admin fan-out" counting the
// sessions; the same ARP sweep alone, with password guesses failing on
// each host (hydra across hosts), or with a key scan of each (nothing
// encrypted) stays High. Checked to fail without fanout.go (High).
func TestAdminFanOutLow(t *testing.T) {
	login := []int{44, 52, 264, 100, 28, 192, 72, 124, 60}
	sent := []int{44, 400, 120, 100, 60, 100, 100}
	failed := []int{44, 52, 52, 52, 52, 52, 52, 76}
	for _, tc := range []struct {
		name           string
		server, client []int
		want           inventory.Severity
	}{
		{"ansible-like key logins", login, sent, inventory.SeverityLow},
		{"ARP sweep alone", nil, nil, inventory.SeverityHigh},
		{"password guesses failing on each host", failed, []int{44, 100, 100, 100, 100, 100, 100}, inventory.SeverityHigh},
		{"a key scan of each host", []int{}, []int{}, inventory.SeverityHigh},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, Config{})
			fanOutRound(r, tc.server, tc.client)
			evs := r.of(inventory.EventHostSweep)
			if len(evs) != 1 || evs[0].Severity != tc.want {
				t.Fatalf("want one host_sweep %s, got %+v", tc.want, evs)
			}
			if fan := strings.Contains(evs[0].Summary, "admin fan-out: 30 sessions to port 22 (SSH)"); fan != (tc.want == inventory.SeverityLow) {
				t.Errorf("summary %q: admin fan-out named %v, want %v", evs[0].Summary, fan, !fan)
			}
		})
	}
}
