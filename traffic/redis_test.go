package traffic

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// TestRedisAbuseStaged: the staged redis-cli abuse (CONFIG SET dir and
// dbfilename, SAVE, SLAVEOF its own address) and the inline REPLICAOF
// sent by nc are each one lateral_movement High from the attacker to the
// NAS; redis-cli and redis-benchmark's ordinary commands and a replica
// configured at start (its own PSYNC) raise nothing.
func TestRedisAbuseStaged(t *testing.T) {
	for name, want := range map[string]string{
		"redis-abuse-config-slaveof-redis-cli.pcap":   "(CONFIG SET dir or dbfilename)",
		"redis-rogue-master-replicaof-inline-nc.pcap": "replica of the client itself",
		"benign-redis-cli-get-set-benchmark.pcap.gz":  "",
		"benign-redis-replica-pair.pcap":              "",
	} {
		var got []inventory.Event
		for _, ev := range stagedEvents(t, name) {
			if ev.Type == inventory.EventLateralMovement {
				got = append(got, ev)
			}
		}
		if want == "" {
			if len(got) != 0 {
				t.Errorf("%s: %v", name, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Severity != inventory.SeverityHigh || got[0].MAC.String() != "b8:27:eb:00:00:66" ||
			got[0].TargetIP != netip.MustParseAddr("10.88.8.30") || !strings.Contains(got[0].Summary, want) {
			t.Errorf("%s: %v", name, got)
		}
	}
}

// TestRedisCommand reads RESP arrays (redis-cli's bytes), inline commands,
// a pipeline's second command, and cut or malformed input.
func TestRedisCommand(t *testing.T) {
	for _, tc := range []struct {
		in, words, rest string
	}{
		{"*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$3\r\ndir\r\n$14\r\n/root/.ssh/abc\r\n", "CONFIG SET dir /root/.ssh/abc", ""},
		{"*3\r\n$7\r\nSLAVEOF\r\n$10\r\n10.41.1.66\r\n$4\r\n6380\r\n*1\r\n$4\r\nSAVE\r\n", "SLAVEOF 10.41.1.66 6380", "*1\r\n$4\r\nSAVE\r\n"},
		{"PING\r\nREPLICAOF 10.41.1.66 6380\r\n", "PING", "REPLICAOF 10.41.1.66 6380\r\n"},
		{"module   load /tmp/exp.so\n", "module load /tmp/exp.so", ""},
		{"*2\r\n$3\r\nGET\r\n$20\r\nshort", "GET short", "<nil>"},
		{"*2\r\n$3\r\nGET\r\n:1\r\n", "GET", "<nil>"},
		{"*99999999999\r\n", "", "<nil>"},
		{"GET \x00x\r\n", "", "<nil>"},
		{"+OK\r\n", "+OK", ""},
	} {
		var w [redisWords][]byte
		n, rest := redisCommand([]byte(tc.in), &w)
		var got []string
		for _, b := range w[:n] {
			got = append(got, string(b))
		}
		r := string(rest)
		if rest == nil {
			r = "<nil>"
		}
		if strings.Join(got, " ") != tc.words || r != tc.rest {
			t.Errorf("%q: %q rest %q", tc.in, got, r)
		}
	}
}

// TestRedisSlaveof: a REPLICAOF naming another server (an
// administrator's), Sentinel's SLAVEOF inside MULTI and one naming a host
// by name raise nothing, nor the replica's PSYNC; a pipeline's SLAVEOF
// naming its client is raised, once per client and server.
func TestRedisSlaveof(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	r := newRig(t, Config{})
	seg := func(from []byte, src string, to []byte, dst string, dp uint16, b string) {
		at = at.Add(time.Second)
		r.feed(at, tcpFrame(t, from, src, 40001, to, dst, dp, tcpFlags{ack: true}, []byte(b)))
	}
	seg(pcMAC, "10.0.0.10", nasMAC, "10.0.0.30", redisPort, "*3\r\n$9\r\nREPLICAOF\r\n$9\r\n10.0.0.31\r\n$4\r\n6379\r\n")
	seg(pcMAC, "10.0.0.10", nasMAC, "10.0.0.30", redisPort, "*1\r\n$5\r\nMULTI\r\n*3\r\n$7\r\nSLAVEOF\r\n$9\r\n10.0.0.10\r\n$4\r\n6379\r\n*1\r\n$4\r\nEXEC\r\n")
	seg(nasMAC, "10.0.0.30", pcMAC, "10.0.0.31", redisPort, "*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n")
	seg(evilMAC, "10.0.0.66", nasMAC, "10.0.0.30", redisPort, "SLAVEOF evil.lan 6380\r\n")
	if evs := r.all(); len(evs) != 0 {
		t.Fatalf("quiet cases: %v", evs)
	}
	for range 2 {
		seg(evilMAC, "10.0.0.66", nasMAC, "10.0.0.30", redisPort, "*1\r\n$4\r\nPING\r\n*3\r\n$7\r\nslaveof\r\n$9\r\n10.0.0.66\r\n$4\r\n6380\r\n")
	}
	evs := r.of(inventory.EventLateralMovement)
	if len(evs) != 1 || evs[0].MAC.String() != evilMAC.String() || evs[0].TargetIP != netip.MustParseAddr("10.0.0.30") || !strings.Contains(evs[0].Summary, "replica of the client itself") {
		t.Fatalf("%v", evs)
	}
}

// TestRedisAllocs: an application's GET to port 6379 costs no allocation.
func TestRedisAllocs(t *testing.T) {
	r := newRig(t, Config{})
	f := tcpFrame(t, pcMAC, "10.0.0.10", 40001, nasMAC, "10.0.0.30", redisPort, tcpFlags{ack: true}, []byte("*2\r\n$3\r\nGET\r\n$10\r\nsession:42\r\n"))
	p := *capture.NewDecoder().Decode(capture.Frame{Time: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC), Data: f, Length: len(f)})
	r.e.Packet(&p)
	if n := testing.AllocsPerRun(200, func() { r.e.redisSegment(&p, capture.MAC6(pcMAC), capture.MAC6(nasMAC)) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// FuzzRedisCommand: any bytes read as commands stay in bounds and end.
func FuzzRedisCommand(f *testing.F) {
	f.Add([]byte("*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$3\r\ndir\r\n$4\r\n/tmp\r\n"))
	f.Add([]byte("PING\r\nREPLICAOF 10.41.1.66 6380\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var w [redisWords][]byte
		for i := 0; i < 64 && len(b) > 0; i++ {
			n, rest := redisCommand(b, &w)
			if n > redisWords || len(rest) >= len(b) && rest != nil {
				t.Fatalf("%d words, rest %d of %d", n, len(rest), len(b))
			}
			_ = redisAbuse(&w, n, netip.MustParseAddr("10.0.0.66"))
			b = rest
		}
	})
}
