package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"tend/capture"
	"tend/inventory"
	"tend/lab"
	"tend/storage"
	"tend/traffic"
)

// watchLAN is a small mirror-mode LAN for the traffic watch tests; nobody
// runs an agent, so it comes up in a second. "late" stays silent until a
// test makes it speak.
const watchLAN = `cidr 10.66.0.0/24
box  10.66.0.250 02:74:65:6e:64:fa
gw    router       00:1a:a1:00:00:01  10.66.0.1   -
pc    workstation  3c:52:82:00:00:10  10.66.0.10  -
nas   nas          00:11:32:00:00:30  10.66.0.30  -
evil  workstation  b8:27:eb:00:00:66  10.66.0.66  -
late  workstation  00:80:77:00:00:20  10.66.0.20  -
`

// scapy lives in the system Python, not in a pyenv one that may shadow it.
const python = "/usr/bin/python3"

type watchLab struct {
	t     *testing.T
	st    *lab.State
	store *storage.Store
	w     *traffic.Watch
	src   *capture.Live
	dev   map[string]lab.DeviceState
}

func needLabRoot(t *testing.T, tools ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("lab test skipped in -short mode")
	}
	if os.Geteuid() != 0 {
		t.Skip("lab test needs root to make network namespaces (sudo make test)")
	}
	for _, tool := range append([]string{"ip"}, tools...) {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("lab test needs %s", tool)
		}
	}
}

// labParallel: a lab test that mostly waits (a detector's hold window, a
// serve process's sweeps, a tool's own delays) calls t.Parallel() after
// its skips. Every lab has its own random name, namespaces, state folder
// and ports inside its box namespace, so labs side by side share nothing
// but the CPU; make test-go runs up to LAB_PARALLEL of them at once, and
// holdLabUp brings one lab up at a time (the CPU burst). Tests that count
// packets against time (floods, rates) stay sequential. Tests whose box
// must sweep and learn the 48-device office LAN within a time
// (TestServeFindingsOnSetALab, TestHubWithBoxOnLab) wait through
// waitWorking: past the time they wait on while the box or the lab's
// agents still work (fixed deadlines beside other labs on two loaded
// cores failed). Tests that only use the CPU stay sequential: parallel,
// they held both of go test's -parallel slots for minutes (stretched 3
// to 7 times by the labs beside them) while lab tests that mostly wait
// queued behind them.
//
// startWatch builds a uniquely named mirror-mode lab and runs the live
// watcher (AF_PACKET capture in the box's namespace → traffic engine →
// in-memory store) on the box's port. Everything is removed in Cleanup.
func startWatch(t *testing.T, cfg traffic.Config, unplugged ...string) *watchLab {
	t.Helper()
	return startWatchAt(t, cfg, ":memory:", nil, nil, unplugged...)
}

// startWatchAt is startWatch with the store at dbPath, the watcher's log
// copied to logs as well and the passive observer obs feeding the store,
// when they are not nil.
func startWatchAt(t *testing.T, cfg traffic.Config, dbPath string, logs io.Writer, obs func(*capture.Packet) []inventory.Observation, unplugged ...string) *watchLab {
	t.Helper()
	b := make([]byte, 4)
	rand.Read(b)
	lcfg := lab.Config{Name: "w" + hex.EncodeToString(b), StateDir: t.TempDir(), Mirror: true, Owner: os.Getpid()}
	for _, d := range []string{lcfg.StateDir, filepath.Dir(lcfg.StateDir)} {
		os.Chmod(d, 0o755) // lab insists agents (user nobody) could read it
	}
	lan, err := lab.ParseLAN(strings.NewReader(watchLAN))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := lab.Down(context.Background(), lcfg); err != nil {
			t.Errorf("lab down: %v", err)
		}
		if left := lab.Leftovers(lcfg.Name); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
	})
	release := holdLabUp()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	st, err := lab.Up(ctx, lcfg, lan)
	release()
	if err != nil {
		t.Fatalf("lab up: %v", err)
	}
	for _, d := range st.Devices {
		if slices.Contains(unplugged, d.Name) {
			if err := exec.Command("ip", "-n", d.Netns, "link", "set", "eth0", "down").Run(); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A mirror port shows LLDP too; Linux bridges hold back 01:80:c2:00:00:0e
	// unless told to forward it (bit 14 of group_fwd_mask).
	if err := exec.Command("ip", "-n", lab.Prefix(lcfg.Name)+"-sw", "link", "set", "br0", "type", "bridge", "group_fwd_mask", "0x4000").Run(); err != nil {
		t.Fatalf("forward LLDP on the lab switch: %v", err)
	}
	store, err := storage.Open(dbPath, storage.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	var src *capture.Live
	if err := lab.InNetns(st.BoxNetns, func() error {
		var err error
		src, err = capture.Listen(st.BoxIface, capture.Config{ReadTimeout: 200 * time.Millisecond})
		return err
	}); err != nil {
		t.Fatalf("capture in %s: %v", st.BoxNetns, err)
	}
	recordStaged(t, st)
	if cfg.Gateway == (traffic.Config{}).Gateway {
		cfg.Gateway = lan.Devices[0].IP // the box's gateway, as its route would say
	}
	cfg.Self = append(cfg.Self, lan.BoxMAC)
	l := &watchLab{t: t, st: st, store: store, dev: map[string]lab.DeviceState{}}
	for _, d := range st.Devices {
		l.dev[d.Name] = d
	}
	l.w = traffic.NewWatch(traffic.WatchConfig{Open: func() (capture.Source, error) { return src, nil }, Engine: cfg, Sink: store, Rollup: time.Minute,
		Observe: obs, Hygiene: cfg.Hygiene.Hooks(store),
		Log: slog.New(slog.NewTextHandler(io.MultiWriter(testWriter{t}, cmp.Or[io.Writer](logs, io.Discard)), nil))})
	l.src = src
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.w.Run(runCtx) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("watcher: %v", err)
		}
	})
	time.Sleep(300 * time.Millisecond) // the socket is open; let the loop start
	return l
}

// recordStaged keeps what the box's mirror port saw as a pcap fixture when
// TEND_RECORD_DIR names a directory: the staged attacks become the replay
// fixtures in traffic/testdata/staged (see its README).
func recordStaged(t *testing.T, st *lab.State) {
	dir := os.Getenv("TEND_RECORD_DIR")
	if dir == "" {
		return
	}
	path, err := filepath.Abs(filepath.Join(dir, strings.ToLower(strings.TrimPrefix(t.Name(), "TestWatchLab"))+".pcap"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("ip", "netns", "exec", st.BoxNetns, "tcpdump", "-i", st.BoxIface, "-U", "-w", path)
	if err := cmd.Start(); err != nil {
		t.Fatalf("record: %v", err)
	}
	t.Cleanup(func() {
		time.Sleep(500 * time.Millisecond) // the last frames
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	time.Sleep(time.Second) // tcpdump is listening
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// run runs a command in a lab device's namespace and returns its output.
func (l *watchLab) run(ctx context.Context, dev string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", l.dev[dev].Netns}, args...)...)
	cmd.WaitDelay = 2 * time.Second
	return cmd.CombinedOutput()
}

// start starts a background command in a device's namespace, stopped in Cleanup.
func (l *watchLab) start(dev string, args ...string) {
	l.t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", l.dev[dev].Netns}, args...)...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		l.t.Fatalf("%v: %v", args, err)
	}
	l.t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if l.t.Failed() && out.Len() > 0 {
			l.t.Logf("%s in %s said: %s", args[0], dev, out.String())
		}
	})
}

func (l *watchLab) script(body string) string {
	p := filepath.Join(l.t.TempDir(), "s.py")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		l.t.Fatal(err)
	}
	return p
}

// waitEvent waits for a stored event of typ naming mac as culprit.
func (l *watchLab) waitEvent(typ inventory.EventType, mac string, within time.Duration) inventory.Event {
	l.t.Helper()
	deadline := time.Now().Add(within)
	for {
		evs, err := l.store.Events(storage.EventQuery{Types: []inventory.EventType{typ}, Limit: 1000})
		if err != nil {
			l.t.Fatal(err)
		}
		for _, ev := range evs {
			if ev.MAC.String() == mac {
				return ev
			}
		}
		if time.Now().After(deadline) {
			all, _ := l.store.Events(storage.EventQuery{Limit: 1000})
			l.t.Fatalf("no %s naming %s within %s; events: %+v; counters %+v", typ, mac, within, all, l.w.Engine().Counters())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// chatter makes the ordinary hosts talk (pings to the gateway) so the
// watch learns them, for d.
func (l *watchLab) chatter(d time.Duration, hosts ...string) {
	n := fmt.Sprint(int(d / (200 * time.Millisecond)))
	for _, h := range hosts {
		l.start(h, "ping", "-q", "-i", "0.2", "-c", n, l.dev["gw"].IP.String())
	}
}

// TestWatchLabNmapSYNScan: nmap against one host is a port_scan naming it;
// nmap against three more hosts is one more port_scan, naming the culprit
// and the three targets, not one per host.
func TestWatchLabNmapSYNScan(t *testing.T) {
	needLabRoot(t, "nmap")
	t.Parallel() // the watch holds each scan 10 s: see labParallel
	l := startWatch(t, traffic.Config{Learning: time.Second})
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	out, err := l.run(ctx, "evil", "nmap", "-sS", "-Pn", "-n", "-T4", "-p", "1-200", l.dev["pc"].IP.String())
	if err != nil {
		t.Fatalf("nmap: %v\n%s", err, out)
	}
	// The watch holds a scan 10 s for more targets, then reports it.
	ev := l.waitEvent(inventory.EventPortScan, "b8:27:eb:00:00:66", 25*time.Second)
	if ev.IP.String() != "10.66.0.66" || ev.TargetIP.String() != "10.66.0.10" || ev.TargetMAC.String() != "3c:52:82:00:00:10" {
		t.Errorf("port_scan %+v", ev)
	}
	targets := []string{l.dev["gw"].IP.String(), l.dev["nas"].IP.String(), l.dev["late"].IP.String()}
	out, err = l.run(ctx, "evil", append([]string{"nmap", "-sS", "-Pn", "-n", "-T4", "-p", "1-200"}, targets...)...)
	if err != nil {
		t.Fatalf("nmap: %v\n%s", err, out)
	}
	deadline := time.Now().Add(25 * time.Second)
	var scans []inventory.Event
	for {
		evs, err := l.store.Events(storage.EventQuery{Types: []inventory.EventType{inventory.EventPortScan}, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		scans = evs
		if len(scans) >= 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // anything more would have come with it
	scans, err = l.store.Events(storage.EventQuery{Types: []inventory.EventType{inventory.EventPortScan}, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(scans) != 2 {
		t.Fatalf("%d port_scan events, want 2 (one host, then one incident for three): %+v", len(scans), scans)
	}
	var multi inventory.Event
	for _, ev := range scans {
		if !ev.TargetIP.IsValid() {
			multi = ev
		}
	}
	text := fmt.Sprint(multi.Evidence)
	if multi.MAC.String() != "b8:27:eb:00:00:66" || !strings.Contains(multi.Summary, "3 hosts") {
		t.Errorf("multi-host port_scan %+v", multi)
	}
	for _, ip := range targets {
		if !strings.Contains(text, ip) {
			t.Errorf("evidence does not list %s: %s", ip, text)
		}
	}
	ks := l.src.Stats() // the scans' bursts against the socket's receive buffer
	t.Logf("kernel received %d frames, dropped %d", ks.Received, ks.Dropped)
}

func TestWatchLabARPSpoof(t *testing.T) {
	needLabRoot(t, "arpspoof", "ping")
	t.Parallel() // see labParallel
	l := startWatch(t, traffic.Config{Learning: time.Second})
	l.chatter(12*time.Second, "pc")
	time.Sleep(time.Second)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// arpspoof tells pc that the gateway is at evil's MAC, every 2 s.
	l.run(ctx, "evil", "timeout", "7", "arpspoof", "-i", "eth0", "-t", l.dev["pc"].IP.String(), l.dev["gw"].IP.String())
	ev := l.waitEvent(inventory.EventARPSpoof, "b8:27:eb:00:00:66", 10*time.Second)
	if ev.TargetIP.String() != "10.66.0.1" || ev.TargetMAC.String() != "00:1a:a1:00:00:01" {
		t.Errorf("arp_spoof %+v", ev)
	}
	l.waitEvent(inventory.EventGatewayChanged, "b8:27:eb:00:00:66", 5*time.Second)
}

const dhcpServerPy = `
import sys, time
from scapy.all import *
conf.verb = 0
me_ip, offer, delay = sys.argv[1], sys.argv[2], float(sys.argv[3])
me_mac = get_if_hwaddr("eth0")
def answer(p):
    if DHCP not in p or p[DHCP].options[0][1] != 1:
        return
    time.sleep(delay)
    sendp(Ether(src=me_mac, dst="ff:ff:ff:ff:ff:ff")/IP(src=me_ip, dst="255.255.255.255")/UDP(sport=67, dport=68)/
          BOOTP(op=2, yiaddr=offer, siaddr=me_ip, chaddr=p[BOOTP].chaddr, xid=p[BOOTP].xid)/
          DHCP(options=[("message-type", "offer"), ("server_id", me_ip), ("router", me_ip), ("name_server", me_ip),
                        ("lease_time", 3600), ("subnet_mask", "255.255.255.0"), "end"]), iface="eth0")
print("ready", flush=True)
sniff(iface="eth0", filter="udp and dst port 67", prn=answer, store=0)
`

const dhcpClientPy = `
import sys
from scapy.all import *
conf.verb = 0
mac = get_if_hwaddr("eth0")
for i in range(int(sys.argv[1])):
    sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
          BOOTP(chaddr=mac2str(mac), xid=RandInt(), flags=0x8000)/
          DHCP(options=[("message-type", "discover"), ("hostname", "WS-ACCT-01"), "end"]), iface="eth0")
    time.sleep(1)
`

func TestWatchLabRogueDHCP(t *testing.T) {
	needLabRoot(t, python)
	t.Parallel() // see labParallel
	if err := exec.Command(python, "-c", "import scapy").Run(); err != nil {
		t.Skip("needs python3-scapy")
	}
	l := startWatch(t, traffic.Config{Learning: time.Second})
	srv := l.script(dhcpServerPy)
	l.start("gw", python, srv, "10.66.0.1", "10.66.0.150", "0.5")  // the real one, slower
	l.start("evil", python, srv, "10.66.0.66", "10.66.0.200", "0") // the rogue answers first
	time.Sleep(3 * time.Second)                                    // scapy's start-up
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// Eight DISCOVERs a second apart, in case scapy took longer than usual to start sniffing.
	if out, err := l.run(ctx, "pc", python, l.script(dhcpClientPy), "8"); err != nil && ctx.Err() == nil {
		t.Fatalf("dhcp client: %v\n%s", err, out)
	} else if err != nil {
		// A loaded machine (CI beside other jobs) can take over a minute
		// for scapy's eight DISCOVERs; what the test asks is the event.
		t.Logf("dhcp client stopped after a minute: %v", err)
	}
	ev := l.waitEvent(inventory.EventRogueDHCP, "b8:27:eb:00:00:66", 10*time.Second)
	if ev.IP.String() != "10.66.0.66" || ev.TargetMAC.String() != "3c:52:82:00:00:10" {
		t.Errorf("rogue_dhcp %+v", ev)
	}
	evs, _ := l.store.Events(storage.EventQuery{Types: []inventory.EventType{inventory.EventRogueDHCP}})
	for _, ev := range evs {
		if ev.MAC.String() == "00:1a:a1:00:00:01" {
			t.Errorf("the real DHCP server was reported: %+v", ev)
		}
	}
}

const telnetServerPy = `
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 23)); s.listen(1)
print("ready", flush=True)
while True:
    c, _ = s.accept()
    c.sendall(b"\xff\xfb\x01\xff\xfb\x03login: ")
    c.recv(100)
    c.sendall(b"Password: ")
    c.recv(100)
    c.sendall(b"\r\nWelcome to nas\r\n$ ")
    c.close()
`

const telnetClientPy = `
import socket, sys, time
c = socket.create_connection((sys.argv[1], 23), timeout=5)
c.recv(100); c.sendall(b"admin\r\n")
c.recv(100); c.sendall(b"hunter2\r\n")
print(c.recv(100))
`

func TestWatchLabTelnetLogin(t *testing.T) {
	needLabRoot(t, python)
	l := startWatch(t, traffic.Config{Learning: time.Second})
	l.start("nas", python, l.script(telnetServerPy))
	time.Sleep(time.Second)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if out, err := l.run(ctx, "pc", python, l.script(telnetClientPy), l.dev["nas"].IP.String()); err != nil {
		t.Fatalf("telnet client: %v\n%s", err, out)
	}
	ev := l.waitEvent(inventory.EventInsecureProtocol, "00:11:32:00:00:30", 10*time.Second)
	if !strings.HasPrefix(ev.Summary, "telnet") || ev.TargetMAC.String() != "3c:52:82:00:00:10" {
		t.Errorf("insecure_protocol %+v", ev)
	}
	if strings.Contains(fmt.Sprint(ev), "hunter2") {
		t.Errorf("the password leaked into the event")
	}
}

func TestWatchLabNewDevice(t *testing.T) {
	needLabRoot(t, "ping")
	l := startWatch(t, traffic.Config{Learning: 4 * time.Second, LearnPackets: -1}, "late")
	l.chatter(8*time.Second, "pc", "nas", "evil")
	time.Sleep(6 * time.Second) // learning is over
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// "late" is plugged in and speaks.
	if out, err := l.run(ctx, "late", "ip", "link", "set", "eth0", "up"); err != nil {
		t.Fatalf("link up: %v\n%s", err, out)
	}
	if out, err := l.run(ctx, "late", "ping", "-c", "2", "-i", "0.2", l.dev["gw"].IP.String()); err != nil {
		t.Fatalf("ping: %v\n%s", err, out)
	}
	ev := l.waitEvent(inventory.EventNewDevice, "00:80:77:00:00:20", 10*time.Second)
	if ev.IP.String() != "10.66.0.20" {
		t.Errorf("new_device %+v", ev)
	}
	evs, _ := l.store.Events(storage.EventQuery{Types: []inventory.EventType{inventory.EventNewDevice}})
	if len(evs) != 1 {
		t.Errorf("hosts seen while learning were reported: %+v", evs)
	}
}

const dnsServerPy = `
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 53))
while True:
    q, addr = s.recvfrom(512)
    # Answer every A query with 10.66.0.30: header with QR/RA set, one answer.
    ans = q[:2] + b"\x81\x80" + q[4:6] + b"\x00\x01\x00\x00\x00\x00" + q[12:] + b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x42\x00\x1e"
    s.sendto(ans, addr)
`

// officeClientPy is one workstation's ordinary day, compressed: web pages
// from the NAS, DNS lookups, mDNS announcements, a DHCP renewal now and then.
const officeClientPy = `
import socket, struct, sys, time, urllib.request, random
from scapy.all import *
conf.verb = 0
dns, web, name = sys.argv[1], sys.argv[2], sys.argv[3]
mac = get_if_hwaddr("eth0")
i = 0
while True:
    try:
        urllib.request.urlopen("http://%s/" % web, timeout=2).read()
    except Exception as e:
        print("web", e, flush=True)
    q = struct.pack(">HHHHHH", random.randint(0, 65535), 0x0100, 1, 0, 0, 0) + b"\x03nas\x05local\x00\x00\x01\x00\x01"
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(2)
    u.sendto(q, (dns, 53))
    try: u.recvfrom(512)
    except Exception as e: print("dns", e, flush=True)
    m = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    m.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    m.sendto(b"\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00" + bytes([len(name)]) + name.encode() + b"\x05local\x00\x00\x01\x80\x01\x00\x00\x00\x78\x00\x04\x0a\x42\x00\x0a", ("224.0.0.251", 5353))
    if i % 10 == 0:
        sendp(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")/IP(src="0.0.0.0", dst="255.255.255.255")/UDP(sport=68, dport=67)/
              BOOTP(chaddr=mac2str(mac), xid=RandInt(), flags=0x8000)/DHCP(options=[("message-type", "discover"), ("hostname", name), "end"]), iface="eth0")
    i += 1
    time.sleep(1 + random.random())
`

const lldpPy = `
import time
from scapy.all import *
from scapy.contrib.lldp import *
conf.verb = 0
mac = get_if_hwaddr("eth0")
f = (Ether(src=mac, dst="01:80:c2:00:00:0e")/LLDPDUChassisID(subtype=4, id=mac)/LLDPDUPortID(subtype=5, id=b"eth0")/
     LLDPDUTimeToLive(ttl=120)/LLDPDUSystemName(system_name=b"gw")/LLDPDUEndOfLLDPDU())
while True:
    sendp(f, iface="eth0")
    time.sleep(5)
`

// TestWatchLabCleanBaseline: an ordinary office (pings, web, DHCP, DNS,
// mDNS, LLDP) raises none of the anomaly events. It runs 60 s; set
// TEND_WATCH_BASELINE=5m for the full five-minute run.
func TestWatchLabCleanBaseline(t *testing.T) {
	needLabRoot(t, python, "ping")
	if err := exec.Command(python, "-c", "import scapy").Run(); err != nil {
		t.Skip("needs python3-scapy")
	}
	t.Parallel() // a minute of ordinary traffic, nothing counted against time: see labParallel
	length := time.Minute
	if v := os.Getenv("TEND_WATCH_BASELINE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("TEND_WATCH_BASELINE: %v", err)
		}
		length = d
	}
	l := startWatch(t, traffic.Config{Learning: 15 * time.Second, LearnPackets: -1})
	gw, nas := l.dev["gw"].IP.String(), l.dev["nas"].IP.String()
	l.start("gw", python, l.script(dhcpServerPy), gw, "10.66.0.150", "0")
	l.start("gw", python, l.script(dnsServerPy))
	l.start("gw", python, l.script(lldpPy))
	l.start("nas", python, "-m", "http.server", "-d", t.TempDir(), "80")
	client := l.script(officeClientPy)
	l.start("pc", python, client, gw, nas, "ws-acct-01")
	l.start("evil", python, client, gw, nas, "ws-sales-02")
	n := fmt.Sprint(int(length.Seconds()))
	for _, h := range []string{"pc", "nas", "evil"} {
		l.start(h, "ping", "-q", "-i", "1", "-c", n, gw)
	}
	l.start("pc", "ping", "-q", "-i", "1", "-c", n, nas)
	time.Sleep(length)
	evs, err := l.store.Events(storage.EventQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		t.Errorf("clean office raised %s: %s %v", ev.Type, ev.Summary, ev.Evidence)
	}
	c := l.w.Engine().Counters()
	hosts := l.w.Engine().Hosts()
	protos := map[string]bool{}
	for _, h := range hosts {
		for p := range h.Protocols {
			protos[p] = true
		}
	}
	for _, p := range []string{"http", "dns", "dhcp", "mdns", "icmp", "arp", "lldp"} {
		if !protos[p] {
			t.Errorf("the baseline had no %s traffic (protocols %v): the test did not exercise it", p, protos)
		}
	}
	t.Logf("baseline %s: %d packets, %d hosts, malformed %d, protocols %v", length, c.Packets, c.Hosts, c.Malformed, protos)
}

// floodPy sends frames from random MACs and addresses as fast as Python
// can, through a raw socket, for argv[1] seconds.
const floodPy = `
import os, socket, struct, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
dst = bytes.fromhex("3c5282000010")
macs = [b"\x02" + os.urandom(5) for _ in range(65536)]
ips = [b"\x0a\x42" + os.urandom(2) for _ in range(65536)]
def header(src):
    # IPv4 header with a valid checksum: a bridge with br_netfilter drops bad ones.
    h = b"\x45\x00\x00\x2e\x00\x00\x00\x00\x40\x11\x00\x00" + src + b"\x0a\x42\x00\x0a"
    c = sum(struct.unpack(">10H", h))
    c = (c & 0xffff) + (c >> 16); c = (c & 0xffff) + (c >> 16)
    return h[:10] + struct.pack(">H", ~c & 0xffff) + h[12:]
frames = [dst + macs[k] + b"\x08\x00" + header(ips[k]) + struct.pack(">HHHH", 40000, k, 26, 0) + b"x" * 18 for k in range(65536)]
end, n = time.time() + float(sys.argv[1]), 0
while time.time() < end:
    for i in range(2048):
        s.send(frames[(n + i) & 0xffff])
    n += 2048
print(n, flush=True)
`

// TestWatchLabFlood: a flood of frames from ever-new MACs for 10 s
// (TEND_WATCH_FLOOD=60s for the full minute) keeps the watcher's memory
// bounded by its host and tracker limits and is counted, not crashed on.
func TestWatchLabFlood(t *testing.T) {
	needLabRoot(t, python)
	length := 10 * time.Second
	if v := os.Getenv("TEND_WATCH_FLOOD"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("TEND_WATCH_FLOOD: %v", err)
		}
		length = d
	}
	l := startWatch(t, traffic.Config{Learning: time.Second, MaxHosts: 4096, MaxTrackers: 8192})
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ctx, cancel := context.WithTimeout(t.Context(), length+time.Minute)
	defer cancel()
	out, err := l.run(ctx, "evil", python, l.script(floodPy), fmt.Sprint(length.Seconds()))
	if err != nil {
		t.Fatalf("flood: %v\n%s", err, out)
	}
	time.Sleep(time.Second)
	runtime.GC()
	runtime.ReadMemStats(&after)
	c := l.w.Engine().Counters()
	ks := l.src.Stats()
	sent := strings.TrimSpace(string(out))
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("flood %s: sent %s frames; engine saw %d packets, tracks %d hosts, %d frames from untracked hosts, %d trackers dropped; kernel received %d dropped %d; heap %d MB -> %d MB",
		length, sent, c.Packets, c.Hosts, c.HostsUntracked, c.TrackersDropped, ks.Received, ks.Dropped, before.HeapAlloc>>20, after.HeapAlloc>>20)
	if c.Hosts > 4096 {
		t.Errorf("tracking %d hosts, limit 4096", c.Hosts)
	}
	if c.Packets < 10000 || c.HostsUntracked == 0 {
		t.Errorf("the flood was not seen and counted: %+v", c)
	}
	if grew > 64<<20 {
		t.Errorf("heap grew by %d MB during the flood", grew>>20)
	}
}
