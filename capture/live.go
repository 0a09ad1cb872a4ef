package capture

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// ethPAll is ETH_P_ALL: every protocol.
const ethPAll = 0x0003

// Config tunes a live capture. The zero value is the default.
type Config struct {
	// Filter is a BPF program run in the kernel; nil keeps every frame,
	// truncated to SnapLen.
	Filter []bpf.Instruction
	// SnapLen is how much of each frame is kept; zero means 65535.
	SnapLen int
	// ReadTimeout bounds each read so the loop can notice cancellation
	// and collect kernel statistics (a read waits between half of it and
	// all of it); zero means 500 ms.
	ReadTimeout time.Duration
	// NoPromiscuous leaves the interface out of promiscuous mode (it
	// then sees only its own and broadcast traffic).
	NoPromiscuous bool
	// ReadBuffer is the socket's receive buffer in bytes, the queue that
	// absorbs a burst while the reader is off the CPU; zero means
	// DefaultReadBuffer.
	ReadBuffer int
	// Log receives the capture's warnings; nil means slog.Default().
	Log *slog.Logger
}

// DefaultReadBuffer is libpcap's default capture buffer, 2 MiB
// (pcap_set_buffer_size(3PCAP)). The kernel's default receive buffer,
// net.core.rmem_default (208 kB), holds about 270 small frames (an skb's
// truesize, ~768 bytes, is charged for each): the demo's nmap burst,
// thousands of probes and answers a second, overflowed it whenever the
// reader waited for a loaded CPU (kernel_dropped=182). This holds ~5,400:
// the kernel doubles the size set for its bookkeeping (socket(7)), and the
// doubled size is the one charged (rmem_default is that size already).
const DefaultReadBuffer = 2 << 20

// Live reads frames from a network interface through AF_PACKET.
type Live struct {
	conn     *packet.Conn
	cfg      Config
	buf      []byte
	stopped  atomic.Bool
	deadline time.Time // the read deadline ReadFrame last set

	mu       sync.Mutex
	received uint64
	dropped  uint64
	lastPoll time.Time
}

// DefaultFilter keeps every frame and truncates it to snapLen bytes in the
// kernel, so headers and the first bytes of payload (logins, SMB
// negotiation, SNMP communities) reach the detectors without copying bulk data.
func DefaultFilter(snapLen int) []bpf.Instruction {
	return []bpf.Instruction{bpf.RetConstant{Val: uint32(snapLen)}}
}

// Listen opens a promiscuous AF_PACKET socket on the named interface; it
// needs CAP_NET_RAW.
func Listen(ifname string, cfg Config) (*Live, error) {
	if cfg.SnapLen <= 0 {
		cfg.SnapLen = 65535
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 500 * time.Millisecond
	}
	if cfg.Filter == nil {
		cfg.Filter = DefaultFilter(cfg.SnapLen)
	}
	if cfg.ReadBuffer <= 0 {
		cfg.ReadBuffer = DefaultReadBuffer
	}
	ifi, err := net.InterfaceByName(ifname)
	if err != nil {
		return nil, fmt.Errorf("capture: interface %q: %w", ifname, err)
	}
	prog, err := bpf.Assemble(cfg.Filter)
	if err != nil {
		return nil, fmt.Errorf("capture: assemble filter: %w", err)
	}
	conn, err := packet.Listen(ifi, packet.Raw, ethPAll, &packet.Config{Filter: prog})
	if err != nil {
		return nil, fmt.Errorf("capture: listen on %s: %w", ifname, err)
	}
	rc, err := conn.SyscallConn()
	if err == nil {
		err = setReadBuffer(rc, cfg.ReadBuffer, cfg.Log, ifname)
	}
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("capture: receive buffer on %s: %w", ifname, err)
	}
	if !cfg.NoPromiscuous {
		if err := conn.SetPromiscuous(true); err != nil {
			conn.Close()
			return nil, fmt.Errorf("capture: promiscuous mode on %s: %w", ifname, err)
		}
	}
	return &Live{conn: conn, cfg: cfg, buf: make([]byte, cfg.SnapLen), lastPoll: time.Now()}, nil
}

// setReadBuffer sizes the socket's receive buffer to n bytes:
// SO_RCVBUFFORCE, which may pass net.core.rmem_max (208 kB on a stock
// kernel) and needs CAP_NET_ADMIN, else SO_RCVBUF, which the kernel caps at
// rmem_max. The fallback is logged (the first time only: a capture reopened
// after an error says it once) with the size the kernel reports back,
// doubled as always.
func setReadBuffer(rc syscall.RawConn, n int, log *slog.Logger, ifname string) error {
	var serr, ferr error
	got := 0
	err := rc.Control(func(fd uintptr) {
		if ferr = setsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, n); ferr == nil {
			return
		}
		if serr = setsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, n); serr == nil {
			got, serr = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF)
		}
	})
	if err == nil && serr == nil && ferr != nil && rcvbufLogged.CompareAndSwap(false, true) {
		if log == nil {
			log = slog.Default()
		}
		log.Warn("capture: SO_RCVBUFFORCE refused (no CAP_NET_ADMIN?), receive buffer capped by net.core.rmem_max",
			"iface", ifname, "asked", n, "kernel_rcvbuf", got, "err", ferr)
	}
	return errors.Join(err, serr)
}

// setsockoptInt is unix.SetsockoptInt (a test refuses SO_RCVBUFFORCE).
var setsockoptInt = unix.SetsockoptInt

// rcvbufLogged is set once the SO_RCVBUF fallback has been logged.
var rcvbufLogged atomic.Bool

// ReadFrame waits up to the read timeout for the next frame; it returns
// ErrTimeout when none came.
func (l *Live) ReadFrame() (Frame, error) {
	if l.stopped.Load() {
		return Frame{}, net.ErrClosed
	}
	now := time.Now()
	if now.Sub(l.lastPoll) >= time.Second {
		l.poll()
		l.lastPoll = now
	}
	// The deadline is moved only once half the timeout is spent, not for
	// every frame (a runtime timer reset each): a read still waits at
	// least half the timeout and at most all of it.
	if now.Add(l.cfg.ReadTimeout / 2).After(l.deadline) {
		l.deadline = now.Add(l.cfg.ReadTimeout)
		if err := l.conn.SetReadDeadline(l.deadline); err != nil {
			return Frame{}, fmt.Errorf("capture: set read deadline: %w", err)
		}
	}
	n, _, err := l.conn.ReadFrom(l.buf)
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if l.stopped.Load() {
				return Frame{}, net.ErrClosed
			}
			return Frame{}, ErrTimeout
		}
		return Frame{}, fmt.Errorf("capture: read: %w", err)
	}
	return Frame{Time: time.Now(), Data: l.buf[:n], Length: n}, nil
}

// poll adds the kernel's counters (which reset on every read) to ours.
func (l *Live) poll() {
	st, err := l.conn.Stats()
	if err != nil {
		return
	}
	l.mu.Lock()
	l.received += uint64(st.Packets)
	l.dropped += uint64(st.Drops)
	l.mu.Unlock()
}

// interrupt makes a blocked ReadFrame return at once.
func (l *Live) interrupt() {
	l.stopped.Store(true)
	_ = l.conn.SetReadDeadline(time.Unix(1, 0))
}

// Stats reports the kernel's counts of frames received and dropped so far.
// It may be called from any goroutine.
func (l *Live) Stats() Stats {
	l.poll()
	l.mu.Lock()
	defer l.mu.Unlock()
	return Stats{Received: l.received, Dropped: l.dropped}
}

// Close releases the socket.
func (l *Live) Close() error { return l.conn.Close() }
