package lab

import (
	"context"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestTwoArcOIDs: a one-arc OBJECT IDENTIFIER value ("|6|0", how walks
// print zeroDotZero) gains a second arc, which snmpsimd can encode; every
// other line, OID values of two or more arcs and other tags, is kept.
func TestTwoArcOIDs(t *testing.T) {
	in := strings.Join([]string{
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.27514.1.3.46",
		"1.3.6.1.2.1.2.2.1.22.1|6|0",
		"1.3.6.1.2.1.47.1.1.1.1.3.2|6|0\r",
		"1.3.6.1.2.1.47.1.1.1.1.4.1|2|0",
		"1.3.6.1.2.1.47.1.1.1.1.2.1|4|0",
		"1.3.6.1.2.1.2.2.1.22.2|6|0.0",
	}, "\n") + "\n"
	want := strings.Join([]string{
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.27514.1.3.46",
		"1.3.6.1.2.1.2.2.1.22.1|6|0.0",
		"1.3.6.1.2.1.47.1.1.1.1.3.2|6|0.0\r",
		"1.3.6.1.2.1.47.1.1.1.1.4.1|2|0",
		"1.3.6.1.2.1.47.1.1.1.1.2.1|4|0",
		"1.3.6.1.2.1.2.2.1.22.2|6|0.0",
	}, "\n") + "\n"
	if got := string(twoArcOIDs([]byte(in))); got != want {
		t.Errorf("twoArcOIDs:\n%q\nwant\n%q", got, want)
	}
}

// TestUnreadableNumbers: numeric-typed lines whose value is empty or
// redacted are dropped, numbers and other types kept.
func TestUnreadableNumbers(t *testing.T) {
	in := "1.3.6.1.2.1.1.3.0|67|<private>\n1.3.6.1.2.1.1.4.0|4|\n1.3.6.1.4.1.2544.1|2|\n1.3.6.1.4.1.2544.2|2|-3\n" +
		"1.3.6.1.4.1.2007.1|66|<private>\r\n1.3.6.1.4.1.2007.2|4|10.09.26\n1.3.6.1.4.1.2007.3|70|12\n"
	want := "1.3.6.1.2.1.1.4.0|4|\n1.3.6.1.4.1.2544.2|2|-3\n1.3.6.1.4.1.2007.2|4|10.09.26\n1.3.6.1.4.1.2007.3|70|12\n"
	if got := string(unreadableNumbers.Compiled().ReplaceAll([]byte(in), nil)); got != want {
		t.Errorf("unreadableNumbers dropped:\n%q\nwant\n%q", got, want)
	}
}

// TestSharedAgents builds a LAN with "agents shared" and checks, from the
// box, that every device answers SNMP with its own recording at its own
// address, and that its address resolves to its own MAC (not another
// link's of the same namespace), the agentless device included.
func TestSharedAgents(t *testing.T) {
	needRoot(t, "ip", "snmpsimd")
	cfg := Config{Name: uniqueName(t), StateDir: agentReadableDir(t), Owner: os.Getpid()}
	t.Cleanup(func() {
		Down(context.Background(), cfg)
		if left := Leftovers(cfg.Name); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
	})
	lan, err := ParseLAN(strings.NewReader("cidr 10.9.7.0/24\nbox 10.9.7.250 02:00:00:09:07:fa\nagents shared\n" +
		"sw switch 02:00:00:09:07:01 10.9.7.1 snmpsim:builtin/switch\nprn printer 02:00:00:09:07:02 10.9.7.2 snmpsim:builtin/printer\n" +
		"nas nas 02:00:00:09:07:03 10.9.7.3 snmpsim:builtin/nas\nws workstation 02:00:00:09:07:04 10.9.7.4 -\n" +
		"ups ups 02:00:00:09:07:05 10.9.7.5 snmpsim:builtin/ups\n"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := Up(context.Background(), cfg, lan)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range st.Devices {
		answer := probeFromBox(t, st, d.IP)
		if d.Agent != "-" {
			rec, _ := labFiles.ReadFile("recordings/" + strings.TrimPrefix(d.Agent, "snmpsim:builtin/") + ".snmprec")
			descr := strings.Trim(strings.SplitN(strings.SplitN(string(rec), "\n", 2)[0], "|", 3)[2], `"`)
			if !strings.Contains(answer, descr[:20]) {
				t.Errorf("%s (%s) answered %q, want its recording's sysDescr %q", d.Name, d.IP, answer, descr)
			}
		}
		out, err := exec.Command("ip", "-n", st.BoxNetns, "neigh", "show", d.IP.String()).Output()
		if err != nil || !strings.Contains(string(out), "lladdr "+d.MACText) {
			t.Errorf("%s: the box resolves %s to %q, want %s (%v)", d.Name, d.IP, strings.TrimSpace(string(out)), d.MACText, err)
		}
	}
}

// probeFromBox sends the SNMP probe to ip from the box's namespace and
// returns the answer ("" for none within a second), which also leaves
// ip's neighbour entry in the box's table (for the agentless device too).
func probeFromBox(t *testing.T, st *State, ip netip.Addr) string {
	t.Helper()
	var conn *net.UDPConn
	if err := InNetns(st.BoxNetns, func() (err error) {
		conn, err = net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(ip, 161)))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	buf := make([]byte, 2048)
	for range 3 {
		conn.Write(snmpProbe)
		conn.SetReadDeadline(time.Now().Add(time.Second))
		if n, err := conn.Read(buf); err == nil {
			return string(buf[:n])
		}
	}
	return ""
}
