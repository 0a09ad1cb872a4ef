package capture

import (
	"os"
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
