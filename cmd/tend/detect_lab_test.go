package main

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"tend/inventory"
	"tend/traffic"
)

// The detectors of issue 14, each driven by a real tool in the watch lab:
// hping3 for floods, scapy for router advertisements, name poisoning and
// DHCP starvation.

func needScapy(t *testing.T) {
	t.Helper()
	needLabRoot(t, python)
	if err := exec.Command(python, "-c", "import scapy").Run(); err != nil {
		t.Skip("needs python3-scapy")
	}
}

func TestWatchLabHping3SYNFlood(t *testing.T) {
	needLabRoot(t, "hping3", "ping")
	l := startWatch(t, traffic.Config{Learning: time.Second})
	l.chatter(3*time.Second, "pc", "evil")
	time.Sleep(2 * time.Second) // the gateway's and evil's ARP are known
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// Forged random sources, as a SYN flood does; the frames still carry evil's MAC.
	l.run(ctx, "evil", "timeout", "4", "hping3", "-q", "-S", "-p", "80", "--rand-source", "-i", "u500", l.dev["nas"].IP.String())
	ev := l.waitEvent(inventory.EventFlood, "b8:27:eb:00:00:66", 10*time.Second)
	if ev.TargetIP.String() != l.dev["nas"].IP.String() {
		t.Errorf("flood %+v", ev)
	}
}

const raPy = `
import sys
from scapy.all import *
conf.verb = 0
mac = get_if_hwaddr("eth0")
# kill_router6's shape: the real router's link-local address, lifetime 0.
sendp(Ether(src=mac, dst="33:33:00:00:00:01")/IPv6(src=sys.argv[1], dst="ff02::1")/
      ICMPv6ND_RA(routerlifetime=0)/ICMPv6NDOptSrcLLAddr(lladdr=mac), iface="eth0", count=3, inter=0.3)
`

func TestWatchLabRogueRA(t *testing.T) {
	needScapy(t)
	l := startWatch(t, traffic.Config{Learning: time.Second})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// fe80::21a:a1ff:fe00:1 is the gateway 00:1a:a1:00:00:01's EUI-64 link-local address.
	if out, err := l.run(ctx, "evil", python, l.script(raPy), "fe80::21a:a1ff:fe00:1"); err != nil {
		t.Fatalf("scapy: %v\n%s", err, out)
	}
	ev := l.waitEvent(inventory.EventRogueRA, "b8:27:eb:00:00:66", 10*time.Second)
	if ev.TargetMAC.String() != "00:1a:a1:00:00:01" {
		t.Errorf("rogue_ra %+v", ev)
	}
}

const llmnrPy = `
import sys
from scapy.all import *
conf.verb = 0
me, victim = sys.argv[1], sys.argv[2]
# Responder's answers: every name asked for is at me.
for i, name in enumerate(["fileserv", "printer2", "sharepoint", "wpad"]):
    sendp(Ether()/IP(src=me, dst=victim)/UDP(sport=5355, dport=50000+i)/
          LLMNRResponse(id=100+i, qd=DNSQR(qname=name), an=DNSRR(rrname=name, rdata=me, ttl=30)), iface="eth0")
    time.sleep(0.2)
`

func TestWatchLabLLMNRPoisoning(t *testing.T) {
	needScapy(t)
	l := startWatch(t, traffic.Config{Learning: time.Second})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if out, err := l.run(ctx, "evil", python, l.script(llmnrPy), l.dev["evil"].IP.String(), l.dev["pc"].IP.String()); err != nil {
		t.Fatalf("scapy: %v\n%s", err, out)
	}
	ev := l.waitEvent(inventory.EventNamePoisoning, "b8:27:eb:00:00:66", 10*time.Second)
	if ev.IP.String() != l.dev["evil"].IP.String() {
		t.Errorf("name_poisoning %+v", ev)
	}
}

const starvePy = `
from scapy.all import *
conf.verb = 0
mac = get_if_hwaddr("eth0")
# dhcpstarv's shape: one port, a new client hardware address per DISCOVER.
for i in range(120):
    sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
          BOOTP(chaddr=mac2str(RandMAC()), xid=RandInt())/DHCP(options=[("message-type", "discover"), "end"]), iface="eth0")
`

func TestWatchLabDHCPStarvation(t *testing.T) {
	needScapy(t)
	l := startWatch(t, traffic.Config{Learning: time.Second})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if out, err := l.run(ctx, "evil", python, l.script(starvePy)); err != nil {
		t.Fatalf("scapy: %v\n%s", err, out)
	}
	l.waitEvent(inventory.EventDHCPStarvation, "b8:27:eb:00:00:66", 10*time.Second)
}

// TestWatchLabNmapStealthyScans: scans the corpus has no capture of, found
// by the lab recordings (traffic/testdata/staged): nmap's Maimon scan
// (FIN+ACK probes) and a short scan slowed under the per-minute threshold
// (16 ports, one a second), each a port_scan naming the scanner.
func TestWatchLabNmapStealthyScans(t *testing.T) {
	needLabRoot(t, "nmap")
	t.Parallel() // --scan-delay 1s: 16 s of waiting; see labParallel
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"maimon", []string{"-sM", "-T4", "-p", "1-100"}},
		{"scan delay", []string{"-sS", "--scan-delay", "1s", "-p", "20-35"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each its own lab
			l := startWatch(t, traffic.Config{Learning: time.Second})
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			nas := l.dev["nas"].IP.String()
			args := append(append([]string{"nmap", "-Pn", "-n"}, tc.args...), nas)
			if out, err := l.run(ctx, "evil", args...); err != nil {
				t.Fatalf("nmap: %v\n%s", err, out)
			}
			ev := l.waitEvent(inventory.EventPortScan, "b8:27:eb:00:00:66", 20*time.Second)
			if ev.TargetIP.String() != nas {
				t.Errorf("port_scan %+v", ev)
			}
		})
	}
}

// TestWatchLabYersinia: yersinia's layer-2 attacks from the attacker's own
// MAC (-M: no forged source), so the culprit is known: a DTP trunk request
// and a CDP table flood, each a rogue_switch naming it. yersinia stops at
// the end of its standard input, hence the pipe that stays open.
func TestWatchLabYersinia(t *testing.T) {
	needLabRoot(t, "yersinia", "sh")
	for _, tc := range []struct{ name, attack string }{
		{"dtp trunk", "dtp -M -attack 1"},
		{"cdp flood", "cdp -M -attack 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each its own lab
			l := startWatch(t, traffic.Config{Learning: time.Second})
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			l.run(ctx, "evil", "sh", "-c", "cd "+t.TempDir()+" && sleep 5 | timeout 3 yersinia "+tc.attack+" -interface eth0") // it writes yersinia.log where it runs
			l.waitEvent(inventory.EventRogueSwitch, "b8:27:eb:00:00:66", 10*time.Second)
		})
	}
}
