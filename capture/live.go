package capture

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/net/bpf"
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
	// and collect kernel statistics; zero means 500 ms.
	ReadTimeout time.Duration
	// NoPromiscuous leaves the interface out of promiscuous mode (it
	// then sees only its own and broadcast traffic).
	NoPromiscuous bool
}

// Live reads frames from a network interface through AF_PACKET.
type Live struct {
	conn    *packet.Conn
	cfg     Config
	buf     []byte
	stopped atomic.Bool

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
	if !cfg.NoPromiscuous {
		if err := conn.SetPromiscuous(true); err != nil {
			conn.Close()
			return nil, fmt.Errorf("capture: promiscuous mode on %s: %w", ifname, err)
		}
	}
	return &Live{conn: conn, cfg: cfg, buf: make([]byte, cfg.SnapLen), lastPoll: time.Now()}, nil
}

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
	if err := l.conn.SetReadDeadline(now.Add(l.cfg.ReadTimeout)); err != nil {
		return Frame{}, fmt.Errorf("capture: set read deadline: %w", err)
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
