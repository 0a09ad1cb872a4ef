package traffic

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
)

// bruteEvents keeps the brute_force events of evs.
func bruteEvents(evs []inventory.Event) []inventory.Event {
	var out []inventory.Event
	for _, ev := range evs {
		if ev.Type == inventory.EventBruteForce {
			out = append(out, ev)
		}
	}
	return out
}

// TestSprayStaged replays the staged sprays (review 42 P1): smbclient as 4
// accounts x 2 passwords against 5 Samba hosts, hydra -M against 3 basic
// auth UIs; each is one High brute_force by the attacker listing every
// server. A stale password on 3 mapped drives stays quiet.
func TestSprayStaged(t *testing.T) {
	for _, c := range []struct {
		name, want string
		servers    int
	}{
		{"smb-spray-smbclient-5-hosts.pcap", "against SMB: 40 failed logins on 5 servers (port 445;", 5},
		{"http-basic-spray-hydra-3-uis.pcap", "against HTTP basic auth: 48 failed logins on 3 servers", 3},
	} {
		evs := bruteEvents(stagedEvents(t, c.name))
		if len(evs) != 1 {
			t.Fatalf("%s: %d brute_force events, want 1: %+v", c.name, len(evs), evs)
		}
		ev := evs[0]
		if ev.Severity != inventory.SeverityHigh || fmt.Sprint(ev.MAC) != "b8:27:eb:00:00:66" || !strings.Contains(ev.Summary, c.want) {
			t.Errorf("%s: %s %s %q, want high, the attacker, %q", c.name, ev.Severity, ev.MAC, ev.Summary, c.want)
		}
		if n := strings.Count(ev.Summary, "10.88.8."); n != c.servers+1 { // the attacker, then each server
			t.Errorf("%s: %d servers listed, want %d: %s", c.name, n-1, c.servers, ev.Summary)
		}
	}
	if evs := bruteEvents(stagedEvents(t, "benign-smb-stale-password-mapped-drives.pcap")); len(evs) != 0 {
		t.Errorf("a stale password on 3 mapped drives raised %+v", evs)
	}
}

// TestSprayThresholds drives sprayFail: 20 failures on 3 servers within a
// minute make a spray; 19, or 20 on 2 servers, or 20 spread over more than
// a minute do not; clients beyond sprayTrackers are dropped and counted.
func TestSprayThresholds(t *testing.T) {
	cli := netip.MustParseAddr("10.0.0.66")
	srv := func(i int) netip.Addr { return netip.AddrFrom4([4]byte{10, 0, 0, byte(100 + i)}) }
	run := func(n, servers int, step time.Duration) *sprayTracker {
		e := New(Config{}, func(inventory.Event) {})
		e.spread = &spreadState{}
		for i := range n {
			e.sprayFail(t0.Add(time.Duration(i)*step), bruteKey{cli, srv(i % servers), 445}, mac{1}, mac{2}, "SMB", 0, nil)
		}
		return e.spread.spray[0]
	}
	if tr := run(20, 3, time.Second); tr.over.IsZero() {
		t.Error("20 failures on 3 servers within 20 s: no spray")
	}
	if tr := run(19, 3, time.Second); !tr.over.IsZero() {
		t.Error("19 failures made a spray")
	}
	if tr := run(20, 2, time.Second); !tr.over.IsZero() {
		t.Error("20 failures on 2 servers made a spray")
	}
	if tr := run(20, 3, 4*time.Second); !tr.over.IsZero() {
		t.Error("20 failures over 76 s made a spray")
	}
	if tr := run(20, 3, time.Second); tr.total != 20 || tr.n != 3 {
		t.Errorf("counted %d failures on %d servers, want 20 on 3", tr.total, tr.n)
	}
	e := New(Config{}, func(inventory.Event) {})
	e.spread = &spreadState{}
	for i := range sprayTrackers + 1 {
		e.sprayFail(t0, bruteKey{netip.AddrFrom4([4]byte{10, 0, 1, byte(i)}), srv(0), 445}, mac{1}, mac{2}, "SMB", 0, nil)
	}
	if len(e.spread.spray) != sprayTrackers || e.counters.TrackersDropped != 1 {
		t.Errorf("%d trackers, %d dropped; want %d and 1", len(e.spread.spray), e.counters.TrackersDropped, sprayTrackers)
	}
}

// TestXMLRPCParse reads the staged XML-RPC exchanges: curl's
// wp.getUsersBlogs calls are one login each, the multicall's first body
// segment names system.multicall and its calls, WordPress's fault 403 is
// a failure and a login that worked is not.
func TestXMLRPCParse(t *testing.T) {
	var single, multi, faults, ok int
	for _, name := range []string{"wp-xmlrpc-guess-curl-multicall.pcap", "benign-wp-xmlrpc-blog-client.pcap"} {
		for _, b := range stagedPayloads(t, name, func(p *capture.Packet) bool {
			return p.Has&capture.HasTCP != 0 && (p.TCP.DstPort == 80 || p.TCP.SrcPort == 80) && len(p.TCP.Payload) > 0
		}) {
			body := b
			if i := bytes.Index(b, []byte("\r\n\r\n")); i >= 0 {
				body = b[i+4:]
			}
			switch calls, m := xmlrpcLoginCalls(body); {
			case m:
				multi++
				if calls < 5 {
					t.Errorf("a multicall's first segment read as %d calls", calls)
				}
			case calls == 1:
				single++
			}
			if xmlrpcFault403(body) {
				faults++
			} else if bytes.Contains(body, []byte("<methodResponse>")) {
				ok++
			}
		}
	}
	// 40 curl calls and 9 by the blog client (3 wp.getUsersBlogs, 2
	// mistyped, 6 wp.getProfile); 40 answers with a fault to curl's, the
	// multicall's answer in 2 segments, 2 to the blog client's.
	if single != 49 || multi != 1 || faults != 44 || ok < 13 {
		t.Errorf("%d single login calls, %d multicalls, %d faults, %d other answers; want 49, 1, 44, 13 or more", single, multi, faults, ok)
	}
}

// TestXMLRPCStaged replays the staged XML-RPC guessing: 40 single calls
// and a multicall of 60, whose header came alone and body in three
// segments, are 100 failed logins; the blog client's two mistypes (their
// answers' header and body in two segments) are two, raising nothing.
func TestXMLRPCStaged(t *testing.T) {
	evs := bruteEvents(stagedEvents(t, "wp-xmlrpc-guess-curl-multicall.pcap"))
	if len(evs) != 1 || evs[0].Severity != inventory.SeverityHigh || !strings.Contains(evs[0].Summary, ": 100 failed logins (XML-RPC login to /xmlrpc.php)") {
		t.Fatalf("got %+v, want one High brute_force of 100 XML-RPC failures", evs)
	}
	e := New(Config{}, func(ev inventory.Event) { t.Errorf("the blog client raised %s %s", ev.Type, ev.Summary) })
	src, err := capture.OpenFile(filepath.Join("testdata", "staged", "benign-wp-xmlrpc-blog-client.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := capture.Run(context.Background(), src, e.Packet); err != nil {
		t.Fatal(err)
	}
	var failures int
	for _, tr := range e.brute {
		failures += tr.failures
	}
	if failures != 2 || e.rpcWait != 0 {
		t.Errorf("%d failures counted, %d trackers waiting; want 2 and 0", failures, e.rpcWait)
	}
	e.Flush()
}

// FuzzXMLRPCLogin feeds the XML-RPC readers arbitrary bodies and headers:
// nothing may panic, a single call is one login.
func FuzzXMLRPCLogin(f *testing.F) {
	f.Add([]byte("<?xml version=\"1.0\"?><methodCall><methodName>wp.getUsersBlogs</methodName><params></params></methodCall>"))
	f.Add([]byte("<methodCall><methodName>system.multicall</methodName><value>wp.getProfile</value><value>wp.getUsersBlogs</value>"))
	f.Add([]byte("<fault><member><name>faultCode</name><value><int>403</int></value>"))
	f.Add([]byte("POST /xmlrpc.php HTTP/1.1\r\nContent-Type: text/xml\r\nContent-Length: 9"))
	f.Fuzz(func(t *testing.T, b []byte) {
		calls, multi := xmlrpcLoginCalls(b)
		if calls < 0 || !multi && calls > 1 {
			t.Fatalf("%d calls (multicall %v)", calls, multi)
		}
		_ = xmlrpcFault403(b)
		_ = xmlrpcBodyNext(b)
	})
}
