package traffic

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket/layers"

	"tend/inventory"
)

// Real bytes (session 37 fix37d's stagings, review 37a P10): xmrig 6.19's
// stratum login and cgminer's stratum v1 requests, as sent on the wire.
const (
	xmrigLogin       = `{"id": 1, "jsonrpc": "2.0", "method": "login", "params": {"login": "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A", "pass": "x", "agent": "XMRig/6.19.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0", "algo": ["rx/0", "cn/r", "rx/wow", "rx/arq"]}}` + "\n"
	cgminerSubscribe = `{"id": 1, "method": "mining.subscribe", "params": ["cgminer/4.12.1"]}` + "\n"
	cgminerAuthorize = `{"params": ["bc1qexampleworker.rig1", "x"], "id": 2, "method": "mining.authorize"}` + "\n"
	poolAnswer       = `{"id":1,"jsonrpc":"2.0","error":null,"result":{"status":"OK"}}` + "\n"
)

func TestMinerMethod(t *testing.T) {
	for _, c := range []struct {
		in, method, agent string
	}{
		{xmrigLogin, "login", "XMRig/6.19.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0"},
		{`{"method":"login","params":{"login":"w","pass":"x","agent":"xmr-stak/2.10.8/e1a3c5f/master/lin/nvidia-amd-cpu/monero/20"}}`, "login", "xmr-stak/2.10.8/e1a3c5f/master/lin/nvidia-amd-cpu/monero/20"},
		{cgminerSubscribe, "mining.subscribe", ""},
		{cgminerAuthorize, "mining.authorize", ""},
		{`{"id":1,"method":"eth_submitLogin","params":["0xabc"],"worker":"rig1"}`, "eth_submitLogin", ""},
		{poolAnswer, "", ""},
		{`{"id":1,"jsonrpc":"2.0","method":"login","params":{"user":"monitor","password":"x","agent":"ZabbixAgent/6.0.1"}}`, "", ""},
		{`{"id":2,"jsonrpc":"2.0","method":"mining.status","params":[]}`, "", ""},
		{`{"id":3,"method":"subscribe","params":{"events":["mining.subscribe"]},"agent":"Kodi/20.2"}`, "", ""},
		{`{"method" : "login" , "agent":"XMRig/6.21.0"`, "login", "XMRig/6.21.0"},
		{`{"method":"login","params":{"agent":"XMRig\"/6"}}`, "login", `XMRig\"/6`},
		{`{"method":"login","params":{"agent":"XMR`, "", ""},
		{"GET / HTTP/1.1\r\nHost: pool\r\n\r\n", "", ""},
	} {
		m, a, ok := MinerMethod([]byte(c.in))
		if string(m) != c.method || string(a) != c.agent || ok != (c.method != "") {
			t.Errorf("MinerMethod(%.60q) = %q, %q, %v; want %q, %q", c.in, m, a, ok, c.method, c.agent)
		}
	}
	b := []byte(xmrigLogin)
	if n := testing.AllocsPerRun(100, func() { MinerMethod(b) }); n != 0 {
		t.Errorf("MinerMethod allocates %v times", n)
	}
}

func FuzzMinerMethod(f *testing.F) {
	for _, s := range []string{xmrigLogin, cgminerSubscribe, cgminerAuthorize, poolAnswer, `{"method":"login","agent":"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, a, ok := MinerMethod(b)
		if !ok && (m != nil || a != nil) || ok && len(m) == 0 || len(m) > len(b) || len(a) > len(b) {
			t.Fatalf("MinerMethod(%q) = %q, %q, %v", b, m, a, ok)
		}
	})
}

// TestCryptominer (review 37a P10): a PC's xmrig login to a pool behind
// the gateway raises one cryptominer event against the PC, naming the
// agent and the pool; its keepalives and the pool's answers add nothing,
// and a monitoring agent's JSON-RPC login is quiet.
func TestCryptominer(t *testing.T) {
	for _, c := range []struct {
		name string
		reqs []string
		want string
	}{
		{"xmrig", []string{xmrigLogin, `{"id":2,"jsonrpc":"2.0","method":"keepalived","params":{"id":"0b3c2a"}}` + "\n", `{"id":3,"jsonrpc":"2.0","method":"keepalived","params":{"id":"0b3c2a"}}` + "\n"}, `as "XMRig/6.19.0`},
		{"cgminer", []string{cgminerSubscribe, cgminerAuthorize}, "(stratum mining.subscribe)"},
		{"JSON-RPC login of a monitoring agent", []string{`{"id":1,"jsonrpc":"2.0","method":"login","params":{"user":"monitor","password":"x","agent":"ZabbixAgent/6.0.1"}}` + "\n"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, Config{})
			psh := tcpFlags{ack: true, psh: true}
			for i, q := range c.reqs {
				at := t0.Add(time.Duration(i) * time.Second)
				r.feed(at, tcpFrame(t, pcMAC, "10.0.0.10", 44232, gwMAC, "203.0.113.7", 3333, psh, []byte(q)))
				r.feed(at.Add(time.Millisecond), tcpFrame(t, gwMAC, "203.0.113.7", 3333, pcMAC, "10.0.0.10", 44232, psh, []byte(poolAnswer)))
			}
			evs := r.of(inventory.EventCryptominer)
			if c.want == "" {
				if len(evs) != 0 {
					t.Fatalf("cryptominer events %v, want none", evs)
				}
				return
			}
			if len(evs) != 1 {
				t.Fatalf("%d cryptominer events, want 1: %v", len(evs), r.all())
			}
			ev := evs[0]
			if ev.Severity != inventory.SeverityHigh || ev.MAC.String() != pcMAC.String() || ev.TargetIP.String() != "203.0.113.7" || len(ev.TargetMAC) != 0 ||
				!strings.Contains(ev.Summary, "203.0.113.7:3333") || !strings.Contains(ev.Summary, c.want) {
				t.Errorf("event %+v: want High against the PC, the pool 203.0.113.7:3333 and %q", ev, c.want)
			}
		})
	}
}

// lldpCore is an LLDPDU as scapy sent it in fix37d's staging (review 37a's
// frame): chassis ID 00:1b:d4:00:00:02 (subtype MAC), port Gi1/0/24,
// system name core-sw1, a C2960X description, bridge and router
// capabilities, management address 10.88.8.2; from the switch's MAC.
const lldpCore = "0180c200000e001bd400000288cc020704001bd40000020409054769312f302f3234060200780a08636f72652d7377310c4d436973636f20494f5320536f6674776172652c2043323936305820536f66747761726520284332393630582d554e4956455253414c4b392d4d292c2056657273696f6e2031352e3228372945340e0400140004100c05010a58080202000000010000"

// lldpFrom is lldpCore sent from src, with system name name (core-sw1's if empty).
func lldpFrom(t *testing.T, src string, name string) []byte {
	s := lldpCore
	if name != "" {
		s = strings.Replace(s, "0a08636f72652d737731", fmt.Sprintf("0a%02x%x", len(name), name), 1)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	copy(b[6:12], hw(src))
	return b
}

// TestLLDPImpersonation (review 37a P9): a second device announcing the
// core switch's chassis ID or name while the switch still does is a
// rogue_switch Medium against the newcomer; the switch's other ports (its
// MAC block), default names and a switch replaced after its hold time are
// not.
func TestLLDPImpersonation(t *testing.T) {
	for _, c := range []struct {
		name       string
		second     string
		secondName string
		at         time.Duration
		want       int
	}{
		{"a Raspberry Pi under core-sw1's chassis and name", "b8:27:eb:00:00:66", "", 8 * time.Second, 1},
		{"a Raspberry Pi under core-sw1's name only", "b8:27:eb:00:00:66", "", 8 * time.Second, 1},
		{"the switch's port 24", "00:1b:d4:00:00:18", "", 8 * time.Second, 0},
		{"a replacement after 10 minutes", "00:26:0b:11:22:01", "", 10 * time.Minute, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, Config{})
			r.feed(t0, lldpFrom(t, "00:1b:d4:00:00:02", ""))
			r.feed(t0.Add(time.Second), lldpFrom(t, "00:1b:d4:00:00:02", ""))
			f := lldpFrom(t, c.second, c.secondName)
			if strings.Contains(c.name, "name only") {
				copy(f[17:23], []byte{0x02, 0x1b, 0xd4, 0x99, 0x99, 0x99}) // another chassis ID
			}
			r.feed(t0.Add(c.at), f)
			r.feed(t0.Add(c.at+time.Second), f)
			evs := r.of(inventory.EventRogueSwitch)
			if len(evs) != c.want {
				t.Fatalf("%d rogue_switch events, want %d: %v", len(evs), c.want, evs)
			}
			if c.want == 1 && (evs[0].Severity != inventory.SeverityMedium || evs[0].MAC.String() != c.second || evs[0].TargetMAC.String() != "00:1b:d4:00:00:02" || !strings.Contains(evs[0].Summary, "impersonating")) {
				t.Errorf("event %+v: want Medium against %s, the switch as target", evs[0], c.second)
			}
		})
	}
	r := newRig(t, Config{})
	for i, src := range []string{"00:26:0b:11:22:01", "70:10:6f:aa:bb:01"} {
		f := lldpFrom(t, src, "Switch")
		f[17] = byte(i) // their own chassis IDs
		r.feed(t0.Add(time.Duration(i)*time.Second), f)
	}
	if evs := r.of(inventory.EventRogueSwitch); len(evs) != 0 {
		t.Errorf("two switches named Switch: %v", evs)
	}
}

// TestRogueDHCPInformTarget (review 37a P12b): a rogue ACK to a
// DHCPINFORM (yiaddr 0) names the client's own address, its ciaddr.
func TestRogueDHCPInformTarget(t *testing.T) {
	m := DHCPMessage{YourIP: netip.IPv4Unspecified(), ClientIP: netip.MustParseAddr("10.37.1.10")}
	if got := m.target(); got.String() != "10.37.1.10" {
		t.Errorf("ACK to an INFORM: target %s, want ciaddr 10.37.1.10", got)
	}
	m = DHCPMessage{YourIP: netip.MustParseAddr("10.37.1.50"), ClientIP: netip.IPv4Unspecified()}
	if got := m.target(); got.String() != "10.37.1.50" {
		t.Errorf("OFFER: target %s, want yiaddr 10.37.1.50", got)
	}
}

// TestRedirectUnderGatewayMAC (review 37a P7): redirects forged under the
// gateway's address and MAC, naming a LAN host the gateway never forwards
// to, raise one arp_spoof High with no culprit MAC toward the redirected
// host, the first hop in the evidence.
func TestRedirectUnderGatewayMAC(t *testing.T) {
	r := newRig(t, Config{Gateway: netip.MustParseAddr("10.0.0.1")})
	at := r.baseline(t0, time.Minute)
	r.feed(at, arpFrame(t, layers.ARPRequest, evilMAC, "10.0.0.66", nil, "10.0.0.1"))
	r.reset()
	for i := range 5 {
		r.feed(at.Add(time.Duration(i)*500*time.Millisecond), redirect4Frame(t, gwMAC, "10.0.0.1", "10.0.0.66", "198.51.100.7"))
	}
	r.feed(at.Add(5*time.Second), pingFrame(t, pcMAC, "10.0.0.10", gwMAC, "10.0.0.1", 56))
	evs := r.of(inventory.EventARPSpoof)
	if len(evs) != 1 || len(evs[0].MAC) != 0 || evs[0].Severity != inventory.SeverityHigh || evs[0].TargetIP.String() != "10.0.0.10" ||
		!strings.Contains(evs[0].Summary, "through 10.0.0.66") || !strings.Contains(evs[0].Evidence[1].Detail, "forwarded nothing") {
		t.Fatalf("raised %+v, want one arp_spoof High, no culprit MAC, toward the PC, naming 10.0.0.66", r.all())
	}
}
