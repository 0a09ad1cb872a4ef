package lab

import (
	"context"
	"encoding/binary"
	"net/netip"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestMirrorModeShowsOthersTraffic: in mirror mode the box sees unicast
// frames between two other devices, as on a switch's mirror port; without
// it, a learning bridge keeps them away from the box.
func TestMirrorModeShowsOthersTraffic(t *testing.T) {
	needRoot(t, "ip", "ping")
	lan := &LAN{CIDR: netip.MustParsePrefix("10.78.0.0/24"), BoxIP: netip.MustParseAddr("10.78.0.250")}
	small, err := BuiltinLAN("small")
	if err != nil {
		t.Fatal(err)
	}
	lan.BoxMAC = small.BoxMAC
	for _, d := range small.Devices {
		if d.Agent == "-" && len(lan.Devices) < 2 {
			d.IP = netip.AddrFrom4([4]byte{10, 78, 0, d.IP.As4()[3]})
			lan.Devices = append(lan.Devices, d)
		}
	}
	a, b := lan.Devices[0], lan.Devices[1]
	for _, mirror := range []bool{true, false} {
		cfg := Config{Name: uniqueName(t), StateDir: agentReadableDir(t), Mirror: mirror, Owner: os.Getpid()}
		t.Cleanup(func() { Down(context.Background(), cfg) })
		st, err := Up(context.Background(), cfg, lan)
		if err != nil {
			t.Fatal(err)
		}
		// Let the bridge learn every address first (a learning bridge
		// floods unknown destinations, which would fool the check).
		for _, d := range []Device{a, b} {
			exec.Command("ip", "netns", "exec", st.BoxNetns, "ping", "-c1", "-W1", d.IP.String()).Run()
		}
		exec.Command("ip", "netns", "exec", Prefix(cfg.Name)+"-"+a.Name, "ping", "-c1", "-W1", b.IP.String()).Run()

		var fd int
		if err := InNetns(st.BoxNetns, func() (err error) {
			fd, err = syscall.Socket(syscall.AF_PACKET, syscall.SOCK_RAW, int(htons(syscall.ETH_P_IP)))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		tv := syscall.NsecToTimeval(int64(100 * time.Millisecond))
		syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &tv)
		ping := exec.Command("ip", "netns", "exec", Prefix(cfg.Name)+"-"+a.Name, "ping", "-c3", "-i0.2", b.IP.String())
		if err := ping.Start(); err != nil {
			t.Fatal(err)
		}
		seen := false
		buf := make([]byte, 2048)
		for deadline := time.Now().Add(1500 * time.Millisecond); time.Now().Before(deadline) && !seen; {
			n, _, err := syscall.Recvfrom(fd, buf, 0)
			if err != nil || n < 14+20 {
				continue
			}
			ip := buf[14:]
			src, dst := netip.AddrFrom4([4]byte(ip[12:16])), netip.AddrFrom4([4]byte(ip[16:20]))
			seen = ip[9] == 1 && src == a.IP && dst == b.IP // ICMP from a to b
		}
		ping.Wait()
		syscall.Close(fd)
		if seen != mirror {
			t.Errorf("mirror=%v: box saw %s pinging %s: %v", mirror, a.IP, b.IP, seen)
		}
		if err := Down(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
	}
}

func htons(v uint16) uint16 { return binary.BigEndian.Uint16([]byte{byte(v), byte(v >> 8)}) }
