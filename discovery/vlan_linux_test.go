//go:build linux

package discovery

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"testing"

	"golang.org/x/sys/unix"

	"tend/inventory"
)

// inNamespace runs fn on a thread that joined ns; the thread is discarded.
func inNamespace(t *testing.T, ns string, fn func() error) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
		f, err := os.Open("/run/netns/" + ns)
		if err != nil {
			errc <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- err
			return
		}
		errc <- fn()
	}()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// TestSweepVLAN: the box creates an 802.1Q sub-interface for a configured
// VLAN, finds the host that lives only on that VLAN (not on the untagged
// LAN), and removes the sub-interface again.
func TestSweepVLAN(t *testing.T) {
	needRoot(t)
	lan := newTestLAN(t)
	hub := lan.id + "-hub"
	b := lan.prefix.Addr().As4()
	b[2]++
	vprefix := netip.PrefixFrom(netip.AddrFrom4(b), 24)
	host := func(n byte) netip.Prefix {
		a := vprefix.Addr().As4()
		a[3] = n
		return netip.PrefixFrom(netip.AddrFrom4(a), 24)
	}
	if out, err := exec.Command("ip", "-n", hub, "link", "add", "link", "hub0", "name", "hub0.20", "type", "vlan", "id", "20").CombinedOutput(); err != nil {
		t.Skipf("skipping: this kernel cannot make 802.1Q interfaces (8021q module missing?): %v: %s", err, out)
	}
	ipCmd(t, "-n", hub, "link", "set", "hub0.20", "address", "02:54:00:00:20:02")
	ipCmd(t, "-n", hub, "addr", "add", host(2).String(), "dev", "hub0.20")
	ipCmd(t, "-n", hub, "link", "set", "hub0.20", "up")

	v, err := ParseVLAN(fmt.Sprintf("20:%s", host(250)))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	var stats Stats
	inNamespace(t, lan.sweeper, func() error {
		ifi, remove, err := AddVLAN(context.Background(), "sw0", v)
		if err != nil {
			return err
		}
		defer func() {
			if err := remove(); err != nil {
				t.Errorf("remove vlan: %v", err)
			}
			if _, err := net.InterfaceByName("sw0.20"); err == nil {
				t.Error("sw0.20 still exists after remove")
			}
		}()
		if ifi.Name != "sw0.20" {
			t.Errorf("sub-interface %s, want sw0.20", ifi.Name)
		}
		conn, err := DialARP(ifi)
		if err != nil {
			return err
		}
		defer conn.Close()
		stats, err = NewSweeper(SweepConfig{}, nil).Sweep(t.Context(), conn, []netip.Prefix{v.Prefix()}, func(o inventory.Observation) {
			got[o.IP.String()] = o.MAC.String()
		})
		return err
	})
	want := map[string]string{host(2).Addr().String(): "02:54:00:00:20:02"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("found on vlan 20: %v, want %v (stats %+v)", got, want, stats)
	}
}

func TestParseVLAN(t *testing.T) {
	for in, ok := range map[string]bool{"20:10.20.0.250/24": true, "4094:192.168.7.1/24": true, "0:10.0.0.1/24": false,
		"4095:10.0.0.1/24": false, "20": false, "20:10.0.0.1": false, "x:10.0.0.1/24": false, "20:fd00::1/64": false} {
		if _, err := ParseVLAN(in); (err == nil) != ok {
			t.Errorf("ParseVLAN(%q) error %v, want ok=%v", in, err, ok)
		}
	}
	if n := SubInterfaceName("enp0s20f0u1u2", 4094); len(n) > 15 || n != "enp0s20f0u.4094" {
		t.Errorf("SubInterfaceName = %q", n)
	}
}
