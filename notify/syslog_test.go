package notify

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rsyslogConf listens on loopback only (UDP, TCP, TLS) and writes every
// message in RFC 5424 form to one file; its work directory and pid file are
// the test's own, so it never touches the system's syslog.
const rsyslogConf = `
global(workDirectory="%[1]s" net.ipprotocol="ipv4-only"
       defaultNetstreamDriverCAFile="%[5]s" defaultNetstreamDriverCertFile="%[5]s" defaultNetstreamDriverKeyFile="%[6]s")
module(load="imudp")
module(load="imtcp" maxSessions="10")
input(type="imudp" address="127.0.0.1" port="%[2]d")
input(type="imtcp" address="127.0.0.1" port="%[3]d")
input(type="imtcp" address="127.0.0.1" port="%[4]d" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
action(type="omfile" file="%[1]s/messages" template="RSYSLOG_SyslogProtocol23Format")
`

func TestSyslogRsyslog(t *testing.T) {
	if _, err := exec.LookPath("rsyslogd"); err != nil {
		t.Skip("needs rsyslog (make deps)")
	}
	if _, err := os.Stat("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so"); err != nil {
		if _, err2 := os.Stat("/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_gtls.so"); err2 != nil {
			t.Skip("needs rsyslog-gnutls (make deps)")
		}
	}
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	udp, tcp, tlsPort := freePort(t), freePort(t), freePort(t)
	conf := filepath.Join(dir, "rsyslog.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf(rsyslogConf, dir, udp, tcp, tlsPort, cert, key)), 0o600)
	startDaemon(t, "rsyslogd", "-n", "-f", conf, "-i", filepath.Join(dir, "rsyslogd.pid"))
	waitPort(t, tcp)
	waitPort(t, tlsPort)

	for _, tc := range []struct{ url, title string }{
		{"syslog+udp://127.0.0.1:" + strconv.Itoa(udp) + "?facility=local3", "over udp"},
		{"syslog+tcp://127.0.0.1:" + strconv.Itoa(tcp), "over tcp"},
		{"syslog+tls://127.0.0.1:" + strconv.Itoa(tlsPort) + "?ca_file=" + cert, "over tls"},
	} {
		e, err := ParseURL(tc.url, ParseOptions{Hostname: "box1"})
		if err != nil {
			t.Fatal(err)
		}
		m := sample()
		m.Title = "Rogue DHCP server " + tc.title
		for range 2 { // the stream stays open between messages
			if _, err := e.Outlet.Send(context.Background(), &m); err != nil {
				t.Fatalf("%s: %v", tc.url, err)
			}
		}
		e.Outlet.(*Syslog).Close()
	}
	var lines []string
	deadline := time.Now().Add(10 * time.Second)
	for len(lines) < 6 && time.Now().Before(deadline) {
		b, _ := os.ReadFile(filepath.Join(dir, "messages"))
		lines = strings.Split(strings.TrimSpace(string(b)), "\n")
		time.Sleep(100 * time.Millisecond)
	}
	if len(lines) != 6 {
		t.Fatalf("rsyslog wrote %d lines, want 6:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	// rsyslog runs each input on its own thread: lines from the three
	// transports may land in any order, two from each.
	prio := map[string]string{"over udp": "<155>1 ", "over tcp": "<131>1 ", "over tls": "<131>1 "} // local3.err, local0.err (high)
	seen := map[string]int{}
	for i, l := range lines {
		var over string
		for o := range prio {
			if strings.Contains(l, "Rogue DHCP server "+o+":") {
				over = o
			}
		}
		seen[over]++
		if over == "" || !strings.HasPrefix(l, prio[over]) || !strings.Contains(l, " box1 tend ") || !strings.Contains(l, `[tend@32473 status="triggered" severity="high" problem="snmp_default_community-0123456789ab"`) ||
			!strings.HasSuffix(l, "Change the community.") {
			t.Errorf("line %d: %q", i, l)
		}
	}
	for o := range prio {
		if seen[o] != 2 {
			t.Errorf("%d lines %s, want 2", seen[o], o)
		}
	}
}
