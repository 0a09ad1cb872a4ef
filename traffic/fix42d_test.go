package traffic

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// TestSNMPv3User reads the user name net-snmp's Reports echo (fix42c's
// real datagrams): none in engine discovery's, "admin" and "monitor" in
// the failures'; cut anywhere, no panic and no allocation.
func TestSNMPv3User(t *testing.T) {
	for h, want := range map[string]string{snmpv3Discovery: "", snmpv3UnknownUser: "admin", snmpv3WrongDigest: "monitor"} {
		b, err := hex.DecodeString(h)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(snmpV3User(b)); got != want {
			t.Errorf("snmpV3User(%s...) = %q, want %q", h[:40], got, want)
		}
		for i := range b {
			snmpV3User(b[:i])
		}
		if n := testing.AllocsPerRun(20, func() { snmpV3User(b) }); n != 0 {
			t.Errorf("snmpV3User allocates %v times", n)
		}
	}
}

// FuzzSNMPv3User runs the user-name reader over any datagram: no panic,
// and a name read lies inside the datagram.
func FuzzSNMPv3User(f *testing.F) {
	for _, h := range []string{snmpv3Discovery, snmpv3UnknownUser, snmpv3WrongDigest} {
		b, _ := hex.DecodeString(h)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if u := snmpV3User(b); len(u) > len(b) {
			t.Fatalf("a name of %d bytes from %d", len(u), len(b))
		}
	})
}

// v3Shape replays Reports of usmStatsWrongDigests (fix42c's, the user
// name swapped for another of 7 bytes) from agents 10.0.0.100 on to the
// manager 10.0.0.11: rounds rounds every round apart, in each per
// Reports from each agent gap apart, the n-th naming users[n%len(users)].
// It returns the brute_force events.
func v3Shape(t *testing.T, agents, per, rounds int, round, gap time.Duration, users []string) []inventory.Event {
	t.Helper()
	base, err := hex.DecodeString(snmpv3WrongDigest)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(base, []byte("monitor"))
	var evs []inventory.Event
	e := New(Config{}, func(ev inventory.Event) { evs = append(evs, ev) })
	d := capture.NewDecoder()
	mgr := net.HardwareAddr{0xf0, 0x1f, 0xaf, 0, 0, 0x11}
	n, now := 0, t0
	for r := range rounds {
		now = t0.Add(time.Duration(r) * round)
		for a := range agents {
			for range per {
				b := bytes.Clone(base)
				copy(b[at:], users[n%len(users)])
				n++
				f := udpFrame(t, net.HardwareAddr{0, 0x50, 0x56, 0, 1, byte(a)}, fmt.Sprintf("10.0.0.%d", 100+a), 161, mgr, "10.0.0.11", uint16(40000+n), b)
				e.Packet(d.Decode(capture.Frame{Time: now, Data: f, Length: len(f)}))
				now = now.Add(gap)
			}
		}
	}
	e.Tick(now.Add(10 * time.Minute))
	e.Flush()
	return bruteEvents(evs)
}

// TestSNMPv3PollerOrGuesser tells a poller with a stale credential from
// a guesser by the shape of its Reports: one user name at a poll's pace,
// over 25 agents or at one agent's 30 sensors a minute, is quiet; 20 at
// one a second or faster, or three user names or more, at one agent or
// over agents, is guessing.
func TestSNMPv3PollerOrGuesser(t *testing.T) {
	one, two := []string{"monitor"}, []string{"monitor", "zabbix1"}
	var names []string
	for i := range 30 {
		names = append(names, fmt.Sprintf("user%03d", i))
	}
	for _, c := range []struct {
		what                string
		agents, per, rounds int
		round, gap          time.Duration
		users               []string
		want                string // a word of the summary; "" quiet
	}{
		{"a poller with a stale password, 25 agents x 4 a minute", 25, 4, 5, time.Minute, 10 * time.Millisecond, one, ""},
		{"a poller with two users the agents lack", 25, 4, 5, time.Minute, 10 * time.Millisecond, two, ""},
		{"30 sensors a minute on one agent", 1, 30, 5, time.Minute, 2 * time.Second, one, ""},
		{"20 passwords of one user in 12 s", 1, 20, 1, time.Minute, 600 * time.Millisecond, one, "guessed passwords against SNMPv3"},
		{"30 user names in 75 s", 1, 30, 1, time.Minute, 2500 * time.Millisecond, names, "guessed passwords against SNMPv3"},
		{"30 user names over 25 agents", 25, 1, 2, 20 * time.Second, 100 * time.Millisecond, names, "sprayed passwords against SNMPv3"},
	} {
		evs := v3Shape(t, c.agents, c.per, c.rounds, c.round, c.gap, c.users)
		switch {
		case c.want == "" && len(evs) != 0:
			t.Errorf("%s: raised %s %s", c.what, evs[0].Severity, evs[0].Summary)
		case c.want != "" && (len(evs) != 1 || evs[0].Severity != inventory.SeverityHigh || !strings.Contains(evs[0].Summary, c.want)):
			t.Errorf("%s: %+v, want one High %q", c.what, evs, c.want)
		}
	}
}

// TestStaleCredentialStaged replays the staged stale credentials: an
// SNMPv3 poller with a wrong password or a user the 25 agents lack, an
// HTTP monitor's stale basic-auth password on 10 UIs, a backup account's
// on 5 SMB servers; no brute_force. The attacks beside them raise.
func TestStaleCredentialStaged(t *testing.T) {
	for _, name := range []string{
		"benign-snmpv3-poller-stale-password-25-agents.pcap.gz",
		"benign-snmpv3-poller-unknown-user-25-agents.pcap.gz",
		"benign-http-monitor-stale-basic-auth-10-uis.pcap",
		"benign-smb-backup-stale-password-5-servers.pcap",
	} {
		if evs := bruteEvents(stagedEvents(t, name)); len(evs) != 0 {
			t.Errorf("%s: %s %s", name, evs[0].Severity, evs[0].Summary)
		}
	}
	for _, name := range []string{"snmpv3-password-guessing-snmpget.pcap", "snmpv3-user-enumeration-snmpget.pcap", "http-basic-spray-hydra-3-uis.pcap"} {
		if evs := bruteEvents(stagedEvents(t, name)); len(evs) != 1 || evs[0].Severity != inventory.SeverityHigh {
			t.Errorf("%s: %+v, want one High brute_force", name, evs)
		}
	}
}
