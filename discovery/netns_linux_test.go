//go:build linux

package discovery

import (
	"fmt"
	"hash/fnv"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"tend/internal/testwatch"
	"tend/inventory"
)

// testLAN is a throwaway LAN of network namespaces: the sweeper's namespace
// with one veth end, a hub namespace holding the other end, and responder
// namespaces with macvlans on the hub's end (each with its own MAC, so every
// reply can be checked). Nothing touches the host's own interfaces.
type testLAN struct {
	id      string
	sweeper string                // namespace of the sweeping end, interface "sw0"
	prefix  netip.Prefix          // the LAN
	self    netip.Addr            // sweeper's address
	want    map[netip.Addr]string // responder address -> MAC
}

func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping: needs root to create network namespaces and open an AF_PACKET socket")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("skipping: needs iproute2's ip command to build the test LAN")
	}
}

func ipCmd(t *testing.T, args ...string) {
	t.Helper()
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func newTestLAN(t *testing.T) *testLAN {
	t.Helper()
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%d/%d", t.Name(), os.Getpid(), time.Now().UnixNano())
	sum := h.Sum32()
	lan := &testLAN{
		id: fmt.Sprintf("tdsw-%08x", sum),
		// 10.200-249.x.0/24: private, and unlikely to match a parallel test's.
		prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(200 + sum%50), byte(sum >> 8), 0}), 24),
		want:   make(map[netip.Addr]string),
	}
	addr := func(host byte) netip.Addr {
		b := lan.prefix.Addr().As4()
		b[3] = host
		return netip.AddrFrom4(b)
	}
	cidr := func(host byte) string { return netip.PrefixFrom(addr(host), 24).String() }
	ns := func(name string) string {
		full := lan.id + "-" + name
		// Before go test's -timeout too, whose panic skips t.Cleanup, and
		// by tend lab reap should this binary be killed outright: marked
		// before it is made, so that no kill falls between the two.
		release := testwatch.AdoptNetns(full)
		if out, err := exec.Command("ip", "netns", "add", full).CombinedOutput(); err != nil {
			release()
			t.Skipf("skipping: cannot create network namespace %s (sandbox without CAP_SYS_ADMIN?): %v\n%s", full, err, out)
		}
		t.Cleanup(func() {
			if out, err := exec.Command("ip", "netns", "del", full).CombinedOutput(); err != nil {
				t.Errorf("remove namespace %s: %v\n%s", full, err, out)
			}
			release()
		})
		ipCmd(t, "-n", full, "link", "set", "lo", "up")
		return full
	}

	lan.sweeper = ns("sw")
	hub := ns("hub")
	lan.self = addr(1)
	ipCmd(t, "link", "add", "sw0", "netns", lan.sweeper, "type", "veth", "peer", "name", "hub0", "netns", hub, "address", "02:54:00:00:00:02")
	ipCmd(t, "-n", lan.sweeper, "addr", "add", cidr(1), "dev", "sw0")
	ipCmd(t, "-n", lan.sweeper, "link", "set", "sw0", "up")
	ipCmd(t, "-n", hub, "addr", "add", cidr(2), "dev", "hub0")
	ipCmd(t, "-n", hub, "addr", "add", cidr(3), "dev", "hub0") // a second address, same MAC
	ipCmd(t, "-n", hub, "link", "set", "hub0", "up")
	lan.want[addr(2)] = "02:54:00:00:00:02"
	lan.want[addr(3)] = "02:54:00:00:00:02"

	for i, host := range []byte{57, 100, 254} {
		mac := fmt.Sprintf("02:54:00:00:01:%02x", host)
		dev := fmt.Sprintf("mv%d", i)
		peer := ns(dev)
		ipCmd(t, "-n", hub, "link", "add", dev, "link", "hub0", "address", mac, "type", "macvlan", "mode", "bridge")
		ipCmd(t, "-n", hub, "link", "set", dev, "netns", peer)
		ipCmd(t, "-n", peer, "addr", "add", cidr(host), "dev", dev)
		ipCmd(t, "-n", peer, "link", "set", dev, "up")
		lan.want[addr(host)] = mac
	}
	return lan
}

// openInNamespace opens the ARP socket from inside ns: sockets and netlink
// queries belong to the namespace of the thread that makes them, so this runs
// on a locked thread that has joined ns and is thrown away afterwards (the
// goroutine exits still locked, so the runtime kills the thread instead of
// reusing it in the wrong namespace).
func openInNamespace(t *testing.T, ns, ifname string) (*ARPClient, []netip.Prefix) {
	t.Helper()
	type result struct {
		c        *ARPClient
		prefixes []netip.Prefix
		err      error
	}
	ch := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: see above
		f, err := os.Open("/run/netns/" + ns)
		if err != nil {
			ch <- result{err: err}
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			ch <- result{err: fmt.Errorf("setns %s: %w", ns, err)}
			return
		}
		ifi, err := net.InterfaceByName(ifname)
		if err != nil {
			ch <- result{err: err}
			return
		}
		prefixes, err := InterfacePrefixes(ifi)
		if err != nil {
			ch <- result{err: err}
			return
		}
		c, err := DialARP(ifi)
		ch <- result{c, prefixes, err}
	}()
	r := <-ch
	if r.err != nil {
		t.Fatalf("open arp socket in %s: %v", ns, r.err)
	}
	t.Cleanup(func() { r.c.Close() })
	return r.c, r.prefixes
}

func TestSweepNamespaces(t *testing.T) {
	needRoot(t)
	lan := newTestLAN(t)
	conn, prefixes := openInNamespace(t, lan.sweeper, "sw0")

	if diff := slices.Compare([]string{lan.prefix.String()}, []string{prefixes[0].String()}); diff != 0 || len(prefixes) != 1 {
		t.Fatalf("InterfacePrefixes = %v, want [%v]", prefixes, lan.prefix)
	}
	if !slices.Equal(conn.LocalAddrs(), []netip.Addr{lan.self}) {
		t.Fatalf("LocalAddrs = %v, want [%v]", conn.LocalAddrs(), lan.self)
	}
	if err := CheckScope(prefixes, false); err != nil {
		t.Fatal(err)
	}

	timed := &timingConn{Conn: conn}
	got := make(map[netip.Addr]string)
	var firstAt time.Duration
	start := time.Now()
	sw := NewSweeper(SweepConfig{}, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
	st, err := sw.Sweep(t.Context(), timed, prefixes, func(o inventory.Observation) {
		if o.Source != inventory.SourceARP {
			t.Errorf("observation source %q", o.Source)
		}
		if len(got) == 0 {
			firstAt = time.Since(start)
		}
		if prev, dup := got[o.IP]; dup {
			t.Errorf("%s reported twice (%s, then %s)", o.IP, prev, o.MAC)
		}
		got[o.IP] = o.MAC.String()
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(lan.want) {
		t.Errorf("found %v\nwant  %v", got, lan.want)
	}
	// The second pass asks only the addresses the first left unanswered: a
	// responder whose reply came late (a loaded machine) is asked again and
	// found then, which is what passes are for.
	if st.Hosts != len(lan.want) || st.Passes[0].Sent != 253 || st.Passes[1].Sent != 253-st.Passes[0].NewHosts {
		t.Errorf("stats %+v", st)
	}
	pass1 := timed.reqs[:st.Passes[0].Sent]
	span := pass1[len(pass1)-1].at.Sub(pass1[0].at)
	rate := float64(len(pass1)-1) / span.Seconds()
	t.Logf("swept %v: %d responders found, %d requests in %v over %d passes; pass 1: %d requests in %v = %.0f requests/s; first responder after %v",
		lan.prefix, st.Hosts, st.Sent, st.Duration.Round(time.Millisecond), len(st.Passes), len(pass1),
		span.Round(time.Millisecond), rate, firstAt.Round(time.Millisecond))
	// The safety bound (never faster than asked) is checked; how close a
	// loaded machine gets to the rate is a benchmark's business, not a
	// test's, so the achieved rate is only logged above.
	checkRate(t, timed.reqs, DefaultRate, time.Millisecond)
}

// timingConn records when each request really went out.
type timingConn struct {
	Conn
	reqs []sentRequest
}

func (c *timingConn) Request(ip netip.Addr) error {
	c.reqs = append(c.reqs, sentRequest{ip, time.Now()})
	return c.Conn.Request(ip)
}
