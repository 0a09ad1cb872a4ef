package capture

import (
	"bytes"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"
)

// TestListenReadBuffer opens a capture on loopback (root only: AF_PACKET
// needs CAP_NET_RAW, and SO_RCVBUFFORCE CAP_NET_ADMIN) and checks that the
// socket's receive buffer is the one asked for, past net.core.rmem_max if
// need be: the kernel reports twice the size set (socket(7)).
func TestListenReadBuffer(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for AF_PACKET and SO_RCVBUFFORCE")
	}
	for _, tc := range []struct {
		name string
		cfg  Config
		want int
	}{
		{"default", Config{}, 2 * DefaultReadBuffer},
		{"asked", Config{ReadBuffer: 6 << 20}, 2 * 6 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.NoPromiscuous = true
			l, err := Listen("lo", tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer l.conn.Close()
			rc, err := l.conn.SyscallConn()
			if err != nil {
				t.Fatal(err)
			}
			var got int
			var gerr error
			if err := rc.Control(func(fd uintptr) { got, gerr = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF) }); err != nil || gerr != nil {
				t.Fatal(err, gerr)
			}
			if got != tc.want {
				t.Errorf("SO_RCVBUF = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestReadBufferFallbackLogged: when SO_RCVBUFFORCE is refused (no
// CAP_NET_ADMIN) the buffer falls back to SO_RCVBUF and that is logged once,
// with the size the kernel reports back; a forced size logs nothing.
func TestReadBufferFallbackLogged(t *testing.T) {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	rc, err := conn.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { setsockoptInt, rcvbufLogged = unix.SetsockoptInt, atomic.Bool{} })
	setsockoptInt = func(fd, level, opt, v int) error {
		if opt == unix.SO_RCVBUFFORCE {
			return unix.EPERM
		}
		return unix.SetsockoptInt(fd, level, opt, v)
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	for range 2 {
		if err := setReadBuffer(rc, 64<<10, log, "lo"); err != nil {
			t.Fatal(err)
		}
	}
	var got int
	var gerr error
	if err := rc.Control(func(fd uintptr) { got, gerr = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF) }); err != nil || gerr != nil {
		t.Fatal(err, gerr)
	}
	if lines := strings.Count(buf.String(), "\n"); lines != 1 || !strings.Contains(buf.String(), fmt.Sprintf("kernel_rcvbuf=%d ", got)) {
		t.Fatalf("logged %d line(s), want one with kernel_rcvbuf=%d: %s", lines, got, buf.String())
	}
	if os.Geteuid() == 0 {
		setsockoptInt, rcvbufLogged = unix.SetsockoptInt, atomic.Bool{}
		buf.Reset()
		if err := setReadBuffer(rc, 64<<10, log, "lo"); err != nil || buf.Len() != 0 {
			t.Fatalf("forced: err %v, logged %q", err, buf.String())
		}
	}
}
